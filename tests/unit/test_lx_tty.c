/*
 * Unit tests of the Linux personality's terminal (personalities/linux/tty.c, tty_dev.c,
 * tty_ioctl.c; the line discipline has test_lx_ldisc.c) against fakes of lx.h and of
 * Mach: the serial device's request and reply messages (compared with MIG's stubs'), ^C to the foreground group,
 * reads by VMIN/VTIME, blocking writers, termios ioctls, controlling terminals, the
 * foreground group's rules and job control (SIGTTIN, SIGTTOU, orphaned groups).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <mach/mig_errors.h>
#include <mach/mach_port.h>
#include <device/device_types.h>
#include "personalities/linux/tty.h"
#include "device_request.h"		/* mig's stubs, generated for this test */

/* ---------------- fakes of lx.h ---------------- */

struct lx_thread *lx_current;
mach_port_t lx_portset = 90;

static uint64_t now_ns = 1000000000ull;
static int nblocks;
static unsigned block_events;
static uint64_t block_deadline;
static int nwakes;
static bool sig_pending;
static struct { int pgid, sig; } sigs[16];
static int nsigs;
static struct lx_proc *procs;

uint64_t lx_now_ns(void)
{
	return now_ns;
}

long lx_block(struct lx_thread *t, unsigned events, uint64_t deadline)
{
	(void)t;
	nblocks++;
	block_events = events;
	block_deadline = deadline;
	return LX_BLOCK;
}

void lx_wake(unsigned events)
{
	(void)events;
	nwakes++;
}

int lx_signal_pgrp(int pgid, int sig)
{
	assert_true(nsigs < 16);
	sigs[nsigs].pgid = pgid;
	sigs[nsigs].sig = sig;
	nsigs++;
	return 0;
}

bool lx_signal_pending(struct lx_thread *t)
{
	(void)t;
	return sig_pending;
}

bool lx_signal_restarts(struct lx_thread *t)
{
	(void)t;
	return true;
}

struct lx_proc *lx_proc_first(void)
{
	return procs;
}

/* Guest addresses are the test's own pointers; 0 is unmapped. */
int lx_copyin(struct lx_proc *p, uint64_t uaddr, void *buf, size_t n)
{
	(void)p;
	if (!uaddr)
		return -LINUX_EFAULT;
	memcpy(buf, (void *)(uintptr_t)uaddr, n);
	return 0;
}

int lx_copyout(struct lx_proc *p, uint64_t uaddr, const void *buf, size_t n)
{
	(void)p;
	if (!uaddr)
		return -LINUX_EFAULT;
	memcpy((void *)(uintptr_t)uaddr, buf, n);
	return 0;
}

/* ---------------- fakes of the core and of Mach ---------------- */

static struct { uint64_t rdev; const struct cdev_ops *ops; } cdevs[4];
static int ncdevs;

int cdev_register(uint64_t rdev, const struct cdev_ops *ops)
{
	assert_true(ncdevs < 4);
	cdevs[ncdevs].rdev = rdev;
	cdevs[ncdevs].ops = ops;
	ncdevs++;
	return 0;
}

void file_setfl(struct file *f, unsigned flags)
{
	f->flags = (f->flags & ~UO_SETFL_MASK) | (flags & UO_SETFL_MASK);
}

#define DEV_PORT	77
#define REPLY_PORT	50

static union {
	mach_msg_header_t head;
	char bytes[512];
} sent[64];
static int nsent;
static bool open_fails;
static union {
	mach_msg_header_t head;
	char bytes[512];
} reply;			/* the last reply the fake serial server sent */

/* device_reply.defs' user stubs (build/libdevice/device_replyUser.c), as lib/device
   declares them. */
kern_return_t ds_device_write_reply_inband(mach_port_t reply, mach_msg_type_name_t type, kern_return_t rc,
					   int bytes_written);
kern_return_t ds_device_read_reply_inband(mach_port_t reply, mach_msg_type_name_t type, kern_return_t rc,
					  const char *data, mach_msg_type_number_t count);

mach_port_name_t mach_task_self(void)
{
	return 1;
}

kern_return_t mach_port_allocate(mach_port_t task, mach_port_right_t right, mach_port_name_t *name)
{
	(void)task;
	assert_int_equal(right, MACH_PORT_RIGHT_RECEIVE);
	*name = REPLY_PORT;
	return KERN_SUCCESS;
}

kern_return_t mach_port_move_member(mach_port_t task, mach_port_name_t member, mach_port_name_t after)
{
	(void)task;
	assert_int_equal(member, REPLY_PORT);
	assert_int_equal(after, 90);
	return KERN_SUCCESS;
}

kern_return_t mach_port_destroy(mach_port_t task, mach_port_name_t name)
{
	(void)task;
	(void)name;
	return KERN_SUCCESS;
}

