/* The IPC fast path (see ipc/ipc_fastpath.c and ipc/mach_msg.c). */
#ifndef _IPC_IPC_FASTPATH_H_
#define _IPC_IPC_FASTPATH_H_

#include <stdint.h>
#include <mach/message.h>

struct task;

extern uint64_t ipc_fast_sends;	/* kernel_stats */
struct thread;

/*
 * Sends the message at msg by the fast path if it can: returns the receiver, which
 * now holds the message but is still waiting (the caller wakes it or switches to it),
 * or NULL when nothing was done.
 */
struct thread *ipc_fastpath_send(struct task *task, uint64_t msg, mach_msg_size_t send_size);

#endif
