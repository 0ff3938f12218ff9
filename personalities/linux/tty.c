/*
 * The Linux personality's terminal: one serial line (tty_dev.c) with the line discipline
 * (tty_ldisc.c), served as /dev/ttyS0 (4:64), /dev/console (5:1) and /dev/tty (5:0, the
 * opener's controlling terminal). Reads and writes here apply job control and block
 * through lx_block; tty_ioctl.c has the ioctls and the session rules.
 */
#include <stdio.h>
#include <string.h>
#include "tty.h"

#define RDEV_TTY	UDEV(5, 0)
#define RDEV_CONSOLE	UDEV(5, 1)
#define RDEV_TTYS0	UDEV(4, 64)

static struct lx_tty console;

/* --- the line discipline's callbacks --- */

static void ld_echo(void *arg, const char *buf, size_t n)
{
	tty_out_put(arg, buf, n);	/* echo that does not fit is lost, as on Linux */
}

static void ld_signal(void *arg, int sig)
{
	struct lx_tty *tty = arg;

	if (tty->pgrp > 0)
		lx_signal_pgrp(tty->pgrp, sig);
}

static void ld_flush_output(void *arg)
{
	tty_out_flush(arg);
}

static const struct ldisc_ops tty_ld_ops = {
	.echo = ld_echo,
	.signal = ld_signal,
	.flush_output = ld_flush_output,
};

void tty_input(struct lx_tty *tty, const void *buf, size_t n)
{
	ld_input(&tty->ld, buf, n);
	tty->rx_ns = lx_now_ns();
	lx_wake(LX_EV_IO);
}

/* --- descriptions (the core's cdev switch) --- */

/* The open flags of the open/openat in progress (cdev open has only the core's). */
static uint64_t open_flags(const struct lx_thread *t)
{
	if (t->nr == LINUX_SYS_open)
		return t->regs[FOREIGN_REG_RSI];
	if (t->nr == LINUX_SYS_openat)
		return t->regs[FOREIGN_REG_RDX];
	return LINUX_O_NOCTTY;	/* anything else (creat, openat2): never a new ctty */
}

static int tty_open(struct file *f)
{
	struct lx_thread *t = lx_current;
	struct lx_proc *p = t ? t->proc : NULL;
	uint64_t rdev = f->vp->attr.rdev;

	if (rdev == RDEV_TTY) {
		if (!p || !p->ctty)
			return -U_ENXIO;
		f->priv = p->ctty;
		return 0;
	}
	f->priv = &console;
	/* A session leader without a terminal acquires this one when nobody holds it;
	   never through /dev/console (as Linux) nor with O_NOCTTY. */
	if (p && rdev == RDEV_TTYS0 && !(open_flags(t) & LINUX_O_NOCTTY))
		tty_try_acquire(&console, p);
	return 0;
}

static long tty_cdev_read(struct file *f, void *buf, size_t n, uint64_t off)
{
	struct lx_tty *tty = f->priv;

	(void)off;
	if (!ld_read_ready(&tty->ld, 1))
		return -U_EAGAIN;
	return (long)ld_read(&tty->ld, buf, n);
}

/* Program output through OPOST into the queue: bytes of buf taken. */
static size_t tty_output(struct lx_tty *tty, const void *buf, size_t n)
{
	static char cooked[TTY_OUT_SIZE];
	size_t room = tty_out_room(tty), len, took;

	if (tty->dead || tty->dev == MACH_PORT_NULL)
		room = sizeof(cooked);		/* goes nowhere; see tty_out_put */
	took = ld_output(&tty->ld, buf, n, cooked, room, &len);
	tty_out_put(tty, cooked, len);
	tty_dev_kick(tty);
	return took;
}

static long tty_cdev_write(struct file *f, const void *buf, size_t n, uint64_t off)
{
	size_t took;

	(void)off;
	if (n == 0)
		return 0;
	took = tty_output(f->priv, buf, n);
	return took ? (long)took : -U_EAGAIN;
}

static unsigned tty_poll(struct file *f)
{
	struct lx_tty *tty = f->priv;
	unsigned bits = 0;

	/* Raw mode: readable with one byte there, whatever VMIN says (as Linux since 3.x;
	   editors poll for the rest of an escape sequence this way). */
	if (ld_read_ready(&tty->ld, 1))
		bits |= UPOLL_IN;
	if (tty_out_room(tty) >= 2 || tty->dead || tty->dev == MACH_PORT_NULL)
		bits |= UPOLL_OUT;
	return bits;
}

static const struct cdev_ops tty_cdev = {
	.open = tty_open,
	.read = tty_cdev_read,
	.write = tty_cdev_write,
	.poll = tty_poll,
};

struct lx_tty *lx_file_tty(struct file *f)
{
	if (!f || f->kind != FILE_VNODE || f->cdev != &tty_cdev)
		return NULL;
	return f->priv;
}

unsigned lx_tty_poll(struct file *f)
{
	return lx_file_tty(f) ? tty_poll(f) : 0;
}

/* --- the server's entries --- */

void tty_setup(struct lx_tty *tty)
{
	memset(tty, 0, sizeof(*tty));
	ld_init(&tty->ld, &tty_ld_ops, tty);
	tty->ws = (struct linux_winsize){ .ws_row = 24, .ws_col = 80 };
}

