/*
 * vfork: the parent of a vfork waits until its child has exited or execed, as on Linux.
 * One line per case, "ok" or "FAILED (why)"; exit 0 only if all passed.
 *   vfork-exit   the child sleeps 100 ms and exits 7: vfork returns in the parent at
 *                least 100 ms after it was called (Linux lets the parent go on as the
 *                child's memory is released, before it is a zombie), and wait4 gives 7
 *   vfork-exec   the child sleeps 100 ms, then execs this program as "vfork sleeper",
 *                which sleeps 300 ms and exits 5: vfork returns in the parent at least
 *                100 ms after it was called but before the sleeper is done (WNOHANG finds
 *                nothing), and wait4 then gives status 5
 *   clone-vfork  clone(CLONE_VFORK | SIGCHLD) without CLONE_VM waits as vfork does
 * Times are CLOCK_MONOTONIC. A child only sleeps, execs and exits, by raw system calls
 * and with static data: on Linux it runs on the parent's memory until then.
 */
#include "sys.h"

#define MS	1000000L

static const struct linux_timespec nap = { 0, 100 * MS }, long_nap = { 0, 300 * MS };
static char *const sleeper_argv[] = { "vfork", "sleeper", 0 };
static char *const no_env[] = { 0 };

static long now_ms(void)
{
	struct linux_timespec ts;

	sc2(SYS(clock_gettime), 1, &ts);	/* CLOCK_MONOTONIC */
	return ts.tv_sec * 1000 + ts.tv_nsec / MS;
}

static void case_exit(const char *name, long t0, long pid)
{
	int st = 0;

	if (pid == 0) {
		sys_nanosleep(&nap, 0);
		sc1(SYS(exit_group), 7);
	}
	if (pid < 0) {
		result(name, 0, "the call failed");
		return;
	}
	long waited = now_ms() - t0;
	long r = sys_wait4(pid, &st, 0);
	result(name, waited >= 100 && r == pid && WIFEXITED_(st) && WEXITSTATUS_(st) == 7,
	       waited < 100 ? "the parent ran before the child exited" : "wrong wait4 result");
}

static void case_exec(void)
{
	long t0 = now_ms(), pid, r;
	int st = 0;

	pid = sc0(SYS(vfork));
	if (pid == 0) {
		sys_nanosleep(&nap, 0);
		sys_execve("/proc/self/exe", sleeper_argv, no_env);
		sc1(SYS(exit_group), 99);
	}
	if (pid < 0) {
		result("vfork-exec", 0, "vfork failed");
		return;
	}
	long waited = now_ms() - t0;
	r = sys_wait4(pid, &st, 1);
	if (r != 0) {
		result("vfork-exec", 0, "the child was gone when vfork returned");
		return;
	}
	r = sys_wait4(pid, &st, 0);
	result("vfork-exec", waited >= 100 && r == pid && WIFEXITED_(st) && WEXITSTATUS_(st) == 5,
	       waited < 100 ? "vfork returned before the child execed" : "wrong wait4 result");
}

int main(int argc, char **argv, char **envp)
{
	(void)envp;
	if (argc > 1 && str_eq(argv[1], "sleeper")) {
		sys_nanosleep(&long_nap, 0);
		return 5;
	}
	long t0 = now_ms();
	case_exit("vfork-exit", t0, sc0(SYS(vfork)));
	case_exec();
	t0 = now_ms();
	case_exit("clone-vfork", t0, sc2(SYS(clone), LINUX_CLONE_VFORK | LINUX_SIGCHLD, 0));
	return failures ? 1 : 0;
}
