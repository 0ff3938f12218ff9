/*
 * signals: one line per case, each ending "ok" or "FAILED (why)"; exit 0 only if all
 * passed. The cases:
 *   kill-self        sigaction + kill(getpid()) runs the handler before kill returns
 *   mask             a blocked signal stays pending (rt_sigpending) and is delivered when
 *                    rt_sigprocmask unblocks it, before that call returns
 *   sigchld          a child's exit sends SIGCHLD to a handler; wait4 gives status 3
 *   sigpipe          write to a pipe with no reader: -EPIPE and SIGPIPE to the handler;
 *                    with the default action a child is killed by SIGPIPE
 *   eintr            nanosleep(5 s) interrupted by alarm(1)'s SIGALRM: -EINTR
 *   no-restart       a read of an empty pipe interrupted by alarm(1)'s handler without
 *                    SA_RESTART: -EINTR
 *   restart          the same with SA_RESTART, the handler writing a byte into the pipe:
 *                    the read is restarted and returns that byte (without restarting it
 *                    would return -EINTR)
 * No sleeps synchronise anything: each waiting call is ended by the signal itself.
 */
#include "sys.h"

static volatile int got[LINUX_NSIG + 1];

static void handler(int sig)
{
	got[sig]++;
}

static void clear(void)
{
	for (int i = 0; i <= LINUX_NSIG; i++)
		got[i] = 0;
}

static void case_kill_self(void)
{
	clear();
	set_handler(LINUX_SIGUSR1, (void *)handler, 0);
	long r = sys_kill(sys_getpid(), LINUX_SIGUSR1);
	result("kill-self", r == 0 && got[LINUX_SIGUSR1] == 1, "handler did not run once");
}

static void case_mask(void)
{
	linux_sigset_t set = LINUX_SIGBIT(LINUX_SIGUSR2), pending = 0;
	int ran_while_blocked;

	clear();
	set_handler(LINUX_SIGUSR2, (void *)handler, 0);
	sys_sigprocmask(LINUX_SIG_BLOCK, &set, 0);
	sys_kill(sys_getpid(), LINUX_SIGUSR2);
	ran_while_blocked = got[LINUX_SIGUSR2];
	sys_sigpending(&pending);
	sys_sigprocmask(LINUX_SIG_UNBLOCK, &set, 0);
	if (ran_while_blocked)
		result("mask", 0, "delivered while blocked");
	else if (!(pending & set))
		result("mask", 0, "not pending while blocked");
	else
		result("mask", got[LINUX_SIGUSR2] == 1, "not delivered on unblock");
}

static void case_sigchld(void)
{
	int status = 0;
	long pid, r;

	clear();
	set_handler(LINUX_SIGCHLD, (void *)handler, LINUX_SA_RESTART);
	pid = sys_fork();
	if (pid == 0)
		sys_exit(3);
	while ((r = sys_wait4(pid, &status, 0)) == -LINUX_EINTR)
		;
	set_handler(LINUX_SIGCHLD, (void *)LINUX_SIG_DFL, 0);
	if (r != pid)
		result("sigchld", 0, "wait4 failed");
	else if (!WIFEXITED_(status) || WEXITSTATUS_(status) != 3)
		result("sigchld", 0, "wrong status");
	else
		result("sigchld", got[LINUX_SIGCHLD] == 1, "no SIGCHLD");
}

static void case_sigpipe(void)
{
	int fds[2], status = 0;
	long r, pid;

	clear();
	set_handler(LINUX_SIGPIPE, (void *)handler, 0);
	sys_pipe(fds);
	sys_close(fds[0]);
	r = sys_write(fds[1], "x", 1);
	if (r != -LINUX_EPIPE)
		result("sigpipe", 0, "write did not return -EPIPE");
	else
		result("sigpipe", got[LINUX_SIGPIPE] == 1, "no SIGPIPE");

	/* With the default action, the writer dies of it. */
	pid = sys_fork();
	if (pid == 0) {
		set_handler(LINUX_SIGPIPE, (void *)LINUX_SIG_DFL, 0);
		sys_write(fds[1], "x", 1);
		sys_exit(0);
	}
	sys_close(fds[1]);
	sys_wait4(pid, &status, 0);
	result("sigpipe-default", !WIFEXITED_(status) && WTERMSIG_(status) == LINUX_SIGPIPE,
	       "child not killed by SIGPIPE");
}

static void case_eintr(void)
{
	struct linux_timespec ts = { 5, 0 }, rem = { 0, 0 };
	long r;

	clear();
	set_handler(LINUX_SIGALRM, (void *)handler, 0);
	sys_alarm(1);
	r = sys_nanosleep(&ts, &rem);
	if (r != -LINUX_EINTR)
		result("eintr", 0, "nanosleep not interrupted");
	else if (rem.tv_sec >= 5 || rem.tv_sec < 3)
		result("eintr", 0, "remaining time not about 4 s");
	else
		result("eintr", got[LINUX_SIGALRM] == 1, "handler did not run");
}

/* For the restart case: the pipe the SIGALRM handler writes into. */
static int alarm_fd;

static void alarm_writer(int sig)
{
	got[sig]++;
	sys_write(alarm_fd, "r", 1);
}

/* A read of an empty pipe (whose writer is this process), interrupted by alarm(1). */
static void case_read(const char *name, unsigned long flags)
{
	int fds[2];
	char c = 0;
	long r;

	clear();
	sys_pipe(fds);
	alarm_fd = fds[1];
	set_handler(LINUX_SIGALRM, flags & LINUX_SA_RESTART ? (void *)alarm_writer : (void *)handler,
		    flags);
	sys_alarm(1);
	r = sys_read(fds[0], &c, 1);
	sys_close(fds[0]);
	sys_close(fds[1]);
	if (got[LINUX_SIGALRM] != 1)
		result(name, 0, "handler did not run");
	else if (flags & LINUX_SA_RESTART)
		result(name, r == 1 && c == 'r', "read not restarted");
	else
		result(name, r == -LINUX_EINTR, "read did not return -EINTR");
}

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	case_kill_self();
	case_mask();
	case_sigchld();
	case_sigpipe();
	case_eintr();
	case_read("no-restart", 0);
	case_read("restart", LINUX_SA_RESTART);
	pr("signals done: %d failed\n", failures);
	return failures ? 1 : 0;
}
