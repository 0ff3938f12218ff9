/*
 * linux: the Linux personality server. One thread, one message loop: guests' system
 * calls (foreign_syscall requests on each process's syscall port), their exceptions
 * (exception_raise on the server's exception port), the terminal's device replies.
 *
 * Started by bootstrap with `args [--tty DEVICE] [--test] [--] PROGRAM ARGS...`: it
 * fetches the root image (boot module root.cpio), mounts it, opens the terminal and
 * runs PROGRAM as pid 1. --test is for scenarios: once pid 1 has exited, its status is
 * reported in lib/test's protocol (TEST PASS/FAIL linux-init-status, TESTS DONE) and
 * the run ends through QEMU's exit device (the manifest grants `io 0xf4 0xf4`).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mach/mach_interface.h>
#include <mach/mach_host.h>
#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include <mach/task_special_ports.h>
#include <bootstrap/bootstrap_user.h>
#include "mach_test.h"
#include "test.h"
#include "lx.h"
#include "lx_core.h"

mach_port_t lx_host, lx_portset, lx_excport;
struct lx_thread *lx_current;

static unsigned pending_wake;		/* LX_EV_* to run after the current message */
static struct lx_thread *parked;	/* parked threads */
static unsigned parked_deadlines;	/* how many of them have a deadline */
static bool exit_on_init;

uint64_t lx_now_ns(void)
{
	time_value64_t tv;

	if (host_get_uptime64(lx_host, &tv) != KERN_SUCCESS)
		return 0;
	return (uint64_t)tv.seconds * 1000000000ull + (uint64_t)tv.nanoseconds;
}

void lx_realtime(struct linux_timespec *ts)
{
	time_value64_t tv = { 0, 0 };

	host_get_time64(lx_host, &tv);
	ts->tv_sec = tv.seconds;
	ts->tv_nsec = tv.nanoseconds;
}

/* --------------------------------------------------------------- replies */

/*
 * Two message buffers take turns. The loop receives into one (`in`); the reply to the
 * message being handled is held, written into the other, and goes out with the loop's
 * next mach_msg, which sends it and receives into the same buffer (one trap for both,
 * as a MIG server loop does). Any other reply is sent at once.
 */
typedef union {
	mach_msg_header_t h;
	foreign_syscall_reply_t reply;
	uint8_t bytes[8192];
} lx_msgbuf_t;

static lx_msgbuf_t bufs[2];
static lx_msgbuf_t *in = &bufs[0];
static bool may_hold, holding;

static lx_msgbuf_t *other_buf(void)
{
	return in == &bufs[0] ? &bufs[1] : &bufs[0];
}

/* The descriptors of a foreign_syscall reply, as MIG writes them. */
static const mach_msg_type_t int32_type = { .msgt_name = MACH_MSG_TYPE_INTEGER_32, .msgt_size = 32,
					    .msgt_number = 1, .msgt_inline = 1 };
static const mach_msg_type_t regs_type = { .msgt_name = MACH_MSG_TYPE_INTEGER_64, .msgt_size = 64,
					   .msgt_number = FOREIGN_REG_COUNT, .msgt_inline = 1 };

/*
 * Writes the reply into m: the registers in mask, from regs. The kernel reads only the
 * masked slots of new_regs, so the others are left as they are (an ordinary return
 * writes one word, not the whole set).
 */
static void build_reply(foreign_syscall_reply_t *m, mach_port_t reply, int id, const uint64_t *regs,
			uint32_t mask)
{
	m->Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	m->Head.msgh_size = sizeof(*m);
	m->Head.msgh_remote_port = reply;
	m->Head.msgh_local_port = MACH_PORT_NULL;
	m->Head.msgh_seqno = 0;
	m->Head.msgh_id = FOREIGN_REPLY_ID(id);
	m->RetCodeType = int32_type;
	m->RetCode = KERN_SUCCESS;
	m->maskType = int32_type;
	m->mask = mask;
	m->new_regsType = regs_type;
	if (mask == FOREIGN_MASK(FOREIGN_REG_RAX)) {	/* an ordinary return */
		m->new_regs[FOREIGN_REG_RAX] = regs[FOREIGN_REG_RAX];
		return;
	}
	for (uint32_t left = mask; left; left &= left - 1) {
		int i = __builtin_ctz(left);

		m->new_regs[i] = regs[i];
	}
}

