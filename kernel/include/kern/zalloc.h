/*
 * The kernel's object allocators.
 *
 * Zones hand out fixed-size objects carved from pages (slab style: each page starts
 * with a header, so freeing finds its page by masking the address). kalloc/kfree
 * serve variable sizes: up to KALLOC_MAX_ZONED bytes from power-of-two zones, larger
 * sizes as whole page blocks. As in Mach, kfree is given the size that was asked for.
 */
#ifndef _KERN_ZALLOC_H_
#define _KERN_ZALLOC_H_

#include <stddef.h>
#include <stdint.h>
#include <kern/list.h>

struct zone {
	const char *name;
	size_t elem_size;	/* rounded up to 16 */
	size_t per_page;	/* objects in one page */
	struct list partial;	/* pages with free and used objects */
	struct list full;	/* pages with no free object */
	struct list empty;	/* at most one cached page with no used object */
	size_t pages;		/* pages held, including the cached empty one */
	size_t in_use;		/* objects handed out */
};

#define KALLOC_MIN_ZONED	16
#define KALLOC_MAX_ZONED	2048

void zone_init(struct zone *z, const char *name, size_t elem_size);
void *zalloc(struct zone *z);		/* NULL when out of memory */
void zfree(struct zone *z, void *obj);
/* Returns the zone's cached empty page to the page source (memory pressure). */
void zone_drain(struct zone *z);

void kalloc_init(void);
/* Returns the kalloc zones' cached empty pages (memory pressure). */
void kalloc_drain(void);
void *kalloc(size_t size);		/* 16-byte aligned (page-aligned above 2 KiB) */
void kfree(void *p, size_t size);
void *kzalloc(size_t size);		/* kalloc, zero-filled */

/*
 * The page source, provided by the kernel (pmm + direct map) or by a test: returns
 * the kernel virtual address of 2^order contiguous zeroed-or-not pages, or NULL.
 */
void *zone_pages_alloc(unsigned order);
void zone_pages_free(void *va, unsigned order);

#endif /* _KERN_ZALLOC_H_ */
