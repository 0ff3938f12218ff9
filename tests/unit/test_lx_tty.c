/*
 * Unit tests of the Linux personality's terminal (personalities/linux/tty.c, tty_dev.c,
 * tty_ioctl.c; the line discipline has test_lx_ldisc.c) against fakes of lx.h and of
 * Mach: the serial device's request and reply messages (compared with MIG's stubs'),
 * ^C to the foreground group, reads by VMIN/VTIME, blocking writers, termios ioctls,
 * controlling terminals, the foreground group's rules and job control (SIGTTIN, SIGTTOU,
 * orphaned groups).
 */
#include "lx_tty_fixture.h"

static void test_device_open_and_read_request(void **state)
{
	const char *p = sent[0].bytes;

	(void)state;
	assert_int_equal(sent[0].head.msgh_id, 2800);
	assert_int_equal(sent[0].head.msgh_remote_port, 1234);
	assert_string_equal(p + 56, "com1");
	assert_int_equal(*(const uint32_t *)(p + 40), D_READ | D_WRITE);
	assert_int_equal(ncdevs, 3);
	assert_non_null(ops_for(UDEV(4, 64)));
	assert_non_null(ops_for(UDEV(5, 1)));
	assert_non_null(ops_for(UDEV(5, 0)));
	/* One read outstanding, on the device, answered on the terminal's port. */
	assert_int_equal(count_sent(2805), 1);
	assert_int_equal(sent[1].head.msgh_remote_port, DEV_PORT);
	assert_int_equal(sent[1].head.msgh_local_port, REPLY_PORT);
	assert_int_equal(*(const int32_t *)(sent[1].bytes + 72), 128);
	line_input("x");
	assert_int_equal(count_sent(2805), 2);		/* and another after the reply */
	assert_false(lx_tty_message(&(mach_msg_header_t){ .msgh_local_port = 5, .msgh_id = 2905 }));
}

static void test_device_open_fails(void **state)
{
	(void)state;
	open_fails = true;
	ncdevs = 0;
	assert_int_equal(lx_tty_init(1234, "com9"), -LINUX_ENODEV);
	assert_int_equal(ncdevs, 0);
}

static void test_opens_and_ctty(void **state)
{
	struct file f;

	(void)state;
	assert_int_equal(open_as(&tshell, &vn_tty, &f), -U_ENXIO);	/* no ctty yet */
	assert_int_equal(open_as(&tshell, &vn_console, &f), 0);	/* console: never a ctty */
	assert_null(shell.ctty);
	assert_ptr_equal(lx_file_tty(&f), tty);
	tshell.regs[FOREIGN_REG_RDX] = LINUX_O_RDWR | LINUX_O_NOCTTY;
	assert_int_equal(open_as(&tshell, &vn_ttys0, &f), 0);
	assert_null(shell.ctty);
	tjob.regs[FOREIGN_REG_RDX] = LINUX_O_RDWR;
	assert_int_equal(open_as(&tjob, &vn_ttys0, &f), 0);		/* not a session leader */
	assert_null(job.ctty);
	tshell.regs[FOREIGN_REG_RDX] = LINUX_O_RDWR;
	assert_int_equal(open_as(&tshell, &vn_ttys0, &f), 0);
	assert_ptr_equal(shell.ctty, tty);
	assert_int_equal(tty->sid, 10);
	assert_int_equal(tty->pgrp, 10);
	assert_int_equal(open_as(&tshell, &vn_tty, &f), 0);
	assert_ptr_equal(lx_file_tty(&f), tty);
	assert_int_equal(open_as(&tother, &vn_ttys0, &f), 0);	/* taken by session 10 */
	assert_null(other.ctty);
}

