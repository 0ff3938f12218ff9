/*
 * The IPC fast path, send half: a simple message of the RPC shape (request: COPY_SEND
 * with a MAKE_SEND_ONCE reply; reply: MOVE_SEND_ONCE with no reply port), small enough
 * for a thread's staging buffer, to a port whose receiver is already waiting, goes
 * straight into that receiver's buffer: no kernel message, no queue. The receiver
 * copies it out itself when it runs. Everything is checked before anything changes:
 * when a check fails nothing happened, and the normal path runs. mach_msg then hands
 * the processor to the receiver (ipc/mach_msg.c).
 */
#include <string.h>
#include <ipc/ipc_fastpath.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_space.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/uaccess.h>

uint64_t ipc_fast_sends;

struct thread *ipc_fastpath_send(struct task *task, uint64_t msg, mach_msg_size_t send_size)
{
	struct ipc_space *space = task->space;
	mach_msg_header_t *h;
	mach_msg_type_name_t rdisp, ldisp;
	struct ipc_entry *de, *le, *re = NULL;
	struct ipc_port *port, *rport = NULL;
	mach_port_name_t reply_name = MACH_PORT_NULL;
	mach_msg_header_t head;
	struct thread *r;

	/* The header is read where it lies; the whole message is copied once, below. */
	if (send_size < sizeof(head) || send_size % 8 || send_size > IPC_FAST_MAX ||
	    copyin(msg, &head, sizeof(head)) != KERN_SUCCESS ||
	    (head.msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return NULL;
	rdisp = MACH_MSGH_BITS_REMOTE(head.msgh_bits);
	ldisp = MACH_MSGH_BITS_LOCAL(head.msgh_bits);

	/* The destination: a copied send right, or a send-once right moved. */
	de = ipc_entry_lookup(space, (mach_port_name_t)head.msgh_remote_port_slot);
	if (!de || de->dnrequest ||
	    !((rdisp == MACH_MSG_TYPE_COPY_SEND && (de->type & MACH_PORT_TYPE_SEND)) ||
	      (rdisp == MACH_MSG_TYPE_MOVE_SEND_ONCE && de->type == MACH_PORT_TYPE_SEND_ONCE)))
		return NULL;
	port = de->object;
	if (!port->active || port->msgcount || !port->receiver || port->receiver == ipc_space_kernel)
		return NULL;
	r = ipc_mqueue_waiting_receiver(port);
	if (!r || r->ith_state != MACH_RCV_IN_PROGRESS || send_size > r->ith_rcv_size ||
	    (r->ith_option & MACH_RCV_NOTIFY) || !r->task->space)
		return NULL;

	/* The reply: none, or a send-once right made from a receive right. */
	if (ldisp == MACH_MSG_TYPE_MAKE_SEND_ONCE) {
		le = ipc_entry_lookup(space, (mach_port_name_t)head.msgh_protected_payload);
		if (!le || !(le->type & MACH_PORT_TYPE_RECEIVE))
			return NULL;
		rport = le->object;
	} else if (ldisp != 0 || (mach_port_name_t)head.msgh_protected_payload != MACH_PORT_NULL) {
		return NULL;
	}
	h = (mach_msg_header_t *)r->ith_buf;
	if (send_size > sizeof(head) &&
	    copyin(msg + sizeof(head), r->ith_buf + sizeof(head), send_size - sizeof(head)) != KERN_SUCCESS)
		return NULL;
	if (rport && ipc_entry_alloc(r->task->space, &reply_name, &re) != KERN_SUCCESS)
		return NULL;

	/* Committed: the rights move and the receiver's header is written. */
	if (rport) {
		re->object = ipc_port_make_send_once(rport);
		re->type = MACH_PORT_TYPE_SEND_ONCE;
		re->urefs = 1;
	}
	if (rdisp == MACH_MSG_TYPE_MOVE_SEND_ONCE) {
		de->type = 0;
		ipc_entry_free(space, de);
		ipc_port_consume_sonce(port);	/* used up by this message */
	}
	h->msgh_bits = MACH_MSGH_BITS(rport ? MACH_MSG_TYPE_PORT_SEND_ONCE : 0,
				      rdisp == MACH_MSG_TYPE_COPY_SEND ? MACH_MSG_TYPE_PORT_SEND :
				      MACH_MSG_TYPE_PORT_SEND_ONCE);
	h->msgh_size = send_size;
	h->msgh_remote_port_slot = reply_name;
	h->msgh_protected_payload = port->receiver_name;
	if (port->has_payload) {
		h->msgh_bits = (h->msgh_bits & MACH_MSGH_BITS_REMOTE_MASK) |
			       (MACH_MSG_TYPE_PROTECTED_PAYLOAD << 8);
		h->msgh_protected_payload = port->payload;
	}
	h->msgh_seqno = port->seqno++;
	h->msgh_id = head.msgh_id;
	r->ith_state = MACH_MSG_SUCCESS;
	r->ith_direct = true;
	r->ith_direct_size = send_size;
	ipc_fast_sends++;
	return r;
}
