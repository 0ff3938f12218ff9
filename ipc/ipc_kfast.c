/*
 * The kernel-RPC fast path. A MIG user stub's call to a kernel object (a send-and-
 * receive: COPY_SEND to the object's port, MAKE_SEND_ONCE of the port it then
 * receives on) normally becomes a kernel message, a copy into the kernel's space with
 * names made there for both rights, the server routine, a reply message queued on the
 * reply port and a receive that takes it off again: about 3,000 instructions around
 * the routine. For the routines below, which take and give no rights or memory and
 * always answer at once, nothing of that is needed: the request is copied into a
 * kernel buffer, addressed to the kernel's name for the object as the normal path
 * would have it, served, and the reply is written straight into the caller's receive
 * buffer, addressed as a received reply is. The caller sees the same bytes, the same
 * sequence number and the same counts as on the normal path.
 *
 * As in ipc_fastpath.c, everything is checked before anything changes; when a check
 * fails the normal path runs.
 */
#include <string.h>
#include <mach/mig_errors.h>
#include <ipc/ipc_fastpath.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <ipc/mach_msg.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/uaccess.h>

/* task_write_memory's request (8,192 bytes of data) and task_read_memory's reply. */
#define KFAST_MAX	(8192 + 128)

static uint64_t req_buf[KFAST_MAX / 8], rep_buf[KFAST_MAX / 8];
static bool busy;		/* (a routine that waited would let another caller in) */

/*
 * The routines served here, by message id: simple requests and simple replies, an
 * answer every time (never MIG_NO_REPLY), and nothing that ends the caller's task or
 * thread. Those of mach_port may change the reply port itself (deallocate it, move it
 * into a set, queue a notification on it): after them the port is looked at again, and
 * the reply takes the normal way if it has to (reply_queued).
 */
enum { KFAST_NO, KFAST_YES, KFAST_RECHECK };

static int kfast_routine(mach_msg_id_t id)
{
	if (id >= 3200 && id < 3300) {
		switch (id) {
		case 3201:	/* mach_port_type */
		case 3207:	/* mach_port_get_refs */
		case 3217:	/* mach_port_get_receive_status */
			return KFAST_YES;
		case 3203:	/* mach_port_allocate_name */
		case 3204:	/* mach_port_allocate */
		case 3205:	/* mach_port_destroy */
		case 3206:	/* mach_port_deallocate */
		case 3208:	/* mach_port_mod_refs */
		case 3210:	/* mach_port_set_qlimit */
		case 3211:	/* mach_port_set_mscount */
		case 3218:	/* mach_port_set_seqno */
		case 3221:	/* mach_port_set_protected_payload */
		case 3222:	/* mach_port_clear_protected_payload */
			return KFAST_RECHECK;
		default:
			return KFAST_NO;
		}
	}
	switch (id) {
	case 2012:	/* task_info */
	case 2017:	/* thread_get_state */
	case 2018:	/* thread_set_state */
	case 2021:	/* vm_allocate */
	case 2023:	/* vm_deallocate */
	case 2024:	/* vm_protect */
	case 2025:	/* vm_inherit */
	case 2028:	/* vm_copy */
	case 2062:	/* thread_suspend */
	case 2063:	/* thread_resume */
	case 5102:	/* task_read_memory */
	case 5103:	/* task_write_memory */
		return KFAST_YES;
	default:
		return KFAST_NO;
	}
}

/*
 * The routine left the reply port other than the fast path needs it (not our receive
 * right alone any more, in a set, a message queued first, dead): the reply is queued
 * on it as the kernel's server loop would have queued it, and the caller receives the
 * normal way. Never returns.
 */
static __attribute__((noreturn)) void reply_queued(struct trap_frame *f, struct ipc_port *rport,
						    const mach_msg_header_t *rep)
{
	struct ipc_kmsg *k;

	if (rport->active && (k = ipc_kmsg_alloc(rep->msgh_size)) != NULL) {
		memcpy(k->msg, rep, rep->msgh_size);
		KMSG_HEADER(k)->msgh_bits = rep->msgh_bits & MACH_MSGH_BITS_COMPLEX;
		k->size = rep->msgh_size;
		k->dest = ipc_port_make_send_once(rport);
		k->dest_type = MACH_MSG_TYPE_PORT_SEND_ONCE;
		k->reply = NULL;
		k->reply_type = 0;
		ipc_mqueue_send_kernel(k);
	}
	ipc_port_release(rport);
	busy = false;
	thread_syscall_return(ipc_mach_msg(f->rdi, MACH_RCV_MSG, 0, (mach_msg_size_t)f->r10,
					   (mach_port_name_t)f->r8, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL));
}

