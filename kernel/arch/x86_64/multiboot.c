/*
 * Reading the Multiboot (version 1) information GRUB leaves us. The structures are
 * in low physical memory, reached through the boot direct map of the first 4 GiB;
 * everything needed later is copied into boot_info.
 */
#include <string.h>
#include <kern/boot.h>
#include <kern/layout.h>
#include <kern/printf.h>

#define MULTIBOOT_LOADER_MAGIC	0x2BADB002
#define MBI_MEMORY		(1u << 0)
#define MBI_CMDLINE		(1u << 2)
#define MBI_MODS		(1u << 3)
#define MBI_MMAP		(1u << 6)
#define MMAP_AVAILABLE		1
#define BOOT_MAP_LIMIT		(4ull << 30)	/* what the boot direct map covers */

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
} __attribute__((packed));

struct mb_module {
	uint32_t start, end, cmdline, reserved;
} __attribute__((packed));

struct mb_mmap {
	uint32_t size;		/* of the rest of the entry */
	uint64_t addr, len;
	uint32_t type;
} __attribute__((packed));

struct boot_info boot_info;

static const void *low_ptr(uint64_t pa)
{
	if (pa >= BOOT_MAP_LIMIT)
		panic("multiboot: structure at %lx beyond the boot map", pa);
	return phys_to_virt(pa);
}

static void copy_string(char *dst, uint32_t pa)
{
	strlcpy(dst, pa ? low_ptr(pa) : "", BOOT_CMDLINE_MAX);
}

void multiboot_read(uint32_t magic, uint64_t info_pa)
{
	const struct mb_info *mbi;

	if (magic != MULTIBOOT_LOADER_MAGIC)
		panic("multiboot: bad loader magic %x", magic);
	mbi = low_ptr(info_pa);
	if (mbi->flags & MBI_CMDLINE)
		copy_string(boot_info.cmdline, mbi->cmdline);
	if (!(mbi->flags & MBI_MMAP))
		panic("multiboot: no memory map");
	for (uint64_t off = 0; off < mbi->mmap_length; ) {
		const struct mb_mmap *e = low_ptr(mbi->mmap_addr + off);
		if (e->type == MMAP_AVAILABLE && e->len && boot_info.nregions < BOOT_MAX_REGIONS) {
			boot_info.regions[boot_info.nregions++] =
				(struct pmm_range){ e->addr, e->addr + e->len };
			if (e->addr + e->len > boot_info.max_phys)
				boot_info.max_phys = e->addr + e->len;
		}
		off += e->size + sizeof(e->size);
	}
	if (mbi->flags & MBI_MODS) {
		const struct mb_module *m = low_ptr(mbi->mods_addr);
		if (mbi->mods_count > BOOT_MAX_MODULES)
			panic("multiboot: more than %d modules", BOOT_MAX_MODULES);
		for (uint32_t i = 0; i < mbi->mods_count; i++) {
			struct boot_module *bm = &boot_info.mods[boot_info.nmods++];
			bm->start = m[i].start;
			bm->end = m[i].end;
			if (bm->end > BOOT_MAP_LIMIT || bm->end < bm->start)
				panic("multiboot: module %u at %lx-%lx unusable", i, bm->start, bm->end);
			copy_string(bm->cmdline, m[i].cmdline);
		}
	}
}
