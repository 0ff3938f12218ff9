/*
 * Memory set-up at boot: the frame array of the page allocator goes just above the
 * kernel image and the modules; every usable page outside those is handed to the
 * allocator; then the kernel's own page tables replace the boot ones. Also the page
 * source of the zone allocator.
 */
#include <arch/pmap.h>
#include <kern/boot.h>
#include <kern/layout.h>
#include <kern/pmm.h>
#include <kern/printf.h>
#include <kern/zalloc.h>

#define LOW_MEMORY	0x100000ull	/* BIOS data and the like: never used */
#define BOOT_MAP_LIMIT	(4ull << 30)

extern char _end[];	/* end of the kernel image, .bss included */

static uint64_t align_up(uint64_t v)
{
	return (v + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
}

/* Adds the usable regions within [lo, hi), minus the reserved ranges. */
static void add_usable(uint64_t lo, uint64_t hi, const struct pmm_range *excl, size_t n)
{
	for (int i = 0; i < boot_info.nregions; i++) {
		uint64_t s = boot_info.regions[i].start, e = boot_info.regions[i].end;
		if (s < lo)
			s = lo;
		if (e > hi)
			e = hi;
		if (s < e)
			pmm_add_range(&kernel_pmm, s, e, excl, n);
	}
}

void memory_init(void)
{
	struct pmm_range excl[BOOT_MAX_MODULES + 3];
	size_t nexcl = 0, nframes = boot_info.max_phys / PAGE_SIZE;
	uint64_t frames_pa = align_up(virt_to_phys(_end)), frames_size;

	for (int i = 0; i < boot_info.nmods; i++)
		if (align_up(boot_info.mods[i].end) > frames_pa)
			frames_pa = align_up(boot_info.mods[i].end);
	frames_size = align_up(nframes * sizeof(struct pmm_frame));
	if (frames_pa + frames_size > BOOT_MAP_LIMIT || frames_pa + frames_size > boot_info.max_phys)
		panic("memory: no room for the frame array (%lu KiB)", frames_size >> 10);

	excl[nexcl++] = (struct pmm_range){ 0, LOW_MEMORY };
	excl[nexcl++] = (struct pmm_range){ LOW_MEMORY, virt_to_phys(_end) };
	excl[nexcl++] = (struct pmm_range){ frames_pa, frames_pa + frames_size };
	for (int i = 0; i < boot_info.nmods; i++)
		excl[nexcl++] = (struct pmm_range){ boot_info.mods[i].start, boot_info.mods[i].end };

	pmm_init(&kernel_pmm, 0, nframes, phys_to_virt(frames_pa));
	/* Page tables are built through the boot map, so only low memory at first. */
	add_usable(0, BOOT_MAP_LIMIT, excl, nexcl);
	pmap_bootstrap(boot_info.max_phys);
	add_usable(BOOT_MAP_LIMIT, UINT64_MAX, excl, nexcl);
	kprintf("memory: %lu MiB usable, %lu MiB free\n",
		kernel_pmm.total_pages >> 8, kernel_pmm.free_pages >> 8);
}

void page_free(uint64_t pa)
{
	if (!pmm_free(&kernel_pmm, pa, 0))
		panic("page_free: %lx was not an allocated page", pa);
}

void *zone_pages_alloc(unsigned order)
{
	uint64_t pa = pmm_alloc(&kernel_pmm, order);

	return pa == PMM_NONE ? NULL : phys_to_virt(pa);
}

void zone_pages_free(void *va, unsigned order)
{
	if (!pmm_free(&kernel_pmm, virt_to_phys(va), order))
		panic("zone_pages_free: %p was not allocated", va);
}
