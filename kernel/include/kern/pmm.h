/*
 * The physical page allocator: a buddy system over blocks of 2^order pages
 * (order 0 .. PMM_MAX_ORDER). Its bookkeeping lives in a frame array, never in the
 * pages themselves, so it is pure logic (the host unit tests run it unchanged).
 */
#ifndef _KERN_PMM_H_
#define _KERN_PMM_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kern/list.h>

#define PMM_MAX_ORDER	10		/* 4 MiB blocks */
#define PMM_PAGE_SIZE	4096ull
#define PMM_NONE	((uint64_t)-1)	/* allocation failure (0 is a valid page) */

struct pmm_frame {
	struct list link;	/* in a free list, when free and a block head */
	uint8_t order;		/* block order, valid for a free block head */
	uint8_t state;		/* PMM_RESERVED, PMM_FREE or PMM_ALLOCATED */
	uint32_t refs;		/* users of an allocated page (the VM's page references) */
};

enum { PMM_RESERVED, PMM_FREE, PMM_ALLOCATED };

struct pmm {
	uint64_t base_pfn;		/* frame 0 is this page frame number */
	size_t nframes;
	struct pmm_frame *frames;
	struct list free_lists[PMM_MAX_ORDER + 1];
	size_t free_pages;
	size_t total_pages;		/* pages ever added as usable */
};

/* A physical range [start, end) that must not be handed out. */
struct pmm_range {
	uint64_t start, end;
};

/* Frames start out reserved; `frames` must hold nframes entries. */
void pmm_init(struct pmm *p, uint64_t base_pfn, size_t nframes, struct pmm_frame *frames);
/* Makes the whole pages of [start, end) outside every excluded range allocatable. */
void pmm_add_range(struct pmm *p, uint64_t start, uint64_t end,
		   const struct pmm_range *excl, size_t nexcl);
/* Returns the physical address of 2^order contiguous, aligned pages, or PMM_NONE. */
uint64_t pmm_alloc(struct pmm *p, unsigned order);
/* Frees a block from pmm_alloc; false (and no change) if it was not allocated so. */
bool pmm_free(struct pmm *p, uint64_t pa, unsigned order);
/* Turns an allocated block of 2^order pages into as many blocks of one page each. */
void pmm_split(struct pmm *p, uint64_t pa, unsigned order);
/* The frame of an allocatable page, or NULL. */
struct pmm_frame *pmm_frame(struct pmm *p, uint64_t pa);

/* The kernel's allocator. */
extern struct pmm kernel_pmm;
static inline uint64_t page_alloc(void) { return pmm_alloc(&kernel_pmm, 0); }
void page_free(uint64_t pa);

#endif /* _KERN_PMM_H_ */
