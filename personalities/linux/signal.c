/*
 * Signals: actions, masks, sending, and delivery. A signal is delivered when its
 * thread's system call is answered (lx_reply calls lx_signal_deliver), or, for a thread
 * running guest code, at once: the server suspends it and rewrites its registers. A
 * thread parked in a blocking call is re-run (lx_wake_thread); its handler sees
 * lx_signal_pending and fails with EINTR, which becomes a restart when the handler
 * asked for SA_RESTART and the call is one Linux restarts.
 */
#include <stdio.h>
#include <string.h>
#include <mach/mach_interface.h>
#include <mach/mach_traps.h>
#include <mach/mig_errors.h>
#include <mach/x86_64/thread_status.h>
#include "lx.h"
#include "lx_core.h"

/* i386_XFLOAT_STATE with the FXSAVE area: a 4-word header, then 512 bytes. */
#define XFLOAT_WORDS	(4 + LINUX_FXSAVE_SIZE / 4)

#define BIT(sig)	LINUX_SIGBIT(sig)
#define STOP_SET	(BIT(LINUX_SIGSTOP) | BIT(LINUX_SIGTSTP) | BIT(LINUX_SIGTTIN) | BIT(LINUX_SIGTTOU))
#define IGNORE_SET	(BIT(LINUX_SIGCHLD) | BIT(LINUX_SIGURG) | BIT(LINUX_SIGWINCH) | BIT(LINUX_SIGCONT))
#define CORE_SET	(BIT(LINUX_SIGQUIT) | BIT(LINUX_SIGILL) | BIT(LINUX_SIGTRAP) | BIT(LINUX_SIGABRT) | \
			 BIT(LINUX_SIGBUS) | BIT(LINUX_SIGFPE) | BIT(LINUX_SIGSEGV) | BIT(LINUX_SIGXCPU) | \
			 BIT(LINUX_SIGXFSZ) | BIT(LINUX_SIGSYS))

/* Whether sig, sent now, would do nothing at all (ignored, explicitly or by default). */
static bool ignored(const struct lx_proc *p, int sig)
{
	uint64_t h = p->act[sig].handler;

	return h == LINUX_SIG_IGN || (h == LINUX_SIG_DFL && (IGNORE_SET & BIT(sig)));
}


void lx_signal_exec(struct lx_proc *p)
{
	for (int sig = 1; sig <= LINUX_NSIG; sig++) {
		bool ign = p->act[sig].handler == LINUX_SIG_IGN;

		memset(&p->act[sig], 0, sizeof(p->act[sig]));
		if (ign)
			p->act[sig].handler = LINUX_SIG_IGN;
	}
	for (struct lx_thread *t = p->threads; t; t = t->next_in_proc)
		t->altstack = LINUX_ALTSTACK_NONE;
}

bool lx_signal_pending(struct lx_thread *t)
{
	return ((t->pending | t->proc->pending) & ~t->blocked) != 0;
}

/* ------------------------------------------------------------- stop and continue */

static void notify_parent(struct lx_proc *p, int code, int status)
{
	struct lx_proc *parent = p->parent;
	struct linux_siginfo si;

	if (!parent || parent->state == LX_ZOMBIE)
		return;
	p->wait_reportable = true;
	lx_wake(LX_EV_CHILD);
	if (parent->act[LINUX_SIGCHLD].flags & LINUX_SA_NOCLDSTOP)
		return;
	memset(&si, 0, sizeof(si));
	si.si_signo = LINUX_SIGCHLD;
	si.si_code = code;
	si.u.chld.pid = p->pid;
	si.u.chld.status = status;
	lx_signal_proc(parent, LINUX_SIGCHLD, &si);
}

static void stop_proc(struct lx_proc *p, int sig)
{
	if (p->state != LX_RUNNING)
		return;
	task_suspend(p->task);
	p->state = LX_STOPPED;
	p->wstatus = LINUX_W_STOPCODE(sig);
	notify_parent(p, LINUX_CLD_STOPPED, sig);
}

static void continue_proc(struct lx_proc *p)
{
	p->pending &= ~STOP_SET;
	for (struct lx_thread *t = p->threads; t; t = t->next_in_proc)
		t->pending &= ~STOP_SET;
	if (p->state != LX_STOPPED)
		return;
	p->state = LX_RUNNING;
	task_resume(p->task);
	notify_parent(p, LINUX_CLD_CONTINUED, LINUX_SIGCONT);
	for (struct lx_thread *t = p->threads; t; t = t->next_in_proc)
		if (t->held) {
			t->held = false;
			lx_reply(t, t->held_result);
		}
}

