/* Threads: creation, suspension counts, termination and abort, thread states (ABI
   section 9), thread_info (section 12), special ports, names and priorities. */
#include <mach/gnumach.h>
#include "thr.h"

#define RFLAGS_CF	0x1ull
#define RFLAGS_TF	0x100ull
#define RFLAGS_IF	0x200ull
#define RFLAGS_IOPL	0x3000ull
#define RFLAGS_NT	0x4000ull
#define RFLAGS_RF	0x10000ull

static kern_return_t set_raw(mach_port_t th, int flavor, const void *s, unsigned count)
{
	return thread_set_state(th, flavor, (thread_state_t)s, count);
}

CTEST(thread_create_initial_state)
{
	mach_port_t t = new_task(), th = new_thread_in(t);
	struct i386_thread_state s;
	uint64_t fsgs[2] = { 1, 1 };
	mach_msg_type_number_t n = 4;

	memset(&s, 0xAA, sizeof(s));
	state_get(th, &s);
	CHECK_EQ(s.r8 | s.r9 | s.r10 | s.r11 | s.r12 | s.r13 | s.r14 | s.r15, 0);
	CHECK_EQ(s.rdi | s.rsi | s.rbp | s.rsp | s.rbx | s.rdx | s.rcx | s.rax, 0);
	CHECK_EQ(s.rip, 0);
	CHECK_EQ(s.ursp, 0);
	CHECK_EQ(s.rfl, RFLAGS_IF);
	CHECK_EQ(s.cs, USER_CS);
	CHECK_EQ(s.ss, USER_SS);
	OK(thread_get_state(th, i386_FSGS_BASE_STATE, (thread_state_t)fsgs, &n));
	CHECK_EQ(fsgs[0], 0);
	CHECK_EQ(fsgs[1], 0);
	CHECK_EQ(thread_suspend_count(th), 1);		/* created suspended */
	CHECK_EQ(thread_run_state(th), TH_STATE_STOPPED);
	task_kill(t);
	destroy(th);
}

CTEST(thread_create_bad_task)
{
	mach_port_t th = 0;

	CHECK_KR(thread_create(ct_host, &th), KERN_INVALID_ARGUMENT);
	CHECK_KR(thread_create(ct_thread, &th), KERN_INVALID_ARGUMENT);
	CHECK_EQ(th, MACH_PORT_NULL);
}

CTEST(thread_suspend_counts)
{
	mach_port_t t = new_task(), th = new_thread_in(t);

	OK(thread_suspend(th));
	OK(thread_suspend(th));
	CHECK_EQ(thread_suspend_count(th), 3);
	OK(thread_resume(th));
	OK(thread_resume(th));
	CHECK_EQ(thread_suspend_count(th), 1);
	CHECK_EQ(thread_run_state(th), TH_STATE_STOPPED);
	task_kill(t);
	destroy(th);
}

CTEST(thread_state_count_rules)
{
	mach_port_t t = new_task(), th = new_thread_in(t);
	uint32_t buf[200];
	mach_msg_type_number_t n;

	memset(buf, 0, sizeof(buf));
	n = THREAD_STATE_COUNT - 1;
	CHECK_KR(thread_get_state(th, i386_THREAD_STATE, buf, &n), KERN_INVALID_ARGUMENT);
	n = 200;
	OK(thread_get_state(th, i386_THREAD_STATE, buf, &n));
	CHECK_EQ(n, THREAD_STATE_COUNT);		/* the flavor's count, not ours */
	CHECK_KR(set_raw(th, i386_THREAD_STATE, buf, THREAD_STATE_COUNT - 1), KERN_INVALID_ARGUMENT);
	n = 200;
	CHECK_KR(thread_get_state(th, i386_V86_ASSIST_STATE, buf, &n), KERN_INVALID_ARGUMENT);
	CHECK_KR(set_raw(th, i386_V86_ASSIST_STATE, buf, 100), KERN_INVALID_ARGUMENT);
	n = 200;
	CHECK_KR(thread_get_state(th, 9, buf, &n), KERN_INVALID_ARGUMENT);
	n = 200;
	CHECK_KR(thread_get_state(th, -1, buf, &n), KERN_INVALID_ARGUMENT);
	n = 200;
	OK(thread_get_state(th, 0, buf, &n));		/* THREAD_STATE_FLAVOR_LIST */
	CHECK_EQ(n, 3);
	CHECK_EQ(buf[0], 1);
	CHECK_EQ(buf[1], 2);
	CHECK_EQ(buf[2], 3);
	CHECK_KR(set_raw(th, 0, buf, 3), KERN_INVALID_ARGUMENT);
	task_kill(t);
	destroy(th);
}

