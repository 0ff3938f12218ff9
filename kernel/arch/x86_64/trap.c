/*
 * Trap dispatch: exceptions, the timer, device lines (intr.c), spurious interrupts.
 *
 * A page fault on user memory goes to the VM first (demand zero-fill, copy-on-write),
 * from user mode or from a copyin/copyout. A fault it cannot resolve, or any other
 * fault in user mode, becomes a Mach exception (ABI section 8, kern/exception.c) with
 * the code the ABI gives for the vector; in a copyin/copyout the copy fails instead
 * (the thread's recovery address). Any other fault in kernel mode is a bug: panic.
 */
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/io_perm.h>
#include <arch/percpu.h>
#include <arch/pmap.h>
#include <arch/trap.h>
#include <kern/device_caps.h>
#include <kern/exception.h>
#include <kern/intr.h>
#include <kern/layout.h>
#include <kern/printf.h>
#include <kern/sched.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/vm_map.h>

static const char *const exception_names[T_EXCEPTIONS] = {
	[T_DIVIDE] = "divide error",
	[T_DEBUG] = "debug",
	[T_NMI] = "NMI",
	[T_BREAKPOINT] = "breakpoint",
	[T_OVERFLOW] = "overflow",
	[T_BOUND] = "bound range exceeded",
	[T_INVALID_OP] = "invalid opcode",
	[T_NO_FPU] = "device not available",
	[T_DOUBLE_FAULT] = "double fault",
	[T_FPU_OVERRUN] = "coprocessor segment overrun",
	[T_INVALID_TSS] = "invalid TSS",
	[T_SEG_NP] = "segment not present",
	[T_STACK] = "stack fault",
	[T_GPF] = "general protection fault",
	[T_PAGE_FAULT] = "page fault",
	[T_FPU_ERROR] = "x87 floating-point error",
	[T_ALIGNMENT] = "alignment check",
	[T_MACHINE_CHECK] = "machine check",
	[T_SIMD] = "SIMD floating-point exception",
	[T_VIRT] = "virtualization exception",
	[T_CONTROL] = "control protection exception",
};

const char *trap_name(uint64_t vector)
{
	if (vector < T_EXCEPTIONS && exception_names[vector])
		return exception_names[vector];
	return vector == T_SYSCALL ? "syscall" : "interrupt";
}

