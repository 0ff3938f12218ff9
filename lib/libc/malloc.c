/*
 * malloc, free, calloc and realloc for native tasks. Small requests come from
 * power-of-two size classes carved out of 16 KiB slabs; big ones get whole pages of
 * their own. Pages come from malloc_page_alloc/malloc_page_free (malloc_vm.c: the
 * task's vm_allocate; the unit test supplies its own), so this file is pure logic.
 *
 * Not thread-safe: a program with several threads calling these must serialise them
 * itself (every current native task has one thread that allocates).
 *
 * Layout. A small block is a 16-byte header (its class and a magic word) followed by
 * the caller's bytes; blocks are aligned to their size within page-aligned slabs, so
 * a small block's user pointer is always 16 mod 32 and never page-aligned. A big
 * block is page-aligned with no header: its size lives in a hash table of records
 * (themselves small blocks), which keeps a 4 KiB request (a tmpfs page) at one page.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MALLOC_PAGE		4096ul
#define MALLOC_SLAB		(4 * MALLOC_PAGE)
#define MALLOC_HDR		16ul
#define MALLOC_MIN_SHIFT	5			/* blocks of 32 bytes ... */
#define MALLOC_MAX_SHIFT	11			/* ... up to 2048 */
#define MALLOC_CLASSES		(MALLOC_MAX_SHIFT - MALLOC_MIN_SHIFT + 1)
#define MALLOC_SMALL_MAX	((1ul << MALLOC_MAX_SHIFT) - MALLOC_HDR)
#define MALLOC_BUCKETS		1024
#define MAGIC_USED		0x6d616c6c6f637573ull	/* "malloc" + "us"(ed) */
#define MAGIC_FREE		0x6d616c6c6f636672ull	/* "malloc" + "fr"(ee) */

void *malloc_page_alloc(size_t size);
void malloc_page_free(void *addr, size_t size);

struct block_hdr {
	uint64_t cls;		/* size class index */
	uint64_t magic;		/* MAGIC_USED or MAGIC_FREE */
};

struct free_block {
	struct block_hdr hdr;
	struct free_block *next;
};

struct big_rec {
	uintptr_t addr;
	size_t size;		/* bytes mapped (a multiple of the page size) */
	struct big_rec *next;
};

_Static_assert(sizeof(struct block_hdr) == MALLOC_HDR, "header keeps 16-byte alignment");

static struct free_block *free_lists[MALLOC_CLASSES];
static struct big_rec *big_table[MALLOC_BUCKETS];

/* Breaks a program's heap invariants: a bad or double free. Not recoverable. */
static void malloc_corrupt(void)
{
	__builtin_trap();
}

static unsigned size_class(size_t n)
{
	unsigned cls = 0;

	while ((1ul << (cls + MALLOC_MIN_SHIFT)) - MALLOC_HDR < n)
		cls++;
	return cls;
}

static size_t class_block(unsigned cls)
{
	return 1ul << (cls + MALLOC_MIN_SHIFT);
}

/* Carves a new slab into free blocks of class cls; 0 when out of pages. */
static int refill(unsigned cls)
{
	size_t bs = class_block(cls);
	char *slab = malloc_page_alloc(MALLOC_SLAB);

	if (!slab)
		return 0;
	for (size_t off = MALLOC_SLAB; off >= bs; off -= bs) {
		struct free_block *b = (struct free_block *)(slab + off - bs);

		b->hdr.cls = cls;
		b->hdr.magic = MAGIC_FREE;
		b->next = free_lists[cls];
		free_lists[cls] = b;
	}
	return 1;
}

static void *small_alloc(size_t n)
{
	unsigned cls = size_class(n);
	struct free_block *b = free_lists[cls];

	if (!b) {
		if (!refill(cls))
			return NULL;
		b = free_lists[cls];
	}
	free_lists[cls] = b->next;
	b->hdr.magic = MAGIC_USED;
	return (char *)b + MALLOC_HDR;
}

static unsigned big_bucket(uintptr_t addr)
{
	return (unsigned)((addr / MALLOC_PAGE) % MALLOC_BUCKETS);
}

static void *big_alloc(size_t n)
{
	size_t size = (n + MALLOC_PAGE - 1) & ~(MALLOC_PAGE - 1);
	struct big_rec *r;
	void *p;

	if (size < n)
		return NULL;
	r = small_alloc(sizeof(*r));
	if (!r)
		return NULL;
	p = malloc_page_alloc(size);
	if (!p) {
		free(r);
		return NULL;
	}
	r->addr = (uintptr_t)p;
	r->size = size;
	r->next = big_table[big_bucket(r->addr)];
	big_table[big_bucket(r->addr)] = r;
	return p;
}

/* The record of big block p (unlinked from the table when unlink is set), or NULL. */
static struct big_rec *big_find(void *p, int unlink)
{
	struct big_rec **link = &big_table[big_bucket((uintptr_t)p)];

	for (; *link; link = &(*link)->next) {
		struct big_rec *r = *link;

		if (r->addr != (uintptr_t)p)
			continue;
		if (unlink)
			*link = r->next;
		return r;
	}
	return NULL;
}

void *malloc(size_t n)
{
	if (n == 0)
		n = 1;
	return n <= MALLOC_SMALL_MAX ? small_alloc(n) : big_alloc(n);
}

/* Bytes the caller may use in block p. */
static size_t usable_size(void *p)
{
	if ((uintptr_t)p % MALLOC_PAGE == 0) {
		struct big_rec *r = big_find(p, 0);

		if (!r)
			malloc_corrupt();
		return r->size;
	}
	struct block_hdr *h = (struct block_hdr *)((char *)p - MALLOC_HDR);

	if (h->magic != MAGIC_USED || h->cls >= MALLOC_CLASSES)
		malloc_corrupt();
	return class_block((unsigned)h->cls) - MALLOC_HDR;
}

void free(void *p)
{
	if (!p)
		return;
	if ((uintptr_t)p % MALLOC_PAGE == 0) {
		struct big_rec *r = big_find(p, 1);

		if (!r)
			malloc_corrupt();
		malloc_page_free(p, r->size);
		free(r);
		return;
	}
	struct free_block *b = (struct free_block *)((char *)p - MALLOC_HDR);

	if (b->hdr.magic != MAGIC_USED || b->hdr.cls >= MALLOC_CLASSES)
		malloc_corrupt();
	b->hdr.magic = MAGIC_FREE;
	b->next = free_lists[b->hdr.cls];
	free_lists[b->hdr.cls] = b;
}

void *calloc(size_t count, size_t size)
{
	void *p;

	if (size && count > SIZE_MAX / size)
		return NULL;
	p = malloc(count * size);
	/* Fresh pages are already zero, but recycled blocks are not. */
	if (p)
		memset(p, 0, count * size);
	return p;
}

void *realloc(void *p, size_t n)
{
	size_t have;
	void *q;

	if (!p)
		return malloc(n);
	if (n == 0) {
		free(p);
		return NULL;
	}
	have = usable_size(p);
	/* Stay put when n fits and would not fit a smaller class or fewer pages. */
	if (have <= MALLOC_SMALL_MAX && n <= have && size_class(n) == size_class(have))
		return p;
	if (have > MALLOC_SMALL_MAX && n > MALLOC_SMALL_MAX && n <= have &&
	    have - n < MALLOC_PAGE)
		return p;
	q = malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, n < have ? n : have);
	free(p);
	return q;
}
