/*
 * Processes: pid 1, fork (a copy-on-write task_create), exit and the zombies wait4
 * reaps, over the common core's process table (personalities/common/uproc.c: pids,
 * parents and children, zombies, wait's matching rules).
 *
 * A process is one Mach task whose threads are foreign with the process's own syscall
 * port (a receive right in the server's port set); the port's name finds the process
 * when a request arrives. An exited process keeps its struct until its parent reaps it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include <mach/personality.h>
#include <mach/personality_user.h>
#include <mach/task_special_ports.h>
#include <mach/x86_64/thread_status.h>
#include "lx.h"
#include "lx_core.h"

struct uproc_table lx_procs;		/* every process, zombies included */
static bool init_gone;

_Static_assert(offsetof(struct lx_proc, up) == 0, "lx_proc_of");
_Static_assert(offsetof(struct lx_proc, next) == offsetof(struct lx_proc, up.next) &&
	       offsetof(struct lx_proc, parent) == offsetof(struct lx_proc, up.parent) &&
	       offsetof(struct lx_proc, cred) == offsetof(struct lx_proc, up.cred),
	       "lx_proc's names for the uproc fields");

struct lx_proc *lx_proc_first(void)
{
	return lx_proc_of(lx_procs.all);
}

struct lx_proc *lx_proc_find(int pid)
{
	return lx_proc_of(uproc_find(&lx_procs, pid));
}

struct lx_thread *lx_thread_find(int tid)
{
	for (struct lx_proc *p = lx_proc_first(); p; p = p->next)
		for (struct lx_thread *t = p->threads; t; t = t->next_in_proc)
			if (t->tid == tid && p->state != LX_ZOMBIE)
				return t;
	return NULL;
}

void lx_proc_vfs_ctx(struct lx_proc *p, struct vfs_ctx *ctx)
{
	ctx->root = p->root;
	ctx->cwd = p->cwd;
	ctx->cred = &p->cred;
}

void lx_ucore_clock(struct utimespec *ts)
{
	struct linux_timespec l;

	lx_realtime(&l);
	ts->sec = l.tv_sec;
	ts->nsec = l.tv_nsec;
}

bool lx_init_exited(void)
{
	return init_gone;
}

int lx_init_status(void)
{
	struct lx_proc *init = lx_proc_find(1);

	return init ? lx_wstatus(init->status) : -1;
}

/* The table's release hook: the struct and its threads (the ports went at exit). */
static void proc_release(struct uproc *u)
{
	struct lx_proc *p = lx_proc_of(u);

	while (p->threads) {
		struct lx_thread *t = p->threads;

		p->threads = t->next_in_proc;
		free(t);
	}
	free(p->cmdline);
	free(p);
}

/* A process with its syscall port and one thread record (no task yet), in the table
   as parent's child (in its group and session, with its credentials), or as a session
   leader without a parent (init). */
static struct lx_proc *proc_new(struct lx_proc *parent)
{
	struct lx_proc *p = calloc(1, sizeof(*p));
	struct lx_thread *t = calloc(1, sizeof(*t));

	if (!p || !t)
		goto fail;
	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p->sysport) != KERN_SUCCESS)
		goto fail;
	/* Requests arrive with p itself in place of the port's name (main.c). */
	if (mach_port_set_protected_payload(mach_task_self(), p->sysport, (uint64_t)(uintptr_t)p) != KERN_SUCCESS ||
	    mach_port_move_member(mach_task_self(), p->sysport, lx_portset) != KERN_SUCCESS ||
	    uproc_add(&lx_procs, &p->up, parent ? &parent->up : NULL) < 0) {
		mach_port_mod_refs(mach_task_self(), p->sysport, MACH_PORT_RIGHT_RECEIVE, -1);
		goto fail;
	}
	t->tid = p->pid;
	t->proc = p;
	t->altstack = LINUX_ALTSTACK_NONE;
	p->threads = t;
	p->nthreads = 1;
	p->start_ns = lx_now_ns();
	return p;
fail:
	free(p);
	free(t);
	return NULL;
}

