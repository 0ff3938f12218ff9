/*
 * Kernel entry and exit: the 256 interrupt/exception stubs, the syscall entry, and
 * the common exit path that returns to user mode with sysret when the frame came
 * from syscall and its return address is canonical, and with iretq otherwise.
 *
 * The kernel runs with interrupts disabled (FMASK clears IF on syscall; every IDT
 * entry is an interrupt gate), so it is never preempted. The user GS base is in
 * MSR_KERNEL_GS_BASE while in the kernel (swapgs on every user entry and exit).
 */
#include <arch/gdt.h>
#include <arch/percpu.h>
#include <arch/trap.h>
#include <mach/syscall_sw.h>

#define MSR_GS_BASE_NUM	0xC0000101
#define RPC_OPTION	3	/* MACH_SEND_MSG | MACH_RCV_MSG (asserted in ipc_fastpath.c) */

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR(n) ((n) == 8 || ((n) >= 10 && (n) <= 14) || (n) == 17 || (n) == 21 || (n) == 29 || (n) == 30)

.macro PUSH_GPRS
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
.endm

.macro PUSH_CALLEE_SAVED	/* what a C function must keep: saved on a switch */
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
.endm

.macro POP_CALLEE_SAVED
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
.endm

.macro POP_GPRS
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
.endm

/* The syscall entry's trap frame (rcx = user rip, r11 = user rflags); rdi = the frame. */
.macro SYSCALL_FRAME
	pushq	$USER_SS
	pushq	%gs:CPU_USER_RSP
	pushq	%r11
	pushq	$USER_CS
	pushq	%rcx
	pushq	$0
	pushq	$T_SYSCALL
	PUSH_GPRS
	cld
	movq	%rsp, %rdi
.endm

	.text
/* One stub per vector: push a zero error code if the CPU did not, then the vector. */
	.align 16
trap_stubs:
vector = 0
.rept 256
	.align 16
	.if !HAS_ERROR(vector)
	pushq	$0
	.endif
	pushq	$vector
	.if vector == T_NMI || vector == T_DOUBLE_FAULT || vector == T_MACHINE_CHECK
	jmp	paranoid_entry
	.else
	jmp	trap_entry
	.endif
vector = vector + 1
.endr

	.section .rodata
	.align 8
	.global trap_vectors
trap_vectors:
vector = 0
.rept 256
	.quad	trap_stubs + vector * 16
vector = vector + 1
.endr

	.text
trap_entry:
	testb	$3, 24(%rsp)		/* cs of the interrupted context */
	jz	1f
	swapgs
1:	PUSH_GPRS
	cld
	movq	%rsp, %rdi
	call	trap_dispatch
	jmp	trap_exit

/*
 * NMI, double fault and machine check can arrive anywhere, even between swapgs and
 * sysret/iretq, so the GS base cannot be inferred from cs: read it. Kernel per-CPU
 * data lives in the upper half, so a negative GS base means we already have it.
 */
paranoid_entry:
	PUSH_GPRS
	cld
	movl	$MSR_GS_BASE_NUM, %ecx
	rdmsr
	xorl	%ebx, %ebx
	testl	%edx, %edx
	js	1f
	swapgs
	movl	$1, %ebx		/* swap back on the way out */
1:	movq	%rsp, %rdi
	call	trap_dispatch
	testl	%ebx, %ebx
	jz	2f
	swapgs
2:	POP_GPRS
	addq	$16, %rsp
	iretq


/*
 * syscall: rcx = user rip, r11 = user rflags, interrupts off (FMASK). Build a trap
 * frame identical to an interrupt's so that every exit and state access is uniform.
 */
	.global syscall_entry
syscall_entry:
	swapgs
	movq	%rsp, %gs:CPU_USER_RSP
	movq	%gs:CPU_KERNEL_RSP, %rsp
	/*
	 * A foreign task reaches no Mach trap, not even the simple ones below; a task with
	 * an I/O bitmap reaches them all, but not the fast ones (the IPC fast path may
	 * leave no such task: kern/sched.h).
	 */
	cmpb	$0, %gs:CPU_ENTRY_FLAGS
	jne	syscall_flagged
	/*
	 * Simple traps (mach_fast_traps: never block, never look at saved state) run
	 * without a trap frame: only the registers the ABI preserves and C does not
	 * (the argument registers) are kept, and rcx/r11 for sysret. The return address
	 * came from a syscall instruction, so it is canonical.
	 */
	cmpl	$MACH_TRAP_mach_msg_trap, %eax
	je	4f			/* mach_msg, the common one, needs its frame */
	cmpl	$-(MACH_TRAP_COUNT - 1), %eax
	jl	2f
	testl	%eax, %eax
	jg	2f
	pushq	%rcx
	pushq	%r11
	movl	%eax, %ecx
	negl	%ecx
	movq	mach_fast_traps(, %rcx, 8), %rcx
	testq	%rcx, %rcx
	jz	1f
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%r10
	pushq	%r8
	pushq	%r9
	call	*%rcx
	popq	%r9
	popq	%r8
	popq	%r10
	popq	%rdx
	popq	%rsi
	popq	%rdi
	popq	%r11
	popq	%rcx
	movq	%gs:CPU_USER_RSP, %rsp
	swapgs
	sysretq
