/*
 * Process ids, groups and sessions, and sending signals to processes (kill, tkill,
 * tgkill, a whole group, a session whose leader is gone).
 */
#include <string.h>
#include "lx.h"
#include "lx_core.h"

/* ------------------------------------------------------------- ids, groups, sessions */

LX_SYSCALL(getpid) { (void)a; return t->proc->pid; }
LX_SYSCALL(gettid) { (void)a; return t->tid; }
LX_SYSCALL(getppid)
{
	(void)a;
	return t->proc->parent ? t->proc->parent->pid : 0;
}
LX_SYSCALL(getpgrp) { (void)a; return t->proc->pgid; }

static struct lx_proc *live_proc(int pid)
{
	struct lx_proc *p = lx_proc_find(pid);

	return p && p->state != LX_ZOMBIE ? p : NULL;
}

LX_SYSCALL(getpgid)
{
	struct lx_proc *p = a[0] ? live_proc((int)a[0]) : t->proc;

	return p ? p->pgid : -LINUX_ESRCH;
}

LX_SYSCALL(getsid)
{
	struct lx_proc *p = a[0] ? live_proc((int)a[0]) : t->proc;

	return p ? p->sid : -LINUX_ESRCH;
}

LX_SYSCALL(setpgid)
{
	struct lx_proc *self = t->proc, *p;
	int64_t pid = (int32_t)a[0], pgid = (int32_t)a[1];

	if (pgid < 0)
		return -LINUX_EINVAL;
	p = pid ? live_proc((int)pid) : self;
	if (!p || (p != self && p->parent != self))
		return -LINUX_ESRCH;
	if (p->sid != self->sid)
		return -LINUX_EPERM;
	if (p->sid == p->pid)
		return -LINUX_EPERM;		/* a session leader */
	if (pgid == 0)
		pgid = p->pid;
	if (pgid != p->pid) {
		/* Zombies not yet reaped still count as members, as on Linux. */
		bool found = false;
		for (struct lx_proc *q = lx_proc_first(); q && !found; q = q->next)
			found = q->pgid == pgid && q->sid == self->sid;
		if (!found)
			return -LINUX_EPERM;
	}
	p->pgid = (int)pgid;
	return 0;
}

LX_SYSCALL(setsid)
{
	struct lx_proc *p = t->proc;

	(void)a;
	for (struct lx_proc *q = lx_proc_first(); q; q = q->next)
		if (q->state != LX_ZOMBIE && q->pgid == p->pid)
			return -LINUX_EPERM;
	p->sid = p->pgid = p->pid;
	p->ctty = NULL;
	return p->sid;
}

/* ------------------------------------------------------------- kill */

static int kill_one(struct lx_proc *sender, struct lx_proc *p, int sig)
{
	struct linux_siginfo si;

	if (p->state == LX_ZOMBIE)
		return 0;
	if (sig == 0)
		return 0;
	memset(&si, 0, sizeof(si));
	si.si_signo = sig;
	si.si_code = LINUX_SI_USER;
	si.u.kill.pid = sender->pid;
	si.u.kill.uid = sender->uid;
	lx_signal_proc(p, sig, &si);
	return 0;
}

LX_SYSCALL(kill)
{
	struct lx_proc *self = t->proc;
	int64_t pid = (int32_t)a[0];
	int sig = (int)a[1];
	bool any = false;

	if (sig < 0 || sig > LINUX_NSIG)
		return -LINUX_EINVAL;
	if (pid > 0) {
		struct lx_proc *p = lx_proc_find((int)pid);

		if (!p)
			return -LINUX_ESRCH;
		return kill_one(self, p, sig);
	}
	int pgid = pid == 0 ? self->pgid : (int)-pid;
	/* Collect first: a signal may end a process and change the list. */
	struct lx_proc *targets[LX_PROC_LIMIT + 8];
	int n = 0;
	for (struct lx_proc *p = lx_proc_first(); p && n < (int)(sizeof(targets) / sizeof(targets[0])); p = p->next) {
		if (p->state == LX_ZOMBIE)
			continue;
		if (pid == -1 ? (p->pid != 1 && p != self) : p->pgid == pgid)
			targets[n++] = p;
	}
	for (int i = 0; i < n; i++) {
		any = true;
		kill_one(self, targets[i], sig);
	}
	/* kill(-1) signals the caller last, as Linux does not at all. */
	return any ? 0 : -LINUX_ESRCH;
}

LX_SYSCALL(tkill)
{
	struct lx_thread *target = lx_thread_find((int)a[0]);
	int sig = (int)a[1];

	if ((int32_t)a[0] <= 0 || sig < 0 || sig > LINUX_NSIG)
		return -LINUX_EINVAL;
	if (!target)
		return -LINUX_ESRCH;
	if (sig)
		lx_signal_thread(target, sig, NULL);
	return 0;
}

LX_SYSCALL(tgkill)
{
	struct lx_thread *target = lx_thread_find((int)a[1]);
	int sig = (int)a[2];

	if ((int32_t)a[0] <= 0 || (int32_t)a[1] <= 0 || sig < 0 || sig > LINUX_NSIG)
		return -LINUX_EINVAL;
	if (!target || target->proc->pid != (int)a[0])
		return -LINUX_ESRCH;
	if (sig)
		lx_signal_thread(target, sig, NULL);
	return 0;
}

int lx_signal_pgrp(int pgid, int sig)
{
	struct lx_proc *targets[LX_PROC_LIMIT + 8];
	int n = 0;

	for (struct lx_proc *p = lx_proc_first(); p && n < (int)(sizeof(targets) / sizeof(targets[0])); p = p->next)
		if (p->state != LX_ZOMBIE && p->pgid == pgid)
			targets[n++] = p;
	for (int i = 0; i < n; i++)
		lx_signal_proc(targets[i], sig, NULL);
	return n ? 0 : -LINUX_ESRCH;
}

/* A session leader is gone: its foreground job gets SIGHUP and SIGCONT. */
void lx_signal_pgrp_session_hup(struct lx_proc *leader)
{
	struct lx_proc *targets[LX_PROC_LIMIT + 8];
	int n = 0;

	for (struct lx_proc *p = lx_proc_first(); p && n < (int)(sizeof(targets) / sizeof(targets[0])); p = p->next)
		if (p != leader && p->state != LX_ZOMBIE && p->sid == leader->sid)
			targets[n++] = p;
	for (int i = 0; i < n; i++) {
		targets[i]->ctty = NULL;
		lx_signal_proc(targets[i], LINUX_SIGHUP, NULL);
		lx_signal_proc(targets[i], LINUX_SIGCONT, NULL);
	}
}
