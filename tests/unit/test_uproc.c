/*
 * Unit tests of the core's processes (personalities/common/uproc.c): pid allocation and
 * reuse, the process limit, parents and children, exit (reparenting to init, zombies,
 * processes nobody waits for), wait's matching and reports, stop and continue, process
 * groups and sessions with their errors, orphaned groups, who a kill reaches.
 * Processes are malloc'd; the release hook frees them, so LeakSanitizer catches one the
 * table forgets and AddressSanitizer one it frees twice or uses after freeing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "personalities/common/uproc.h"

/* A personality's process: the core's part first, its own after. */
struct tproc {
	struct uproc up;
	int tag;
};

static struct uproc_table tab;
static int released;
static int released_pids[64];

static void release(struct uproc *u)
{
	if (released < 64)
		released_pids[released] = u->pid;
	released++;
	free(u);
}

static int setup(void **state)
{
	(void)state;
	uproc_table_init(&tab, 32768, 256, release);
	released = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	while (tab.all)
		uproc_free(&tab, tab.all);
	assert_int_equal(tab.count, 0);
	return 0;
}

/* A new process: parent's child, or init-like without one. */
static struct uproc *mk(struct uproc *parent)
{
	struct tproc *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	assert_int_equal(uproc_add(&tab, &p->up, parent), 0);
	return &p->up;
}

static bool is_child(const struct uproc *parent, const struct uproc *c)
{
	for (const struct uproc *q = parent->children; q; q = q->sibling)
		if (q == c)
			return true;
	return false;
}

static struct uwstatus exited(int code)
{
	return (struct uwstatus){ .how = UW_EXITED, .value = (uint8_t)code };
}

/* ------------------------------------------------------------- the table */

static void test_pids_links_and_inheritance(void **state)
{
	(void)state;
	struct uproc *init = mk(NULL);
	assert_int_equal(init->pid, 1);
	assert_int_equal(init->pgid, 1);		/* a new session and group */
	assert_int_equal(init->sid, 1);
	assert_int_equal(init->cred.uid, 0);
	assert_null(init->parent);
	assert_int_equal(init->state, UP_RUNNING);

	init->uid = 7; init->suid = 8; init->gid = 9; init->sgid = 10;
	init->cred.uid = 11; init->cred.gid = 12; init->cred.ngroups = 1; init->cred.groups[0] = 13;
	struct uproc *a = mk(init), *b = mk(init);
	assert_int_equal(a->pid, 2);
	assert_int_equal(b->pid, 3);
	assert_ptr_equal(a->parent, init);
	assert_true(is_child(init, a) && is_child(init, b));
	/* A child is in its parent's group and session, with its credentials. */
	assert_int_equal(b->pgid, 1);
	assert_int_equal(b->sid, 1);
	assert_int_equal(b->uid, 7);
	assert_int_equal(b->suid, 8);
	assert_int_equal(b->gid, 9);
	assert_int_equal(b->sgid, 10);
	assert_int_equal(b->cred.uid, 11);
	assert_int_equal(b->cred.groups[0], 13);
	assert_int_equal(tab.count, 3);
	assert_ptr_equal(uproc_find(&tab, 3), b);
	assert_null(uproc_find(&tab, 4));

	/* Freeing takes it out of the table and its parent's children. */
	uproc_free(&tab, a);
	assert_int_equal(released, 1);
	assert_int_equal(tab.count, 2);
	assert_ptr_equal(init->children, b);
	assert_null(b->sibling);
	assert_null(uproc_find(&tab, 2));
}

