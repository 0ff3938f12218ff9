/* gsync_wait, gsync_wake and gsync_requeue (gnumach 4204-4206): futex-style waits on
   user words, private (task, address) or shared (physical page). */
#include <mach/gnumach.h>
#include <mach/mig_support.h>
#include "thr.h"

static volatile uint32_t words[4] __attribute__((aligned(16)));

/* A spawned thread's gsync_wait(ct_task, arg, val1 = arg2, 0, 0, flags = counter). */
static void waiter(struct child *c)
{
	struct {
		uint32_t t1, n1;
		uint64_t addr;
		uint32_t t2, n2, val1, p2, t3, n3, val2, p3, t4, n4, msec, p4, t5, n5, flags, p5;
	} b = {
		mt_word(MACH_MSG_TYPE_INTEGER_64, 64, MT_INLINE), 1, c->arg,
		mt_word(MACH_MSG_TYPE_INTEGER_32, 32, MT_INLINE), 1, (uint32_t)c->arg2, 0,
		mt_word(MACH_MSG_TYPE_INTEGER_32, 32, MT_INLINE), 1, 0, 0,
		mt_word(MACH_MSG_TYPE_INTEGER_32, 32, MT_INLINE), 1, 0, 0,
		mt_word(MACH_MSG_TYPE_INTEGER_32, 32, MT_INLINE), 1, (uint32_t)c->counter, 0,
	};

	c->result = child_rpc(ct_task, 4204, &b, sizeof(b));
}

static bool is_waiting(struct child *c)
{
	return c->started && thread_run_state(c->thread) == TH_STATE_WAITING;
}

static bool is_done(struct child *c)
{
	return c->done;
}

static void start_waiter(struct child *c, volatile uint32_t *word, uint32_t val, int flags)
{
	c->arg = (uint64_t)word;
	c->arg2 = val;
	c->counter = (uint64_t)flags;
	c->result = -1;
	child_create(c, waiter);
	child_start(c);
	CHECK(wait_until(is_waiting, c));
}

CTEST(gsync_wait_value_changed)
{
	words[0] = 5;
	CHECK_KR(gsync_wait(ct_task, (vm_address_t)&words[0], 6, 0, 0, 0), KERN_INVALID_ARGUMENT);
	CHECK_KR(gsync_wait(ct_task, (vm_address_t)&words[0], 5, 1, 0, GSYNC_QUAD | GSYNC_TIMED),
		 KERN_INVALID_ARGUMENT);
}

CTEST(gsync_wait_timeout)
{
	uint64_t t0 = uptime_ms();

	words[0] = 1;
	CHECK_KR(gsync_wait(ct_task, (vm_address_t)&words[0], 1, 0, 30, GSYNC_TIMED), KERN_TIMEDOUT);
	CHECK(uptime_ms() - t0 >= 20);
	CHECK_KR(gsync_wait(ct_task, (vm_address_t)&words[0], 1, 0, 0, GSYNC_TIMED), KERN_TIMEDOUT);
	words[2] = 7;
	words[3] = 9;
	CHECK_KR(gsync_wait(ct_task, (vm_address_t)&words[2], 7, 9, 10, GSYNC_TIMED | GSYNC_QUAD),
		 KERN_TIMEDOUT);
}

CTEST(gsync_bad_addresses)
{
	CHECK_KR(gsync_wait(ct_task, (vm_address_t)&words[0] + 2, 0, 0, 10, GSYNC_TIMED),
		 KERN_INVALID_ADDRESS);
	CHECK_KR(gsync_wait(ct_task, (vm_address_t)&words[1], 0, 0, 10, GSYNC_TIMED | GSYNC_QUAD),
		 KERN_INVALID_ADDRESS);			/* a quad must be 8-aligned */
	CHECK_KR(gsync_wait(ct_task, 0x10, 0, 0, 10, GSYNC_TIMED), KERN_INVALID_ADDRESS);
	CHECK_KR(gsync_wait(ct_task, 0xFFFFFFFF80100000ull, 0, 0, 10, GSYNC_TIMED),
		 KERN_INVALID_ADDRESS);
	CHECK_KR(gsync_wait(ct_task, 0x0000800000000000ull, 0, 0, 10, GSYNC_TIMED),
		 KERN_INVALID_ADDRESS);
}

CTEST(gsync_not_a_task)
{
	CHECK_KR(gsync_wait(ct_host, (vm_address_t)&words[0], 0, 0, 10, GSYNC_TIMED), KERN_INVALID_TASK);
	CHECK_KR(gsync_wait(ct_thread, (vm_address_t)&words[0], 0, 0, 10, GSYNC_TIMED), KERN_INVALID_TASK);
}

