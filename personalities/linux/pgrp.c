/*
 * Process ids, groups and sessions, and sending signals to processes (kill, tkill,
 * tgkill, a whole group, a session whose leader is gone). The rules (setpgid's and
 * setsid's errors, who a kill reaches) are the core's (personalities/common/uproc.c).
 */
#include <string.h>
#include "lx.h"
#include "lx_core.h"

/* Room for every process a signal may go to (the table holds at most LX_PROC_LIMIT). */
#define NTARGETS	(LX_PROC_LIMIT + 8)

/* ------------------------------------------------------------- ids, groups, sessions */

LX_SYSCALL(getpid) { (void)a; return t->proc->pid; }
LX_SYSCALL(gettid) { (void)a; return t->tid; }
LX_SYSCALL(getppid)
{
	(void)a;
	return t->proc->parent ? t->proc->parent->pid : 0;
}
LX_SYSCALL(getpgrp) { (void)a; return t->proc->pgid; }

LX_SYSCALL(getpgid)
{
	return lx_err(uproc_getpgid(&lx_procs, &t->proc->up, (int)a[0]));
}

LX_SYSCALL(getsid)
{
	return lx_err(uproc_getsid(&lx_procs, &t->proc->up, (int)a[0]));
}

LX_SYSCALL(setpgid)
{
	return lx_err(uproc_setpgid(&lx_procs, &t->proc->up, (int32_t)a[0], (int32_t)a[1]));
}

LX_SYSCALL(setsid)
{
	struct lx_proc *p = t->proc;
	int sid = uproc_setsid(&lx_procs, &p->up);

	(void)a;
	if (sid < 0)
		return lx_err(sid);
	p->ctty = NULL;
	return sid;
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
	/* Collect first: a signal may end a process and change the list. */
	struct uproc *targets[NTARGETS];
	int n = uproc_kill_targets(&lx_procs, &self->up, pid, targets, NTARGETS);
	for (int i = 0; i < n; i++) {
		any = true;
		kill_one(self, lx_proc_of(targets[i]), sig);
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
	struct uproc *targets[NTARGETS];
	int n = uproc_pgrp_members(&lx_procs, pgid, targets, NTARGETS);

	for (int i = 0; i < n; i++)
		lx_signal_proc(lx_proc_of(targets[i]), sig, NULL);
	return n ? 0 : -LINUX_ESRCH;
}

/* A session leader is gone: its foreground job gets SIGHUP and SIGCONT. */
void lx_signal_pgrp_session_hup(struct lx_proc *leader)
{
	struct uproc *targets[NTARGETS];
	int n = uproc_session_others(&lx_procs, leader->sid, &leader->up, targets,
				     NTARGETS);

	for (int i = 0; i < n; i++) {
		struct lx_proc *p = lx_proc_of(targets[i]);

		p->ctty = NULL;
		lx_signal_proc(p, LINUX_SIGHUP, NULL);
		lx_signal_proc(p, LINUX_SIGCONT, NULL);
	}
}
