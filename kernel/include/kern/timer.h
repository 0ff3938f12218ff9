/*
 * Kernel timers at timer-tick resolution (TIMER_HZ): a callback runs in the timer
 * interrupt once sched_ticks reaches its deadline. Conditions: interrupts disabled.
 */
#ifndef _KERN_TIMER_H_
#define _KERN_TIMER_H_

#include <stdbool.h>
#include <stdint.h>
#include <kern/list.h>

struct timer {
	struct list link;
	uint64_t deadline;		/* in sched_ticks */
	void (*fn)(void *arg);
	void *arg;
	bool armed;
};

void timer_init(struct timer *t, void (*fn)(void *), void *arg);
void timer_arm(struct timer *t, uint64_t deadline);
void timer_cancel_armed(struct timer *t);

static inline void timer_cancel(struct timer *t)
{
	if (t->armed)
		timer_cancel_armed(t);
}
/* Runs the expired timers; called on every tick. */
void timer_tick(uint64_t now);
/* Milliseconds to ticks, rounded up (at least one tick for a nonzero time). */
uint64_t timer_ms_to_ticks(uint64_t ms);

#endif
