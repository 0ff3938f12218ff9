/*
 * Signals: actions, masks, sending, and delivery. A signal is delivered when its
 * thread's system call is answered (lx_reply calls lx_signal_deliver), or, for a thread
 * running guest code, at once: the server suspends it and rewrites its registers. A
 * thread parked in a blocking call is re-run (lx_wake_thread); its handler sees
 * lx_signal_pending and fails with EINTR, which becomes a restart when the handler
 * asked for SA_RESTART and the call is one Linux restarts.
 *
 * The rules (default actions, what sending does to the pending sets, which signal goes
 * next, exec's reset) are the core's (personalities/common/usignal.c), given Linux's
 * numbers in lx_sigabi; here are Linux's layouts (siginfo, sigaction, the frame) and
 * the Mach side (stopping tasks, registers, replies).
 */
#include <stdio.h>
#include <string.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include <mach/mig_errors.h>
#include <mach/x86_64/thread_status.h>
#include "lx.h"
#include "lx_core.h"

/* i386_XFLOAT_STATE with the FXSAVE area: a 4-word header, then 512 bytes. */
#define XFLOAT_WORDS	(4 + LINUX_FXSAVE_SIZE / 4)

#define BIT(sig)	LINUX_SIGBIT(sig)

/* The core's sets and values are Linux's: signal n at bit n - 1, SIG_DFL 0, SIG_IGN 1. */
_Static_assert(LINUX_NSIG == USIG_MAX && LINUX_SIGBIT(LINUX_SIGCHLD) == USIG_BIT(LINUX_SIGCHLD) &&
	       LINUX_SIG_DFL == USIG_DFL && LINUX_SIG_IGN == USIG_IGN, "Linux's sets are the core's");
_Static_assert(sizeof(linux_sigset_t) == sizeof(usigset_t), "sigset_t");

/* Linux's numbering: what each signal does by default (terminate when not listed). */
struct usig_abi lx_sigabi = {
	.nsig = LINUX_NSIG,
	.sigkill = LINUX_SIGKILL, .sigstop = LINUX_SIGSTOP, .sigcont = LINUX_SIGCONT,
	.sigchld = LINUX_SIGCHLD,
	.dfl = {
		[LINUX_SIGQUIT] = USD_CORE, [LINUX_SIGILL] = USD_CORE, [LINUX_SIGTRAP] = USD_CORE,
		[LINUX_SIGABRT] = USD_CORE, [LINUX_SIGBUS] = USD_CORE, [LINUX_SIGFPE] = USD_CORE,
		[LINUX_SIGSEGV] = USD_CORE, [LINUX_SIGXCPU] = USD_CORE, [LINUX_SIGXFSZ] = USD_CORE,
		[LINUX_SIGSYS] = USD_CORE,
		[LINUX_SIGSTOP] = USD_STOP, [LINUX_SIGTSTP] = USD_STOP, [LINUX_SIGTTIN] = USD_STOP,
		[LINUX_SIGTTOU] = USD_STOP,
		[LINUX_SIGCHLD] = USD_IGNORE, [LINUX_SIGURG] = USD_IGNORE,
		[LINUX_SIGWINCH] = USD_IGNORE,
		[LINUX_SIGCONT] = USD_CONT,
	},
	.sa_nocldstop = LINUX_SA_NOCLDSTOP, .sa_nocldwait = LINUX_SA_NOCLDWAIT,
	.sa_resethand = LINUX_SA_RESETHAND,
};

void lx_signal_init(void)
{
	usig_abi_init(&lx_sigabi);
}

void lx_signal_exec(struct lx_proc *p)
{
	usig_exec(&p->usig);
	for (struct lx_thread *t = p->threads; t; t = t->next_in_proc)
		t->altstack = LINUX_ALTSTACK_NONE;
}

bool lx_signal_pending(struct lx_thread *t)
{
	return usig_deliverable(&t->usig, &t->proc->usig) != 0;
}

/* ------------------------------------------------------------- stop and continue */

