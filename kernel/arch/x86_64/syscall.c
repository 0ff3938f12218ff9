/*
 * The syscall instruction: MSR setup, and the x86_64 half of trap dispatch (where
 * the arguments are). The ABI: trap number in eax (negative for Mach traps),
 * arguments 1-6 in rdi, rsi, rdx, r10, r8, r9, arguments 7+ on the user stack at
 * rsp+8, rsp+16, ...; the 32-bit result in eax; rcx and r11 are clobbered.
 */
#include <arch/cpu.h>
#include <arch/gdt.h>
#include <arch/trap.h>
#include <mach/syscall_sw.h>
#include <kern/exception.h>
#include <kern/mach_traps.h>
#include <kern/thread.h>
#include <kern/uaccess.h>

void syscall_entry(void);

void syscall_init(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	/* syscall: CS = 0x08, SS = 0x10. sysret (64-bit): CS = 0x0f + 16, SS = 0x0f + 8. */
	wrmsr(MSR_STAR, ((uint64_t)USER_CS32 << 48) | ((uint64_t)KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	/* Entering the kernel clears IF and IOPL (the ABI), and TF, DF, AC and NT. */
	wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_IOPL | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC | RFLAGS_NT);
}

/* Conditions: interrupts disabled; f is the current thread's user frame. */
void syscall_dispatch(struct trap_frame *f)
{
	struct thread *th = current_thread();
	int number = (int)(uint32_t)f->rax;	/* the low 32 bits, sign-extended */
	const struct mach_trap *trap;
	uint64_t args[MACH_TRAP_MAX_ARGS];
	uint64_t result;

	th->state_replaced = false;
	if (number == MACH_TRAP_mach_msg_trap) {
		result = mach_trap_msg(f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9, f->rsp, f->rip);
		goto out;
	}
	trap = mach_trap_lookup(number);
	if (!trap) {
		exception_raise_fault(th, EXC_BAD_INSTRUCTION, EXC_I386_INVOP, 0);
		return;
	}
	args[0] = f->rdi;
	args[1] = f->rsi;
	args[2] = f->rdx;
	args[3] = f->r10;
	args[4] = f->r8;
	args[5] = f->r9;
	if (trap->nargs > 6) {
		uint64_t at = f->rsp + 8;
		if (copyin(at, &args[6], (size_t)(trap->nargs - 6) * 8) != KERN_SUCCESS) {
			exception_raise_fault(th, EXC_BAD_ACCESS, KERN_INVALID_ADDRESS, (int64_t)at);
			return;
		}
	}
	/* Simple traps normally take entry.S's fast path; here they come via the frame. */
	result = trap->fast ? trap->fast() : trap->fn(args);
out:
	/* A new state set meanwhile (thread_set_state, exceptions) keeps its rax. */
	if (!th->state_replaced)
		f->rax = (uint32_t)result;
	th->state_replaced = false;
}

void thread_syscall_return(uint64_t value)
{
	struct thread *th = current_thread();

	if (!th->state_replaced)
		th->frame->rax = value;
	th->state_replaced = false;
	thread_exit_to_user(th->frame);
}