CTEST(thread_state_round_trip)
{
	mach_port_t t = new_task(), th = new_thread_in(t);
	struct i386_thread_state s, g;
	uint64_t *w = (uint64_t *)&s;

	state_get(th, &s);
	for (int i = 0; i < 16; i++)
		w[i] = 0x1111111111111111ull * (uint64_t)(i + 1) & 0x00007FFFFFFFFFFFull;
	s.rip = 0x401000;
	s.ursp = 0x7FFFFFFFE000;
	s.rfl = RFLAGS_IF | RFLAGS_CF;
	state_set(th, &s);
	state_get(th, &g);
	s.rsp = 0;					/* ignored on set, reads as 0 */
	CHECK_EQ(g.rsp, 0);
	CHECK(memcmp(&g, &s, 128) == 0);
	CHECK_EQ(g.rip, 0x401000);
	CHECK_EQ(g.ursp, 0x7FFFFFFFE000);
	CHECK_EQ(g.rfl, RFLAGS_IF | RFLAGS_CF);
	task_kill(t);
	destroy(th);
}

CTEST(thread_state_rflags_sanitized)
{
	mach_port_t t = new_task(), th = new_thread_in(t);
	struct i386_thread_state s;

	state_get(th, &s);
	s.rfl = RFLAGS_IOPL | RFLAGS_NT | RFLAGS_RF | RFLAGS_TF | RFLAGS_CF;	/* IF clear */
	state_set(th, &s);
	state_get(th, &s);
	CHECK_EQ(s.rfl, RFLAGS_TF | RFLAGS_CF | RFLAGS_IF);
	task_kill(t);
	destroy(th);
}

CTEST(thread_state_flavor1_forces_user_segments)
{
	mach_port_t t = new_task(), th = new_thread_in(t);
	struct i386_thread_state s;

	state_get(th, &s);
	s.cs = 0x08;			/* the kernel's code selector */
	s.ss = 0x10;
	state_set(th, &s);
	state_get(th, &s);
	CHECK_EQ(s.cs, USER_CS);
	CHECK_EQ(s.ss, USER_SS);
	task_kill(t);
	destroy(th);
}

CTEST(thread_state_regs_segs_refuses_bad_selectors)
{
	mach_port_t t = new_task(), th = new_thread_in(t);
	struct i386_thread_state s;
	static const uint32_t bad[][2] = {
		{ 0x08, USER_SS }, { 0x00, USER_SS }, { 0x1b, USER_SS }, { 0x0f, USER_SS },
		{ USER_CS, 0x10 }, { USER_CS, 0x00 }, { USER_CS, 0x13 }, { 0x4b, 0x53 },
	};

	state_get(th, &s);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s.cs = bad[i][0];
		s.ss = bad[i][1];
		s.rip = 0x1234;
		CHECK_KR(set_raw(th, i386_REGS_SEGS_STATE, &s, THREAD_STATE_COUNT), KERN_INVALID_ARGUMENT);
	}
	state_get(th, &s);
	CHECK_EQ(s.rip, 0);				/* nothing changed */
	s.cs = USER_CS;
	s.ss = USER_SS;
	s.rip = 0x1234;
	OK(set_raw(th, i386_REGS_SEGS_STATE, &s, THREAD_STATE_COUNT));
	state_get(th, &s);
	CHECK_EQ(s.rip, 0x1234);
	task_kill(t);
	destroy(th);
}

