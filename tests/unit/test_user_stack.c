/* Unit tests of the initial user stack layout (kernel/kern/user_stack.c, ABI 13). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <kern/user_stack.h>

#define TOP	0x800000000000ull

static uint8_t buf[4096];

static uint64_t u64_at(uint64_t sp, uint64_t addr)
{
	uint64_t v;

	memcpy(&v, buf + (addr - sp), 8);
	return v;
}

static const char *str_at(uint64_t sp, uint64_t addr)
{
	return (const char *)buf + (addr - sp);
}

static void test_layout(void **state)
{
	char *argv[] = { "X", "1", "2" };
	char *envp[] = { "MULTIBOOT_CMDLINE=idle=exit" };
	uint64_t sp;
	size_t size = user_stack_build(TOP, 3, argv, 1, envp, buf, sizeof(buf), &sp);

	(void)state;
	assert_true(size > 0);
	assert_int_equal(size % 16, 0);
	assert_int_equal(sp % 16, 0);
	assert_int_equal(sp, TOP - size);
	assert_int_equal(u64_at(sp, sp), 3);
	for (int i = 0; i < 3; i++)
		assert_string_equal(str_at(sp, u64_at(sp, sp + 8 + 8 * i)), argv[i]);
	assert_int_equal(u64_at(sp, sp + 32), 0);
	assert_string_equal(str_at(sp, u64_at(sp, sp + 40)), envp[0]);
	assert_int_equal(u64_at(sp, sp + 48), 0);
	/* Strings follow the pointer block directly, inside the area. */
	assert_int_equal(u64_at(sp, sp + 8), sp + 56);
}

static void test_no_env_and_rounding(void **state)
{
	char *argv[] = { "abcdefghijklmno" };	/* 16 bytes with NUL */
	uint64_t sp;
	size_t size = user_stack_build(TOP, 1, argv, 0, NULL, buf, sizeof(buf), &sp);

	(void)state;
	/* argc, argv[0], NULL, NULL = 32 bytes, + 16 of string. */
	assert_int_equal(size, 48);
	assert_int_equal(u64_at(sp, sp + 16), 0);
	assert_int_equal(u64_at(sp, sp + 24), 0);
}

static void test_too_big(void **state)
{
	char big[600];
	char *argv[8];
	uint64_t sp = 0;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	for (int i = 0; i < 8; i++)
		argv[i] = big;
	assert_int_equal(user_stack_build(TOP, 8, argv, 0, NULL, buf, sizeof(buf), &sp), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_no_env_and_rounding),
		cmocka_unit_test(test_too_big),
	};
	return cmocka_run_group_tests_name("user_stack", tests, NULL, NULL);
}
