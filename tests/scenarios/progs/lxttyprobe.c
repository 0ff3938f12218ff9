/*
 * lxtty.scn's client: the Linux personality's terminal code (personalities/linux/tty*.c)
 * on the real serial server's com1, with the rest of the personality faked (one process,
 * session leader of its own group; guest memory as its own). It writes a line, takes
 * what the host typed (a line with ^C in the middle, then a line, then ^D) through the
 * line discipline, and checks the signal, the line and the end of file. The echo and
 * the output land in the host's file (serial-com2.out). Then it kills the serial server
 * and waits for the terminal to notice and to open the line again once bootstrap has
 * restarted the server.
 */
#include <stdio.h>
#include <string.h>
#include <bootstrap/bootstrap_user.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include "personalities/linux/tty.h"
#include "mach_test.h"
#include "test.h"

#define ROUNDS		100	/* of up to 50 ms each */

/* --- the rest of the personality, faked --- */

struct lx_thread *lx_current;
mach_port_t lx_portset;
static struct lx_proc proc;
static struct lx_thread thr;
static int last_sig, last_pgrp;
static const struct cdev_ops *tty_ops;
static uint64_t clock_ns;	/* advanced by each pump, an upper bound of the time spent */

uint64_t lx_now_ns(void)
{
	return clock_ns;
}

long lx_block(struct lx_thread *t, unsigned events, uint64_t deadline)
{
	(void)t;
	(void)events;
	(void)deadline;
	return LX_BLOCK;
}

void lx_wake(unsigned events)
{
	(void)events;
}

int lx_signal_pgrp(int pgid, int sig)
{
	last_pgrp = pgid;
	last_sig = sig;
	return 0;
}

bool lx_signal_pending(struct lx_thread *t)
{
	(void)t;
	return false;
}

bool lx_signal_restarts(struct lx_thread *t)
{
	(void)t;
	return true;
}

struct lx_proc *lx_proc_first(void)
{
	return &proc;
}

int lx_copyin(struct lx_proc *p, uint64_t uaddr, void *buf, size_t n)
{
	(void)p;
	memcpy(buf, (const void *)(uintptr_t)uaddr, n);
	return 0;
}

int lx_copyout(struct lx_proc *p, uint64_t uaddr, const void *buf, size_t n)
{
	(void)p;
	memcpy((void *)(uintptr_t)uaddr, buf, n);
	return 0;
}

int cdev_register(uint64_t rdev, const struct cdev_ops *ops)
{
	(void)rdev;
	tty_ops = ops;
	return 0;
}

void file_setfl(struct file *f, unsigned flags)
{
	f->flags = flags;
}

/* --- the server's loop, in small --- */

/* Hands the terminal the device's replies for up to 50 ms. */
static void pump(void)
{
	union {
		mach_msg_header_t head;
		char bytes[512];
	} m;

	if (mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), lx_portset, 50,
		     MACH_PORT_NULL) == MACH_MSG_SUCCESS)
		lx_tty_message(&m.head);
	clock_ns += 50000000ull;
}

/* The serial server dies: the terminal sees its requests' reply rights die, and a
   reader, re-run every TTY_RETRY_NS, opens the line again after bootstrap's restart. */
static bool kill_and_reopen(struct lx_tty *tty, struct file *f)
{
	mach_port_t task;
	char buf[8];
	bool ok;

	ok = bootstrap_server_task(test_bootstrap_port(), "serial", &task) == KERN_SUCCESS &&
	     task_terminate(task) == KERN_SUCCESS;
	for (int i = 0; ok && i < ROUNDS && !tty->dead; i++)
		pump();
	ok = ok && tty->dead;
	for (int i = 0; ok && i < ROUNDS && tty->dead; i++) {
		pump();
		lx_tty_read(&thr, f, buf, sizeof(buf));
	}
	return ok && !tty->dead;
}

static bool output_drained(struct lx_tty *tty)
{
	for (int i = 0; i < ROUNDS && (tty->out_len || tty->nwrites); i++)
		pump();
	return tty->out_len == 0 && tty->nwrites == 0 && !tty->dead;
}

/* A read as a parked guest thread would see it: re-run after each message. */
static long read_line(struct file *f, char *buf, size_t n)
{
	long got = LX_BLOCK;

	for (int i = 0; i < ROUNDS && got == LX_BLOCK; i++) {
		pump();
		got = lx_tty_read(&thr, f, buf, n);
	}
	return got;
}

int main(void)
{
	static struct vnode vn;
	static struct file f;
	mach_port_t master;
	struct lx_tty *tty;
	char buf[64];
	long n;

	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &lx_portset);
	if (!TEST_CHECK("lxtty-init", test_device_master(&master) && lx_tty_init(master, "com1") == 0 &&
			tty_ops)) {
		test_done();
		test_end_run();
		return 1;
	}
	tty = lx_tty_console();
	/* The process opens /dev/ttyS0 and, leading its session, gets it as ctty. */
	proc.pid = proc.pgid = proc.sid = 5;
	thr.proc = &proc;
	thr.nr = LINUX_SYS_openat;
	vn.attr.type = VCHR;
	vn.attr.rdev = UDEV(4, 64);
	f = (struct file){ .refs = 1, .kind = FILE_VNODE, .flags = UO_READ | UO_WRITE, .vp = &vn,
			   .cdev = tty_ops };
	lx_current = &thr;
	tty_ops->open(&f);
	lx_current = NULL;
	TEST_CHECK("lxtty-ctty", proc.ctty == tty && tty->pgrp == 5);

	TEST_CHECK("lxtty-write", lx_tty_write(&thr, &f, "hello from lxtty\n", 17) == 17 &&
		   output_drained(tty));
	n = read_line(&f, buf, sizeof(buf) - 1);
	TEST_CHECK("lxtty-sigint", last_sig == LINUX_SIGINT && last_pgrp == 5);
	if (n > 0) {
		buf[n] = '\0';
		printf("lxttyprobe: line: %s", buf);
	}
	TEST_CHECK("lxtty-line", n == 8 && memcmp(buf, "echo hi\n", 8) == 0);
	TEST_CHECK("lxtty-eof", read_line(&f, buf, sizeof(buf)) == 0);
	TEST_CHECK("lxtty-echo-sent", output_drained(tty));
	TEST_CHECK("lxtty-reopened", kill_and_reopen(tty, &f));
	TEST_CHECK("lxtty-write-again", lx_tty_write(&thr, &f, "again\n", 6) == 6 && output_drained(tty));
	test_done();
	test_end_run();
	return 0;
}
