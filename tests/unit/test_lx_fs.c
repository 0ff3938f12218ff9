/*
 * Unit tests of the Linux personality's file system calls (personalities/linux:
 * fs.c, sys_fs.c, sys_path.c, sys_stat.c, errno.c) over the common core: the cpio
 * root, open/read/write/lseek, the getdents64 layout, stat fields (checked against
 * the host's own <sys/stat.h> and <linux/stat.h>, x86_64 Linux), pipes that park the
 * caller, EFAULT for bad pointers, and the errno table against the host's <errno.h>.
 */
#include "lx_fs_fixture.h"

/* stat into the host's struct stat, which is Linux's x86_64 layout. */
static long host_stat(const char *path, struct stat *st, uint64_t flags)
{
	long r = SYS(newfstatat, AT, P1(path), BUF, flags);

	memcpy(st, BUFP, sizeof(*st));
	return r;
}

static uint32_t host_stat_mode(const char *path)
{
	struct stat st;

	assert_int_equal(host_stat(path, &st, 0), 0);
	return st.st_mode;
}

static void test_cpio_root(void **state)
{
	struct stat st;

	(void)state;
	assert_int_equal(host_stat("/bin/busybox", &st, 0), 0);
	assert_int_equal(st.st_mode, S_IFREG | 0755);
	assert_int_equal(st.st_size, 15);
	assert_int_equal(st.st_nlink, 1);
	assert_int_equal(st.st_blksize, 4096);
	/* Through the symlink, and the link itself. */
	assert_int_equal(host_stat("/lnk", &st, 0), 0);
	assert_int_equal(st.st_mode, S_IFREG | 0755);
	assert_int_equal(host_stat("/lnk", &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_int_equal(st.st_mode, S_IFLNK | 0777);
	assert_int_equal(SYS(readlink, P1("/lnk"), BUF, 100), 11);
	assert_memory_equal(BUFP, "bin/busybox", 11);
	assert_int_equal(SYS(readlink, P1("/lnk"), BUF, 3), 3);	/* truncated, no NUL */
	assert_int_equal(SYS(readlink, P1("/bin"), BUF, 100), -LINUX_EINVAL);
	/* lx_fs_init made /tmp sticky and world-writable, and /dev and /proc. */
	assert_int_equal(host_stat("/tmp", &st, 0), 0);
	assert_int_equal(st.st_mode, S_IFDIR | 01777);
	assert_int_equal(host_stat("/dev/null", &st, 0), 0);
	assert_int_equal(st.st_mode, S_IFCHR | 0666);
	assert_int_equal(major(st.st_rdev), 1);
	assert_int_equal(minor(st.st_rdev), 3);
	assert_int_equal(host_stat("/dev/ttyS0", &st, 0), 0);
	assert_int_equal(major(st.st_rdev), 4);
	assert_int_equal(minor(st.st_rdev), 64);
	assert_int_equal(host_stat("/proc", &st, 0), 0);
	assert_int_equal(st.st_mode, S_IFDIR | 0555);
	assert_int_equal(host_stat("/nope", &st, 0), -LINUX_ENOENT);
	assert_int_equal(host_stat("/bin/busybox/x", &st, 0), -LINUX_ENOTDIR);
	assert_int_equal(open_path("/etc/passwd", O_RDONLY, 0), 0);
	assert_int_equal(read_all(0), 26);
	assert_string_equal((char *)BUFP, "root:x:0:0::/root:/bin/sh\n");
}

static void test_open_read_write_lseek(void **state)
{
	struct stat st;
	int fd;

	(void)state;
	fd = (int)open_path("/tmp/f", O_CREAT | O_RDWR | O_EXCL, 0666);
	assert_int_equal(fd, 0);
	assert_int_equal(open_path("/tmp/f", O_CREAT | O_RDWR | O_EXCL, 0666), -LINUX_EEXIST);
	write_str(fd, "hello world");
	assert_int_equal(SYS(fstat, 0, BUF), 0);
	memcpy(&st, BUFP, sizeof(st));
	assert_int_equal(st.st_mode, S_IFREG | 0644);	/* umask 022 */
	assert_int_equal(st.st_size, 11);
	assert_int_equal(st.st_mtim.tv_sec, 1700000000);	/* the server's clock */
	assert_int_equal(SYS(lseek, 0, 0, SEEK_SET), 0);
	assert_int_equal(SYS(read, 0, BUF, 5), 5);
	assert_memory_equal(BUFP, "hello", 5);
	assert_int_equal(SYS(lseek, 0, 0, SEEK_CUR), 5);
	assert_int_equal(SYS(pread64, 0, BUF, 100, 6), 5);
	assert_memory_equal(BUFP, "world", 5);
	assert_int_equal(SYS(lseek, 0, 0, SEEK_CUR), 5);		/* pread kept it */
	assert_int_equal(SYS(lseek, 0, (uint64_t)-2, SEEK_END), 9);
	assert_int_equal(SYS(lseek, 0, (uint64_t)-20, SEEK_CUR), -LINUX_EINVAL);
	assert_int_equal(SYS(lseek, 0, 0, 7), -LINUX_EINVAL);
	assert_int_equal(SYS(lseek, 0, 3, LINUX_SEEK_DATA), 3);
	assert_int_equal(SYS(lseek, 0, 3, LINUX_SEEK_HOLE), 11);
	assert_int_equal(SYS(lseek, 0, 11, LINUX_SEEK_DATA), -LINUX_ENXIO);
	/* readv and writev. */
	memcpy(BUFP + 100, "AB", 2);
	memcpy(BUFP + 200, "CDE", 3);
	uint64_t iov[4] = { BUF + 100, 2, BUF + 200, 3 };
	memcpy(BUFP, iov, sizeof(iov));
	assert_int_equal(SYS(pwritev, 0, BUF, 2, 0), 5);
	assert_int_equal(SYS(pread64, 0, BUF + 300, 11, 0), 11);
	assert_memory_equal(BUFP + 300, "ABCDE world", 11);
	assert_int_equal(SYS(lseek, 0, 1, SEEK_SET), 1);
	assert_int_equal(SYS(readv, 0, BUF, 2), 5);
	assert_memory_equal(BUFP + 100, "BC", 2);
	assert_memory_equal(BUFP + 200, "DE ", 3);
	iov[1] = (uint64_t)1 << 63;
	memcpy(BUFP, iov, sizeof(iov));
	assert_int_equal(SYS(readv, 0, BUF, 2), -LINUX_EINVAL);
	assert_int_equal(SYS(readv, 0, BUF, 2000), -LINUX_EINVAL);
	/* O_APPEND, truncation, the descriptor calls. */
	assert_int_equal(open_path("/tmp/f", O_WRONLY | O_APPEND, 0), 1);
	write_str(1, "!");
	assert_int_equal(SYS(fcntl, 1, F_GETFL), O_WRONLY | O_APPEND | LINUX_O_LARGEFILE);
	assert_int_equal(SYS(fcntl, 1, F_SETFL, O_NONBLOCK), 0);
	assert_int_equal(SYS(fcntl, 1, F_GETFL), O_WRONLY | O_NONBLOCK | LINUX_O_LARGEFILE);
	assert_int_equal(SYS(ftruncate, 1, 5), 0);
	assert_int_equal(SYS(pread64, 0, BUF, 100, 0), 5);
	assert_int_equal(SYS(ftruncate, 0, (uint64_t)-1), -LINUX_EINVAL);
	assert_int_equal(SYS(truncate, P1("/tmp/f"), 2), 0);
	assert_int_equal(SYS(dup2, 0, 10), 10);
	assert_int_equal(SYS(lseek, 10, 0, SEEK_CUR), SYS(lseek, 0, 0, SEEK_CUR));
	assert_int_equal(SYS(dup, 0), 2);
	assert_int_equal(SYS(fcntl, 0, F_DUPFD, 20), 20);
	assert_int_equal(SYS(fcntl, 0, F_DUPFD_CLOEXEC, 20), 21);
	assert_int_equal(SYS(fcntl, 21, F_GETFD), FD_CLOEXEC);
	assert_int_equal(SYS(fcntl, 20, F_GETFD), 0);
	assert_int_equal(SYS(fcntl, 20, F_SETFD, FD_CLOEXEC), 0);
	assert_int_equal(SYS(fcntl, 20, F_GETFD), FD_CLOEXEC);
	assert_int_equal(SYS(dup3, 0, 21, O_CLOEXEC), 21);
	assert_int_equal(SYS(dup3, 0, 0, 0), -LINUX_EINVAL);
	assert_int_equal(SYS(fcntl, 0, F_DUPFD, 64), -LINUX_EINVAL);
	assert_int_equal(SYS(fcntl, 0, 999), -LINUX_EINVAL);
	assert_int_equal(SYS(fcntl, 33, F_GETFD), -LINUX_EBADF);
	assert_int_equal(SYS(close_range, 20, 30, LINUX_CLOSE_RANGE_CLOEXEC), 0);
	assert_int_equal(SYS(close_range, 2, ~0u, 0), 0);
	assert_int_equal(SYS(close, 10), -LINUX_EBADF);
	assert_int_equal(SYS(close, 1), 0);
	assert_int_equal(SYS(close, 1), -LINUX_EBADF);
	assert_int_equal(SYS(read, 1, BUF, 1), -LINUX_EBADF);
	/* Directories and flags the core refuses. */
	assert_int_equal(open_path("/tmp", O_WRONLY, 0), -LINUX_EISDIR);
	assert_int_equal(open_path("/tmp/f", O_RDONLY | O_DIRECTORY, 0), -LINUX_ENOTDIR);
	assert_int_equal(open_path("/lnk", O_RDONLY | O_NOFOLLOW, 0), -LINUX_ELOOP);
	assert_int_equal(SYS(creat, P1("/tmp/g"), 0600), 1);
	assert_int_equal(SYS(read, 1, BUF, 1), -LINUX_EBADF);		/* write-only */
}

static void test_getdents64_layout(void **state)
{
	const char *want[] = { ".", "..", "a", "bbbbbbbbb" };
	unsigned char types[] = { DT_DIR, DT_DIR, DT_REG, DT_DIR };
	size_t pos = 0;
	long n;
	int fd;

	(void)state;
	assert_int_equal(SYS(mkdir, P1("/tmp/d"), 0777), 0);
	assert_int_equal(SYS(mkdir, P1("/tmp/d"), 0777), -LINUX_EEXIST);
	assert_int_equal(open_path("/tmp/d/a", O_CREAT | O_WRONLY, 0600), 0);
	assert_int_equal(SYS(mkdirat, AT, P1("/tmp/d/bbbbbbbbb"), 0700), 0);
	assert_int_equal(open_path("/tmp/d", O_RDONLY | O_DIRECTORY, 0), 1);
	fd = 1;
	/* A buffer too small for one record. */
	assert_int_equal(SYS(getdents64, (uint64_t)fd, BUF, 10), -LINUX_EINVAL);
	n = SYS(getdents64, (uint64_t)fd, BUF, 4096);
	assert_int_equal(n, 24 + 24 + 24 + 32);
	for (int i = 0; i < 4; i++) {
		struct linux_dirent64 d;

		memcpy(&d, BUFP + pos, sizeof(d));
		assert_int_equal(d.d_reclen, LINUX_DIRENT64_RECLEN(strlen(want[i])));
		assert_int_equal(d.d_reclen % 8, 0);
		assert_int_equal(d.d_type, types[i]);
		assert_string_equal((char *)BUFP + pos + 19, want[i]);
		assert_true(d.d_ino != 0);
		pos += d.d_reclen;
	}
	assert_int_equal(SYS(getdents64, (uint64_t)fd, BUF, 4096), 0);	/* the end */
	/* Two records' worth: the third is given back, and d_off resumes after each. */
	assert_int_equal(SYS(lseek, (uint64_t)fd, 0, SEEK_SET), 0);
	assert_int_equal(SYS(getdents64, (uint64_t)fd, BUF, 50), 48);
	assert_int_equal(SYS(getdents64, (uint64_t)fd, BUF, 50), 24);
	assert_string_equal((char *)BUFP + 19, "a");
	/* The old getdents: d_type in the last byte of each record. */
	assert_int_equal(SYS(lseek, (uint64_t)fd, 0, SEEK_SET), 0);
	n = SYS(getdents, (uint64_t)fd, BUF, 4096);
	assert_int_equal(n, 24 + 24 + 24 + 32);
	assert_string_equal((char *)BUFP + 18, ".");
	assert_int_equal(BUFP[23], DT_DIR);
	assert_int_equal(BUFP[72 + 31], DT_DIR);
	/* Not a directory; a bad buffer leaves the position as it was. */
	assert_int_equal(SYS(getdents64, 0, BUF, 4096), -LINUX_ENOTDIR);
	assert_int_equal(SYS(lseek, (uint64_t)fd, 0, SEEK_SET), 0);
	assert_int_equal(SYS(getdents64, (uint64_t)fd, BAD, 4096), -LINUX_EFAULT);
	assert_int_equal(SYS(getdents64, (uint64_t)fd, BUF, 4096), 104);
	/* Removing and renaming. */
	assert_int_equal(SYS(rmdir, P1("/tmp/d")), -LINUX_ENOTEMPTY);
	assert_int_equal(SYS(unlinkat, AT, P1("/tmp/d/bbbbbbbbb"), 0), -LINUX_EISDIR);
	assert_int_equal(SYS(unlinkat, AT, P1("/tmp/d/bbbbbbbbb"), AT_REMOVEDIR), 0);
	assert_int_equal(SYS(rename, P1("/tmp/d/a"), P2("/tmp/d/c")), 0);
	assert_int_equal(SYS(renameat2, AT, P1("/tmp/d/c"), AT, P2("/tmp/d/c"), 1), -LINUX_EEXIST);
	assert_int_equal(SYS(renameat2, AT, P1("/tmp/d/c"), AT, P2("/tmp/d/e"), 2), -LINUX_EINVAL);
	assert_int_equal(SYS(link, P1("/tmp/d/c"), P2("/tmp/d/h")), 0);
	assert_int_equal(SYS(symlink, P1("c"), P2("/tmp/d/s")), 0);
	assert_int_equal(SYS(readlinkat, AT, P1("/tmp/d/s"), BUF, 10), 1);
	assert_int_equal(SYS(unlink, P1("/tmp/d/c")), 0);
	assert_int_equal(open_path("/tmp/d/s", O_RDONLY, 0), -LINUX_ENOENT);	/* dangling */
	assert_int_equal(SYS(unlink, P1("/tmp/d/h")), 0);
	assert_int_equal(SYS(unlink, P1("/tmp/d/s")), 0);
	assert_int_equal(SYS(rmdir, P1("/tmp/d")), 0);
}

static void test_stat_fields(void **state)
{
	struct statx stx;
	struct stat st;

	(void)state;
	assert_int_equal(open_path("/tmp/s", O_CREAT | O_WRONLY, 0640), 0);
	write_str(0, "12345");
	assert_int_equal(SYS(fchmod, 0, 0604), 0);
	assert_int_equal(SYS(fchown, 0, 5, 6), 0);
	assert_int_equal(host_stat("/tmp/s", &st, 0), 0);
	assert_int_equal(st.st_mode, S_IFREG | 0604);
	assert_int_equal(st.st_uid, 5);
	assert_int_equal(st.st_gid, 6);
	assert_int_equal(st.st_size, 5);
	assert_int_equal(st.st_blocks, 8);
	/* fstatat(fd, "", AT_EMPTY_PATH) and stat agree. */
	assert_int_equal(SYS(newfstatat, 0, P1(""), BUF, AT_EMPTY_PATH), 0);
	assert_int_equal(((struct stat *)BUFP)->st_ino, st.st_ino);
	assert_int_equal(SYS(newfstatat, 0, P1(""), BUF, 0), -LINUX_ENOENT);
	assert_int_equal(SYS(newfstatat, AT, P1("/tmp/s"), BUF, 0x8000), -LINUX_EINVAL);
	assert_int_equal(SYS(stat, P1("/tmp/s"), BUF), 0);
	assert_int_equal(SYS(lstat, P1("/tmp/s"), BUF), 0);
	/* statx, against the host's layout. */
	assert_int_equal(SYS(statx, AT, P1("/tmp/s"), 0, STATX_BASIC_STATS, BUF), 0);
	memcpy(&stx, BUFP, sizeof(stx));
	assert_true((stx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS);
	assert_int_equal(stx.stx_mode, S_IFREG | 0604);
	assert_int_equal(stx.stx_ino, st.st_ino);
	assert_int_equal(stx.stx_size, 5);
	assert_int_equal(stx.stx_uid, 5);
	assert_int_equal(stx.stx_mtime.tv_sec, st.st_mtim.tv_sec);
	assert_int_equal(makedev(stx.stx_dev_major, stx.stx_dev_minor), st.st_dev);
	assert_int_equal(SYS(statx, AT, P1("/dev/zero"), 0, STATX_BASIC_STATS, BUF), 0);
	memcpy(&stx, BUFP, sizeof(stx));
	assert_int_equal(stx.stx_rdev_major, 1);
	assert_int_equal(stx.stx_rdev_minor, 5);
	/* Times, permissions and access. */
	struct linux_timespec ts[2] = { { 100, 5 }, { 200, LINUX_UTIME_OMIT } };
	memcpy(BUFP + 512, ts, sizeof(ts));
	assert_int_equal(SYS(utimensat, AT, P1("/tmp/s"), BUF + 512, 0), 0);
	assert_int_equal(host_stat("/tmp/s", &st, 0), 0);
	assert_int_equal(st.st_atim.tv_sec, 100);
	assert_int_equal(st.st_atim.tv_nsec, 5);
	assert_int_equal(st.st_mtim.tv_sec, 1700000000);
	ts[1].tv_nsec = 1000000000;
	memcpy(BUFP + 512, ts, sizeof(ts));
	assert_int_equal(SYS(utimensat, AT, P1("/tmp/s"), BUF + 512, 0), -LINUX_EINVAL);
	assert_int_equal(SYS(utimensat, 0, 0, 0, 0), 0);	/* futimens(fd, NULL) */
	assert_int_equal(SYS(access, P1("/tmp/s"), R_OK | W_OK), 0);	/* root */
	assert_int_equal(SYS(access, P1("/tmp/s"), 8), -LINUX_EINVAL);
	assert_int_equal(SYS(access, P1("/tmp/s"), X_OK), -LINUX_EACCES);
	assert_int_equal(SYS(chmod, P1("/tmp/s"), 0755), 0);
	assert_int_equal(SYS(faccessat, AT, P1("/tmp/s"), X_OK), 0);
	assert_int_equal(SYS(chown, P1("/tmp/s"), (uint32_t)-1, 0), 0);
	/* statfs: the root is a tmpfs, /proc is proc. */
	assert_int_equal(SYS(statfs, P1("/"), BUF), 0);
	assert_int_equal(((struct linux_statfs *)BUFP)->f_type, LINUX_TMPFS_MAGIC);
	assert_int_equal(SYS(statfs, P1("/proc/self"), BUF), 0);
	assert_int_equal(((struct linux_statfs *)BUFP)->f_type, LINUX_PROC_SUPER_MAGIC);
	assert_int_equal(SYS(fstatfs, 0, BUF), 0);
}

static void test_pipe_blocking(void **state)
{
	int32_t fds[2];

	(void)state;
	assert_int_equal(SYS(pipe2, BUF, 0), 0);
	memcpy(fds, BUFP, sizeof(fds));
	assert_int_equal(fds[0], 0);
	assert_int_equal(fds[1], 1);
	/* Empty with a writer: the reader parks on I/O, having taken nothing. */
	assert_int_equal(SYS(read, 0, BUF, 10), LX_BLOCK);
	assert_int_equal(blocks, 1);
	assert_int_equal(blocked_events, LX_EV_IO);
	/* A write wakes it, and the re-run gets the data. */
	write_str(1, "ping");
	assert_true(wakes > 0);
	assert_int_equal(SYS(read, 0, BUF, 10), 4);
	assert_memory_equal(BUFP, "ping", 4);
	/* With a signal waiting, a call that would block is interrupted instead. */
	signal_waiting = true;
	assert_int_equal(SYS(read, 0, BUF, 10), -LINUX_EINTR);
	signal_waiting = false;
	/* A big write takes what fits; the next one parks. */
	assert_int_equal(SYS(write, 1, BUF, 100000), 65536);
	assert_int_equal(SYS(write, 1, BUF, 1), LX_BLOCK);
	assert_int_equal(SYS(fcntl, 1, F_SETFL, O_NONBLOCK), 0);
	assert_int_equal(SYS(write, 1, BUF, 1), -LINUX_EAGAIN);
	assert_int_equal(SYS(ioctl, 0, LINUX_FIONREAD, BUF), 0);
	assert_int_equal(*(int32_t *)BUFP, 65536);
	assert_int_equal(SYS(lseek, 0, 0, SEEK_CUR), -LINUX_ESPIPE);
	assert_int_equal(SYS(pread64, 0, BUF, 1, 0), -LINUX_ESPIPE);
	assert_int_equal(SYS(fcntl, 0, F_GETPIPE_SZ), 65536);
	/* fstat says FIFO. */
	assert_int_equal(SYS(fstat, 0, BUF), 0);
	assert_true(S_ISFIFO(((struct stat *)BUFP)->st_mode));
	/* Readers see the end once the writer is closed. */
	assert_int_equal(SYS(close, 1), 0);
	assert_int_equal(SYS(read, 0, BUF, 65536), 65536);
	assert_int_equal(SYS(read, 0, BUF, 10), 0);
	assert_int_equal(SYS(close, 0), 0);
	/* A writer without readers: EPIPE and SIGPIPE. */
	assert_int_equal(SYS(pipe, BUF), 0);
	assert_int_equal(SYS(close, 0), 0);
	assert_int_equal(SYS(write, 1, BUF, 3), -LINUX_EPIPE);
	assert_int_equal(sigpipes, 1);
	assert_int_equal(SYS(close, 1), 0);
	assert_int_equal(SYS(pipe2, BUF, 0x12345), -LINUX_EINVAL);
	/* writev gathers into one write: atomic for a pipe. */
	assert_int_equal(SYS(pipe2, BUF, O_CLOEXEC), 0);
	assert_int_equal(SYS(fcntl, 0, F_GETFD), FD_CLOEXEC);
	memcpy(BUFP + 100, "ab", 2);
	memcpy(BUFP + 200, "cd", 2);
	uint64_t iov[4] = { BUF + 100, 2, BUF + 200, 2 };
	memcpy(BUFP + 300, iov, sizeof(iov));
	assert_int_equal(SYS(writev, 1, BUF + 300, 2), 4);
	iov[0] = BUF + 400;
	iov[1] = 1;
	iov[2] = BUF + 500;
	iov[3] = 9;
	memcpy(BUFP + 300, iov, sizeof(iov));
	assert_int_equal(SYS(readv, 0, BUF + 300, 2), 4);
	assert_memory_equal(BUFP + 400, "a", 1);
	assert_memory_equal(BUFP + 500, "bcd", 3);
	/* sendfile from a file into the pipe. */
	assert_int_equal(open_path("/etc/passwd", O_RDONLY, 0), 2);
	*(int64_t *)BUFP = 5;
	assert_int_equal(SYS(sendfile, 1, 2, BUF, 4), 4);
	assert_int_equal(*(int64_t *)BUFP, 9);
	assert_int_equal(SYS(lseek, 2, 0, SEEK_CUR), 0);
	assert_int_equal(SYS(sendfile, 1, 2, 0, 5), 5);
	assert_int_equal(SYS(lseek, 2, 0, SEEK_CUR), 5);
	assert_int_equal(SYS(read, 0, BUF, 20), 9);
	assert_memory_equal(BUFP, "x:0:root:", 9);
	assert_int_equal(SYS(sendfile, 2, 0, 0, 5), -LINUX_EBADF);	/* out read-only */
	assert_int_equal(SYS(sendfile, 1, 0, 0, 5), -LINUX_EINVAL);	/* in a pipe */
}

static void test_efault(void **state)
{
	(void)state;
	assert_int_equal(SYS(openat, AT, BAD, O_RDONLY, 0), -LINUX_EFAULT);
	umem[USIZE - 1] = 'x';
	assert_int_equal(SYS(open, U(USIZE - 1), O_RDONLY, 0), -LINUX_EFAULT);	/* no NUL */
	assert_int_equal(open_path("/etc/passwd", O_RDONLY, 0), 0);
	assert_int_equal(SYS(read, 0, BAD, 10), -LINUX_EFAULT);
	assert_int_equal(SYS(lseek, 0, 0, SEEK_CUR), 0);	/* the offset was given back */
	assert_int_equal(SYS(read, 0, U(USIZE - 4), 10), -LINUX_EFAULT);
	assert_int_equal(SYS(fstat, 0, BAD), -LINUX_EFAULT);
	assert_int_equal(SYS(newfstatat, AT, P1("/"), BAD, 0), -LINUX_EFAULT);
	assert_int_equal(SYS(getcwd, BAD, 100), -LINUX_EFAULT);
	assert_int_equal(SYS(readv, 0, BAD, 1), -LINUX_EFAULT);
	assert_int_equal(open_path("/tmp/ef", O_CREAT | O_WRONLY, 0600), 1);
	assert_int_equal(SYS(write, 1, BAD, 10), -LINUX_EFAULT);
	assert_int_equal(SYS(pipe2, BAD, 0), -LINUX_EFAULT);
	/* The failed pipe2 left no descriptors behind. */
	assert_int_equal(SYS(dup, 0), 2);
	assert_int_equal(SYS(ioctl, 0, LINUX_FIONBIO, BAD), -LINUX_EFAULT);
	assert_int_equal(SYS(utimensat, AT, P1("/tmp/ef"), BAD, 0), -LINUX_EFAULT);
}

static void test_cwd_umask_chroot(void **state)
{
	(void)state;
	assert_int_equal(SYS(getcwd, BUF, 100), 2);
	assert_string_equal((char *)BUFP, "/");
	assert_int_equal(SYS(mkdir, P1("/tmp/w"), 0755), 0);
	assert_int_equal(SYS(chdir, P1("/tmp/w")), 0);
	assert_int_equal(SYS(getcwd, BUF, 100), 7);
	assert_string_equal((char *)BUFP, "/tmp/w");
	assert_int_equal(SYS(getcwd, BUF, 3), -LINUX_ERANGE);
	assert_int_equal(SYS(chdir, P1("/etc/passwd")), -LINUX_ENOTDIR);
	/* Relative paths and *at directories start where they should. */
	assert_int_equal(open_path("rel", O_CREAT | O_WRONLY, 0777), 0);
	assert_int_equal(SYS(umask, 0), 022);
	assert_int_equal(SYS(umask, 077), 0);
	assert_int_equal(open_path("/", O_RDONLY | O_DIRECTORY, 0), 1);
	assert_int_equal(SYS(openat, 1, P1("tmp/w/rel"), O_RDONLY, 0), 2);
	assert_int_equal(SYS(openat, 2, P1("x"), O_RDONLY, 0), -LINUX_ENOTDIR);
	assert_int_equal(SYS(openat, 99, P1("x"), O_RDONLY, 0), -LINUX_EBADF);
	assert_int_equal(SYS(fstat, 2, BUF), 0);
	assert_int_equal(((struct stat *)BUFP)->st_mode, S_IFREG | 0755);
	assert_int_equal(SYS(fchdir, 1), 0);
	assert_int_equal(SYS(getcwd, BUF, 100), 2);
	assert_int_equal(SYS(fchdir, 2), -LINUX_ENOTDIR);
	assert_int_equal(SYS(mknod, P1("/tmp/w/fifo"), S_IFIFO | 0666, 0), 0);
	assert_int_equal(host_stat_mode("/tmp/w/fifo"), S_IFIFO | 0600);
	assert_int_equal(SYS(mknod, P1("/tmp/w/d"), S_IFDIR | 0777, 0), -LINUX_EPERM);
	/* chroot: only root; then "/" is the new root. */
	thr1.proc->cred.uid = 1000;
	assert_int_equal(SYS(chroot, P1("/tmp/w")), -LINUX_EPERM);
	thr1.proc->cred.uid = 0;
	assert_int_equal(SYS(chroot, P1("/tmp/w")), 0);
	assert_int_equal(open_path("/rel", O_RDONLY, 0), 3);
	assert_int_equal(open_path("/../../etc/passwd", O_RDONLY, 0), -LINUX_ENOENT);
}

static void test_ioctl_and_devices(void **state)
{
	(void)state;
	assert_int_equal(open_path("/etc/passwd", O_RDONLY, 0), 0);
	assert_int_equal(SYS(ioctl, 0, LINUX_TCGETS, BUF), -LINUX_ENOTTY);
	*(int32_t *)BUFP = 1;
	assert_int_equal(SYS(ioctl, 0, LINUX_FIONBIO, BUF), 0);
	assert_int_equal(SYS(fcntl, 0, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	assert_int_equal(SYS(ioctl, 0, LINUX_FIOCLEX), 0);
	assert_int_equal(SYS(fcntl, 0, F_GETFD), FD_CLOEXEC);
	assert_int_equal(SYS(ioctl, 0, LINUX_FIONCLEX), 0);
	assert_int_equal(SYS(fcntl, 0, F_GETFD), 0);
	assert_int_equal(SYS(ioctl, 9, LINUX_TCGETS, BUF), -LINUX_EBADF);
	assert_int_equal(SYS(read, 0, BUF, (uint64_t)-1), -LINUX_EINVAL);
	assert_int_equal(open_path("/etc", O_PATH, 0), 1);
	assert_int_equal(SYS(ioctl, 1, LINUX_FIOCLEX), -LINUX_EBADF);
	assert_int_equal(SYS(getdents64, 1, BUF, 4096), -LINUX_EBADF);
	assert_int_equal(SYS(read, 1, BUF, 1), -LINUX_EBADF);
	assert_int_equal(SYS(fstat, 1, BUF), 0);
	assert_int_equal(SYS(fchdir, 1), 0);
	assert_int_equal(SYS(close, 1), 0);
	/* A terminal: its driver gets the ioctls, reads and writes. */
	assert_int_equal(open_path("/dev/ttyS0", O_RDWR, 0), 1);
	assert_int_equal(SYS(ioctl, 1, LINUX_TCGETS, BUF), 0);
	assert_int_equal(tty_ioctls, 1);
	write_str(1, "hi\n");
	assert_string_equal(tty_out, "hi\n");
	assert_int_equal(SYS(read, 1, BUF, 10), LX_BLOCK);
	assert_int_equal(SYS(lseek, 1, 0, SEEK_SET), -LINUX_ESPIPE);
	/* The memory devices. */
	assert_int_equal(open_path("/dev/null", O_RDWR, 0), 2);
	assert_int_equal(SYS(read, 2, BUF, 10), 0);
	assert_int_equal(SYS(write, 2, BUF, 10), 10);
	assert_int_equal(open_path("/dev/zero", O_RDONLY, 0), 3);
	memset(BUFP, 0xaa, 16);
	assert_int_equal(SYS(read, 3, BUF, 16), 16);
	for (int i = 0; i < 16; i++)
		assert_int_equal(BUFP[i], 0);
	assert_int_equal(open_path("/dev/full", O_WRONLY, 0), 4);
	assert_int_equal(SYS(write, 4, BUF, 1), -LINUX_ENOSPC);
	assert_int_equal(open_path("/dev/urandom", O_RDONLY, 0), 5);
	assert_int_equal(SYS(read, 5, BUF, 32), 32);
	assert_int_equal(SYS(read, 5, BUF + 32, 32), 32);
	assert_memory_not_equal(BUFP, BUFP + 32, 32);
	/* /dev/stdin is a link into /proc/self/fd. */
	assert_int_equal(SYS(readlink, P1("/dev/stdin"), BUF, 100), 15);
	assert_memory_equal(BUFP, "/proc/self/fd/0", 15);
	assert_int_equal(open_path("/dev/nothing", O_RDONLY, 0), -LINUX_ENOENT);
}

/* The host's errno for each core code, by name: an independent table. */
static const int host_errno[U_NERR] = {
#define HOST_ERRNO(name) [U_##name] = name,
	UERR_LIST(HOST_ERRNO)
#undef HOST_ERRNO
};

static void test_errno_mapping(void **state)
{
	(void)state;
	for (int e = 1; e < U_NERR; e++) {
		assert_true(host_errno[e] > 0);
		if (lx_err(-e) != -host_errno[e])
			fail_msg("%s: %ld, want %d", uerr_name(e), lx_err(-e), -host_errno[e]);
	}
	assert_int_equal(lx_err(7), 7);
	assert_int_equal(lx_err(0), 0);
	assert_int_equal(lx_err(LX_BLOCK), LX_BLOCK);
	assert_int_equal(lx_err(-U_NERR), -LINUX_EIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cpio_root, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_read_write_lseek, setup, teardown),
		cmocka_unit_test_setup_teardown(test_getdents64_layout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stat_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipe_blocking, setup, teardown),
		cmocka_unit_test_setup_teardown(test_efault, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cwd_umask_chroot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ioctl_and_devices, setup, teardown),
		cmocka_unit_test(test_errno_mapping),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
