/* Unit tests of the buddy page allocator (kernel/kern/pmm.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <kern/pmm.h>

#define NFRAMES	4096		/* 16 MiB of pretend physical memory */
#define PG	PMM_PAGE_SIZE

static struct pmm p;
static struct pmm_frame frames[NFRAMES];

static int setup_all_free(void **state)
{
	(void)state;
	pmm_init(&p, 0, NFRAMES, frames);
	pmm_add_range(&p, 0, NFRAMES * PG, NULL, 0);
	return 0;
}

static void test_starts_reserved(void **state)
{
	(void)state;
	pmm_init(&p, 0, NFRAMES, frames);
	assert_int_equal(p.free_pages, 0);
	assert_true(pmm_alloc(&p, 0) == PMM_NONE);
}

static void test_add_range_counts_whole_pages(void **state)
{
	(void)state;
	pmm_init(&p, 0, NFRAMES, frames);
	/* [0x1800, 0x5800): only pages 2, 3, 4 are whole. */
	pmm_add_range(&p, 0x1800, 0x5800, NULL, 0);
	assert_int_equal(p.free_pages, 3);
	assert_int_equal(p.total_pages, 3);
}

static void test_exclusions_are_never_handed_out(void **state)
{
	struct pmm_range excl[] = { { 0x10000, 0x20000 }, { 0x30800, 0x30900 } };
	uint64_t pa;

	(void)state;
	pmm_init(&p, 0, NFRAMES, frames);
	pmm_add_range(&p, 0, 0x40000, excl, 2);
	assert_int_equal(p.free_pages, 64 - 16 - 1);
	while ((pa = pmm_alloc(&p, 0)) != PMM_NONE) {
		assert_false(pa >= 0x10000 && pa < 0x20000);
		assert_false(pa == 0x30000);
	}
}

static void test_alloc_is_aligned_and_distinct(void **state)
{
	static uint8_t used[NFRAMES];
	(void)state;
	for (unsigned order = 0; order <= 4; order++) {
		uint64_t pa = pmm_alloc(&p, order);
		assert_true(pa != PMM_NONE);
		assert_int_equal(pa % (PG << order), 0);
		for (uint64_t i = 0; i < (1u << order); i++) {
			assert_int_equal(used[pa / PG + i], 0);
			used[pa / PG + i] = 1;
		}
	}
}

static void test_free_merges_back(void **state)
{
	static uint64_t pages[NFRAMES + 1];	/* + the failed allocation */
	size_t n = 0;

	(void)state;
	while ((pages[n] = pmm_alloc(&p, 0)) != PMM_NONE)
		n++;
	assert_int_equal(n, NFRAMES);
	assert_int_equal(p.free_pages, 0);
	/* Free in a scrambled order: everything must coalesce into max-order blocks. */
	for (size_t i = 0; i < n; i += 2)
		assert_true(pmm_free(&p, pages[i], 0));
	for (size_t i = 1; i < n; i += 2)
		assert_true(pmm_free(&p, pages[i], 0));
	assert_int_equal(p.free_pages, NFRAMES);
	for (unsigned k = 0; k < PMM_MAX_ORDER; k++)
		assert_true(list_empty(&p.free_lists[k]));
	assert_true(pmm_alloc(&p, PMM_MAX_ORDER) != PMM_NONE);
}

static void test_bad_frees_are_refused(void **state)
{
	uint64_t a = pmm_alloc(&p, 2);

	(void)state;
	assert_false(pmm_free(&p, a, 1));		/* wrong order */
	assert_false(pmm_free(&p, a + PG, 0));		/* inside a block */
	assert_false(pmm_free(&p, a + 1, 2));		/* not page-aligned */
	assert_false(pmm_free(&p, NFRAMES * PG, 0));	/* beyond the frames */
	assert_true(pmm_free(&p, a, 2));
	assert_false(pmm_free(&p, a, 2));		/* double free */
	assert_int_equal(p.free_pages, NFRAMES);
}

static void test_exhaustion_and_too_large(void **state)
{
	(void)state;
	assert_true(pmm_alloc(&p, PMM_MAX_ORDER + 1) == PMM_NONE);
	for (int i = 0; i < NFRAMES / (1 << PMM_MAX_ORDER); i++)
		assert_true(pmm_alloc(&p, PMM_MAX_ORDER) != PMM_NONE);
	assert_true(pmm_alloc(&p, 0) == PMM_NONE);
}

static void test_nonzero_base_pfn(void **state)
{
	uint64_t pa;

	(void)state;
	pmm_init(&p, 0x100, 512, frames);	/* frames start at 1 MiB */
	pmm_add_range(&p, 0, 0x300000, NULL, 0);
	assert_int_equal(p.free_pages, 512);
	pa = pmm_alloc(&p, 8);
	assert_true(pa >= 0x100000 && pa < 0x300000);
	assert_int_equal(pa % (PG << 8), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_starts_reserved),
		cmocka_unit_test(test_add_range_counts_whole_pages),
		cmocka_unit_test(test_exclusions_are_never_handed_out),
		cmocka_unit_test_setup(test_alloc_is_aligned_and_distinct, setup_all_free),
		cmocka_unit_test_setup(test_free_merges_back, setup_all_free),
		cmocka_unit_test_setup(test_bad_frees_are_refused, setup_all_free),
		cmocka_unit_test_setup(test_exhaustion_and_too_large, setup_all_free),
		cmocka_unit_test(test_nonzero_base_pfn),
	};
	return cmocka_run_group_tests_name("pmm", tests, NULL, NULL);
}
