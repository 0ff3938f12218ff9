/*
 * efault: bad guest pointers in system-call arguments give -EFAULT (-14) and nothing
 * else: an unmapped low address and a kernel-half address as write's buffer, an
 * unmapped buffer for read (of a pipe that holds data), a bad path for open, a bad
 * buffer for stat, a bad pipe array. The process carries on after each.
 */
#include "sys.h"

int main(int argc, char **argv, char **envp)
{
	struct linux_stat st;
	int fds[2];
	long r;

	(void)argc, (void)argv, (void)envp;
	pr("write bad buffer: %ld\n", sys_write(1, (void *)8, 5));
	pr("write kernel buffer: %ld\n", sys_write(1, (void *)0xffffffff81000000ul, 5));
	if (sys_pipe(fds) < 0) {
		pr("pipe failed\n");
		return 1;
	}
	sys_write(fds[1], "x", 1);
	pr("read into bad buffer: %ld\n", sys_read(fds[0], (void *)8, 1));
	pr("open bad path: %ld\n", sys_open((const char *)8, LINUX_O_RDONLY, 0));
	pr("stat bad buffer: %ld\n", sc2(SYS(stat), "/", (void *)8));
	pr("stat bad path: %ld\n", sc2(SYS(stat), (void *)8, &st));
	pr("pipe bad array: %ld\n", sc1(SYS(pipe), 8));
	/* The fd table and the pipe are intact: the byte is still there. */
	char c = 0;
	r = sys_read(fds[0], &c, 1);
	pr("read after: %ld '%c'\n", r, c);
	pr("efault done\n");
	return 0;
}
