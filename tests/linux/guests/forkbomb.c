/*
 * forkbomb [MAX]: forks until fork returns -EAGAIN (the process limit); each child waits
 * in pause() until killed. Prints "EAGAIN after N" (N children made), then kills every
 * child with SIGKILL, reaps each one and checks it died of SIGKILL, and exits 0.
 * Stops at MAX children (default and at most 16384) with "no EAGAIN after N" and status 1: natively
 * a limit must be set first (ulimit -u, as a user other than root; tests/linux/check-guests.sh).
 * Any other fork error is printed and is a failure too.
 */
#include "sys.h"

/* Small, because a fork charges the parent's writable memory (this table) to the
   commit limit once per child: a kernel with strict overcommit would refuse fork with
   ENOMEM before any process limit with a bigger one. */
#define MAX_KIDS	16384

static int kids[MAX_KIDS];

int main(int argc, char **argv, char **envp)
{
	long max = arg_num(argc > 1 ? argv[1] : 0, MAX_KIDS);
	long n = 0, r = 0, reaped = 0, wrong = 0;

	(void)envp;
	if (max > MAX_KIDS)
		max = MAX_KIDS;
	while (n < max) {
		r = sys_fork();
		if (r == 0) {
			for (;;)
				sys_pause();
		}
		if (r < 0)
			break;
		kids[n++] = (int)r;
	}
	if (r == -LINUX_EAGAIN)
		pr("EAGAIN after %ld\n", n);
	else if (r < 0)
		pr("fork failed with %ld after %ld\n", r, n);
	else
		pr("no EAGAIN after %ld\n", n);
	for (long i = 0; i < n; i++)
		sys_kill(kids[i], LINUX_SIGKILL);
	for (long i = 0; i < n; i++) {
		int status = 0;

		if (sys_wait4(kids[i], &status, 0) == kids[i]) {
			reaped++;
			if (WIFEXITED_(status) || WTERMSIG_(status) != LINUX_SIGKILL)
				wrong++;
		}
	}
	pr("killed and reaped %ld, %ld not by SIGKILL\n", reaped, wrong);
	/* Nothing is left to wait for. */
	pr("wait4 after: %ld\n", sys_wait4(-1, 0, LINUX_WNOHANG));
	return r == -LINUX_EAGAIN && reaped == n && !wrong ? 0 : 1;
}
