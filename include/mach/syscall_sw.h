/*
 * Mach trap numbers (GNU Mach x86_64 ABI section 2). A trap is `syscall` with the
 * negative number in eax; arguments 1-6 in rdi, rsi, rdx, r10, r8, r9 and 7+ on the
 * user stack at rsp+8, rsp+16, ...  The table has MACH_TRAP_COUNT slots, 0 to -129.
 */
#ifndef _MACH_SYSCALL_SW_H_
#define _MACH_SYSCALL_SW_H_

#define MACH_TRAP_COUNT				130

#define MACH_TRAP_evc_wait			(-17)
#define MACH_TRAP_evc_wait_clear		(-18)
#define MACH_TRAP_mach_msg_trap			(-25)
#define MACH_TRAP_mach_reply_port		(-26)
#define MACH_TRAP_mach_thread_self		(-27)
#define MACH_TRAP_mach_task_self		(-28)
#define MACH_TRAP_mach_host_self		(-29)
#define MACH_TRAP_mach_print			(-30)
#define MACH_TRAP_device_writev_request		(-39)
#define MACH_TRAP_device_write_request		(-40)
#define MACH_TRAP_swtch_pri			(-59)
#define MACH_TRAP_swtch				(-60)
#define MACH_TRAP_thread_switch			(-61)
#define MACH_TRAP_syscall_vm_map		(-64)
#define MACH_TRAP_syscall_vm_allocate		(-65)
#define MACH_TRAP_syscall_vm_deallocate		(-66)
#define MACH_TRAP_syscall_task_create		(-68)
#define MACH_TRAP_syscall_task_terminate	(-69)
#define MACH_TRAP_syscall_task_suspend		(-70)
#define MACH_TRAP_syscall_task_set_special_port	(-71)
#define MACH_TRAP_syscall_mach_port_allocate	(-72)
#define MACH_TRAP_syscall_mach_port_deallocate	(-73)
#define MACH_TRAP_syscall_mach_port_insert_right	(-74)
#define MACH_TRAP_syscall_mach_port_allocate_name	(-75)
#define MACH_TRAP_syscall_thread_depress_abort	(-76)
#define MACH_TRAP_thread_set_self_state		(-77)

#endif /* _MACH_SYSCALL_SW_H_ */
