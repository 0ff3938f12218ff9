/*
 * System-call forwarding for foreign tasks (see kern/foreign.h): sending the request,
 * the continuation wait, and the reply's arrival (the messages: kern/foreign_msg.c).
 */
#include <arch/trap.h>
#include <ipc/ipc_fastpath.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <kern/exception.h>
#include <kern/foreign.h>
#include <kern/sched.h>
#include <kern/task.h>
#include <kern/thread.h>

/* The kernel message for th's request to port; NULL without memory. */
static struct ipc_kmsg *request_kmsg(struct thread *th, struct ipc_port *port)
{
	struct ipc_kmsg *kmsg = ipc_kmsg_alloc(FOREIGN_REQUEST_MAX);

	if (!kmsg)
		return NULL;
	kmsg->size = foreign_request_write(th, kmsg->msg);
	/* Body ports are rights in transit, their descriptors already the received type. */
	if (th->fwd_id == FOREIGN_SYSCALL_PORTS_ID) {
		foreign_syscall_ports_request_t *m = (void *)kmsg->msg;
		m->thread = (uint64_t)ipc_port_make_send(th->self);
		m->task = (uint64_t)ipc_port_make_send(th->task->self);
	}
	kmsg->dest = ipc_port_copy_send(port);
	kmsg->dest_type = MACH_MSG_TYPE_PORT_SEND;
	kmsg->reply = ipc_port_make_send_once(th->fwd_reply);
	kmsg->reply_type = MACH_MSG_TYPE_PORT_SEND_ONCE;
	return kmsg;
}

/* The reply port goes; a right to it still held by the handler finds a dead port. */
static void reply_port_drop(struct thread *th)
{
	if (th->fwd_reply) {
		ipc_kobject_destroy(th->fwd_reply);
		th->fwd_reply = NULL;
	}
}

void foreign_syscall_continue(void)
{
	struct thread *th = current_thread();
	int result = th->fwd_state;

	th->fwd_state = FOREIGN_IDLE;
	th->state_replaced = false;
	if (result == FOREIGN_PENDING) {
		/* Aborted or terminated: no reply will ever be taken for this call. */
		reply_port_drop(th);
	} else if (result != FOREIGN_DONE) {
		exception_raise_fault(th, EXC_SOFTWARE, result, (int64_t)th->frame->rax);
		th->state_replaced = false;
	}
	thread_exit_to_user(th->frame);
}

void foreign_syscall(struct trap_frame *f)
{
	struct thread *th = current_thread();
	struct ipc_port *port = th->task->syscall_port;
	struct ipc_kmsg *kmsg = NULL;

	(void)f;	/* == th->frame, where the request is written from */
	if (th->terminate_requested)
		return;
	th->state_replaced = false;
	if (!th->fwd_reply) {
		th->fwd_reply = ipc_port_alloc_kernel(IKOT_FOREIGN_REPLY, th);
		waitq_init(&th->fwd_wait);
	}
	if (IP_VALID(port) && port->active && th->fwd_reply) {
		ipc_fastpath_foreign_request(th, port);
		kmsg = request_kmsg(th, port);
	}
	if (!kmsg) {
		th->fwd_state = EXC_FOREIGN_SEND_FAILED;
		foreign_syscall_continue();
	}
	th->fwd_state = FOREIGN_PENDING;
	/* A kernel port as syscall port answers at once, before we would wait. */
	ipc_mqueue_send_kernel(kmsg);
	if (th->fwd_state == FOREIGN_PENDING && !th->terminate_requested) {
		thread_prepare_wait(&th->fwd_wait);
		th->cont = foreign_syscall_continue;
		sched_switch();		/* resumes in the continuation, on a fresh stack */
		__builtin_unreachable();
	}
	foreign_syscall_continue();
}

void foreign_reply_done(struct thread *th, int result)
{
	th->fwd_state = result;
	thread_wakeup(th);
}

/* Conditions: interrupts disabled; runs in the context of whoever sent the message. */
void foreign_reply(struct ipc_kmsg *kmsg)
{
	struct ipc_port *port = kmsg->dest;
	struct thread *th = port->kobject;
	bool once = kmsg->dest_type == MACH_MSG_TYPE_PORT_SEND_ONCE;
	int result = EXC_FOREIGN_BAD_REPLY;

	if (th && th->fwd_state == FOREIGN_PENDING && th->fwd_reply == port && once && !kmsg->reply)
		result = foreign_reply_apply(th, kmsg->msg, kmsg->size);
	/* The reply right is used up by its message (a destroyed one would notify us). */
	if (once) {
		ipc_port_consume_sonce(port);
		kmsg->dest = NULL;
	}
	ipc_kmsg_destroy(kmsg);
	if (th && th->fwd_state == FOREIGN_PENDING && th->fwd_reply == port)
		foreign_reply_done(th, result);
}
