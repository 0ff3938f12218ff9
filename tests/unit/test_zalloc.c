/* Unit tests of zones and kalloc (kernel/kern/zalloc.c), with pages from the host. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <kern/zalloc.h>

static long pages_out;		/* pages handed to the allocator and not returned */
static int fail_pages;		/* make the page source fail */

void *zone_pages_alloc(unsigned order)
{
	void *p;

	if (fail_pages)
		return NULL;
	p = aligned_alloc(4096, (size_t)4096 << order);
	if (p)
		pages_out += 1L << order;
	return p;
}

void zone_pages_free(void *va, unsigned order)
{
	pages_out -= 1L << order;
	free(va);
}

static void test_objects_are_distinct_aligned_and_usable(void **state)
{
	struct zone z;
	void *objs[500];

	(void)state;
	zone_init(&z, "test", 40);
	assert_int_equal(z.elem_size, 48);
	for (int i = 0; i < 500; i++) {
		objs[i] = zalloc(&z);
		assert_non_null(objs[i]);
		assert_int_equal((uintptr_t)objs[i] % 16, 0);
		memset(objs[i], i & 0xff, 40);
	}
	for (int i = 0; i < 500; i++)
		for (int j = 0; j < 40; j++)
			assert_int_equal(((unsigned char *)objs[i])[j], i & 0xff);
	assert_int_equal(z.in_use, 500);
	assert_int_equal(z.pages, (500 + z.per_page - 1) / z.per_page);
	for (int i = 0; i < 500; i++)
		zfree(&z, objs[i]);
	assert_int_equal(z.in_use, 0);
	/* Only one empty page is kept cached; the rest went back. */
	assert_int_equal(z.pages, 1);
	assert_int_equal(pages_out, 1);
	zfree(&z, zalloc(&z));
	assert_int_equal(pages_out, 1);
	zone_drain(&z);
	assert_int_equal(pages_out, 0);
	assert_int_equal(z.pages, 0);
}

static void test_freed_object_is_reused(void **state)
{
	struct zone z;
	void *a, *b, *c;

	(void)state;
	zone_init(&z, "reuse", 64);
	a = zalloc(&z);
	c = zalloc(&z);
	zfree(&z, a);
	b = zalloc(&z);
	assert_ptr_equal(a, b);
	zfree(&z, b);
	zfree(&z, c);
	zone_drain(&z);
	assert_int_equal(pages_out, 0);
}

static void test_out_of_pages(void **state)
{
	struct zone z;

	(void)state;
	zone_init(&z, "starved", 128);
	fail_pages = 1;
	assert_null(zalloc(&z));
	fail_pages = 0;
	zfree(&z, zalloc(&z));
	zone_drain(&z);
	assert_int_equal(pages_out, 0);
}

static void test_kalloc_sizes(void **state)
{
	static const size_t sizes[] = { 1, 15, 16, 17, 100, 1000, 2048, 2049, 4096, 5000, 70000 };
	void *p[sizeof(sizes) / sizeof(sizes[0])];
	long before = pages_out;

	(void)state;
	kalloc_init();
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		p[i] = kzalloc(sizes[i]);
		assert_non_null(p[i]);
		for (size_t j = 0; j < sizes[i]; j++)
			assert_int_equal(((unsigned char *)p[i])[j], 0);
		memset(p[i], 0xab, sizes[i]);	/* ASan catches an undersized block */
		if (sizes[i] > 2048)
			assert_int_equal((uintptr_t)p[i] % 4096, 0);
	}
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		kfree(p[i], sizes[i]);
	/* Large blocks went back whole; each zone keeps at most one cached page. */
	assert_true(pages_out - before <= 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_objects_are_distinct_aligned_and_usable),
		cmocka_unit_test(test_freed_object_is_reused),
		cmocka_unit_test(test_out_of_pages),
		cmocka_unit_test(test_kalloc_sizes),
	};
	return cmocka_run_group_tests_name("zalloc", tests, NULL, NULL);
}