CTEST(gsync_wake_one_waiter)
{
	struct child c = { 0 };

	words[0] = 3;
	start_waiter(&c, &words[0], 3, 0);
	OK(gsync_wake(ct_task, (vm_address_t)&words[0], 0, 0));
	CHECK(wait_until(is_done, &c));
	CHECK_KR(c.result, KERN_SUCCESS);
	child_join(&c);
}

CTEST(gsync_wake_mutates)
{
	struct child c = { 0 };

	words[1] = 10;
	start_waiter(&c, &words[1], 10, 0);
	OK(gsync_wake(ct_task, (vm_address_t)&words[1], 11, GSYNC_MUTATE));
	CHECK(wait_until(is_done, &c));
	CHECK_EQ(words[1], 11);
	CHECK_KR(c.result, KERN_SUCCESS);
	child_join(&c);
}

CTEST(gsync_wake_one_then_broadcast)
{
	struct child a = { 0 }, b = { 0 }, c = { 0 };
	int woken;

	words[0] = 4;
	start_waiter(&a, &words[0], 4, 0);
	start_waiter(&b, &words[0], 4, 0);
	start_waiter(&c, &words[0], 4, 0);
	OK(gsync_wake(ct_task, (vm_address_t)&words[0], 0, 0));	/* one only */
	CHECK(wait_until(is_done, &a));			/* the first to wait */
	for (int i = 0; i < 20; i++)
		swtch();
	woken = b.done + c.done;
	CHECK_EQ(woken, 0);
	OK(gsync_wake(ct_task, (vm_address_t)&words[0], 0, GSYNC_BROADCAST));
	CHECK(wait_until(is_done, &b));
	CHECK(wait_until(is_done, &c));
	CHECK_KR(b.result, KERN_SUCCESS);
	CHECK_KR(c.result, KERN_SUCCESS);
	child_join(&a);
	child_join(&b);
	child_join(&c);
}

CTEST(gsync_requeue_moves_waiters)
{
	struct child c = { 0 };

	words[0] = 1;
	words[1] = 2;
	start_waiter(&c, &words[0], 1, 0);
	OK(gsync_requeue(ct_task, (vm_address_t)&words[0], (vm_address_t)&words[1], 0, 0));
	OK(gsync_wake(ct_task, (vm_address_t)&words[0], 0, GSYNC_BROADCAST));	/* nobody there now */
	for (int i = 0; i < 20; i++)
		swtch();
	CHECK(!c.done);
	OK(gsync_wake(ct_task, (vm_address_t)&words[1], 0, 0));
	CHECK(wait_until(is_done, &c));
	CHECK_KR(c.result, KERN_SUCCESS);
	child_join(&c);
}

CTEST(gsync_requeue_wake_one)
{
	struct child a = { 0 }, b = { 0 };

	words[0] = 1;
	start_waiter(&a, &words[0], 1, 0);
	start_waiter(&b, &words[0], 1, 0);
	OK(gsync_requeue(ct_task, (vm_address_t)&words[0], (vm_address_t)&words[1], 1, 0));
	CHECK(wait_until(is_done, &a));
	CHECK(!b.done);
	OK(gsync_wake(ct_task, (vm_address_t)&words[1], 0, 0));
	CHECK(wait_until(is_done, &b));
	child_join(&a);
	child_join(&b);
}

CTEST(gsync_abort_waiter)
{
	struct child c = { 0 };

	words[0] = 8;
	start_waiter(&c, &words[0], 8, 0);
	OK(thread_abort(c.thread));
	CHECK(wait_until(is_done, &c));
	CHECK_KR(c.result, KERN_INTERRUPTED);
	child_join(&c);
}

CTEST(gsync_shared_and_private_keys_differ)
{
	struct child c = { 0 };

	words[0] = 6;
	start_waiter(&c, &words[0], 6, GSYNC_SHARED);
	OK(gsync_wake(ct_task, (vm_address_t)&words[0], 0, 0));	/* private: not it */
	for (int i = 0; i < 20; i++)
		swtch();
	CHECK(!c.done);
	OK(gsync_wake(ct_task, (vm_address_t)&words[0], 0, GSYNC_SHARED));
	CHECK(wait_until(is_done, &c));
	CHECK_KR(c.result, KERN_SUCCESS);
	child_join(&c);
}

CTEST(gsync_waiter_terminated)
{
	struct child c = { 0 };
	static struct names_snap before;

	names_snapshot(&before);
	words[0] = 2;
	start_waiter(&c, &words[0], 2, 0);
	OK(thread_terminate(c.thread));
	child_join(&c);
	CHECK(!c.done);
	/* The RPC's answer went to the dead thread's reply port: that port is ours to drop. */
	CHECK_EQ(names_destroy_new(&before, mig_get_reply_port()), 1);
	/* Its wait left no trace: a wake finds nobody and the next waiter is served. */
	OK(gsync_wake(ct_task, (vm_address_t)&words[0], 0, GSYNC_BROADCAST));
}
