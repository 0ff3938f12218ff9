/*
 * Threads. Each has its own kernel stack; its user state is the trap frame at the
 * top of that stack. A thread blocked in the kernel normally keeps its stack and
 * resumes where it called thread_block(), so kernel code may block anywhere it holds
 * no interrupt-sensitive state (the kernel runs with interrupts disabled). A thread
 * may instead block with a continuation (Mach's term): everything it needs is in the
 * thread and its trap frame, its stack below the frame is given up, and it resumes
 * by running the continuation on a fresh stack. mach_msg's receive blocks that way,
 * which lets the IPC fast path finish a receiver's receive and leave to user mode
 * through the receiver's frame without returning through the receiver's kernel code.
 */
#ifndef _KERN_THREAD_H_
#define _KERN_THREAD_H_

#include <stdbool.h>
#include <stdint.h>
#include <kern/list.h>
#include <kern/timer.h>
#include <arch/percpu.h>
#include <arch/trap.h>

struct task;
struct ipc_kmsg;
struct ipc_port;
struct ipc_pset;

enum thread_state {
	TH_RUN,		/* running, or on a run queue */
	TH_WAIT,	/* blocked in the kernel until thread_wakeup */
	TH_STOPPED,	/* stopped (fault, suspension): not scheduled */
	TH_DEAD,	/* terminated; its stack is freed by the next thread to run */
};

/* Why a thread blocked in waitq_sleep_timeout woke up. */
enum wait_result {
	THREAD_AWAKENED,	/* waitq_wakeup_* */
	THREAD_TIMED_OUT,
	THREAD_INTERRUPTED,	/* aborted or terminated */
};

/* A queue of threads blocked on something. */
struct waitq {
	struct list threads;
};

struct thread {
	struct task *task;
	struct list task_link;		/* in task->threads */
	struct list run_link;		/* in a run queue or a wait queue */
	enum thread_state state;
	int priority;			/* current (0 is highest) */
	int base_priority;
	bool depressed;			/* at DEPRESS_PRIORITY until depress_timer or an abort */
	struct timer depress_timer;
	int max_priority;		/* the highest (numerically lowest) it may take */
	int quantum;			/* timer ticks left before round-robin */
	int suspend_count;		/* thread_suspend minus thread_resume */
	bool terminate_requested;	/* end at the next return to user mode */
	bool state_replaced;		/* thread_set_state wrote the frame: a trap's result
					   must not overwrite rax */
	uint64_t kstack;		/* base of the KSTACK_SIZE kernel stack */
	uint64_t ksp;			/* saved kernel rsp while switched out */
	void (*cont)(void);		/* blocked with a continuation: run this to resume */
	struct trap_frame *frame;	/* user state (NULL for a kernel thread) */
	uint64_t recover;		/* copyin/copyout fault recovery address */
	uint64_t fs_base, gs_base;	/* user segment bases */
	uint32_t debug_regs[8];		/* i386_DEBUG_STATE: kept, not loaded into dr0-7 */
	void *fpu;			/* x87/SSE state (user threads) */
	struct ipc_port *self;		/* the thread's kernel port (user threads) */
	struct ipc_port *exc_port;	/* THREAD_EXCEPTION_PORT: a send right, or NULL */
	char name[64];			/* kernel_debug_name_t (thread_set_name) */
	uint64_t creation_ticks;	/* sched_ticks at creation */
	uint64_t user_ticks, system_ticks;	/* timer ticks charged in each mode */

	/* An exception message in flight (kern/exception.c). */
	struct waitq exc_wait;		/* the faulting thread waits here for the reply */
	int exc_result;			/* EXC_REPLY_* */

	/* Blocking. */
	struct waitq *waitq;		/* the queue it sleeps on, if any */
	enum wait_result wait_result;
	struct timer wait_timer;

	/* IPC receive in progress (see ipc/ipc_mqueue.c). */
	struct ipc_kmsg *ith_kmsg;	/* message handed over by a sender */
	int ith_state;			/* mach_msg_return_t of the receive */
	uint32_t ith_rcv_size;		/* the receiver's buffer size */
	uint32_t ith_option;		/* its mach_msg options */
	uint32_t ith_msize;		/* size of a message too large for the buffer */
	uint32_t ith_seqno;
	struct ipc_port *ith_cancel;	/* MACH_SEND_CANCEL: the notify port during copyin */
	uint64_t ith_msg;		/* the receiver's buffer (user address) */
	struct ipc_port *ith_port;	/* blocked with a continuation: the port (a reference) */
	struct ipc_pset *ith_pset;	/* ... or the port set (a reference) */
	uint32_t ith_notify;		/* ... and its MACH_RCV_NOTIFY name */

