/*
 * The IPC fast path. A send-and-receive of the RPC shape (request: COPY_SEND with a
 * MAKE_SEND_ONCE reply port; reply: MOVE_SEND_ONCE with no reply port), simple and
 * small, to a port whose receiver waits with a continuation (ipc_receive_wait), while
 * our own receive would block: the message goes from the sender's buffer to the
 * receiver's with no kernel message and no queue, the sender waits for its reply with
 * a continuation, and the processor leaves straight to the receiver's user mode. No
 * kernel stack is unwound on either side.
 *
 * Everything is checked before anything changes: when a check fails nothing has
 * happened, and the normal path runs.
 *
 * A foreign task's system call (kern/foreign.c) takes the same road both ways: the
 * request into its personality's waiting thread (ipc_fastpath_foreign_request), the
 * reply from there straight back into the guest's frame (foreign_reply_fast).
 */
#include <ipc/ipc_fastpath.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_space.h>
#include <ipc/mach_msg.h>
#include <kern/foreign.h>
#include <kern/sched.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/uaccess.h>

uint64_t ipc_fast_sends;

_Static_assert((MACH_SEND_MSG | MACH_RCV_MSG) == 3, "entry.S sends option 3 here");

/* A receive from `name` would block: on *port (alone, not in a set) or on *pset. */
static bool idle_receive(struct ipc_space *space, mach_port_name_t name, struct ipc_port **port,
			 struct ipc_pset **pset)
{
	struct ipc_entry *e = ipc_entry_lookup(space, name);

	if (!e)
		return false;
	if (e->type & MACH_PORT_TYPE_PORT_SET) {
		*pset = e->object;
		return !(*pset)->msgcount;
	}
	if (!(e->type & MACH_PORT_TYPE_RECEIVE))
		return false;
	*port = e->object;
	return !(*port)->pset && !(*port)->msgcount;
}

/*
 * The thread that a message of `size` bytes to port can go straight to: one waiting
 * on port itself, or on its set, with a continuation, its buffer large enough, no
 * MACH_RCV_NOTIFY, and no more urgent thread runnable. NULL if there is none.
 */
static inline __attribute__((always_inline))
struct thread *receiver(struct ipc_port *port, mach_msg_size_t size)
{
	struct thread *r;

	if (!port->active || port->msgcount)
		return NULL;
	if (!list_empty(&port->receivers.threads))
		r = list_entry(port->receivers.threads.next, struct thread, run_link);
	else if (port->pset && !list_empty(&port->pset->receivers.threads))
		r = list_entry(port->pset->receivers.threads.next, struct thread, run_link);
	else
		return NULL;
	if (r->cont != ipc_receive_continue ||
	    !(r->ith_port == port || (port->pset && r->ith_pset == port->pset)) ||
	    r->state_replaced ||
	    size > r->ith_rcv_size || (r->ith_option & MACH_RCV_NOTIFY) || !r->task->space ||
	    !sched_may_handoff(r))
		return NULL;
	return r;
}

/*
 * Ends r's receive on port (from receiver()) with the message of size bytes at msg,
 * already in r's terms and with its rights moved, and leaves to user mode as r. The
 * caller has made itself wait. With regs, msg is only a forwarded request's header and
 * descriptor, and the registers come from that frame (copy_foreign_request).
 */
static inline __attribute__((always_inline, noreturn))
void deliver(struct thread *self, struct thread *r, struct ipc_port *port, const void *msg,
	     mach_msg_size_t size, const struct trap_frame *regs)
{
	mach_msg_return_t mr = MACH_MSG_SUCCESS;

	thread_wakeup_direct(r);
	r->cont = NULL;
	sched_load_user(self, r);
	if (!regs) {
		if (copyout_qwords(r, msg, r->ith_msg, size) != KERN_SUCCESS)
			mr = MACH_RCV_INVALID_DATA;
	} else if (!user_range_ok_small(r->ith_msg, size)) {
		mr = MACH_RCV_INVALID_DATA;
	} else {
		r->recover = (uint64_t)copy_user_fault;
		if (copy_foreign_request((void *)r->ith_msg, msg, regs))
			mr = MACH_RCV_INVALID_DATA;
		r->recover = 0;
	}
	r->task->messages_received++;
	/*
	 * Drop r's wait reference. Never the last: r waited on a live port whose receive
	 * right (or on a set whose name) r's space holds, and that holds a reference too.
	 */
	if (r->ith_port) {
		r->ith_port = NULL;
		port->refs--;
	} else {
		r->ith_pset->refs--;
		r->ith_pset = NULL;
	}
	if (thread_stop_pending(r) || this_cpu()->need_resched)
		thread_syscall_return(mr);	/* by return_to_user_prepare */
	r->frame->rax = mr;
	thread_sysret(r->frame);
}

