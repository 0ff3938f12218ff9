/*
 * Unit tests of the VM's maps, objects, faults, copies and user-style byte access
 * (kernel/vm/vm_map.c, vm_object.c, vm_fault.c, vm_copy.c, vm_access.c) on the host: pages are host memory behind fake
 * physical addresses, and the pmap is a table of mappings. A "user access" goes through
 * the table and, where the table says no, through vm_fault, as the MMU would.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <mach/vm_wire.h>
#include <arch/pmap.h>
#include <kern/layout.h>
#include <kern/thread.h>
#include <kern/vm_map.h>
#include <kern/vm_object.h>
#include <kern/vm_page.h>
#include <kern/zalloc.h>

#define PG		4096ull
#define NPAGES		4096
#define NPAGES_U	((uint64_t)NPAGES)
#define PA(i)		(((uint64_t)(i) + 1) * PG)
#define INDEX(pa)	((pa) / PG - 1)

/* ---------------------------------------------------------------- fake pages */

struct vm_counters vm_counters;
static unsigned char *page_mem[NPAGES];
static uint32_t page_refs[NPAGES];
static int pages_live;
static int page_budget = -1;	/* pages vm_page_alloc may still give; -1: no limit */

uint64_t vm_page_available(void)
{
	return page_budget < 0 ? NPAGES_U - (uint64_t)pages_live : (uint64_t)page_budget;
}

uint64_t vm_page_alloc(bool zero)
{
	(void)zero;	/* host pages start zeroed */
	if (page_budget == 0)
		return VM_PAGE_NONE;
	for (int i = 0; i < NPAGES; i++) {
		if (page_mem[i])
			continue;
		page_mem[i] = calloc(1, PG);
		page_refs[i] = 1;
		pages_live++;
		if (page_budget > 0)
			page_budget--;
		return PA(i);
	}
	return VM_PAGE_NONE;
}

uint32_t vm_page_ref(uint64_t pa)
{
	assert_non_null(page_mem[INDEX(pa)]);
	return ++page_refs[INDEX(pa)];
}

void vm_page_release(uint64_t pa)
{
	assert_true(page_refs[INDEX(pa)] > 0);
	if (--page_refs[INDEX(pa)] == 0) {
		free(page_mem[INDEX(pa)]);
		page_mem[INDEX(pa)] = NULL;
		pages_live--;
	}
}

uint32_t vm_page_refs(uint64_t pa)
{
	return page_refs[INDEX(pa)];
}

void *vm_page_va(uint64_t pa)
{
	return page_mem[INDEX(pa)];
}

uint64_t vm_page_alloc_contiguous(uint64_t npages, uint64_t pmin, uint64_t pmax, uint64_t align)
{
	(void)npages, (void)pmin, (void)pmax, (void)align;
	return VM_PAGE_NONE;
}

/* ---------------------------------------------------------------- fake pmap */

static struct mapping {
	struct pmap *pm;
	uint64_t va, pa;
	int prot;
	bool device;		/* entered uncached, by pmap_enter_device */
} maps[NPAGES];
static int nmaps;

static struct mapping *find(struct pmap *pm, uint64_t va)
{
	for (int i = 0; i < nmaps; i++)
		if (maps[i].pm == pm && maps[i].va == va)
			return &maps[i];
	return NULL;
}

kern_return_t pmap_enter(struct pmap *pm, uint64_t va, uint64_t pa, int prot)
{
	struct mapping *m = find(pm, va);

	assert_int_not_equal(prot, VM_PROT_NONE);
	if (!m) {
		assert_true(nmaps < NPAGES);
		m = &maps[nmaps++];
	}
	*m = (struct mapping){ pm, va, pa, prot, false };
	return KERN_SUCCESS;
}

kern_return_t pmap_enter_device(struct pmap *pm, uint64_t va, uint64_t pa, int prot)
{
	pmap_enter(pm, va, pa, prot);
	find(pm, va)->device = true;
	return KERN_SUCCESS;
}

