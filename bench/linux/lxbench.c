/*
 * lxbench [BUSYBOX [CASE...]]: the Linux benchmarks of `make bench`, raw system calls, no
 * C library (tests/linux/guests/sys.h). Each case runs warm-up iterations, then times N
 * operations with rdtsc and prints
 *	BENCH <case> <rdtsc ticks per operation>
 * Under QEMU's -icount shift=0 a tick is one guest instruction (every process's and the
 * kernel's), so the same binary gives comparable figures on the Linux personality and on
 * Debian's kernel in the same QEMU (bench/README.md). Natively the ticks are cycles.
 * BUSYBOX (default /bin/busybox) is the program fork-exec execs as `busybox true`.
 * With CASE arguments only those run. A case that fails prints "BENCH-ERROR <case> <why>".
 */
#include "sys.h"

static const char *busybox = "/bin/busybox";
static char *null_env[] = { 0 };
static int errors;

static void report(const char *name, uint64_t ticks, long n)
{
	pr("BENCH %s %lu\n", name, (unsigned long)((ticks + (uint64_t)n / 2) / (uint64_t)n));
}

static void error(const char *name, const char *why, long r)
{
	pr("BENCH-ERROR %s %s (%ld)\n", name, why, r);
	errors++;
}

/* Times `body` N times after W warm-up runs; body returns < 0 to stop with an error. */
#define TIMED(name, W, N, body) do {						\
	long _r = 0;								\
	for (long _i = 0; _i < (W) && _r >= 0; _i++)				\
		_r = (body);							\
	uint64_t _t0 = rdtsc();							\
	for (long _i = 0; _i < (N) && _r >= 0; _i++)				\
		_r = (body);							\
	uint64_t _t1 = rdtsc();							\
	if (_r < 0)								\
		error(name, #body, _r);						\
	else									\
		report(name, _t1 - _t0, (N));					\
} while (0)

/* An empty operation the compiler cannot remove: the timing loop's own cost. */
static long op_nothing(void)
{
	__asm__ volatile("");
	return 0;
}

static long op_getpid(void)
{
	return sys_getpid();
}

static int devnull = -1;

static long op_write_null(void)
{
	long r = sys_write(devnull, "x", 1);

	return r == 1 ? 0 : (r < 0 ? r : -1);
}

/* Pipe round trip: one byte to the child, one back. */
static int to_child[2], from_child[2];

static long op_pipe_rt(void)
{
	char c = 'p';
	long r = sys_write(to_child[1], &c, 1);

	if (r != 1)
		return r < 0 ? r : -1;
	r = sys_read(from_child[0], &c, 1);
	return r == 1 ? 0 : (r < 0 ? r : -1);
}

static void case_pipe(void)
{
	long pid;
	int status;

	if (sys_pipe(to_child) < 0 || sys_pipe(from_child) < 0) {
		error("pipe-roundtrip", "pipe", -1);
		return;
	}
	pid = sys_fork();
	if (pid == 0) {
		char c;

		sys_close(to_child[1]);
		sys_close(from_child[0]);
		while (sys_read(to_child[0], &c, 1) == 1)
			if (sys_write(from_child[1], &c, 1) != 1)
				break;
		sys_exit(0);
	}
	sys_close(to_child[0]);
	sys_close(from_child[1]);
	TIMED("pipe-roundtrip", 100, 2000, op_pipe_rt());
	/* The child's read sees end of file. */
	sys_close(to_child[1]);
	sys_wait4(pid, &status, 0);
	sys_close(from_child[0]);
}

static long wait_ok(long pid)
{
	int status = 0;
	long r;

	if (pid < 0)
		return pid;
	r = sys_wait4(pid, &status, 0);
	if (r != pid)
		return r < 0 ? r : -1;
	return WIFEXITED_(status) && WEXITSTATUS_(status) == 0 ? 0 : -1000 - status;
}

static long op_fork_exit(void)
{
	long pid = sys_fork();

	if (pid == 0)
		sys_exit(0);
	return wait_ok(pid);
}

static long op_fork_exec(void)
{
	long pid = sys_fork();

	if (pid == 0) {
		char *argv[] = { "true", 0 };

		sys_execve(busybox, argv, null_env);
		sys_exit(127);
	}
	return wait_ok(pid);
}

static char block[4096];

static long op_file(void)
{
	static const char path[] = "/tmp/lxbench.tmp";
	long fd = sys_open(path, LINUX_O_WRONLY | LINUX_O_CREAT | LINUX_O_TRUNC, 0644);
	long r;

	if (fd < 0)
		return fd;
	r = sys_write((int)fd, block, sizeof(block));
	sys_close((int)fd);
	if (r != sizeof(block))
		return r < 0 ? r : -1;
	return sys_unlink(path);
}

static long op_mmap(void)
{
	const size_t len = 1 << 20;
	char *p = sys_mmap(0, len, LINUX_PROT_READ | LINUX_PROT_WRITE,
			   LINUX_MAP_PRIVATE | LINUX_MAP_ANONYMOUS, -1, 0);

	if (mmap_err(p))
		return mmap_err(p);
	for (size_t off = 0; off < len; off += 4096)
		((volatile char *)p)[off] = 1;
	return sys_munmap(p, len);
}

/* sched_yield between two processes: the child yields forever; one operation is one
   yield of the parent, which (on one processor) runs the child's yield in between. */
static void case_yield(void)
{
	long pid = sys_fork();
	int status;

	if (pid == 0) {
		for (;;)
			sys_sched_yield();
	}
	if (pid < 0) {
		error("sched-yield-pingpong", "fork", pid);
		return;
	}
	TIMED("sched-yield-pingpong", 100, 2000, sys_sched_yield());
	sys_kill(pid, LINUX_SIGKILL);
	sys_wait4(pid, &status, 0);
}

static int wanted(int argc, char **argv, const char *name)
{
	if (argc <= 2)
		return 1;
	for (int i = 2; i < argc; i++)
		if (str_eq(argv[i], name))
			return 1;
	return 0;
}

int main(int argc, char **argv, char **envp)
{
	(void)envp;
	if (argc > 1)
		busybox = argv[1];
	if (wanted(argc, argv, "loop-overhead"))
		TIMED("loop-overhead", 100, 10000, op_nothing());
	if (wanted(argc, argv, "getpid"))
		TIMED("getpid", 100, 10000, op_getpid());
	if (wanted(argc, argv, "write-devnull")) {
		devnull = (int)sys_open("/dev/null", LINUX_O_WRONLY, 0);
		if (devnull < 0)
			error("write-devnull", "open /dev/null", devnull);
		else
			TIMED("write-devnull", 100, 10000, op_write_null());
		sys_close(devnull);
	}
	if (wanted(argc, argv, "pipe-roundtrip"))
		case_pipe();
	if (wanted(argc, argv, "fork-exit-wait"))
		TIMED("fork-exit-wait", 5, 100, op_fork_exit());
	if (wanted(argc, argv, "fork-exec-wait"))
		TIMED("fork-exec-wait", 3, 30, op_fork_exec());
	if (wanted(argc, argv, "file-4k"))
		TIMED("file-4k", 20, 500, op_file());
	if (wanted(argc, argv, "mmap-1mib"))
		TIMED("mmap-1mib", 3, 50, op_mmap());
	if (wanted(argc, argv, "sched-yield-pingpong"))
		case_yield();
	return errors ? 1 : 0;
}
