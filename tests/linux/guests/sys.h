/*
 * The Linux test guests' and benchmark programs' whole runtime: no C library, only raw
 * system calls. Each program is one .c file that includes this header once and defines
 * `int main(int argc, char **argv, char **envp)`; _start (below) calls it and exits with
 * its result. Built by the host gcc as static x86_64 Linux executables
 * (-static -nostdlib -ffreestanding), so the same binary runs natively on the build
 * machine, under Debian's kernel in QEMU, and on the Linux personality.
 *
 * Numbers and layouts come from personalities/linux/abi.h (checked against the host's
 * headers by tests/unit/test_linux_abi.c). Every wrapper returns the raw result: >= 0,
 * or -errno.
 */
#ifndef LXGUEST_SYS_H
#define LXGUEST_SYS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "abi.h"

int main(int argc, char **argv, char **envp);

/* --- system calls --- */

static inline long sc6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#define sc0(nr)			sc6(nr, 0, 0, 0, 0, 0, 0)
#define sc1(nr, a)		sc6(nr, (long)(a), 0, 0, 0, 0, 0)
#define sc2(nr, a, b)		sc6(nr, (long)(a), (long)(b), 0, 0, 0, 0)
#define sc3(nr, a, b, c)	sc6(nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sc4(nr, a, b, c, d)	sc6(nr, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

#define SYS(name)	LINUX_SYS_##name

static inline long sys_read(int fd, void *buf, size_t n) { return sc3(SYS(read), fd, buf, n); }
static inline long sys_write(int fd, const void *buf, size_t n) { return sc3(SYS(write), fd, buf, n); }
static inline long sys_open(const char *path, int flags, int mode) { return sc3(SYS(open), path, flags, mode); }
static inline long sys_close(int fd) { return sc1(SYS(close), fd); }
static inline long sys_unlink(const char *path) { return sc1(SYS(unlink), path); }
static inline long sys_pipe(int fds[2]) { return sc1(SYS(pipe), fds); }
static inline long sys_getpid(void) { return sc0(SYS(getpid)); }
static inline long sys_fork(void) { return sc0(SYS(fork)); }
static inline long sys_kill(long pid, int sig) { return sc2(SYS(kill), pid, sig); }
static inline long sys_pause(void) { return sc0(SYS(pause)); }
static inline long sys_alarm(unsigned s) { return sc1(SYS(alarm), s); }
static inline long sys_sched_yield(void) { return sc0(SYS(sched_yield)); }
static inline long sys_wait4(long pid, int *status, int options)
{
	return sc4(SYS(wait4), pid, status, options, 0);
}
static inline long sys_execve(const char *path, char *const argv[], char *const envp[])
{
	return sc3(SYS(execve), path, argv, envp);
}
static inline void *sys_mmap(void *addr, size_t len, int prot, int flags, int fd, long off)
{
	return (void *)sc6(SYS(mmap), (long)addr, (long)len, prot, flags, fd, off);
}
static inline long sys_munmap(void *addr, size_t len) { return sc2(SYS(munmap), addr, len); }
static inline long sys_brk(void *addr) { return sc1(SYS(brk), addr); }
static inline long sys_nanosleep(const struct linux_timespec *req, struct linux_timespec *rem)
{
	return sc2(SYS(nanosleep), req, rem);
}
static inline long sys_sigaction(int sig, const struct linux_sigaction *act,
				 struct linux_sigaction *old)
{
	return sc4(SYS(rt_sigaction), sig, act, old, sizeof(linux_sigset_t));
}
static inline long sys_sigprocmask(int how, const linux_sigset_t *set, linux_sigset_t *old)
{
	return sc4(SYS(rt_sigprocmask), how, set, old, sizeof(linux_sigset_t));
}
static inline long sys_sigpending(linux_sigset_t *set)
{
	return sc2(SYS(rt_sigpending), set, sizeof(linux_sigset_t));
}

static __attribute__((noreturn)) void sys_exit(int code)
{
	for (;;)
		sc1(SYS(exit_group), code);
}

/* A mmap result is an error when it is in the last page of the address space. */
static inline long mmap_err(void *p)
{
	return (unsigned long)p >= (unsigned long)-4095 ? (long)p : 0;
}

