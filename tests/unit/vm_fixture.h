/*
 * The VM unit tests' fixture (test_vm.c, test_vm_fork.c): the kernel's VM sources
 * (kernel/vm/vm_map.c, vm_map_tree.c, vm_object.c, vm_fault.c, vm_copy.c, vm_access.c)
 * run on the host over fakes: pages are host memory behind fake physical addresses, and
 * the pmap is a table of mappings. A "user access" goes through the table and, where
 * the table says no, through vm_fault, as the MMU would. Included once by each test.
 */
#ifndef _VM_FIXTURE_H_
#define _VM_FIXTURE_H_

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

kern_return_t pmap_copy(struct pmap *dst, struct pmap *src, uint64_t start, uint64_t end)
{
	for (int i = 0, n = nmaps; i < n; i++)
		if (maps[i].pm == src && maps[i].va >= start && maps[i].va < end)
			pmap_enter(dst, maps[i].va, maps[i].pa, maps[i].prot & ~VM_PROT_WRITE);
	return KERN_SUCCESS;
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

#endif /* _VM_FIXTURE_H_ */