CTEST(thread_state_refuses_noncanonical)
{
	mach_port_t t = new_task(), th = new_thread_in(t);
	struct i386_thread_state s, g;
	static const uint64_t bad[] = {
		0x0000800000000000ull, 0xFFFF7FFFFFFFFFFFull, 0x8000000000000000ull, 0x00FF000000000000ull,
	};

	state_get(th, &s);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		g = s;
		g.rip = bad[i];
		CHECK_KR(set_raw(th, i386_THREAD_STATE, &g, THREAD_STATE_COUNT), KERN_INVALID_ARGUMENT);
		g = s;
		g.ursp = bad[i];
		CHECK_KR(set_raw(th, i386_THREAD_STATE, &g, THREAD_STATE_COUNT), KERN_INVALID_ARGUMENT);
		CHECK_KR(set_raw(th, i386_REGS_SEGS_STATE, &g, THREAD_STATE_COUNT), KERN_INVALID_ARGUMENT);
	}
	state_get(th, &g);
	CHECK_EQ(g.rip, 0);
	CHECK_EQ(g.ursp, 0);
	task_kill(t);
	destroy(th);
}

CTEST(thread_state_fsgs_base)
{
	mach_port_t t = new_task(), th = new_thread_in(t);
	uint64_t v[2] = { 0x10000, 0x7FFFFFFFF000 }, g[2];
	mach_msg_type_number_t n = 4;

	OK(set_raw(th, i386_FSGS_BASE_STATE, v, 4));
	OK(thread_get_state(th, i386_FSGS_BASE_STATE, (thread_state_t)g, &n));
	CHECK_EQ(n, 4);
	CHECK_EQ(g[0], v[0]);
	CHECK_EQ(g[1], v[1]);
	v[0] = 0x0000800000000000ull;		/* not canonical: wrmsr would fault */
	CHECK_KR(set_raw(th, i386_FSGS_BASE_STATE, v, 4), KERN_INVALID_ARGUMENT);
	v[0] = 0;
	v[1] = 0xFFFFFFFF80000000ull;		/* a kernel address */
	CHECK_KR(set_raw(th, i386_FSGS_BASE_STATE, v, 4), KERN_INVALID_ARGUMENT);
	CHECK_KR(set_raw(th, i386_FSGS_BASE_STATE, v, 3), KERN_INVALID_ARGUMENT);
	task_kill(t);
	destroy(th);
}

CTEST(thread_state_debug_and_isa)
{
	mach_port_t t = new_task(), th = new_thread_in(t);
	uint32_t dr[8] = { 0x1000, 0x2000, 0, 0, 0, 0, 0x0FF0, 0x401 }, g[64];
	mach_msg_type_number_t n = 64;

	OK(set_raw(th, i386_DEBUG_STATE, dr, 8));
	OK(thread_get_state(th, i386_DEBUG_STATE, g, &n));
	CHECK_EQ(n, 8);
	CHECK(memcmp(g, dr, sizeof(dr)) == 0);
	CHECK_KR(set_raw(th, i386_DEBUG_STATE, dr, 7), KERN_INVALID_ARGUMENT);
	n = 64;
	OK(thread_get_state(th, i386_ISA_PORT_MAP_STATE, g, &n));
	CHECK_EQ(n, 32);
	for (int i = 0; i < 32; i++)
		CHECK_EQ(g[i], 0xFFFFFFFFu);		/* no I/O permissions */
	OK(set_raw(th, i386_ISA_PORT_MAP_STATE, g, 32));	/* accepted, ignored */
	task_kill(t);
	destroy(th);
}

CTEST(thread_state_float_round_trip)
{
	mach_port_t t = new_task(), th = new_thread_in(t);
	uint32_t f[FLOAT_STATE_COUNT], x[XFLOAT_STATE_COUNT];
	mach_msg_type_number_t n = FLOAT_STATE_COUNT;
	uint16_t fcw;

	OK(thread_get_state(th, i386_FLOAT_STATE, f, &n));
	CHECK_EQ(n, FLOAT_STATE_COUNT);
	CHECK_EQ(f[2] & 0xFFFF, 0x37F);		/* fcw after FNINIT */
	f[1] = 1;				/* initialized */
	f[2] = 0x27F;
	OK(set_raw(th, i386_FLOAT_STATE, f, FLOAT_STATE_COUNT));
	n = XFLOAT_STATE_COUNT;
	OK(thread_get_state(th, i386_XFLOAT_STATE, x, &n));
	CHECK_EQ(n, XFLOAT_STATE_COUNT);
	CHECK_EQ(x[3], 1);			/* fp_save_kind FXSAVE */
	memcpy(&fcw, &x[4], 2);
	CHECK_EQ(fcw, 0x27F);
	CHECK_EQ(x[4 + 6], 0x1F80);		/* MXCSR */
	f[1] = 0;				/* discard: back to the initial state */
	OK(set_raw(th, i386_FLOAT_STATE, f, FLOAT_STATE_COUNT));
	n = FLOAT_STATE_COUNT;
	OK(thread_get_state(th, i386_FLOAT_STATE, f, &n));
	CHECK_EQ(f[2] & 0xFFFF, 0x37F);
	CHECK_KR(set_raw(th, i386_FLOAT_STATE, f, FLOAT_STATE_COUNT - 1), KERN_INVALID_ARGUMENT);
	task_kill(t);
	destroy(th);
}

