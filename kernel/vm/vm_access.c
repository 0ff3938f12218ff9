/*
 * Byte access to a map's memory as its own user would have it (task_read_memory,
 * task_write_memory): the protection is checked, pages come in as a fault would bring
 * them (zero-fill, the copy of copy-on-write for a write), and the bytes are copied
 * through the kernel's direct map.
 */
#include <string.h>
#include <kern/layout.h>
#include <kern/vm_map.h>
#include <kern/vm_object.h>
#include <kern/vm_page.h>

#define PAGE_MASK	((uint64_t)PAGE_SIZE - 1)

/*
 * Checks that every byte of [va, va + len) is mapped with access `need` and is not
 * device memory (not in the direct map, maybe; registers, maybe). The first failing
 * byte decides the error, as a user access walking the range would. No bytes: no check.
 */
static kern_return_t access_check(struct vm_map *map, uint64_t va, uint64_t len, int need)
{
	if (len == 0)
		return KERN_SUCCESS;
	return vm_map_range_check(map, va, va + len, need);
}

/* The page holding va (its entry is mapped: access_check passed), faulted in for write
   or not. Counts in the map's statistics as the fault it stands for. */
static kern_return_t access_page(struct vm_map *map, uint64_t va, bool write, uint64_t *pa)
{
	struct vm_entry *e = vm_map_lookup(map, va);
	uint64_t zero_fills = vm_counters.zero_fill, cow_faults = vm_counters.cow_faults;
	kern_return_t kr;

	kr = vm_object_page(e->object, ((va & ~PAGE_MASK) - e->start + e->offset) / PAGE_SIZE,
			    write, pa);
	map->zero_fills += vm_counters.zero_fill - zero_fills;
	map->cow_faults += vm_counters.cow_faults - cow_faults;
	return kr;
}

kern_return_t vm_map_read_user(struct vm_map *map, uint64_t va, void *dst, uint64_t len)
{
	uint8_t *d = dst;
	kern_return_t kr = access_check(map, va, len, VM_PROT_READ);

	while (kr == KERN_SUCCESS && len) {
		uint64_t pa, off = va & PAGE_MASK, n = PAGE_SIZE - off;

		if (n > len)
			n = len;
		kr = access_page(map, va, false, &pa);
		if (kr == KERN_SUCCESS)
			memcpy(d, (uint8_t *)vm_page_va(pa) + off, n);
		va += n;
		d += n;
		len -= n;
	}
	return kr;
}

/*
 * Two passes so that a failure writes nothing: the first makes every page of the
 * range present and private (the only step that can fail, for want of memory); the
 * second copies. Nothing runs in between (the kernel is not preemptible), so no page
 * becomes shared again before the copy.
 */
kern_return_t vm_map_write_user(struct vm_map *map, uint64_t va, const void *src, uint64_t len)
{
	const uint8_t *s = src;
	uint64_t pa, a, end = va + len;
	kern_return_t kr = access_check(map, va, len, VM_PROT_WRITE);

	for (a = va; kr == KERN_SUCCESS && a < end; a = (a & ~PAGE_MASK) + PAGE_SIZE)
		kr = access_page(map, a, true, &pa);
	if (kr != KERN_SUCCESS)
		return kr;
	while (len) {
		uint64_t off = va & PAGE_MASK, n = PAGE_SIZE - off;

		if (n > len)
			n = len;
		kr = access_page(map, va, true, &pa);	/* private now: cannot fail */
		if (kr != KERN_SUCCESS)
			return kr;
		memcpy((uint8_t *)vm_page_va(pa) + off, s, n);
		va += n;
		s += n;
		len -= n;
	}
	return KERN_SUCCESS;
}
