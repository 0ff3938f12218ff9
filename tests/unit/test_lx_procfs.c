/*
 * Unit tests of the Linux personality's /proc (personalities/linux/procfs.c,
 * procfs_text.c) through the system calls: /proc/self and exe links, the listing of
 * pids, /proc/<pid>/stat in the format busybox ps parses, status, cmdline, fd links,
 * cwd, mounts, and nodes that outlive their process.
 */
#include "lx_fs_fixture.h"

/* Opens path, reads it all into BUFP and closes it: the length. */
static long slurp(const char *path)
{
	long fd = open_path(path, O_RDONLY, 0), n;

	assert_true(fd >= 0);
	n = read_all((int)fd);
	assert_int_equal(SYS(close, (uint64_t)fd), 0);
	return n;
}

static void test_self_and_exe(void **state)
{
	(void)state;
	assert_int_equal(SYS(readlink, P1("/proc/self"), BUF, 100), 1);
	assert_memory_equal(BUFP, "1", 1);
	lx_current = &thr42;
	assert_int_equal(SYS(readlink, P1("/proc/self"), BUF, 100), 2);
	assert_memory_equal(BUFP, "42", 2);
	/* busybox's re-exec path: /proc/self/exe resolves to the program. */
	assert_int_equal(SYS(readlink, P1("/proc/self/exe"), BUF, 100), 12);
	assert_memory_equal(BUFP, "/bin/busybox", 12);
	assert_int_equal(SYS(newfstatat, AT, P1("/proc/self/exe"), BUF, 0), 0);
	assert_int_equal(((struct stat *)BUFP)->st_mode, S_IFREG | 0755);
	lx_current = &thr1;
	/* Process 1 recorded no program. */
	assert_int_equal(SYS(readlink, P1("/proc/1/exe"), BUF, 100), -LINUX_ENOENT);
	assert_int_equal(SYS(readlink, P1("/proc/1/root"), BUF, 100), 1);
	/* /proc itself is read-only. */
	assert_int_equal(open_path("/proc/new", O_CREAT | O_WRONLY, 0644), -LINUX_EROFS);
	assert_int_equal(SYS(mkdir, P1("/proc/1/x"), 0755), -LINUX_EROFS);
	proc1.cred.uid = 1000;
	assert_int_equal(open_path("/proc/1/stat", O_WRONLY, 0), -LINUX_EACCES);
	proc1.cred.uid = 0;
	assert_int_equal(open_path("/proc/1/stat", O_WRONLY, 0), 0);	/* root may open... */
	assert_int_equal(SYS(write, 0, BUF, 1), -LINUX_EINVAL);		/* ...but not write */
	assert_int_equal(open_path("/proc/99", O_RDONLY, 0), -LINUX_ENOENT);
	assert_int_equal(open_path("/proc/042", O_RDONLY, 0), -LINUX_ENOENT);
}

static void test_listing(void **state)
{
	bool seen1 = false, seen42 = false, self = false;
	long n, pos = 0;

	(void)state;
	assert_int_equal(open_path("/proc", O_RDONLY | O_DIRECTORY, 0), 0);
	n = SYS(getdents64, 0, BUF, 4096);
	assert_true(n > 0);
	while (pos < n) {
		struct linux_dirent64 d;
		const char *name = (const char *)BUFP + pos + 19;

		memcpy(&d, BUFP + pos, sizeof(d));
		if (strcmp(name, "1") == 0)
			seen1 = d.d_type == DT_DIR;
		if (strcmp(name, "42") == 0)
			seen42 = d.d_type == DT_DIR;
		if (strcmp(name, "self") == 0)
			self = d.d_type == DT_LNK;
		pos += d.d_reclen;
	}
	assert_true(seen1 && seen42 && self);
	assert_int_equal(SYS(getdents64, 0, BUF, 4096), 0);
	/* ps takes the owner from stat of /proc/<pid>. */
	assert_int_equal(SYS(newfstatat, AT, P1("/proc/42"), BUF, 0), 0);
	assert_int_equal(((struct stat *)BUFP)->st_uid, 1000);
	assert_int_equal(((struct stat *)BUFP)->st_mode, S_IFDIR | 0555);
	/* A pid directory lists its files. */
	assert_int_equal(open_path("/proc/42", O_RDONLY | O_DIRECTORY, 0), 1);
	n = SYS(getdents64, 1, BUF, 4096);
	assert_true(n > 0);
	assert_non_null(memmem(BUFP, (size_t)n, "cmdline", 8));
	assert_non_null(memmem(BUFP, (size_t)n, "exe", 4));
	/* getcwd inside /proc finds its way back. */
	assert_int_equal(SYS(chdir, P1("/proc/42/fd")), 0);
	assert_int_equal(SYS(getcwd, BUF, 100), 12);
	assert_string_equal((char *)BUFP, "/proc/42/fd");
	assert_int_equal(SYS(chdir, P1("..")), 0);
	assert_int_equal(SYS(getcwd, BUF, 100), 9);
	assert_string_equal((char *)BUFP, "/proc/42");
}