/* Makes task foreign with p's syscall port, its exceptions coming to the server. */
static kern_return_t task_attach(struct lx_proc *p, mach_port_t task)
{
	kern_return_t kr;

	kr = mach_port_insert_right(mach_task_self(), p->sysport, p->sysport, MACH_MSG_TYPE_MAKE_SEND);
	if (kr == KERN_SUCCESS)
		kr = task_set_syscall_port(task, p->sysport, 0);
	/* The task holds its own send right now: drop ours. */
	mach_port_mod_refs(mach_task_self(), p->sysport, MACH_PORT_RIGHT_SEND, -1);
	if (kr == KERN_SUCCESS)
		kr = task_set_special_port(task, TASK_EXCEPTION_PORT, lx_excport);
	return kr;
}

long lx_start_init(int argc, char **argv)
{
	struct lx_proc *p;
	struct lx_thread *t;
	struct file *f;
	struct vfs_ctx ctx;
	mach_port_t task;
	long err;

	uproc_table_init(&lx_procs, LX_PID_MAX, LX_PROC_LIMIT, proc_release);
	lx_signal_init();
	if (!(p = proc_new(NULL)))
		return -LINUX_ENOMEM;
	t = p->threads;
	p->umask = 022;
	p->fdt = fdt_new(FDT_LIMIT_DEFAULT);
	p->root = vnode_ref(lx_fs_root());
	p->cwd = vnode_ref(p->root);
	lx_rlimit_defaults(p);
	lx_signal_exec(p);
	if (task_create(mach_task_self(), 0, &task) != KERN_SUCCESS)
		return -LINUX_ENOMEM;
	p->task = task;
	if (task_attach(p, task) != KERN_SUCCESS || thread_create(task, &t->thread) != KERN_SUCCESS)
		return -LINUX_ENOMEM;
	/* The terminal is its controlling terminal and its 0, 1 and 2. */
	p->ctty = lx_tty_console();
	lx_proc_vfs_ctx(p, &ctx);
	if (file_open(&ctx, p->cwd, "/dev/console", UO_READ | UO_WRITE, 0, &f) == 0) {
		fdt_install(p->fdt, f, 0, 0);
		fdt_install(p->fdt, f, 1, 0);
		fdt_install(p->fdt, f, 2, 0);
		file_rele(f);
	}
	static char *envp[] = { "HOME=/", "TERM=linux", "PATH=/sbin:/usr/sbin:/bin:/usr/bin", NULL };
	err = lx_exec(t, argv[0], argv, argc, envp, 3);
	return err == LX_NOREPLY ? 0 : err;
}

/* ------------------------------------------------------------- fork */

static void regs_to_state(const foreign_regs_t r, struct i386_thread_state *s)
{
	s->rax = r[FOREIGN_REG_RAX]; s->rcx = r[FOREIGN_REG_RCX]; s->rdx = r[FOREIGN_REG_RDX];
	s->rbx = r[FOREIGN_REG_RBX]; s->ursp = r[FOREIGN_REG_RSP]; s->rbp = r[FOREIGN_REG_RBP];
	s->rsi = r[FOREIGN_REG_RSI]; s->rdi = r[FOREIGN_REG_RDI];
	s->r8 = r[FOREIGN_REG_R8]; s->r9 = r[FOREIGN_REG_R9]; s->r10 = r[FOREIGN_REG_R10];
	s->r11 = r[FOREIGN_REG_R11]; s->r12 = r[FOREIGN_REG_R12]; s->r13 = r[FOREIGN_REG_R13];
	s->r14 = r[FOREIGN_REG_R14]; s->r15 = r[FOREIGN_REG_R15];
	s->rip = r[FOREIGN_REG_RIP]; s->rfl = r[FOREIGN_REG_RFLAGS];
}

