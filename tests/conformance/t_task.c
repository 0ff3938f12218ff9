/* Tasks: task_create, task_terminate, suspension counts, task_info, task_threads,
   special and registered ports, priorities and names (ABI sections 10 and 12). */
#include <mach/gnumach.h>
#include "thr.h"

CTEST(task_create_empty)
{
	mach_port_t t = new_task();
	integer_t info[30];
	mach_msg_type_number_t n = 30;
	thread_array_t list;
	mach_msg_type_number_t count = 99;

	CHECK_EQ(ptype(t), MACH_PORT_TYPE_SEND);
	OK(task_info(t, TASK_BASIC_INFO, info, &n));
	CHECK_EQ(n, 30);
	CHECK_EQ(info[0], 0);			/* suspend_count */
	OK(task_threads(t, &list, &count));
	CHECK_EQ(count, 0);
	task_kill(t);
}

CTEST(task_create_bad_parent)
{
	mach_port_t t = 0, d = new_dead_name();

	CHECK_KR(task_create(ct_host, 0, &t), KERN_INVALID_ARGUMENT);
	CHECK_KR(task_create(ct_thread, 0, &t), KERN_INVALID_ARGUMENT);
	CHECK_KR(task_create(d, 0, &t), MACH_SEND_INVALID_DEST);
	CHECK_EQ(t, MACH_PORT_NULL);
	destroy(d);
}

CTEST(task_terminate_twice)
{
	mach_port_t t = new_task();

	OK(task_terminate(t));
	/* The task's port died with it: the name is a dead name now. */
	CHECK_KR(task_terminate(t), MACH_SEND_INVALID_DEST);
	CHECK_EQ(ptype(t), MACH_PORT_TYPE_DEAD_NAME);
	destroy(t);
}

CTEST(task_terminate_not_a_task)
{
	CHECK_KR(task_terminate(ct_host), KERN_INVALID_ARGUMENT);
	CHECK_KR(task_terminate(ct_thread), KERN_INVALID_ARGUMENT);
}

CTEST(task_suspend_resume_counts)
{
	mach_port_t t = new_task();
	integer_t info[30];
	mach_msg_type_number_t n = 30;

	CHECK_KR(task_resume(t), KERN_FAILURE);	/* never below zero */
	OK(task_suspend(t));
	OK(task_suspend(t));
	OK(task_info(t, TASK_BASIC_INFO, info, &n));
	CHECK_EQ(info[0], 2);
	OK(task_resume(t));
	OK(task_resume(t));
	CHECK_KR(task_resume(t), KERN_FAILURE);
	n = 30;
	OK(task_info(t, TASK_BASIC_INFO, info, &n));
	CHECK_EQ(info[0], 0);
	task_kill(t);
}

CTEST(task_info_counts)
{
	integer_t info[64];
	mach_msg_type_number_t n;

	n = 64;
	OK(task_info(ct_task, TASK_BASIC_INFO, info, &n));
	CHECK_EQ(n, 30);
	n = 18;
	OK(task_info(ct_task, TASK_BASIC_INFO, info, &n));
	CHECK_EQ(n, 18);
	n = 29;
	OK(task_info(ct_task, TASK_BASIC_INFO, info, &n));
	CHECK_EQ(n, 18);
	n = 17;
	CHECK_KR(task_info(ct_task, TASK_BASIC_INFO, info, &n), KERN_INVALID_ARGUMENT);
	n = 64;
	OK(task_info(ct_task, TASK_EVENTS_INFO, info, &n));
	CHECK_EQ(n, 14);
	n = 13;
	CHECK_KR(task_info(ct_task, TASK_EVENTS_INFO, info, &n), KERN_INVALID_ARGUMENT);
	n = 64;
	OK(task_info(ct_task, TASK_THREAD_TIMES_INFO, info, &n));
	CHECK_EQ(n, 16);
	n = 8;
	OK(task_info(ct_task, TASK_THREAD_TIMES_INFO, info, &n));
	CHECK_EQ(n, 8);
	n = 7;
	CHECK_KR(task_info(ct_task, TASK_THREAD_TIMES_INFO, info, &n), KERN_INVALID_ARGUMENT);
	n = 64;
	CHECK_KR(task_info(ct_task, 4, info, &n), KERN_INVALID_ARGUMENT);
	CHECK_KR(task_info(ct_task, 0, info, &n), KERN_INVALID_ARGUMENT);
}

