/* The scheduler (see kern/sched.h). */
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/fpu.h>
#include <arch/gdt.h>
#include <arch/percpu.h>
#include <arch/pmap.h>
#include <arch/qemu.h>
#include <kern/layout.h>
#include <kern/load.h>
#include <kern/printf.h>
#include <kern/sched.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/timer.h>

static struct list runq[NRQS];
uint64_t runq_bits;			/* bit p set: runq[p] is not empty */
static struct thread *idle_thread;
uint64_t sched_ticks;

_Static_assert(NRQS <= 64, "run-queue bitmap");

void sched_init(void)
{
	for (int i = 0; i < NRQS; i++)
		list_init(&runq[i]);
}

static void enqueue(struct thread *th, bool first)
{
	struct thread *cur = current_thread();

	if (first)
		list_push_front(&runq[th->priority], &th->run_link);
	else
		list_push_back(&runq[th->priority], &th->run_link);
	runq_bits |= 1ull << th->priority;
	if (cur && th->priority < cur->priority)
		this_cpu()->need_resched = true;
}

void sched_enqueue(struct thread *th)
{
	enqueue(th, false);
}

void sched_enqueue_first(struct thread *th)
{
	enqueue(th, true);
}

void sched_dequeue(struct thread *th)
{
	list_remove(&th->run_link);
	if (list_empty(&runq[th->priority]))
		runq_bits &= ~(1ull << th->priority);
}

static struct thread *pick_next(void)
{
	struct thread *th;
	int p;

	if (!runq_bits)
		return idle_thread;
	p = __builtin_ctzll(runq_bits);
	th = list_entry(runq[p].next, struct thread, run_link);
	sched_dequeue(th);
	return th;
}

/*
 * Conditions: interrupts disabled. The current thread is not on a run queue: it has
 * left TH_RUN (blocked, stopped, dead), or sched_preempt requeued it.
 */
void sched_switch(void)
{
	sched_switch_to(pick_next());
}

void sched_switch_to(struct thread *next)
{
	struct thread *prev = sched_load(next);
	void (*cont)(void) = next->cont;

	if (cont) {
		next->cont = NULL;
		call_continuation(&prev->ksp, cont, (uint64_t)next->frame);
	} else {
		if (next == prev)
			return;
		context_switch(&prev->ksp, next->ksp);
	}
	thread_switch_tail();
}

/* The running thread goes to the tail of its level (it stays runnable). */
static void requeue_current(void)
{
	struct thread *cur = current_thread();

	if (cur != idle_thread) {
		list_push_back(&runq[cur->priority], &cur->run_link);
		runq_bits |= 1ull << cur->priority;
	}
}

void sched_handoff(struct thread *next)
{
	sched_dequeue(next);
	requeue_current();
	sched_switch_to(next);
}

void sched_preempt(void)
{
	requeue_current();
	sched_switch();
}

/* Threads wanting the processor now: the queued ones and the running one. */
static uint32_t runnable_threads(void)
{
	struct thread *cur = current_thread();
	uint32_t n = cur != idle_thread && cur->state == TH_RUN;

	for (int p = 0; p < NRQS; p++) {
		struct list *l;

		list_for_each(l, &runq[p])
			n++;
	}
	return n;
}

void sched_tick(void)
{
	struct thread *cur = current_thread();

	sched_ticks++;
	if (sched_ticks % (LOAD_SAMPLE_SECONDS * TIMER_HZ) == 0)
		load_sample(&host_load, runnable_threads(), 1);
	timer_tick(sched_ticks);
	if (cur == idle_thread || --cur->quantum <= 0)
		this_cpu()->need_resched = true;
}

bool sched_yield(void)
{
	if (!runq_bits)
		return false;
	sched_preempt();
	return true;
}

bool kernel_exit_when_idle;

/*
 * The boot thread becomes the idle thread: it runs only when no other thread can,
 * halting until an interrupt. With the idle=exit boot option the run ends (QEMU's
 * exit device) once no user thread can ever run again.
 */
void sched_start(void)
{
	idle_thread = current_thread();
	idle_thread->priority = idle_thread->base_priority = IDLE_PRIORITY;
	for (;;) {
		if (runq_bits) {
			sched_switch();
			continue;
		}
		if (kernel_exit_when_idle && task_live_user_threads() == 0) {
			kprintf("kernel: no user thread can run; ending the run\n");
			machine_exit(QEMU_EXIT_SUCCESS);
		}
		intr_enable_and_halt();
	}
}
