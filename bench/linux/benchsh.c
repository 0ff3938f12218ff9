/*
 * benchsh BUSYBOX SCRIPT [RUNS]: the shell-script benchmark's timer. Runs
 * `BUSYBOX sh SCRIPT` once to warm up, then RUNS times (default 3) under rdtsc, each
 * with fork + execve + wait4, and prints "BENCH shell-script <ticks per run>" (guest
 * instructions under icount; bench/README.md). The script's own output goes to
 * /dev/null; a run that does not exit 0 prints BENCH-ERROR and the status.
 */
#include "sys.h"

static long run(char *busybox, char *script, char **envp)
{
	long pid = sys_fork();
	int status = 0;

	if (pid == 0) {
		char *argv[] = { "sh", script, 0 };
		long fd = sys_open("/dev/null", LINUX_O_WRONLY, 0);

		if (fd >= 0) {
			sc2(SYS(dup2), fd, 1);
			sc2(SYS(dup2), fd, 2);
		}
		sys_execve(busybox, argv, envp);
		sys_exit(127);
	}
	if (pid < 0)
		return pid;
	if (sys_wait4(pid, &status, 0) != pid)
		return -1;
	return status;
}

int main(int argc, char **argv, char **envp)
{
	long runs, st;
	uint64_t t0, t1;

	if (argc < 3) {
		pr("usage: benchsh BUSYBOX SCRIPT [RUNS]\n");
		return 2;
	}
	runs = arg_num(argc > 3 ? argv[3] : 0, 3);
	if (runs < 1)
		runs = 1;
	st = run(argv[1], argv[2], envp);
	t0 = rdtsc();
	for (long i = 0; i < runs && st == 0; i++)
		st = run(argv[1], argv[2], envp);
	t1 = rdtsc();
	if (st != 0) {
		pr("BENCH-ERROR shell-script status %ld\n", st);
		return 1;
	}
	pr("BENCH shell-script %lu\n", (unsigned long)((t1 - t0) / (uint64_t)runs));
	return 0;
}
