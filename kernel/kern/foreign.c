/*
 * System-call forwarding for foreign tasks (see kern/foreign.h): the request, the
 * continuation wait, and the reply.
 */
#include <stddef.h>
#include <string.h>
#include <arch/cpu.h>
#include <arch/thread_state.h>
#include <arch/trap.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_port.h>
#include <mach/notify.h>
#include <kern/exception.h>
#include <kern/foreign.h>
#include <kern/sched.h>
#include <kern/task.h>
#include <kern/thread.h>

#define REPLY_SHORT	48	/* mig_reply_header_t: what a MIG server sends on error */

/* A type descriptor's first word: name, bits per element, inline (ABI 3.2). */
#define DESC_WORD(name, bits)	((uint32_t)(name) | ((uint32_t)(bits) << 8) | 0x20000000u)
#define REGS_WORD		DESC_WORD(MACH_MSG_TYPE_INTEGER_64, 64)
#define INT_WORD		DESC_WORD(MACH_MSG_TYPE_INTEGER_32, 32)
#define PORT_WORD		DESC_WORD(MACH_MSG_TYPE_PORT_SEND, 64)

/* Where each FOREIGN_REG_* lives in the trap frame. */
static const uint8_t frame_offset[FOREIGN_REG_COUNT] = {
	[FOREIGN_REG_RAX] = offsetof(struct trap_frame, rax),
	[FOREIGN_REG_RCX] = offsetof(struct trap_frame, rcx),
	[FOREIGN_REG_RDX] = offsetof(struct trap_frame, rdx),
	[FOREIGN_REG_RBX] = offsetof(struct trap_frame, rbx),
	[FOREIGN_REG_RSP] = offsetof(struct trap_frame, rsp),
	[FOREIGN_REG_RBP] = offsetof(struct trap_frame, rbp),
	[FOREIGN_REG_RSI] = offsetof(struct trap_frame, rsi),
	[FOREIGN_REG_RDI] = offsetof(struct trap_frame, rdi),
	[FOREIGN_REG_R8] = offsetof(struct trap_frame, r8),
	[FOREIGN_REG_R9] = offsetof(struct trap_frame, r9),
	[FOREIGN_REG_R10] = offsetof(struct trap_frame, r10),
	[FOREIGN_REG_R11] = offsetof(struct trap_frame, r11),
	[FOREIGN_REG_R12] = offsetof(struct trap_frame, r12),
	[FOREIGN_REG_R13] = offsetof(struct trap_frame, r13),
	[FOREIGN_REG_R14] = offsetof(struct trap_frame, r14),
	[FOREIGN_REG_R15] = offsetof(struct trap_frame, r15),
	[FOREIGN_REG_RIP] = offsetof(struct trap_frame, rip),
	[FOREIGN_REG_RFLAGS] = offsetof(struct trap_frame, rflags),
};

static uint64_t *frame_reg(struct trap_frame *f, int r)
{
	return (uint64_t *)((uint8_t *)f + frame_offset[r]);
}

static void put_desc(uint8_t *at, uint32_t word, uint32_t number)
{
	memcpy(at, &word, 4);
	memcpy(at + 4, &number, 4);
}

static bool desc_is(const uint8_t *at, uint32_t word, uint32_t number)
{
	uint32_t w, n;

	memcpy(&w, at, 4);
	memcpy(&n, at + 4, 4);
	return w == word && n == number;
}

