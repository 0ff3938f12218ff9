/*
 * A task's death as others see it (what a supervisor such as bootstrap relies on): its
 * task port dies, so send rights to it become dead names with their dead-name
 * notifications; its receive rights die with it, so clients' send rights to its ports do
 * the same. Whether it is terminated (task_terminate) or ends with an exception nobody
 * handles. A task whose last thread ends lives on (as in GNU Mach: task_create makes
 * tasks without threads); t_task.c has the other termination cases (a thread blocked
 * in a receive among them).
 */
#include "thr.h"

/* A dead-name notification for name, requested on a new port (returned). */
static mach_port_t watch(mach_port_t name)
{
	mach_port_t n = new_port(), prev = 0xdead;

	OK(mach_port_request_notification(ct_task, name, MACH_NOTIFY_DEAD_NAME, 0, n,
					  MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev));
	CHECK_EQ(prev, MACH_PORT_NULL);
	return n;
}

/* Waits (2 s at most) for the dead-name notification about name on n; checks it. */
static void expect_dead_name(mach_port_t n, mach_port_t name)
{
	struct rb r;
	uint32_t word, number, dead;

	CHECK_KR(rb_recv(&r, n, 0, 2000), MACH_MSG_SUCCESS);
	CHECK_EQ(r.h.msgh_id, MACH_NOTIFY_DEAD_NAME);
	CHECK_EQ(r.h.msgh_size, 48u);
	memcpy(&word, r.b + 32, 4);
	memcpy(&number, r.b + 36, 4);
	memcpy(&dead, r.b + 40, 4);
	CHECK_EQ(word, mt_word(MACH_MSG_TYPE_PORT_NAME, 32, MT_INLINE));
	CHECK_EQ(number, 1u);
	CHECK_EQ(dead, name);
	CHECK_EQ(ptype(name), MACH_PORT_TYPE_DEAD_NAME);
	CHECK_EQ(refs(name, MACH_PORT_RIGHT_DEAD_NAME), 2u);	/* one for the notification */
}

/* A send right here to a new port whose receive right is task's. */
static mach_port_t port_in(mach_port_t task)
{
	mach_port_t name, s = MACH_PORT_NULL;
	mach_msg_type_name_t t;

	OK(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &name));
	OK(mach_port_extract_right(task, name, MACH_MSG_TYPE_MAKE_SEND, &s, &t));
	CHECK_EQ(t, MACH_MSG_TYPE_PORT_SEND);
	return s;
}

CTEST(death_terminate_kills_task_port)
{
	mach_port_t t = new_task(), s = port_in(t);
	mach_port_t nt = watch(t), ns = watch(s);

	OK(task_terminate(t));
	expect_dead_name(nt, t);
	expect_dead_name(ns, s);
	destroy(t);
	destroy(s);
	destroy(nt);
	destroy(ns);
}

/* An exception nobody handles ends the task: the same notifications. */
CTEST(death_unhandled_exception_kills_ports)
{
	mach_port_t t = new_task(), s = port_in(t), th = new_thread_in(t);
	mach_port_t nt = watch(t), ns = watch(s);

	/* The thread starts at address 0, where nothing is mapped; no exception port. */
	OK(thread_resume(th));
	expect_dead_name(nt, t);
	expect_dead_name(ns, s);
	destroy(t);
	destroy(s);
	destroy(nt);
	destroy(ns);
	destroy(th);
}

/* As in GNU Mach, a task outlives its threads: its port and receive rights stay. */
CTEST(death_not_when_last_thread_ends)
{
	mach_port_t t = new_task(), s = port_in(t), th = new_thread_in(t);
	mach_port_t ns = watch(s);

	OK(thread_terminate(th));
	expect_empty(ns);
	CHECK_EQ(ptype(s), MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DNREQUEST);
	task_kill(t);
	expect_dead_name(ns, s);
	destroy(s);
	destroy(ns);
	destroy(th);
}