void pmap_remove(struct pmap *pm, uint64_t start, uint64_t end)
{
	for (int i = 0; i < nmaps; i++)
		if (maps[i].pm == pm && maps[i].va >= start && maps[i].va < end)
			maps[i--] = maps[--nmaps];
}

void pmap_remove_all(struct pmap *pm)
{
	pmap_remove(pm, 0, ~0ull);
}

void pmap_write_protect(struct pmap *pm, uint64_t start, uint64_t end)
{
	for (int i = 0; i < nmaps; i++)
		if (maps[i].pm == pm && maps[i].va >= start && maps[i].va < end)
			maps[i].prot &= ~VM_PROT_WRITE;
}

void pmap_protect(struct pmap *pm, uint64_t va, int prot)
{
	struct mapping *m = find(pm, va);

	if (m)
		m->prot = prot;
}

bool pmap_extract(struct pmap *pm, uint64_t va, uint64_t *pa, int *prot)
{
	struct mapping *m = find(pm, va);

	if (!m)
		return false;
	*pa = m->pa;
	*prot = m->prot;
	return true;
}

/* No test here takes an unresolved fault through vm_fault_failed. */
void exception_raise_fault(struct thread *th, int exc, int code, int64_t subcode)
{
	(void)th, (void)exc, (void)code, (void)subcode;
	fail_msg("exception_raise_fault");
	abort();
}

void *zone_pages_alloc(unsigned order)
{
	return aligned_alloc(PG, PG << order);
}

void zone_pages_free(void *va, unsigned order)
{
	(void)order;
	free(va);
}

/* ---------------------------------------------------------------- user accesses */

struct task_vm {
	struct pmap pmap;
	struct vm_map map;
};

static void tv_init(struct task_vm *t)
{
	memset(t, 0, sizeof(*t));
	vm_map_init(&t->map, &t->pmap);
}

/* The byte at va, as the MMU would give it: KERN_SUCCESS or the fault's error. */
static kern_return_t access_byte(struct task_vm *t, uint64_t va, int access, unsigned char **p)
{
	struct mapping *m = find(&t->pmap, va & ~(PG - 1));
	kern_return_t kr;

	if (!m || (m->prot & access) != access) {
		kr = vm_fault(&t->map, va, access);
		if (kr != KERN_SUCCESS)
			return kr;
		m = find(&t->pmap, va & ~(PG - 1));
		assert_non_null(m);
		assert_true((m->prot & access) == access);
	}
	*p = (unsigned char *)vm_page_va(m->pa) + (va & (PG - 1));
	return KERN_SUCCESS;
}

static unsigned char rd(struct task_vm *t, uint64_t va)
{
	unsigned char *p;

	assert_int_equal(access_byte(t, va, VM_PROT_READ, &p), KERN_SUCCESS);
	return *p;
}

static void wr(struct task_vm *t, uint64_t va, unsigned char v)
{
	unsigned char *p;

	assert_int_equal(access_byte(t, va, VM_PROT_WRITE, &p), KERN_SUCCESS);
	*p = v;
}

static uint64_t alloc(struct task_vm *t, uint64_t size)
{
	uint64_t a = 0;

	assert_int_equal(vm_map_enter(&t->map, &a, size, true, VM_PROT_DEFAULT), KERN_SUCCESS);
	return a;
}

static int setup(void **state)
{
	(void)state;
	nmaps = 0;
	page_budget = -1;
	memset(&vm_counters, 0, sizeof(vm_counters));
	return 0;
}

/* Everything goes back: pages, mappings, objects, entries. */
static int teardown(void **state)
{
	(void)state;
	assert_int_equal(pages_live, 0);
	assert_int_equal(nmaps, 0);
	assert_int_equal(vm_counters.objects, 0);
	assert_int_equal(vm_entries_live, 0);
	return 0;
}

/* ---------------------------------------------------------------- tests */

static void test_zero_fill_on_first_touch(void **state)
{
	struct task_vm t;
	uint64_t a;

	(void)state;
	tv_init(&t);
	a = alloc(&t, 100 * PG);
	assert_int_equal(pages_live, 0);	/* nothing eagerly */
	assert_int_equal(rd(&t, a + 5 * PG + 7), 0);
	wr(&t, a + 99 * PG, 42);
	assert_int_equal(pages_live, 2);
	assert_int_equal(vm_counters.zero_fill, 2);
	assert_int_equal(rd(&t, a + 99 * PG), 42);
	vm_map_destroy(&t.map);
}