mach_msg_size_t foreign_request_write(struct thread *th, void *buf)
{
	bool ports = th->task->syscall_flags & FOREIGN_WANT_PORTS;
	mach_msg_size_t size = ports ? sizeof(foreign_syscall_ports_request_t) :
				       sizeof(foreign_syscall_request_t);
	mach_msg_header_t *h = buf;
	uint8_t *regs_at = (uint8_t *)buf + size - sizeof(foreign_regs_t) - 8;
	uint64_t regs[FOREIGN_REG_COUNT];

	memset(buf, 0, size);
	th->fwd_id = ports ? FOREIGN_SYSCALL_PORTS_ID : FOREIGN_SYSCALL_ID;
	h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND) |
		       (ports ? MACH_MSGH_BITS_COMPLEX : 0);
	h->msgh_size = size;
	h->msgh_id = (mach_msg_id_t)th->fwd_id;
	if (ports) {
		put_desc((uint8_t *)buf + offsetof(foreign_syscall_ports_request_t, threadType), PORT_WORD, 1);
		put_desc((uint8_t *)buf + offsetof(foreign_syscall_ports_request_t, taskType), PORT_WORD, 1);
	}
	put_desc(regs_at, REGS_WORD, FOREIGN_REG_COUNT);
	for (int r = 0; r < FOREIGN_REG_COUNT; r++)
		regs[r] = *frame_reg(th->frame, r);
	memcpy(regs_at + 8, regs, sizeof(regs));
	return size;
}

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

	if (th->terminate_requested)
		return;
	th->state_replaced = false;
	if (!th->fwd_reply) {
		th->fwd_reply = ipc_port_alloc_kernel(IKOT_FOREIGN_REPLY, th);
		waitq_init(&th->fwd_wait);
	}
	if (!IP_VALID(port) || !port->active || !th->fwd_reply || !(kmsg = request_kmsg(th, port))) {
		th->fwd_state = EXC_FOREIGN_SEND_FAILED;
		foreign_syscall_continue();
	}
	th->fwd_state = FOREIGN_PENDING;
	/* A kernel port as syscall port answers at once, before we would wait. */
	ipc_mqueue_send_kernel(kmsg);
	if (th->fwd_state == FOREIGN_PENDING && !th->terminate_requested) {
		thread_prepare_wait(&th->fwd_wait);
		th->cont = foreign_syscall_continue;
		sched_switch();
	}
	(void)f;
	foreign_syscall_continue();
}

int foreign_reply_apply(struct thread *th, const void *msg, mach_msg_size_t size)
{
	const uint8_t *m = msg;
	foreign_syscall_reply_t r;
	struct trap_frame *f = th->frame;
	uint64_t rip, rsp;

	if (size < REPLY_SHORT)
		return size == sizeof(mach_msg_header_t) &&
		       ((const mach_msg_header_t *)msg)->msgh_id == MACH_NOTIFY_SEND_ONCE ?
		       EXC_FOREIGN_NO_REPLY : EXC_FOREIGN_BAD_REPLY;
	memcpy(&r, m, size < sizeof(r) ? size : sizeof(r));
	if (r.Head.msgh_id != FOREIGN_REPLY_ID((mach_msg_id_t)th->fwd_id) ||
	    (r.Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) || !desc_is(m + 32, INT_WORD, 1))
		return EXC_FOREIGN_BAD_REPLY;
	if (r.RetCode != KERN_SUCCESS)
		return size == REPLY_SHORT || size == sizeof(r) ? EXC_FOREIGN_REFUSED : EXC_FOREIGN_BAD_REPLY;
	if (size != sizeof(r) || !desc_is(m + offsetof(foreign_syscall_reply_t, maskType), INT_WORD, 1) ||
	    !desc_is(m + offsetof(foreign_syscall_reply_t, new_regsType), REGS_WORD, FOREIGN_REG_COUNT) ||
	    (r.mask & ~FOREIGN_MASK_ALL))
		return EXC_FOREIGN_BAD_REPLY;
	rip = (r.mask & FOREIGN_MASK(FOREIGN_REG_RIP)) ? r.new_regs[FOREIGN_REG_RIP] : f->rip;
	rsp = (r.mask & FOREIGN_MASK(FOREIGN_REG_RSP)) ? r.new_regs[FOREIGN_REG_RSP] : f->rsp;
	if (!is_canonical(rip) || !is_canonical(rsp))
		return EXC_FOREIGN_BAD_STATE;
	for (int i = 0; i < FOREIGN_REG_COUNT; i++)
		if (r.mask & FOREIGN_MASK(i))
			*frame_reg(f, i) = r.new_regs[i];
	if (r.mask & FOREIGN_MASK(FOREIGN_REG_RFLAGS))
		f->rflags = thread_state_user_rflags(f->rflags);
	/* A new state: every register reaches user mode as given (see thread_state.c). */
	if (r.mask & FOREIGN_MASK_JUMP)
		f->vector = T_USER_IRET;
	return FOREIGN_DONE;
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