/* ------------------------------------------------------------- delivery */

static int next_signal(struct lx_thread *t, struct linux_siginfo *info)
{
	linux_sigset_t set = (t->pending | t->proc->pending) & ~t->blocked;

	if (!set)
		return 0;
	int sig = __builtin_ctzll(set) + 1;
	*info = t->proc->siginfo[sig];
	if (t->pending & BIT(sig))
		t->pending &= ~BIT(sig);
	else
		t->proc->pending &= ~BIT(sig);
	if (info->si_signo != sig) {
		memset(info, 0, sizeof(*info));
		info->si_signo = sig;
		info->si_code = LINUX_SI_KERNEL;
	}
	return sig;
}

/* What taking sig does to p: nothing, stop it, end it, or run a handler. */
enum action { ACT_NONE, ACT_STOP, ACT_KILL, ACT_HANDLER };

static enum action action_of(struct lx_proc *p, int sig)
{
	uint64_t h = p->act[sig].handler;

	if (h == LINUX_SIG_IGN)
		return ACT_NONE;
	if (h != LINUX_SIG_DFL)
		return ACT_HANDLER;
	if (IGNORE_SET & BIT(sig))
		return ACT_NONE;
	return STOP_SET & BIT(sig) ? ACT_STOP : ACT_KILL;
}

/* Calls Linux restarts after a handler with SA_RESTART (ERESTARTSYS). */
static bool restartable(uint64_t nr)
{
	switch (nr) {
	case LINUX_SYS_read: case LINUX_SYS_write: case LINUX_SYS_readv: case LINUX_SYS_writev:
	case LINUX_SYS_pread64: case LINUX_SYS_pwrite64: case LINUX_SYS_ioctl:
	case LINUX_SYS_wait4: case LINUX_SYS_waitid: case LINUX_SYS_open: case LINUX_SYS_openat:
	case LINUX_SYS_fcntl: case LINUX_SYS_flock: case LINUX_SYS_sendfile:
		return true;
	}
	return false;
}

/* Builds sig's frame on t (registers regs) and sets what the handler runs with. 0, or
   -1 when the frame cannot be written (the process then dies of SIGSEGV). */
static int build_frame(struct lx_thread *t, int sig, const struct linux_siginfo *info,
		       const foreign_regs_t regs, struct linux_sigframe_image *img)
{
	struct lx_proc *p = t->proc;
	struct linux_sigaction *act = &p->act[sig];
	uint32_t xfloat[XFLOAT_WORDS];
	mach_msg_type_number_t n = XFLOAT_WORDS;
	struct linux_sigdelivery d;

	memset(&d, 0, sizeof(d));
	d.sig = sig;
	d.act = act;
	d.info = info;
	d.blocked = t->sigsuspend ? t->saved_blocked : t->blocked;
	d.altstack = t->altstack;
	if (thread_get_state(t->thread, i386_XFLOAT_STATE, (thread_state_t)xfloat, &n) == KERN_SUCCESS &&
	    n >= 4 + LINUX_FXSAVE_SIZE / 4)
		d.fxsave = (const uint8_t *)&xfloat[4];
	if (sig == LINUX_SIGSEGV || sig == LINUX_SIGBUS)
		d.cr2 = info->u.fault.addr;
	if (linux_sigframe_build(regs, &d, img) < 0 || lx_copyout(p, img->addr, img->buf, img->size) < 0)
		return -1;
	t->blocked = img->blocked;
	t->altstack = img->altstack;
	t->sigsuspend = false;
	if (act->flags & LINUX_SA_RESETHAND)
		act->handler = LINUX_SIG_DFL;
	return 0;
}

