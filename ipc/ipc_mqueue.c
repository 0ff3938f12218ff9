/* Message queues (see ipc/ipc_mqueue.h). */
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_notify.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_space.h>
#include <kern/printf.h>
#include <kern/sched.h>
#include <kern/thread.h>

static void enqueue(struct ipc_port *port, struct ipc_kmsg *kmsg)
{
	list_push_back(&port->messages, &kmsg->link);
	port->msgcount++;
	if (port->pset)
		port->pset->msgcount++;
}

/*
 * Gives the message to a waiting receiver if there is one (checking its buffer size
 * as the receive would), otherwise queues it. Never blocks.
 */
static void deliver(struct ipc_port *port, struct ipc_kmsg *kmsg)
{
	struct thread *th = ipc_mqueue_waiting_receiver(port);

	if (!th) {
		enqueue(port, kmsg);
		return;
	}
	if (kmsg->size > th->ith_rcv_size && (th->ith_option & MACH_RCV_LARGE)) {
		enqueue(port, kmsg);	/* it stays queued; the receiver learns the size */
		th->ith_state = MACH_RCV_TOO_LARGE;
		th->ith_msize = kmsg->size;
	} else {
		th->ith_kmsg = kmsg;
		th->ith_seqno = port->seqno++;
		th->ith_state = kmsg->size > th->ith_rcv_size ? MACH_RCV_TOO_LARGE : MACH_MSG_SUCCESS;
	}
	thread_wakeup(th);
}

void ipc_mqueue_changed(struct ipc_port *port)
{
	while (!list_empty(&port->receivers.threads)) {
		struct thread *th = list_entry(port->receivers.threads.next, struct thread, run_link);
		th->ith_state = MACH_RCV_PORT_CHANGED;
		thread_wakeup(th);
	}
}

/* Kernel ports are served at once; dead ports and circular messages just vanish. */
static bool deliver_special(struct ipc_port *port, struct ipc_kmsg *kmsg)
{
	if (!port->active || (KMSG_HEADER(kmsg)->msgh_bits & MACH_MSGH_BITS_CIRCULAR)) {
		ipc_kmsg_destroy(kmsg);
		return true;
	}
	if (port->receiver == ipc_space_kernel) {
		ipc_kobject_server(kmsg);
		return true;
	}
	return false;
}

void ipc_mqueue_send_kernel(struct ipc_kmsg *kmsg)
{
	struct ipc_port *port = kmsg->dest;

	if (!deliver_special(port, kmsg))
		deliver(port, kmsg);
}

mach_msg_return_t ipc_mqueue_send(struct ipc_kmsg *kmsg, mach_msg_option_t option,
				  uint64_t timeout_ticks, struct ipc_port *notify, mach_port_name_t dest_name)
{
	struct ipc_port *port = kmsg->dest;
	uint64_t deadline = sched_ticks + timeout_ticks;
	struct thread *self = current_thread();

	if (deliver_special(port, kmsg))
		return MACH_MSG_SUCCESS;
	/* Send-once rights always get through: a reply must never block its sender. */
	while (port->msgcount >= port->qlimit && kmsg->dest_type != MACH_MSG_TYPE_PORT_SEND_ONCE &&
	       !ipc_mqueue_waiting_receiver(port)) {
		enum wait_result wr;
		uint64_t left = deadline > sched_ticks ? deadline - sched_ticks : 0;

		/* MACH_SEND_NOTIFY: in it goes anyway; msg-accepted follows when it leaves. */
		if ((option & MACH_SEND_NOTIFY) && notify) {
			kmsg->accepted = ipc_port_make_send_once(notify);
			kmsg->accepted_name = dest_name;
			enqueue(port, kmsg);
			return MACH_SEND_WILL_NOTIFY;
		}
		if ((option & MACH_SEND_TIMEOUT) && left == 0)
			return MACH_SEND_TIMED_OUT;
		self->ith_state = MACH_SEND_IN_PROGRESS;
		ipc_port_reference(port);
		wr = waitq_sleep_timeout(&port->senders, (option & MACH_SEND_TIMEOUT) ? left : 0);
		ipc_port_release(port);
		if (self->ith_state == MACH_SEND_INVALID_DEST || !port->active) {
			ipc_kmsg_destroy(kmsg);
			return MACH_SEND_INVALID_DEST;
		}
		if (wr == THREAD_TIMED_OUT)
			return MACH_SEND_TIMED_OUT;
		if (wr == THREAD_INTERRUPTED)
			return MACH_SEND_INTERRUPTED;
	}
	deliver(port, kmsg);
	return MACH_MSG_SUCCESS;
}

