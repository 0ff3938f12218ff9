/*
 * crash: a NULL dereference.
 *   crash           writes through NULL: SIGSEGV's default action kills the process
 *                   (a shell shows status 139 = 128 + 11); nothing after it prints.
 *   crash handler   a SIGSEGV handler (SA_SIGINFO, SA_RESTORER with a restorer that
 *                   calls rt_sigreturn) reads si_signo, si_code and si_addr, prints them
 *                   and exits 0 from the handler (returning would fault again).
 *   crash return    first a SIGUSR1 handler that returns (rt_sigreturn through the
 *                   restorer) must leave the interrupted code's registers intact, then
 *                   the NULL write kills as in the first case.
 */
#include "sys.h"

static volatile int *volatile null_ptr;	/* volatile: the compiler may not drop the store */

static void segv_handler(int sig, struct linux_siginfo *si, void *uc)
{
	(void)uc;
	pr("handler: signal %d code %d addr 0x%lx\n", sig, si->si_code, si->u.fault.addr);
	sys_exit(0);
}

static volatile int usr1_seen;

static void usr1_handler(int sig)
{
	usr1_seen = sig;
}

int main(int argc, char **argv, char **envp)
{
	(void)envp;
	if (argc > 1 && str_eq(argv[1], "handler")) {
		set_handler(LINUX_SIGSEGV, (void *)segv_handler, LINUX_SA_SIGINFO);
		pr("touching 0x10\n");
		null_ptr = (int *)0x10;
		*null_ptr = 1;
		pr("not reached\n");
		return 1;
	}
	if (argc > 1 && str_eq(argv[1], "return")) {
		/* Values live in callee-saved registers across the signal and must survive. */
		register long a __asm__("rbx") = 0x1234567;
		register long b __asm__("r12") = 0x7654321;

		set_handler(LINUX_SIGUSR1, (void *)usr1_handler, 0);
		__asm__ volatile("" : "+r"(a), "+r"(b));
		sys_kill(sys_getpid(), LINUX_SIGUSR1);
		__asm__ volatile("" : "+r"(a), "+r"(b));
		pr("handler returned: seen %d, registers %s\n", usr1_seen,
		   a == 0x1234567 && b == 0x7654321 ? "intact" : "CHANGED");
	}
	pr("writing through NULL\n");
	null_ptr = 0;
	*null_ptr = 1;
	pr("not reached\n");
	return 1;
}