static void test_pid_reuse_rules(void **state)
{
	(void)state;
	uproc_table_init(&tab, 8, 256, release);	/* pids 1..7 */
	struct uproc *init = mk(NULL);
	struct uproc *a = mk(init);
	assert_int_equal(uproc_setsid(&tab, a), 2);	/* session 2 */
	struct uproc *b = mk(a);
	assert_int_equal(uproc_setpgid(&tab, a, b->pid, 0), 0);	/* group 3 */
	struct uproc *c = mk(b);			/* 4: group 3, session 2 */
	assert_int_equal(c->pid, 4);
	/* a and b go (nobody waits): 2 is only a session id now, 3 only a group id. */
	assert_false(uproc_exit(&tab, a, exited(0), true));
	assert_false(uproc_exit(&tab, b, exited(0), true));
	assert_int_equal(c->sid, 2);
	assert_int_equal(c->pgid, 3);

	/* A freed pid is not reused at once: numbering goes on upwards. */
	assert_int_equal(mk(init)->pid, 5);
	struct uproc *d = mk(init);
	assert_int_equal(d->pid, 6);
	uproc_free(&tab, d);
	assert_int_equal(mk(init)->pid, 7);
	/* Then it wraps to 2 (1 is init's), skipping the session 2 and the group 3. */
	assert_int_equal(mk(init)->pid, 6);
	struct tproc *extra = calloc(1, sizeof(*extra));
	assert_int_equal(uproc_add(&tab, &extra->up, init), -U_EAGAIN);
	free(extra);
	assert_int_equal(tab.count, 5);
}

static void test_all_pids_taken(void **state)
{
	(void)state;
	uproc_table_init(&tab, 4, 256, release);	/* pids 1..3 */
	struct uproc *init = mk(NULL);
	mk(init);
	mk(init);
	struct tproc *extra = calloc(1, sizeof(*extra));
	assert_int_equal(uproc_add(&tab, &extra->up, init), -U_EAGAIN);
	assert_int_equal(tab.count, 3);
	assert_false(is_child(init, &extra->up));
	free(extra);
}

static void test_process_limit(void **state)
{
	(void)state;
	uproc_table_init(&tab, 32768, 3, release);
	struct uproc *init = mk(NULL);

	assert_int_equal(uproc_may_fork(&tab, UINT64_MAX), 0);
	mk(init);
	assert_int_equal(uproc_may_fork(&tab, UINT64_MAX), 0);
	/* The caller's own limit (RLIMIT_NPROC) counts every process. */
	assert_int_equal(uproc_may_fork(&tab, 2), -U_EAGAIN);
	mk(init);
	assert_int_equal(uproc_may_fork(&tab, UINT64_MAX), -U_EAGAIN);	/* the table's */
	uproc_free(&tab, uproc_find(&tab, 2));
	assert_int_equal(uproc_may_fork(&tab, UINT64_MAX), 0);
}

/* ------------------------------------------------------------- exit */

static void test_exit_makes_a_zombie_and_init_adopts(void **state)
{
	(void)state;
	struct uproc *init = mk(NULL);
	struct uproc *p = mk(init);
	struct uproc *c1 = mk(p), *c2 = mk(p);

	assert_true(uproc_exit(&tab, c2, exited(5), false));	/* a zombie of p's */
	assert_int_equal(c2->state, UP_ZOMBIE);
	assert_true(uproc_exit(&tab, p, exited(3), false));
	assert_int_equal(p->state, UP_ZOMBIE);
	assert_int_equal(p->status.how, UW_EXITED);
	assert_int_equal(p->status.value, 3);
	assert_null(p->children);
	/* Both children, the zombie too, now belong to init. */
	assert_ptr_equal(c1->parent, init);
	assert_ptr_equal(c2->parent, init);
	assert_true(is_child(init, c1) && is_child(init, c2));
	assert_int_equal(released, 0);
	/* Exiting twice changes nothing. */
	assert_false(uproc_exit(&tab, p, exited(9), false));
	assert_int_equal(p->status.value, 3);
}

static void test_exit_nobody_waits(void **state)
{
	(void)state;
	struct uproc *init = mk(NULL);
	struct uproc *p = mk(init);
	int pid = p->pid;

	/* The parent ignores SIGCHLD: no zombie. */
	assert_false(uproc_exit(&tab, p, exited(0), true));
	assert_int_equal(released, 1);
	assert_int_equal(released_pids[0], pid);
	assert_null(init->children);
	assert_null(uproc_find(&tab, pid));
}