/* Takes the first message of a port with messages, checking the buffer size. */
static mach_msg_return_t take(struct ipc_port *port, mach_msg_option_t option,
			      mach_msg_size_t rcv_size, struct ipc_rcv *out)
{
	struct ipc_kmsg *kmsg = list_entry(port->messages.next, struct ipc_kmsg, link);

	if (kmsg->size > rcv_size && (option & MACH_RCV_LARGE)) {
		out->msize = kmsg->size;
		return MACH_RCV_TOO_LARGE;
	}
	list_remove(&kmsg->link);
	port->msgcount--;
	if (port->pset)
		port->pset->msgcount--;
	if (kmsg->accepted) {
		ipc_notify_msg_accepted(kmsg->accepted, kmsg->accepted_name);
		kmsg->accepted = NULL;
	}
	out->kmsg = kmsg;
	out->seqno = port->seqno++;
	waitq_wakeup_one(&port->senders);	/* there is room now */
	return kmsg->size > rcv_size ? MACH_RCV_TOO_LARGE : MACH_MSG_SUCCESS;
}

/*
 * What a receiver woken from its wait got: a result, or MACH_RCV_IN_PROGRESS when it
 * was only woken to look at the queue again.
 */
static mach_msg_return_t wake_result(struct thread *self, enum wait_result wr, struct ipc_rcv *out)
{
	mach_msg_return_t mr = self->ith_state;

	if (self->ith_kmsg) {
		out->kmsg = self->ith_kmsg;
		out->seqno = self->ith_seqno;
		self->ith_kmsg = NULL;
		return mr;
	}
	if (mr == MACH_RCV_TOO_LARGE) {
		out->msize = self->ith_msize;
		return mr;
	}
	if (mr == MACH_RCV_PORT_DIED || mr == MACH_RCV_PORT_CHANGED)
		return mr;
	if (wr == THREAD_TIMED_OUT)
		return MACH_RCV_TIMED_OUT;
	if (wr == THREAD_INTERRUPTED)
		return MACH_RCV_INTERRUPTED;
	return MACH_RCV_IN_PROGRESS;
}

mach_msg_return_t ipc_mqueue_receive(struct ipc_port *port, struct ipc_pset *pset,
				     mach_msg_option_t option, mach_msg_size_t rcv_size,
				     uint64_t timeout_ticks, struct ipc_rcv *out)
{
	struct thread *self = current_thread();
	uint64_t deadline = sched_ticks + timeout_ticks;
	mach_msg_return_t mr;

	out->kmsg = NULL;
	for (;;) {
		struct ipc_port *ready = pset ? ipc_pset_ready_port(pset) : port;
		enum wait_result wr;
		uint64_t left = deadline > sched_ticks ? deadline - sched_ticks : 0;

		if (ready && ready->msgcount)
			return take(ready, option, rcv_size, out);
		if ((option & MACH_RCV_TIMEOUT) && left == 0)
			return MACH_RCV_TIMED_OUT;
		ipc_mqueue_prepare_receive(self, option, rcv_size);
		if (pset) {
			ipc_pset_reference(pset);
			wr = waitq_sleep_timeout(&pset->receivers, (option & MACH_RCV_TIMEOUT) ? left : 0);
			ipc_pset_release(pset);
		} else {
			ipc_port_reference(port);
			wr = waitq_sleep_timeout(&port->receivers, (option & MACH_RCV_TIMEOUT) ? left : 0);
			ipc_port_release(port);
		}
		mr = wake_result(self, wr, out);
		if (mr != MACH_RCV_IN_PROGRESS)
			return mr;
	}
}

mach_msg_return_t ipc_mqueue_receive_woken(struct ipc_port *port, struct ipc_pset *pset,
					   mach_msg_option_t option, mach_msg_size_t rcv_size,
					   struct ipc_rcv *out)
{
	struct thread *self = current_thread();
	mach_msg_return_t mr;

	out->kmsg = NULL;
	mr = wake_result(self, self->wait_result, out);
	if (mr != MACH_RCV_IN_PROGRESS)
		return mr;
	if (port && port->pset)
		return MACH_RCV_PORT_CHANGED;
	return ipc_mqueue_receive(port, pset, option, rcv_size, 0, out);
}
