/*
 * Memory objects: what a map entry shows. An object is a sparse array of pages (a
 * radix tree indexed by page number) plus the operations of its kind. The anonymous
 * kind fills a missing page with zeroes on first touch; the contiguous kind is
 * created with all its pages (DMA buffers). The device kind shows a range of physical
 * memory outside RAM (MMIO): its pages are computed, never held or reference counted,
 * never copied (mappings of it are shared, even by fork). Another kind (a pager) supplies
 * its own page_in. Objects are reference counted (map entries, virtual copies); pages are
 * reference counted too (kern/vm_page.h), which is how copy-on-write works: a copy
 * of an object shares its pages, and the first write to a shared page copies it.
 */
#ifndef _KERN_VM_OBJECT_H_
#define _KERN_VM_OBJECT_H_

#include <stdbool.h>
#include <stdint.h>
#include <kern/list.h>
#include <mach/kern_return.h>

struct vm_object;

struct vm_object_ops {
	const char *name;
	/* Supplies page idx, which the object lacks: a referenced page or an error. */
	kern_return_t (*page_in)(struct vm_object *o, uint64_t idx, uint64_t *pa);
};

struct vm_object {
	const struct vm_object_ops *ops;
	int refs;			/* map entries and virtual copies holding it */
	uint64_t npages;
	uint64_t resident;		/* pages present */
	unsigned depth;			/* levels of the page tree (64 slots a level) */
	uint64_t *root;			/* NULL until the first page */
	struct list mappings;		/* struct vm_entry.obj_link: where it is mapped */
	bool wired;			/* its pages count as wired */
	bool device;			/* the device kind: page idx is phys + idx pages */
	uint64_t phys;
};

/* A zero-fill object of npages pages; NULL without memory. */
struct vm_object *vm_object_anon(uint64_t npages);
/* npages contiguous pages at *pa (see vm_page_alloc_contiguous); NULL if none. */
struct vm_object *vm_object_contiguous(uint64_t npages, uint64_t pmin, uint64_t pmax,
				       uint64_t align, uint64_t *pa);
/* npages of device memory from physical address pa (page-aligned); NULL without memory. */
struct vm_object *vm_object_device(uint64_t pa, uint64_t npages);
void vm_object_reference(struct vm_object *o);
/* Drops a reference; the last one frees the object and its page references. */
void vm_object_release(struct vm_object *o);

/* The page at idx, or VM_PAGE_NONE (no page-in). */
uint64_t vm_object_lookup(struct vm_object *o, uint64_t idx);
/*
 * The page at idx for a fault: paged in (zero-filled) if missing and, for a write, made
 * private to this object first (the copy of copy-on-write). Mappings of the object
 * that showed the replaced page lose it. KERN_RESOURCE_SHORTAGE without memory.
 */
kern_return_t vm_object_page(struct vm_object *o, uint64_t idx, bool write, uint64_t *pa);
/* Drops the pages in [first, first + n) (their mappings must be gone). */
void vm_object_free_range(struct vm_object *o, uint64_t first, uint64_t n);
/*
 * Moves pages [first, first + n) of src, an object mapped nowhere (a virtual copy's),
 * to pages [at, at + n) of o, as if their bytes had been copied there: each page keeps
 * its reference, now o's (copy-on-write wherever else it is held); a page src lacks
 * makes o's page zero again; mappings of o lose the pages o had. Only for an anonymous
 * object that is not wired. Returns the pages done: n, or fewer (o is not such an
 * object: 0; or no memory for its page tree).
 */
uint64_t vm_object_take(struct vm_object *o, uint64_t at, struct vm_object *src, uint64_t first,
			uint64_t n);
/*
 * A copy-on-write copy of pages [first, first + n): a new anonymous object sharing
 * the resident pages, which lose write access in every mapping of o. No data is
 * copied, except from a wired object, whose pages must not move: its copy gets its
 * own pages at once. NULL without memory.
 */
struct vm_object *vm_object_copy(struct vm_object *o, uint64_t first, uint64_t n);
/* The same into pages [at, at + n) of dst, which must have none there. False without
   memory (dst may then hold part of them). */
bool vm_object_copy_into(struct vm_object *dst, uint64_t at, struct vm_object *o,
			 uint64_t first, uint64_t n);
/* Counts the object's pages as wired or not. */
void vm_object_set_wired(struct vm_object *o, bool wired);

#endif /* _KERN_VM_OBJECT_H_ */
