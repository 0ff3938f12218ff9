/* Kernel timers: a list sorted by deadline (see kern/timer.h). */
#include <arch/apic.h>
#include <kern/timer.h>

static struct list timers = LIST_INIT(timers);

void timer_init(struct timer *t, void (*fn)(void *), void *arg)
{
	list_init(&t->link);
	t->fn = fn;
	t->arg = arg;
	t->armed = false;
}

void timer_arm(struct timer *t, uint64_t deadline)
{
	struct list *n;

	timer_cancel(t);
	t->deadline = deadline;
	t->armed = true;
	list_for_each(n, &timers)
		if (list_entry(n, struct timer, link)->deadline > deadline)
			break;
	list_insert_after(n->prev, &t->link);
}

void timer_cancel_armed(struct timer *t)
{
	list_remove(&t->link);
	t->armed = false;
}

void timer_tick(uint64_t now)
{
	while (!list_empty(&timers)) {
		struct timer *t = list_entry(timers.next, struct timer, link);

		if (t->deadline > now)
			break;
		list_remove(&t->link);
		t->armed = false;
		t->fn(t->arg);
	}
}

uint64_t timer_ms_to_ticks(uint64_t ms)
{
	return (ms * TIMER_HZ + 999) / 1000;
}