static void notify_parent(struct lx_proc *p, int code, int status)
{
	struct lx_proc *parent = p->parent;
	struct linux_siginfo si;

	if (!uproc_report(&p->up))
		return;
	lx_wake(LX_EV_CHILD);
	if (usig_nocldstop(&lx_sigabi, &parent->usig))
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
	uproc_stop(&p->up, sig);
	notify_parent(p, LINUX_CLD_STOPPED, sig);
}

/* SIGCONT was sent (usig_send discarded the stop signals from p's pending set). */
static void continue_proc(struct lx_proc *p)
{
	for (struct lx_thread *t = p->threads; t; t = t->next_in_proc)
		usig_discard_stops(&lx_sigabi, &t->pending);
	if (!uproc_cont(&p->up))
		return;
	task_resume(p->task);
	notify_parent(p, LINUX_CLD_CONTINUED, LINUX_SIGCONT);
	for (struct lx_thread *t = p->threads; t; t = t->next_in_proc)
		if (t->held) {
			t->held = false;
			lx_reply(t, t->held_result);
		}
}

/* ------------------------------------------------------------- delivery */

/* The siginfo kept for sig, or the kernel's when none was. */
static void siginfo_of(struct lx_proc *p, int sig, struct linux_siginfo *info)
{
	*info = p->siginfo[sig];
	if (info->si_signo != sig) {
		memset(info, 0, sizeof(*info));
		info->si_signo = sig;
		info->si_code = LINUX_SI_KERNEL;
	}
}

/* Takes t's next signal (0: none, which every reply finds out inline) and its siginfo. */
static inline int next_signal(struct lx_thread *t, struct linux_siginfo *info)
{
	int sig = usig_take(&t->usig, &t->proc->usig);

	if (sig)
		siginfo_of(t->proc, sig, info);
	return sig;
}

/* What taking sig does to p: nothing, stop it, end it (no core image is written, as
   with a core size limit of 0), or run a handler. */
enum action { ACT_NONE, ACT_STOP, ACT_KILL, ACT_HANDLER };

static enum action action_of(struct lx_proc *p, int sig)
{
	switch (usig_action(&lx_sigabi, &p->usig, sig)) {
	case UACT_NONE: return ACT_NONE;
	case UACT_HANDLER: return ACT_HANDLER;
	case UACT_STOP: return ACT_STOP;
	default: return ACT_KILL;
	}
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
	const struct usigaction *ua = &p->act[sig];
	struct linux_sigaction act = { .handler = ua->handler, .flags = ua->flags,
				       .restorer = ua->restorer, .mask = ua->mask };
	uint32_t xfloat[XFLOAT_WORDS];
	mach_msg_type_number_t n = XFLOAT_WORDS;
	struct linux_sigdelivery d;

	memset(&d, 0, sizeof(d));
	d.sig = sig;
	d.act = &act;
	d.info = info;
	d.blocked = usig_frame_mask(&t->usig);
	d.altstack = t->altstack;
	if (thread_get_state(t->thread, i386_XFLOAT_STATE, (thread_state_t)xfloat, &n) == KERN_SUCCESS &&
	    n >= 4 + LINUX_FXSAVE_SIZE / 4)
		d.fxsave = (const uint8_t *)&xfloat[4];
	if (sig == LINUX_SIGSEGV || sig == LINUX_SIGBUS)
		d.cr2 = info->u.fault.addr;
	if (linux_sigframe_build(regs, &d, img) < 0 || lx_copyout(p, img->addr, img->buf, img->size) < 0)
		return -1;
	t->altstack = img->altstack;
	usig_handler_entered(&lx_sigabi, &p->usig, &t->usig, sig, img->blocked);
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
		const struct usigaction *act = &p->act[sig];
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
	usig_suspend_end(&t->usig);
	return false;
}

/* Whether p's system-call port holds a request not received yet. */
static bool syscall_queued(struct lx_proc *p)
{
	mach_port_status_t st;

	return mach_port_get_receive_status(mach_task_self(), p->sysport, &st) == KERN_SUCCESS &&
	       st.mps_msgcount > 0;
}

