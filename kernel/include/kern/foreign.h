/*
 * System-call forwarding for foreign tasks (personalities; docs/personality-forwarding.md).
 * A foreign task's `syscall` instruction never reaches a Mach trap: entry.S sends it
 * to foreign_syscall, which sends one request (<mach/personality.h>) to the task's
 * syscall port with a send-once right made from the thread's reply port, a kernel
 * port of type IKOT_FOREIGN_REPLY kept between calls, and waits with a continuation.
 * The reply, served by ipc_kobject_server in the replier's context, is checked and
 * applied to the thread's frame there; the thread then leaves to user mode from the
 * continuation, or takes an EXC_SOFTWARE exception if something failed.
 *
 * The pieces an IPC fast path needs are separate: foreign_request_write (the request
 * as its receiver sees it), foreign_reply_apply (a reply given as bytes) and
 * foreign_syscall_continue (how the waiting thread leaves).
 */
#ifndef _KERN_FOREIGN_H_
#define _KERN_FOREIGN_H_

#include <stdint.h>
#include <mach/message.h>
#include <mach/personality.h>

struct thread;
struct ipc_kmsg;
struct trap_frame;

/* th->fwd_state: a call in flight, answered, or failed with an EXC_FOREIGN_* code. */
#define FOREIGN_IDLE		0
#define FOREIGN_PENDING		(-1)
#define FOREIGN_DONE		1	/* the reply was applied to the frame */

/*
 * The syscall instruction of a foreign task (f: the current thread's frame, built by
 * entry.S). Returns only when there is nothing to do (the thread is being
 * terminated); otherwise it leaves to user mode itself.
 * Conditions: interrupts disabled; the current task is foreign.
 */
void foreign_syscall(struct trap_frame *f);

/*
 * Writes the request for th's system call (its frame's registers) into buf as the
 * receiver will see it: header and body, FOREIGN_REQUEST_MAX bytes at most; returns
 * its size. The header's bits are the received ones (reply PORT_SEND_ONCE, local
 * PORT_SEND, COMPLEX with ports) and its id the one recorded in th->fwd_id. The
 * caller fills in msgh_remote_port (the receiver's name for the reply right),
 * msgh_local_port (its name for the syscall port, or the protected payload, with the
 * local bits then PROTECTED_PAYLOAD) and msgh_seqno; with FOREIGN_WANT_PORTS also the
 * thread and task slots (names in the receiver's space; they are left 0).
 * Conditions: interrupts disabled; th belongs to a foreign task.
 */
#define FOREIGN_REQUEST_MAX	216
mach_msg_size_t foreign_request_write(struct thread *th, void *buf);

/*
 * Checks a reply (size bytes at msg, header included) against the exact shape of
 * <mach/personality.h> for th's pending call, and applies it to th's frame: the masked
 * registers; rip and rsp must be canonical, rflags is sanitized as thread_set_state
 * does, and a state change (FOREIGN_MASK_JUMP) makes the frame leave by iretq. Returns
 * FOREIGN_DONE, or the EXC_FOREIGN_* reason it failed (nothing changed then). The
 * caller has checked the header's rights: sent with th's send-once reply right, no
 * reply port. It does not wake th (see foreign_reply_done).
 * Conditions: interrupts disabled; th is waiting for this reply.
 */
int foreign_reply_apply(struct thread *th, const void *msg, mach_msg_size_t size);

/* A type descriptor's first word: name, bits per element, inline (ABI 3.2). */
#define FOREIGN_DESC_WORD(name, bits)	((uint32_t)(name) | ((uint32_t)(bits) << 8) | 0x20000000u)
#define FOREIGN_REGS_WORD	FOREIGN_DESC_WORD(MACH_MSG_TYPE_INTEGER_64, 64)
#define FOREIGN_INT_WORD	FOREIGN_DESC_WORD(MACH_MSG_TYPE_INTEGER_32, 32)
/* A whole descriptor (word, then number) as one little-endian u64. */
#define FOREIGN_DESC(word, number)	((uint64_t)(number) << 32 | (word))

/* Records the outcome for a waiting th (FOREIGN_DONE or EXC_FOREIGN_*) and wakes it. */
void foreign_reply_done(struct thread *th, int result);

/*
 * How a forwarding thread leaves once its wait is over: the current thread's reply
 * was applied (to user mode), failed (the exception first), or never came (aborted or
 * terminated). Runs as the wait's continuation, or from a fast path that made th
 * current (sched_load) after foreign_reply_apply + recording th->fwd_state.
 */
__attribute__((noreturn)) void foreign_syscall_continue(void);

/* A message arrived on a thread's reply port (ipc_kobject_server); consumes it. */
void foreign_reply(struct ipc_kmsg *kmsg);

#endif /* _KERN_FOREIGN_H_ */