bool lx_signal_deliver(struct lx_thread *t, long result)
{
	struct lx_proc *p = t->proc;
	struct linux_siginfo info;
	int sig;

	if (p->state == LX_STOPPED) {
		t->held = true;
		t->held_result = result;
		return true;
	}
	while ((sig = next_signal(t, &info)) != 0) {
		struct linux_sigaction *act = &p->act[sig];
		enum action what = action_of(p, sig);

		if (what == ACT_NONE)
			continue;
		if (what == ACT_STOP) {
			stop_proc(p, sig);
			t->held = true;
			t->held_result = result;
			return true;
		}
		if (what == ACT_KILL) {
			lx_proc_exit(p, LINUX_W_SIGNALED(sig, 0));
			return true;
		}
		foreign_regs_t regs;
		struct linux_sigframe_image img;

		memcpy(regs, t->regs, sizeof(regs));
		regs[FOREIGN_REG_RAX] = (uint64_t)result;
		if (result == -LINUX_EINTR && restartable(t->nr) && (act->flags & LINUX_SA_RESTART)) {
			regs[FOREIGN_REG_RIP] -= 2;		/* the syscall instruction again */
			regs[FOREIGN_REG_RAX] = t->nr;
		}
		if (build_frame(t, sig, &info, regs, &img) < 0) {
			lx_proc_exit(p, LINUX_W_SIGNALED(LINUX_SIGSEGV, 0));
			return true;
		}
		lx_reply_regs(t, img.regs, img.mask);
		return true;
	}
	if (t->sigsuspend) {
		t->blocked = t->saved_blocked;
		t->sigsuspend = false;
	}
	return false;
}

/* A thread running guest code (no call of it in the server): deliver now. */
static void deliver_running(struct lx_thread *t)
{
	struct lx_proc *p = t->proc;
	struct linux_siginfo info;
	int sig;

	if (t->thread == MACH_PORT_NULL || p->state != LX_RUNNING)
		return;
	/* Its last reply may still be held by the loop: registers must be final first. */
	lx_flush_reply();
	while ((sig = next_signal(t, &info)) != 0) {
		enum action what = action_of(p, sig);

		if (what == ACT_NONE)
			continue;
		if (what != ACT_HANDLER) {
			if (what == ACT_STOP)
				stop_proc(p, sig);
			else
				lx_proc_exit(p, LINUX_W_SIGNALED(sig, 0));
			return;
		}
		foreign_regs_t regs;
		struct linux_sigframe_image img;

		if (thread_suspend(t->thread) != KERN_SUCCESS)
			return;
		if (lx_thread_get_regs(t->thread, regs) != KERN_SUCCESS) {
			thread_resume(t->thread);
			return;
		}
		if (build_frame(t, sig, &info, regs, &img) < 0) {
			lx_proc_exit(p, LINUX_W_SIGNALED(LINUX_SIGSEGV, 0));
			return;
		}
		lx_thread_set_regs(t->thread, img.regs);
		thread_resume(t->thread);
		return;
	}
}

/* Makes t act on its pending signals: re-run a parked call, or interrupt guest code.
   A thread whose call is being served now acts at its reply. */
static void kick(struct lx_thread *t)
{
	if (!lx_signal_pending(t))
		return;
	if (t->parked)
		lx_wake_thread(t);
	else if (t->reply == MACH_PORT_NULL && t != lx_current && !t->held)
		deliver_running(t);
}

static bool post(struct lx_proc *p, linux_sigset_t *pending, int sig,
		 const struct linux_siginfo *info)
{
	if (p->state == LX_ZOMBIE || sig < 1 || sig > LINUX_NSIG)
		return false;
	if (sig == LINUX_SIGKILL) {
		lx_proc_exit(p, LINUX_W_SIGNALED(LINUX_SIGKILL, 0));
		return false;
	}
	if (sig == LINUX_SIGCONT)
		continue_proc(p);
	if (STOP_SET & BIT(sig)) {
		p->pending &= ~BIT(LINUX_SIGCONT);
		if (sig == LINUX_SIGSTOP) {
			stop_proc(p, sig);
			return false;
		}
	}
	if (ignored(p, sig))
		return false;
	*pending |= BIT(sig);
	if (info)
		p->siginfo[sig] = *info;
	else {
		memset(&p->siginfo[sig], 0, sizeof(p->siginfo[sig]));
		p->siginfo[sig].si_signo = sig;
		p->siginfo[sig].si_code = LINUX_SI_KERNEL;
	}
	return true;
}

void lx_signal_proc(struct lx_proc *p, int sig, const struct linux_siginfo *info)
{
	if (!post(p, &p->pending, sig, info))
		return;
	for (struct lx_thread *t = p->threads; t; t = t->next_in_proc)
		if (!(t->blocked & BIT(sig))) {
			kick(t);
			return;
		}
}