static void state_to_regs(const struct i386_thread_state *s, foreign_regs_t r)
{
	r[FOREIGN_REG_RAX] = s->rax; r[FOREIGN_REG_RCX] = s->rcx; r[FOREIGN_REG_RDX] = s->rdx;
	r[FOREIGN_REG_RBX] = s->rbx; r[FOREIGN_REG_RSP] = s->ursp; r[FOREIGN_REG_RBP] = s->rbp;
	r[FOREIGN_REG_RSI] = s->rsi; r[FOREIGN_REG_RDI] = s->rdi;
	r[FOREIGN_REG_R8] = s->r8; r[FOREIGN_REG_R9] = s->r9; r[FOREIGN_REG_R10] = s->r10;
	r[FOREIGN_REG_R11] = s->r11; r[FOREIGN_REG_R12] = s->r12; r[FOREIGN_REG_R13] = s->r13;
	r[FOREIGN_REG_R14] = s->r14; r[FOREIGN_REG_R15] = s->r15;
	r[FOREIGN_REG_RIP] = s->rip; r[FOREIGN_REG_RFLAGS] = s->rfl;
}

kern_return_t lx_thread_set_regs(mach_port_t thread, const foreign_regs_t r)
{
	struct i386_thread_state s;
	mach_msg_type_number_t n = i386_THREAD_STATE_COUNT;
	kern_return_t kr = thread_get_state(thread, i386_THREAD_STATE, (thread_state_t)&s, &n);

	if (kr != KERN_SUCCESS)
		return kr;
	regs_to_state(r, &s);
	return thread_set_state(thread, i386_THREAD_STATE, (thread_state_t)&s, i386_THREAD_STATE_COUNT);
}

kern_return_t lx_thread_get_regs(mach_port_t thread, foreign_regs_t r)
{
	struct i386_thread_state s;
	mach_msg_type_number_t n = i386_THREAD_STATE_COUNT;
	kern_return_t kr = thread_get_state(thread, i386_THREAD_STATE, (thread_state_t)&s, &n);

	if (kr == KERN_SUCCESS)
		state_to_regs(&s, r);
	return kr;
}

static long do_fork(struct lx_thread *t, uint64_t flags, uint64_t newsp, uint64_t ptid,
		    uint64_t ctid, uint64_t tls)
{
	struct lx_proc *p = t->proc, *c;
	struct lx_thread *ct;
	mach_port_t task;
	uint64_t fsgs[2] = { 0, 0 };
	mach_msg_type_number_t n = i386_FSGS_BASE_STATE_COUNT;
	foreign_regs_t regs;

	if (flags & (LINUX_CLONE_VM | LINUX_CLONE_THREAD | LINUX_CLONE_SIGHAND)) {
		/* Threads and shared address spaces are not supported yet. */
		lx_log_enosys(t);
		return -LINUX_ENOSYS;
	}
	if (uproc_may_fork(&lx_procs, p->rlim[LINUX_RLIMIT_NPROC].rlim_cur) < 0)
		return -LINUX_EAGAIN;
	c = proc_new(p);
	if (!c)
		return -LINUX_EAGAIN;
	ct = c->threads;
	if (task_create(p->task, 1, &task) != KERN_SUCCESS) {
		mach_port_mod_refs(mach_task_self(), c->sysport, MACH_PORT_RIGHT_RECEIVE, -1);
		uproc_free(&lx_procs, &c->up);
		return -LINUX_ENOMEM;
	}
	c->task = task;
	c->ctty = p->ctty;
	c->fdt = fdt_fork(p->fdt);
	c->root = vnode_ref(p->root);
	c->cwd = vnode_ref(p->cwd);
	c->umask = p->umask;
	c->brk_start = p->brk_start;
	c->brk = p->brk;
	c->mmap_base = p->mmap_base;
	usig_fork(&c->usig, &p->usig);
	memcpy(c->exe, p->exe, sizeof(c->exe));
	memcpy(c->comm, p->comm, sizeof(c->comm));
	memcpy(c->rlim, p->rlim, sizeof(c->rlim));
	if (p->cmdline && (c->cmdline = malloc(p->cmdline_len)) != NULL) {
		memcpy(c->cmdline, p->cmdline, p->cmdline_len);
		c->cmdline_len = p->cmdline_len;
	}
	usig_fork_thread(&ct->usig, &t->usig);
	ct->altstack = t->altstack;
	lx_misc_fork(p, c);

	if (task_attach(c, task) != KERN_SUCCESS || thread_create(task, &ct->thread) != KERN_SUCCESS) {
		lx_proc_exit(c, LINUX_W_SIGNALED(LINUX_SIGKILL, 0));
		return -LINUX_ENOMEM;
	}
	thread_get_state(t->thread, i386_FSGS_BASE_STATE, (thread_state_t)fsgs, &n);
	if (flags & LINUX_CLONE_SETTLS)
		fsgs[0] = tls;
	ct->fs_base = fsgs[0];
	thread_set_state(ct->thread, i386_FSGS_BASE_STATE, (thread_state_t)fsgs,
			 i386_FSGS_BASE_STATE_COUNT);
	memcpy(regs, t->regs, sizeof(regs));
	regs[FOREIGN_REG_RAX] = 0;
	if (newsp)
		regs[FOREIGN_REG_RSP] = newsp;
	int32_t tid = c->pid;
	if ((flags & LINUX_CLONE_CHILD_SETTID) && lx_copyout(c, ctid, &tid, 4) < 0) {
		lx_proc_exit(c, LINUX_W_SIGNALED(LINUX_SIGSEGV, 0));
		return c->pid;
	}
	if (flags & LINUX_CLONE_PARENT_SETTID)
		lx_copyout(p, ptid, &tid, 4);
	if (flags & LINUX_CLONE_CHILD_CLEARTID)
		ct->clear_child_tid = ctid;
	if (lx_thread_set_regs(ct->thread, regs) != KERN_SUCCESS ||
	    thread_resume(ct->thread) != KERN_SUCCESS) {
		lx_proc_exit(c, LINUX_W_SIGNALED(LINUX_SIGKILL, 0));
		return -LINUX_ENOMEM;
	}
	return c->pid;
}