static void test_sctty_and_notty(void **state)
{
	struct file f;

	(void)state;
	open_as(&tshell, &vn_console, &f);
	assert_int_equal(lx_tty_ioctl(&tjob, &f, LINUX_TIOCSCTTY, 0), -LINUX_EPERM);	/* not a leader */
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TIOCSCTTY, 0), 0);
	assert_ptr_equal(shell.ctty, tty);
	assert_int_equal(lx_tty_ioctl(&tother, &f, LINUX_TIOCSCTTY, 0), -LINUX_EPERM);	/* taken */
	assert_int_equal(lx_tty_ioctl(&tother, &f, LINUX_TIOCSCTTY, 1), 0);	/* root steals */
	assert_ptr_equal(other.ctty, tty);
	assert_null(shell.ctty);
	assert_int_equal(tty->sid, 30);
	assert_int_equal(tty->pgrp, 30);
	/* As Linux's session_clear_tty: the old session just loses it, nobody is hung up
	   (setsid -c from a shell's job must not kill the job's parent). */
	assert_int_equal(nsigs, 0);
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TIOCNOTTY, 0), -LINUX_ENOTTY);
	/* The leader letting go: its foreground group hears SIGHUP and SIGCONT. */
	assert_int_equal(lx_tty_ioctl(&tother, &f, LINUX_TIOCNOTTY, 0), 0);
	assert_null(other.ctty);
	assert_int_equal(tty->sid, 0);
	assert_int_equal(nsigs, 2);
	assert_int_equal(sigs[0].sig, LINUX_SIGHUP);
	assert_int_equal(sigs[0].pgid, 30);
	assert_int_equal(sigs[1].sig, LINUX_SIGCONT);
}

static void test_termios_round_trip(void **state)
{
	struct linux_termios tio, back;
	struct file f;
	char c;

	(void)state;
	open_as(&tshell, &vn_ttys0, &f);
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TCGETS, (uintptr_t)&tio), 0);
	assert_int_equal(tio.c_lflag & LINUX_ICANON, LINUX_ICANON);
	tio.c_lflag &= ~(uint32_t)(LINUX_ICANON | LINUX_ECHO);
	tio.c_cc[LINUX_VMIN] = 1;
	tio.c_cc[LINUX_VTIME] = 0;
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TCSETS, (uintptr_t)&tio), 0);
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TCGETS, (uintptr_t)&back), 0);
	assert_memory_equal(&tio, &back, sizeof(tio));
	line_input("k");				/* raw, no echo: the shell's line editing */
	assert_string_equal(written_since(0), "");
	assert_int_equal(lx_tty_read(&tshell, &f, &c, 1), 1);
	assert_int_equal(c, 'k');
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TCSETS, 0), -LINUX_EFAULT);
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TCGETS, 0), -LINUX_EFAULT);
	line_input("zz");
	tio.c_lflag |= LINUX_ICANON;			/* TCSETSF drops pending input */
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TCSETSF, (uintptr_t)&tio), 0);
	assert_int_equal(tty->ld.len, 0);
}

static void test_canonical_read_blocks_and_echoes(void **state)
{
	struct file f;
	char buf[64];
	int n;

	(void)state;
	open_as(&tshell, &vn_ttys0, &f);
	assert_int_equal(lx_tty_read(&tshell, &f, buf, sizeof(buf)), LX_BLOCK);
	assert_int_equal(block_events, LX_EV_IO);
	assert_int_equal(block_deadline, 0);
	line_input("echo hi\r");
	assert_true(nwakes > 0);
	assert_string_equal(written_since(0), "echo hi\r\n");	/* the echo, via ONLCR */
	assert_int_equal(lx_tty_read(&tshell, &f, buf, sizeof(buf)), 8);
	assert_memory_equal(buf, "echo hi\n", 8);
	f.flags |= UO_NONBLOCK;
	assert_int_equal(lx_tty_read(&tshell, &f, buf, sizeof(buf)), -LINUX_EAGAIN);
	f.flags &= ~UO_NONBLOCK;
	sig_pending = true;				/* a signal ends the wait */
	assert_int_equal(lx_tty_read(&tshell, &f, buf, sizeof(buf)), -LINUX_EINTR);
	sig_pending = false;
	line_input("\x04");
	assert_int_equal(lx_tty_read(&tshell, &f, buf, sizeof(buf)), 0);
	n = 1;
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_FIONREAD, (uintptr_t)&n), 0);
	assert_int_equal(n, 0);
}

static void test_ctrl_c_signals_foreground(void **state)
{
	struct file f;
	int32_t pg = 20;
	int from;

	(void)state;
	open_as(&tshell, &vn_ttys0, &f);
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TIOCSPGRP, (uintptr_t)&pg), 0);
	from = nsent;
	line_input("cat");				/* typed, so its echo has left */
	line_input("\x03");
	assert_int_equal(nsigs, 1);
	assert_int_equal(sigs[0].pgid, 20);
	assert_int_equal(sigs[0].sig, LINUX_SIGINT);
	assert_string_equal(written_since(from), "cat^C");
}