void lx_signal_thread(struct lx_thread *t, int sig, const struct linux_siginfo *info)
{
	if (post(t->proc, &t->pending, sig, info))
		kick(t);
}

/* ------------------------------------------------------------- exceptions */

kern_return_t lx_exception(mach_port_t task, mach_port_t thread, int exception, int code,
			   int64_t subcode)
{
	struct lx_proc *p = NULL;
	struct lx_thread *t;
	struct linux_siginfo info;
	int sig;

	(void)thread;
	for (struct lx_proc *q = lx_proc_first(); q && !p; q = q->next)
		if (q->task == task && q->state != LX_ZOMBIE)
			p = q;
	if (!p)
		return KERN_FAILURE;
	t = p->threads;
	memset(&info, 0, sizeof(info));
	switch (exception) {
	case 1:	/* EXC_BAD_ACCESS */
		sig = LINUX_SIGSEGV;
		info.si_code = code == 2 /* KERN_PROTECTION_FAILURE */ ? LINUX_SEGV_ACCERR : LINUX_SEGV_MAPERR;
		info.u.fault.addr = (uint64_t)subcode;
		break;
	case 2:	/* EXC_BAD_INSTRUCTION */
		sig = LINUX_SIGILL;
		info.si_code = LINUX_ILL_ILLOPC;
		break;
	case 3:	/* EXC_ARITHMETIC */
		sig = LINUX_SIGFPE;
		info.si_code = LINUX_FPE_INTDIV;
		break;
	case 6:	/* EXC_BREAKPOINT */
		sig = LINUX_SIGTRAP;
		break;
	default:
		sig = LINUX_SIGSYS;
		break;
	}
	info.si_signo = sig;
	struct linux_sigaction *act = &p->act[sig];
	/* A fault with the signal blocked or not handled kills, as Linux's force_sig. */
	if (act->handler == LINUX_SIG_DFL || act->handler == LINUX_SIG_IGN || (t->blocked & BIT(sig))) {
		printf("linux: pid %d (%s): %s at 0x%lx, killed\n", p->pid, p->comm,
		       sig == LINUX_SIGSEGV ? "segmentation fault" : "fault", (unsigned long)subcode);
		lx_proc_exit(p, LINUX_W_SIGNALED(sig, 0));
		return KERN_SUCCESS;
	}
	foreign_regs_t regs;
	struct linux_sigframe_image img;
	if (lx_thread_get_regs(t->thread, regs) != KERN_SUCCESS || build_frame(t, sig, &info, regs, &img) < 0) {
		lx_proc_exit(p, LINUX_W_SIGNALED(LINUX_SIGSEGV, 0));
		return KERN_SUCCESS;
	}
	lx_thread_set_regs(t->thread, img.regs);
	return KERN_SUCCESS;
}

/* ------------------------------------------------------------- system calls */

LX_SYSCALL(rt_sigaction)
{
	struct lx_proc *p = t->proc;
	int sig = (int)a[0];
	struct linux_sigaction act, old;

	if (a[3] != sizeof(linux_sigset_t) || sig < 1 || sig > LINUX_NSIG)
		return -LINUX_EINVAL;
	if (a[1] && (sig == LINUX_SIGKILL || sig == LINUX_SIGSTOP))
		return -LINUX_EINVAL;
	if (a[1] && lx_copyin(p, a[1], &act, sizeof(act)) < 0)
		return -LINUX_EFAULT;
	old = p->act[sig];
	if (a[2] && lx_copyout(p, a[2], &old, sizeof(old)) < 0)
		return -LINUX_EFAULT;
	if (a[1]) {
		act.mask &= ~LINUX_SIG_UNBLOCKABLE;
		p->act[sig] = act;
		/* Setting SIG_IGN (or SIG_DFL of an ignored-by-default signal) discards it. */
		if (ignored(p, sig)) {
			p->pending &= ~BIT(sig);
			for (struct lx_thread *u = p->threads; u; u = u->next_in_proc)
				u->pending &= ~BIT(sig);
		}
	}
	return 0;
}