	/* A foreign task's system call in flight (kern/foreign.c). It waits on fwd_wait
	 * with the continuation foreign_syscall_continue. */
	struct ipc_port *fwd_reply;	/* its reply port (IKOT_FOREIGN_REPLY), kept between calls */
	int fwd_state;			/* FOREIGN_IDLE / _PENDING / _DONE or an EXC_FOREIGN_* code */
	uint32_t fwd_id;		/* the request's msgh_id */
	struct waitq fwd_wait;
};

static inline struct thread *current_thread(void)
{
	return this_cpu()->thread;
}

extern uint64_t threads_live;

void thread_init(void);
/* A user thread of `task` that will start at rip with rsp (not yet runnable). */
struct thread *thread_create_user(struct task *task, uint64_t rip, uint64_t rsp);
/* A kernel thread running fn(arg), runnable at once. */
struct thread *thread_create_kernel(const char *name, void (*fn)(void *), void *arg, int priority);
void thread_start_running(struct thread *th);

/* Conditions (all): interrupts disabled. May block: thread_block, waitq_sleep_timeout. */
void thread_block(void);			/* caller set state TH_WAIT (or other) */
void thread_wakeup(struct thread *th);		/* TH_WAIT -> TH_RUN */
void waitq_init(struct waitq *wq);
/* Sleeps until woken, until `ticks` timer ticks have passed (0: no timeout), or until
 * the thread is aborted. */
enum wait_result waitq_sleep_timeout(struct waitq *wq, uint64_t ticks);
/* Removes a sleeping thread from its queue and wakes it with the given result. */
void thread_wakeup_with(struct thread *th, enum wait_result result);
/* The same, at the head of its run queue: it runs as soon as the caller blocks. */
void thread_wakeup_first(struct thread *th);
/*
 * Takes a thread that waits without a timer (a continuation wait: see cont) off its
 * queue and makes it TH_RUN without queueing it: the caller switches to it (inline:
 * the IPC fast path's wakeup).
 */
static inline void thread_wakeup_direct(struct thread *th)
{
	list_remove(&th->run_link);
	th->waitq = NULL;
	th->state = TH_RUN;	/* (its wait_result is not read: the caller ends the wait) */
}

/* Puts th, the current thread, on wq as waiting (no timeout); the caller then switches. */
static inline void thread_wait_on(struct thread *th, struct waitq *wq)
{
	th->state = TH_WAIT;
	th->waitq = wq;
	th->wait_result = THREAD_AWAKENED;
	list_push_back(&wq->threads, &th->run_link);
}

static inline void thread_prepare_wait(struct waitq *wq)
{
	thread_wait_on(current_thread(), wq);
}
struct thread *waitq_wakeup_one(struct waitq *wq);
void waitq_wakeup_all(struct waitq *wq);

/* Low-level switching (arch): save callee-saved state, continue on to_sp. */
void context_switch(uint64_t *from_sp, uint64_t to_sp);
/* The same, but continue on the fresh stack below `top` by running thread_switch_tail
 * and then fn, which never returns. */
void call_continuation(uint64_t *from_sp, void (*fn)(void), uint64_t top);
/* Leaves the kernel through frame (the current thread's), on the stack it tops. */
__attribute__((noreturn)) void thread_exit_to_user(struct trap_frame *frame);
/* Leaves through a syscall frame untouched since its entry, with no check (fast path). */
__attribute__((noreturn)) void thread_sysret(struct trap_frame *frame);
/* Ends the current thread's system call with `value` in rax, from any stack depth. */
__attribute__((noreturn)) void thread_syscall_return(uint64_t value);
/* Runs on the new thread's stack after every switch: frees a dead thread. */
void thread_switch_tail(void);

/* Ends a thread: itself at once, another at its next return to user mode. */
void thread_request_terminate(struct thread *th);
__attribute__((noreturn)) void thread_terminate_self(void);

/*
 * Suspension. A thread is held while its own or its task's suspend count is above
 * zero; it stops at its next return to user mode (a thread blocked in the kernel
 * finishes its wait first). thread_hold_changed restarts a stopped thread that is no
 * longer held. Conditions: interrupts disabled.
 */
bool thread_held(const struct thread *th);
void thread_hold_changed(struct thread *th);
/* Called on the way to user mode: waits while held; ends the thread if asked to. */
void thread_stop_point(void);
/* Sets the scheduling priority (0 highest), moving the thread in its run queue. */
void thread_set_priority(struct thread *th, int priority);
/*
 * Priority depression (thread_switch's SWITCH_OPTION_DEPRESS, swtch_pri): th runs at
 * the lowest priority, DEPRESS_PRIORITY, for `ticks` timer ticks (0: until aborted);
 * thread_depress_end ends it at once. Its base priority is kept and can change.
 */
void thread_depress(struct thread *th, uint64_t ticks);
void thread_depress_end(struct thread *th);

#endif /* _KERN_THREAD_H_ */