static void test_stat_format(void **state)
{
	char comm[32], st;
	int pid, ppid, pgrp, sid, tty, tpgid, threads;
	unsigned long long start, ign, catch, utime = 0, stime = 0, cutime = 0, cstime = 0;
	long n;

	(void)state;
	n = slurp("/proc/42/stat");
	assert_true(n > 0 && BUFP[n - 1] == '\n');
	/* The fields ps reads: pid (comm) state ppid pgrp session tty_nr tpgid ... */
	assert_int_equal(sscanf((char *)BUFP, "%d (%31[^)]) %c %d %d %d %d %d", &pid, comm, &st,
				&ppid, &pgrp, &sid, &tty, &tpgid), 8);
	assert_int_equal(pid, 42);
	assert_string_equal(comm, "busybox");
	assert_int_equal(st, 'S');		/* its only thread is parked */
	assert_int_equal(ppid, 1);
	assert_int_equal(pgrp, 42);
	assert_int_equal(sid, 1);
	assert_int_equal(tty, 0);
	assert_int_equal(tpgid, -1);
	/* 52 fields in all; utime, stime, cutime and cstime 14th to 17th, num_threads
	   20th, starttime 22nd (clock ticks), sigignore
	   and sigcatch 34th and 35th. */
	{
		char *p = strrchr((char *)BUFP, ')') + 2, *tok;
		int field = 3;

		for (tok = strtok(p, " \n"); tok; tok = strtok(NULL, " \n"), field++) {
			if (field == 14)
				utime = strtoull(tok, NULL, 10);
			if (field == 15)
				stime = strtoull(tok, NULL, 10);
			if (field == 16)
				cutime = strtoull(tok, NULL, 10);
			if (field == 17)
				cstime = strtoull(tok, NULL, 10);
			if (field == 20)
				threads = atoi(tok);
			if (field == 22)
				start = strtoull(tok, NULL, 10);
			if (field == 33)
				ign = strtoull(tok, NULL, 10);
			if (field == 34)
				catch = strtoull(tok, NULL, 10);
		}
		assert_int_equal(field - 1, 52);
	}
	assert_int_equal(threads, 1);
	/* CPU times in clock ticks (the fixture's 1.5 s and 0.25 s; reaped children's). */
	assert_int_equal(utime, 150);
	assert_int_equal(stime, 25);
	assert_int_equal(cutime, 7);
	assert_int_equal(cstime, 3);
	assert_int_equal(start, 200);		/* 2 s after boot, at 100 Hz */
	assert_int_equal(ign, 1ull << (LINUX_SIGINT - 1));
	assert_int_equal(catch, 1ull << (LINUX_SIGCHLD - 1));
	/* The one asking is running; a stopped or zombie process says so. */
	slurp("/proc/1/stat");
	assert_non_null(strstr((char *)BUFP, "1 () R 0 1 1"));
	proc42.state = LX_ZOMBIE;
	slurp("/proc/42/stat");
	assert_non_null(strstr((char *)BUFP, ") Z 1 "));
	assert_int_equal(slurp("/proc/42/cmdline"), 0);	/* a zombie has no argv */
	proc42.state = LX_RUNNING;
}