static void test_init_exit(void **state)
{
	(void)state;
	struct uproc *init = mk(NULL);
	struct uproc *live = mk(init), *dead = mk(init);
	int dead_pid = dead->pid;

	assert_true(uproc_exit(&tab, dead, exited(1), false));
	assert_false(uproc_exit(&tab, init, (struct uwstatus){ .how = UW_KILLED, .value = 9 }, false));
	/* Its zombie children go, its living ones have no parent; init stays to be reported. */
	assert_int_equal(released, 1);
	assert_int_equal(released_pids[0], dead_pid);
	assert_null(live->parent);
	assert_ptr_equal(uproc_find(&tab, 1), init);
	assert_int_equal(init->state, UP_ZOMBIE);
	assert_int_equal(init->status.how, UW_KILLED);
	assert_int_equal(init->status.value, 9);
	/* An orphan without init is freed when it ends: nobody could reap it. */
	assert_false(uproc_exit(&tab, live, exited(0), false));
	assert_int_equal(released, 2);
}

/* ------------------------------------------------------------- wait */

static void test_wait_matching(void **state)
{
	(void)state;
	struct uproc *init = mk(NULL);
	struct uproc *p = mk(init);
	struct uproc *a = mk(p), *b = mk(p), *c = mk(p);
	struct uwstatus st;
	bool any;

	assert_int_equal(uproc_setpgid(&tab, p, b->pid, 0), 0);	/* b leads its own group */
	assert_int_equal(uproc_setpgid(&tab, p, c->pid, b->pid), 0);	/* c joins it */
	assert_true(uproc_exit(&tab, a, exited(1), false));
	assert_true(uproc_exit(&tab, c, exited(2), false));

	/* pid > 0: that child only. */
	assert_ptr_equal(uproc_wait_find(p, a->pid, UWAIT_EXITED, &any, &st), a);
	assert_int_equal(st.value, 1);
	assert_null(uproc_wait_find(p, b->pid, UWAIT_EXITED, &any, &st));
	assert_true(any);					/* b exists, not ready */
	assert_null(uproc_wait_find(p, init->pid, UWAIT_EXITED, &any, &st));
	assert_false(any);					/* not p's child: ECHILD */
	assert_null(uproc_wait_find(init, a->pid, UWAIT_EXITED, &any, &st));
	assert_false(any);
	/* 0: p's own group (a's); < -1: group -which (b's, where c is). */
	assert_ptr_equal(uproc_wait_find(p, 0, UWAIT_EXITED, &any, &st), a);
	assert_ptr_equal(uproc_wait_find(p, -b->pid, UWAIT_EXITED, &any, &st), c);
	assert_int_equal(st.value, 2);
	assert_null(uproc_wait_find(p, -12345, UWAIT_EXITED, &any, &st));
	assert_false(any);
	/* -1: any child. Without UWAIT_EXITED a zombie is not reported (waitid). */
	assert_non_null(uproc_wait_find(p, -1, UWAIT_EXITED, &any, &st));
	assert_null(uproc_wait_find(p, -1, UWAIT_STOPPED | UWAIT_CONTINUED, &any, &st));
	assert_true(any);

	/* Nothing changes until consumed; then a zombie is gone. */
	assert_ptr_equal(uproc_wait_find(p, a->pid, UWAIT_EXITED, &any, &st), a);
	int apid = a->pid;
	uproc_wait_consume(&tab, a);
	assert_null(uproc_find(&tab, apid));
	assert_int_equal(released, 1);
	assert_null(uproc_wait_find(p, apid, UWAIT_EXITED, &any, &st));
	assert_false(any);
}

