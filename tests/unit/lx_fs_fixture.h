/*
 * The fixture of the Linux personality's file tests (test_lx_fs.c, test_lx_procfs.c):
 * fakes of the server functions lx.h declares (guest memory is one host array at
 * UBASE and anything else faults; lx_block records and parks; processes are two
 * static ones; a fake terminal driver on 4:64), a root image made in memory, and
 * helpers that call system calls as the table would.
 */
#ifndef LX_FS_FIXTURE_H
#define LX_FS_FIXTURE_H

#define _GNU_SOURCE

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <linux/stat.h>
#include <cmocka.h>
#include "personalities/linux/lxfs.h"

/* --- fakes of lx.h --- */

#define UBASE	0x10000000ull
#define USIZE	(1u << 20)
static unsigned char umem[USIZE];

static inline bool urange(uint64_t a, size_t n)
{
	return a >= UBASE && n <= USIZE && a - UBASE <= USIZE - n;
}

int lx_copyin(struct lx_proc *p, uint64_t uaddr, void *buf, size_t n)
{
	(void)p;
	if (!urange(uaddr, n))
		return -LINUX_EFAULT;
	memcpy(buf, umem + (uaddr - UBASE), n);
	return 0;
}

int lx_copyout(struct lx_proc *p, uint64_t uaddr, const void *buf, size_t n)
{
	(void)p;
	if (!urange(uaddr, n))
		return -LINUX_EFAULT;
	memcpy(umem + (uaddr - UBASE), buf, n);
	return 0;
}

long lx_copyinstr(struct lx_proc *p, uint64_t uaddr, char *buf, size_t max)
{
	(void)p;
	for (size_t i = 0; i < max; i++) {
		if (!urange(uaddr + i, 1))
			return -LINUX_EFAULT;
		buf[i] = (char)umem[uaddr + i - UBASE];
		if (!buf[i])
			return (long)i;
	}
	return -LINUX_ENAMETOOLONG;
}

struct lx_thread *lx_current;
static int blocks, wakes, sigpipes;
static unsigned blocked_events;
static bool signal_waiting;

uint64_t lx_now_ns(void)
{
	return 12345678900ull;	/* 12.34 s after boot */
}

void lx_realtime(struct linux_timespec *ts)
{
	ts->tv_sec = 1700000000;
	ts->tv_nsec = 0;
}

/* 1.5 s of user time and 0.25 s of system time, for every process. */
uint64_t lx_proc_cpu_ns(struct lx_proc *p, uint64_t *user, uint64_t *sys)
{
	(void)p;
	*user = 1500000000ull;
	*sys = 250000000ull;
	return *user + *sys;
}

long lx_block(struct lx_thread *t, unsigned events, uint64_t deadline)
{
	(void)deadline;
	t->parked = true;
	blocked_events = events;
	blocks++;
	return LX_BLOCK;
}

void lx_wake(unsigned events)
{
	if (events & LX_EV_IO)
		wakes++;
}

void lx_signal_thread(struct lx_thread *t, int sig, const struct linux_siginfo *info)
{
	(void)t;
	(void)info;
	if (sig == LINUX_SIGPIPE)
		sigpipes++;
}

bool lx_signal_pending(struct lx_thread *t)
{
	(void)t;
	return signal_waiting;
}

static struct lx_proc proc1, proc42;
static struct lx_thread thr1, thr42;

struct lx_proc *lx_proc_first(void)
{
	return &proc1;
}

struct lx_proc *lx_proc_find(int pid)
{
	for (struct lx_proc *p = lx_proc_first(); p; p = p->next)
		if (p->pid == pid)
			return p;
	return NULL;
}

void lx_proc_vfs_ctx(struct lx_proc *p, struct vfs_ctx *ctx)
{
	ctx->root = p->root;
	ctx->cwd = p->cwd;
	ctx->cred = &p->cred;
}

/* A terminal: descriptions of device 4:64 with the fake driver below. */
static const struct cdev_ops tty_ops;
static char tty_out[64];
static unsigned tty_ioctls;

struct lx_tty *lx_file_tty(struct file *f)
{
	return f->cdev == &tty_ops ? (struct lx_tty *)&tty_out : NULL;
}

long lx_tty_read(struct lx_thread *t, struct file *f, void *buf, size_t n)
{
	(void)f;
	(void)buf;
	(void)n;
	return lx_block(t, LX_EV_IO, 0);
}

long lx_tty_write(struct lx_thread *t, struct file *f, const void *buf, size_t n)
{
	(void)t;
	(void)f;
	memcpy(tty_out, buf, n < sizeof(tty_out) - 1 ? n : sizeof(tty_out) - 1);
	return (long)n;
}

long lx_tty_ioctl(struct lx_thread *t, struct file *f, unsigned cmd, uint64_t arg)
{
	(void)t;
	(void)f;
	(void)arg;
	tty_ioctls++;
	return cmd == LINUX_TCGETS ? 0 : -LINUX_EINVAL;
}

/* --- helpers --- */

#define X(name) LX_SYSCALL(name);
#include "personalities/linux/sys_fs.tab"
#undef X

