/*
 * The scheduler: NRQS priority levels (0 is the highest, as in Mach), round-robin
 * within a level with a quantum of SCHED_QUANTUM timer ticks, and an idle thread
 * that halts when nothing else can run. The kernel is not preemptible: switches
 * happen when a thread blocks, and at the return to user mode after the timer has
 * asked for a reschedule.
 */
#ifndef _KERN_SCHED_H_
#define _KERN_SCHED_H_

#include <stdbool.h>
#include <stdint.h>
#include <arch/cpu.h>
#include <arch/fpu.h>
#include <arch/gdt.h>
#include <arch/pmap.h>
#include <kern/layout.h>
#include <kern/task.h>
#include <kern/thread.h>

#define NRQS		50
#define BASEPRI_SYSTEM	6
#define BASEPRI_USER	25
#define IDLE_PRIORITY	NRQS		/* below every run queue */
#define DEPRESS_PRIORITY (NRQS - 1)	/* a depressed thread's (thread_depress) */
#define SCHED_QUANTUM	2		/* ticks (20 ms at 100 Hz) */

struct thread;

void sched_init(void);
/* Makes a TH_RUN thread eligible to run; asks for preemption if it outranks current. */
void sched_enqueue(struct thread *th);
void sched_dequeue(struct thread *th);
/* At the head of its level: the next thread of that priority to run. */
void sched_enqueue_first(struct thread *th);
/* Switches to the best runnable thread (the current one has left TH_RUN, or yields). */
void sched_switch(void);
/*
 * Hand-off: the current thread has left TH_RUN (it blocked); `next`, just made
 * TH_RUN and on no run queue, runs now. Conditions: interrupts disabled.
 */
void sched_switch_to(struct thread *next);
extern uint64_t runq_bits;	/* bit p set: a thread of priority p is runnable */

/*
 * The machine half of a switch: makes next the current thread and loads its state
 * (address space, kernel stack for entries, segment bases, FPU); returns the previous
 * thread. The caller then continues on next's stack (sched_switch_to, or the IPC fast
 * path's exit through next's trap frame). Inline: the fast path switches on every hop.
 */
static inline __attribute__((always_inline)) struct thread *sched_load(struct thread *next)
{
	struct cpu *cpu = this_cpu();
	struct thread *prev = cpu->thread;

	cpu->need_resched = false;
	if (next->quantum <= 0)
		next->quantum = SCHED_QUANTUM;
	if (next == prev)
		return prev;
	pmap_activate(next->task->pmap ? next->task->pmap : &kernel_pmap);
	tss_set_kernel_stack(next->kstack + KSTACK_SIZE);
	if (next->frame && (prev->fs_base != next->fs_base || !prev->frame))
		wrmsr(MSR_FS_BASE, next->fs_base);
	if (next->frame && (prev->gs_base != next->gs_base || !prev->frame))
		wrmsr(MSR_KERNEL_GS_BASE, next->gs_base);
	if (prev->fpu)
		fpu_save(prev->fpu);
	if (next->fpu)
		fpu_restore(next->fpu);
	if ((cpu->entry_flags | next->task->entry_flags) & TASK_ENTRY_IOMAP)
		tss_io_load(next->task->iomap);
	cpu->thread = next;
	cpu->entry_flags = next->task->entry_flags;	/* entry.S reads it */
	return prev;
}

/*
 * sched_load between two different user threads (each with a frame, an FPU area and
 * its task's page tables), the current one being prev: the IPC fast path's hand-off,
 * without the tests that only kernel threads need. next runs on in prev's time: the
 * quantum is not renewed and a pending preemption (need_resched) stays pending, for
 * the caller to honour on the way out, so that two threads handing the processor to
 * each other cannot keep it from others of their priority.
 *
 * prev's task has no I/O bitmap (entry.S sends such a task's syscalls past the fast
 * path, and ipc_fastpath_foreign_request declines for it), so the TSS holds none:
 * only next's bitmap may need loading, and the test costs two instructions.
 */
static inline __attribute__((always_inline)) void sched_load_user(struct thread *prev, struct thread *next)
{
	struct cpu *cpu = this_cpu();

	pmap_activate(next->task->pmap);
	tss_set_kernel_stack(next->kstack + KSTACK_SIZE);
	if (prev->fs_base != next->fs_base)
		wrmsr(MSR_FS_BASE, next->fs_base);
	if (prev->gs_base != next->gs_base)
		wrmsr(MSR_KERNEL_GS_BASE, next->gs_base);
	fpu_save(prev->fpu);
	fpu_restore(next->fpu);
	if (__builtin_expect(next->task->entry_flags & TASK_ENTRY_IOMAP, 0))
		tss_io_load(next->task->iomap);
	cpu->thread = next;
	cpu->entry_flags = next->task->entry_flags;
}

/* May th run before every queued thread (none of higher priority is runnable)? */
static inline bool sched_may_handoff(const struct thread *th)
{
	return !runq_bits || __builtin_ctzll(runq_bits) >= th->priority;
}
/* thread_switch's hint: next, runnable on a run queue, runs now whatever its priority;
 * the current thread stays runnable (at the tail of its level). */
void sched_handoff(struct thread *next);
/* Round-robin: requeue current at the tail of its level and switch. */
void sched_preempt(void);
/* Timer interrupt: account the tick, expire the quantum. */
void sched_tick(void);
/* Yield the processor; true if another thread was runnable (swtch semantics). */
bool sched_yield(void);
/* Never returns: the boot thread becomes the idle thread. */
__attribute__((noreturn)) void sched_start(void);

extern uint64_t sched_ticks;
/* Boot option idle=exit: end the run once no user thread can run. */
extern bool kernel_exit_when_idle;

#endif /* _KERN_SCHED_H_ */
