/* The mach_msg trap (ABI section 4): send, then receive, into the same buffer. */
#include <ipc/mach_msg.h>
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

/* Ends a receive: the message goes to the user's buffer, or the error is reported. */
static mach_msg_return_t finish_receive(struct ipc_ctx *ctx, uint64_t msg, mach_msg_option_t option,
					mach_msg_return_t mr, struct ipc_rcv *rcv, mach_port_name_t notify_name)
{
	struct thread *self = current_thread();

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
	if (mr == MACH_MSG_SUCCESS) {
		ctx->task->messages_received++;
		return ipc_kmsg_copyout(ctx, rcv->kmsg, msg, rcv->seqno, option,
					(option & MACH_RCV_NOTIFY) ? notify_port(ctx->space, notify_name) : NULL);
	}
	if (mr == MACH_RCV_TOO_LARGE && rcv->kmsg)
		return mr | ipc_kmsg_copyout_header_only(ctx, rcv->kmsg, msg, rcv->seqno);
	if (mr == MACH_RCV_TOO_LARGE &&
	    copyout(&rcv->msize, msg + offsetof(mach_msg_header_t, msgh_size), sizeof(rcv->msize)) != KERN_SUCCESS)
		return MACH_RCV_INVALID_DATA;
	return mr;
}

void ipc_receive_continue(void)
{
	struct thread *self = current_thread();
	struct ipc_port *port = self->ith_port;
	struct ipc_pset *pset = self->ith_pset;
	mach_msg_option_t option = (mach_msg_option_t)self->ith_option;
	struct ipc_ctx ctx = { self->task->space, self->task };
	struct ipc_rcv rcv;
	mach_msg_return_t mr;

	self->ith_port = NULL;
	self->ith_pset = NULL;
	mr = ipc_mqueue_receive_woken(port, pset, option, self->ith_rcv_size, &rcv);
	if (port)
		ipc_port_release(port);
	else
		ipc_pset_release(pset);
	mr = finish_receive(&ctx, self->ith_msg, option, mr, &rcv, self->ith_notify);
	thread_syscall_return((uint32_t)mr);
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
	/* A wait without a timeout gives up the stack (see thread.h). */
	if (!(option & MACH_RCV_TIMEOUT) && (port ? !port->msgcount : !pset->msgcount)) {
		ipc_receive_wait(self, port, pset, msg, option, rcv_size, notify_name);
		sched_switch();
		__builtin_unreachable();
	}
	self->ith_msg = msg;
	mr = ipc_mqueue_receive(port, pset, option, rcv_size,
				(option & MACH_RCV_TIMEOUT) ? timer_ms_to_ticks(timeout) : 0, &rcv);
	return finish_receive(ctx, msg, option, mr, &rcv, notify_name);
}

mach_msg_return_t ipc_mach_msg(uint64_t msg, mach_msg_option_t option, mach_msg_size_t send_size,
				mach_msg_size_t rcv_size, mach_port_name_t rcv_name,
				mach_msg_timeout_t timeout, mach_port_name_t notify)
{
	struct thread *self = current_thread();
	struct task *task = self->task;
	struct ipc_ctx ctx = { task->space, task };
	mach_msg_return_t mr;

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
		if (mr == MACH_MSG_SUCCESS || mr == MACH_SEND_WILL_NOTIFY)
			task->messages_sent++;
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
