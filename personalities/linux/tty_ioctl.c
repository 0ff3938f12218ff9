/*
 * The terminal's ioctls, its session and foreground process group, and job control:
 * what Linux's tty layer does for a serial console (controlling terminals, TIOCSPGRP's
 * rules, SIGTTIN/SIGTTOU for background groups, SIGHUP when the session leader goes).
 */
#include <string.h>
#include "tty.h"

/* Not in abi.h: pseudo-terminal requests, which this terminal is not. */
#define LINUX_TIOCGPTN		0x80045430u
#define LINUX_TCOOFF		0
#define LINUX_TCOON		1
#define LINUX_TCIOFF		2
#define LINUX_TCION		3

/* --- sessions and process groups --- */

static bool sig_ignored_or_blocked(const struct lx_thread *t, int sig)
{
	return (t->blocked & LINUX_SIGBIT(sig)) || t->proc->act[sig].handler == LINUX_SIG_IGN;
}

/*
 * A group is orphaned when no member has a parent in another group of the same session
 * (POSIX); then nobody could continue it, so job control stops nothing and fails the
 * call instead. init does not count as such a parent (as Linux).
 */
static bool pgrp_orphaned(int pgid)
{
	for (struct lx_proc *p = lx_proc_first(); p; p = p->next) {
		struct lx_proc *parent = p->parent;

		if (p->pgid != pgid || p->state == LX_ZOMBIE || !parent || parent->pid == 1)
			continue;
		if (parent->pgid != pgid && parent->sid == p->sid)
			return false;
	}
	return true;
}

/* Whether tty is p's controlling terminal. The session is compared too, so that a
   pointer left behind (a setsid that did not clear it) gives no job control. */
static bool is_ctty(const struct lx_proc *p, const struct lx_tty *tty)
{
	return p->ctty == tty && tty->sid != 0 && p->sid == tty->sid;
}

long tty_job_control(struct lx_thread *t, struct lx_tty *tty, int sig)
{
	struct lx_proc *p = t->proc;

	if (!is_ctty(p, tty) || tty->pgrp <= 0 || p->pgid == tty->pgrp)
		return 0;
	/* A background reader that cannot be stopped gets EIO; a writer may go on. */
	if (sig_ignored_or_blocked(t, sig))
		return sig == LINUX_SIGTTIN ? -LINUX_EIO : 0;
	if (pgrp_orphaned(p->pgid))
		return -LINUX_EIO;
	lx_signal_pgrp(p->pgid, sig);
	return tty_interrupted(t);
}

static void set_session(struct lx_tty *tty, struct lx_proc *p)
{
	tty->sid = p->sid;
	tty->pgrp = p->pgid;
	p->ctty = tty;
}

void tty_adopt(struct lx_tty *tty, struct lx_proc *p)
{
	if (p && p->ctty == tty && tty->sid == 0)
		set_session(tty, p);
}

void tty_try_acquire(struct lx_tty *tty, struct lx_proc *p)
{
	if (p->sid == p->pid && !p->ctty && tty->sid == 0)
		set_session(tty, p);
}

/* No process of the terminal's session keeps it as its controlling terminal, and the
   terminal has no session: what Linux's session_clear_tty does, signalling nobody (so
   a TIOCSCTTY that steals the terminal hangs up no one). */
static void session_clear(struct lx_tty *tty)
{
	int sid = tty->sid;

	tty->sid = 0;
	tty->pgrp = 0;
	for (struct lx_proc *p = lx_proc_first(); p; p = p->next)
		if (p->ctty == tty && (p->sid == sid || sid == 0))
			p->ctty = NULL;
}

/* The terminal leaves its session as its leader goes (or TIOCNOTTY): the foreground
   group hears SIGHUP and SIGCONT, and nobody keeps the terminal. */
static void disassociate(struct lx_tty *tty)
{
	int pgrp = tty->pgrp;

	session_clear(tty);
	if (pgrp > 0) {
		lx_signal_pgrp(pgrp, LINUX_SIGHUP);
		lx_signal_pgrp(pgrp, LINUX_SIGCONT);
	}
}