static void test_wait_stop_and_continue_reports(void **state)
{
	(void)state;
	struct uproc *init = mk(NULL);
	struct uproc *p = mk(init), *c = mk(p);
	struct uwstatus st;
	bool any;

	assert_true(uproc_stop(c, 20));
	assert_false(uproc_stop(c, 19));		/* already stopped */
	assert_int_equal(c->state, UP_STOPPED);
	/* Not reportable before uproc_report (the personality's notification). */
	assert_null(uproc_wait_find(p, -1, UWAIT_EXITED | UWAIT_STOPPED, &any, &st));
	assert_true(uproc_report(c));
	/* Reported only to a wait that asks for stops. */
	assert_null(uproc_wait_find(p, -1, UWAIT_EXITED, &any, &st));
	assert_ptr_equal(uproc_wait_find(p, -1, UWAIT_EXITED | UWAIT_STOPPED, &any, &st), c);
	assert_int_equal(st.how, UW_STOPPED);
	assert_int_equal(st.value, 20);
	/* Once consumed, not again; the child stays. */
	uproc_wait_consume(&tab, c);
	assert_ptr_equal(uproc_find(&tab, c->pid), c);
	assert_null(uproc_wait_find(p, -1, UWAIT_STOPPED, &any, &st));

	assert_true(uproc_cont(c));
	assert_false(uproc_cont(c));			/* already running */
	assert_true(uproc_report(c));
	assert_null(uproc_wait_find(p, -1, UWAIT_EXITED | UWAIT_STOPPED, &any, &st));
	assert_ptr_equal(uproc_wait_find(p, -1, UWAIT_CONTINUED, &any, &st), c);
	assert_int_equal(st.how, UW_CONTINUED);
	uproc_wait_consume(&tab, c);
	assert_null(uproc_wait_find(p, -1, UWAIT_CONTINUED, &any, &st));
	assert_true(any);

	/* Nobody to tell: a parentless process, or a zombie parent. */
	assert_false(uproc_report(init));
	assert_true(uproc_exit(&tab, p, exited(0), false));
	struct uproc *orphan = mk(NULL);
	assert_false(uproc_report(orphan));
	struct uproc *zc = mk(p);	/* (a child of a zombie, made by hand) */
	assert_false(uproc_report(zc));
	assert_false(zc->wait_reportable);
}

/* ------------------------------------------------------------- groups and sessions */

static void test_setpgid_rules(void **state)
{
	(void)state;
	struct uproc *init = mk(NULL);
	struct uproc *sh = mk(init);
	assert_int_equal(uproc_setsid(&tab, sh), sh->pid);	/* sh leads a session */
	struct uproc *job = mk(sh), *job2 = mk(sh), *grand = mk(job);
	struct uproc *stranger = mk(init);

	assert_int_equal(uproc_setpgid(&tab, sh, job->pid, -1), -U_EINVAL);
	assert_int_equal(uproc_setpgid(&tab, sh, 30000, 0), -U_ESRCH);		/* no such process */
	assert_int_equal(uproc_setpgid(&tab, sh, grand->pid, 0), -U_ESRCH);	/* not a child */
	assert_int_equal(uproc_setpgid(&tab, sh, stranger->pid, 0), -U_ESRCH);
	assert_int_equal(uproc_setpgid(&tab, init, stranger->pid, sh->pid), -U_EPERM);	/* no such group in init's session */
	assert_int_equal(uproc_setpgid(&tab, init, sh->pid, 0), -U_EPERM);	/* another session */
	assert_int_equal(uproc_setpgid(&tab, sh, 0, 0), -U_EPERM);		/* a session leader */
	assert_int_equal(uproc_setpgid(&tab, sh, job->pid, 4242), -U_EPERM);	/* no such group */

	/* pid 0 is the caller, pgid 0 its own pid. */
	assert_int_equal(uproc_setpgid(&tab, job, 0, 0), 0);
	assert_int_equal(job->pgid, job->pid);
	assert_int_equal(uproc_setpgid(&tab, sh, job2->pid, job->pid), 0);	/* join */
	assert_int_equal(job2->pgid, job->pid);
	assert_int_equal(uproc_getpgid(&tab, sh, job2->pid), job->pid);
	assert_int_equal(uproc_getpgid(&tab, job2, 0), job->pid);
	assert_int_equal(uproc_getsid(&tab, job2, 0), sh->pid);

	/* A group whose only member is a zombie not yet reaped still exists. */
	assert_int_equal(uproc_setpgid(&tab, sh, job2->pid, 0), 0);
	assert_true(uproc_exit(&tab, job2, exited(0), false));
	assert_int_equal(uproc_setpgid(&tab, sh, job->pid, job2->pid), 0);
	/* But a zombie cannot be moved, nor asked about. */
	assert_int_equal(uproc_setpgid(&tab, sh, job2->pid, 0), -U_ESRCH);
	assert_int_equal(uproc_getpgid(&tab, sh, job2->pid), -U_ESRCH);
	assert_int_equal(uproc_getsid(&tab, sh, job2->pid), -U_ESRCH);
	assert_int_equal(uproc_getsid(&tab, sh, 30000), -U_ESRCH);
}

