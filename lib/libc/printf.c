/* printf for native tasks: format into a buffer, print it with mach_print. */
#include <stdarg.h>
#include <stdio.h>
#include <mach/mach_traps.h>

int printf(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	mach_print(buf);
	return n;
}