static void test_raw_vmin_vtime(void **state)
{
	struct linux_termios tio;
	struct file f;
	char buf[16];

	(void)state;
	open_as(&tshell, &vn_ttys0, &f);
	lx_tty_ioctl(&tshell, &f, LINUX_TCGETS, (uintptr_t)&tio);
	tio.c_lflag &= ~(uint32_t)(LINUX_ICANON | LINUX_ECHO);
	tio.c_cc[LINUX_VMIN] = 3;
	tio.c_cc[LINUX_VTIME] = 0;
	lx_tty_ioctl(&tshell, &f, LINUX_TCSETS, (uintptr_t)&tio);
	line_input("ab");
	assert_int_equal(lx_tty_read(&tshell, &f, buf, sizeof(buf)), LX_BLOCK);
	assert_int_equal(lx_tty_poll(&f) & UPOLL_IN, UPOLL_IN);	/* poll: one byte is enough */
	assert_int_equal(lx_tty_read(&tshell, &f, buf, 2), 2);	/* asks for 2: has 2 */
	assert_int_equal(lx_tty_poll(&f) & UPOLL_IN, 0);
	line_input("cde");
	assert_int_equal(lx_tty_poll(&f) & UPOLL_IN, UPOLL_IN);
	assert_int_equal(lx_tty_read(&tshell, &f, buf, sizeof(buf)), 3);
	assert_memory_equal(buf, "cde", 3);

	tio.c_cc[LINUX_VMIN] = 0;			/* a read with a timeout */
	tio.c_cc[LINUX_VTIME] = 5;
	lx_tty_ioctl(&tshell, &f, LINUX_TCSETS, (uintptr_t)&tio);
	tshell.first = true;
	assert_int_equal(lx_tty_read(&tshell, &f, buf, sizeof(buf)), LX_BLOCK);
	assert_int_equal(block_deadline, now_ns + 500000000ull);
	tshell.first = false;
	tshell.timed_out = true;
	assert_int_equal(lx_tty_read(&tshell, &f, buf, sizeof(buf)), 0);
	tshell.timed_out = false;

	tio.c_cc[LINUX_VMIN] = 0;			/* polling */
	tio.c_cc[LINUX_VTIME] = 0;
	lx_tty_ioctl(&tshell, &f, LINUX_TCSETS, (uintptr_t)&tio);
	assert_int_equal(lx_tty_read(&tshell, &f, buf, sizeof(buf)), 0);

	tio.c_cc[LINUX_VMIN] = 4;			/* an inter-byte timer */
	tio.c_cc[LINUX_VTIME] = 1;
	lx_tty_ioctl(&tshell, &f, LINUX_TCSETS, (uintptr_t)&tio);
	assert_int_equal(lx_tty_read(&tshell, &f, buf, sizeof(buf)), LX_BLOCK);
	assert_int_equal(block_deadline, 0);		/* nothing yet: no timer */
	line_input("x");
	assert_int_equal(lx_tty_read(&tshell, &f, buf, sizeof(buf)), LX_BLOCK);
	assert_int_equal(block_deadline, now_ns + 100000000ull);
	now_ns += 100000000ull;
	assert_int_equal(lx_tty_read(&tshell, &f, buf, sizeof(buf)), 1);
}

