/* Exceptions (ABI section 8): the message, the reply rules, thread then task port,
   termination without a handler, waits that are suspended, aborted or terminated. */
#include "thr.h"

#define KERNEL_ADDRESS	0xFFFFFFFF80100000ull

/* A thread of a new empty task that will run at rip (with an exception port set on
   the task: its faults come to port). */
static mach_port_t faulting_thread(mach_port_t task, uint64_t rip, mach_port_t port)
{
	mach_port_t th = new_thread_in(task);
	struct i386_thread_state s;

	if (port)
		OK(task_set_special_port(task, TASK_EXCEPTION_PORT, port));
	state_get(th, &s);
	s.rip = rip;
	state_set(th, &s);
	return th;
}

CTEST(exc_message_layout_empty_task)
{
	mach_port_t t = new_task(), p = new_port_send(), th = faulting_thread(t, 0, p);
	struct exc_msg e;

	OK(thread_resume(th));
	exc_receive(p, &e);			/* checks the layout */
	CHECK_EQ(e.thread, th);
	CHECK_EQ(e.task, t);
	CHECK_EQ(e.exception, EXC_BAD_ACCESS);
	CHECK_EQ(e.code, KERN_INVALID_ADDRESS);	/* nothing mapped at 0 */
	CHECK_EQ(e.subcode, 0);
	CHECK_EQ(ptype(e.reply), MACH_PORT_TYPE_SEND_ONCE);
	exc_reply(&e, KERN_FAILURE);		/* no other handler: the task ends */
	task_kill(t);
	destroy(th);
	destroy(p);
}

CTEST(exc_kernel_address_runs_in_user_mode)
{
	mach_port_t t = new_task(), p = new_port_send();
	mach_port_t th = faulting_thread(t, KERNEL_ADDRESS, p);
	struct exc_msg e;
	struct i386_thread_state s;

	OK(thread_resume(th));
	exc_receive(p, &e);
	CHECK_EQ(e.exception, EXC_BAD_ACCESS);
	CHECK_EQ((uint64_t)e.subcode, KERNEL_ADDRESS);
	state_get(th, &s);
	CHECK_EQ(s.cs, USER_CS);		/* it ran in user mode */
	CHECK_EQ(s.rip, KERNEL_ADDRESS);
	exc_reply(&e, KERN_FAILURE);
	task_kill(t);
	destroy(th);
	destroy(p);
}

CTEST(exc_no_handler_terminates_task)
{
	mach_port_t t = new_task(), th = faulting_thread(t, 0, MACH_PORT_NULL);
	integer_t info[30];
	mach_msg_type_number_t n;
	int i;

	OK(thread_resume(th));
	for (i = 0; i < 400; i++) {
		n = 30;
		if (task_info(t, TASK_BASIC_INFO, info, &n) == MACH_SEND_INVALID_DEST)
			break;
		thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, 5);
	}
	CHECK(i < 400);
	for (i = 0; i < 4; i++)
		swtch();
	destroy(t);
	destroy(th);
}

/* An empty task with a port on its task and one on its faulting thread; faulted once. */
struct two_ports {
	mach_port_t task, task_port, thread_port, thread;
	struct exc_msg first;			/* the message to the thread's port */
};

static void two_ports_fault(struct two_ports *tp)
{
	tp->task = new_task();
	tp->task_port = new_port_send();
	tp->thread_port = new_port_send();
	tp->thread = faulting_thread(tp->task, 0, tp->task_port);
	OK(thread_set_special_port(tp->thread, THREAD_EXCEPTION_PORT, tp->thread_port));
	OK(thread_resume(tp->thread));
	exc_receive(tp->thread_port, &tp->first);
}

/* The exception has reached the task's port: fail it there too, and clean up. */
static void two_ports_end(struct two_ports *tp)
{
	struct exc_msg e;

	exc_receive(tp->task_port, &e);
	CHECK_EQ(e.exception, EXC_BAD_ACCESS);
	exc_reply(&e, KERN_FAILURE);
	task_kill(tp->task);
	destroy(tp->thread);
	destroy(tp->task_port);
	destroy(tp->thread_port);
}

CTEST(exc_thread_port_before_task_port)
{
	struct two_ports tp;

	two_ports_fault(&tp);
	expect_empty(tp.task_port);
	/* An error reply passes it on to the task's port. */
	exc_reply(&tp.first, KERN_FAILURE);
	two_ports_end(&tp);
}