static void test_fork_copy_is_copy_on_write(void **state)
{
	struct task_vm p, c;
	uint64_t a;

	(void)state;
	tv_init(&p);
	tv_init(&c);
	a = alloc(&p, 4 * PG);
	for (int i = 0; i < 4; i++)
		wr(&p, a + i * PG, (unsigned char)(10 + i));
	assert_int_equal(vm_map_fork(&c.map, &p.map), KERN_SUCCESS);
	assert_int_equal(pages_live, 4);	/* shared, not copied */
	for (int i = 0; i < 4; i++)
		assert_int_equal(rd(&c, a + i * PG), 10 + i);
	wr(&p, a, 99);				/* the parent's write copies one page */
	assert_int_equal(pages_live, 5);
	assert_int_equal(vm_counters.cow_faults, 1);
	assert_int_equal(rd(&c, a), 10);
	wr(&c, a + PG, 77);			/* and the child's another */
	assert_int_equal(rd(&p, a + PG), 11);
	assert_int_equal(rd(&p, a), 99);
	wr(&c, a, 55);				/* the last holder writes in place */
	assert_int_equal(vm_counters.cow_faults, 2);
	assert_int_equal(rd(&p, a), 99);
	vm_map_destroy(&p.map);
	assert_int_equal(rd(&c, a + 2 * PG), 12);
	vm_map_destroy(&c.map);
}

/*
 * A second fork of pages shared already protects nothing more; a page private again
 * (the other holder gone) and written since is protected by the next fork.
 */
static void test_fork_again_and_after_the_child_ends(void **state)
{
	struct task_vm p, c1, c2;
	uint64_t a;

	(void)state;
	tv_init(&p);
	tv_init(&c1);
	tv_init(&c2);
	a = alloc(&p, 2 * PG);
	wr(&p, a, 1);
	wr(&p, a + PG, 2);
	assert_int_equal(vm_map_fork(&c1.map, &p.map), KERN_SUCCESS);
	assert_int_equal(vm_map_fork(&c2.map, &p.map), KERN_SUCCESS);
	wr(&p, a, 3);
	assert_int_equal(rd(&c1, a), 1);
	assert_int_equal(rd(&c2, a), 1);
	wr(&c2, a + PG, 4);
	assert_int_equal(rd(&p, a + PG), 2);
	assert_int_equal(rd(&c1, a + PG), 2);
	vm_map_destroy(&c1.map);
	vm_map_destroy(&c2.map);
	wr(&p, a + PG, 5);			/* private again: written in place */
	tv_init(&c1);
	assert_int_equal(vm_map_fork(&c1.map, &p.map), KERN_SUCCESS);
	wr(&p, a + PG, 6);
	assert_int_equal(rd(&c1, a + PG), 5);
	vm_map_destroy(&c1.map);
	vm_map_destroy(&p.map);
}

/*
 * vm_write's path: whole pages of a snapshot written over a range take the snapshot's
 * pages (copy-on-write) instead of their bytes; a page of zeroes in the snapshot
 * replaces a page the destination had.
 */
