/*
 * Unit tests of the Linux initial stack and entry registers
 * (personalities/linux/stack.c): the stack is read back the way a guest's start-up
 * code walks it (argc, argv, envp, auxv), at every alignment, and the limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "personalities/linux/abi.h"
#include "personalities/linux/stack.h"

#define TOP	0x7ffffffff000ull

static uint8_t buf[64 * 1024];
static struct linux_stack_image img;
static const uint8_t rnd[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

static uint64_t u64_at(uint64_t addr)
{
	uint64_t v;

	assert_true(addr >= img.rsp && addr + 8 <= img.rsp + img.size);
	memcpy(&v, buf + (addr - img.rsp), 8);
	return v;
}

/* A string in the image: it must end (NUL) inside the image. */
static const char *str_at(uint64_t addr)
{
	const char *s = (const char *)buf + (addr - img.rsp);

	assert_true(addr >= img.rsp && addr < img.rsp + img.size);
	assert_non_null(memchr(s, 0, img.rsp + img.size - addr));
	return s;
}

static struct linux_exec_info busybox_info(size_t argc, const char *const *argv,
					   size_t envc, const char *const *envp)
{
	return (struct linux_exec_info){
		.argc = argc, .argv = argv, .envc = envc, .envp = envp,
		.execfn = "/bin/busybox", .phdr = 0x400040, .phnum = 10, .base = 0,
		.entry = 0x401bc0, .uid = 1000, .euid = 1001, .gid = 100, .egid = 101,
		.secure = 0, .hwcap = 0x178bfbff, .hwcap2 = 2, .random = rnd,
	};
}

/* Walks the image as _start does; returns the auxv's address and checks the vectors. */
static uint64_t walk(const struct linux_exec_info *info)
{
	uint64_t at = img.rsp;

	assert_int_equal(img.rsp % 16, 0);
	assert_int_equal(u64_at(at), info->argc);
	at += 8;
	assert_int_equal(img.argv, at);
	for (size_t i = 0; i < info->argc; i++, at += 8)
		assert_string_equal(str_at(u64_at(at)), info->argv[i]);
	assert_int_equal(u64_at(at), 0);
	at += 8;
	for (size_t i = 0; i < info->envc; i++, at += 8)
		assert_string_equal(str_at(u64_at(at)), info->envp[i]);
	assert_int_equal(u64_at(at), 0);
	at += 8;
	assert_int_equal(img.auxv, at);
	return at;
}

/* The value of auxv entry `type`, or -1 when absent; checks no type repeats. */
static int64_t aux(uint64_t auxv, uint64_t type)
{
	int64_t found = -1;

	for (uint64_t at = auxv; ; at += 16) {
		uint64_t t = u64_at(at);

		if (t == LINUX_AT_NULL)
			return type == LINUX_AT_NULL ? 0 : found;
		if (t == type) {
			assert_int_equal(found, -1);
			found = (int64_t)u64_at(at + 8);
		}
	}
}

