/* Mach trap stubs (ABI section 2): mov $N,%rax; mov %rcx,%r10; syscall; ret. */
#include <mach/syscall_sw.h>

.macro TRAP name, number
	.global \name
	.type \name, @function
\name:
	movq	$\number, %rax
	movq	%rcx, %r10
	syscall
	ret
	.size \name, . - \name
.endm

	.text
	TRAP mach_msg_trap, MACH_TRAP_mach_msg_trap
	TRAP mach_reply_port, MACH_TRAP_mach_reply_port
	TRAP mach_thread_self, MACH_TRAP_mach_thread_self
	TRAP mach_task_self, MACH_TRAP_mach_task_self
	TRAP mach_host_self, MACH_TRAP_mach_host_self
	TRAP mach_print, MACH_TRAP_mach_print
	TRAP swtch_pri, MACH_TRAP_swtch_pri
	TRAP swtch, MACH_TRAP_swtch
	TRAP thread_switch, MACH_TRAP_thread_switch
	TRAP syscall_task_terminate, MACH_TRAP_syscall_task_terminate
	TRAP syscall_task_suspend, MACH_TRAP_syscall_task_suspend
	TRAP syscall_thread_depress_abort, MACH_TRAP_syscall_thread_depress_abort
	TRAP syscall_vm_allocate, MACH_TRAP_syscall_vm_allocate
	TRAP syscall_vm_deallocate, MACH_TRAP_syscall_vm_deallocate
	TRAP syscall_mach_port_allocate, MACH_TRAP_syscall_mach_port_allocate
	TRAP syscall_mach_port_allocate_name, MACH_TRAP_syscall_mach_port_allocate_name
	TRAP syscall_mach_port_deallocate, MACH_TRAP_syscall_mach_port_deallocate
	TRAP syscall_mach_port_insert_right, MACH_TRAP_syscall_mach_port_insert_right
	TRAP thread_set_self_state, MACH_TRAP_thread_set_self_state

	.section .note.GNU-stack, "", @progbits
