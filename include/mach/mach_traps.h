/* The Mach traps as C functions (stubs in lib/mach/traps.S; ABI section 2). */
#ifndef _MACH_MACH_TRAPS_H_
#define _MACH_MACH_TRAPS_H_

#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/port.h>

mach_port_name_t mach_reply_port(void);
mach_port_name_t mach_thread_self(void);
mach_port_name_t mach_task_self(void);
mach_port_name_t mach_host_self(void);
void mach_print(const char *s);
boolean_t swtch(void);
boolean_t swtch_pri(int priority);
kern_return_t thread_switch(mach_port_name_t thread, int option, int time_ms);
#define SWITCH_OPTION_NONE	0	/* yield (to the hinted thread if it can run) */
#define SWITCH_OPTION_DEPRESS	1	/* ... at the lowest priority for time_ms (0: until aborted) */
#define SWITCH_OPTION_WAIT	2	/* ... and sleep time_ms */
kern_return_t syscall_task_terminate(mach_port_name_t task);
kern_return_t syscall_task_suspend(mach_port_name_t task);
kern_return_t syscall_thread_depress_abort(mach_port_name_t thread);
/* As thread_set_state on the calling thread; count is 1-150 words. */
kern_return_t thread_set_self_state(int flavor, natural_t *state, natural_t count);
/* Shortcuts for RPCs (MACH_SEND_INTERRUPTED: not done, use the RPC). */
kern_return_t syscall_vm_allocate(mach_port_name_t task, vm_address_t *addr, vm_size_t size,
				  boolean_t anywhere);
kern_return_t syscall_vm_deallocate(mach_port_name_t task, vm_address_t addr, vm_size_t size);
kern_return_t syscall_mach_port_allocate(mach_port_name_t task, mach_port_right_t right,
					 mach_port_name_t *name);
kern_return_t syscall_mach_port_allocate_name(mach_port_name_t task, mach_port_right_t right,
					      mach_port_name_t name);
kern_return_t syscall_mach_port_deallocate(mach_port_name_t task, mach_port_name_t name);
kern_return_t syscall_mach_port_insert_right(mach_port_name_t task, mach_port_name_t name,
					     mach_port_name_t right, unsigned int disposition);

#endif /* _MACH_MACH_TRAPS_H_ */
