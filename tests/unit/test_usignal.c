/*
 * Unit tests of the core's signals (personalities/common/usignal.c), each run with two
 * numberings: Linux's and FreeBSD's (SIGUSR1 is 10 on one and 30 on the other, SIGSTOP
 * 19 and 17, SIGCHLD 17 and 20, and their sigaction flag bits differ). Checked: the
 * default actions, what sending does to the pending sets (SIGKILL, SIGSTOP and the
 * other stop signals, SIGCONT, ignored signals), which signal is taken next, masks and
 * sigsuspend, actions that ignore discarding what is pending, one-shot handlers, the
 * parent's SIGCHLD wishes, fork and exec.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "personalities/common/usignal.h"

/* A numbering's facts, as the test needs them by name. */
struct numbering {
	struct usig_abi abi;
	int hup, quit, bus, kill, usr1, segv, pipe, chld, cont, stop, tstp, ttin, ttou, urg, winch;
	uint64_t sa_restart, sa_resethand, sa_nocldstop, sa_nocldwait;
};

/* Linux x86_64 (asm/signal.h). */
static struct numbering linux_n = {
	.abi = {
		.nsig = 64, .sigkill = 9, .sigstop = 19, .sigcont = 18, .sigchld = 17,
		.dfl = {
			[3] = USD_CORE, [4] = USD_CORE, [5] = USD_CORE, [6] = USD_CORE,
			[7] = USD_CORE, [8] = USD_CORE, [11] = USD_CORE, [24] = USD_CORE,
			[25] = USD_CORE, [31] = USD_CORE,
			[19] = USD_STOP, [20] = USD_STOP, [21] = USD_STOP, [22] = USD_STOP,
			[17] = USD_IGNORE, [23] = USD_IGNORE, [28] = USD_IGNORE, [18] = USD_CONT,
		},
		.sa_nocldstop = 0x1, .sa_nocldwait = 0x2, .sa_resethand = 0x80000000u,
	},
	.hup = 1, .quit = 3, .bus = 7, .kill = 9, .usr1 = 10, .segv = 11, .pipe = 13,
	.chld = 17, .cont = 18, .stop = 19, .tstp = 20, .ttin = 21, .ttou = 22, .urg = 23,
	.winch = 28,
	.sa_restart = 0x10000000, .sa_resethand = 0x80000000u, .sa_nocldstop = 0x1,
	.sa_nocldwait = 0x2,
};

/* FreeBSD (sys/signal.h), its first 64 signals. */
static struct numbering freebsd_n = {
	.abi = {
		.nsig = 64, .sigkill = 9, .sigstop = 17, .sigcont = 19, .sigchld = 20,
		.dfl = {
			[3] = USD_CORE, [4] = USD_CORE, [5] = USD_CORE, [6] = USD_CORE,
			[7] = USD_CORE, [8] = USD_CORE, [10] = USD_CORE, [11] = USD_CORE,
			[12] = USD_CORE, [24] = USD_CORE, [25] = USD_CORE,
			[17] = USD_STOP, [18] = USD_STOP, [21] = USD_STOP, [22] = USD_STOP,
			[16] = USD_IGNORE, [20] = USD_IGNORE, [23] = USD_IGNORE, [28] = USD_IGNORE,
			[29] = USD_IGNORE, [19] = USD_CONT,
		},
		.sa_nocldstop = 0x8, .sa_nocldwait = 0x20, .sa_resethand = 0x4,
	},
	.hup = 1, .quit = 3, .bus = 10, .kill = 9, .usr1 = 30, .segv = 11, .pipe = 13,
	.chld = 20, .cont = 19, .stop = 17, .tstp = 18, .ttin = 21, .ttou = 22, .urg = 16,
	.winch = 28,
	.sa_restart = 0x2, .sa_resethand = 0x4, .sa_nocldstop = 0x8, .sa_nocldwait = 0x20,
};

#define B(sig)	USIG_BIT(sig)

/* Each test runs once per numbering: the state is the numbering. */
static int setup_linux(void **state)
{
	usig_abi_init(&linux_n.abi);
	*state = &linux_n;
	return 0;
}