static void test_write_queue_and_blocking(void **state)
{
	static char big[TTY_OUT_SIZE + 100];
	struct file f;
	long n;

	(void)state;
	open_as(&tshell, &vn_ttys0, &f);
	assert_int_equal(lx_tty_write(&tshell, &f, "hi\n", 3), 3);
	assert_string_equal(written_since(0), "hi\r\n");
	for (int i = 0; i < TTY_WRITES_MAX; i++)
		write_answered();
	memset(big, 'y', sizeof(big));
	n = lx_tty_write(&tshell, &f, big, sizeof(big));
	assert_int_equal(n, TTY_OUT_SIZE);		/* a short write: what fits */
	assert_int_equal(count_sent(2803), 1 + TTY_WRITES_MAX);	/* the rest waits its turn */
	assert_int_equal(lx_tty_poll(&f) & UPOLL_OUT, 0);
	assert_int_equal(lx_tty_write(&tshell, &f, big, 10), LX_BLOCK);
	f.flags |= UO_NONBLOCK;
	assert_int_equal(lx_tty_write(&tshell, &f, big, 10), -LINUX_EAGAIN);
	f.flags &= ~UO_NONBLOCK;
	nwakes = 0;
	write_answered();				/* room again: writers are woken */
	assert_true(nwakes > 0);
	assert_int_equal(count_sent(2803), 2 + TTY_WRITES_MAX);
	assert_int_equal(lx_tty_poll(&f) & UPOLL_OUT, UPOLL_OUT);
	assert_int_equal(lx_tty_write(&tshell, &f, big, 10), 10);
	n = 0;
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TIOCOUTQ, (uintptr_t)&n), 0);
	assert_int_equal((int)n, TTY_OUT_SIZE - TTY_IO_CHUNK + 10);
	/* TCSETSW waits for the queue to drain. */
	struct linux_termios tio;
	lx_tty_ioctl(&tshell, &f, LINUX_TCGETS, (uintptr_t)&tio);
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TCSETSW, (uintptr_t)&tio), LX_BLOCK);
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TCFLSH, LINUX_TCOFLUSH), 0);
	while (tty->nwrites)
		write_answered();
	assert_int_equal(tty->out_len, 0);
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TCSETSW, (uintptr_t)&tio), 0);
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TCFLSH, 7), -LINUX_EINVAL);
}

static void test_stop_start_output(void **state)
{
	struct file f;
	int before;

	(void)state;
	open_as(&tshell, &vn_ttys0, &f);
	line_input("\x13");				/* ^S */
	before = count_sent(2803);
	assert_int_equal(lx_tty_write(&tshell, &f, "held", 4), 4);
	assert_int_equal(count_sent(2803), before);
	line_input("\x11");				/* ^Q */
	assert_int_equal(count_sent(2803), before + 1);
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TCXONC, 0), 0);	/* TCOOFF */
	lx_tty_write(&tshell, &f, "x", 1);
	assert_int_equal(count_sent(2803), before + 1);
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TCXONC, 1), 0);	/* TCOON */
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TCXONC, 9), -LINUX_EINVAL);
}

static void test_pgrp_rules(void **state)
{
	struct file f, fo;
	int32_t pg;

	(void)state;
	open_as(&tshell, &vn_ttys0, &f);			/* session 10 takes the terminal */
	job.ctty = tty;
	pg = -1;
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TIOCGPGRP, (uintptr_t)&pg), 0);
	assert_int_equal(pg, 10);
	pg = 30;					/* another session's group */
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TIOCSPGRP, (uintptr_t)&pg), -LINUX_EPERM);
	pg = 99;					/* nobody's */
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TIOCSPGRP, (uintptr_t)&pg), -LINUX_ESRCH);
	pg = -5;
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TIOCSPGRP, (uintptr_t)&pg), -LINUX_EINVAL);
	/* A group whose only member exited but is not reaped yet still exists (a
	   pipeline's first command may be gone when the shell hands it the terminal). */
	job.state = LX_ZOMBIE;
	pg = 20;
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TIOCSPGRP, (uintptr_t)&pg), 0);
	job.state = LX_RUNNING;
	pg = 0;
	assert_int_equal(lx_tty_ioctl(&tjob, &f, LINUX_TIOCGPGRP, (uintptr_t)&pg), 0);
	assert_int_equal(pg, 20);
	assert_int_equal(lx_tty_ioctl(&tjob, &f, LINUX_TIOCGSID, (uintptr_t)&pg), 0);
	assert_int_equal(pg, 10);
	/* Not the caller's controlling terminal. */
	open_as(&tother, &vn_console, &fo);
	assert_int_equal(lx_tty_ioctl(&tother, &fo, LINUX_TIOCGPGRP, (uintptr_t)&pg), -LINUX_ENOTTY);
	assert_int_equal(lx_tty_ioctl(&tother, &fo, LINUX_TIOCSPGRP, (uintptr_t)&pg), -LINUX_ENOTTY);
	assert_int_equal(lx_tty_ioctl(&tother, &fo, LINUX_TIOCGSID, (uintptr_t)&pg), -LINUX_ENOTTY);
	/* The shell, now in the background, must not take the terminal back unnoticed:
	   TIOCSPGRP sends it SIGTTOU unless it ignores that (job-control shells do). */
	pg = 10;
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TIOCSPGRP, (uintptr_t)&pg), -LINUX_ENOTTY);
	/* (ENOTTY, as Linux: its group, whose parent is init, is orphaned: EIO becomes ENOTTY) */
	shell.act[LINUX_SIGTTOU].handler = LINUX_SIG_IGN;
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TIOCSPGRP, (uintptr_t)&pg), 0);
	assert_int_equal(tty->pgrp, 10);
}

