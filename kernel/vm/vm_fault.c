/*
 * Page faults: from the user or from the kernel's copyin/copyout (see vm_fault in
 * kern/vm_map.h); the kernel's own writes into a map (program loading).
 */
#include <string.h>
#include <arch/pmap.h>
#include <kern/exception.h>
#include <kern/layout.h>
#include <kern/thread.h>
#include <kern/vm_map.h>
#include <kern/vm_object.h>
#include <kern/vm_page.h>

#define TRUNC(a)	((a) & ~(uint64_t)(PAGE_SIZE - 1))

static uint64_t page_index(const struct vm_entry *e, uint64_t va)
{
	return (TRUNC(va) - e->start + e->offset) / PAGE_SIZE;
}

kern_return_t vm_fault_enter(struct vm_entry *e, uint64_t va, bool write)
{
	uint64_t pa;
	int prot = e->prot;
	kern_return_t kr = vm_object_page(e->object, page_index(e, va), write, &pa);

	if (kr != KERN_SUCCESS)
		return kr;
	if (e->object->device)	/* device memory: shared, uncached, no page references */
		return prot == VM_PROT_NONE ? KERN_SUCCESS :
		       pmap_enter_device(e->map->pmap, TRUNC(va), pa, prot);
	/* A page other objects hold too is copy-on-write: read-only until written. */
	if (vm_page_refs(pa) > 1)
		prot &= ~VM_PROT_WRITE;
	if (prot == VM_PROT_NONE)
		return KERN_SUCCESS;	/* resident (wired) but not accessible */
	return pmap_enter(e->map->pmap, TRUNC(va), pa, prot);
}

kern_return_t vm_fault(struct vm_map *map, uint64_t va, int access)
{
	struct vm_entry *e = va < USER_LIMIT ? vm_map_lookup(map, va) : NULL;
	uint64_t zero_fills = vm_counters.zero_fill, cow_faults = vm_counters.cow_faults;
	kern_return_t kr;

	vm_counters.faults++;
	map->faults++;
	if (!e)
		return KERN_INVALID_ADDRESS;
	if ((e->prot & access) != access)
		return KERN_PROTECTION_FAILURE;
	kr = vm_fault_enter(e, va, access & VM_PROT_WRITE);
	map->zero_fills += vm_counters.zero_fill - zero_fills;
	map->cow_faults += vm_counters.cow_faults - cow_faults;
	return kr;
}

/* An unresolved user page fault: EXC_BAD_ACCESS with the fault's code (ABI section 8). */
void vm_fault_failed(struct thread *th, kern_return_t code, uint64_t addr)
{
	exception_raise_fault(th, EXC_BAD_ACCESS, code, (int64_t)addr);
}

kern_return_t vm_map_write(struct vm_map *map, uint64_t va, const void *src, uint64_t len)
{
	const uint8_t *s = src;

	while (len) {
		struct vm_entry *e = vm_map_lookup(map, va);
		uint64_t pa, off = va & (PAGE_SIZE - 1), n = PAGE_SIZE - off;
		kern_return_t kr;

		if (!e)
			return KERN_INVALID_ADDRESS;
		if (e->object->device)	/* not in the direct map, maybe; and never copied */
			return KERN_PROTECTION_FAILURE;
		kr = vm_object_page(e->object, page_index(e, va), true, &pa);
		if (kr != KERN_SUCCESS)
			return kr;
		if (n > len)
			n = len;
		memcpy((uint8_t *)vm_page_va(pa) + off, s, n);
		va += n;
		s += n;
		len -= n;
	}
	return KERN_SUCCESS;
}