_Static_assert(sizeof(foreign_syscall_request_t) == 184, "copy_foreign_request writes 184 bytes");
_Static_assert(offsetof(struct trap_frame, rcx) == 96 && offsetof(struct trap_frame, rdx) == 88 &&
	       offsetof(struct trap_frame, rbx) == 104 && offsetof(struct trap_frame, rbp) == 64 &&
	       offsetof(struct trap_frame, rsi) == 80 && offsetof(struct trap_frame, rdi) == 72 &&
	       offsetof(struct trap_frame, r8) == 56 && offsetof(struct trap_frame, r14) == 8 &&
	       offsetof(struct trap_frame, rflags) == TF_RFLAGS, "copy_foreign_request's offsets");

void ipc_fastpath_foreign_request(struct thread *th, struct ipc_port *port)
{
	/* The header and the registers' descriptor; the registers go from th's frame. */
	uint64_t head[5];
	mach_msg_header_t *h = (mach_msg_header_t *)head;
	const mach_msg_size_t size = sizeof(foreign_syscall_request_t);
	struct thread *r;
	struct ipc_entry *re;
	mach_port_name_t name;

	/* sched_load_user leaves no task with an I/O bitmap. */
	if ((th->task->syscall_flags & FOREIGN_WANT_PORTS) || !(r = receiver(port, size)) ||
	    (th->task->entry_flags & TASK_ENTRY_IOMAP) || !(re = ipc_entry_alloc_quick(r->task->space, &name)))
		return;
	re->object = ipc_port_make_send_once(th->fwd_reply);
	re->type = MACH_PORT_TYPE_SEND_ONCE;
	re->urefs = 1;
	th->fwd_id = FOREIGN_SYSCALL_ID;
	h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND);
	h->msgh_size = size;
	h->msgh_remote_port_slot = name;
	h->msgh_id = FOREIGN_SYSCALL_ID;
	ipc_fastpath_address(h, port);
	head[4] = FOREIGN_DESC(FOREIGN_REGS_WORD, FOREIGN_REG_COUNT);
	th->fwd_state = FOREIGN_PENDING;
	thread_wait_on(th, &th->fwd_wait);
	th->cont = foreign_syscall_continue;
	deliver(th, r, port, head, size, th->frame);
}

/*
 * foreign_reply_apply, with the commonest reply checked here: an ordinary return that
 * sets rax alone, in exactly the shape foreign_reply_apply wants (the same tests, in
 * one place, without a call).
 */
static inline __attribute__((always_inline)) int
reply_apply(struct thread *t, const void *buf, mach_msg_size_t send_size)
{
	const foreign_syscall_reply_t *rp = buf;
	const uint64_t *d = buf;	/* the descriptors as u64, at 32, 48 and 64 */

	if (send_size == sizeof(*rp) && rp->mask == FOREIGN_MASK(FOREIGN_REG_RAX) &&
	    rp->Head.msgh_id == FOREIGN_REPLY_ID((mach_msg_id_t)t->fwd_id) &&
	    !(rp->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) && rp->RetCode == KERN_SUCCESS &&
	    d[4] == FOREIGN_DESC(FOREIGN_INT_WORD, 1) && d[6] == FOREIGN_DESC(FOREIGN_INT_WORD, 1) &&
	    d[8] == FOREIGN_DESC(FOREIGN_REGS_WORD, FOREIGN_REG_COUNT)) {
		t->frame->rax = rp->new_regs[FOREIGN_REG_RAX];
		return FOREIGN_DONE;
	}
	return foreign_reply_apply(t, buf, send_size);
}

/*
 * A reply (send_size bytes in buf, sent with the send-once right of entry de) to a
 * foreign thread's system call: checked and applied to the thread's frame, then we
 * wait on own and leave as the guest. Returns, having changed nothing, to decline.
 */
static __attribute__((noinline)) void
foreign_reply_fast(struct thread *self, struct ipc_entry *de, const void *buf, mach_msg_size_t send_size,
		   struct ipc_port *own, struct ipc_pset *own_set, struct trap_frame *f)
{
	struct ipc_port *port = de->object;
	struct thread *t = port->kobject;