static void test_status_cmdline_comm(void **state)
{
	long n;

	(void)state;
	n = slurp("/proc/42/status");
	assert_true(n > 0);
	assert_non_null(strstr((char *)BUFP, "Name:\tbusybox\n"));
	assert_non_null(strstr((char *)BUFP, "State:\tS (sleeping)\n"));
	assert_non_null(strstr((char *)BUFP, "Pid:\t42\n"));
	assert_non_null(strstr((char *)BUFP, "PPid:\t1\n"));
	assert_non_null(strstr((char *)BUFP, "Uid:\t1000\t1000\t1000\t1000\n"));
	assert_non_null(strstr((char *)BUFP, "Umask:\t0077\n"));
	assert_non_null(strstr((char *)BUFP, "SigCgt:\t0000000000010000\n"));
	assert_int_equal(slurp("/proc/42/cmdline"), 9);
	assert_memory_equal(BUFP, "sh\0-c\0ps\0", 9);
	assert_int_equal(slurp("/proc/42/comm"), 8);
	assert_string_equal((char *)BUFP, "busybox\n");
	/* Reading in small pieces gives the same bytes. */
	assert_int_equal(open_path("/proc/42/cmdline", O_RDONLY, 0), 0);
	assert_int_equal(SYS(read, 0, BUF, 4), 4);
	assert_int_equal(SYS(read, 0, BUF + 4, 100), 5);
	assert_memory_equal(BUFP, "sh\0-c\0ps\0", 9);
	assert_int_equal(SYS(read, 0, BUF, 100), 0);
	/* The global files. */
	assert_true(slurp("/proc/uptime") > 0);
	assert_string_equal((char *)BUFP, "12.34 0.00\n");
	assert_true(slurp("/proc/meminfo") > 0);
	assert_non_null(strstr((char *)BUFP, "MemTotal:"));
	assert_true(slurp("/proc/version") > 0);
	assert_memory_equal(BUFP, "Linux version ", 14);
	assert_true(slurp("/proc/cpuinfo") > 0);
	assert_non_null(strstr((char *)BUFP, "processor\t: 0\n"));
	assert_true(slurp("/proc/mounts") > 0);
	assert_non_null(strstr((char *)BUFP, "rootfs / tmpfs rw 0 0\n"));
	assert_non_null(strstr((char *)BUFP, "tmpfs /dev tmpfs rw 0 0\n"));
	assert_non_null(strstr((char *)BUFP, "proc /proc proc rw,nosuid,nodev,noexec 0 0\n"));
	assert_true(slurp("/proc/loadavg") > 0);
	assert_string_equal((char *)BUFP, "0.00 0.00 0.00 1/2 42\n");
}

static void test_fd_links(void **state)
{
	long n, pos = 0;
	int fds = 0;

	(void)state;
	assert_int_equal(open_path("/etc/passwd", O_RDONLY, 0), 0);
	assert_int_equal(SYS(pipe2, BUF, 0), 0);
	assert_int_equal(open_path("/dev/null", O_RDONLY, 0), 3);
	assert_int_equal(open_path("/tmp", O_RDONLY, 0), 4);
	assert_int_equal(SYS(readlink, P1("/proc/self/fd/0"), BUF, 100), 11);
	assert_memory_equal(BUFP, "/etc/passwd", 11);
	n = SYS(readlink, P1("/proc/self/fd/1"), BUF, 100);
	assert_true(n > 7);
	assert_memory_equal(BUFP, "pipe:[", 6);
	assert_int_equal(SYS(readlink, P1("/proc/1/fd/3"), BUF, 100), 9);
	assert_memory_equal(BUFP, "/dev/null", 9);
	assert_int_equal(SYS(readlink, P1("/proc/1/fd/4"), BUF, 100), 4);
	assert_memory_equal(BUFP, "/tmp", 4);
	assert_int_equal(SYS(readlink, P1("/proc/1/fd/5"), BUF, 100), -LINUX_ENOENT);
	/* Through the link, /proc/self/fd/0 opens the file it names. */
	assert_int_equal(open_path("/dev/stdin", O_RDONLY, 0), 5);
	assert_int_equal(read_all(5), 26);
	/* The fd directory lists exactly the open descriptors. */
	assert_int_equal(open_path("/proc/self/fd", O_RDONLY | O_DIRECTORY, 0), 6);
	n = SYS(getdents64, 6, BUF, 4096);
	while (pos < n) {
		struct linux_dirent64 d;

		memcpy(&d, BUFP + pos, sizeof(d));
		if (d.d_type == DT_LNK)
			fds++;
		pos += d.d_reclen;
	}
	assert_int_equal(fds, 7);
	/* cwd follows chdir. */
	assert_int_equal(SYS(chdir, P1("/tmp")), 0);
	assert_int_equal(SYS(readlink, P1("/proc/self/cwd"), BUF, 100), 4);
	assert_memory_equal(BUFP, "/tmp", 4);
}

static void test_node_outlives_process(void **state)
{
	(void)state;
	assert_int_equal(open_path("/proc/42/status", O_RDONLY, 0), 0);
	assert_int_equal(open_path("/proc/42", O_RDONLY | O_DIRECTORY, 0), 1);
	proc1.next = NULL;		/* 42 is gone */
	assert_int_equal(SYS(read, 0, BUF, 100), -LINUX_ENOENT);
	assert_int_equal(SYS(getdents64, 1, BUF, 4096), -LINUX_ENOENT);
	assert_int_equal(SYS(fstat, 1, BUF), 0);
	assert_int_equal(open_path("/proc/42/stat", O_RDONLY, 0), -LINUX_ENOENT);
	proc1.next = &proc42;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_self_and_exe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_listing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stat_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_cmdline_comm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fd_links, setup, teardown),
		cmocka_unit_test_setup_teardown(test_node_outlives_process, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