#define SYS(name, ...) sys_##name(&thr1, (const uint64_t[6]){ __VA_ARGS__ })
#define AT	((uint64_t)(int64_t)LINUX_AT_FDCWD)
#define U(off)	(UBASE + (off))
#define BAD	0x1000ull		/* not guest memory */

/* Guest strings at fixed places: path A at 0, path B at 4096; buffers from 64 KiB. */
static inline uint64_t ustr(unsigned slot, const char *s)
{
	uint64_t a = U(slot * 4096u);

	memcpy(umem + slot * 4096u, s, strlen(s) + 1);
	return a;
}
#define P1(s)	ustr(0, s)
#define P2(s)	ustr(1, s)
#define BUF	U(65536)
#define BUFP	(umem + 65536)

static inline long open_path(const char *path, uint64_t flags, uint64_t mode)
{
	return SYS(openat, AT, P1(path), flags, mode);
}

static inline void write_str(int fd, const char *s)
{
	memcpy(BUFP, s, strlen(s));
	assert_int_equal(SYS(write, (uint64_t)fd, BUF, strlen(s)), (long)strlen(s));
}

/* Reads fd to the end into BUFP (as a string); the byte count. */
static inline long read_all(int fd)
{
	long total = 0, r;

	while ((r = SYS(read, (uint64_t)fd, BUF + (uint64_t)total, 4096)) > 0)
		total += r;
	assert_int_equal(r, 0);
	BUFP[total] = '\0';
	return total;
}

/* --- a cpio image in memory --- */

static unsigned char image[8192];
static size_t image_len;

static inline void cpio_add(const char *name, uint32_t mode, const char *data, uint32_t rdevmaj,
		     uint32_t rdevmin)
{
	size_t namesize = strlen(name) + 1, size = data ? strlen(data) : 0;
	static uint32_t ino = 1;

	image_len += (size_t)sprintf((char *)image + image_len,
		"070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08zX%08X",
		ino++, mode, 0u, 0u, 1u, 0u, (uint32_t)size, 0u, 0u, rdevmaj, rdevmin, namesize, 0u);
	memcpy(image + image_len, name, namesize);
	image_len = (image_len + namesize + 3) & ~(size_t)3;
	memcpy(image + image_len, data ? data : "", size);
	image_len = (image_len + size + 3) & ~(size_t)3;
}

static inline int group_setup(void **state)
{
	(void)state;
	cpio_add(".", 040755, NULL, 0, 0);
	cpio_add("bin", 040755, NULL, 0, 0);
	cpio_add("bin/busybox", 0100755, "\177ELF-not-really", 0, 0);
	cpio_add("etc/passwd", 0100644, "root:x:0:0::/root:/bin/sh\n", 0, 0);
	cpio_add("lnk", 0120777, "bin/busybox", 0, 0);
	cpio_add("tmp", 040755, NULL, 0, 0);		/* lx_fs_init makes it 1777 */
	cpio_add("TRAILER!!!", 0, NULL, 0, 0);
	assert_int_equal(lx_fs_init(image, image_len), 0);
	assert_int_equal(lx_fs_init(image, image_len), -LINUX_EBUSY);
	assert_int_equal(cdev_register(LX_DEV_TTYS0, &tty_ops), 0);
	return 0;
}

/* Process 1 (root, in /) and 42 (user 1000, a child of 1), fresh descriptor tables. */
static inline int setup(void **state)
{
	(void)state;
	proc1 = (struct lx_proc){ .pid = 1, .pgid = 1, .sid = 1, .umask = 022,
				  .threads = &thr1, .nthreads = 1, .next = &proc42 };
	proc42 = (struct lx_proc){ .pid = 42, .parent = &proc1, .pgid = 42, .sid = 1,
				   .umask = 077, .threads = &thr42, .nthreads = 1,
				   .uid = 1000, .gid = 1000, .suid = 1000, .sgid = 1000,
				   .cred = { .uid = 1000, .gid = 1000 },
				   .start_ns = 2000000000ull, .child_user_ns = 75000000ull,
				   .child_sys_ns = 39990000ull };
	thr1 = (struct lx_thread){ .proc = &proc1, .tid = 1 };
	thr42 = (struct lx_thread){ .proc = &proc42, .tid = 42, .parked = true };
	for (struct lx_proc *p = &proc1; p; p = p->next) {
		p->fdt = fdt_new(64);
		p->root = vnode_ref(lx_fs_root());
		p->cwd = vnode_ref(lx_fs_root());
	}
	strcpy(proc42.exe, "/bin/busybox");
	strcpy(proc42.comm, "busybox");
	proc42.cmdline = "sh\0-c\0ps\0";
	proc42.cmdline_len = 9;
	proc42.act[LINUX_SIGCHLD].handler = 0x401000;
	proc42.act[LINUX_SIGINT].handler = LINUX_SIG_IGN;
	lx_current = &thr1;
	blocks = wakes = sigpipes = 0;
	signal_waiting = false;
	return 0;
}

static inline int teardown(void **state)
{
	(void)state;
	for (struct lx_proc *p = &proc1; p; p = p->next) {
		fdt_free(p->fdt);
		vnode_rele(p->root);
		vnode_rele(p->cwd);
	}
	return 0;
}

#endif
