/* exit and strtol for native tasks. */
#include <stdlib.h>
#include <mach/mach_traps.h>

void exit(int status)
{
	(void)status;
	syscall_task_terminate(mach_task_self());
	/* Not reached: termination takes effect on the way out of the trap. */
	__builtin_trap();
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

long strtol(const char *s, char **end, int base)
{
	unsigned long v = 0;
	int neg = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	for (; digit_value(*s) < base; s++)
		v = v * (unsigned long)base + (unsigned long)digit_value(*s);
	if (end)
		*end = (char *)s;
	return neg ? -(long)v : (long)v;
}