CTEST(exc_dead_thread_port_goes_to_task_port)
{
	mach_port_t t = new_task(), tp = new_port_send(), dead = new_port_send();
	mach_port_t th = faulting_thread(t, 0, tp);
	struct exc_msg e;

	OK(thread_set_special_port(th, THREAD_EXCEPTION_PORT, dead));
	destroy(dead);				/* the thread's port is dead now */
	OK(thread_resume(th));
	exc_receive(tp, &e);
	CHECK_EQ(e.thread, th);
	exc_reply(&e, KERN_FAILURE);
	task_kill(t);
	destroy(th);
	destroy(tp);
}

CTEST(exc_reply_right_destroyed_passes_on)
{
	struct two_ports tp;

	two_ports_fault(&tp);
	OK(mach_port_deallocate(ct_task, tp.first.reply));	/* the kernel's reply port hears it */
	two_ports_end(&tp);
}

/* A reply that is not exactly the ABI's counts as a failure. */
static void bad_reply(uint32_t id, bool extra_word)
{
	struct two_ports tp;
	static struct mb m;

	two_ports_fault(&tp);
	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0), tp.first.reply, MACH_PORT_NULL, id);
	mb_int32(&m, KERN_SUCCESS);
	if (extra_word)
		mb_int32(&m, 0);
	CHECK_KR(mb_send(&m, MACH_SEND_TIMEOUT, 0), MACH_MSG_SUCCESS);
	two_ports_end(&tp);			/* passed on, not resumed */
}

CTEST(exc_malformed_reply_is_failure)
{
	bad_reply(2500, true);			/* 56 bytes: too long */
}

CTEST(exc_wrong_reply_id_is_failure)
{
	bad_reply(2501, false);
}

/* The handler moves rip past the fault and resumes: the thread goes on. */
CTEST(exc_handler_changes_rip_and_resumes)
{
	mach_port_t t = new_task(), p = new_port_send(), th = faulting_thread(t, 0, p);
	struct exc_msg e;
	struct i386_thread_state s;

	OK(thread_resume(th));
	exc_receive(p, &e);
	CHECK_EQ((uint64_t)e.subcode, 0);
	state_get(th, &s);
	s.rip = 0x5000;				/* unmapped as well: a second, different fault */
	state_set(th, &s);
	exc_reply(&e, KERN_SUCCESS);
	exc_receive(p, &e);
	CHECK_EQ(e.exception, EXC_BAD_ACCESS);
	CHECK_EQ((uint64_t)e.subcode, 0x5000);
	exc_reply(&e, KERN_FAILURE);
	task_kill(t);
	destroy(th);
	destroy(p);
}

static void do_ud2(struct child *c)
{
	(void)c;
	__asm__ volatile("ud2");
	c->result = 1;				/* reached after the handler skipped it */
}

static void do_int3(struct child *c)
{
	(void)c;
	__asm__ volatile("int3");
	c->result = 1;
}

static void do_divide(struct child *c)
{
	volatile unsigned zero = 0, r;

	r = 7 / zero;
	(void)r;
	c->result = 1;
}

static void do_hlt(struct child *c)
{
	__asm__ volatile("hlt");
	c->result = 1;
}

static bool is_done(struct child *c)
{
	return c->done;
}

/* Runs fn in a thread of ours with its own exception port; checks the exception,
   skips `skip` bytes at the faulting rip and resumes it. */
static void own_thread_fault(void (*fn)(struct child *), int exc, int code, unsigned skip)
{
	struct child c = { 0 };
	mach_port_t p = new_port_send();
	struct exc_msg e;
	struct i386_thread_state s;

	child_create(&c, fn);
	OK(thread_set_special_port(c.thread, THREAD_EXCEPTION_PORT, p));
	child_start(&c);
	exc_receive(p, &e);
	CHECK_EQ(e.thread, c.thread);
	CHECK_EQ(e.task, ct_task);
	CHECK_EQ(e.exception, exc);
	CHECK_EQ(e.code, code);
	CHECK_EQ(e.subcode, 0);
	state_get(c.thread, &s);
	s.rip += skip;
	state_set(c.thread, &s);
	exc_reply(&e, KERN_SUCCESS);
	CHECK(wait_until(is_done, &c));
	CHECK_EQ(c.result, 1);
	child_join(&c);
	destroy(p);
}

CTEST(exc_invalid_opcode)
{
	own_thread_fault(do_ud2, EXC_BAD_INSTRUCTION, EXC_I386_INVOP, 2);
}

CTEST(exc_breakpoint)
{
	/* int3 is a trap: rip is already past it. */
	own_thread_fault(do_int3, EXC_BREAKPOINT, EXC_I386_BPT, 0);
}

CTEST(exc_general_protection)
{
	own_thread_fault(do_hlt, EXC_BAD_INSTRUCTION, EXC_I386_GPFLT, 1);
}