LX_SYSCALL(fork)
{
	(void)a;
	return do_fork(t, LINUX_SIGCHLD, 0, 0, 0, 0);
}

/*
 * vfork, and clone with CLONE_VFORK: the child gets a copy-on-write copy, as for fork,
 * and the parent waits, as on Linux, until the child has execed or exited
 * (lx_vfork_done). A signal for the parent ends its wait early (Linux lets only a
 * fatal one through, and delivers the others after; here the parent goes on at once).
 * First run: the fork, the child's pid in scratch[0]; re-runs: whether to go on waiting.
 */
static long vfork_wait(struct lx_thread *t, long pid)
{
	struct uproc *u = uproc_find(&lx_procs, (int)pid);
	struct lx_proc *c = u ? lx_proc_of(u) : NULL;

	if (!c || c->vfork_parent != t)
		return pid;
	if (lx_signal_pending(t)) {
		c->vfork_parent = NULL;
		return pid;
	}
	return lx_block(t, LX_EV_CHILD, 0);
}

static long do_vfork(struct lx_thread *t, uint64_t flags, const uint64_t a[6])
{
	if (t->first) {
		long pid = do_fork(t, flags, a[1], a[2], a[3], a[4]);
		struct uproc *u = pid > 0 ? uproc_find(&lx_procs, (int)pid) : NULL;

		if (!u)
			return pid;
		lx_proc_of(u)->vfork_parent = t;
		t->scratch[0] = (uint64_t)pid;
	}
	return vfork_wait(t, (long)t->scratch[0]);
}

void lx_vfork_done(struct lx_proc *c)
{
	if (c->vfork_parent) {
		c->vfork_parent = NULL;
		lx_wake(LX_EV_CHILD);
	}
}

LX_SYSCALL(vfork)
{
	static const uint64_t none[6];

	(void)a;
	return do_vfork(t, LINUX_SIGCHLD, none);
}

LX_SYSCALL(clone)
{
	uint64_t flags = a[0] & ~(uint64_t)(LINUX_CLONE_VFORK | 0xff);

	if ((a[0] & LINUX_CLONE_VFORK) && !(flags & (LINUX_CLONE_VM | LINUX_CLONE_THREAD)))
		return do_vfork(t, flags | (a[0] & 0xff), a);
	return do_fork(t, flags, a[1], a[2], a[3], a[4]);
}

/* ------------------------------------------------------------- exit and wait */

static void release_resources(struct lx_proc *p)
{
	if (p->fdt) {
		fdt_free(p->fdt);
		p->fdt = NULL;
	}
	if (p->cwd)
		vnode_rele(p->cwd);
	if (p->root)
		vnode_rele(p->root);
	p->cwd = p->root = NULL;
}

