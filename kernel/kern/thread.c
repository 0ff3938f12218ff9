/* Threads: creation, blocking and wakeup, stopping and termination. */
#include <string.h>
#include <arch/fpu.h>
#include <arch/gdt.h>
#include <arch/trap.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_right.h>
#include <kern/kstack.h>
#include <kern/layout.h>
#include <kern/printf.h>
#include <kern/sched.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/zalloc.h>

#define RFLAGS_USER_INITIAL	0x200	/* IF only (ABI section 9; the CPU sets bit 1 itself) */

static struct zone thread_zone;
static struct thread boot_thread;
static struct thread *dead_thread;	/* to be freed by the next thread to run */
uint64_t threads_live;

/* Entry points in entry.S. */
void thread_start(void);
void kthread_start(void);

void thread_init(void)
{
	extern char boot_stack_high[];

	zone_init(&thread_zone, "thread", sizeof(struct thread));
	/* The boot thread: it will become the idle thread. */
	boot_thread.task = &kernel_task;
	boot_thread.state = TH_RUN;
	boot_thread.kstack = (uint64_t)boot_stack_high;
	strlcpy(boot_thread.name, "idle", sizeof(boot_thread.name));
	list_init(&boot_thread.run_link);
	list_push_back(&kernel_task.threads, &boot_thread.task_link);
	kernel_task.thread_count++;
	cpu0.thread = &boot_thread;
}

static void wait_timeout(void *arg);
static void depress_timeout(void *arg);

static struct thread *thread_alloc(struct task *task, const char *name)
{
	struct thread *th = zalloc(&thread_zone);

	if (!th)
		return NULL;
	memset(th, 0, sizeof(*th));
	th->kstack = kstack_alloc();
	if (!th->kstack) {
		zfree(&thread_zone, th);
		return NULL;
	}
	th->task = task;
	th->state = TH_STOPPED;
	th->priority = th->base_priority = task->priority;
	th->max_priority = task->max_priority;
	th->quantum = SCHED_QUANTUM;
	th->creation_ticks = sched_ticks;
	waitq_init(&th->exc_wait);
	strlcpy(th->name, name, sizeof(th->name));
	list_init(&th->run_link);
	timer_init(&th->wait_timer, wait_timeout, th);
	timer_init(&th->depress_timer, depress_timeout, th);
	task_reference(task);
	threads_live++;
	list_push_back(&task->threads, &th->task_link);
	task->thread_count++;
	return th;
}

static void thread_free(struct thread *th)
{
	struct task *task = th->task;

	if (th->state != TH_DEAD) {	/* a dead thread left its task already */
		list_remove(&th->task_link);
		task->thread_count--;
	}
	timer_cancel(&th->depress_timer);
	task->dead_user_ticks += th->user_ticks;
	task->dead_system_ticks += th->system_ticks;
	if (th->fpu)
		fpu_state_free(th->fpu);
	ipc_right_release(th->exc_port, MACH_MSG_TYPE_PORT_SEND);
	if (th->self)
		ipc_kobject_destroy(th->self);	/* its send rights become dead names */
	if (th->fwd_reply)
		ipc_kobject_destroy(th->fwd_reply);	/* kern/foreign.c */
	threads_live--;
	kstack_free(th->kstack);
	zfree(&thread_zone, th);
	task_release(task);
}

/* Lays out the kernel stack so that the first switch to th "returns" into entry. */
static void prepare_stack(struct thread *th, uint64_t top, void (*entry)(void),
			  uint64_t r12, uint64_t r13)
{
	uint64_t *sp = (uint64_t *)top;

	*--sp = (uint64_t)entry;
	*--sp = 0;		/* rbp */
	*--sp = 0;		/* rbx */
	*--sp = r12;
	*--sp = r13;
	*--sp = 0;		/* r14 */
	*--sp = 0;		/* r15 */
	th->ksp = (uint64_t)sp;
}

struct thread *thread_create_user(struct task *task, uint64_t rip, uint64_t rsp)
{
	struct thread *th = thread_alloc(task, task->name);
	struct trap_frame *f;

	if (!th)
		return NULL;
	th->fpu = fpu_state_alloc();
	th->self = ipc_port_alloc_kernel(IKOT_THREAD, th);
	if (!th->fpu || !th->self) {
		thread_free(th);
		return NULL;
	}
	f = (struct trap_frame *)(th->kstack + KSTACK_SIZE) - 1;
	memset(f, 0, sizeof(*f));
	f->rip = rip;
	f->rsp = rsp;
	f->cs = USER_CS;
	f->ss = USER_SS;
	f->rflags = RFLAGS_USER_INITIAL;
	f->vector = T_USER_IRET;
	th->frame = f;
	prepare_stack(th, (uint64_t)f, thread_start, 0, 0);
	return th;
}

struct thread *thread_create_kernel(const char *name, void (*fn)(void *), void *arg, int priority)
{
	struct thread *th = thread_alloc(&kernel_task, name);

	if (!th)
		return NULL;
	th->priority = th->base_priority = priority;
	prepare_stack(th, th->kstack + KSTACK_SIZE, kthread_start, (uint64_t)fn, (uint64_t)arg);
	thread_start_running(th);
	return th;
}

