/*
 * Blocking and the scheduler seen from user space: every way a receive that waits
 * with a continuation (no timeout) can end, a set waiter served by the IPC fast path,
 * priority depression (thread_switch, swtch_pri, thread_depress_abort) and the
 * thread_switch hand-off hint.
 */
#include <string.h>
#include <mach/gnumach.h>
#include "thr.h"
#include "vmt.h"

/*
 * Receives that wait without a timeout give up their kernel stack and resume in a
 * continuation (ipc/mach_msg.c): every way such a wait can end is checked here.
 */
static mach_port_t waiting_on(struct child *c, mach_port_t name)
{
	c->arg2 = name;
	c->result = -1;
	child_create(c, child_receive_forever);
	child_start(c);
	CHECK(wait_until(child_is_waiting, c));
	return name;
}

CTEST(rcv_wait_port_moved_away)
{
	struct child c = { 0 };
	mach_port_t p = waiting_on(&c, new_port()), there = 0x7151;

	/* The receive right leaves our space: the waiter learns at once (GNU Mach too). */
	OK(mach_port_insert_right(ct_peer, there, p, MACH_MSG_TYPE_MOVE_RECEIVE));
	CHECK(wait_until(child_is_done, &c));
	CHECK_KR(c.result, MACH_RCV_PORT_CHANGED);
	child_join(&c);
	OK(mach_port_destroy(ct_peer, there));
}

CTEST(rcv_wait_port_destroyed)
{
	struct child c = { 0 };
	mach_port_t p = waiting_on(&c, new_port());

	destroy(p);
	CHECK(wait_until(child_is_done, &c));
	CHECK_KR(c.result, MACH_RCV_PORT_DIED);
	child_join(&c);
}

CTEST(rcv_wait_port_joins_set)
{
	struct child c = { 0 };
	mach_port_t p = waiting_on(&c, new_port()), s = new_pset();

	OK(mach_port_move_member(mach_task_self(), p, s));
	CHECK(wait_until(child_is_done, &c));
	CHECK_KR(c.result, MACH_RCV_PORT_CHANGED);
	child_join(&c);
	destroy(p);
	destroy(s);
}

CTEST(rcv_wait_set_destroyed)
{
	struct child c = { 0 };
	mach_port_t s = waiting_on(&c, new_pset());

	destroy(s);
	CHECK(wait_until(child_is_done, &c));
	CHECK_KR(c.result, MACH_RCV_PORT_DIED);
	child_join(&c);
}

CTEST(rcv_wait_set_abort)
{
	struct child c = { 0 };
	mach_port_t s = waiting_on(&c, new_pset());

	OK(thread_abort(c.thread));
	CHECK(wait_until(child_is_done, &c));
	CHECK_KR(c.result, MACH_RCV_INTERRUPTED);
	child_join(&c);
	destroy(s);
}

