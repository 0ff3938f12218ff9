/* Unit tests of ELF64 image validation (kernel/kern/elf.c), malformed images included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <kern/elf.h>
#include <kern/layout.h>

#define LIMIT	(USER_LIMIT - USER_STACK_SIZE)
#define IMG	0x3000

static unsigned char img[IMG] __attribute__((aligned(8)));
static struct elf64_ehdr *eh = (struct elf64_ehdr *)img;
static struct elf64_phdr *ph = (struct elf64_phdr *)(img + 64);
static struct elf_image out;

/* A valid static executable: text (R-X) at 0x401000, data (RW-) at 0x402000. */
static int make_valid(void **state)
{
	(void)state;
	memset(img, 0, sizeof(img));
	memcpy(eh->ident, "\177ELF\2\1\1", 7);
	eh->type = 2;
	eh->machine = 62;
	eh->version = 1;
	eh->entry = 0x401010;
	eh->phoff = 64;
	eh->ehsize = 64;
	eh->phentsize = 56;
	eh->phnum = 2;
	ph[0] = (struct elf64_phdr){ 1, 5, 0x1000, 0x401000, 0x401000, 0x100, 0x100, 0x1000 };
	ph[1] = (struct elf64_phdr){ 1, 6, 0x2000, 0x402000, 0x402000, 0x10, 0x2000, 0x1000 };
	return 0;
}

static enum elf_error parse(void)
{
	return elf_parse(img, sizeof(img), LIMIT, &out);
}

static void test_valid_exec(void **state)
{
	(void)state;
	assert_int_equal(parse(), ELF_OK);
	assert_int_equal(out.nsegs, 2);
	assert_int_equal(out.entry, 0x401010);
	assert_int_equal(out.load_bias, 0);
	assert_int_equal(out.segs[0].prot, 5);
	assert_int_equal(out.segs[1].prot, 3);
	assert_int_equal(out.segs[1].memsz, 0x2000);
	assert_int_equal(out.segs[1].filesz, 0x10);
	assert_int_equal(out.stack_prot, 7);	/* no PT_GNU_STACK: rwx */
}

static void test_gnu_stack_and_empty_segment(void **state)
{
	(void)state;
	eh->phnum = 4;
	ph[2] = (struct elf64_phdr){ 0x6474e551, 6, 0, 0, 0, 0, 0, 16 };
	ph[3] = (struct elf64_phdr){ 1, 4, 0x2000, 0x500000, 0, 0, 0, 0x1000 };	/* memsz 0: skipped */
	assert_int_equal(parse(), ELF_OK);
	assert_int_equal(out.stack_prot, 3);
	assert_int_equal(out.nsegs, 2);
}

static void test_dyn_is_biased(void **state)
{
	(void)state;
	eh->type = 3;
	ph[0].vaddr = 0x1000;
	ph[1].vaddr = 0x2000;
	eh->entry = 0x1010;
	assert_int_equal(parse(), ELF_OK);
	assert_int_equal(out.load_bias, USER_DYN_BASE);
	assert_int_equal(out.entry, USER_DYN_BASE + 0x1010);
	assert_int_equal(out.segs[0].vaddr, USER_DYN_BASE + 0x1000);
}

#define BAD(name, mutation, expected)				\
	static void name(void **state)				\
	{							\
		(void)state;					\
		mutation;					\
		assert_int_equal(parse(), expected);		\
	}