LX_SYSCALL(rt_sigprocmask)
{
	struct lx_proc *p = t->proc;
	linux_sigset_t set, old = t->blocked;

	if (a[3] != sizeof(linux_sigset_t))
		return -LINUX_EINVAL;
	if (a[1]) {
		if (lx_copyin(p, a[1], &set, sizeof(set)) < 0)
			return -LINUX_EFAULT;
		switch (a[0]) {
		case LINUX_SIG_BLOCK: t->blocked |= set; break;
		case LINUX_SIG_UNBLOCK: t->blocked &= ~set; break;
		case LINUX_SIG_SETMASK: t->blocked = set; break;
		default: return -LINUX_EINVAL;
		}
		t->blocked &= ~LINUX_SIG_UNBLOCKABLE;
	}
	if (a[2] && lx_copyout(p, a[2], &old, sizeof(old)) < 0) {
		t->blocked = old;
		return -LINUX_EFAULT;
	}
	return 0;
}

LX_SYSCALL(rt_sigpending)
{
	linux_sigset_t set = (t->pending | t->proc->pending) & t->blocked;

	if (a[1] > sizeof(linux_sigset_t))
		return -LINUX_EINVAL;
	return lx_copyout(t->proc, a[0], &set, a[1]) < 0 ? -LINUX_EFAULT : 0;
}

LX_SYSCALL(rt_sigsuspend)
{
	linux_sigset_t set;

	if (t->first) {
		if (a[1] != sizeof(linux_sigset_t))
			return -LINUX_EINVAL;
		if (lx_copyin(t->proc, a[0], &set, sizeof(set)) < 0)
			return -LINUX_EFAULT;
		t->saved_blocked = t->blocked;
		t->sigsuspend = true;
		t->blocked = set & ~LINUX_SIG_UNBLOCKABLE;
	}
	if (lx_signal_pending(t))
		return -LINUX_EINTR;
	return lx_block(t, LX_EV_SIGNAL, 0);
}

LX_SYSCALL(pause)
{
	(void)a;
	if (lx_signal_pending(t))
		return -LINUX_EINTR;
	return lx_block(t, LX_EV_SIGNAL, 0);
}

LX_SYSCALL(sigaltstack)
{
	struct lx_proc *p = t->proc;
	uint64_t sp = t->regs[FOREIGN_REG_RSP];
	struct linux_stack ss, old;

	linux_altstack_get(&t->altstack, sp, &old);
	if (a[0]) {
		if (lx_copyin(p, a[0], &ss, sizeof(ss)) < 0)
			return -LINUX_EFAULT;
		int err = linux_altstack_set(&t->altstack, sp, &ss);
		if (err < 0)
			return err;
	}
	if (a[1] && lx_copyout(p, a[1], &old, sizeof(old)) < 0)
		return -LINUX_EFAULT;
	return 0;
}

LX_SYSCALL(rt_sigreturn)
{
	struct lx_proc *p = t->proc;
	struct linux_rt_sigframe frame;
	struct linux_sigreturn sr;

	(void)a;
	if (lx_copyin(p, linux_sigreturn_frame_addr(t->regs), &frame, sizeof(frame)) < 0 ||
	    linux_sigreturn_parse(t->regs, &frame, sizeof(frame), &sr) < 0) {
		lx_proc_exit(p, LINUX_W_SIGNALED(LINUX_SIGSEGV, 0));
		return LX_NOREPLY;
	}
	t->blocked = sr.blocked & ~LINUX_SIG_UNBLOCKABLE;
	linux_altstack_set(&t->altstack, sr.regs[FOREIGN_REG_RSP], &sr.uc_stack);
	if (sr.fpstate) {
		uint32_t xfloat[XFLOAT_WORDS];
		mach_msg_type_number_t n = XFLOAT_WORDS;

		if (thread_get_state(t->thread, i386_XFLOAT_STATE, (thread_state_t)xfloat, &n) == KERN_SUCCESS &&
		    lx_copyin(p, sr.fpstate, &xfloat[4], LINUX_FXSAVE_SIZE) == 0)
			thread_set_state(t->thread, i386_XFLOAT_STATE, (thread_state_t)xfloat, n);
	}
	/* The unblocked mask may let a pending signal through now. */
	memcpy(t->regs, sr.regs, sizeof(t->regs));
	if (lx_signal_deliver(t, (long)sr.regs[FOREIGN_REG_RAX]))
		return LX_NOREPLY;
	lx_reply_regs(t, sr.regs, sr.mask);
	return LX_NOREPLY;
}