static void test_overwrite_takes_the_pages(void **state)
{
	struct task_vm s, d;
	struct vm_map_copy *copy;
	uint64_t a, b, pa_src, pa_dst;
	int prot;

	(void)state;
	tv_init(&s);
	tv_init(&d);
	a = alloc(&s, 3 * PG);
	wr(&s, a, 1);
	wr(&s, a + 2 * PG, 3);			/* a + PG stays untouched: zeroes */
	b = alloc(&d, 3 * PG);
	wr(&d, b + PG, 9);
	assert_int_equal(vm_map_copyin(&s.map, a, 3 * PG, false, &copy), KERN_SUCCESS);
	assert_int_equal(vm_map_copy_overwrite(&d.map, b, copy), KERN_SUCCESS);
	vm_map_copy_discard(copy);
	assert_int_equal(pages_live, 2);	/* d's own page went; nothing was copied */
	assert_int_equal(rd(&d, b), 1);
	assert_int_equal(rd(&d, b + PG), 0);
	assert_int_equal(rd(&d, b + 2 * PG), 3);
	assert_true(pmap_extract(&s.pmap, a, &pa_src, &prot));
	assert_true(pmap_extract(&d.pmap, b, &pa_dst, &prot));
	assert_true(pa_src == pa_dst && !(prot & VM_PROT_WRITE));
	wr(&d, b, 7);				/* each side's writes stay its own */
	wr(&s, a + 2 * PG, 8);
	assert_int_equal(rd(&s, a), 1);
	assert_int_equal(rd(&d, b + 2 * PG), 3);
	/* A wired destination's pages stay where they are: the bytes are written. */
	assert_int_equal(vm_map_wire_all(&d.map, VM_WIRE_CURRENT), KERN_SUCCESS);
	assert_true(pmap_extract(&d.pmap, b + 2 * PG, &pa_dst, &prot));
	assert_int_equal(vm_map_copyin(&s.map, a, 3 * PG, false, &copy), KERN_SUCCESS);
	assert_int_equal(vm_map_copy_overwrite(&d.map, b, copy), KERN_SUCCESS);
	vm_map_copy_discard(copy);
	assert_true(pmap_extract(&d.pmap, b + 2 * PG, &pa_src, &prot));
	assert_int_equal(pa_src, pa_dst);
	assert_int_equal(rd(&d, b + 2 * PG), 8);
	assert_int_equal(rd(&d, b), 1);
	vm_map_destroy(&s.map);
	vm_map_destroy(&d.map);
}

static void test_fork_untouched_pages_stay_zero(void **state)
{
	struct task_vm p, c;
	uint64_t a;

	(void)state;
	tv_init(&p);
	tv_init(&c);
	a = alloc(&p, 2 * PG);
	assert_int_equal(vm_map_fork(&c.map, &p.map), KERN_SUCCESS);
	wr(&p, a, 1);
	assert_int_equal(rd(&c, a), 0);
	wr(&c, a + PG, 2);
	assert_int_equal(rd(&p, a + PG), 0);
	vm_map_destroy(&p.map);
	vm_map_destroy(&c.map);
}

static void test_fork_share_and_none(void **state)
{
	struct task_vm p, c;
	uint64_t s, n;

	(void)state;
	tv_init(&p);
	tv_init(&c);
	s = alloc(&p, PG);
	n = alloc(&p, PG);
	wr(&p, s, 1);
	wr(&p, n, 2);
	assert_int_equal(vm_map_inherit(&p.map, s, s + PG, VM_INHERIT_SHARE), KERN_SUCCESS);
	assert_int_equal(vm_map_inherit(&p.map, n, n + PG, VM_INHERIT_NONE), KERN_SUCCESS);
	assert_int_equal(vm_map_fork(&c.map, &p.map), KERN_SUCCESS);
	wr(&c, s, 3);
	assert_int_equal(rd(&p, s), 3);
	wr(&p, s, 4);
	assert_int_equal(rd(&c, s), 4);
	assert_null(vm_map_lookup(&c.map, n));
	assert_int_equal(vm_fault(&c.map, n, VM_PROT_READ), KERN_INVALID_ADDRESS);
	assert_int_equal(c.map.size, PG);
	vm_map_destroy(&p.map);
	assert_int_equal(rd(&c, s), 4);		/* the child keeps the shared page */
	vm_map_destroy(&c.map);
}

/* A page of a shared object that is then copied: the sharers see the writer's copy, the
 * snapshot keeps the old page. */