static void test_background_read_and_write(void **state)
{
	struct linux_termios tio;
	struct file f;
	char buf[8];

	(void)state;
	open_as(&tshell, &vn_ttys0, &f);
	job.ctty = tty;					/* job 20 is in the background */
	line_input("x\n");
	assert_int_equal(lx_tty_read(&tjob, &f, buf, sizeof(buf)), -LINUX_EINTR);
	assert_int_equal(nsigs, 1);
	assert_int_equal(sigs[0].pgid, 20);
	assert_int_equal(sigs[0].sig, LINUX_SIGTTIN);
	assert_int_equal(tty->ld.len, 2);		/* its input is untouched */
	tjob.blocked = LINUX_SIGBIT(LINUX_SIGTTIN);	/* cannot be stopped: EIO */
	assert_int_equal(lx_tty_read(&tjob, &f, buf, sizeof(buf)), -LINUX_EIO);
	tjob.blocked = 0;
	job.act[LINUX_SIGTTIN].handler = LINUX_SIG_IGN;
	assert_int_equal(lx_tty_read(&tjob, &f, buf, sizeof(buf)), -LINUX_EIO);
	job.act[LINUX_SIGTTIN].handler = LINUX_SIG_DFL;
	/* Writes go through without TOSTOP... */
	assert_int_equal(lx_tty_write(&tjob, &f, "out", 3), 3);
	/* ...and stop the writer with it. */
	lx_tty_ioctl(&tshell, &f, LINUX_TCGETS, (uintptr_t)&tio);
	tio.c_lflag |= LINUX_TOSTOP;
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TCSETS, (uintptr_t)&tio), 0);
	nsigs = 0;
	assert_int_equal(lx_tty_write(&tjob, &f, "out", 3), -LINUX_EINTR);
	assert_int_equal(nsigs, 1);
	assert_int_equal(sigs[0].sig, LINUX_SIGTTOU);
	tjob.blocked = LINUX_SIGBIT(LINUX_SIGTTOU);	/* blocked SIGTTOU: the write goes */
	assert_int_equal(lx_tty_write(&tjob, &f, "out", 3), 3);
	tjob.blocked = 0;
	/* A background TCSETS stops the caller too. */
	nsigs = 0;
	assert_int_equal(lx_tty_ioctl(&tjob, &f, LINUX_TCSETS, (uintptr_t)&tio), -LINUX_EINTR);
	assert_int_equal(sigs[0].sig, LINUX_SIGTTOU);
	/* A stale ctty (its setsid left it): not this terminal's session, no job control. */
	job.sid = 20;
	assert_int_equal(lx_tty_write(&tjob, &f, "out", 3), 3);
	assert_int_equal(lx_tty_ioctl(&tjob, &f, LINUX_TIOCGPGRP, (uintptr_t)buf), -LINUX_ENOTTY);
	job.sid = 10;
	/* An orphaned group: nobody could continue it. */
	job.parent = &other;
	assert_int_equal(lx_tty_read(&tjob, &f, buf, sizeof(buf)), -LINUX_EIO);
	/* The foreground group reads. */
	assert_int_equal(lx_tty_read(&tshell, &f, buf, sizeof(buf)), 2);
}