/* A Linux wait status (what exit, exit_group and a killing signal give) in the core's terms. */
static struct uwstatus wstatus_decode(int wstatus)
{
	if (wstatus & 0x7f)
		return (struct uwstatus){ .how = UW_KILLED, .value = wstatus & 0x7f,
					  .core = (wstatus & 0x80) != 0 };
	return (struct uwstatus){ .how = UW_EXITED, .value = (wstatus >> 8) & 0xff };
}

void lx_proc_exit(struct lx_proc *p, int wstatus)
{
	if (p->state == LX_ZOMBIE)
		return;
	lx_vfork_done(p);
	/* A child that p's threads waited for in vfork waits for nobody now. */
	for (struct lx_proc *c = p->children; c; c = c->sibling)
		if (c->vfork_parent && c->vfork_parent->proc == p)
			c->vfork_parent = NULL;
	if (p->task != MACH_PORT_NULL) {
		lx_proc_cpu_ns(p, &p->exit_user_ns, &p->exit_sys_ns);
		task_terminate(p->task);
		mach_port_deallocate(mach_task_self(), p->task);
		p->task = MACH_PORT_NULL;
	}
	for (struct lx_thread *t = p->threads; t; t = t->next_in_proc) {
		if (t->parked)
			lx_unpark(t);
		if (t->reply != MACH_PORT_NULL)
			mach_port_deallocate(mach_task_self(), t->reply);
		t->reply = MACH_PORT_NULL;
		if (t->thread != MACH_PORT_NULL)
			mach_port_deallocate(mach_task_self(), t->thread);
		t->thread = MACH_PORT_NULL;
	}
	mach_port_mod_refs(mach_task_self(), p->sysport, MACH_PORT_RIGHT_RECEIVE, -1);
	p->sysport = MACH_PORT_NULL;
	release_resources(p);
	lx_misc_exit(p);
	if (p->ctty && p->sid == p->pid) {
		lx_tty_session_gone(p->ctty, p->sid);
		lx_signal_pgrp_session_hup(p);
	}
	/* Children go to init; p becomes a zombie unless nobody will wait for it. */
	struct lx_proc *parent = p->parent;
	int pid = p->pid;
	if (pid == 1)
		init_gone = true;	/* main.c reports it once the terminal is flushed */
	bool reap = parent && usig_nocldwait(&lx_sigabi, &parent->usig);
	if (uproc_exit(&lx_procs, &p->up, wstatus_decode(wstatus), reap)) {
		struct linux_siginfo si;

		memset(&si, 0, sizeof(si));
		si.si_signo = LINUX_SIGCHLD;
		si.si_code = (wstatus & 0x7f) ? LINUX_CLD_KILLED : LINUX_CLD_EXITED;
		si.u.chld.pid = pid;
		si.u.chld.status = (wstatus & 0x7f) ? (wstatus & 0x7f) : (wstatus >> 8) & 0xff;
		lx_signal_proc(parent, LINUX_SIGCHLD, &si);
	}
	if (parent)
		lx_wake(LX_EV_CHILD);
}

LX_SYSCALL(exit)
{
	lx_proc_exit(t->proc, LINUX_W_EXITCODE((int)a[0]));
	return LX_NOREPLY;
}

LX_SYSCALL(exit_group)
{
	lx_proc_exit(t->proc, LINUX_W_EXITCODE((int)a[0]));
	return LX_NOREPLY;
}

/* The child to report and its status (uproc_wait_find), or NULL; *any says whether pid
   matched a child. */
/* Takes what p's wait found in c: a zombie's CPU time goes to p's children's (times,
   getrusage) as it is reaped; a stop or continue is marked reported. */
static void reap(struct lx_proc *p, struct lx_proc *c)
{
	if (c->state == LX_ZOMBIE) {
		p->child_user_ns += c->exit_user_ns + c->child_user_ns;
		p->child_sys_ns += c->exit_sys_ns + c->child_sys_ns;
	}
	uproc_wait_consume(&lx_procs, &c->up);
}

