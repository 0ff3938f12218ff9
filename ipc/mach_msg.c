/* The mach_msg trap (ABI section 4): send, then receive, into the same buffer. */
#include <ipc/ipc_fastpath.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <kern/sched.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/timer.h>
#include <kern/uaccess.h>

/* What a receive name denotes: a receive right not in a set, or a port set. */
static mach_msg_return_t lookup_receive(struct ipc_space *space, mach_port_name_t name,
					struct ipc_port **port, struct ipc_pset **pset)
{
	struct ipc_entry *e = ipc_right_lookup(space, name);

	*port = NULL;
	*pset = NULL;
	if (!e)
		return MACH_RCV_INVALID_NAME;
	if (e->type & MACH_PORT_TYPE_PORT_SET) {
		*pset = e->object;
		return MACH_MSG_SUCCESS;
	}
	if (!(e->type & MACH_PORT_TYPE_RECEIVE))
		return MACH_RCV_INVALID_NAME;
	*port = e->object;
	return (*port)->pset ? MACH_RCV_IN_SET : MACH_MSG_SUCCESS;
}

/* The port of a receive right named by the notify argument, or NULL. */
static struct ipc_port *notify_port(struct ipc_space *space, mach_port_name_t name)
{
	struct ipc_entry *e = ipc_right_lookup(space, name);

	return e && (e->type & MACH_PORT_TYPE_RECEIVE) ? e->object : NULL;
}

/*
 * Ends a receive: the message goes to the user's buffer (from the staging buffer when
 * the fast path delivered it), or the receive error is reported.
 */
static mach_msg_return_t finish_receive(struct ipc_ctx *ctx, uint64_t msg, mach_msg_option_t option,
					mach_msg_return_t mr, struct ipc_rcv *rcv, mach_port_name_t notify_name)
{
	struct thread *self = current_thread();

	if (self->ith_direct) {
		self->ith_direct = false;
		if (copyout(self->ith_buf, msg, self->ith_direct_size) != KERN_SUCCESS)
			return MACH_RCV_INVALID_DATA;
		return MACH_MSG_SUCCESS;
	}
	if (self->terminate_requested || !ctx->task->space) {
		/* The task is going away: its space may be gone; drop what we got. */
		if (rcv->kmsg)
			ipc_kmsg_destroy(rcv->kmsg);
		return MACH_RCV_INTERRUPTED;
	}
	ctx->space = ctx->task->space;
	/* A buffer outside user space: the message is lost, not its rights handed out. */
	if (rcv->kmsg && !user_range_ok(msg, mr == MACH_MSG_SUCCESS ? rcv->kmsg->size : sizeof(mach_msg_header_t))) {
		ipc_kmsg_destroy(rcv->kmsg);
		return MACH_RCV_INVALID_DATA;
	}
	if (mr == MACH_MSG_SUCCESS)
		return ipc_kmsg_copyout(ctx, rcv->kmsg, msg, rcv->seqno, option,
					(option & MACH_RCV_NOTIFY) ? notify_port(ctx->space, notify_name) : NULL);
	if (mr == MACH_RCV_TOO_LARGE && rcv->kmsg)
		return mr | ipc_kmsg_copyout_header_only(ctx, rcv->kmsg, msg, rcv->seqno);
	if (mr == MACH_RCV_TOO_LARGE &&
	    copyout(&rcv->msize, msg + offsetof(mach_msg_header_t, msgh_size), sizeof(rcv->msize)) != KERN_SUCCESS)
		return MACH_RCV_INVALID_DATA;
	return mr;
}

static mach_msg_return_t do_receive(struct ipc_ctx *ctx, uint64_t msg, mach_msg_option_t option,
				    mach_msg_size_t rcv_size, mach_port_name_t rcv_name,
				    mach_msg_timeout_t timeout, mach_port_name_t notify_name)
{
	struct thread *self = current_thread();
	struct ipc_port *port;
	struct ipc_pset *pset;
	struct ipc_rcv rcv;
	mach_msg_return_t mr = lookup_receive(ctx->space, rcv_name, &port, &pset);

	if (mr != MACH_MSG_SUCCESS)
		return mr;
	if ((option & MACH_RCV_NOTIFY) && !notify_port(ctx->space, notify_name))
		return MACH_RCV_INVALID_NOTIFY;
	self->ith_msg = msg;
	self->ith_direct = false;
	mr = ipc_mqueue_receive(port, pset, option, rcv_size,
				(option & MACH_RCV_TIMEOUT) ? timer_ms_to_ticks(timeout) : 0, &rcv);
	return finish_receive(ctx, msg, option, mr, &rcv, notify_name);
}

