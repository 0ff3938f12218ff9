/*
 * Helpers shared by the kernel's server routines (the kern/ server files, and gsync.c).
 * Ports are names in the kernel's IPC space (see ipc/ipc_kobject.h).
 * Conditions (all): interrupts disabled.
 */
#ifndef _KERN_KSERVER_H_
#define _KERN_KSERVER_H_

#include <stdbool.h>
#include <stdint.h>
#include <mach/kern_return.h>
#include <mach/port.h>
#include <mach/time_value.h>

struct ipc_port;
struct task;
struct thread;

/* The live task / thread a name denotes, or NULL. */
struct task *task_from_name(mach_port_t name);
struct thread *thread_from_name(mach_port_t name);
/* Replaces the send right held in *slot with the one a request brought under name. */
void kserver_set_port(struct ipc_port **slot, mach_port_t name);
/* Timer ticks as the two wire time formats (either may be NULL). */
void ticks_to_time(uint64_t ticks, time_value_t *tv, time_value64_t *tv64);
/* The time of day at timer tick `ticks`, in both formats (neither may be NULL). */
void ticks_to_date(uint64_t ticks, time_value_t *tv, time_value64_t *tv64);
/* thread_priority's rule: clamped to the thread's maximum (KERN_FAILURE if it was). */
kern_return_t thread_priority_set(struct thread *th, int priority, bool set_max);

#endif /* _KERN_KSERVER_H_ */
