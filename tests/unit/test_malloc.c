/*
 * Unit tests of the C library's heap (lib/libc/malloc.c), compiled here as
 * lib_malloc/lib_free/lib_calloc/lib_realloc over a page source made of host pages,
 * which counts what is outstanding and can be told to fail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

void *lib_malloc(size_t n);
void lib_free(void *p);
void *lib_calloc(size_t count, size_t size);
void *lib_realloc(void *p, size_t n);

static size_t pages_out;	/* bytes handed out by the page source */
static int pages_fail;		/* make the page source fail */

void *malloc_page_alloc(size_t size);
void malloc_page_free(void *addr, size_t size);

void *malloc_page_alloc(size_t size)
{
	void *p;

	assert_int_equal(size % 4096, 0);
	if (pages_fail)
		return NULL;
	p = aligned_alloc(4096, size);
	assert_non_null(p);
	memset(p, 0, size);
	pages_out += size;
	return p;
}

void malloc_page_free(void *addr, size_t size)
{
	assert_int_equal((uintptr_t)addr % 4096, 0);
	assert_true(pages_out >= size);
	pages_out -= size;
	free(addr);
}

static void fill(void *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		((unsigned char *)p)[i] = (unsigned char)(seed * 31 + i);
}

static int check(const void *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		if (((const unsigned char *)p)[i] != (unsigned char)(seed * 31 + i))
			return 0;
	return 1;
}

/* Every size up to 3 pages: aligned, writable, and no block overlaps another. */
static void test_sizes_do_not_overlap(void **state)
{
	enum { N = 3 * 4096 + 2 };
	static void *blocks[N];

	(void)state;
	for (size_t n = 0; n < N; n++) {
		blocks[n] = lib_malloc(n);
		assert_non_null(blocks[n]);
		assert_int_equal((uintptr_t)blocks[n] % 16, 0);
		fill(blocks[n], n, (unsigned)n);
	}
	for (size_t n = 0; n < N; n++)
		assert_true(check(blocks[n], n, (unsigned)n));
	for (size_t n = 0; n < N; n++)
		lib_free(blocks[n]);
}

static void test_reuse_after_free(void **state)
{
	void *a, *b;

	(void)state;
	a = lib_malloc(100);
	lib_free(a);
	b = lib_malloc(90);	/* the same class: the block just freed comes back */
	assert_ptr_equal(a, b);
	lib_free(b);
	lib_free(NULL);
}

/* A page-sized request (tmpfs's file pages) costs exactly one page, and gives it back. */
static void test_big_blocks_are_pages(void **state)
{
	void *p, *q;
	size_t before;

	(void)state;
	p = lib_malloc(1);	/* make sure the record class has a slab already */
	before = pages_out;
	q = lib_malloc(4096);
	assert_int_equal((uintptr_t)q % 4096, 0);
	assert_true(pages_out - before <= 4096 + 4 * 4096);	/* one page, maybe a record slab */
	memset(q, 0xab, 4096);
	lib_free(q);
	before = pages_out;
	q = lib_malloc(4096);
	assert_int_equal(pages_out - before, 4096);
	lib_free(q);
	assert_int_equal(pages_out, before);
	q = lib_malloc(1 << 20);
	assert_int_equal(pages_out - before, 1 << 20);
	lib_free(q);
	assert_int_equal(pages_out, before);
	lib_free(p);
}

static void test_calloc_zeroes(void **state)
{
	unsigned char *p;

	(void)state;
	p = lib_malloc(200);
	memset(p, 0xff, 200);
	lib_free(p);
	p = lib_calloc(25, 8);	/* recycles the dirty block, which must come back zeroed */
	for (int i = 0; i < 200; i++)
		assert_int_equal(p[i], 0);
	lib_free(p);
	assert_null(lib_calloc(SIZE_MAX / 2, 3));
	assert_null(lib_calloc((size_t)1 << 33, (size_t)1 << 33));
	p = lib_calloc(0, 5);
	assert_non_null(p);
	lib_free(p);
}

static void test_realloc_moves(void **state)
{
	unsigned char *p, *q;

	(void)state;
	p = lib_realloc(NULL, 10);
	assert_non_null(p);
	fill(p, 10, 1);
	q = lib_realloc(p, 12);		/* same class: stays */
	assert_ptr_equal(p, q);
	q = lib_realloc(p, 3000);	/* to a big block: contents kept */
	assert_true(check(q, 10, 1));
	fill(q, 3000, 2);
	p = lib_realloc(q, 3500);	/* still one page */
	assert_ptr_equal(p, q);
	q = lib_realloc(p, 20000);
	assert_true(check(q, 3000, 2));
	p = lib_realloc(q, 40);		/* shrinking back to a small block */
	assert_true(check(p, 40, 2));
	assert_null(lib_realloc(p, 0));	/* freed */
	assert_null(lib_malloc(SIZE_MAX - 100));
}

static void test_out_of_pages(void **state)
{
	enum { MAX = 8192 };
	static void *held[MAX];
	int n;

	(void)state;
	pages_fail = 1;
	assert_null(lib_malloc(100000));
	/* Small blocks keep coming from slabs already mapped, then run out cleanly. */
	for (n = 0; n < MAX; n++)
		if (!(held[n] = lib_malloc(1500)))
			break;
	pages_fail = 0;
	assert_true(n < MAX);
	while (n--)
		lib_free(held[n]);
}

/* Random allocations, resizes and frees against a model of what each block holds. */
static void test_random_against_model(void **state)
{
	enum { SLOTS = 200, STEPS = 20000 };
	static unsigned char *p[SLOTS];
	static size_t len[SLOTS];
	unsigned seed = 12345;

	(void)state;
	for (int step = 0; step < STEPS; step++) {
		seed = seed * 1103515245 + 12345;
		int i = (seed >> 8) % SLOTS;
		size_t n = (seed >> 16) % 7 == 0 ? (seed >> 4) % 70000 : (seed >> 4) % 600;

		if (p[i])
			assert_true(check(p[i], len[i], (unsigned)i + (unsigned)len[i]));
		if (p[i] && seed % 3 == 0) {
			lib_free(p[i]);
			p[i] = NULL;
			continue;
		}
		unsigned char *q = p[i] ? lib_realloc(p[i], n ? n : 1) : lib_malloc(n);
		assert_non_null(q);
		if (p[i])
			assert_true(check(q, len[i] < n ? len[i] : n, (unsigned)i + (unsigned)len[i]));
		p[i] = q;
		len[i] = n;
		fill(q, n, (unsigned)i + (unsigned)n);
	}
	for (int i = 0; i < SLOTS; i++)
		lib_free(p[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes_do_not_overlap),
		cmocka_unit_test(test_reuse_after_free),
		cmocka_unit_test(test_big_blocks_are_pages),
		cmocka_unit_test(test_calloc_zeroes),
		cmocka_unit_test(test_realloc_moves),
		cmocka_unit_test(test_out_of_pages),
		cmocka_unit_test(test_random_against_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
