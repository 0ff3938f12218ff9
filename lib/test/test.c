/* The test line protocol (see test.h). */
#include <stdarg.h>
#include <stdio.h>
#include <mach/mach_traps.h>
#include "test.h"

static int passed, failed;

void test_pass(const char *name)
{
	passed++;
	printf("TEST PASS %s\n", name);
}

void test_fail(const char *name, const char *file, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	failed++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("TEST FAIL %s %s:%d %s\n", name, file, line, msg);
}

bool test_check(const char *name, bool ok, const char *file, int line, const char *expr)
{
	if (ok)
		test_pass(name);
	else
		test_fail(name, file, line, "%s", expr);
	return ok;
}

void test_done(void)
{
	printf("TESTS DONE pass=%d fail=%d\n", passed, failed);
}
