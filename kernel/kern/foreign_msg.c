/*
 * The messages of system-call forwarding (see kern/foreign.h): a request written from
 * a thread's frame, and a reply checked and applied to it. No IPC and no blocking
 * here, so that an IPC fast path can use both on its own buffers (and the host unit
 * tests can run them).
 */
#include <stddef.h>
#include <string.h>
#include <arch/cpu.h>
#include <arch/thread_state.h>
#include <arch/trap.h>
#include <mach/notify.h>
#include <kern/foreign.h>
#include <kern/task.h>
#include <kern/thread.h>

#define REPLY_SHORT	48	/* mig_reply_header_t: what a MIG server sends on error */

#define REGS_WORD		FOREIGN_REGS_WORD
#define INT_WORD		FOREIGN_INT_WORD
#define PORT_WORD		FOREIGN_DESC_WORD(MACH_MSG_TYPE_PORT_SEND, 64)

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

/* A descriptor is two u32, word then number: one little-endian u64 (inlined copies:
   a call to the kernel's memcpy each would cost more than the whole test). */
static void put_desc(uint8_t *at, uint32_t word, uint32_t number)
{
	uint64_t v = FOREIGN_DESC(word, number);

	__builtin_memcpy(at, &v, 8);
}

static bool desc_is(const uint8_t *at, uint32_t word, uint32_t number)
{
	uint64_t v;

	__builtin_memcpy(&v, at, 8);
	return v == FOREIGN_DESC(word, number);
}

/* The registers in the wire order of <mach/personality.h> (unrolled: every call does it). */
static void frame_to_regs(const struct trap_frame *f, uint64_t *r)
{
	r[FOREIGN_REG_RAX] = f->rax;
	r[FOREIGN_REG_RCX] = f->rcx;
	r[FOREIGN_REG_RDX] = f->rdx;
	r[FOREIGN_REG_RBX] = f->rbx;
	r[FOREIGN_REG_RSP] = f->rsp;
	r[FOREIGN_REG_RBP] = f->rbp;
	r[FOREIGN_REG_RSI] = f->rsi;
	r[FOREIGN_REG_RDI] = f->rdi;
	r[FOREIGN_REG_R8] = f->r8;
	r[FOREIGN_REG_R9] = f->r9;
	r[FOREIGN_REG_R10] = f->r10;
	r[FOREIGN_REG_R11] = f->r11;
	r[FOREIGN_REG_R12] = f->r12;
	r[FOREIGN_REG_R13] = f->r13;
	r[FOREIGN_REG_R14] = f->r14;
	r[FOREIGN_REG_R15] = f->r15;
	r[FOREIGN_REG_RIP] = f->rip;
	r[FOREIGN_REG_RFLAGS] = f->rflags;
}

mach_msg_size_t foreign_request_write(struct thread *th, void *buf)
{
	bool ports = th->task->syscall_flags & FOREIGN_WANT_PORTS;
	mach_msg_size_t size = ports ? sizeof(foreign_syscall_ports_request_t) :
				       sizeof(foreign_syscall_request_t);
	mach_msg_header_t *h = buf;
	uint8_t *regs_at = (uint8_t *)buf + size - sizeof(foreign_regs_t) - 8;

	th->fwd_id = ports ? FOREIGN_SYSCALL_PORTS_ID : FOREIGN_SYSCALL_ID;
	h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND) |
		       (ports ? MACH_MSGH_BITS_COMPLEX : 0);
	h->msgh_size = size;
	h->msgh_remote_port_slot = 0;
	h->msgh_protected_payload = 0;
	h->msgh_seqno = 0;
	h->msgh_id = (mach_msg_id_t)th->fwd_id;
	if (ports) {
		foreign_syscall_ports_request_t *m = buf;

		put_desc((uint8_t *)&m->threadType, PORT_WORD, 1);
		m->thread = 0;
		put_desc((uint8_t *)&m->taskType, PORT_WORD, 1);
		m->task = 0;
	}
	put_desc(regs_at, REGS_WORD, FOREIGN_REG_COUNT);
	frame_to_regs(th->frame, (uint64_t *)(regs_at + 8));
	return size;
}

int foreign_reply_apply(struct thread *th, const void *msg, mach_msg_size_t size)
{
	const uint8_t *m = msg;
	const foreign_syscall_reply_t *rp = msg;	/* read in place: buffers are 8-byte aligned */
	foreign_syscall_reply_t r;
	struct trap_frame *f = th->frame;
	uint64_t rip, rsp;
	uint32_t mask;

	if (size < REPLY_SHORT)
		return size == sizeof(mach_msg_header_t) &&
		       ((const mach_msg_header_t *)msg)->msgh_id == MACH_NOTIFY_SEND_ONCE ?
		       EXC_FOREIGN_NO_REPLY : EXC_FOREIGN_BAD_REPLY;
	if (size < sizeof(r)) {		/* a short (error) reply: the fields it has */
		memcpy(&r, m, size);
		rp = &r;
	}
	if (rp->Head.msgh_id != FOREIGN_REPLY_ID((mach_msg_id_t)th->fwd_id) ||
	    (rp->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) || !desc_is(m + 32, INT_WORD, 1))
		return EXC_FOREIGN_BAD_REPLY;
	if (rp->RetCode != KERN_SUCCESS)
		return size == REPLY_SHORT || size == sizeof(r) ? EXC_FOREIGN_REFUSED : EXC_FOREIGN_BAD_REPLY;
	if (size != sizeof(r) || !desc_is(m + offsetof(foreign_syscall_reply_t, maskType), INT_WORD, 1) ||
	    !desc_is(m + offsetof(foreign_syscall_reply_t, new_regsType), REGS_WORD, FOREIGN_REG_COUNT) ||
	    (rp->mask & ~FOREIGN_MASK_ALL))
		return EXC_FOREIGN_BAD_REPLY;
	if (rp->mask & (FOREIGN_MASK(FOREIGN_REG_RIP) | FOREIGN_MASK(FOREIGN_REG_RSP))) {
		rip = (rp->mask & FOREIGN_MASK(FOREIGN_REG_RIP)) ? rp->new_regs[FOREIGN_REG_RIP] : f->rip;
		rsp = (rp->mask & FOREIGN_MASK(FOREIGN_REG_RSP)) ? rp->new_regs[FOREIGN_REG_RSP] : f->rsp;
		if (!is_canonical(rip) || !is_canonical(rsp))
			return EXC_FOREIGN_BAD_STATE;
	}
	for (mask = rp->mask; mask; mask &= mask - 1) {
		int i = __builtin_ctz(mask);

		*frame_reg(f, i) = rp->new_regs[i];
	}
	if (rp->mask & FOREIGN_MASK(FOREIGN_REG_RFLAGS))
		f->rflags = thread_state_user_rflags(f->rflags);
	/* A new state: every register reaches user mode as given (see thread_state.c). */
	if (rp->mask & FOREIGN_MASK_JUMP)
		f->vector = T_USER_IRET;
	return FOREIGN_DONE;
}