int lx_tty_init(mach_port_t device_master, const char *name)
{
	static const uint64_t rdevs[] = { RDEV_TTYS0, RDEV_CONSOLE, RDEV_TTY };
	int err;

	tty_setup(&console);
	if ((err = tty_dev_open(&console, device_master, name)) < 0) {
		printf("linux: tty: cannot open %s (%d)\n", name, err);
		return err;
	}
	for (size_t i = 0; i < sizeof(rdevs) / sizeof(rdevs[0]); i++)
		if (cdev_register(rdevs[i], &tty_cdev) < 0)
			return -LINUX_EBUSY;
	tty_dev_kick(&console);
	return 0;
}

bool lx_tty_message(mach_msg_header_t *msg)
{
	return tty_dev_message(&console, msg);
}

struct lx_tty *lx_tty_console(void)
{
	return &console;
}

bool lx_tty_flushed(void)
{
	return console.dead || console.dev == MACH_PORT_NULL ||
	       (console.out_len == 0 && console.nwrites == 0);
}

/* --- reads and writes --- */

/* A blocking call that a signal interrupts: EINTR, which signal delivery turns into a
   restart when the handler has SA_RESTART (signal.c). */
long tty_interrupted(struct lx_thread *t)
{
	(void)t;
	return -LINUX_EINTR;
}

#define VTIME_NS	100000000ull	/* VTIME counts tenths of a second */

/*
 * Raw mode by VMIN and VTIME: whether to read now (true) or wait until *deadline
 * (0: no deadline). VMIN 0, VTIME 0: now. VMIN > 0, VTIME 0: once min(VMIN, n) bytes
 * are there. VMIN 0, VTIME > 0: once a byte is there or VTIME passed since the call
 * started (its time kept in t->scratch[3]). VMIN > 0, VTIME > 0: once min(VMIN, n)
 * bytes are there, or VTIME passed since the last byte came with at least one there.
 */
static bool raw_ready(struct lx_thread *t, struct lx_tty *tty, size_t n, uint64_t *deadline)
{
	size_t vmin = tty->ld.tio.c_cc[LINUX_VMIN], avail = ld_readable(&tty->ld);
	uint64_t vtime = tty->ld.tio.c_cc[LINUX_VTIME] * VTIME_NS, now = lx_now_ns();
	size_t want = vmin < n ? vmin : n;

	*deadline = 0;
	if (vtime == 0)
		return avail >= want;
	if (vmin == 0) {
		if (t->first)
			t->scratch[3] = now + vtime;
		if (avail || t->timed_out || now >= t->scratch[3])
			return true;
		*deadline = t->scratch[3];
		return false;
	}
	if (avail >= want || (avail && (t->timed_out || now >= tty->rx_ns + vtime)))
		return true;
	if (avail)
		*deadline = tty->rx_ns + vtime;
	return false;
}

long lx_tty_read(struct lx_thread *t, struct file *f, void *buf, size_t n)
{
	struct lx_tty *tty = lx_file_tty(f);
	uint64_t deadline = 0;
	long err;

	if (!tty)
		return -LINUX_EINVAL;
	tty_adopt(tty, t->proc);
	if ((err = tty_job_control(t, tty, LINUX_SIGTTIN)))
		return err;
	if (n == 0)
		return 0;
	tty_dev_retry(tty);
	if (tty->ld.tio.c_lflag & LINUX_ICANON) {
		if (ld_read_ready(&tty->ld, 0))
			return (long)ld_read(&tty->ld, buf, n);
	} else if (raw_ready(t, tty, n, &deadline)) {
		return (long)ld_read(&tty->ld, buf, n);
	}
	if (f->flags & UO_NONBLOCK)
		return -LINUX_EAGAIN;
	if (lx_signal_pending(t))
		return tty_interrupted(t);
	/* A dead line has no input to wake us: come back to open it again. */
	if (tty->dead && tty->master != MACH_PORT_NULL &&
	    (!deadline || deadline > lx_now_ns() + TTY_RETRY_NS))
		deadline = lx_now_ns() + TTY_RETRY_NS;
	return lx_block(t, LX_EV_IO, deadline);
}

/*
 * A write takes what fits in the output queue and returns that count (a short write,
 * which C libraries and busybox complete), blocking only while nothing fits: so a
 * parked writer has changed nothing when it is run again.
 */
long lx_tty_write(struct lx_thread *t, struct file *f, const void *buf, size_t n)
{
	struct lx_tty *tty = lx_file_tty(f);
	size_t took;
	long err;

	if (!tty)
		return -LINUX_EINVAL;
	tty_adopt(tty, t->proc);
	if ((tty->ld.tio.c_lflag & LINUX_TOSTOP) && (err = tty_job_control(t, tty, LINUX_SIGTTOU)))
		return err;
	if (n == 0)
		return 0;
	tty_dev_retry(tty);
	if ((took = tty_output(tty, buf, n)))
		return (long)took;
	if (f->flags & UO_NONBLOCK)
		return -LINUX_EAGAIN;
	if (lx_signal_pending(t))
		return tty_interrupted(t);
	return lx_block(t, LX_EV_IO, 0);
}