static int setup_freebsd(void **state)
{
	usig_abi_init(&freebsd_n.abi);
	*state = &freebsd_n;
	return 0;
}

static struct usigproc *new_proc(void)
{
	struct usigproc *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	return p;
}

static void handle(const struct numbering *n, struct usigproc *p, int sig, uint64_t flags)
{
	struct usigaction a = { .handler = 0x401000, .flags = flags };

	usig_set_action(&n->abi, p, sig, &a);
}

static void ignore(const struct numbering *n, struct usigproc *p, int sig)
{
	struct usigaction a = { .handler = USIG_IGN };

	usig_set_action(&n->abi, p, sig, &a);
}

static void test_derived_sets(void **state)
{
	const struct numbering *n = *state;
	const struct usig_abi *abi = &n->abi;

	assert_int_equal(abi->stop, B(n->stop) | B(n->tstp) | B(n->ttin) | B(n->ttou));
	assert_true(abi->ignore & B(n->chld));
	assert_true(abi->ignore & B(n->cont));		/* continuing is all it does */
	assert_true(abi->ignore & B(n->urg));
	assert_true(abi->ignore & B(n->winch));
	assert_false(abi->ignore & B(n->usr1));
	assert_int_equal(abi->unblockable, B(n->kill) | B(n->stop));
	assert_true(usig_valid(abi, 1) && usig_valid(abi, 64));
	assert_false(usig_valid(abi, 0) || usig_valid(abi, 65) || usig_valid(abi, -1));
	assert_false(usig_catchable(abi, n->kill));
	assert_false(usig_catchable(abi, n->stop));
	assert_true(usig_catchable(abi, n->tstp));
	assert_false(usig_catchable(abi, 65));
}

static void test_default_actions(void **state)
{
	const struct numbering *n = *state;
	struct usigproc *p = new_proc();

	assert_int_equal(usig_action(&n->abi, p, n->usr1), UACT_TERM);
	assert_int_equal(usig_action(&n->abi, p, n->hup), UACT_TERM);
	assert_int_equal(usig_action(&n->abi, p, n->pipe), UACT_TERM);
	assert_int_equal(usig_action(&n->abi, p, 40), UACT_TERM);	/* real-time (Linux) */
	assert_int_equal(usig_action(&n->abi, p, n->quit), UACT_CORE);
	assert_int_equal(usig_action(&n->abi, p, n->segv), UACT_CORE);
	assert_int_equal(usig_action(&n->abi, p, n->bus), UACT_CORE);
	assert_int_equal(usig_action(&n->abi, p, n->tstp), UACT_STOP);
	assert_int_equal(usig_action(&n->abi, p, n->stop), UACT_STOP);
	assert_int_equal(usig_action(&n->abi, p, n->chld), UACT_NONE);
	assert_int_equal(usig_action(&n->abi, p, n->cont), UACT_NONE);
	/* The other numbering's SIGUSR1 is something else here. */
	int other_usr1 = n == &linux_n ? 30 : 10;
	assert_int_equal(usig_action(&n->abi, p, other_usr1), n == &linux_n ? UACT_TERM : UACT_CORE);
	/* Handlers and SIG_IGN override the default. */
	handle(n, p, n->chld, 0);
	assert_int_equal(usig_action(&n->abi, p, n->chld), UACT_HANDLER);
	ignore(n, p, n->usr1);
	assert_int_equal(usig_action(&n->abi, p, n->usr1), UACT_NONE);
	assert_true(usig_ignored(&n->abi, p, n->usr1));
	assert_true(usig_ignored(&n->abi, p, n->winch));	/* by default */
	assert_false(usig_ignored(&n->abi, p, n->chld));	/* handled */
	free(p);
}