static void test_layout_and_auxv(void **state)
{
	const char *argv[] = { "sh", "-c", "echo hello" };
	const char *envp[] = { "PATH=/bin", "HOME=/" };
	struct linux_exec_info info = busybox_info(3, argv, 2, envp);
	static const uint64_t want[] = { 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 23,
					 25, 26, 31 };
	uint64_t auxv, n = 0;

	(void)state;
	assert_int_equal(linux_stack_build(&info, TOP, sizeof(buf), buf, sizeof(buf), &img), 0);
	assert_int_equal(img.rsp, TOP - img.size);
	assert_int_equal(img.size, linux_stack_size(&info));
	auxv = walk(&info);
	/* Exactly GUESTS.md §3.1's list: no AT_SYSINFO_EHDR, nothing else. */
	for (uint64_t at = auxv; u64_at(at) != LINUX_AT_NULL; at += 16)
		n++;
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	assert_int_equal(n + 1, LINUX_AUXV_PAIRS);
	for (size_t i = 0; i < n; i++)
		assert_int_not_equal(aux(auxv, want[i]), -1);
	assert_int_equal(aux(auxv, LINUX_AT_SYSINFO_EHDR), -1);
	assert_int_equal(aux(auxv, LINUX_AT_PHDR), 0x400040);
	assert_int_equal(aux(auxv, LINUX_AT_PHENT), 56);
	assert_int_equal(aux(auxv, LINUX_AT_PHNUM), 10);
	assert_int_equal(aux(auxv, LINUX_AT_PAGESZ), 4096);
	assert_int_equal(aux(auxv, LINUX_AT_BASE), 0);
	assert_int_equal(aux(auxv, LINUX_AT_FLAGS), 0);
	assert_int_equal(aux(auxv, LINUX_AT_ENTRY), 0x401bc0);
	assert_int_equal(aux(auxv, LINUX_AT_UID), 1000);
	assert_int_equal(aux(auxv, LINUX_AT_EUID), 1001);
	assert_int_equal(aux(auxv, LINUX_AT_GID), 100);
	assert_int_equal(aux(auxv, LINUX_AT_EGID), 101);
	assert_int_equal(aux(auxv, LINUX_AT_CLKTCK), 100);
	assert_int_equal(aux(auxv, LINUX_AT_SECURE), 0);
	assert_int_equal(aux(auxv, LINUX_AT_HWCAP), 0x178bfbff);
	assert_int_equal(aux(auxv, LINUX_AT_HWCAP2), 2);
	assert_string_equal(str_at((uint64_t)aux(auxv, LINUX_AT_PLATFORM)), "x86_64");
	assert_string_equal(str_at((uint64_t)aux(auxv, LINUX_AT_EXECFN)), "/bin/busybox");
	/* AT_RANDOM: the caller's 16 bytes, inside the image, above the table. */
	assert_int_equal(aux(auxv, LINUX_AT_RANDOM) % 16, 0);
	assert_true((uint64_t)aux(auxv, LINUX_AT_RANDOM) + 16 <= TOP);
	assert_memory_equal(buf + (aux(auxv, LINUX_AT_RANDOM) - img.rsp), rnd, 16);
	/* The top 8 bytes stay zero (the end marker). */
	assert_int_equal(u64_at(TOP - 8), 0);
}

/* Without mapped headers all three of AT_PHDR, AT_PHENT, AT_PHNUM go (glibc's rule). */
static void test_no_phdr(void **state)
{
	const char *argv[] = { "zcat", "/hello.gz" };
	struct linux_exec_info info = busybox_info(2, argv, 0, NULL);
	uint64_t auxv;

	(void)state;
	info.phdr = 0;
	info.base = 0x200000;
	assert_int_equal(linux_stack_build(&info, TOP, sizeof(buf), buf, sizeof(buf), &img), 0);
	auxv = walk(&info);
	assert_int_equal(aux(auxv, LINUX_AT_PHDR), -1);
	assert_int_equal(aux(auxv, LINUX_AT_PHENT), -1);
	assert_int_equal(aux(auxv, LINUX_AT_PHNUM), -1);
	assert_int_equal(aux(auxv, LINUX_AT_BASE), 0x200000);
	assert_int_equal(aux(auxv, LINUX_AT_ENTRY), 0x401bc0);
}