static void test_shared_object_with_a_snapshot(void **state)
{
	struct task_vm p, c;
	struct vm_map_copy *copy;
	uint64_t s, got;

	(void)state;
	tv_init(&p);
	tv_init(&c);
	s = alloc(&p, PG);
	wr(&p, s, 1);
	vm_map_inherit(&p.map, s, s + PG, VM_INHERIT_SHARE);
	assert_int_equal(vm_map_fork(&c.map, &p.map), KERN_SUCCESS);
	assert_int_equal(rd(&c, s), 1);
	assert_int_equal(vm_map_copyin(&p.map, s, PG, false, &copy), KERN_SUCCESS);
	wr(&p, s, 2);
	assert_int_equal(rd(&c, s), 2);
	assert_int_equal(vm_map_copyout(&c.map, copy, &got), KERN_SUCCESS);
	assert_int_equal(rd(&c, got), 1);
	vm_map_destroy(&p.map);
	vm_map_destroy(&c.map);
}

static void test_protection_and_maximum(void **state)
{
	struct task_vm t;
	unsigned char *b;
	uint64_t a;

	(void)state;
	tv_init(&t);
	a = alloc(&t, 3 * PG);
	wr(&t, a + PG, 1);
	assert_int_equal(vm_map_protect(&t.map, a + PG, a + 2 * PG, VM_PROT_READ, false), KERN_SUCCESS);
	assert_int_equal(access_byte(&t, a + PG, VM_PROT_WRITE, &b), KERN_PROTECTION_FAILURE);
	assert_int_equal(rd(&t, a + PG), 1);
	wr(&t, a, 2);				/* the neighbours keep their protection */
	wr(&t, a + 2 * PG, 3);
	assert_int_equal(vm_map_protect(&t.map, a, a + 3 * PG, VM_PROT_READ, true), KERN_SUCCESS);
	assert_int_equal(vm_map_protect(&t.map, a, a + PG, VM_PROT_DEFAULT, false),
			 KERN_PROTECTION_FAILURE);
	assert_int_equal(access_byte(&t, a, VM_PROT_WRITE, &b), KERN_PROTECTION_FAILURE);
	assert_int_equal(vm_map_protect(&t.map, a, a + PG, VM_PROT_NONE, false), KERN_SUCCESS);
	assert_int_equal(access_byte(&t, a, VM_PROT_READ, &b), KERN_PROTECTION_FAILURE);
	vm_map_destroy(&t.map);
}

static void test_copyin_dealloc_and_copyout(void **state)
{
	struct task_vm s, r;
	struct vm_map_copy *copy;
	uint64_t a, got;

	(void)state;
	tv_init(&s);
	tv_init(&r);
	a = alloc(&s, 3 * PG);
	wr(&s, a + 100, 7);
	wr(&s, a + 2 * PG + 5, 8);
	assert_int_equal(vm_map_copyin(&s.map, a + 100, 2 * PG, true, &copy), KERN_SUCCESS);
	assert_null(vm_map_lookup(&s.map, a));		/* whole pages leave the sender */
	assert_null(vm_map_lookup(&s.map, a + 2 * PG));
	assert_int_equal(vm_map_copyout(&r.map, copy, &got), KERN_SUCCESS);
	assert_int_equal(got % PG, 100);
	assert_int_equal(rd(&r, got), 7);
	assert_int_equal(rd(&r, got + 2 * PG - 95), 8);
	vm_map_destroy(&s.map);
	vm_map_destroy(&r.map);
}

static void test_copyin_errors(void **state)
{
	struct task_vm t;
	struct vm_map_copy *copy;
	uint64_t a;

	(void)state;
	tv_init(&t);
	a = alloc(&t, PG);
	assert_int_equal(vm_map_copyin(&t.map, a, 2 * PG, false, &copy), KERN_INVALID_ADDRESS);
	assert_int_equal(vm_map_copyin(&t.map, a, UINT64_MAX, false, &copy), KERN_INVALID_ADDRESS);
	vm_map_protect(&t.map, a, a + PG, VM_PROT_NONE, false);
	assert_int_equal(vm_map_copyin(&t.map, a, 10, false, &copy), KERN_PROTECTION_FAILURE);
	assert_int_equal(vm_map_copyin(&t.map, a, 0, false, &copy), KERN_SUCCESS);
	assert_null(copy);
	vm_map_destroy(&t.map);
}