void ipc_fastpath_kernel(struct trap_frame *f, mach_msg_header_t *copied)
{
	struct thread *self = current_thread();
	struct ipc_space *space = self->task->space;
	mach_msg_size_t send_size = (mach_msg_size_t)f->rdx, rcv_size = (mach_msg_size_t)f->r10;
	mach_msg_header_t *req = copied ? copied : (mach_msg_header_t *)req_buf;
	mach_msg_header_t *rep = (mach_msg_header_t *)rep_buf;
	mach_port_name_t rcv_name = (mach_port_name_t)f->r8;
	struct ipc_entry *de, *le;
	struct ipc_port *port, *rport;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	mach_msg_size_t size;
	int kind;

	if (busy || !space || send_size < sizeof(*req) || send_size % 8 || send_size > KFAST_MAX)
		return;
	/* The header first: most large messages are not for us. */
	if (!copied && copyin_qwords(self, f->rdi, req, sizeof(*req)) != KERN_SUCCESS)
		return;
	if (req->msgh_bits != MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE) ||
	    !(kind = kfast_routine(req->msgh_id)) || (mach_port_name_t)req->msgh_protected_payload != rcv_name)
		return;
	if (!copied && copyin_qwords(self, f->rdi + sizeof(*req), req + 1, send_size - sizeof(*req)) != KERN_SUCCESS)
		return;
	/* The destination: a send right to an active kernel object. */
	de = ipc_entry_lookup(space, (mach_port_name_t)req->msgh_remote_port_slot);
	if (!de || !(de->type & MACH_PORT_TYPE_SEND))
		return;
	port = de->object;
	if (!port->active || port->receiver != ipc_space_kernel || port->kotype == IKOT_FOREIGN_REPLY ||
	    port->kotype == IKOT_EXC_REPLY)
		return;
	/* The reply port: ours, not in a set, nothing queued (the reply is the next message). */
	le = ipc_entry_lookup(space, rcv_name);
	if (!le || !(le->type & MACH_PORT_TYPE_RECEIVE))
		return;
	rport = le->object;
	if (rport->pset || rport->msgcount || !rport->active)
		return;

	/* Committed: the request as the kernel's server loop would see it. */
	busy = true;
	self->state_replaced = false;	/* (as syscall_dispatch: a thread_set_state since counts) */
	if (kind == KFAST_RECHECK)
		ipc_port_reference(rport);	/* (the routine may let go of its name) */
	req->msgh_size = send_size;
	req->msgh_remote_port_slot = MACH_PORT_NULL;	/* (the reply goes straight back) */
	req->msgh_protected_payload = port->receiver_name;
	req->msgh_seqno = 0;
	ipc_fast_sends++;
	ipc_kobject_demux(req, rep);
	self->task->messages_sent++;	/* (after the routine, as task_info sees it normally) */
	if (kind == KFAST_RECHECK) {
		le = ipc_entry_lookup(space, rcv_name);
		if (!le || !(le->type & MACH_PORT_TYPE_RECEIVE) || le->object != rport || rport->pset ||
		    rport->msgcount || !rport->active)
			reply_queued(f, rport, rep);
		ipc_port_release(rport);	/* (our receive right holds it) */
	}

	/* The reply as received from our reply port (ipc_kmsg.c: copyout_header). */
	size = rep->msgh_size;
	rep->msgh_bits = MACH_MSGH_BITS(0, rport->has_payload ? MACH_MSG_TYPE_PROTECTED_PAYLOAD :
								 MACH_MSG_TYPE_PORT_SEND_ONCE);
	rep->msgh_remote_port_slot = MACH_PORT_NULL;
	rep->msgh_protected_payload = rport->has_payload ? rport->payload : rport->receiver_name;
	rep->msgh_seqno = rport->seqno++;
	self->task->messages_received++;
	if (size > rcv_size) {
		/* Dequeued and destroyed, the receiver told its size (nothing in it to free). */
		rep->msgh_size = size;
		mr = MACH_RCV_TOO_LARGE;
		size = sizeof(*rep);
	}
	if (copyout(rep, f->rdi, size) != KERN_SUCCESS)
		mr = MACH_RCV_INVALID_DATA;
	busy = false;
	thread_syscall_return(mr);
}