void lx_tty_session_gone(struct lx_tty *tty, int sid)
{
	if (tty && tty->sid == sid && sid != 0)
		disassociate(tty);
}

/* TIOCSPGRP: 0, -ESRCH when no process has that group, -EPERM when it is another
   session's. A zombie not yet reaped still belongs to its group, as on Linux (a
   pipeline's first command may be gone before the shell gives it the terminal). */
static int pgrp_in_session(int pgid, int sid)
{
	bool found = false;

	for (struct lx_proc *p = lx_proc_first(); p; p = p->next) {
		if (p->pgid != pgid)
			continue;
		if (p->sid == sid)
			return 0;
		found = true;
	}
	return found ? -LINUX_EPERM : -LINUX_ESRCH;
}

/* --- ioctls --- */

static long put_int(struct lx_thread *t, uint64_t arg, int v)
{
	return lx_copyout(t->proc, arg, &v, sizeof(v));
}

/* Waits until queued output has gone to the serial server (TCSETSW, TCSBRK). */
static long drain(struct lx_thread *t, struct lx_tty *tty)
{
	if (tty->out_len == 0 || tty->dead || tty->dev == MACH_PORT_NULL)
		return 0;
	if (lx_signal_pending(t))
		return tty_interrupted(t);
	return lx_block(t, LX_EV_IO, 0);
}

static long set_termios(struct lx_thread *t, struct lx_tty *tty, unsigned cmd, uint64_t arg)
{
	struct linux_termios tio;
	long err;

	if ((err = lx_copyin(t->proc, arg, &tio, sizeof(tio))))
		return err;
	if (cmd != LINUX_TCSETS && (err = drain(t, tty)))
		return err;
	if (cmd == LINUX_TCSETSF)
		ld_flush_input(&tty->ld);
	ld_set_termios(&tty->ld, &tio);
	tty_dev_kick(tty);		/* IXON off may have released held output */
	lx_wake(LX_EV_IO);		/* readers: the mode may make them ready */
	return 0;
}

static long set_pgrp(struct lx_thread *t, struct lx_tty *tty, uint64_t arg)
{
	struct lx_proc *p = t->proc;
	int32_t pgrp;
	long err;

	if (!is_ctty(p, tty))
		return -LINUX_ENOTTY;
	if ((err = lx_copyin(p, arg, &pgrp, sizeof(pgrp))))
		return err;
	if (pgrp < 0)
		return -LINUX_EINVAL;
	if ((err = pgrp_in_session(pgrp, p->sid)))
		return err;
	tty->pgrp = pgrp;
	return 0;
}

static long set_ctty(struct lx_thread *t, struct lx_tty *tty, uint64_t arg)
{
	struct lx_proc *p = t->proc;

	if (p->ctty == tty && tty->sid == p->sid)
		return 0;
	if (p->sid != p->pid || p->ctty)
		return -LINUX_EPERM;
	if (tty->sid) {
		/* Another session's: only root may take it, and only when asked to (arg 1). */
		if (arg != 1 || p->cred.uid != 0)
			return -LINUX_EPERM;
		session_clear(tty);
	}
	set_session(tty, p);
	return 0;
}

static long notty(struct lx_thread *t, struct lx_tty *tty)
{
	struct lx_proc *p = t->proc;

	if (p->ctty != tty)
		return -LINUX_ENOTTY;
	if (p->sid == p->pid && tty->sid == p->sid)
		disassociate(tty);
	else
		p->ctty = NULL;
	return 0;
}

static long set_winsize(struct lx_thread *t, struct lx_tty *tty, uint64_t arg)
{
	struct linux_winsize ws;
	long err;

	if ((err = lx_copyin(t->proc, arg, &ws, sizeof(ws))))
		return err;
	if (memcmp(&ws, &tty->ws, sizeof(ws)) == 0)
		return 0;
	tty->ws = ws;
	if (tty->pgrp > 0)
		lx_signal_pgrp(tty->pgrp, LINUX_SIGWINCH);
	return 0;
}