CTEST(thread_state_xfloat_rules)
{
	mach_port_t t = new_task(), th = new_thread_in(t);
	uint32_t x[XFLOAT_STATE_COUNT];
	mach_msg_type_number_t n = XFLOAT_STATE_COUNT;

	OK(thread_get_state(th, i386_XFLOAT_STATE, x, &n));
	x[3] = 0;				/* FNSAVE: not the kernel's kind */
	CHECK_KR(set_raw(th, i386_XFLOAT_STATE, x, XFLOAT_STATE_COUNT), KERN_INVALID_ARGUMENT);
	x[3] = 2;
	CHECK_KR(set_raw(th, i386_XFLOAT_STATE, x, XFLOAT_STATE_COUNT), KERN_INVALID_ARGUMENT);
	x[3] = 1;
	x[4 + 6] = 0xFFFFFFFF;			/* MXCSR with reserved bits: kept out */
	OK(set_raw(th, i386_XFLOAT_STATE, x, XFLOAT_STATE_COUNT));
	n = XFLOAT_STATE_COUNT;
	OK(thread_get_state(th, i386_XFLOAT_STATE, x, &n));
	CHECK_EQ(x[4 + 6] & ~x[4 + 7], 0);	/* nothing outside MXCSR_MASK */
	CHECK_KR(set_raw(th, i386_XFLOAT_STATE, x, XFLOAT_STATE_COUNT - 1), KERN_INVALID_ARGUMENT);
	task_kill(t);
	destroy(th);
}

CTEST(thread_inherits_creator_control_word)
{
	uint16_t saved, mine = 0x27F;
	uint32_t f[FLOAT_STATE_COUNT];
	mach_msg_type_number_t n = FLOAT_STATE_COUNT;
	mach_port_t th, t = new_task(), other;

	__asm__ volatile("fnstcw %0" : "=m"(saved));
	__asm__ volatile("fldcw %0" :: "m"(mine));
	OK(thread_create(ct_task, &th));
	other = new_thread_in(t);
	__asm__ volatile("fldcw %0" :: "m"(saved));
	OK(thread_get_state(th, i386_FLOAT_STATE, f, &n));
	CHECK_EQ(f[2] & 0xFFFF, 0x27F);
	n = FLOAT_STATE_COUNT;
	OK(thread_get_state(other, i386_FLOAT_STATE, f, &n));
	CHECK_EQ(f[2] & 0xFFFF, 0x37F);		/* another task's thread: the default */
	OK(thread_terminate(th));
	task_kill(t);
	destroy(other);
	/* th never ran: it ends at its first switch. */
	for (int i = 0; i < 4; i++)
		swtch();
	destroy(th);
}