static void test_send_kill_and_stop(void **state)
{
	const struct numbering *n = *state;
	struct usigproc *p = new_proc();

	/* SIGKILL is never queued: the personality ends the process. */
	assert_int_equal(usig_send(&n->abi, p, n->kill), USEND_KILL);
	assert_int_equal(p->pending, 0);
	/* SIGSTOP is never queued either, and cancels a pending SIGCONT. */
	handle(n, p, n->cont, 0);
	assert_int_equal(usig_send(&n->abi, p, n->cont), USEND_CONT | USEND_QUEUE);
	usig_queue(&p->pending, n->cont);
	assert_int_equal(usig_send(&n->abi, p, n->stop), USEND_STOP);
	assert_int_equal(p->pending, 0);
	/* The other stop signals are queued (they stop when taken) and cancel SIGCONT too. */
	usig_queue(&p->pending, n->cont);
	assert_int_equal(usig_send(&n->abi, p, n->tstp), USEND_QUEUE);
	usig_queue(&p->pending, n->tstp);
	assert_int_equal(p->pending, B(n->tstp));
	/* Out of range: nothing. */
	assert_int_equal(usig_send(&n->abi, p, 0), 0);
	assert_int_equal(usig_send(&n->abi, p, 65), 0);
	free(p);
}

static void test_send_cont(void **state)
{
	const struct numbering *n = *state;
	struct usigproc *p = new_proc();
	struct usigthread t = { 0 };

	/* SIGCONT discards every pending stop signal; the personality does the threads'. */
	usig_queue(&p->pending, n->tstp);
	usig_queue(&p->pending, n->ttin);
	usig_queue(&p->pending, n->usr1);
	usig_queue(&t.pending, n->ttou);
	unsigned what = usig_send(&n->abi, p, n->cont);
	assert_int_equal(what, USEND_CONT);		/* ignored by default: not queued */
	assert_int_equal(p->pending, B(n->usr1));
	assert_int_equal(t.pending, B(n->ttou));
	usig_discard_stops(&n->abi, &t.pending);
	assert_int_equal(t.pending, 0);
	/* Even ignored, it continues. */
	ignore(n, p, n->cont);
	assert_int_equal(usig_send(&n->abi, p, n->cont), USEND_CONT);
	free(p);
}

static void test_send_ignored(void **state)
{
	const struct numbering *n = *state;
	struct usigproc *p = new_proc();

	assert_int_equal(usig_send(&n->abi, p, n->chld), 0);	/* ignored by default */
	assert_int_equal(usig_send(&n->abi, p, n->usr1), USEND_QUEUE);
	ignore(n, p, n->usr1);
	assert_int_equal(usig_send(&n->abi, p, n->usr1), 0);
	/* A stop signal that is ignored does nothing (but still cancels SIGCONT). */
	ignore(n, p, n->tstp);
	usig_queue(&p->pending, n->cont);
	assert_int_equal(usig_send(&n->abi, p, n->tstp), 0);
	assert_int_equal(p->pending, 0);
	free(p);
}

static void test_take_order(void **state)
{
	const struct numbering *n = *state;
	struct usigproc *p = new_proc();
	struct usigthread t1 = { 0 }, t2 = { 0 };

	assert_int_equal(usig_take(&t1, p), 0);
	usig_queue(&p->pending, n->usr1);
	usig_queue(&p->pending, n->hup);
	usig_queue(&t1.pending, n->pipe);
	t2.blocked = B(n->hup);
	/* Lowest number first; a process-wide one goes to whichever thread takes it. */
	assert_int_equal(usig_deliverable(&t2, p), B(n->usr1));
	assert_int_equal(usig_blocked_pending(&t2, p), B(n->hup));
	assert_int_equal(usig_take(&t1, p), n->hup);
	assert_int_equal(usig_take(&t2, p), n->usr1);
	assert_int_equal(usig_take(&t2, p), 0);
	assert_int_equal(usig_take(&t1, p), n->pipe);	/* its own */
	assert_int_equal(usig_take(&t1, p), 0);
	/* The same signal pending for the thread and the process: the thread's goes first. */
	usig_queue(&p->pending, n->usr1);
	usig_queue(&t1.pending, n->usr1);
	assert_int_equal(usig_take(&t1, p), n->usr1);
	assert_int_equal(t1.pending, 0);
	assert_int_equal(p->pending, B(n->usr1));
	/* Blocked ones stay pending. */
	t1.blocked = B(n->usr1);
	assert_int_equal(usig_take(&t1, p), 0);
	assert_int_equal(p->pending, B(n->usr1));
	free(p);
}

