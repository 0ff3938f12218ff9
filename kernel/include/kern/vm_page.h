/*
 * Physical pages as the VM holds them: each page has a reference count (one per
 * memory object holding it), and goes back to the page allocator with its last
 * reference. A page held by more than one object is copy-on-write in all of them.
 * The kernel reaches a page's bytes through vm_page_va (the direct map).
 */
#ifndef _KERN_VM_PAGE_H_
#define _KERN_VM_PAGE_H_

#include <stdbool.h>
#include <stdint.h>

#define VM_PAGE_NONE	((uint64_t)-1)
/*
 * Pages user memory may not take: kept for the kernel's own allocations (messages,
 * page tables, zones), so that a task that exhausts memory cannot starve the replies
 * and clean-up that would let the system recover.
 */
#define VM_PAGE_RESERVE	128

/* A fresh page with one reference, zero-filled if asked; VM_PAGE_NONE if none is free
   above the reserve. */
uint64_t vm_page_alloc(bool zero);
/* Pages vm_page_alloc can still give. */
uint64_t vm_page_available(void);
/* One more reference; returns the count. */
uint32_t vm_page_ref(uint64_t pa);
void vm_page_release(uint64_t pa);
uint32_t vm_page_refs(uint64_t pa);
void *vm_page_va(uint64_t pa);
/*
 * npages physically contiguous pages, each with one reference, starting at a multiple
 * of align (a power of two, bytes) within [pmin, pmax); VM_PAGE_NONE if there are none.
 */
uint64_t vm_page_alloc_contiguous(uint64_t npages, uint64_t pmin, uint64_t pmax, uint64_t align);

/* Counts behind vm_statistics (ABI section 11). */
struct vm_counters {
	uint64_t active;	/* pages held by memory objects */
	uint64_t wired;		/* pages of wired objects */
	uint64_t zero_fill;
	uint64_t faults;
	uint64_t cow_faults;
	uint64_t lookups;	/* object page lookups by the fault handler */
	uint64_t hits;		/* ... that found the page resident */
	uint64_t objects;	/* live memory objects */
};
extern struct vm_counters vm_counters;

#endif /* _KERN_VM_PAGE_H_ */