static void test_winsize_and_misc(void **state)
{
	struct linux_winsize ws;
	struct file f;
	int32_t on = 1;
	unsigned ptn;

	(void)state;
	open_as(&tshell, &vn_ttys0, &f);
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TIOCGWINSZ, (uintptr_t)&ws), 0);
	assert_int_equal(ws.ws_row, 24);
	assert_int_equal(ws.ws_col, 80);
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TIOCSWINSZ, (uintptr_t)&ws), 0);
	assert_int_equal(nsigs, 0);			/* unchanged: no SIGWINCH */
	ws.ws_col = 132;
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TIOCSWINSZ, (uintptr_t)&ws), 0);
	assert_int_equal(nsigs, 1);
	assert_int_equal(sigs[0].sig, LINUX_SIGWINCH);
	assert_int_equal(sigs[0].pgid, 10);
	assert_int_equal(lx_tty_ioctl(&tshell, &f, 0x80045430u, (uintptr_t)&ptn), -LINUX_ENOTTY);
	assert_int_equal(lx_tty_ioctl(&tshell, &f, 0x5401 + 0x100, 0), -LINUX_ENOTTY);
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_FIONBIO, (uintptr_t)&on), 0);
	assert_true(f.flags & UO_NONBLOCK);
	line_input("ab\ncd");
	on = 0;
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_FIONREAD, (uintptr_t)&on), 0);
	assert_int_equal(on, 3);
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TCSBRK, 1), LX_BLOCK);	/* the echo */
	write_answered();
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TCSBRK, 1), 0);
	assert_null(lx_file_tty(NULL));
}

static void test_session_gone(void **state)
{
	struct file f;
	int32_t pg = 20;

	(void)state;
	open_as(&tshell, &vn_ttys0, &f);
	job.ctty = tty;
	lx_tty_ioctl(&tshell, &f, LINUX_TIOCSPGRP, (uintptr_t)&pg);
	lx_tty_session_gone(tty, 30);			/* not its session: nothing */
	assert_int_equal(nsigs, 0);
	lx_tty_session_gone(tty, 10);
	assert_int_equal(nsigs, 2);
	assert_int_equal(sigs[0].pgid, 20);
	assert_int_equal(sigs[0].sig, LINUX_SIGHUP);
	assert_int_equal(sigs[1].sig, LINUX_SIGCONT);
	assert_null(shell.ctty);
	assert_null(job.ctty);
	assert_int_equal(tty->sid, 0);
	/* Now anyone may take it, and init given it by the server adopts it on first use. */
	other.ctty = tty;
	assert_int_equal(lx_tty_ioctl(&tother, &f, LINUX_TIOCGPGRP, (uintptr_t)&pg), 0);
	assert_int_equal(pg, 30);
	assert_int_equal(tty->sid, 30);
}

static void test_device_failure_and_reopen(void **state)
{
	struct file f;
	char buf[16];

	(void)state;
	open_as(&tshell, &vn_ttys0, &f);
	open_fails = true;				/* the server is not back yet */
	ds_device_read_reply_inband(REPLY_PORT, MACH_MSG_TYPE_MOVE_SEND_ONCE, D_DEVICE_DOWN, "", 0);
	deliver_reply();
	assert_true(tty->dead);
	/* Writers are not left waiting for a line that is gone; readers come back to try
	   the line again. */
	assert_int_equal(lx_tty_write(&tshell, &f, "abc", 3), 3);
	assert_true(tty->dead);
	assert_int_equal(lx_tty_read(&tshell, &f, buf, sizeof(buf)), LX_BLOCK);
	assert_int_equal(block_deadline, now_ns + TTY_RETRY_NS);
	assert_int_equal(lx_tty_poll(&f) & UPOLL_OUT, UPOLL_OUT);
	nsent = 0;
	line_input("late");				/* taken, but nothing is asked of the device */
	assert_int_equal(nsent, 0);
	/* Bootstrap restarted the server: the next try, not sooner, opens it again. */
	open_fails = false;
	assert_int_equal(lx_tty_read(&tshell, &f, buf, sizeof(buf)), LX_BLOCK);
	assert_int_equal(nsent, 0);
	now_ns += TTY_RETRY_NS;
	assert_int_equal(lx_tty_read(&tshell, &f, buf, sizeof(buf)), LX_BLOCK);
	assert_false(tty->dead);
	assert_int_equal(count_sent(2800), 1);
	assert_int_equal(count_sent(2805), 1);		/* reading again */
	assert_int_equal(block_deadline, 0);
	line_input("ok\n");
	assert_int_equal(lx_tty_read(&tshell, &f, buf, sizeof(buf)), 7);
	assert_memory_equal(buf, "lateok\n", 7);
}