/* u64 faults, zero_fills, reactivations, pageins, cow_faults, messages sent, received. */
static void events(uint64_t ev[7])
{
	integer_t info[14];
	mach_msg_type_number_t n = 14;

	OK(task_info(ct_task, TASK_EVENTS_INFO, info, &n));
	memcpy(ev, info, 7 * sizeof(uint64_t));
}

CTEST(task_info_events_count)
{
	uint64_t before[7], after[7];
	vm_address_t a = 0;
	mach_port_t p = new_port_send();
	struct rb r;

	OK(vm_allocate(ct_task, &a, 4 * 4096, TRUE));
	events(before);
	for (int i = 0; i < 4; i++)
		((volatile char *)a)[i * 4096] = 1;	/* four fresh pages: faults and zero fills */
	CHECK_KR(send_simple(p, MACH_MSG_TYPE_COPY_SEND, 7), MACH_MSG_SUCCESS);
	CHECK_KR(rb_recv(&r, p, 0, 2000), MACH_MSG_SUCCESS);
	events(after);
	CHECK(after[0] >= before[0] + 4);
	CHECK(after[1] >= before[1] + 4);
	CHECK_EQ(after[2], 0);			/* nothing is ever paged out and back */
	CHECK_EQ(after[3], 0);
	/* At least our message each way (the task_info RPCs themselves count too). */
	CHECK(after[5] >= before[5] + 1);
	CHECK(after[6] >= before[6] + 1);
	OK(vm_deallocate(ct_task, a, 4 * 4096));
	destroy(p);
}

CTEST(task_suspend_shortcut_trap)
{
	mach_port_t t = new_task();
	integer_t info[30];
	mach_msg_type_number_t n = 30;

	OK(syscall_task_suspend(t));		/* the trap, no message */
	OK(task_info(t, TASK_BASIC_INFO, info, &n));
	CHECK_EQ(info[0], 1);			/* suspend_count */
	OK(task_resume(t));
	CHECK_KR(task_resume(t), KERN_FAILURE);
	task_kill(t);
}

CTEST(task_info_basic_layout)
{
	integer_t info[30];
	mach_msg_type_number_t n = 30;
	uint64_t vsize, rsize;
	int64_t sec32, sec64, nsec64;
	int32_t usec32;
	time_value64_t now;

	OK(task_info(ct_task, TASK_BASIC_INFO, info, &n));
	CHECK_EQ(info[0], 0);				/* not suspended */
	CHECK(info[1] >= 0 && info[1] < 50);		/* base_priority */
	memcpy(&vsize, &info[2], 8);
	memcpy(&rsize, &info[4], 8);
	CHECK(vsize >= 0x20000);			/* at least its stack */
	CHECK(rsize > 0 && rsize <= vsize);
	/* creation_time at 56 and creation_time64 at 104 say the same. */
	memcpy(&sec32, (char *)info + 56, 8);
	memcpy(&usec32, (char *)info + 64, 4);
	memcpy(&sec64, (char *)info + 104, 8);
	memcpy(&nsec64, (char *)info + 112, 8);
	CHECK_EQ(sec32, sec64);
	CHECK_EQ((int64_t)usec32 * 1000, nsec64);
	CHECK(usec32 >= 0 && usec32 < 1000000);
	/* A time of day, on host_get_time's clock: not after now, not before 2023. */
	OK(host_get_time64(ct_host, &now));
	CHECK(sec64 > 1700000000 && sec64 <= now.seconds);
}

CTEST(task_threads_lists_self)
{
	thread_array_t list;
	mach_msg_type_number_t count = 0;
	bool found = false;

	OK(task_threads(ct_task, &list, &count));
	CHECK(count >= 1);
	for (unsigned i = 0; i < count; i++) {
		if (list[i] == ct_thread)
			found = true;
		OK(mach_port_deallocate(ct_task, list[i]));
	}
	pages_free(list, count * sizeof(*list));
	CHECK(found);
}