/*
 * The fast path's hand-off: the message is already in receiver r's staging buffer.
 * If our own receive is the simple case (a receive right not in a set, nothing
 * queued) and no thread more urgent than r is runnable, we wait on it and switch
 * straight to r; otherwise r is woken first in its priority's line and our receive
 * takes the normal path. Returns true with *mr set when it received.
 */
static bool fast_handoff(struct ipc_ctx *ctx, struct thread *r, uint64_t msg, mach_msg_option_t option,
			 mach_msg_size_t rcv_size, mach_port_name_t rcv_name, mach_msg_return_t *mr)
{
	struct thread *self = current_thread();
	struct ipc_entry *e = ipc_entry_lookup(ctx->space, rcv_name);
	struct ipc_port *rp = e && (e->type & MACH_PORT_TYPE_RECEIVE) ? e->object : NULL;
	struct ipc_rcv rcv;

	/* Hand-off only if no thread of higher priority than r is waiting to run. */
	if (!rp || rp->pset || rp->msgcount || !sched_may_handoff(r)) {
		thread_wakeup_first(r);
		return false;
	}
	self->ith_msg = msg;
	ipc_port_reference(rp);
	ipc_mqueue_prepare_wait(rp, option, rcv_size);
	thread_wakeup_direct(r);
	sched_switch_to(r);
	*mr = ipc_mqueue_receive_woken(rp, option, rcv_size, &rcv);
	ipc_port_release(rp);
	*mr = finish_receive(ctx, msg, option, *mr, &rcv, MACH_PORT_NULL);
	return true;
}

mach_msg_return_t ipc_mach_msg(uint64_t msg, mach_msg_option_t option, mach_msg_size_t send_size,
				mach_msg_size_t rcv_size, mach_port_name_t rcv_name,
				mach_msg_timeout_t timeout, mach_port_name_t notify)
{
	struct thread *self = current_thread();
	struct task *task = self->task;
	struct ipc_ctx ctx = { task->space, task };
	mach_msg_return_t mr;

	/* The common RPC shapes first (send and receive, no other option). */
	if (option == (MACH_SEND_MSG | MACH_RCV_MSG) && ctx.space) {
		struct thread *r = ipc_fastpath_send(task, msg, send_size);

		if (r) {
			if (fast_handoff(&ctx, r, msg, option, rcv_size, rcv_name, &mr))
				return mr;
			option &= ~MACH_SEND_MSG;
		}
	}
	if (option & MACH_SEND_MSG) {
		struct ipc_port *nport = NULL;
		struct ipc_kmsg *kmsg;
		mach_port_name_t dest_name = 0;

		if (option & (MACH_SEND_NOTIFY | MACH_SEND_CANCEL)) {
			if (!(nport = notify_port(ctx.space, notify)))
				return MACH_SEND_INVALID_NOTIFY;
		}
		if (option & MACH_SEND_NOTIFY)
			copyin(msg + offsetof(mach_msg_header_t, msgh_remote_port), &dest_name, sizeof(dest_name));
		self->ith_cancel = (option & MACH_SEND_CANCEL) ? nport : NULL;
		mr = ipc_kmsg_copyin(&ctx, msg, send_size, option, &kmsg);
		self->ith_cancel = NULL;
		if (mr != MACH_MSG_SUCCESS)
			return mr;
		mr = ipc_mqueue_send(kmsg, option,
				     (option & MACH_SEND_TIMEOUT) ? timer_ms_to_ticks(timeout) : 0,
				     (option & MACH_SEND_NOTIFY) ? nport : NULL, dest_name);
		if (mr == MACH_SEND_TIMED_OUT || mr == MACH_SEND_INTERRUPTED) {
			if (!task->space) {
				ipc_kmsg_destroy(kmsg);
				return mr;
			}
			return mr | ipc_kmsg_return_to_sender(&ctx, kmsg, msg);
		}
		if (mr != MACH_MSG_SUCCESS)
			return mr;
	}
	if (option & MACH_RCV_MSG) {
		if (!task->space)
			return MACH_RCV_INTERRUPTED;
		ctx.space = task->space;
		return do_receive(&ctx, msg, option, rcv_size, rcv_name, timeout, notify);
	}
	return MACH_MSG_SUCCESS;
}