static void test_setsid(void **state)
{
	(void)state;
	struct uproc *init = mk(NULL);
	struct uproc *p = mk(init), *c = mk(p);

	/* Not while a living process has p's pid as its group: p itself first. */
	assert_int_equal(uproc_setpgid(&tab, p, 0, 0), 0);
	assert_int_equal(uproc_setsid(&tab, p), -U_EPERM);
	assert_int_equal(p->sid, 1);
	struct uproc *z = mk(p);				/* in group p too */
	assert_int_equal(uproc_setpgid(&tab, c, 0, 0), 0);
	assert_int_equal(uproc_setpgid(&tab, p, 0, c->pid), 0);	/* p moves to c's group */
	assert_int_equal(uproc_setsid(&tab, p), -U_EPERM);	/* z is still in group p */
	/* A zombie does not count. */
	assert_true(uproc_exit(&tab, z, exited(0), false));
	assert_int_equal(uproc_setsid(&tab, p), p->pid);
	assert_int_equal(p->pgid, p->pid);
	assert_int_equal(p->sid, p->pid);
	assert_int_equal(c->sid, 1);				/* the child keeps its own */
	assert_int_equal(c->pgid, c->pid);
}

static void test_orphaned_groups(void **state)
{
	(void)state;
	struct uproc *init = mk(NULL);
	struct uproc *sh = mk(init);
	assert_int_equal(uproc_setsid(&tab, sh), sh->pid);
	struct uproc *job = mk(sh), *sub = mk(job);
	assert_int_equal(uproc_setpgid(&tab, sh, job->pid, 0), 0);
	assert_int_equal(uproc_setpgid(&tab, job, sub->pid, job->pid), 0);

	/* job's parent (sh) is in another group of the same session: not orphaned. */
	assert_false(uproc_pgrp_orphaned(&tab, job->pid));
	/* sh's group: sh's parent is init, in another session. */
	assert_true(uproc_pgrp_orphaned(&tab, sh->pid));
	/* init does not count even in its own session (as on Linux). */
	struct uproc *daemon = mk(init);
	assert_int_equal(uproc_setpgid(&tab, init, daemon->pid, 0), 0);
	assert_int_equal(daemon->sid, init->sid);
	assert_true(uproc_pgrp_orphaned(&tab, daemon->pid));
	struct uproc *dchild = mk(daemon);
	assert_int_equal(uproc_setpgid(&tab, daemon, dchild->pid, 0), 0);
	assert_false(uproc_pgrp_orphaned(&tab, dchild->pid));	/* daemon is its parent */
	/* A parent in another session does not count either. */
	struct uproc *other = mk(init);
	assert_int_equal(uproc_setsid(&tab, other), other->pid);
	struct uproc *leader = mk(other);
	assert_int_equal(uproc_setsid(&tab, leader), leader->pid);
	assert_true(uproc_pgrp_orphaned(&tab, leader->pid));
	/* Zombies do not count: a zombie whose parent would keep the group is ignored. */
	struct uproc *lone = mk(leader), *lone2 = mk(lone);
	assert_int_equal(uproc_setpgid(&tab, leader, lone->pid, 0), 0);
	assert_int_equal(uproc_setpgid(&tab, lone, lone2->pid, 0), 0);
	assert_int_equal(uproc_setpgid(&tab, lone, 0, leader->pid), 0);	/* lone back in leader's */
	assert_false(uproc_pgrp_orphaned(&tab, lone2->pid));	/* lone2's parent: another group */
	assert_true(uproc_exit(&tab, lone2, exited(0), false));
	assert_true(uproc_pgrp_orphaned(&tab, lone2->pid));
	/* sh exits: job's members are reparented to init; job becomes orphaned. */
	assert_true(uproc_exit(&tab, sh, exited(0), false));
	assert_true(uproc_pgrp_orphaned(&tab, job->pid));
	/* A group nobody is in is orphaned (nothing could continue it). */
	assert_true(uproc_pgrp_orphaned(&tab, 4242));
}