CTEST(task_threads_of_child)
{
	mach_port_t t = new_task(), a = new_thread_in(t), b = new_thread_in(t);
	thread_array_t list;
	mach_msg_type_number_t count = 0;

	OK(task_threads(t, &list, &count));
	CHECK_EQ(count, 2);
	CHECK(list[0] == a || list[0] == b);
	CHECK(list[1] == a || list[1] == b);
	CHECK(list[0] != list[1]);
	OK(mach_port_deallocate(ct_task, list[0]));
	OK(mach_port_deallocate(ct_task, list[1]));
	pages_free(list, count * sizeof(*list));
	task_kill(t);
	/* The threads died with the task: their names are dead. */
	CHECK_EQ(ptype(a), MACH_PORT_TYPE_DEAD_NAME);
	destroy(a);
	destroy(b);
}

CTEST(task_special_ports)
{
	mach_port_t t = new_task(), p = new_port_send(), got;

	OK(task_get_special_port(t, TASK_KERNEL_PORT, &got));
	CHECK_EQ(got, t);
	OK(mach_port_deallocate(ct_task, got));
	OK(task_get_special_port(t, TASK_EXCEPTION_PORT, &got));
	CHECK_EQ(got, MACH_PORT_NULL);
	OK(task_set_special_port(t, TASK_EXCEPTION_PORT, p));
	OK(task_set_special_port(t, TASK_BOOTSTRAP_PORT, p));
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_SEND), 1);	/* the kernel holds copies */
	OK(task_get_special_port(t, TASK_EXCEPTION_PORT, &got));
	CHECK_EQ(got, p);
	OK(task_get_special_port(t, TASK_BOOTSTRAP_PORT, &got));
	CHECK_EQ(got, p);
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_SEND), 3);
	OK(mach_port_mod_refs(ct_task, p, MACH_PORT_RIGHT_SEND, -2));
	OK(task_set_special_port(t, TASK_EXCEPTION_PORT, MACH_PORT_NULL));
	OK(task_get_special_port(t, TASK_EXCEPTION_PORT, &got));
	CHECK_EQ(got, MACH_PORT_NULL);
	task_kill(t);
	destroy(p);
}

CTEST(task_special_port_bad_ids)
{
	mach_port_t got, p = new_port_send();

	CHECK_KR(task_get_special_port(ct_task, 2, &got), KERN_INVALID_ARGUMENT);
	CHECK_KR(task_get_special_port(ct_task, 0, &got), KERN_INVALID_ARGUMENT);
	CHECK_KR(task_get_special_port(ct_task, 5, &got), KERN_INVALID_ARGUMENT);
	CHECK_KR(task_set_special_port(ct_task, 2, p), KERN_INVALID_ARGUMENT);
	CHECK_KR(task_set_special_port(ct_task, 99, p), KERN_INVALID_ARGUMENT);
	/* A refused request leaves our right alone. */
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_SEND), 1);
	destroy(p);
}

CTEST(task_child_inherits_bootstrap)
{
	mach_port_t t = new_task(), t2, p = new_port_send(), got;

	OK(task_set_special_port(t, TASK_BOOTSTRAP_PORT, p));
	OK(task_create(t, 0, &t2));
	OK(task_get_special_port(t2, TASK_BOOTSTRAP_PORT, &got));
	CHECK_EQ(got, p);
	OK(mach_port_deallocate(ct_task, got));
	task_kill(t2);
	task_kill(t);
	destroy(p);
}

CTEST(mach_ports_register_lookup)
{
	mach_port_t t = new_task(), a = new_port_send(), b = new_port_send();
	mach_port_t set[2] = { a, b };
	mach_port_array_t got;
	mach_msg_type_number_t n = 0;

	OK(mach_ports_register(t, set, 2));
	OK(mach_ports_lookup(t, &got, &n));
	CHECK_EQ(n, 4);
	CHECK_EQ(got[0], a);
	CHECK_EQ(got[1], b);
	CHECK_EQ(got[2], MACH_PORT_NULL);
	CHECK_EQ(got[3], MACH_PORT_NULL);
	OK(mach_port_deallocate(ct_task, a));
	OK(mach_port_deallocate(ct_task, b));
	pages_free(got, n * sizeof(*got));
	CHECK_EQ(refs(a, MACH_PORT_RIGHT_SEND), 1);
	task_kill(t);
	destroy(a);
	destroy(b);
}

CTEST(mach_ports_register_too_many)
{
	mach_port_t p = new_port_send();
	mach_port_t set[5] = { p, p, p, p, p };

	CHECK_KR(mach_ports_register(ct_task, set, 5), KERN_INVALID_ARGUMENT);
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_SEND), 1);
	destroy(p);
}

