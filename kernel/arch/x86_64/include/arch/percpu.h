/*
 * Per-CPU data, reached through the GS base while in the kernel (user GS base is
 * swapped in with swapgs on the way out). One CPU today; the layout is shared with
 * the entry code in entry.S, hence the fixed offsets.
 */
#ifndef _ARCH_PERCPU_H_
#define _ARCH_PERCPU_H_

#define CPU_SELF		0
#define CPU_KERNEL_RSP		8	/* top of the current thread's kernel stack */
#define CPU_USER_RSP		16	/* scratch: user rsp during syscall entry */
#define CPU_THREAD		24
#define CPU_ENTRY_FLAGS		33	/* non-zero: syscalls skip the fast entry (TASK_ENTRY_*) */

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

struct thread;

struct cpu {
	struct cpu *self;
	uint64_t kernel_rsp;
	uint64_t user_rsp;
	struct thread *thread;		/* running thread */
	bool need_resched;		/* preempt at the next return to user */
	uint8_t entry_flags;		/* thread->task->entry_flags, kept by sched_load */
};

_Static_assert(offsetof(struct cpu, self) == CPU_SELF, "percpu layout");
_Static_assert(offsetof(struct cpu, kernel_rsp) == CPU_KERNEL_RSP, "percpu layout");
_Static_assert(offsetof(struct cpu, user_rsp) == CPU_USER_RSP, "percpu layout");
_Static_assert(offsetof(struct cpu, thread) == CPU_THREAD, "percpu layout");
_Static_assert(offsetof(struct cpu, entry_flags) == CPU_ENTRY_FLAGS, "percpu layout");

extern struct cpu cpu0;

static inline struct cpu *this_cpu(void)
{
	struct cpu *c;

	/* Not volatile: the answer never changes on a CPU, so repeated calls can share it. */
	__asm__("movq %%gs:0, %0" : "=r"(c));
	return c;
}

void percpu_init(struct cpu *c);
#endif

#endif /* _ARCH_PERCPU_H_ */
