/*
 * The Mach traps as C functions (stubs in lib/mach/traps.S). Port names are 32-bit
 * (mach_port_name_t on the user side); results are 32-bit.
 */
#ifndef _MACH_MACH_TRAPS_H_
#define _MACH_MACH_TRAPS_H_

#include <stdint.h>
#include <mach/kern_return.h>

uint32_t mach_reply_port(void);
uint32_t mach_thread_self(void);
uint32_t mach_task_self(void);
uint32_t mach_host_self(void);
void mach_print(const char *s);
int swtch(void);
int swtch_pri(int priority);
kern_return_t thread_switch(uint32_t thread, int option, int time_ms);
kern_return_t syscall_task_terminate(uint32_t task);
kern_return_t syscall_task_suspend(uint32_t task);

#endif /* _MACH_MACH_TRAPS_H_ */
