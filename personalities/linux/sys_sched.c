/*
 * Per-thread and per-process settings: arch_prctl (the FS and GS bases, through the
 * Mach thread state), set_tid_address, robust lists, rseq, prctl, personality, and
 * the scheduling calls answered for one CPU, with nice values kept but not applied.
 */
#include <string.h>
#include <mach/mach_interface.h>
#include <mach/x86_64/thread_status.h>

#include "lx.h"
#include "sys_misc.h"

/* Linux values abi.h does not name. */
#define LINUX_PR_SET_PDEATHSIG	1
#define LINUX_PR_GET_PDEATHSIG	2
#define LINUX_PRIO_PROCESS	0
#define LINUX_PRIO_PGRP		1
#define LINUX_PRIO_USER		2

/* --- threads: FS/GS base, tid address, robust lists --- */

static long fsgs_get(struct lx_thread *t, uint64_t *fs, uint64_t *gs)
{
	uint32_t st[i386_FSGS_BASE_STATE_COUNT];
	mach_msg_type_number_t n = i386_FSGS_BASE_STATE_COUNT;

	if (thread_get_state(t->thread, i386_FSGS_BASE_STATE, (thread_state_t)st, &n) !=
	    KERN_SUCCESS || n < i386_FSGS_BASE_STATE_COUNT)
		return -LINUX_EINVAL;
	memcpy(fs, st, 8);
	memcpy(gs, st + 2, 8);
	return 0;
}

static long fsgs_set(struct lx_thread *t, uint64_t fs, uint64_t gs)
{
	uint32_t st[i386_FSGS_BASE_STATE_COUNT];

	memcpy(st, &fs, 8);
	memcpy(st + 2, &gs, 8);
	if (thread_set_state(t->thread, i386_FSGS_BASE_STATE, (thread_state_t)st,
			     i386_FSGS_BASE_STATE_COUNT) != KERN_SUCCESS)
		return -LINUX_EPERM;
	return 0;
}

LX_SYSCALL(arch_prctl)
{
	uint64_t code = a[0], addr = a[1], fs, gs;
	long r;

	if (code != LINUX_ARCH_SET_FS && code != LINUX_ARCH_GET_FS &&
	    code != LINUX_ARCH_SET_GS && code != LINUX_ARCH_GET_GS)
		return -LINUX_EINVAL;
	r = fsgs_get(t, &fs, &gs);
	if (r < 0)
		return r;
	switch (code) {
	case LINUX_ARCH_GET_FS:
		return lx_copyout(t->proc, addr, &fs, 8);
	case LINUX_ARCH_GET_GS:
		return lx_copyout(t->proc, addr, &gs, 8);
	}
	if (addr >= 0x7ffffffff000ull)	/* Linux: above TASK_SIZE is EPERM */
		return -LINUX_EPERM;
	if (code == LINUX_ARCH_SET_FS) {
		r = fsgs_set(t, addr, gs);
		if (r == 0)
			t->fs_base = addr;
		return r;
	}
	return fsgs_set(t, fs, addr);
}

LX_SYSCALL(set_tid_address)
{
	t->clear_child_tid = a[0];
	return t->tid;
}

/* Robust futex lists: stored for get_robust_list, by thread id (the core does not
   walk them at exit yet). */
static uint64_t robust_head[LX_PID_MAX];

LX_SYSCALL(set_robust_list)
{
	if (a[1] != 24)		/* sizeof(struct robust_list_head) */
		return -LINUX_EINVAL;
	if (t->tid > 0 && t->tid < LX_PID_MAX)
		robust_head[t->tid] = a[0];
	return 0;
}

LX_SYSCALL(get_robust_list)
{
	int tid = a[0] ? (int)a[0] : t->tid;
	uint64_t len = 24, head;
	int r;

	if (tid <= 0 || tid >= LX_PID_MAX || !lx_thread_find(tid))
		return -LINUX_ESRCH;
	head = robust_head[tid];
	r = lx_copyout(t->proc, a[1], &head, 8);
	return r < 0 ? r : lx_copyout(t->proc, a[2], &len, 8);
}

/* Restartable sequences: glibc carries on without them. */
LX_SYSCALL(rseq)
{
	(void)t;
	(void)a;
	return -LINUX_ENOSYS;
}

/* --- prctl, personality --- */