CTEST(task_priority_rules)
{
	mach_port_t t = new_task(), th = new_thread_in(t);
	integer_t info[30], s[8];
	mach_msg_type_number_t n = 30;

	CHECK_KR(task_priority(t, -1, 0), KERN_INVALID_ARGUMENT);
	CHECK_KR(task_priority(t, 50, 0), KERN_INVALID_ARGUMENT);
	OK(task_priority(t, 30, 1));
	OK(task_info(t, TASK_BASIC_INFO, info, &n));
	CHECK_EQ(info[1], 30);
	n = 8;
	OK(thread_info(th, THREAD_SCHED_INFO, s, &n));
	CHECK_EQ(s[2], 30);			/* base_priority */
	CHECK_EQ(s[4], 30);			/* cur_priority */
	task_kill(t);
	destroy(th);
}

CTEST(task_set_name_and_essential)
{
	mach_port_t t = new_task();
	integer_t info[30];
	mach_msg_type_number_t n = 30;

	/* One-way messages: the task must still answer afterwards. */
	OK(task_set_name(t, "renamed-task-with-a-name-longer-than-sixty-four-characters-xxxxxxxx"));
	OK(task_set_essential(t, 1));
	OK(task_info(t, TASK_BASIC_INFO, info, &n));
	task_kill(t);
}

CTEST(task_leak_check_create_terminate)
{
	/* The runner checks that tasks, threads, ports and entries come back. */
	for (int i = 0; i < 20; i++) {
		mach_port_t t = new_task(), th = new_thread_in(t);
		task_kill(t);
		CHECK_EQ(ptype(th), MACH_PORT_TYPE_DEAD_NAME);
		destroy(th);
	}
}

/* ---------------------------------------------------------------- inherited memory */

static volatile uint64_t inherit_in = 0x1234, inherit_out;

/* Runs in a child task on its copy of our memory: traps only. */
static void inherit_worker(void)
{
	inherit_out = inherit_in + 1;
	child_exit();
}

static void block_in_receive(void)
{
	mach_msg_header_t h;
	mach_port_t p = mach_reply_port();

	mach_msg_trap(&h, MACH_RCV_MSG, 0, sizeof(h), p, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	child_exit();
}

/* A task with a copy of our memory and one thread running fn on the given stack. */
static mach_port_t forked_thread(mach_port_t *task, void (*fn)(void), void *stack)
{
	struct i386_thread_state s;
	mach_port_t th;

	OK(task_create(ct_task, 1, task));
	OK(thread_create(*task, &th));
	state_get(th, &s);
	s.rip = (uint64_t)fn;
	s.ursp = (uint64_t)stack + 16384 - 8;
	state_set(th, &s);
	OK(thread_resume(th));
	return th;
}

static bool thread_gone(mach_port_t th)
{
	integer_t info[32];
	mach_msg_type_number_t n = 32;

	return thread_info(th, THREAD_BASIC_INFO, info, &n) == MACH_SEND_INVALID_DEST;
}

CTEST(task_create_inherits_memory_copy_on_write)
{
	void *stack = pages_alloc(16384);
	mach_port_t t, th;
	vm_offset_t data;
	mach_msg_type_number_t n = 0;
	uint64_t seen;
	int i;

	inherit_out = 0;
	th = forked_thread(&t, inherit_worker, stack);
	for (i = 0; i < 400 && !thread_gone(th); i++)
		thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, 5);
	CHECK(thread_gone(th));
	CHECK_EQ(inherit_out, 0);			/* our copy is untouched */
	OK(vm_read(t, (vm_address_t)&inherit_out, 8, &data, &n));
	memcpy(&seen, (void *)data, 8);
	pages_free((void *)data, n);
	CHECK_EQ(seen, 0x1235);				/* the child's copy changed */
	task_kill(t);
	destroy(th);
	pages_free(stack, 16384);
}

CTEST(task_terminate_with_thread_blocked_in_receive)
{
	void *stack = pages_alloc(16384);
	mach_port_t t, th = forked_thread(&t, block_in_receive, stack);
	int i;

	for (i = 0; i < 400 && thread_run_state(th) != TH_STATE_WAITING; i++)
		thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, 5);
	CHECK_EQ(thread_run_state(th), TH_STATE_WAITING);
	task_kill(t);
	CHECK_EQ(ptype(th), MACH_PORT_TYPE_DEAD_NAME);
	destroy(th);
	pages_free(stack, 16384);
}