static void test_sparse_object_pages(void **state)
{
	struct task_vm t;
	const uint64_t size = 1ull << 36;	/* 2^24 pages: a 3-level page tree */
	const uint64_t idx[] = { 0, 511, 512, 513, 262143, 262144, (1ull << 24) - 1 };
	uint64_t a;

	(void)state;
	tv_init(&t);
	a = alloc(&t, size);
	for (unsigned i = 0; i < sizeof(idx) / sizeof(idx[0]); i++)
		wr(&t, a + idx[i] * PG, (unsigned char)(i + 1));
	for (unsigned i = 0; i < sizeof(idx) / sizeof(idx[0]); i++)
		assert_int_equal(rd(&t, a + idx[i] * PG), i + 1);
	assert_int_equal(pages_live, 7);
	assert_int_equal(rd(&t, a + 1000 * PG), 0);
	vm_map_destroy(&t.map);
}

static void test_remove_middle_frees_its_pages(void **state)
{
	struct task_vm t;
	uint64_t a;

	(void)state;
	tv_init(&t);
	a = alloc(&t, 10 * PG);
	for (int i = 0; i < 10; i++)
		wr(&t, a + i * PG, (unsigned char)i);
	assert_int_equal(vm_map_remove(&t.map, a + 2 * PG, a + 8 * PG), KERN_SUCCESS);
	assert_int_equal(pages_live, 4);
	assert_int_equal(rd(&t, a + 9 * PG), 9);
	assert_int_equal(vm_fault(&t.map, a + 5 * PG, VM_PROT_READ), KERN_INVALID_ADDRESS);
	assert_int_equal(t.map.size, 4 * PG);
	vm_map_destroy(&t.map);
}

static void test_out_of_memory(void **state)
{
	struct task_vm p, c;
	unsigned char *b;
	uint64_t a;

	(void)state;
	tv_init(&p);
	tv_init(&c);
	a = alloc(&p, 4 * PG);
	wr(&p, a, 1);
	assert_int_equal(vm_map_fork(&c.map, &p.map), KERN_SUCCESS);
	page_budget = 0;
	assert_int_equal(access_byte(&p, a + PG, VM_PROT_READ, &b), KERN_RESOURCE_SHORTAGE);
	assert_int_equal(access_byte(&p, a, VM_PROT_WRITE, &b), KERN_RESOURCE_SHORTAGE);
	assert_int_equal(rd(&p, a), 1);		/* what is resident still reads */
	assert_int_equal(vm_map_wire_all(&p.map, VM_WIRE_CURRENT), KERN_RESOURCE_SHORTAGE);
	page_budget = -1;
	wr(&p, a, 2);
	assert_int_equal(rd(&c, a), 1);
	vm_map_destroy(&p.map);
	vm_map_destroy(&c.map);
}

/* Wired pages never become copy-on-write (they must stay where they are): copies of
 * them are made at once. */
static void test_wired_pages_are_copied_eagerly(void **state)
{
	struct task_vm p, c;
	struct vm_map_copy *copy;
	uint64_t a, pa;

	(void)state;
	tv_init(&p);
	tv_init(&c);
	a = alloc(&p, 2 * PG);
	wr(&p, a, 1);
	assert_int_equal(vm_map_wire_all(&p.map, VM_WIRE_CURRENT), KERN_SUCCESS);
	assert_int_equal(pages_live, 2);
	pa = find(&p.pmap, a)->pa;
	assert_int_equal(vm_map_fork(&c.map, &p.map), KERN_SUCCESS);
	assert_int_equal(vm_map_copyin(&p.map, a, PG, false, &copy), KERN_SUCCESS);
	assert_int_equal(pages_live, 5);
	assert_int_equal(vm_page_refs(pa), 1);
	wr(&p, a, 2);
	assert_int_equal(find(&p.pmap, a)->pa, pa);
	assert_int_equal(vm_counters.cow_faults, 0);
	assert_int_equal(rd(&c, a), 1);
	vm_map_copy_discard(copy);
	vm_map_destroy(&p.map);
	vm_map_destroy(&c.map);
}