LX_SYSCALL(prctl)
{
	struct lx_proc *p = t->proc;
	struct lx_pmisc *m;
	char name[16];
	int sig;
	long r;

	switch (a[0]) {
	case LINUX_PR_SET_NAME:
		r = lx_copyinstr(p, a[1], name, sizeof(name));
		if (r == -LINUX_ENAMETOOLONG) {
			/* Linux keeps the first 15 bytes. */
			r = lx_copyin(p, a[1], name, sizeof(name) - 1);
			name[sizeof(name) - 1] = '\0';
		}
		if (r < 0)
			return r;
		memcpy(p->comm, name, sizeof(p->comm));
		p->comm[sizeof(p->comm) - 1] = '\0';
		return 0;
	case LINUX_PR_GET_NAME:
		memset(name, 0, sizeof(name));
		memcpy(name, p->comm, strnlen(p->comm, sizeof(name) - 1));
		return lx_copyout(p, a[1], name, sizeof(name));
	case LINUX_PR_SET_PDEATHSIG:
		if (a[1] > LINUX_NSIG)
			return -LINUX_EINVAL;
		m = lx_pmisc(p, true);
		if (!m)
			return -LINUX_ENOMEM;
		m->pdeathsig = (int)a[1];
		return 0;
	case LINUX_PR_GET_PDEATHSIG:
		m = lx_pmisc(p, false);
		sig = m ? m->pdeathsig : 0;
		return lx_copyout(p, a[1], &sig, sizeof(sig));
	default:
		return -LINUX_EINVAL;
	}
}

LX_SYSCALL(personality)
{
	(void)t;
	/* PER_LINUX (0) is the only persona; 0xffffffff asks without changing. */
	return ((uint32_t)a[0] == 0 || (uint32_t)a[0] == 0xffffffffu) ? 0 : -LINUX_EINVAL;
}

/* --- scheduling: one CPU, one policy --- */

/* The forwarded system call has already been a chance to run something else. */
LX_SYSCALL(sched_yield)
{
	(void)t;
	(void)a;
	return 0;
}

static bool pid_ok(int pid)
{
	return pid == 0 || (pid > 0 && (lx_proc_find(pid) || lx_thread_find(pid)));
}

LX_SYSCALL(sched_getaffinity)
{
	uint64_t mask = 1;
	int r;

	if (!pid_ok((int)a[0]))
		return -LINUX_ESRCH;
	if (a[1] < sizeof(mask) || (a[1] & (sizeof(mask) - 1)))
		return -LINUX_EINVAL;
	r = lx_copyout(t->proc, a[2], &mask, sizeof(mask));
	return r < 0 ? r : (long)sizeof(mask);
}

LX_SYSCALL(sched_setaffinity)
{
	uint8_t first = 0;
	int r;

	if (!pid_ok((int)a[0]))
		return -LINUX_ESRCH;
	if (a[1] == 0)
		return -LINUX_EINVAL;
	r = lx_copyin(t->proc, a[2], &first, 1);
	if (r < 0)
		return r;
	return (first & 1) ? 0 : -LINUX_EINVAL;	/* CPU 0 must be in it */
}

LX_SYSCALL(getcpu)
{
	uint32_t zero = 0;
	int r = 0;

	if (a[0])
		r = lx_copyout(t->proc, a[0], &zero, 4);
	if (r == 0 && a[1])
		r = lx_copyout(t->proc, a[1], &zero, 4);
	return r;
}

/* --- priorities (nice values, kept but not applied) --- */

static int nice_of(struct lx_proc *p)
{
	struct lx_pmisc *m = lx_pmisc(p, false);

	return m ? m->nice : 0;
}

/* Whether p is among who/which's processes. */
static bool prio_match(struct lx_thread *t, struct lx_proc *p, uint64_t which, int who)
{
	if (p->state == LX_ZOMBIE)
		return false;
	switch (which) {
	case LINUX_PRIO_PROCESS:
		return p->pid == (who ? who : t->proc->pid);
	case LINUX_PRIO_PGRP:
		return p->pgid == (who ? who : t->proc->pgid);
	default:
		return p->cred.uid == (who ? (uint32_t)who : t->proc->cred.uid);
	}
}

LX_SYSCALL(getpriority)
{
	struct lx_proc *p;
	int best = 100;

	if (a[0] > LINUX_PRIO_USER)
		return -LINUX_EINVAL;
	for (p = lx_proc_first(); p; p = p->next)
		if (prio_match(t, p, a[0], (int)a[1]) && nice_of(p) < best)
			best = nice_of(p);
	return best == 100 ? -LINUX_ESRCH : 20 - best;	/* the raw call's 1..40 */
}

LX_SYSCALL(setpriority)
{
	struct lx_proc *p;
	int nice = (int)a[2];
	long r = -LINUX_ESRCH;

	if (a[0] > LINUX_PRIO_USER)
		return -LINUX_EINVAL;
	nice = nice < -20 ? -20 : nice > 19 ? 19 : nice;
	for (p = lx_proc_first(); p; p = p->next) {
		struct lx_pmisc *m;

		if (!prio_match(t, p, a[0], (int)a[1]))
			continue;
		if (t->proc->cred.uid != 0 && p->uid != t->proc->cred.uid &&
		    p->cred.uid != t->proc->cred.uid) {
			r = -LINUX_EPERM;
			continue;
		}
		if (nice < nice_of(p) && t->proc->cred.uid != 0) {
			r = -LINUX_EACCES;
			continue;
		}
		m = lx_pmisc(p, true);
		if (!m)
			return -LINUX_ENOMEM;
		m->nice = nice;
		r = 0;
	}
	return r;
}