BAD(test_bad_magic, img[1] = 'X', ELF_BAD_MAGIC)
BAD(test_32bit, img[4] = 1, ELF_NOT_X86_64)
BAD(test_big_endian, img[5] = 2, ELF_NOT_X86_64)
BAD(test_wrong_machine, eh->machine = 3, ELF_NOT_X86_64)
BAD(test_relocatable, eh->type = 1, ELF_BAD_TYPE)
BAD(test_phentsize, eh->phentsize = 32, ELF_BAD_PHDRS)
BAD(test_no_phdrs, eh->phnum = 0, ELF_BAD_PHDRS)
BAD(test_phoff_beyond, eh->phoff = IMG + 8, ELF_BAD_PHDRS)
BAD(test_phdrs_run_off_end, eh->phnum = 0xffff, ELF_BAD_PHDRS)
BAD(test_phoff_huge, eh->phoff = UINT64_MAX - 10, ELF_BAD_PHDRS)
BAD(test_filesz_over_memsz, ph[1].filesz = 0x3000, ELF_BAD_SEGMENT)
BAD(test_data_beyond_image, ph[0].filesz = IMG, ELF_BAD_SEGMENT)
BAD(test_offset_huge, ph[0].offset = UINT64_MAX - 0xfff, ELF_BAD_SEGMENT)
BAD(test_misaligned, ph[0].vaddr += 8, ELF_BAD_SEGMENT)
BAD(test_kernel_address, (ph[1].vaddr = 0xffffffff80002000ull, ph[1].offset = 0x2000), ELF_BAD_ADDRESS)
BAD(test_wraps_around, ph[1].memsz = UINT64_MAX - 0x1000, ELF_BAD_ADDRESS)
BAD(test_into_the_stack, ph[1].memsz = LIMIT, ELF_BAD_ADDRESS)
BAD(test_page_zero, (ph[0].vaddr = 0, ph[0].offset = 0), ELF_BAD_ADDRESS)
BAD(test_entry_outside, eh->entry = 0x900000, ELF_BAD_ADDRESS)
BAD(test_entry_not_executable, eh->entry = 0x402000, ELF_BAD_ADDRESS)
BAD(test_entry_huge, eh->entry = UINT64_MAX, ELF_BAD_ADDRESS)
BAD(test_interp, ph[1].type = 3, ELF_INTERP)
BAD(test_no_load, (ph[0].type = 4, ph[1].type = 4), ELF_NO_SEGMENTS)

static void test_truncated(void **state)
{
	(void)state;
	assert_int_equal(elf_parse(img, 63, LIMIT, &out), ELF_TRUNCATED);
	/* The program headers end past a shortened image. */
	assert_int_equal(elf_parse(img, 64 + 56, LIMIT, &out), ELF_BAD_PHDRS);
}

/* Regression: a misaligned program header table was read through a misaligned pointer. */
static void test_misaligned_phdrs(void **state)
{
	(void)state;
	memmove(img + 67, img + 64, 2 * 56);
	eh->phoff = 67;
	assert_int_equal(parse(), ELF_OK);
	assert_int_equal(out.nsegs, 2);
	assert_int_equal(out.segs[1].vaddr, 0x402000);
}

static void test_too_many_segments(void **state)
{
	(void)state;
	eh->phnum = ELF_MAX_SEGMENTS + 1;
	for (int i = 0; i < eh->phnum; i++)
		ph[i] = (struct elf64_phdr){ 1, 5, 0x1000, 0x401000 + 0x1000ull * i, 0, 0x10, 0x10, 0x1000 };
	assert_int_equal(parse(), ELF_TOO_MANY_SEGMENTS);
}

/* Random corruption never crashes the parser, and an accepted image is sane. */
static void test_random_corruption(void **state)
{
	unsigned seed = 12345;

	for (int round = 0; round < 20000; round++) {
		make_valid(state);
		for (int k = 0; k < 1 + round % 8; k++) {
			seed = seed * 1103515245 + 12345;
			img[(seed >> 8) % (64 + 4 * 56)] = (unsigned char)(seed >> 20);
		}
		if (parse() != ELF_OK)
			continue;
		for (int i = 0; i < out.nsegs; i++) {
			assert_true(out.segs[i].offset + out.segs[i].filesz <= IMG);
			assert_true(out.segs[i].filesz <= out.segs[i].memsz);
			assert_true(out.segs[i].vaddr + out.segs[i].memsz <= LIMIT);
		}
		assert_true(out.entry < LIMIT);
	}
}

static void test_strerror(void **state)
{
	(void)state;
	assert_string_equal(elf_strerror(ELF_INTERP), "dynamically linked (PT_INTERP)");
	assert_string_equal(elf_strerror((enum elf_error)999), "unknown error");
}

#define T(fn) cmocka_unit_test_setup(fn, make_valid)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_valid_exec), T(test_gnu_stack_and_empty_segment), T(test_dyn_is_biased),
		T(test_bad_magic), T(test_32bit), T(test_big_endian), T(test_wrong_machine),
		T(test_relocatable), T(test_phentsize), T(test_no_phdrs), T(test_phoff_beyond),
		T(test_phdrs_run_off_end), T(test_phoff_huge), T(test_filesz_over_memsz),
		T(test_data_beyond_image), T(test_offset_huge), T(test_misaligned),
		T(test_kernel_address), T(test_wraps_around), T(test_into_the_stack),
		T(test_page_zero), T(test_entry_outside), T(test_entry_not_executable),
		T(test_entry_huge), T(test_interp), T(test_no_load), T(test_truncated),
		T(test_misaligned_phdrs), T(test_too_many_segments), T(test_random_corruption), T(test_strerror),
	};
	return cmocka_run_group_tests_name("elf", tests, NULL, NULL);
}