static void test_action_discards_pending(void **state)
{
	const struct numbering *n = *state;
	struct usigproc *p = new_proc();
	struct usigaction a = { .handler = 0x401000, .mask = ~(usigset_t)0 };

	usig_queue(&p->pending, n->usr1);
	usig_queue(&p->pending, n->winch);
	/* A handler keeps it pending; its mask can never hold SIGKILL or SIGSTOP. */
	assert_false(usig_set_action(&n->abi, p, n->winch, &a));
	assert_int_equal(p->act[n->winch].mask, ~(B(n->kill) | B(n->stop)));
	assert_int_equal(p->pending, B(n->usr1) | B(n->winch));
	/* SIG_DFL of a signal ignored by default discards it; the caller is told, for its
	   threads. */
	a = (struct usigaction){ .handler = USIG_DFL };
	assert_true(usig_set_action(&n->abi, p, n->winch, &a));
	assert_int_equal(p->pending, B(n->usr1));
	/* SIG_DFL of one that terminates does not. */
	assert_false(usig_set_action(&n->abi, p, n->usr1, &a));
	assert_int_equal(p->pending, B(n->usr1));
	/* SIG_IGN does. */
	a.handler = USIG_IGN;
	assert_true(usig_set_action(&n->abi, p, n->usr1, &a));
	assert_int_equal(p->pending, 0);
	free(p);
}

static void test_procmask(void **state)
{
	const struct numbering *n = *state;
	struct usigthread t = { 0 };
	const usigset_t all = ~(usigset_t)0;

	assert_int_equal(usig_procmask(&n->abi, &t, USIG_BLOCK, B(n->usr1) | B(n->kill)), 0);
	assert_int_equal(t.blocked, B(n->usr1));
	assert_int_equal(usig_procmask(&n->abi, &t, USIG_BLOCK, B(n->hup)), 0);
	assert_int_equal(t.blocked, B(n->usr1) | B(n->hup));
	assert_int_equal(usig_procmask(&n->abi, &t, USIG_UNBLOCK, B(n->usr1)), 0);
	assert_int_equal(t.blocked, B(n->hup));
	assert_int_equal(usig_procmask(&n->abi, &t, USIG_SETMASK, all), 0);
	assert_int_equal(t.blocked, all & ~(B(n->kill) | B(n->stop)));
	assert_int_equal(usig_procmask(&n->abi, &t, (enum usig_how)7, 0), -U_EINVAL);
	assert_int_equal(t.blocked, all & ~(B(n->kill) | B(n->stop)));	/* unchanged */
	usig_setmask(&n->abi, &t, B(n->stop) | B(n->pipe));
	assert_int_equal(t.blocked, B(n->pipe));
}

static void test_sigsuspend(void **state)
{
	const struct numbering *n = *state;
	struct usigproc *p = new_proc();
	struct usigthread t = { .blocked = B(n->usr1) };

	handle(n, p, n->usr1, 0);
	usig_suspend(&n->abi, &t, B(n->hup) | B(n->kill) | B(n->stop));
	assert_int_equal(t.blocked, B(n->hup));
	assert_true(t.sigsuspend);
	/* The frame saves the mask from before sigsuspend; the handler runs with its own. */
	assert_int_equal(usig_frame_mask(&t), B(n->usr1));
	usig_handler_entered(&n->abi, p, &t, n->usr1, B(n->usr1) | B(n->pipe));
	assert_false(t.sigsuspend);
	assert_int_equal(t.blocked, B(n->usr1) | B(n->pipe));
	assert_int_equal(usig_frame_mask(&t), t.blocked);
	/* Nothing delivered: the old mask comes back. */
	t.blocked = B(n->usr1);
	usig_suspend(&n->abi, &t, 0);
	assert_int_equal(t.blocked, 0);
	usig_suspend_end(&t);
	assert_int_equal(t.blocked, B(n->usr1));
	assert_false(t.sigsuspend);
	usig_suspend_end(&t);				/* not in sigsuspend: nothing */
	assert_int_equal(t.blocked, B(n->usr1));
	free(p);
}