static void test_foreground_group_check(void **state)
{
	(void)state;
	struct uproc *init = mk(NULL);
	struct uproc *sh = mk(init);
	assert_int_equal(uproc_setsid(&tab, sh), sh->pid);
	struct uproc *job = mk(sh);
	assert_int_equal(uproc_setpgid(&tab, sh, job->pid, 0), 0);

	assert_int_equal(uproc_pgrp_check(&tab, job->pid, sh->sid), 0);
	assert_int_equal(uproc_pgrp_check(&tab, 1, sh->sid), -U_EPERM);	/* init's session */
	assert_int_equal(uproc_pgrp_check(&tab, 4242, sh->sid), -U_ESRCH);
	/* A pipeline's first command may be a zombie already: its group still counts. */
	assert_true(uproc_exit(&tab, job, exited(0), false));
	assert_int_equal(uproc_pgrp_check(&tab, job->pid, sh->sid), 0);
}

static bool has(struct uproc **set, int n, const struct uproc *p)
{
	for (int i = 0; i < n; i++)
		if (set[i] == p)
			return true;
	return false;
}

static void test_signal_targets(void **state)
{
	(void)state;
	struct uproc *init = mk(NULL);
	struct uproc *sh = mk(init);
	assert_int_equal(uproc_setsid(&tab, sh), sh->pid);
	struct uproc *a = mk(sh), *b = mk(sh), *z = mk(sh), *other = mk(init);
	struct uproc *out[8];
	int n;

	assert_int_equal(uproc_setpgid(&tab, sh, a->pid, 0), 0);
	assert_int_equal(uproc_setpgid(&tab, sh, b->pid, a->pid), 0);
	assert_int_equal(uproc_setpgid(&tab, sh, z->pid, a->pid), 0);
	assert_true(uproc_exit(&tab, z, exited(0), false));

	/* A group's living members. */
	n = uproc_pgrp_members(&tab, a->pid, out, 8);
	assert_int_equal(n, 2);
	assert_true(has(out, n, a) && has(out, n, b));
	assert_int_equal(uproc_pgrp_members(&tab, a->pid, out, 1), 1);	/* never past max */
	/* kill(0): the caller's group; kill(-pgid): that group. */
	n = uproc_kill_targets(&tab, b, 0, out, 8);
	assert_int_equal(n, 2);
	n = uproc_kill_targets(&tab, init, -a->pid, out, 8);
	assert_int_equal(n, 2);
	assert_int_equal(uproc_kill_targets(&tab, init, -4242, out, 8), 0);
	assert_int_equal(uproc_kill_targets(&tab, init, INT32_MIN, out, 8), 0);
	/* kill(-1): everyone living but init and the caller. */
	n = uproc_kill_targets(&tab, a, -1, out, 8);
	assert_int_equal(n, 3);
	assert_true(has(out, n, sh) && has(out, n, b) && has(out, n, other));
	/* A session's members but one (its leader gone). */
	n = uproc_session_others(&tab, sh->sid, sh, out, 8);
	assert_int_equal(n, 2);
	assert_true(has(out, n, a) && has(out, n, b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pids_links_and_inheritance, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pid_reuse_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_pids_taken, setup, teardown),
		cmocka_unit_test_setup_teardown(test_process_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_makes_a_zombie_and_init_adopts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_nobody_waits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_init_exit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wait_matching, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wait_stop_and_continue_reports, setup, teardown),
		cmocka_unit_test_setup_teardown(test_setpgid_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_setsid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_orphaned_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreground_group_check, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signal_targets, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
