/*
 * Task address maps: a sorted list of entries (indexed by a balanced tree, so that
 * lookups stay cheap in a map of many entries), each showing a range of a memory
 * object (kern/vm_object.h) with a protection, a maximum protection and an
 * inheritance. Pages come on demand: the page-fault handler (vm_fault) finds the
 * entry, asks the object for the page (zero-fill, or the copy of copy-on-write) and
 * enters it in the pmap. See docs/vm.md.
 *
 * Conditions (all functions): interrupts disabled (the kernel is not preemptible);
 * none blocks.
 */
#ifndef _KERN_VM_MAP_H_
#define _KERN_VM_MAP_H_

#include <stdbool.h>
#include <stdint.h>
#include <kern/list.h>
#include <mach/kern_return.h>
#include <mach/vm_inherit.h>
#include <mach/vm_prot.h>

struct pmap;
struct thread;
struct vm_object;

struct vm_entry {
	struct list link;		/* in map->entries, by address */
	struct vm_entry *left, *right, *parent;	/* the map's tree (vm_map_tree.c) */
	uint64_t gap;			/* free bytes between the previous entry and start */
	uint64_t max_gap;		/* the largest gap in its subtree */
	int height;			/* of its subtree */
	struct list obj_link;		/* in object->mappings */
	struct vm_map *map;
	uint64_t start, end;
	struct vm_object *object;	/* one reference held by the entry */
	uint64_t offset;		/* byte offset of start in the object (page-aligned) */
	uint8_t prot, max_prot, inherit;
	bool wired;			/* pages entered eagerly and kept */
};

struct vm_map {
	struct pmap *pmap;
	struct list entries;		/* struct vm_entry, by address */
	struct vm_entry *root;		/* the same entries as a tree, for lookups */
	uint64_t size;			/* bytes mapped */
	uint64_t size_limit, size_max;	/* vm_set_size_limit: current and maximum */
	bool wire_future;		/* VM_WIRE_FUTURE: new entries are wired */
	uint64_t faults, zero_fills, cow_faults;	/* its share of vm_counters (task_info) */
};

#define VM_MAP_MIN	0x1000ull	/* page 0 is never mapped */

extern uint64_t vm_entries_live;

void vm_map_init(struct vm_map *map, struct pmap *pmap);
/* Removes every entry (the pmap itself is the caller's). */
void vm_map_destroy(struct vm_map *map);

/*
 * Maps size bytes of zero-fill memory at *addr (or, if anywhere, at the lowest free
 * range), protection prot, maximum VM_PROT_ALL, inheritance COPY. Errors:
 * KERN_INVALID_ARGUMENT (size 0), KERN_INVALID_ADDRESS (a fixed range outside user
 * space), KERN_NO_SPACE (range taken, none free, or over the map's size limit),
 * KERN_RESOURCE_SHORTAGE.
 */
kern_return_t vm_map_enter(struct vm_map *map, uint64_t *addr, uint64_t size, bool anywhere,
			   int prot);
/*
 * The general form: maps object o (the caller's reference passes to the map on
 * success) from byte offset `offset`; anywhere addresses are aligned to mask + 1.
 */
kern_return_t vm_map_enter_object(struct vm_map *map, uint64_t *addr, uint64_t size,
				  uint64_t mask, bool anywhere, struct vm_object *o,
				  uint64_t offset, int prot, int max_prot, int inherit);
/* Unmaps [start, end) (page-rounded); holes are fine. KERN_INVALID_ADDRESS outside
 * user space. */
kern_return_t vm_map_remove(struct vm_map *map, uint64_t start, uint64_t end);
/*
 * Sets the protection (or, with set_max, the maximum, which also lowers the current
 * one) of [start, end); holes are skipped. KERN_PROTECTION_FAILURE if prot exceeds the
 * maximum of an entry in the range (nothing is changed then).
 */
kern_return_t vm_map_protect(struct vm_map *map, uint64_t start, uint64_t end, int prot,
			     bool set_max);
kern_return_t vm_map_inherit(struct vm_map *map, uint64_t start, uint64_t end, int inherit);
/* The entry containing va, or NULL. */
struct vm_entry *vm_map_lookup(struct vm_map *map, uint64_t va);
/* The first entry ending above va, or NULL (vm_region). */
struct vm_entry *vm_map_lookup_next(struct vm_map *map, uint64_t va);
/* Copies into mapped memory of the map, whatever its protection (program loading). */
kern_return_t vm_map_write(struct vm_map *map, uint64_t va, const void *src, uint64_t len);
/*
 * Copies len bytes from / to va of map as the map's user would access them
 * (vm_access.c): every byte must be mapped (KERN_INVALID_ADDRESS) with read / write
 * access and not be device memory (KERN_PROTECTION_FAILURE); pages are faulted in
 * (zero-fill, and for a write the copy of copy-on-write). A failed write has written
 * nothing. KERN_RESOURCE_SHORTAGE without memory for a page.
 */
