/* The IPC fast path (see ipc/ipc_fastpath.c). */
#ifndef _IPC_IPC_FASTPATH_H_
#define _IPC_IPC_FASTPATH_H_

#include <stdint.h>
#include <arch/trap.h>

/* The largest message the fast path carries (header included). */
#define IPC_FAST_MAX	256

extern uint64_t ipc_fast_sends;	/* kernel_stats */

/*
 * mach_msg_trap with exactly MACH_SEND_MSG | MACH_RCV_MSG, frame f holding its
 * arguments: completes the RPC hop by the fast path and leaves to user mode as the
 * receiver (never returning), or returns having changed nothing.
 */
void ipc_fastpath_rpc(struct trap_frame *f);

#endif