/* The signals of a thread that runs guest code, now. */
static void deliver_now(struct lx_thread *t)
{
	struct lx_proc *p = t->proc;
	struct linux_siginfo info;
	int sig;

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

/* A thread with no call of it in the server: deliver now, if it runs guest code. */
static void deliver_running(struct lx_thread *t)
{
	mach_port_t th = t->thread;

	if (th == MACH_PORT_NULL || t->proc->state != LX_RUNNING)
		return;
	/* Its last reply may still be held by the loop: registers must be final first. */
	lx_flush_reply();
	/* A reference of our own: delivery may end the process and free t. */
	if (mach_port_mod_refs(mach_task_self(), th, MACH_PORT_RIGHT_SEND, 1) != KERN_SUCCESS)
		return;
	/* Held still, it either runs guest code or has made a system call whose request
	   waits on the port: then its registers are the call's (rax its number), and a
	   frame built on them would return that number as the call's result (tcsetpgrp
	   "failing" with 16 under a ^C). The signal then goes with that call's reply. */
	if (thread_suspend(th) == KERN_SUCCESS) {
		if (!syscall_queued(t->proc))
			deliver_now(t);
		thread_resume(th);
	}
	mach_port_deallocate(mach_task_self(), th);
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
	if (p->state == LX_ZOMBIE)
		return false;
	unsigned what = usig_send(&lx_sigabi, &p->usig, sig);
	if (what & USEND_KILL) {
		lx_proc_exit(p, LINUX_W_SIGNALED(LINUX_SIGKILL, 0));
		return false;
	}
	if (what & USEND_CONT)
		continue_proc(p);
	if (what & USEND_STOP)
		stop_proc(p, sig);
	if (!(what & USEND_QUEUE))
		return false;
	usig_queue(pending, sig);
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
	const struct usigaction *act = &p->act[sig];
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

	if (a[3] != sizeof(linux_sigset_t) || !usig_valid(&lx_sigabi, sig))
		return -LINUX_EINVAL;
	if (a[1] && !usig_catchable(&lx_sigabi, sig))
		return -LINUX_EINVAL;
	if (a[1] && lx_copyin(p, a[1], &act, sizeof(act)) < 0)
		return -LINUX_EFAULT;
	const struct usigaction *cur = &p->act[sig];
	old = (struct linux_sigaction){ .handler = cur->handler, .flags = cur->flags,
					.restorer = cur->restorer, .mask = cur->mask };
	if (a[2] && lx_copyout(p, a[2], &old, sizeof(old)) < 0)
		return -LINUX_EFAULT;
	if (a[1]) {
		struct usigaction ua = { .handler = act.handler, .flags = act.flags,
					 .restorer = act.restorer, .mask = act.mask };

		/* An action that ignores it discards it, from every thread too. */
		if (usig_set_action(&lx_sigabi, &p->usig, sig, &ua))
			for (struct lx_thread *u = p->threads; u; u = u->next_in_proc)
				u->pending &= ~BIT(sig);
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
		enum usig_how how;

		if (lx_copyin(p, a[1], &set, sizeof(set)) < 0)
			return -LINUX_EFAULT;
		switch (a[0]) {
		case LINUX_SIG_BLOCK: how = USIG_BLOCK; break;
		case LINUX_SIG_UNBLOCK: how = USIG_UNBLOCK; break;
		case LINUX_SIG_SETMASK: how = USIG_SETMASK; break;
		default: return -LINUX_EINVAL;
		}
		usig_procmask(&lx_sigabi, &t->usig, how, set);
	}
	if (a[2] && lx_copyout(p, a[2], &old, sizeof(old)) < 0) {
		t->blocked = old;
		return -LINUX_EFAULT;
	}
	return 0;
}

LX_SYSCALL(rt_sigpending)
{
	linux_sigset_t set = usig_blocked_pending(&t->usig, &t->proc->usig);

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
		usig_suspend(&lx_sigabi, &t->usig, set);
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
	usig_setmask(&lx_sigabi, &t->usig, sr.blocked);
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