/* Wait statuses. */
#define WIFEXITED_(s)	(((s) & 0x7f) == 0)
#define WEXITSTATUS_(s)	(((s) >> 8) & 0xff)
#define WTERMSIG_(s)	((s) & 0x7f)

/*
 * The signal return trampoline a handler's frame points at (SA_RESTORER): what a C
 * library's __restore_rt does.
 */
void lx_restorer(void);
__asm__(".text\n"
	".globl lx_restorer\n"
	"lx_restorer:\n"
	"	mov $15, %eax\n"	/* rt_sigreturn */
	"	syscall\n"
	"	hlt\n");

/* Installs a handler (void h(int) or, with SA_SIGINFO, h(int, siginfo *, void *)). */
static inline long set_handler(int sig, void *handler, unsigned long flags)
{
	struct linux_sigaction sa = {
		.handler = (uint64_t)handler,
		.flags = flags | LINUX_SA_RESTORER,
		.restorer = (uint64_t)lx_restorer,
		.mask = 0,
	};
	return sys_sigaction(sig, &sa, 0);
}

/* Instructions under QEMU's -icount shift=0 (cycles natively). */
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* --- memory and strings (gcc may call memset and memcpy itself) --- */

void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;

	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *p = d;
	const unsigned char *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

static inline size_t str_len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static inline int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* A decimal argument; `def` when absent or not a number. */
static inline long arg_num(const char *s, long def)
{
	long v = 0;

	if (!s || !*s)
		return def;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return def;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/*
 * pr: a tiny printf to fd 1: %s, %d (int), %ld, %lu, %lx (0x-less hex), %c, %%. One
 * write(2) per call, so the lines of processes sharing the output do not interleave.
 */
static void pr(const char *fmt, ...)
{
	char buf[512], num[24];
	size_t n = 0;
	va_list ap;

	va_start(ap, fmt);
	for (; *fmt && n < sizeof(buf) - 1; fmt++) {
		const char *s = num;
		int len = 0;

		if (*fmt != '%') {
			buf[n++] = *fmt;
			continue;
		}
		fmt++;
		int lng = *fmt == 'l';
		if (lng)
			fmt++;
		if (*fmt == 's') {
			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			len = (int)str_len(s);
		} else if (*fmt == 'c') {
			num[0] = (char)va_arg(ap, int);
			len = 1;
		} else if (*fmt == 'd' || *fmt == 'u' || *fmt == 'x') {
			unsigned long u;
			int neg = 0, base = *fmt == 'x' ? 16 : 10;
			char tmp[24];
			int k = 0;

			if (*fmt == 'd') {
				long v = lng ? va_arg(ap, long) : va_arg(ap, int);
				neg = v < 0;
				u = neg ? -(unsigned long)v : (unsigned long)v;
			} else {
				u = lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
			}
			do {
				tmp[k++] = "0123456789abcdef"[u % base];
				u /= base;
			} while (u);
			if (neg)
				num[len++] = '-';
			while (k)
				num[len++] = tmp[--k];
		} else {
			num[0] = '%';
			len = 1;
			if (!*fmt)
				break;
		}
		for (int i = 0; i < len && n < sizeof(buf) - 1; i++)
			buf[n++] = s[i];
	}
	va_end(ap);
	sys_write(1, buf, n);
}

/* --- the entry point --- */

/* One line per test case, "NAME: ok" or "NAME: FAILED (WHY)"; failures counts them. */
static int failures;

__attribute__((unused)) static void result(const char *name, int ok, const char *why)
{
	if (ok)
		pr("%s: ok\n", name);
	else
		pr("%s: FAILED (%s)\n", name, why);
	failures += !ok;
}

__attribute__((used, noreturn)) static void lx_start_c(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;

	sys_exit(main(argc, argv, envp));
}

/* The kernel's initial stack: [rsp] = argc, then argv, NULL, envp, NULL, auxv. */
__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"	xor %ebp, %ebp\n"
	"	mov %rsp, %rdi\n"
	"	and $-16, %rsp\n"
	"	call lx_start_c\n"
	"	hlt\n");

#endif