static void test_fixed_overlap_and_bad_ranges(void **state)
{
	struct task_vm t;
	uint64_t a, b;

	(void)state;
	tv_init(&t);
	a = alloc(&t, 2 * PG);
	b = a + PG;
	assert_int_equal(vm_map_enter(&t.map, &b, PG, false, VM_PROT_READ), KERN_NO_SPACE);
	b = USER_LIMIT - PG;
	assert_int_equal(vm_map_enter(&t.map, &b, 2 * PG, false, VM_PROT_READ), KERN_INVALID_ADDRESS);
	assert_int_equal(vm_map_enter(&t.map, &b, UINT64_MAX, true, VM_PROT_READ), KERN_NO_SPACE);
	assert_int_equal(vm_map_remove(&t.map, 0, USER_LIMIT + PG), KERN_INVALID_ADDRESS);
	assert_int_equal(vm_map_protect(&t.map, a, a + PG, VM_PROT_ALL, false), KERN_SUCCESS);
	t.map.size_limit = 3 * PG;
	b = 0;
	assert_int_equal(vm_map_enter(&t.map, &b, 2 * PG, true, VM_PROT_READ), KERN_NO_SPACE);
	vm_map_destroy(&t.map);
}

/*
 * Device memory: pages computed from the object's physical address (far outside the fake
 * pages, so any page reference taken on one would trip the fake allocator's checks),
 * entered uncached, shared by fork whatever the inheritance, never copied or written by
 * the kernel, and unmapped without being freed.
 */
static void test_device_memory(void **state)
{
	const uint64_t phys = 0xFE000000ull;
	struct task_vm p, c;
	struct vm_map_copy *copy;
	struct vm_object *o;
	struct mapping *m;
	uint64_t a = 0;

	(void)state;
	tv_init(&p);
	tv_init(&c);
	o = vm_object_device(phys, 1000);	/* more than the fake pages left */
	assert_non_null(o);
	assert_int_equal(vm_map_enter_object(&p.map, &a, 1000 * PG, 0, true, o, 0, VM_PROT_DEFAULT,
					     VM_PROT_ALL, VM_INHERIT_COPY), KERN_SUCCESS);
	assert_int_equal(vm_fault(&p.map, a + 3 * PG + 5, VM_PROT_WRITE), KERN_SUCCESS);
	m = find(&p.pmap, a + 3 * PG);
	assert_non_null(m);
	assert_true(m->device);
	assert_int_equal(m->pa, phys + 3 * PG);
	assert_int_equal(m->prot, VM_PROT_DEFAULT);
	assert_int_equal(vm_map_fork(&c.map, &p.map), KERN_SUCCESS);
	assert_int_equal(vm_fault(&c.map, a + 3 * PG, VM_PROT_WRITE), KERN_SUCCESS);
	assert_int_equal(find(&c.pmap, a + 3 * PG)->pa, phys + 3 * PG);
	assert_int_equal(vm_counters.objects, 1);	/* the child shares the object */
	assert_int_equal(vm_map_copyin(&p.map, a, PG, false, &copy), KERN_PROTECTION_FAILURE);
	assert_int_equal(vm_map_write(&p.map, a, "x", 1), KERN_PROTECTION_FAILURE);
	assert_int_equal(vm_map_wire_all(&p.map, VM_WIRE_CURRENT), KERN_SUCCESS);
	assert_true(find(&p.pmap, a + 999 * PG)->device);
	assert_int_equal(vm_map_wire_all(&p.map, VM_WIRE_NONE), KERN_SUCCESS);
	vm_map_destroy(&c.map);
	vm_map_destroy(&p.map);
	assert_int_equal(pages_live, 0);
}