void thread_start_running(struct thread *th)
{
	th->state = TH_RUN;
	sched_enqueue(th);
}

void thread_switch_tail(void)
{
	struct thread *dead = dead_thread;

	if (dead && dead != current_thread()) {
		dead_thread = NULL;
		thread_free(dead);
	}
}

/* Called from entry.S on a new thread's first run. */
void thread_start_tail(void)
{
	thread_switch_tail();
}

void thread_block(void)
{
	sched_switch();
}

void thread_wakeup(struct thread *th)
{
	thread_wakeup_with(th, THREAD_AWAKENED);
}

void waitq_init(struct waitq *wq)
{
	list_init(&wq->threads);
}

static void wakeup(struct thread *th, enum wait_result result, bool first)
{
	if (th->state != TH_WAIT)
		return;
	if (th->waitq) {
		list_remove(&th->run_link);
		th->waitq = NULL;
	}
	timer_cancel(&th->wait_timer);
	th->wait_result = result;
	th->state = TH_RUN;
	if (first)
		sched_enqueue_first(th);
	else
		sched_enqueue(th);
}

void thread_wakeup_with(struct thread *th, enum wait_result result)
{
	wakeup(th, result, false);
}

void thread_wakeup_first(struct thread *th)
{
	wakeup(th, THREAD_AWAKENED, true);
}


static void wait_timeout(void *arg)
{
	thread_wakeup_with(arg, THREAD_TIMED_OUT);
}

enum wait_result waitq_sleep_timeout(struct waitq *wq, uint64_t ticks)
{
	struct thread *th = current_thread();

	if (th->terminate_requested)
		return THREAD_INTERRUPTED;
	th->state = TH_WAIT;
	th->waitq = wq;
	th->wait_result = THREAD_AWAKENED;
	list_push_back(&wq->threads, &th->run_link);
	if (ticks)
		timer_arm(&th->wait_timer, sched_ticks + ticks);
	thread_block();
	return th->wait_result;
}

struct thread *waitq_wakeup_one(struct waitq *wq)
{
	struct thread *th;

	if (list_empty(&wq->threads))
		return NULL;
	th = list_entry(wq->threads.next, struct thread, run_link);
	thread_wakeup_with(th, THREAD_AWAKENED);
	return th;
}

void waitq_wakeup_all(struct waitq *wq)
{
	while (waitq_wakeup_one(wq))
		;
}

void thread_terminate_self(void)
{
	struct thread *th = current_thread();

	list_remove(&th->task_link);
	th->task->thread_count--;
	th->state = TH_DEAD;
	assert(!dead_thread || dead_thread == th);
	dead_thread = th;
	sched_switch();
	panic("thread: a dead thread ran again");
}

/*
 * A thread in the middle of a kernel operation (running, runnable or waiting) ends
 * itself at its next return to user mode; a waiting one is woken for that purpose. A
 * stopped thread (never started, or suspended at its return to user mode) holds no
 * kernel state and is freed at once, whatever its priority.
 */
void thread_request_terminate(struct thread *th)
{
	th->terminate_requested = true;
	if (th == current_thread())
		return;
	if (th->state == TH_WAIT) {
		thread_wakeup_with(th, THREAD_INTERRUPTED);
	} else if (th->state == TH_STOPPED) {
		thread_free(th);
	}
}

bool thread_held(const struct thread *th)
{
	return th->suspend_count > 0 || th->task->suspend_count > 0;
}

/* A thread stopped at its return to user mode (or never started) may go on. */
void thread_hold_changed(struct thread *th)
{
	if (th->state == TH_STOPPED && (!thread_held(th) || th->terminate_requested)) {
		th->state = TH_RUN;
		sched_enqueue(th);
	}
}

void thread_stop_point(void)
{
	struct thread *th = current_thread();

	for (;;) {
		if (th->terminate_requested)
			thread_terminate_self();
		if (!thread_held(th))
			return;
		th->state = TH_STOPPED;
		sched_switch();
	}
}

/* Moves th to another level of the run queues, if it is on one. */
static void set_current_priority(struct thread *th, int priority)
{
	bool queued = th->state == TH_RUN && th != current_thread();

	if (queued)
		sched_dequeue(th);
	th->priority = priority;
	if (queued)
		sched_enqueue(th);
}

void thread_set_priority(struct thread *th, int priority)
{
	th->base_priority = priority;
	set_current_priority(th, th->depressed ? DEPRESS_PRIORITY : priority);
}

void thread_depress(struct thread *th, uint64_t ticks)
{
	timer_cancel(&th->depress_timer);
	th->depressed = true;
	set_current_priority(th, DEPRESS_PRIORITY);
	if (ticks)
		timer_arm(&th->depress_timer, sched_ticks + ticks);
}

void thread_depress_end(struct thread *th)
{
	if (!th->depressed)
		return;
	timer_cancel(&th->depress_timer);
	th->depressed = false;
	set_current_priority(th, th->base_priority);
}

static void depress_timeout(void *arg)
{
	thread_depress_end(arg);
}
