/*
 * One-shot timers for the server's own deadlines (alarm and setitimer): a list sorted
 * by deadline that the main loop drains. A timer belongs to whoever embeds it; firing
 * unlinks it before calling fn, so fn may set it again (an interval timer).
 */
#include "lx.h"

static struct lx_timer *queue;		/* armed timers, earliest first */

void lx_timer_cancel(struct lx_timer *tm)
{
	struct lx_timer **pp;

	if (!tm->armed)
		return;
	for (pp = &queue; *pp; pp = &(*pp)->next) {
		if (*pp == tm) {
			*pp = tm->next;
			break;
		}
	}
	tm->next = NULL;
	tm->armed = false;
}

void lx_timer_set(struct lx_timer *tm, uint64_t deadline, void (*fn)(void *), void *arg)
{
	struct lx_timer **pp;

	lx_timer_cancel(tm);
	tm->deadline = deadline ? deadline : 1;	/* 0 means "none" to lx_timers_next */
	tm->fn = fn;
	tm->arg = arg;
	for (pp = &queue; *pp && (*pp)->deadline <= tm->deadline; pp = &(*pp)->next)
		;
	tm->next = *pp;
	*pp = tm;
	tm->armed = true;
}

void lx_timers_run(uint64_t now)
{
	while (queue && queue->deadline <= now) {
		struct lx_timer *tm = queue;

		queue = tm->next;
		tm->next = NULL;
		tm->armed = false;
		tm->fn(tm->arg);
	}
}

uint64_t lx_timers_next(void)
{
	return queue ? queue->deadline : 0;
}