static void send_reply(mach_port_t reply, int id, const uint64_t *regs, uint32_t mask)
{
	if (may_hold && !holding) {
		build_reply(&other_buf()->reply, reply, id, regs, mask);
		holding = true;
		return;
	}
	foreign_syscall_reply_t m;

	build_reply(&m, reply, id, regs, mask);
	mach_msg(&m.Head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
		 MACH_PORT_NULL);
}

void lx_flush_reply(void)
{
	if (!holding)
		return;
	holding = false;
	mach_msg(&other_buf()->h, MACH_SEND_MSG, sizeof(foreign_syscall_reply_t), 0, MACH_PORT_NULL,
		 MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

void lx_reply_regs(struct lx_thread *t, const foreign_regs_t regs, uint32_t mask)
{
	if (t->reply == MACH_PORT_NULL)
		return;
	send_reply(t->reply, FOREIGN_SYSCALL_ID, regs, mask);
	t->reply = MACH_PORT_NULL;
}

void lx_reply(struct lx_thread *t, long result)
{
	if (t->reply == MACH_PORT_NULL)
		return;
	/* A signal to deliver turns the return into a jump to its handler (or ends the
	   process, or stops it: then no reply now). */
	if ((usig_deliverable(&t->usig, &t->proc->usig) || t->proc->state == LX_STOPPED) &&
	    lx_signal_deliver(t, result))
		return;
	t->regs[FOREIGN_REG_RAX] = (uint64_t)result;
	lx_reply_regs(t, t->regs, FOREIGN_MASK(FOREIGN_REG_RAX));
}

/* --------------------------------------------------------------- parking */

long lx_block(struct lx_thread *t, unsigned events, uint64_t deadline)
{
	if (!t->parked) {
		t->parked = true;
		t->next_parked = parked;
		parked = t;
	} else if (t->deadline) {
		parked_deadlines--;
	}
	t->events = events | LX_EV_SIGNAL;
	t->deadline = deadline;
	if (deadline)
		parked_deadlines++;
	return LX_BLOCK;
}

void lx_unpark(struct lx_thread *t)
{
	for (struct lx_thread **pp = &parked; *pp; pp = &(*pp)->next_parked)
		if (*pp == t) {
			*pp = t->next_parked;
			if (t->deadline)
				parked_deadlines--;
			break;
		}
	t->parked = false;
}

void lx_wake(unsigned events)
{
	pending_wake |= events;
}

/* Runs t's system call (again); replies unless it parks or answers itself. */
static void run_call(struct lx_thread *t)
{
	uint64_t nr = t->nr;
	lx_syscall_fn fn = nr < LINUX_SYS_COUNT ? lx_syscalls[nr] : NULL;
	const uint64_t *r = t->regs;
	uint64_t a[6] = { r[FOREIGN_REG_RDI], r[FOREIGN_REG_RSI], r[FOREIGN_REG_RDX],
			  r[FOREIGN_REG_R10], r[FOREIGN_REG_R8], r[FOREIGN_REG_R9] };
	long res;

	lx_current = t;
	if (!fn) {
		lx_log_enosys(t);
		res = -LINUX_ENOSYS;
	} else {
		res = fn(t, a);
	}
	lx_current = NULL;
	if (res == LX_NOREPLY)
		return;
	if (res == LX_BLOCK) {
		/* A signal that came meanwhile interrupts at once. */
		if (lx_signal_pending(t))
			lx_wake_thread(t);
		return;
	}
	t->first = false;
	if (t->parked)
		lx_unpark(t);
	lx_reply(t, res);
}

/* Runs a parked thread's call again. */
static void rerun(struct lx_thread *t)
{
	t->kicked = false;
	if (!t->parked || t->reply == MACH_PORT_NULL)
		return;
	lx_unpark(t);
	t->first = false;
	run_call(t);
}

void lx_wake_thread(struct lx_thread *t)
{
	if (!t->parked)
		return;
	t->kicked = true;
	pending_wake |= LX_EV_SIGNAL;
}

/* Wakes what waits for events, and threads whose deadline passed; again while the
   re-runs cause more wakes. */
static void run_wakes(void)
{
	for (int round = 0; round < 64; round++) {
		unsigned ev = pending_wake;
		bool any_deadline = parked_deadlines != 0;
		uint64_t now = any_deadline ? lx_now_ns() : 0;

		pending_wake = 0;
		if (!ev && !any_deadline)
			return;
		/* Collect first: re-running changes the list. */
		struct lx_thread *run[LX_PROC_LIMIT * 2];
		int n = 0;
		for (struct lx_thread *t = parked; t && n < (int)(sizeof(run) / sizeof(run[0])); t = t->next_parked) {
			bool due = t->deadline && now >= t->deadline;
			if ((t->events & ev & ~LX_EV_SIGNAL) || t->kicked || due) {
				t->timed_out = due;
				run[n++] = t;
			}
		}
		for (int i = 0; i < n; i++)
			if (run[i]->parked)
				rerun(run[i]);
		if (!pending_wake)
			return;
	}
}

/* Milliseconds until the nearest deadline, or MACH_MSG_TIMEOUT_NONE. */
static mach_msg_timeout_t next_timeout(void)
{
	uint64_t next = 0;

	if (!parked_deadlines && !lx_timers_next())
		return MACH_MSG_TIMEOUT_NONE;

	if (parked_deadlines)
		for (struct lx_thread *t = parked; t; t = t->next_parked)
			if (t->deadline && (!next || t->deadline < next))
				next = t->deadline;
	uint64_t tnext = lx_timers_next();
	if (tnext && (!next || tnext < next))
		next = tnext;
	if (!next)
		return MACH_MSG_TIMEOUT_NONE;
	uint64_t now = lx_now_ns();
	if (next <= now)
		return 0;
	uint64_t ms = (next - now + 999999) / 1000000;
	return ms > 1000000 ? 1000000 : (mach_msg_timeout_t)ms;
}

/* --------------------------------------------------------------- ENOSYS log */

void lx_log_enosys(struct lx_thread *t)
{
	static uint8_t seen[(LINUX_SYS_COUNT + 7) / 8 + 1];
	uint64_t nr = t->nr;

	if (nr < LINUX_SYS_COUNT) {
		if (seen[nr / 8] & (1u << (nr % 8)))
			return;
		seen[nr / 8] |= (uint8_t)(1u << (nr % 8));
	} else {
		if (seen[sizeof(seen) - 1])
			return;
		seen[sizeof(seen) - 1] = 1;
	}
	const char *name = nr < LINUX_SYS_COUNT ? linux_syscall_name((int)nr) : NULL;
	printf("linux: pid %d (%s): system call %lu (%s) not implemented: ENOSYS\n",
	       t->proc->pid, t->proc->comm, (unsigned long)nr, name ? name : "unknown");
}

/* --------------------------------------------------------------- messages */

static void handle_syscall(mach_msg_header_t *h)
{
	foreign_syscall_request_t *req = (foreign_syscall_request_t *)h;
	/* A syscall port's protected payload is its process (proc.c). */
	struct lx_proc *p = MACH_MSGH_BITS_LOCAL(h->msgh_bits) == MACH_MSG_TYPE_PROTECTED_PAYLOAD ?
			    (struct lx_proc *)(uintptr_t)h->msgh_protected_payload : NULL;
	struct lx_thread *t = p ? p->threads : NULL;

	if (!t || t->reply != MACH_PORT_NULL) {
		/* Not ours (a process being torn down): let the thread take its exception. */
		mach_port_deallocate(mach_task_self(), h->msgh_remote_port);
		return;
	}
	t->reply = h->msgh_remote_port;
	/* 18 words by rep movsq (the compiler's inline copy moves 4 bytes at a time). */
	const void *from = req->regs;
	void *to = t->regs;
	__asm__ volatile("rep movsq" : "+D"(to), "+S"(from) : "c"((size_t)FOREIGN_REG_COUNT) : "memory");
	t->nr = t->regs[FOREIGN_REG_RAX];
	t->first = true;
	t->timed_out = false;
	run_call(t);
}

/* The exception message (exc.defs exception_raise, 2400) as the kernel sends it. */
struct exc_request {
	mach_msg_header_t Head;
	mach_msg_type_t threadType;
	uint64_t thread;
	mach_msg_type_t taskType;
	uint64_t task;
	mach_msg_type_t exceptionType;
	int32_t exception;
	int32_t pad1;
	mach_msg_type_t codeType;
	int32_t code;
	int32_t pad2;
	mach_msg_type_t subcodeType;
	int64_t subcode;
};
_Static_assert(sizeof(struct exc_request) == 112, "exception_raise request");

struct exc_reply {
	mach_msg_header_t Head;
	mach_msg_type_t RetCodeType;
	int32_t RetCode;
	int32_t pad;
};

static void handle_exception(mach_msg_header_t *h)
{
	struct exc_request *e = (struct exc_request *)h;
	struct exc_reply r;
	mach_port_t thread = (mach_port_t)e->thread, task = (mach_port_t)e->task;
	kern_return_t rc = lx_exception(task, thread, e->exception, e->code, e->subcode);

	mach_port_deallocate(mach_task_self(), thread);
	mach_port_deallocate(mach_task_self(), task);
	memset(&r, 0, sizeof(r));
	r.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	r.Head.msgh_size = sizeof(r);
	r.Head.msgh_remote_port = h->msgh_remote_port;
	r.Head.msgh_id = h->msgh_id + 100;
	r.RetCodeType = (mach_msg_type_t){ .msgt_name = MACH_MSG_TYPE_INTEGER_32, .msgt_size = 32,
					   .msgt_number = 1, .msgt_inline = 1 };
	r.RetCode = rc;
	if (rc == MIG_NO_REPLY)
		return;
	mach_msg(&r.Head, MACH_SEND_MSG, sizeof(r), 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
		 MACH_PORT_NULL);
}

/*
 * pid 1 is gone. Once the terminal's output has reached the serial server, and a
 * moment later its UART (the server answers a write when the bytes are in its ring),
 * the log says so; with --test, the status goes out in the test protocol too and
 * QEMU's exit device ends the run.
 */
static bool init_reported;

static void report_init_exit(void)
{
	static uint64_t flushed_at;

	if (!lx_tty_flushed()) {
		flushed_at = 0;
		return;
	}
	if (!flushed_at)
		flushed_at = lx_now_ns();
	if (lx_now_ns() - flushed_at < 100000000ull)
		return;
	init_reported = true;
	int st = lx_init_status();
	if ((st & 0x7f) == 0)
		printf("linux: init exited with status %d\n", (st >> 8) & 0xff);
	else
		printf("linux: init killed by signal %d\n", st & 0x7f);
	if (!exit_on_init)
		return;
	if (lx_init_status() == 0)
		test_pass("linux-init-status");
	else
		test_fail("linux-init-status", __FILE__, __LINE__, "pid 1 ended with wait status 0x%x",
			  lx_init_status());
	test_done();
	test_end_run();
}

static void serve(void)
{
	for (;;) {
		mach_msg_timeout_t to = next_timeout();

		if (!init_reported && lx_init_exited() && (to == MACH_MSG_TIMEOUT_NONE || to > 10))
			to = 10;
		mach_msg_option_t opt = MACH_RCV_MSG | (to != MACH_MSG_TIMEOUT_NONE ? MACH_RCV_TIMEOUT : 0);
		mach_msg_size_t send_size = 0;

		if (holding) {
			in = other_buf();
			opt |= MACH_SEND_MSG;
			send_size = sizeof(foreign_syscall_reply_t);
			holding = false;
		}
		/* The trap itself: mach_msg's wrapper is a tenth of a null system call. */
		mach_msg_return_t mr;
		do
			mr = mach_msg_trap(&in->h, opt, send_size, sizeof(*in), lx_portset,
					   to == MACH_MSG_TIMEOUT_NONE ? 0 : to, MACH_PORT_NULL);
		while (mr == MACH_SEND_INTERRUPTED);	/* (not sent: again) */

		may_hold = true;
		if (mr == MACH_MSG_SUCCESS) {
			if (in->h.msgh_id == FOREIGN_SYSCALL_ID)
				handle_syscall(&in->h);
			else if (in->h.msgh_local_port == lx_excport && in->h.msgh_id == 2400)
				handle_exception(&in->h);
			else if (!lx_tty_message(&in->h) && MACH_PORT_VALID(in->h.msgh_remote_port))
				mach_port_deallocate(mach_task_self(), in->h.msgh_remote_port);
		} else if (mr != MACH_RCV_TIMED_OUT && (mr & 0x10000000) == 0) {
			/* (A send error, 0x1000xxxx: that thread is gone; nothing to do.) */
			printf("linux: receive failed: 0x%x\n", mr);
		}
		may_hold = false;
		/* The clock is a kernel call: read it only when a timer is set. */
		if (lx_timers_next())
			lx_timers_run(lx_now_ns());
		if (pending_wake || parked_deadlines)
			run_wakes();
		if (!init_reported && lx_init_exited())
			report_init_exit();
	}
}

/* --------------------------------------------------------------- boot */

static mach_port_t bootstrap_port(void)
{
	mach_port_t p = MACH_PORT_NULL;

	task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &p);
	return p;
}

int main(int argc, char **argv)
{
	mach_port_t boot = bootstrap_port(), devmaster = MACH_PORT_NULL;
	const char *tty = "com0";
	vm_address_t cpio = 0;
	mach_msg_type_number_t cpio_size = 0;
	int i = 1;
	long err;

	for (; i < argc; i++) {
		if (strcmp(argv[i], "--tty") == 0 && i + 1 < argc)
			tty = argv[++i];
		else if (strcmp(argv[i], "--test") == 0)
			exit_on_init = true;
		else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else
			break;
	}
	if (i >= argc) {
		printf("linux: usage: linux [--tty DEVICE] [--test] [--] PROGRAM ARGS...\n");
		return 1;
	}
	lx_host = mach_host_self();
	ucore_set_clock(lx_ucore_clock);
	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &lx_portset) != KERN_SUCCESS ||
	    mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &lx_excport) != KERN_SUCCESS ||
	    mach_port_insert_right(mach_task_self(), lx_excport, lx_excport,
				   MACH_MSG_TYPE_MAKE_SEND) != KERN_SUCCESS ||
	    mach_port_move_member(mach_task_self(), lx_excport, lx_portset) != KERN_SUCCESS) {
		printf("linux: cannot make ports\n");
		return 1;
	}
	if (bootstrap_module(boot, "root.cpio", &cpio, &cpio_size) != KERN_SUCCESS) {
		printf("linux: no root image (boot module root.cpio)\n");
		return 1;
	}
	err = lx_fs_init((const void *)cpio, cpio_size);
	if (err < 0) {
		printf("linux: root image: error %ld\n", -err);
		return 1;
	}
	if (bootstrap_lookup(boot, "device-master", &devmaster) != KERN_SUCCESS ||
	    (err = lx_tty_init(devmaster, tty)) < 0)
		printf("linux: no terminal %s (%ld): guests run without one\n", tty, err);
	err = lx_start_init(argc - i, argv + i);
	if (err < 0) {
		printf("linux: cannot start %s: error %ld\n", argv[i], -err);
		return 1;
	}
	char status[128];
	snprintf(status, sizeof(status), "pid 1 is %s, terminal %s", argv[i], tty);
	bootstrap_ready(boot, status);
	serve();
	return 0;
}