static void do_bad_trap(struct child *c)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(-200L) : "rcx", "r11", "memory");
	(void)ret;
	c->result = 1;
}

CTEST(exc_bad_trap_number)
{
	/* The saved rip is after the syscall: resuming goes on. */
	own_thread_fault(do_bad_trap, EXC_BAD_INSTRUCTION, EXC_I386_INVOP, 0);
}

static __attribute__((noreturn)) void resumed_elsewhere(struct child *c)
{
	c->result = 1;
	c->done = 1;
	child_exit();
}

CTEST(exc_divide_error_resumed_elsewhere)
{
	struct child c = { 0 };
	mach_port_t p = new_port_send();
	struct exc_msg e;
	struct i386_thread_state s;

	child_create(&c, do_divide);
	OK(thread_set_special_port(c.thread, THREAD_EXCEPTION_PORT, p));
	child_start(&c);
	exc_receive(p, &e);
	CHECK_EQ(e.exception, EXC_ARITHMETIC);
	CHECK_EQ(e.code, EXC_I386_DIV);
	state_get(c.thread, &s);
	s.rip = (uint64_t)resumed_elsewhere;
	s.rdi = (uint64_t)&c;
	s.ursp = (s.ursp & ~15ull) - 8;
	state_set(c.thread, &s);
	exc_reply(&e, KERN_SUCCESS);
	CHECK(wait_until(is_done, &c));
	CHECK_EQ(c.result, 1);
	child_join(&c);
	destroy(p);
}

static bool stopped(mach_port_t th)
{
	return thread_run_state(th) == TH_STATE_STOPPED;
}

CTEST(exc_suspended_while_waiting)
{
	mach_port_t t = new_task(), p = new_port_send(), th = faulting_thread(t, 0, p);
	struct exc_msg e;
	int i;

	OK(thread_resume(th));
	exc_receive(p, &e);
	CHECK_EQ(thread_run_state(th), TH_STATE_WAITING);
	OK(thread_suspend(th));
	exc_reply(&e, KERN_SUCCESS);		/* resumes it, but it is held */
	for (i = 0; i < 100 && !stopped(th); i++)
		swtch();
	CHECK(stopped(th));
	expect_empty(p);
	OK(thread_resume(th));			/* runs at 0 again: the same fault */
	exc_receive(p, &e);
	CHECK_EQ((uint64_t)e.subcode, 0);
	exc_reply(&e, KERN_FAILURE);
	task_kill(t);
	destroy(th);
	destroy(p);
}

CTEST(exc_thread_terminated_while_waiting)
{
	mach_port_t t = new_task(), p = new_port_send(), th = faulting_thread(t, 0, p);
	struct exc_msg e;
	int i;

	OK(thread_resume(th));
	exc_receive(p, &e);
	OK(thread_terminate(th));
	for (i = 0; i < 100 && ptype(th) != MACH_PORT_TYPE_DEAD_NAME; i++)
		swtch();
	CHECK_EQ(ptype(th), MACH_PORT_TYPE_DEAD_NAME);
	/* The kernel's reply port went with the wait: our right to it is dead. */
	CHECK_EQ(ptype(e.reply), MACH_PORT_TYPE_DEAD_NAME);
	destroy(e.reply);
	task_kill(t);
	destroy(th);
	destroy(p);
}

CTEST(exc_task_terminated_while_waiting)
{
	mach_port_t t = new_task(), p = new_port_send(), th = faulting_thread(t, 0, p);
	struct exc_msg e;

	OK(thread_resume(th));
	exc_receive(p, &e);
	task_kill(t);				/* its thread is blocked in the exception */
	CHECK_EQ(ptype(th), MACH_PORT_TYPE_DEAD_NAME);
	CHECK_EQ(ptype(e.reply), MACH_PORT_TYPE_DEAD_NAME);
	destroy(e.reply);
	destroy(th);
	destroy(p);
}

CTEST(exc_abort_while_waiting)
{
	mach_port_t t = new_task(), p = new_port_send(), th = faulting_thread(t, 0, p);
	struct exc_msg e, e2;

	OK(thread_resume(th));
	exc_receive(p, &e);
	OK(thread_abort(th));			/* dropped: it faults again */
	exc_receive(p, &e2);
	CHECK_EQ(e2.exception, EXC_BAD_ACCESS);
	CHECK_EQ(ptype(e.reply), MACH_PORT_TYPE_DEAD_NAME);
	destroy(e.reply);
	exc_reply(&e2, KERN_FAILURE);
	task_kill(t);
	destroy(th);
	destroy(p);
}