static void test_resethand(void **state)
{
	const struct numbering *n = *state;
	struct usigproc *p = new_proc();
	struct usigthread t = { 0 };

	handle(n, p, n->usr1, n->sa_resethand);
	handle(n, p, n->hup, n->sa_restart);
	usig_handler_entered(&n->abi, p, &t, n->usr1, 0);
	assert_int_equal(p->act[n->usr1].handler, USIG_DFL);	/* one shot */
	usig_handler_entered(&n->abi, p, &t, n->hup, 0);
	assert_int_equal(p->act[n->hup].handler, 0x401000);
	free(p);
}

static void test_parent_sigchld_wishes(void **state)
{
	const struct numbering *n = *state;
	struct usigproc *p = new_proc();

	assert_false(usig_nocldwait(&n->abi, p));		/* SIG_DFL keeps zombies */
	assert_false(usig_nocldstop(&n->abi, p));
	handle(n, p, n->chld, n->sa_nocldstop);
	assert_false(usig_nocldwait(&n->abi, p));
	assert_true(usig_nocldstop(&n->abi, p));
	handle(n, p, n->chld, n->sa_nocldwait);
	assert_true(usig_nocldwait(&n->abi, p));
	assert_false(usig_nocldstop(&n->abi, p));
	ignore(n, p, n->chld);
	assert_true(usig_nocldwait(&n->abi, p));
	/* Another signal's flags do not matter. */
	ignore(n, p, n->chld);
	p->act[n->chld].handler = USIG_DFL;
	handle(n, p, n->usr1, n->sa_nocldwait | n->sa_nocldstop);
	assert_false(usig_nocldwait(&n->abi, p));
	assert_false(usig_nocldstop(&n->abi, p));
	free(p);
}

static void test_fork_and_exec(void **state)
{
	const struct numbering *n = *state;
	struct usigproc *p = new_proc(), *c = new_proc();
	struct usigthread t = { .blocked = B(n->usr1), .pending = B(n->hup) }, ct;

	struct usigaction a = { .handler = 0x401000, .flags = n->sa_restart, .mask = B(n->pipe) };
	usig_set_action(&n->abi, p, n->usr1, &a);
	ignore(n, p, n->pipe);
	usig_queue(&p->pending, n->quit);
	/* fork: the same actions, nothing pending; the thread keeps the mask. */
	memset(c, 0xff, sizeof(*c));
	memset(&ct, 0xff, sizeof(ct));
	usig_fork(c, p);
	usig_fork_thread(&ct, &t);
	assert_memory_equal(c->act, p->act, sizeof(c->act));
	assert_int_equal(c->pending, 0);
	assert_int_equal(ct.blocked, B(n->usr1));
	assert_int_equal(ct.pending, 0);
	assert_false(ct.sigsuspend);
	/* exec: handlers back to SIG_DFL with no flags or mask; SIG_IGN stays; the masks and
	   pending sets are kept. */
	usig_exec(p);
	assert_int_equal(p->act[n->usr1].handler, USIG_DFL);
	assert_int_equal(p->act[n->usr1].flags, 0);
	assert_int_equal(p->act[n->usr1].mask, 0);
	assert_int_equal(p->act[n->pipe].handler, USIG_IGN);
	assert_int_equal(p->pending, B(n->quit));
	free(p);
	free(c);
}

/* Each test twice, named after the numbering. */
#define BOTH(fn) \
	{ #fn " (Linux)", fn, setup_linux, NULL, NULL }, \
	{ #fn " (FreeBSD)", fn, setup_freebsd, NULL, NULL }

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_derived_sets),
		BOTH(test_default_actions),
		BOTH(test_send_kill_and_stop),
		BOTH(test_send_cont),
		BOTH(test_send_ignored),
		BOTH(test_take_order),
		BOTH(test_action_discards_pending),
		BOTH(test_procmask),
		BOTH(test_sigsuspend),
		BOTH(test_resethand),
		BOTH(test_parent_sigchld_wishes),
		BOTH(test_fork_and_exec),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