/* Receives one request on the set or port arg2, records it, and replies (send only). */
static void serve_once(struct child *c)
{
	struct {
		mach_msg_header_t h;
		uint8_t pad[64];
	} m;
	mach_msg_return_t mr;

	mr = mach_msg_trap(&m.h, MACH_RCV_MSG, 0, sizeof(m), (mach_port_t)c->arg2,
			   MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	c->counter = (uint64_t)m.h.msgh_local_port << 32 | (uint32_t)m.h.msgh_id;
	c->arg = m.h.msgh_bits;
	if (mr == MACH_MSG_SUCCESS) {
		m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(m.h.msgh_bits), 0);
		m.h.msgh_local_port = MACH_PORT_NULL;
		m.h.msgh_id += 100;
		mr = mach_msg_trap(&m.h, MACH_SEND_MSG, sizeof(m.h), 0, MACH_PORT_NULL,
				   MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	}
	c->result = mr;
}

/* A set's waiter gets a member's request by the fast path; the reply comes back. */
CTEST(rcv_wait_set_gets_rpc)
{
	struct child c = { 0 };
	mach_port_t p = new_port_send(), s = new_pset(), reply = new_port();
	struct kernel_object_counts before, after;
	struct {
		mach_msg_header_t h;
		uint8_t pad[64];
	} m = { 0 };

	OK(mach_port_move_member(mach_task_self(), p, s));
	c.arg2 = s;
	c.result = -1;
	child_create(&c, serve_once);
	child_start(&c);
	CHECK(wait_until(child_is_waiting, &c));
	before = counts();
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.h.msgh_remote_port = p;
	m.h.msgh_local_port = reply;
	m.h.msgh_id = 4321;
	CHECK_KR(mach_msg_trap(&m.h, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(m.h), sizeof(m), reply,
			       MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	after = counts();
	CHECK(after.fast_sends > before.fast_sends);
	CHECK_EQ(m.h.msgh_id, 4421);
	CHECK_EQ(m.h.msgh_local_port, reply);
	CHECK(wait_until(child_is_done, &c));
	CHECK_KR(c.result, MACH_MSG_SUCCESS);
	CHECK_EQ(c.counter, (uint64_t)p << 32 | 4321);	/* delivered as p's message */
	CHECK_EQ(c.arg, MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND));
	child_join(&c);
	destroy(p);
	destroy(s);
	destroy(reply);
}

/* THREAD_SCHED_INFO of th: policy, data, base, max, cur, depressed, depress_priority, cpu. */
static void sched_info(mach_port_t th, integer_t s[8])
{
	mach_msg_type_number_t n = 8;

	OK(thread_info(th, THREAD_SCHED_INFO, s, &n));
}

CTEST(thread_switch_depress_until_aborted)
{
	mach_port_t self = mach_thread_self();
	integer_t s[8];

	OK(thread_switch(MACH_PORT_NULL, SWITCH_OPTION_DEPRESS, 0));	/* 0: until aborted */
	sched_info(self, s);
	CHECK_EQ(s[5], 1);
	CHECK_EQ(s[4], 49);		/* the lowest priority */
	CHECK_EQ(s[6], s[2]);		/* it will go back to its base priority */
	OK(thread_depress_abort(self));
	sched_info(self, s);
	CHECK_EQ(s[5], 0);
	CHECK_EQ(s[4], s[2]);
	OK(thread_depress_abort(self));	/* not depressed: nothing to do */
	/* The shortcut trap does the same. */
	OK(thread_switch(MACH_PORT_NULL, SWITCH_OPTION_DEPRESS, 0));
	OK(syscall_thread_depress_abort(self));
	sched_info(self, s);
	CHECK_EQ(s[5], 0);
	OK(mach_port_deallocate(mach_task_self(), self));
}

CTEST(thread_switch_depress_times_out)
{
	mach_port_t self = mach_thread_self();
	integer_t s[8];

	OK(thread_switch(MACH_PORT_NULL, SWITCH_OPTION_DEPRESS, 20));
	OK(thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, 80));	/* well past the 20 ms */
	sched_info(self, s);
	CHECK_EQ(s[5], 0);
	CHECK_EQ(s[4], s[2]);
	OK(mach_port_deallocate(mach_task_self(), self));
}

CTEST(thread_switch_hands_off_to_hint)
{
	mach_port_t self = mach_thread_self();
	struct child c = { 0 };
	integer_t s[8];
	uint64_t before;

	sched_info(self, s);
	child_create(&c, child_spin);
	OK(thread_priority(c.thread, s[2] + 5 < 49 ? s[2] + 5 : 48, FALSE));	/* below us */
	child_start(&c);
	before = c.counter;
	swtch();			/* a plain yield: the lower-priority child stays put */
	CHECK_EQ(c.counter, before);
	OK(thread_switch(c.thread, SWITCH_OPTION_NONE, 0));
	CHECK(c.counter > before);	/* it ran, then yielded back to us */
	c.arg = 1;
	CHECK(wait_until(child_is_done, &c));
	child_join(&c);
	OK(mach_port_deallocate(mach_task_self(), self));
}