CTEST(thread_info_counts)
{
	integer_t info[64];
	mach_msg_type_number_t n;

	n = 64;
	OK(thread_info(ct_thread, THREAD_BASIC_INFO, info, &n));
	CHECK_EQ(n, 32);
	CHECK_EQ(info[11], TH_STATE_RUNNING);
	CHECK_EQ(info[13], 0);
	n = 20;
	OK(thread_info(ct_thread, THREAD_BASIC_INFO, info, &n));
	CHECK_EQ(n, 20);
	n = 19;
	CHECK_KR(thread_info(ct_thread, THREAD_BASIC_INFO, info, &n), KERN_INVALID_ARGUMENT);
	n = 64;
	OK(thread_info(ct_thread, THREAD_SCHED_INFO, info, &n));
	CHECK_EQ(n, 8);
	CHECK_EQ(info[0], 1);			/* POLICY_TIMESHARE */
	CHECK(info[3] <= info[2]);		/* max_priority at least as high as base */
	n = 7;
	OK(thread_info(ct_thread, THREAD_SCHED_INFO, info, &n));
	CHECK_EQ(n, 7);
	n = 6;
	CHECK_KR(thread_info(ct_thread, THREAD_SCHED_INFO, info, &n), KERN_INVALID_ARGUMENT);
	n = 64;
	CHECK_KR(thread_info(ct_thread, 3, info, &n), KERN_INVALID_ARGUMENT);
	CHECK_KR(thread_info(ct_task, THREAD_BASIC_INFO, info, &n), KERN_INVALID_ARGUMENT);
}

CTEST(thread_special_ports)
{
	mach_port_t t = new_task(), th = new_thread_in(t), p = new_port_send(), got;

	OK(thread_get_special_port(th, THREAD_KERNEL_PORT, &got));
	CHECK_EQ(got, th);
	OK(mach_port_deallocate(ct_task, got));
	OK(thread_get_special_port(th, THREAD_EXCEPTION_PORT, &got));
	CHECK_EQ(got, MACH_PORT_NULL);
	OK(thread_set_special_port(th, THREAD_EXCEPTION_PORT, p));
	OK(thread_get_special_port(th, THREAD_EXCEPTION_PORT, &got));
	CHECK_EQ(got, p);
	OK(mach_port_deallocate(ct_task, got));
	CHECK_KR(thread_get_special_port(th, 2, &got), KERN_INVALID_ARGUMENT);
	CHECK_KR(thread_set_special_port(th, 2, p), KERN_INVALID_ARGUMENT);
	CHECK_KR(thread_get_special_port(th, 4, &got), KERN_INVALID_ARGUMENT);
	task_kill(t);
	/* The dead thread's exception right was released. */
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_SEND), 1);
	destroy(th);
	destroy(p);
}

CTEST(thread_names)
{
	mach_port_t t = new_task(), th = new_thread_in(t);
	kernel_debug_name_t name;
	char longname[100];

	OK(thread_set_name(th, "worker-7"));
	OK(thread_get_name(th, name));
	CHECK(strcmp(name, "worker-7") == 0);
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	longname[63] = '\0';			/* kernel_debug_name_t holds 63 characters */
	OK(thread_set_name(th, longname));
	OK(thread_get_name(th, name));
	CHECK_EQ(strlen(name), 63);
	CHECK_KR(thread_get_name(ct_task, name), KERN_INVALID_ARGUMENT);
	task_kill(t);
	destroy(th);
}

CTEST(thread_priority_rules)
{
	mach_port_t t = new_task(), th = new_thread_in(t);
	integer_t s[8];
	mach_msg_type_number_t n = 8;

	CHECK_KR(thread_priority(th, -1, 0), KERN_INVALID_ARGUMENT);
	CHECK_KR(thread_priority(th, 50, 0), KERN_INVALID_ARGUMENT);
	OK(thread_priority(th, 40, 0));
	OK(thread_info(th, THREAD_SCHED_INFO, s, &n));
	CHECK_EQ(s[2], 40);
	/* Above its maximum (a lower number): clamped, and KERN_FAILURE. */
	CHECK_KR(thread_priority(th, s[3] - 1, 0), KERN_FAILURE);
	n = 8;
	OK(thread_info(th, THREAD_SCHED_INFO, s, &n));
	CHECK_EQ(s[2], s[3]);
	/* set_max lowers the maximum too. */
	OK(thread_priority(th, 45, 1));
	n = 8;
	OK(thread_info(th, THREAD_SCHED_INFO, s, &n));
	CHECK_EQ(s[3], 45);
	CHECK_KR(thread_priority(th, 44, 0), KERN_FAILURE);
	task_kill(t);
	destroy(th);
}