/* Bytes [0, n) of two messages are the same but in the ranges skip lists: the header's
   port slots and items' padding, which MIG's stubs leave uninitialised. */
static void same_bytes(const char *a, const char *b, size_t n, const size_t (*skip)[2], int nskip)
{
	for (size_t i = 0; i < n; i++) {
		bool skipped = false;

		for (int k = 0; k < nskip; k++)
			skipped |= i >= skip[k][0] && i < skip[k][1];
		if (!skipped && a[i] != b[i])
			fail_msg("byte %zu: 0x%02x here, 0x%02x from mig", i, a[i] & 0xff, b[i] & 0xff);
	}
}

/* tty_dev.c builds its requests by hand: they must be what MIG's own stubs send. */
static void test_requests_match_mig(void **state)
{
	static const size_t open_skip[][2] = { { 12, 16 }, { 20, 24 }, { 44, 48 } };
	static const size_t read_skip[][2] = { { 12, 16 }, { 20, 24 }, { 44, 48 }, { 76, 80 } };
	static const size_t write_skip[][2] = { { 12, 16 }, { 20, 24 }, { 44, 48 }, { 76, 80 } };
	struct file f;
	int mine;

	(void)state;
	assert_int_equal(device_open_request(1234, REPLY_PORT, D_READ | D_WRITE, "com1"), 0);
	assert_int_equal(sent[0].head.msgh_size, sent[nsent - 1].head.msgh_size);
	same_bytes(sent[0].bytes, sent[nsent - 1].bytes, sent[0].head.msgh_size, open_skip, 3);
	assert_int_equal(device_read_request_inband(DEV_PORT, REPLY_PORT, 0, 0, TTY_IO_CHUNK), 0);
	assert_int_equal(sent[1].head.msgh_id, 2805);
	assert_int_equal(sent[1].head.msgh_size, sent[nsent - 1].head.msgh_size);
	same_bytes(sent[1].bytes, sent[nsent - 1].bytes, sent[1].head.msgh_size, read_skip, 4);
	open_as(&tshell, &vn_ttys0, &f);
	lx_tty_write(&tshell, &f, "hi\n", 3);
	mine = nsent - 1;
	assert_int_equal(sent[mine].head.msgh_id, 2803);
	assert_int_equal(device_write_request_inband(DEV_PORT, REPLY_PORT, 0, 0, "hi\r\n", 4), 0);
	assert_int_equal(sent[mine].head.msgh_size, sent[nsent - 1].head.msgh_size);
	same_bytes(sent[mine].bytes, sent[nsent - 1].bytes, 72 + 4, write_skip, 4);
}

int main(void)
{
	const struct CMUnitTest tty_tests[] = {
		cmocka_unit_test_setup(test_device_open_and_read_request, tty_setup_test),
		cmocka_unit_test_setup(test_device_open_fails, tty_setup_test),
		cmocka_unit_test_setup(test_opens_and_ctty, tty_setup_test),
		cmocka_unit_test_setup(test_sctty_and_notty, tty_setup_test),
		cmocka_unit_test_setup(test_termios_round_trip, tty_setup_test),
		cmocka_unit_test_setup(test_canonical_read_blocks_and_echoes, tty_setup_test),
		cmocka_unit_test_setup(test_ctrl_c_signals_foreground, tty_setup_test),
		cmocka_unit_test_setup(test_raw_vmin_vtime, tty_setup_test),
		cmocka_unit_test_setup(test_write_queue_and_blocking, tty_setup_test),
		cmocka_unit_test_setup(test_stop_start_output, tty_setup_test),
		cmocka_unit_test_setup(test_pgrp_rules, tty_setup_test),
		cmocka_unit_test_setup(test_background_read_and_write, tty_setup_test),
		cmocka_unit_test_setup(test_winsize_and_misc, tty_setup_test),
		cmocka_unit_test_setup(test_session_gone, tty_setup_test),
		cmocka_unit_test_setup(test_device_failure_and_reopen, tty_setup_test),
		cmocka_unit_test_setup(test_requests_match_mig, tty_setup_test),
	};

	return cmocka_run_group_tests_name("lx_tty terminal", tty_tests, NULL, NULL);
}