static long flush(struct lx_tty *tty, uint64_t arg)
{
	if (arg != LINUX_TCIFLUSH && arg != LINUX_TCOFLUSH && arg != LINUX_TCIOFLUSH)
		return -LINUX_EINVAL;
	if (arg != LINUX_TCOFLUSH)
		ld_flush_input(&tty->ld);
	if (arg != LINUX_TCIFLUSH)
		tty_out_flush(tty);
	return 0;
}

static long xonc(struct lx_tty *tty, uint64_t arg)
{
	switch (arg) {
	case LINUX_TCOOFF:
		tty->out_held = true;
		return 0;
	case LINUX_TCOON:
		tty->out_held = false;
		tty_dev_kick(tty);
		return 0;
	case LINUX_TCIOFF:
	case LINUX_TCION:
		return 0;	/* no flow control towards the other end */
	default:
		return -LINUX_EINVAL;
	}
}

/* Requests that change the terminal: a background group is stopped first (SIGTTOU),
   as Linux's tty_check_change. */
static bool changes_terminal(unsigned cmd)
{
	switch (cmd) {
	case LINUX_TCSETS: case LINUX_TCSETSW: case LINUX_TCSETSF:
	case LINUX_TCSBRK: case LINUX_TCXONC: case LINUX_TCFLSH: case LINUX_TIOCSPGRP:
		return true;
	default:
		return false;
	}
}

long lx_tty_ioctl(struct lx_thread *t, struct file *f, unsigned cmd, uint64_t arg)
{
	struct lx_tty *tty = lx_file_tty(f);
	struct lx_proc *p = t->proc;
	int32_t on;
	long err;

	if (!tty)
		return -LINUX_ENOTTY;
	tty_adopt(tty, p);
	if (changes_terminal(cmd) && (err = tty_job_control(t, tty, LINUX_SIGTTOU)))
		return cmd == LINUX_TIOCSPGRP && err == -LINUX_EIO ? -LINUX_ENOTTY : err;
	switch (cmd) {
	case LINUX_TCGETS:
		return lx_copyout(p, arg, &tty->ld.tio, sizeof(tty->ld.tio));
	case LINUX_TCSETS: case LINUX_TCSETSW: case LINUX_TCSETSF:
		return set_termios(t, tty, cmd, arg);
	case LINUX_TCSBRK:
		return drain(t, tty);
	case LINUX_TCXONC:
		return xonc(tty, arg);
	case LINUX_TCFLSH:
		return flush(tty, arg);
	case LINUX_TIOCGWINSZ:
		return lx_copyout(p, arg, &tty->ws, sizeof(tty->ws));
	case LINUX_TIOCSWINSZ:
		return set_winsize(t, tty, arg);
	case LINUX_TIOCGPGRP:
		if (!is_ctty(p, tty))
			return -LINUX_ENOTTY;
		return put_int(t, arg, tty->pgrp);
	case LINUX_TIOCSPGRP:
		return set_pgrp(t, tty, arg);
	case LINUX_TIOCGSID:
		if (!is_ctty(p, tty))
			return -LINUX_ENOTTY;
		return put_int(t, arg, tty->sid);
	case LINUX_TIOCSCTTY:
		return set_ctty(t, tty, arg);
	case LINUX_TIOCNOTTY:
		return notty(t, tty);
	case LINUX_FIONREAD:
		return put_int(t, arg, (int)ld_readable(&tty->ld));
	case LINUX_TIOCOUTQ:
		return put_int(t, arg, (int)tty->out_len);
	case LINUX_FIONBIO:
		if ((err = lx_copyin(p, arg, &on, sizeof(on))))
			return err;
		file_setfl(f, on ? (f->flags | UO_NONBLOCK) : (f->flags & ~UO_NONBLOCK));
		return 0;
	case LINUX_TIOCGPTN:
	default:
		return -LINUX_ENOTTY;
	}
}
