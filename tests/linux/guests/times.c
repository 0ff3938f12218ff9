/*
 * times: a child's CPU time reaches its parent. The child spins (tens of ms natively,
 * about 0.5 s under QEMU's icount, 500 million instructions) and exits; then, each line
 * "ok" or "FAILED (why)", exit 0 only if all passed:
 *   wait4-rusage      wait4's rusage gives the child's user + system time, >= 10 ms
 *   times-children    times()'s tms_cutime + tms_cstime, at least one tick (100 Hz)
 *   rusage-children   getrusage(RUSAGE_CHILDREN) gives the same as wait4's
 *   self-small        getrusage(RUSAGE_SELF): the parent itself used less than the child
 */
#include "sys.h"

#define SPINS	100000000L

struct tms_ {
	long utime, stime, cutime, cstime;
};


static long tv_ms(const struct linux_timeval *tv)
{
	return tv->tv_sec * 1000 + tv->tv_usec / 1000;
}

int main(int argc, char **argv, char **envp)
{
	struct linux_rusage ru, children, self;
	struct tms_ tms;
	int st = 0;
	long pid = sys_fork();

	(void)argc;
	(void)argv;
	(void)envp;
	if (pid == 0) {
		for (volatile long i = 0; i < SPINS; i++)
			;
		sc1(SYS(exit_group), 0);
	}
	if (pid < 0 || sc4(SYS(wait4), pid, &st, 0, &ru) != pid) {
		pr("fork or wait4 failed\n");
		return 1;
	}
	long child_ms = tv_ms(&ru.ru_utime) + tv_ms(&ru.ru_stime);
	result("wait4-rusage", child_ms >= 10, "less than 10 ms");
	sc1(SYS(times), &tms);
	result("times-children", tms.cutime + tms.cstime >= 1, "no tick");
	sc2(SYS(getrusage), -1, &children);	/* RUSAGE_CHILDREN */
	result("rusage-children", tv_ms(&children.ru_utime) + tv_ms(&children.ru_stime) == child_ms,
	       "not what wait4 said");
	sc2(SYS(getrusage), 0, &self);		/* RUSAGE_SELF */
	result("self-small", tv_ms(&self.ru_utime) + tv_ms(&self.ru_stime) < child_ms,
	       "the parent is charged the child's time");
	return failures ? 1 : 0;
}