	if (!t || t->fwd_state != FOREIGN_PENDING || t->fwd_reply != port ||
	    t->cont != foreign_syscall_continue ||
	    !sched_may_handoff(t) || reply_apply(t, buf, send_size) != FOREIGN_DONE)
		return;
	de->type = 0;
	ipc_entry_free(self->task->space, de);
	ipc_port_consume_sonce(port);
	ipc_fast_sends++;
	self->task->messages_sent++;
	ipc_receive_wait(self, own, own_set, f->rdi, MACH_SEND_MSG | MACH_RCV_MSG, (mach_msg_size_t)f->r10,
			 MACH_PORT_NULL);
	thread_wakeup_direct(t);
	t->cont = NULL;
	t->fwd_state = FOREIGN_DONE;
	sched_load_user(self, t);
	if (thread_stop_pending(t) || this_cpu()->need_resched || t->frame->vector != T_SYSCALL)
		foreign_syscall_continue();	/* a jump leaves by iretq */
	t->fwd_state = FOREIGN_IDLE;
	t->state_replaced = false;
	thread_sysret(t->frame);
}

void ipc_fastpath_rpc(struct trap_frame *f)
{
	struct thread *self = current_thread(), *r;
	struct ipc_space *space = self->task->space;
	uint64_t msg = f->rdi;
	mach_msg_size_t send_size = (mach_msg_size_t)f->rdx;
	uint64_t buf[IPC_FAST_MAX / 8];
	mach_msg_header_t *h = (mach_msg_header_t *)buf;
	mach_msg_type_name_t rdisp, ldisp;
	struct ipc_entry *de, *re = NULL;
	struct ipc_port *port, *rport = NULL, *own = NULL;
	struct ipc_pset *own_set = NULL;
	mach_port_name_t reply_name = MACH_PORT_NULL;

	if (!space || send_size < sizeof(*h) || send_size % 8 || send_size > IPC_FAST_MAX ||
	    copyin_qwords(self, msg, buf, send_size) != KERN_SUCCESS ||
	    (h->msgh_bits & ~(MACH_MSGH_BITS_REMOTE_MASK | MACH_MSGH_BITS_LOCAL_MASK))) {
		if (send_size > IPC_FAST_MAX)
			ipc_fastpath_kernel(f, NULL);	/* (a large request to a kernel object) */
		return;
	}
	rdisp = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
	ldisp = MACH_MSGH_BITS_LOCAL(h->msgh_bits);

	/* The destination: a copied send right, or a send-once right moved. */
	de = ipc_entry_lookup(space, (mach_port_name_t)h->msgh_remote_port_slot);
	if (!de || de->dnrequest ||
	    !((rdisp == MACH_MSG_TYPE_COPY_SEND && (de->type & MACH_PORT_TYPE_SEND)) ||
	      (rdisp == MACH_MSG_TYPE_MOVE_SEND_ONCE && de->type == MACH_PORT_TYPE_SEND_ONCE)))
		return;
	port = de->object;
	/* Our own receive, which must be one that blocks. */
	if (!idle_receive(space, (mach_port_name_t)f->r8, &own, &own_set))
		return;
	if (port->kotype == IKOT_FOREIGN_REPLY) {
		if (rdisp == MACH_MSG_TYPE_MOVE_SEND_ONCE && ldisp == 0 &&
		    (mach_port_name_t)h->msgh_protected_payload == MACH_PORT_NULL)
			foreign_reply_fast(self, de, buf, send_size, own, own_set, f);
		return;
	}
	r = receiver(port, send_size);
	if (!r) {
		if (port->receiver == ipc_space_kernel)
			ipc_fastpath_kernel(f, h);
		return;
	}

	/* The reply: none, or a send-once right made from a receive right. */
	if (ldisp == MACH_MSG_TYPE_MAKE_SEND_ONCE) {
		struct ipc_entry *le = ipc_entry_lookup(space, (mach_port_name_t)h->msgh_protected_payload);

		if (!le || !(le->type & MACH_PORT_TYPE_RECEIVE))
			return;
		rport = le->object;
		re = ipc_entry_alloc_quick(r->task->space, &reply_name);
		if (!re)
			return;
		/* Committed from here: the rights move and the header becomes the receiver's. */
		re->object = ipc_port_make_send_once(rport);
		re->type = MACH_PORT_TYPE_SEND_ONCE;
		re->urefs = 1;
	} else if (ldisp != 0 || (mach_port_name_t)h->msgh_protected_payload != MACH_PORT_NULL) {
		return;
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
	ipc_fastpath_address(h, port);

	self->task->messages_sent++;
	/* We wait for our reply; r's receive ends here, and we leave as r. */
	ipc_receive_wait(self, own, own_set, msg, MACH_SEND_MSG | MACH_RCV_MSG, (mach_msg_size_t)f->r10,
			 MACH_PORT_NULL);
	deliver(self, r, port, buf, send_size, NULL);
}