/* Records every message sent; answers device_open as the device master would. */
mach_msg_return_t mach_msg(mach_msg_header_t *msg, mach_msg_option_t option, mach_msg_size_t send_size,
			   mach_msg_size_t rcv_size, mach_port_t rcv_name, mach_msg_timeout_t timeout,
			   mach_port_t notify)
{
	(void)timeout;
	(void)notify;
	assert_true(option & MACH_SEND_MSG);
	assert_int_equal(send_size, msg->msgh_size);
	if (msg->msgh_id >= 2900) {
		assert_true(send_size <= sizeof(reply));
		memcpy(&reply, msg, send_size);
		return MACH_MSG_SUCCESS;
	}
	assert_true(send_size <= sizeof(sent[0]) && nsent < 64);
	memcpy(&sent[nsent++], msg, send_size);
	if (option & MACH_RCV_MSG) {
		mig_reply_header_t *r = (mig_reply_header_t *)msg;
		char *p = (char *)msg;

		assert_int_equal(msg->msgh_id, 2800);
		assert_int_equal(rcv_name, REPLY_PORT);
		assert_true(rcv_size >= 64);
		memset(msg, 0, 64);
		r->Head.msgh_id = 2900;
		r->Head.msgh_size = open_fails ? 48 : 64;
		r->RetCode = open_fails ? D_NO_SUCH_DEVICE : 0;
		*(mach_msg_type_t *)(p + 48) = (mach_msg_type_t){ .msgt_name = MACH_MSG_TYPE_PORT_SEND,
			.msgt_size = 64, .msgt_inline = 1, .msgt_number = 1 };
		*(mach_port_t *)(p + 56) = DEV_PORT;
	}
	return MACH_MSG_SUCCESS;
}

/* ---------------- the terminal ---------------- */

static struct lx_proc shell, job, other;
static struct lx_thread tshell, tjob, tother;
static struct lx_tty *tty;
static struct vnode vn_ttys0, vn_console, vn_tty;

static const struct cdev_ops *ops_for(uint64_t rdev)
{
	for (int i = 0; i < ncdevs; i++)
		if (cdevs[i].rdev == rdev)
			return cdevs[i].ops;
	return NULL;
}

static void proc(struct lx_proc *p, struct lx_thread *t, int pid, int pgid, int sid,
		 struct lx_proc *parent)
{
	memset(p, 0, sizeof(*p));
	memset(t, 0, sizeof(*t));
	p->pid = pid;
	p->pgid = pgid;
	p->sid = sid;
	p->parent = parent;
	t->proc = p;
	t->tid = pid;
	t->first = true;
	t->nr = LINUX_SYS_openat;
	t->regs[FOREIGN_REG_RDX] = LINUX_O_RDWR;
}

/* The shell (pid 10) leads session 10; a job (pid 20, group 20) is its child; another
   process (pid 30) leads session 30. */
static int tty_setup_test(void **state)
{
	static struct lx_proc init;

	(void)state;
	ncdevs = 0;
	nsent = 0;
	nsigs = 0;
	nblocks = 0;
	nwakes = 0;
	sig_pending = false;
	open_fails = false;
	memset(&init, 0, sizeof(init));
	init.pid = init.pgid = init.sid = 1;
	proc(&shell, &tshell, 10, 10, 10, &init);
	proc(&job, &tjob, 20, 20, 10, &shell);
	proc(&other, &tother, 30, 30, 30, &init);
	init.next = &shell;
	shell.next = &job;
	job.next = &other;
	procs = &init;
	assert_int_equal(lx_tty_init(1234, "com1"), 0);
	tty = lx_tty_console();
	vn_ttys0.attr.type = vn_console.attr.type = vn_tty.attr.type = VCHR;
	vn_ttys0.attr.rdev = UDEV(4, 64);
	vn_console.attr.rdev = UDEV(5, 1);
	vn_tty.attr.rdev = UDEV(5, 0);
	return 0;
}

static int open_as(struct lx_thread *t, struct vnode *vp, struct file *f)
{
	const struct cdev_ops *ops = ops_for(vp->attr.rdev);

	assert_non_null(ops);
	memset(f, 0, sizeof(*f));
	f->refs = 1;
	f->kind = FILE_VNODE;
	f->flags = UO_READ | UO_WRITE;
	f->vp = vp;
	f->cdev = ops;
	lx_current = t;
	int err = ops->open ? ops->open(f) : 0;
	lx_current = NULL;
	return err;
}

/* A reply as the serial server sends it (lib/device, through device_reply.defs' stubs),
   arriving on the terminal's port. */
static void deliver_reply(void)
{
	reply.head.msgh_local_port = REPLY_PORT;
	reply.head.msgh_remote_port = MACH_PORT_NULL;
	assert_true(lx_tty_message(&reply.head));
}