1:	popq	%r11
	popq	%rcx
2:	SYSCALL_FRAME
	jmp	3f
4:	SYSCALL_FRAME
	/* mach_msg with exactly SEND|RCV: the RPC fast path; it returns only to decline. */
	cmpl	$RPC_OPTION, %esi
	jne	3f
	call	ipc_fastpath_rpc
	movq	%rsp, %rdi
3:	call	syscall_dispatch
	/* fall through */

/* rsp = a trap frame. Returns to the context it describes. */
	.global trap_exit
trap_exit:
	testb	$3, TF_CS(%rsp)
	jz	kernel_exit
	movq	%rsp, %rdi
	call	return_to_user_prepare
	cmpq	$T_SYSCALL, TF_VECTOR(%rsp)
	jne	user_iret
	/* sysret only to a canonical address: otherwise it faults in ring 0 on user rsp. */
	movq	TF_RIP(%rsp), %rcx
	movq	%rcx, %rax
	shlq	$16, %rax
	sarq	$16, %rax
	cmpq	%rax, %rcx
	jne	user_iret
sysret_exit:
	POP_GPRS
	/* Left on the stack: vector, error, rip, cs, rflags, rsp, ss. */
	movq	TF_RIP - TF_VECTOR(%rsp), %rcx
	movq	TF_RFLAGS - TF_VECTOR(%rsp), %r11
	movq	TF_RSP - TF_VECTOR(%rsp), %rsp	/* user rsp: no kernel stack access after this */
	swapgs
	sysretq

user_iret:
	POP_GPRS
	addq	$16, %rsp
	swapgs
	iretq

kernel_exit:
	POP_GPRS
	addq	$16, %rsp
	iretq

/* Every syscall of a foreign task becomes a message (kern/foreign.c). */
syscall_flagged:
	SYSCALL_FRAME
	testb	$1, %gs:CPU_ENTRY_FLAGS	/* TASK_ENTRY_FOREIGN */
	jz	3b
	call	foreign_syscall
	jmp	trap_exit

/*
 * context_switch(from_sp_slot, to_sp): save the callee-saved registers on this
 * stack, store rsp in *from_sp_slot, and continue on to_sp. A new thread's stack is
 * prepared by thread code to "return" into thread_start.
 */
	.global context_switch
context_switch:
	PUSH_CALLEE_SAVED
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	POP_CALLEE_SAVED
	ret

/*
 * call_continuation(from_sp_slot, fn, top): save this thread's callee-saved state as
 * context_switch does, then start over on the fresh stack below top (the next
 * thread's trap frame, 16-byte aligned): finish the switch, then run fn.
 */
	.global call_continuation
call_continuation:
	PUSH_CALLEE_SAVED
	movq	%rsp, (%rdi)
	movq	%rdx, %rsp
	movq	%rsi, %r12
	call	thread_switch_tail
	call	*%r12
	ud2				/* continuations do not return */

/*
 * thread_sysret(frame): leave at once through a syscall frame known to be fit for
 * sysret (its rip came from the syscall instruction and nothing changed it), with
 * nothing to do before user mode (the caller checked).
 */
	.global thread_sysret
thread_sysret:
	movq	%rdi, %rsp
	jmp	sysret_exit

/* thread_exit_to_user(frame): the stack above frame is done with; leave through it. */
	.global thread_exit_to_user
thread_exit_to_user:
	movq	%rdi, %rsp
	jmp	trap_exit

/* First run of a new thread: finish the switch in C, then leave through its frame. */
	.global thread_start
thread_start:
	call	thread_start_tail
	jmp	trap_exit

/* First run of a kernel thread: r12 = function, r13 = argument (see thread.c). */
	.global kthread_start
kthread_start:
	call	thread_start_tail
	movq	%r13, %rdi
	call	*%r12
	call	thread_terminate_self