kern_return_t vm_map_read_user(struct vm_map *map, uint64_t va, void *dst, uint64_t len);
/* Whether [start, end) is mapped without holes, each entry granting need and none
   device memory (vm_copy.c): KERN_INVALID_ADDRESS, KERN_PROTECTION_FAILURE. */
kern_return_t vm_map_range_check(struct vm_map *map, uint64_t start, uint64_t end, int need);
kern_return_t vm_map_write_user(struct vm_map *map, uint64_t va, const void *src, uint64_t len);
/* Adds prot to [start, end), which must be mapped (segments sharing a page). */
void vm_map_protect_add(struct vm_map *map, uint64_t start, uint64_t end, int prot);
/* vm_wire_all: VM_WIRE_CURRENT faults every page in now, VM_WIRE_FUTURE every new
 * entry, VM_WIRE_NONE undoes both. */
kern_return_t vm_map_wire_all(struct vm_map *map, int flags);

/*
 * Builds the child's map from the parent's, entry by entry, as each entry's
 * inheritance says: SHARE maps the same object (writes are seen by both), COPY maps
 * a copy-on-write copy (nothing is copied until one side writes), NONE leaves a hole.
 * The child map must be empty (vm_map_init). KERN_RESOURCE_SHORTAGE without memory
 * (the child may then hold part of the entries; vm_map_destroy cleans it).
 */
kern_return_t vm_map_fork(struct vm_map *child, struct vm_map *parent);

/*
 * Resolves a fault at va for access (VM_PROT_READ, WRITE or EXECUTE bits): zero-fill,
 * copy-on-write, or a page that is resident but not yet in the pmap.
 * KERN_INVALID_ADDRESS (unmapped), KERN_PROTECTION_FAILURE (the entry forbids the
 * access), KERN_RESOURCE_SHORTAGE (no memory for the page or its page table).
 */
kern_return_t vm_fault(struct vm_map *map, uint64_t va, int access);
/* Gets page va of entry e (a write makes it private) and enters it in the pmap. */
kern_return_t vm_fault_enter(struct vm_entry *e, uint64_t va, bool write);
/*
 * A user fault the VM could not resolve (code: one of vm_fault's errors): raises
 * EXC_BAD_ACCESS (code, subcode addr) through exception_raise_fault, and returns when
 * the thread may go back to user mode (see kern/exception.h).
 */
void vm_fault_failed(struct thread *th, kern_return_t code, uint64_t addr);

/*
 * Virtual copies, for out-of-line message memory and vm_read: a copy-on-write
 * snapshot of a range, not mapped anywhere, that a map can take in without copying.
 */
struct vm_map_copy {
	struct vm_object *object;	/* the snapshot's pages, from page 0 */
	uint64_t offset;		/* of the first byte within page 0 */
	uint64_t size;			/* bytes */
};

/*
 * Snapshots [addr, addr + size) of map; with dealloc, the range then leaves the map.
 * KERN_INVALID_ADDRESS (a hole or outside user space), KERN_PROTECTION_FAILURE (a page
 * without read access), KERN_RESOURCE_SHORTAGE.
 */
kern_return_t vm_map_copyin(struct vm_map *map, uint64_t addr, uint64_t size, bool dealloc,
			    struct vm_map_copy **copy);
/* Maps the copy anywhere in map (read/write) and consumes it; *addr gets the first
 * byte's address. KERN_NO_SPACE or KERN_RESOURCE_SHORTAGE leave the copy to the caller. */
kern_return_t vm_map_copyout(struct vm_map *map, struct vm_map_copy *copy, uint64_t *addr);
void vm_map_copy_discard(struct vm_map_copy *copy);
/* A copy of kernel memory (len bytes at src); NULL without memory. */
struct vm_map_copy *vm_map_copy_kernel(const void *src, uint64_t len);
/* Copies the copy's bytes to kernel memory at dst (its size). */
void vm_map_copy_read(const struct vm_map_copy *copy, void *dst);
/*
 * Writes the copy's bytes over [addr, addr + size) of map, which must be mapped
 * (KERN_INVALID_ADDRESS) and writable (KERN_PROTECTION_FAILURE). Whole pages move out
 * of the copy into the map's objects where they can (copy-on-write, no byte copied), so
 * the copy's pages are no longer its own afterwards: it is only to be discarded.
 */
kern_return_t vm_map_copy_overwrite(struct vm_map *map, uint64_t addr,
				    const struct vm_map_copy *copy);

#endif /* _KERN_VM_MAP_H_ */
