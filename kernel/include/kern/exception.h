/*
 * Exceptions (ABI section 8): a user thread's fault becomes an exception_raise
 * message to the thread's exception port, then to its task's; the thread waits in the
 * kernel for the handler's reply. Without a handler that answers KERN_SUCCESS the task
 * is terminated.
 */
#ifndef _KERN_EXCEPTION_H_
#define _KERN_EXCEPTION_H_

#include <stdint.h>

struct thread;
struct ipc_kmsg;

/* Exception types and the x86_64 codes (ABI section 8). */
#define EXC_BAD_ACCESS		1
#define EXC_BAD_INSTRUCTION	2
#define EXC_ARITHMETIC		3
#define EXC_EMULATION		4
#define EXC_SOFTWARE		5
#define EXC_BREAKPOINT		6

#define EXC_I386_INVOP		1	/* EXC_BAD_INSTRUCTION */
#define EXC_I386_INVTSSFLT	10
#define EXC_I386_SEGNPFLT	11
#define EXC_I386_STKFLT		12
#define EXC_I386_GPFLT		13
#define EXC_I386_PGFLT		14	/* EXC_BAD_ACCESS on a kernel address (optional) */
#define EXC_I386_DIV		1	/* EXC_ARITHMETIC */
#define EXC_I386_INTO		2
#define EXC_I386_NOEXT		3
#define EXC_I386_EXTOVR		4
#define EXC_I386_EXTERR		5
#define EXC_I386_EMERR		6
#define EXC_I386_SSEEXTERR	8	/* #XM: this kernel's choice (the ABI leaves it free) */
#define EXC_I386_BOUND		7	/* EXC_SOFTWARE */
#define EXC_I386_SGL		1	/* EXC_BREAKPOINT: #DB */
#define EXC_I386_BPT		2	/* EXC_BREAKPOINT: int3 */

/* What became of one exception message (thread->exc_result). */
#define EXC_REPLY_PENDING	0
#define EXC_REPLY_HANDLED	1	/* RetCode KERN_SUCCESS */
#define EXC_REPLY_FAILED	2	/* another RetCode, a malformed reply, or no reply possible */

/*
 * The single entry point for user faults (traps, unresolved page faults, bad trap
 * numbers and arguments): raises exception `exc` with code and subcode for th, the
 * current thread. Returns when the thread may go back to user mode: a handler answered
 * KERN_SUCCESS (the frame may have been changed with thread_set_state), the wait was
 * aborted, or the thread or its task is being terminated (no handler: the task is
 * terminated here, and the thread ends on its way out).
 * Conditions: interrupts disabled; th == current_thread(); may block.
 */
void exception_raise_fault(struct thread *th, int exc, int code, int64_t subcode);

/* A message arrived on an exception reply port (ipc_kobject_server); consumes it. */
void exception_reply(struct ipc_kmsg *kmsg);

#endif /* _KERN_EXCEPTION_H_ */