/* Every parity of argc and envc and many string lengths: rsp stays 16-aligned. */
static void test_alignment(void **state)
{
	static const char *const words[] = { "", "a", "bb", "ccc", "dddddddddddddddd",
					     "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "f" };
	const char *argv[6], *envp[4];

	(void)state;
	for (size_t argc = 0; argc <= 5; argc++) {
		for (size_t envc = 0; envc <= 3; envc++) {
			for (size_t w = 0; w < 7; w++) {
				struct linux_exec_info info;

				for (size_t i = 0; i < argc; i++)
					argv[i] = words[(w + i) % 7];
				for (size_t i = 0; i < envc; i++)
					envp[i] = words[(w + 3 * i) % 7];
				info = busybox_info(argc, argv, envc, envp);
				info.execfn = words[w];
				assert_int_equal(linux_stack_build(&info, TOP, sizeof(buf), buf,
								   sizeof(buf), &img), 0);
				assert_int_equal(img.size, linux_stack_size(&info));
				assert_int_equal(img.rsp + img.size, TOP);
				walk(&info);
			}
		}
	}
}

/* A top that is not 16-aligned is rounded down. */
static void test_unaligned_top(void **state)
{
	const char *argv[] = { "x" };
	struct linux_exec_info info = busybox_info(1, argv, 0, NULL);

	(void)state;
	assert_int_equal(linux_stack_build(&info, TOP + 9, sizeof(buf), buf, sizeof(buf), &img), 0);
	assert_int_equal(img.rsp + img.size, TOP);
	walk(&info);
}

static void test_limits(void **state)
{
	static char big[LINUX_MAX_ARG_STRLEN + 1];
	const char *argv[] = { "sh", big };
	struct linux_exec_info info = busybox_info(2, argv, 0, NULL);
	size_t need;

	(void)state;
	memset(big, 'x', 100);
	need = linux_stack_size(&info);
	assert_true(need > 0);
	/* Exactly enough, one byte short of the caller's limit, of the buffer. */
	assert_int_equal(linux_stack_build(&info, TOP, need, buf, sizeof(buf), &img), 0);
	assert_int_equal(linux_stack_build(&info, TOP, need - 1, buf, sizeof(buf), &img),
			 -LINUX_E2BIG);
	assert_int_equal(linux_stack_build(&info, TOP, sizeof(buf), buf, need - 1, &img),
			 -LINUX_E2BIG);
	/* No room below top. */
	assert_int_equal(linux_stack_build(&info, need - 16, sizeof(buf), buf, sizeof(buf), &img),
			 -LINUX_EFAULT);
	assert_int_equal(linux_stack_build(&info, need, sizeof(buf), buf, sizeof(buf), &img), 0);
	assert_int_equal(img.rsp, 0);
	/* One string of MAX_ARG_STRLEN bytes or more. */
	memset(big, 'x', LINUX_MAX_ARG_STRLEN);
	assert_int_equal(linux_stack_size(&info), 0);
	assert_int_equal(linux_stack_build(&info, TOP, ~(size_t)0, buf, sizeof(buf), &img),
			 -LINUX_E2BIG);
	big[LINUX_MAX_ARG_STRLEN - 1] = 0;	/* the longest allowed */
	need = linux_stack_size(&info);
	assert_true(need > LINUX_MAX_ARG_STRLEN);
	/* No AT_RANDOM bytes. */
	info.random = NULL;
	assert_int_equal(linux_stack_build(&info, TOP, ~(size_t)0, buf, sizeof(buf), &img),
			 -LINUX_EINVAL);
	info.random = rnd;
	/* A count of pointers past any limit. */
	info.argc = (size_t)1 << 62;
	assert_int_equal(linux_stack_size(&info), 0);
	assert_int_equal(linux_stack_build(&info, TOP, ~(size_t)0, buf, sizeof(buf), &img),
			 -LINUX_E2BIG);
}

/* Many small strings up to the limit the caller passes. */
static void test_many_args(void **state)
{
	static const char *argv[1000];
	struct linux_exec_info info;

	(void)state;
	for (int i = 0; i < 1000; i++)
		argv[i] = i % 2 ? "arg" : "another-argument";
	info = busybox_info(1000, argv, 1000, argv);
	assert_int_equal(linux_stack_build(&info, TOP, sizeof(buf), buf, sizeof(buf), &img), 0);
	walk(&info);
	assert_int_equal(linux_stack_build(&info, TOP, 32 * 1024, buf, sizeof(buf), &img),
			 -LINUX_E2BIG);
}

static void test_exec_regs(void **state)
{
	foreign_regs_t regs;
	uint32_t mask;

	(void)state;
	memset(regs, 0xa5, sizeof(regs));
	mask = linux_exec_regs(regs, 0x7fffffffe000, 0x401bc0);
	assert_int_equal(mask, FOREIGN_MASK_ALL);
	for (int r = 0; r < FOREIGN_REG_COUNT; r++) {
		if (r == FOREIGN_REG_RSP)
			assert_int_equal(regs[r], 0x7fffffffe000);
		else if (r == FOREIGN_REG_RIP)
			assert_int_equal(regs[r], 0x401bc0);
		else if (r == FOREIGN_REG_RFLAGS)
			assert_int_equal(regs[r], 0x202);	/* IF */
		else
			assert_int_equal(regs[r], 0);		/* rdx too */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_and_auxv),
		cmocka_unit_test(test_no_phdr),
		cmocka_unit_test(test_alignment),
		cmocka_unit_test(test_unaligned_top),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_many_args),
		cmocka_unit_test(test_exec_regs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
