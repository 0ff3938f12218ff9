/*
 * Task address maps, minimal for now: a sorted list of regions, each backed eagerly
 * by zero-filled pages that belong to the map's pmap. Enough for loading programs,
 * vm_allocate/vm_deallocate and out-of-line message memory; memory objects, demand
 * paging and copy-on-write replace the eager backing with the VM issue.
 */
#ifndef _KERN_VM_MAP_H_
#define _KERN_VM_MAP_H_

#include <stdbool.h>
#include <stdint.h>
#include <kern/list.h>
#include <mach/kern_return.h>

struct pmap;

struct vm_map {
	struct pmap *pmap;
	struct list entries;		/* struct vm_entry, by address */
	uint64_t size;			/* bytes mapped */
};

#define VM_MAP_MIN	0x1000ull	/* page 0 is never mapped */

extern uint64_t vm_entries_live;

void vm_map_init(struct vm_map *map, struct pmap *pmap);
void vm_map_destroy(struct vm_map *map);
/*
 * Maps zero-filled memory at *addr (or, if anywhere, at the lowest free range of
 * that size). KERN_NO_SPACE if the range is taken or none is free,
 * KERN_RESOURCE_SHORTAGE without memory, KERN_INVALID_ADDRESS outside user space.
 */
kern_return_t vm_map_enter(struct vm_map *map, uint64_t *addr, uint64_t size, bool anywhere,
			   int prot);
/* Unmaps [start, end) (page-rounded), freeing its pages; holes are fine. */
kern_return_t vm_map_remove(struct vm_map *map, uint64_t start, uint64_t end);
/* Copies into mapped memory of the map, whatever its protection. */
kern_return_t vm_map_write(struct vm_map *map, uint64_t va, const void *src, uint64_t len);
/* Adds prot to the pages of [start, end), which must be mapped. */
void vm_map_protect_add(struct vm_map *map, uint64_t start, uint64_t end, int prot);

#endif /* _KERN_VM_MAP_H_ */