CTEST(thread_max_priority_rules)
{
	mach_port_t t = new_task(), th = new_thread_in(t);
	integer_t s[8];
	mach_msg_type_number_t n = 8;

	CHECK_KR(thread_max_priority(th, ct_host, 40), KERN_INVALID_ARGUMENT);
	CHECK_KR(thread_max_priority(th, ct_host_priv, 60), KERN_INVALID_ARGUMENT);
	OK(thread_max_priority(th, ct_host_priv, 40));
	OK(thread_info(th, THREAD_SCHED_INFO, s, &n));
	CHECK_EQ(s[3], 40);
	CHECK_EQ(s[4], 40);			/* the current priority followed */
	task_kill(t);
	destroy(th);
}

/* ---------------------------------------------------------------- running threads */

static bool has_counted(struct child *c)
{
	return c->counter > 2;
}

CTEST(thread_runs_and_exits)
{
	struct child c = { 0 };

	child_create(&c, child_spin);
	c.arg = 1;
	child_start(&c);
	CHECK(wait_until(child_is_done, &c));
	child_join(&c);
}

CTEST(thread_suspend_stops_it)
{
	struct child c = { 0 };
	uint64_t before;

	child_create(&c, child_spin);
	child_start(&c);
	CHECK(wait_until(has_counted, &c));
	CHECK_KR(thread_resume(c.thread), KERN_FAILURE);	/* count 0: not below */
	OK(thread_suspend(c.thread));
	for (int i = 0; i < 5; i++)
		swtch();
	before = c.counter;
	for (int i = 0; i < 20; i++)
		swtch();
	CHECK_EQ(c.counter, before);
	CHECK_EQ(thread_run_state(c.thread), TH_STATE_STOPPED);
	CHECK_EQ(thread_suspend_count(c.thread), 1);
	OK(thread_resume(c.thread));
	c.counter = 0;
	CHECK(wait_until(has_counted, &c));
	c.arg = 1;
	CHECK(wait_until(child_is_done, &c));
	child_join(&c);
}

CTEST(thread_terminate_blocked_in_receive)
{
	struct child c = { 0 };
	mach_port_t p = new_port();

	c.arg2 = p;
	child_create(&c, child_receive_forever);
	child_start(&c);
	CHECK(wait_until(child_is_waiting, &c));
	OK(thread_terminate(c.thread));
	child_join(&c);
	CHECK(!c.done);
	/* The port is still ours and usable. */
	CHECK_KR(send_simple(p, MACH_MSG_TYPE_MAKE_SEND, 1), MACH_MSG_SUCCESS);
	destroy(p);
}

CTEST(thread_abort_receive)
{
	struct child c = { 0 };
	mach_port_t p = new_port();

	c.arg2 = p;
	c.result = -1;
	child_create(&c, child_receive_forever);
	child_start(&c);
	CHECK(wait_until(child_is_waiting, &c));
	OK(thread_abort(c.thread));
	CHECK(wait_until(child_is_done, &c));
	CHECK_KR(c.result, MACH_RCV_INTERRUPTED);
	child_join(&c);
	destroy(p);
}