/* The line brings bytes: a device_read_inband reply. */
static void line_input(const char *s)
{
	assert_int_equal(ds_device_read_reply_inband(REPLY_PORT, MACH_MSG_TYPE_MOVE_SEND_ONCE,
						     D_SUCCESS, s, (unsigned)strlen(s)), 0);
	deliver_reply();
}

/* The serial server took the oldest write. */
static void write_answered(void)
{
	assert_int_equal(ds_device_write_reply_inband(REPLY_PORT, MACH_MSG_TYPE_MOVE_SEND_ONCE,
						      D_SUCCESS, 0), 0);
	deliver_reply();
}

/* Every byte the write requests sent since `from`, concatenated. */
static const char *written_since(int from)
{
	static char buf[8192];
	size_t len = 0;

	for (int i = from; i < nsent; i++) {
		const char *p = sent[i].bytes;
		const mach_msg_type_t *ty = (const mach_msg_type_t *)(p + 64);

		if (sent[i].head.msgh_id != 2803)
			continue;
		assert_int_equal(sent[i].head.msgh_remote_port, DEV_PORT);
		assert_int_equal(ty->msgt_name, MACH_MSG_TYPE_CHAR);
		memcpy(buf + len, p + 72, ty->msgt_number);
		len += ty->msgt_number;
	}
	buf[len] = 0;
	return buf;
}

static int count_sent(int id)
{
	int n = 0;

	for (int i = 0; i < nsent; i++)
		n += sent[i].head.msgh_id == id;
	return n;
}

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
	assert_int_equal(nsigs, 2);				/* the old foreground hears it */
	assert_int_equal(sigs[0].sig, LINUX_SIGHUP);
	assert_int_equal(sigs[0].pgid, 10);
	assert_int_equal(sigs[1].sig, LINUX_SIGCONT);
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TIOCNOTTY, 0), -LINUX_ENOTTY);
	assert_int_equal(lx_tty_ioctl(&tother, &f, LINUX_TIOCNOTTY, 0), 0);
	assert_null(other.ctty);
	assert_int_equal(tty->sid, 0);
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
	assert_int_equal(lx_tty_read(&tshell, &f, buf, sizeof(buf)), -LINUX_ERESTARTSYS);
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
	assert_int_equal(lx_tty_poll(&f) & UPOLL_IN, 0);
	assert_int_equal(lx_tty_read(&tshell, &f, buf, 2), 2);	/* asks for 2: has 2 */
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
	pg = 20;
	assert_int_equal(lx_tty_ioctl(&tshell, &f, LINUX_TIOCSPGRP, (uintptr_t)&pg), 0);
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
	assert_int_equal(lx_tty_read(&tjob, &f, buf, sizeof(buf)), -LINUX_ERESTARTSYS);
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
	assert_int_equal(lx_tty_write(&tjob, &f, "out", 3), -LINUX_ERESTARTSYS);
	assert_int_equal(nsigs, 1);
	assert_int_equal(sigs[0].sig, LINUX_SIGTTOU);
	tjob.blocked = LINUX_SIGBIT(LINUX_SIGTTOU);	/* blocked SIGTTOU: the write goes */
	assert_int_equal(lx_tty_write(&tjob, &f, "out", 3), 3);
	tjob.blocked = 0;
	/* A background TCSETS stops the caller too. */
	nsigs = 0;
	assert_int_equal(lx_tty_ioctl(&tjob, &f, LINUX_TCSETS, (uintptr_t)&tio), -LINUX_ERESTARTSYS);
	assert_int_equal(sigs[0].sig, LINUX_SIGTTOU);
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

static void test_device_failure(void **state)
{
	struct file f;
	char buf[4];

	(void)state;
	open_as(&tshell, &vn_ttys0, &f);
	ds_device_read_reply_inband(REPLY_PORT, MACH_MSG_TYPE_MOVE_SEND_ONCE, D_DEVICE_DOWN, "", 0);
	deliver_reply();
	assert_true(tty->dead);
	/* Writers are not left waiting for a line that is gone; readers wait (for a
	   signal), as on a hung-up line without carrier detection. */
	assert_int_equal(lx_tty_write(&tshell, &f, "abc", 3), 3);
	assert_int_equal(lx_tty_read(&tshell, &f, buf, sizeof(buf)), LX_BLOCK);
	assert_int_equal(lx_tty_poll(&f) & UPOLL_OUT, UPOLL_OUT);
	nsent = 0;
	line_input("late");				/* nothing more is asked of the device */
	assert_int_equal(nsent, 0);
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
		cmocka_unit_test_setup(test_device_failure, tty_setup_test),
		cmocka_unit_test_setup(test_requests_match_mig, tty_setup_test),
	};

	return cmocka_run_group_tests_name("lx_tty terminal", tty_tests, NULL, NULL);
}
