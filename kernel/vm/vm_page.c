/* Reference-counted physical pages for the VM (see kern/vm_page.h). */
#include <string.h>
#include <kern/layout.h>
#include <kern/pmm.h>
#include <kern/printf.h>
#include <kern/vm_page.h>

struct vm_counters vm_counters;

/* The frame of an allocated page (inline: every copy-on-write step asks for one). */
static inline struct pmm_frame *frame_of(uint64_t pa)
{
	uint64_t idx = pa / PAGE_SIZE - kernel_pmm.base_pfn;

	if (idx >= kernel_pmm.nframes || kernel_pmm.frames[idx].state != PMM_ALLOCATED)
		panic("vm_page: %lx is not an allocated page", pa);
	return &kernel_pmm.frames[idx];
}

uint64_t vm_page_available(void)
{
	return kernel_pmm.free_pages > VM_PAGE_RESERVE ? kernel_pmm.free_pages - VM_PAGE_RESERVE : 0;
}

uint64_t vm_page_alloc(bool zero)
{
	uint64_t pa;

	if (!vm_page_available())
		return VM_PAGE_NONE;
	pa = page_alloc();
	if (pa == PMM_NONE)
		return VM_PAGE_NONE;
	if (zero)
		memset(phys_to_virt(pa), 0, PAGE_SIZE);
	frame_of(pa)->refs = 1;
	vm_counters.active++;
	return pa;
}

uint32_t vm_page_ref(uint64_t pa)
{
	return ++frame_of(pa)->refs;
}

void vm_page_release(uint64_t pa)
{
	struct pmm_frame *f = frame_of(pa);

	if (--f->refs == 0) {
		vm_counters.active--;
		page_free(pa);
	}
}

uint32_t vm_page_refs(uint64_t pa)
{
	return frame_of(pa)->refs;
}

void *vm_page_va(uint64_t pa)
{
	return phys_to_virt(pa);
}

/*
 * The buddy allocator gives naturally aligned blocks of 2^order pages: take one large
 * enough for both the size and the alignment, split it, and give back the pages
 * beyond the size. A block outside [pmin, pmax) is given back too: the allocator
 * cannot be asked for a range.
 */
uint64_t vm_page_alloc_contiguous(uint64_t npages, uint64_t pmin, uint64_t pmax, uint64_t align)
{
	unsigned order = 0;
	uint64_t pa;

	while (((uint64_t)1 << order) < npages || ((uint64_t)PAGE_SIZE << order) < align)
		if (++order > PMM_MAX_ORDER)
			return VM_PAGE_NONE;
	if (vm_page_available() < ((uint64_t)1 << order))
		return VM_PAGE_NONE;
	pa = pmm_alloc(&kernel_pmm, order);
	if (pa == PMM_NONE)
		return VM_PAGE_NONE;
	if (pa < pmin || pa + npages * PAGE_SIZE > pmax) {
		pmm_free(&kernel_pmm, pa, order);
		return VM_PAGE_NONE;
	}
	pmm_split(&kernel_pmm, pa, order);
	for (uint64_t i = 0; i < ((uint64_t)1 << order); i++) {
		if (i < npages) {
			frame_of(pa + i * PAGE_SIZE)->refs = 1;
			memset(phys_to_virt(pa + i * PAGE_SIZE), 0, PAGE_SIZE);
		} else {
			page_free(pa + i * PAGE_SIZE);
		}
	}
	vm_counters.active += npages;
	return pa;
}