static void send_blocked(struct child *c)
{
	mach_msg_header_t h = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0),
		.msgh_size = sizeof(h),
		.msgh_remote_port = (mach_port_t)c->arg2,
		.msgh_id = 9,
	};

	c->result = mach_msg_trap(&h, MACH_SEND_MSG, sizeof(h), 0, MACH_PORT_NULL,
				  MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

CTEST(thread_abort_send)
{
	struct child c = { 0 };
	mach_port_t p = new_port();

	OK(mach_port_set_qlimit(ct_task, p, 1));
	CHECK_KR(send_simple(p, MACH_MSG_TYPE_MAKE_SEND, 1), MACH_MSG_SUCCESS);	/* full */
	c.arg2 = p;
	c.result = -1;
	child_create(&c, send_blocked);
	child_start(&c);
	CHECK(wait_until(child_is_waiting, &c));
	OK(thread_abort(c.thread));
	CHECK(wait_until(child_is_done, &c));
	CHECK_KR(c.result & ~0x3c00, MACH_SEND_INTERRUPTED);
	child_join(&c);
	destroy(p);
}

CTEST(thread_abort_idle_thread)
{
	mach_port_t t = new_task(), th = new_thread_in(t);

	OK(thread_abort(th));			/* not waiting: nothing happens */
	CHECK_EQ(thread_run_state(th), TH_STATE_STOPPED);
	CHECK_KR(thread_abort(ct_host), KERN_INVALID_ARGUMENT);
	task_kill(t);
	destroy(th);
}

/* Each thread keeps its own SSE and x87 registers across switches. */
static void sse_keeper(struct child *c)
{
	uint64_t in[2] = { 0x1122334455667788ull, c->arg2 }, out[2];
	int ok = 1;

	__asm__ volatile("movdqu %0, %%xmm3" :: "m"(in) : "xmm3");
	for (int i = 0; i < 50; i++) {
		swtch();
		__asm__ volatile("movdqu %%xmm3, %0" : "=m"(out));
		if (out[0] != in[0] || out[1] != in[1])
			ok = 0;
	}
	c->result = ok;
}

CTEST(thread_fpu_state_is_per_thread)
{
	struct child a = { 0 }, b = { 0 };

	a.arg2 = 0xAAAA;
	b.arg2 = 0xBBBB;
	child_create(&a, sse_keeper);
	child_create(&b, sse_keeper);
	child_start(&a);
	child_start(&b);
	CHECK(wait_until(child_is_done, &a));
	CHECK(wait_until(child_is_done, &b));
	CHECK_EQ(a.result, 1);
	CHECK_EQ(b.result, 1);
	child_join(&a);
	child_join(&b);
}

/* thread_set_self_state with flavor 1 continues in the new state, rax untouched. */
__attribute__((used)) static void landing(struct child *c, uint64_t rax_seen)
{
	c->result = (int64_t)rax_seen;
	c->done = 1;
	child_exit();
}

static void __attribute__((naked)) landing_entry(void)
{
	/* rdi = c (from the state), rax = what the state said: pass it as argument 2. */
	__asm__ volatile("movq %rax, %rsi; andq $-16, %rsp; call landing; ud2");
}

static void jump_by_self_state(struct child *c)
{
	struct i386_thread_state s;

	memset(&s, 0, sizeof(s));
	s.rip = (uint64_t)landing_entry;
	s.rdi = (uint64_t)c;
	s.rax = 0x5EED;
	s.ursp = (uint64_t)c->stack + 8192;
	s.rfl = RFLAGS_IF;
	c->arg = thread_set_self_state(i386_THREAD_STATE, (thread_state_t)&s, THREAD_STATE_COUNT);
}

CTEST(thread_set_self_state_jumps)
{
	struct child c = { 0 };

	c.result = -1;
	child_create(&c, jump_by_self_state);
	child_start(&c);
	CHECK(wait_until(child_is_done, &c));
	CHECK_EQ(c.result, 0x5EED);
	child_join(&c);
}

CTEST(thread_set_self_state_bad_input)
{
	uint64_t fsgs[2] = { 0, 0 }, g[2];
	mach_msg_type_number_t n = 4;
	uint32_t big[160];

	CHECK_KR(thread_set_self_state(99, (thread_state_t)fsgs, 4), KERN_INVALID_ARGUMENT);
	CHECK_KR(thread_set_self_state(i386_FSGS_BASE_STATE, (thread_state_t)fsgs, 0), KERN_INVALID_ARGUMENT);
	memset(big, 0, sizeof(big));
	CHECK_KR(thread_set_self_state(i386_FSGS_BASE_STATE, big, 151), KERN_INVALID_ARGUMENT);
	CHECK_KR(thread_set_self_state(i386_FSGS_BASE_STATE, (thread_state_t)0x10, 4), KERN_INVALID_ARGUMENT);
	CHECK_KR(thread_set_self_state(i386_FSGS_BASE_STATE, (thread_state_t)fsgs, 3), KERN_INVALID_ARGUMENT);
	/* A flavor without rax: KERN_SUCCESS (our bases are 0 and stay 0). */
	OK(thread_set_self_state(i386_FSGS_BASE_STATE, (thread_state_t)fsgs, 4));
	OK(thread_get_state(ct_thread, i386_FSGS_BASE_STATE, (thread_state_t)g, &n));
	CHECK_EQ(g[0], 0);
}
