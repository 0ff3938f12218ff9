/*
 * The Linux terminal's unit-test fixture (test_lx_tty.c): fakes of the server (lx.h:
 * blocking, waking, signals, processes, guest memory as the test's own memory), of the
 * core's cdev switch and of Mach (mach_msg records requests and keeps the fake serial
 * server's last reply; device_open is answered), three processes in two sessions, and
 * helpers that open the terminal's devices and play the serial server's part.
 */
#ifndef LX_TTY_FIXTURE_H
#define LX_TTY_FIXTURE_H

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

kern_return_t mach_port_deallocate(mach_port_t task, mach_port_name_t name)
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

#endif
