/* The IPC fast path (see ipc/ipc_fastpath.c). */
#ifndef _IPC_IPC_FASTPATH_H_
#define _IPC_IPC_FASTPATH_H_

#include <stdint.h>
#include <arch/trap.h>
#include <mach/message.h>
#include <ipc/ipc_port.h>

/* The largest message the fast path carries (header included). */
#define IPC_FAST_MAX	256

extern uint64_t ipc_fast_sends;	/* kernel_stats */

/*
 * mach_msg_trap with exactly MACH_SEND_MSG | MACH_RCV_MSG, frame f holding its
 * arguments: completes the RPC hop by the fast path and leaves to user mode as the
 * receiver (never returning), or returns having changed nothing.
 */
void ipc_fastpath_rpc(struct trap_frame *f);

/*
 * The same trap, sent to a kernel object (ipc/ipc_kfast.c): one of the routines served
 * in place is served, its reply written into the caller's buffer, and we return to
 * user mode (never returning); or it returns having changed nothing. copied: the
 * message, already copied in (NULL: not yet).
 */
void ipc_fastpath_kernel(struct trap_frame *f, mach_msg_header_t *copied);

struct ipc_port;
struct thread;

/*
 * Addresses a message in its receiver's terms: the local port (its name for port, or
 * the protected payload) and the next sequence number; counts a fast send.
 */
static inline void ipc_fastpath_address(mach_msg_header_t *h, struct ipc_port *port)
{
	h->msgh_protected_payload = port->receiver_name;
	if (port->has_payload) {
		h->msgh_bits = (h->msgh_bits & MACH_MSGH_BITS_REMOTE_MASK) |
			       (MACH_MSG_TYPE_PROTECTED_PAYLOAD << 8);
		h->msgh_protected_payload = port->payload;
	}
	h->msgh_seqno = port->seqno++;
	ipc_fast_sends++;
}

/*
 * A foreign thread th's system call (kern/foreign.c; th->fwd_reply exists), sent to
 * port: when a thread of the personality waits there (as for ipc_fastpath_rpc), the
 * request goes straight into its buffer, th waits for the reply with its continuation,
 * and we leave as the receiver, never returning. Returns, having changed nothing, to
 * decline.
 */
void ipc_fastpath_foreign_request(struct thread *th, struct ipc_port *port);

#endif