void frame_dump(const struct trap_frame *f)
{
	kprintf("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
	kprintf("  rsi %016lx rdi %016lx rbp %016lx rsp %016lx\n", f->rsi, f->rdi, f->rbp, f->rsp);
	kprintf("  r8  %016lx r9  %016lx r10 %016lx r11 %016lx\n", f->r8, f->r9, f->r10, f->r11);
	kprintf("  r12 %016lx r13 %016lx r14 %016lx r15 %016lx\n", f->r12, f->r13, f->r14, f->r15);
	kprintf("  rip %016lx cs %04lx rflags %08lx ss %04lx vector %lu error %lx cr2 %016lx\n",
		f->rip, f->cs, f->rflags, f->ss, f->vector, f->error, read_cr2());
}

/* Resolves a page fault on user memory through the current task's map. */
static kern_return_t page_fault(struct thread *th, uint64_t addr, uint64_t error)
{
	int access = error & PF_WRITE ? VM_PROT_WRITE : error & PF_INSTR ? VM_PROT_EXECUTE :
		     VM_PROT_READ;

	if (!th || !th->task || th->task == &kernel_task)
		return KERN_INVALID_ADDRESS;
	return vm_fault(&th->task->map, addr, access);
}

/* The exception, code and subcode of a user fault (ABI section 8). */
static void user_exception(struct trap_frame *f)
{
	struct thread *th = current_thread();
	int64_t err16 = (int64_t)(f->error & 0xFFFF);
	uint64_t addr;
	uint16_t fsw;
	kern_return_t kr;

	switch (f->vector) {
	case T_PAGE_FAULT:
		addr = read_cr2();
		kr = page_fault(th, addr, f->error);
		if (kr != KERN_SUCCESS)
			vm_fault_failed(th, kr, addr);
		break;
	case T_DIVIDE:
		exception_raise_fault(th, EXC_ARITHMETIC, EXC_I386_DIV, 0);
		break;
	case T_OVERFLOW:
		exception_raise_fault(th, EXC_ARITHMETIC, EXC_I386_INTO, 0);
		break;
	case T_FPU_ERROR:
		__asm__ volatile("fnstsw %0; fnclex" : "=m"(fsw));
		exception_raise_fault(th, EXC_ARITHMETIC, EXC_I386_EXTERR, fsw);
		break;
	case T_SIMD:
		exception_raise_fault(th, EXC_ARITHMETIC, EXC_I386_SSEEXTERR, 0);
		break;
	case T_DEBUG:
		exception_raise_fault(th, EXC_BREAKPOINT, EXC_I386_SGL, 0);
		break;
	case T_BREAKPOINT:
		exception_raise_fault(th, EXC_BREAKPOINT, EXC_I386_BPT, 0);
		break;
	case T_BOUND:
		exception_raise_fault(th, EXC_SOFTWARE, EXC_I386_BOUND, 0);
		break;
	case T_GPF:
		exception_raise_fault(th, EXC_BAD_INSTRUCTION, EXC_I386_GPFLT, err16);
		break;
	case T_SEG_NP:
		exception_raise_fault(th, EXC_BAD_INSTRUCTION, EXC_I386_SEGNPFLT, err16);
		break;
	case T_STACK:
		exception_raise_fault(th, EXC_BAD_INSTRUCTION, EXC_I386_STKFLT, err16);
		break;
	case T_INVALID_TSS:
		exception_raise_fault(th, EXC_BAD_INSTRUCTION, EXC_I386_INVTSSFLT, err16);
		break;
	default:		/* #UD, and anything else a user thread can cause */
		exception_raise_fault(th, EXC_BAD_INSTRUCTION, EXC_I386_INVOP, 0);
		break;
	}
}

static void kernel_exception(struct trap_frame *f)
{
	struct thread *th = current_thread();

	/* A fault on user memory during copyin/copyout: the VM may resolve it (the copy
	   goes on), else resume at the recovery point (the copy fails). */
	if (f->vector == T_PAGE_FAULT && th && th->recover && read_cr2() < USER_LIMIT) {
		if (page_fault(th, read_cr2(), f->error) == KERN_SUCCESS)
			return;
		f->rip = th->recover;
		th->recover = 0;
		return;
	}
	kprintf("kernel: %s in kernel mode\n", trap_name(f->vector));
	frame_dump(f);
	panic_at(f->rip, f->rbp, "fatal %s at rip %016lx", trap_name(f->vector), f->rip);
}

/* Conditions: interrupts disabled; f is the frame at the top of the current stack. */
void trap_dispatch(struct trap_frame *f)
{
	uint64_t v = f->vector;

	if (v < T_EXCEPTIONS) {
		if (v == T_NMI) {
			kprintf("kernel: NMI at rip %016lx (ignored)\n", f->rip);
			return;
		}
		if (v == T_DOUBLE_FAULT || v == T_MACHINE_CHECK || !frame_from_user(f))
			kernel_exception(f);
		else
			user_exception(f);
		return;
	}
	switch (v) {
	case T_TIMER:
		apic_eoi();
		if (frame_from_user(f))
			current_thread()->user_ticks++;
		else
			current_thread()->system_ticks++;
		sched_tick();
		break;
	case T_SPURIOUS:
		break;		/* no EOI for spurious interrupts */
	default:
		if (v >= T_IRQ_BASE && v < T_IRQ_BASE + 16) {
			intr_irq((unsigned)(v - T_IRQ_BASE));	/* EOIs the PIC itself */
			break;
		}
		kprintf("kernel: unexpected interrupt %lu\n", v);
		apic_eoi();
		break;
	}
}

/*
 * The last stop before user mode. Handles preemption, suspension and termination
 * (which does not return), and refuses to return to a non-canonical address, which
 * iretq could not do either: the thread gets the #GP such a jump would give.
 */
void return_to_user_prepare(struct trap_frame *f)
{
	struct thread *th = current_thread();

	if (io_perm_dead)
		io_perm_reap();
	if (devcap_dead)
		devcap_reap();
	for (;;) {
		if (thread_stop_pending(th))
			thread_stop_point();
		if (this_cpu()->need_resched) {
			sched_preempt();
			continue;
		}
		if (is_canonical(f->rip))
			break;
		exception_raise_fault(th, EXC_BAD_INSTRUCTION, EXC_I386_GPFLT, 0);
	}
}