static struct lx_proc *wait_find(struct lx_proc *p, int64_t pid, unsigned options, bool *any,
				 struct uwstatus *st)
{
	unsigned uopt = ((options & LINUX_WEXITED) ? UWAIT_EXITED : 0) |
			((options & LINUX_WUNTRACED) ? UWAIT_STOPPED : 0) |
			((options & LINUX_WCONTINUED) ? UWAIT_CONTINUED : 0);

	return lx_proc_of(uproc_wait_find(&p->up, pid, uopt, any, st));
}

LX_SYSCALL(wait4)
{
	struct lx_proc *p = t->proc, *c;
	int64_t pid = (int32_t)a[0];
	unsigned options = (unsigned)a[2];
	struct uwstatus st;
	bool any;

	if (options & ~(LINUX_WNOHANG | LINUX_WUNTRACED | LINUX_WCONTINUED | LINUX_WALL | LINUX_WCLONE | 0x20000000u))
		return -LINUX_EINVAL;
	c = wait_find(p, pid, options | LINUX_WEXITED, &any, &st);
	if (!any)
		return -LINUX_ECHILD;
	if (!c) {
		if (options & LINUX_WNOHANG)
			return 0;
		if (lx_signal_pending(t))
			return -LINUX_EINTR;
		return lx_block(t, LX_EV_CHILD, 0);
	}
	int32_t status = lx_wstatus(st);
	if (a[1] && lx_copyout(p, a[1], &status, 4) < 0)
		return -LINUX_EFAULT;
	if (a[3]) {
		struct linux_rusage ru;

		memset(&ru, 0, sizeof(ru));
		if (st.how == UW_EXITED || st.how == UW_KILLED)
			lx_child_rusage(c, &ru);
		if (lx_copyout(p, a[3], &ru, sizeof(ru)) < 0)
			return -LINUX_EFAULT;
	}
	int cpid = c->pid;
	reap(p, c);
	return cpid;
}

LX_SYSCALL(waitid)
{
	struct lx_proc *p = t->proc, *c;
	int idtype = (int)a[0];
	int64_t pid;
	unsigned options = (unsigned)a[3];
	struct uwstatus st;
	bool any;

	switch (idtype) {
	case 0: pid = -1; break;			/* P_ALL */
	case 1: pid = (int32_t)a[1]; if (pid <= 0) return -LINUX_EINVAL; break;	/* P_PID */
	case 2: pid = a[1] ? -(int64_t)(int32_t)a[1] : 0; break;	/* P_PGID */
	default: return -LINUX_EINVAL;
	}
	if (!(options & (LINUX_WEXITED | LINUX_WUNTRACED | LINUX_WCONTINUED)))
		return -LINUX_EINVAL;
	c = wait_find(p, pid, options, &any, &st);
	if (!any)
		return -LINUX_ECHILD;
	struct linux_siginfo si;
	memset(&si, 0, sizeof(si));
	if (!c) {
		if (options & LINUX_WNOHANG)
			return a[2] && lx_copyout(p, a[2], &si, sizeof(si)) < 0 ? -LINUX_EFAULT : 0;
		if (lx_signal_pending(t))
			return -LINUX_EINTR;
		return lx_block(t, LX_EV_CHILD, 0);
	}
	si.si_signo = LINUX_SIGCHLD;
	si.u.chld.pid = c->pid;
	switch (st.how) {
	case UW_CONTINUED:
		si.si_code = LINUX_CLD_CONTINUED;
		si.u.chld.status = LINUX_SIGCONT;
		break;
	case UW_STOPPED:
		si.si_code = LINUX_CLD_STOPPED;
		si.u.chld.status = st.value;
		break;
	case UW_KILLED:
		si.si_code = LINUX_CLD_KILLED;
		si.u.chld.status = st.value;
		break;
	default:
		si.si_code = LINUX_CLD_EXITED;
		si.u.chld.status = st.value;
		break;
	}
	if (a[2] && lx_copyout(p, a[2], &si, sizeof(si)) < 0)
		return -LINUX_EFAULT;
	if (!(options & LINUX_WNOWAIT))
		reap(p, c);
	return 0;
}

