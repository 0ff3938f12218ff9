/*
 * Unit tests of the shared formatter (lib/libc/format.c), compiled here under the
 * names lib_vsnprintf/lib_snprintf and compared with the host C library's output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

int lib_snprintf(char *buf, size_t size, const char *fmt, ...);

#define SAME(fmt, ...)								\
	do {									\
		char a[128], b[128];						\
		int na = lib_snprintf(a, sizeof(a), fmt, __VA_ARGS__);		\
		int nb = snprintf(b, sizeof(b), fmt, __VA_ARGS__);		\
		assert_string_equal(a, b);					\
		assert_int_equal(na, nb);					\
	} while (0)

static void test_integers(void **state)
{
	(void)state;
	SAME("%d %i %u", -42, 7, 4000000000u);
	SAME("%x %X %o", 0xdeadbeefu, 0xabcu, 8u);
	SAME("%ld %lu %lx", -1L, (unsigned long)UINT64_MAX, 0x123456789abcdefUL);
	SAME("%lld %llu", (long long)INT64_MIN, 18446744073709551615ULL);
	SAME("%zu %zx", (size_t)12345, (size_t)0xfff);
	SAME("%hd %hhu %hhd", (short)-3, (unsigned char)250, (signed char)-5);
	SAME("[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, 42, 42, 42);
	SAME("[%016lx] [%.3d] [%8.3d] [%.0d]", 0xabcUL, 7, -7, 0);
	SAME("[%*d] [%-*d] [%.*d]", 6, 1, 6, 2, 4, 3);
	SAME("%d", 0);
}

static void test_strings_chars_pointers(void **state)
{
	(void)state;
	SAME("[%s] [%10s] [%-10s] [%.2s] [%*.*s]", "abc", "abc", "abc", "abc", 5, 1, "xyz");
	SAME("%c%c%c %%", 'a', 'b', 'c');
	SAME("%p", (void *)0x1234);
	SAME("%s", "");
}

static void test_truncation(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'z', sizeof(buf));
	assert_int_equal(lib_snprintf(buf, 5, "%s", "hello world"), 11);
	assert_string_equal(buf, "hell");
	assert_int_equal(buf[5], 'z');
	assert_int_equal(lib_snprintf(NULL, 0, "%d", 12345), 5);
	assert_int_equal(lib_snprintf(buf, 1, "abc"), 3);
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_strings_chars_pointers),
		cmocka_unit_test(test_truncation),
	};
	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