/* vm_map_read_user / vm_map_write_user: the user's view, copy-on-write kept. */
static void test_user_access_and_cow(void **state)
{
	struct task_vm p, c;
	unsigned char b[3 * PG];
	uint64_t a;

	(void)state;
	tv_init(&p);
	tv_init(&c);
	a = alloc(&p, 4 * PG);
	wr(&p, a + PG - 1, 0x5A);
	assert_int_equal(vm_map_read_user(&p.map, a + PG - 2, b, 3), KERN_SUCCESS);
	assert_int_equal(b[0], 0);		/* zero-filled through the call */
	assert_int_equal(b[1], 0x5A);
	assert_int_equal(b[2], 0);
	assert_int_equal(pages_live, 2);
	assert_int_equal(vm_map_fork(&c.map, &p.map), KERN_SUCCESS);
	memset(b, 0x77, sizeof(b));
	assert_int_equal(vm_map_write_user(&c.map, a + PG - 1, b, 2), KERN_SUCCESS);
	assert_int_equal(rd(&p, a + PG - 1), 0x5A);	/* the parent keeps its page */
	assert_int_equal(rd(&p, a + PG), 0);
	assert_int_equal(rd(&c, a + PG - 1), 0x77);
	assert_int_equal(rd(&c, a + PG), 0x77);
	assert_int_equal(vm_counters.cow_faults, 2);
	assert_int_equal(c.map.cow_faults, 2);
	/* A user mapping that showed the shared page no longer does. */
	assert_int_equal(rd(&c, a + PG - 2), 0);
	vm_map_destroy(&c.map);
	vm_map_destroy(&p.map);
}

static void test_user_access_refusals_write_nothing(void **state)
{
	struct task_vm p;
	unsigned char b[2 * PG];
	uint64_t a;

	(void)state;
	tv_init(&p);
	a = alloc(&p, 3 * PG);
	wr(&p, a, 1);
	memset(b, 9, sizeof(b));
	assert_int_equal(vm_map_protect(&p.map, a + PG, a + 2 * PG, VM_PROT_READ, false),
			 KERN_SUCCESS);
	assert_int_equal(vm_map_write_user(&p.map, a + 10, b, PG), KERN_PROTECTION_FAILURE);
	assert_int_equal(rd(&p, a + 10), 0);
	assert_int_equal(vm_map_read_user(&p.map, a + 10, b, 20), KERN_SUCCESS);	/* page 0 only */
	assert_int_equal(vm_map_remove(&p.map, a + 2 * PG, a + 3 * PG), KERN_SUCCESS);
	assert_int_equal(vm_map_read_user(&p.map, a + 2 * PG - 1, b, 2), KERN_INVALID_ADDRESS);
	assert_int_equal(vm_map_read_user(&p.map, USER_LIMIT - 1, b, 2), KERN_INVALID_ADDRESS);
	assert_int_equal(vm_map_read_user(&p.map, ~0ull, b, 2), KERN_INVALID_ADDRESS);
	assert_int_equal(vm_map_protect(&p.map, a, a + PG, VM_PROT_NONE, false), KERN_SUCCESS);
	assert_int_equal(vm_map_read_user(&p.map, a, b, 1), KERN_PROTECTION_FAILURE);
	assert_int_equal(vm_map_read_user(&p.map, 0, b, 0), KERN_SUCCESS);
	assert_int_equal(vm_map_write_user(&p.map, ~0ull, b, 0), KERN_SUCCESS);
	/* Out of pages: a write needing a fresh page fails and writes nothing. */
	assert_int_equal(vm_map_protect(&p.map, a, a + 2 * PG, VM_PROT_DEFAULT, false),
			 KERN_SUCCESS);
	page_budget = 0;
	assert_int_equal(vm_map_write_user(&p.map, a + PG - 1, b, 2), KERN_RESOURCE_SHORTAGE);
	page_budget = -1;
	assert_int_equal(rd(&p, a + PG - 1), 0);
	vm_map_destroy(&p.map);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_zero_fill_on_first_touch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fork_copy_is_copy_on_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fork_untouched_pages_stay_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fork_again_and_after_the_child_ends, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_overwrite_takes_the_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fork_share_and_none, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_object_with_a_snapshot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_protection_and_maximum, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copyin_dealloc_and_copyout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copyin_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sparse_object_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remove_middle_frees_its_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wired_pages_are_copied_eagerly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fixed_overlap_and_bad_ranges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_device_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_access_and_cow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_access_refusals_write_nothing, setup,
						teardown),
	};

	kalloc_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
