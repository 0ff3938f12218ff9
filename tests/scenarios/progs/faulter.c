/*
 * faulter <mode>: does one forbidden thing. The kernel must raise an exception and,
 * with no handler, terminate the task and keep running; reaching the end is a failure.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <mach/mach_traps.h>
#include "test.h"

static long raw_trap(long number)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(number) : "rcx", "r11", "memory");
	return ret;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	printf("faulter %s: starting\n", mode);
	if (strcmp(mode, "null") == 0)
		*(volatile int *)0 = 1;
	else if (strcmp(mode, "hlt") == 0)
		__asm__ volatile("hlt");
	else if (strcmp(mode, "cli") == 0)
		__asm__ volatile("cli");
	else if (strcmp(mode, "in") == 0)
		__asm__ volatile("inb $0x60, %%al" ::: "rax");
	else if (strcmp(mode, "print-kernel") == 0)
		mach_print((const char *)0xFFFFFFFF80100000ull);
	else if (strcmp(mode, "print-unmapped") == 0)
		mach_print((const char *)0x0000700000000000ull);
	else if (strcmp(mode, "bad-trap") == 0)
		raw_trap(-200);
	else if (strcmp(mode, "positive-trap") == 0)
		raw_trap(5);
	else if (strcmp(mode, "kernel-jump") == 0)
		((void (*)(void))0xFFFFFFFF80100000ull)();
	test_fail(mode, __FILE__, __LINE__, "faulter '%s' was not stopped", mode);
	return 0;
}
