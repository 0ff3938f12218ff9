/*
 * Message queues: sending to a port (hand-off to a waiting receiver, or queueing up
 * to the queue limit) and receiving from a port or a port set (with timeouts).
 * Conditions (all): interrupts disabled; may block where said.
 */
#ifndef _IPC_IPC_MQUEUE_H_
#define _IPC_IPC_MQUEUE_H_

#include <stdint.h>
#include <mach/message.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <kern/thread.h>

struct ipc_kmsg;
struct ipc_port;
struct ipc_pset;

/* A thread waiting to receive from port, directly or through its set, or NULL
 * (inline: both the send path and the fast path ask it for every message). */
static inline struct thread *ipc_mqueue_waiting_receiver(struct ipc_port *port)
{
	struct waitq *wq = &port->receivers;

	if (list_empty(&wq->threads) && port->pset)
		wq = &port->pset->receivers;
	if (list_empty(&wq->threads))
		return NULL;
	return list_entry(wq->threads.next, struct thread, run_link);
}

/* The threads receiving directly on port return MACH_RCV_PORT_CHANGED (it joined a
 * set, or its receive right left the space). */
void ipc_mqueue_changed(struct ipc_port *port);
/* Delivers without blocking and without queue limit (kernel messages). */
void ipc_mqueue_send_kernel(struct ipc_kmsg *kmsg);
/*
 * Sends a copied-in message; may block while the queue is full. On MACH_SEND_TIMED_OUT
 * or MACH_SEND_INTERRUPTED the message is still the caller's (*kmsg unchanged); on
 * every other result it has been consumed. With MACH_SEND_NOTIFY and a full queue it
 * is queued anyway (MACH_SEND_WILL_NOTIFY) and `notify` (a port whose receive right the
 * sender holds) gets a msg-accepted notification naming dest_name when it leaves.
 */
mach_msg_return_t ipc_mqueue_send(struct ipc_kmsg *kmsg, mach_msg_option_t option,
				  uint64_t timeout_ticks, struct ipc_port *notify,
				  mach_port_name_t dest_name);

struct ipc_rcv {
	struct ipc_kmsg *kmsg;		/* the message, for SUCCESS and TOO_LARGE (header only) */
	uint32_t seqno;
	uint32_t msize;			/* for TOO_LARGE with MACH_RCV_LARGE: the size needed */
};

/*
 * Receives from a port (pset NULL) or a port set (port NULL); may block. Returns
 * MACH_MSG_SUCCESS, MACH_RCV_TOO_LARGE (with kmsg: deliver the header only; without:
 * the message stays queued and msize says its size), MACH_RCV_TIMED_OUT,
 * MACH_RCV_INTERRUPTED, MACH_RCV_PORT_DIED or MACH_RCV_PORT_CHANGED.
 */
mach_msg_return_t ipc_mqueue_receive(struct ipc_port *port, struct ipc_pset *pset,
				     mach_msg_option_t option, mach_msg_size_t rcv_size,
				     uint64_t timeout_ticks, struct ipc_rcv *out);
/* Readies a thread's receive state before it waits. */
static inline void ipc_mqueue_prepare_receive(struct thread *th, mach_msg_option_t option,
					      mach_msg_size_t rcv_size)
{
	th->ith_state = MACH_RCV_IN_PROGRESS;
	th->ith_kmsg = NULL;
	th->ith_rcv_size = rcv_size;
	th->ith_option = (uint32_t)option;
}

/* Makes the current thread a waiting receiver on port; the caller switches away. */
static inline void ipc_mqueue_prepare_wait(struct ipc_port *port, mach_msg_option_t option,
					   mach_msg_size_t rcv_size)
{
	ipc_mqueue_prepare_receive(current_thread(), option, rcv_size);
	thread_prepare_wait(&port->receivers);
}
/* The same, for a thread that already waited on port or pset (with a continuation,
 * see ipc_receive_wait) and was woken. */
mach_msg_return_t ipc_mqueue_receive_woken(struct ipc_port *port, struct ipc_pset *pset,
					   mach_msg_option_t option, mach_msg_size_t rcv_size,
					   struct ipc_rcv *out);

#endif
