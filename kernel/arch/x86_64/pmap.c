/* x86_64 page tables (see arch/pmap.h). */
#include <string.h>
#include <arch/cpu.h>
#include <arch/pmap.h>
#include <kern/layout.h>
#include <kern/pmm.h>
#include <kern/printf.h>
#include <kern/zalloc.h>

/* Page-table entry bits (Intel SDM vol. 3, 4.5). */
#define PTE_P		(1ull << 0)
#define PTE_W		(1ull << 1)
#define PTE_U		(1ull << 2)
#define PTE_PWT		(1ull << 3)
#define PTE_PCD		(1ull << 4)
#define PTE_PS		(1ull << 7)
#define PTE_G		(1ull << 8)
#define PTE_NX_BIT	(1ull << 63)
#define PTE_ADDR	0x000FFFFFFFFFF000ull

#define LEVEL_SHIFT(l)	(12 + 9 * (l))	/* l = 0 (PT) .. 3 (PML4) */
#define INDEX(va, l)	(((va) >> LEVEL_SHIFT(l)) & 0x1FF)
#define KERNEL_SLOT0	256

struct pmap kernel_pmap;
static uint64_t pte_nx;		/* PTE_NX_BIT when the CPU has NX, else 0 */
static struct zone pmap_zone;

extern char _stext[], _etext[], _srodata[], _erodata[], _sdata[], _end[];

static uint64_t *table_alloc(void)
{
	uint64_t pa = page_alloc();

	if (pa == PMM_NONE)
		return NULL;
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
	return phys_to_virt(pa);
}

/*
 * A user pmap's tables below its PML4 are kept on its list, linked through their page
 * frames (a frame's link is unused while its page is allocated): the address space is
 * torn down by freeing them, without scanning tables for the tables below them.
 */
static struct list *table_link(uint64_t *table)
{
	return &pmm_frame(&kernel_pmm, virt_to_phys(table))->link;
}

/*
 * Returns the entry for va at `level` (0 = 4 KiB PTE), creating the tables above it
 * when `create` (a user pmap's go on its list); NULL if a table is missing (or cannot
 * be allocated) or a large page is in the way.
 */
static uint64_t *walk(struct pmap *pm, uint64_t va, int level, bool create, uint64_t tflags)
{
	uint64_t *table = pm->pml4;

	for (int l = 3; l > level; l--) {
		uint64_t *e = &table[INDEX(va, l)];

		if (!(*e & PTE_P)) {
			uint64_t *t;
			if (!create || !(t = table_alloc()))
				return NULL;
			if (pm != &kernel_pmap)
				list_push_back(&pm->tables, table_link(t));
			*e = virt_to_phys(t) | PTE_P | PTE_W | tflags;
		} else if (*e & PTE_PS) {
			return NULL;
		}
		table = phys_to_virt(*e & PTE_ADDR);
	}
	return &table[INDEX(va, level)];
}

static uint64_t prot_bits(int prot)
{
	uint64_t bits = PTE_P;

	if (prot & VM_PROT_WRITE)
		bits |= PTE_W;
	if (!(prot & VM_PROT_EXECUTE))
		bits |= pte_nx;
	return bits;
}

static void map_kernel_range(uint64_t start, uint64_t end, int prot)
{
	for (uint64_t va = start & ~0xFFFull; va < end; va += PAGE_SIZE) {
		uint64_t *e = walk(&kernel_pmap, va, 0, true, 0);
		if (!e)
			panic("pmap: out of memory mapping the kernel");
		*e = virt_to_phys((void *)va) | prot_bits(prot) | PTE_G;
	}
}

void pmap_bootstrap(uint64_t max_phys)
{
	uint64_t gbit = cpu_features.pge ? PTE_G : 0;

	if (cpu_features.nx) {
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
		pte_nx = PTE_NX_BIT;
	}
	if (cpu_features.pge)
		write_cr4(read_cr4() | CR4_PGE);
	write_cr0(read_cr0() | CR0_WP);	/* the kernel honours read-only pages too */

	kernel_pmap.pml4 = table_alloc();
	if (!kernel_pmap.pml4)
		panic("pmap: no memory for the kernel page tables");
	kernel_pmap.pml4_pa = virt_to_phys(kernel_pmap.pml4);

	/* The direct map: all physical memory, 2 MiB pages, never executable. */
	for (uint64_t pa = 0; pa < max_phys; pa += 1ull << 21) {
		uint64_t *e = walk(&kernel_pmap, PHYS_MAP_BASE + pa, 1, true, 0);
		if (!e)
			panic("pmap: out of memory building the direct map");
		*e = pa | PTE_P | PTE_W | PTE_PS | gbit | pte_nx;
	}
	/* The kernel image with per-section protection. */
	map_kernel_range((uint64_t)_stext, (uint64_t)_etext, VM_PROT_READ | VM_PROT_EXECUTE);
	map_kernel_range((uint64_t)_srodata, (uint64_t)_erodata, VM_PROT_READ);
	map_kernel_range((uint64_t)_sdata, (uint64_t)_end, VM_PROT_READ | VM_PROT_WRITE);

	/*
	 * The kernel-stack region's PDPT is created now: pmaps copy the kernel half of the
	 * PML4 when they are made, so every kernel PML4 slot must exist before that.
	 */
	if (!walk(&kernel_pmap, KSTACK_REGION, 2, true, 0))
		panic("pmap: out of memory for the kernel-stack region");
	write_cr3(kernel_pmap.pml4_pa);
	zone_init(&pmap_zone, "pmap", sizeof(struct pmap));
	kprintf("pmap: direct map of %lu MiB, nx=%d\n", max_phys >> 20, pte_nx != 0);
}

struct pmap *pmap_create(void)
{
	struct pmap *pm = zalloc(&pmap_zone);

	if (!pm)
		return NULL;
	pm->pml4 = table_alloc();
	if (!pm->pml4) {
		zfree(&pmap_zone, pm);
		return NULL;
	}
	pm->pml4_pa = virt_to_phys(pm->pml4);
	pm->resident = 0;
	list_init(&pm->tables);
	memcpy(&pm->pml4[KERNEL_SLOT0], &kernel_pmap.pml4[KERNEL_SLOT0],
	       (512 - KERNEL_SLOT0) * sizeof(uint64_t));
	return pm;
}

static bool is_active(struct pmap *pm)
{
	return read_cr3() == pm->pml4_pa;
}

/* Frees the tables below the PML4 (the pages they map are the VM's). */
static void free_tables(struct pmap *pm)
{
	while (!list_empty(&pm->tables)) {
		struct list *n = list_pop_front(&pm->tables);

		struct pmm_frame *f = list_entry(n, struct pmm_frame, link);

		page_free((kernel_pmm.base_pfn + (uint64_t)(f - kernel_pmm.frames)) * PAGE_SIZE);
	}
	pm->resident = 0;
}

void pmap_remove_all(struct pmap *pm)
{
	free_tables(pm);
	memset(pm->pml4, 0, KERNEL_SLOT0 * sizeof(uint64_t));
	if (is_active(pm))
		write_cr3(pm->pml4_pa);
}

void pmap_destroy(struct pmap *pm)
{
	/* Its tables must not stay loaded once they may be handed out again. */
	if (is_active(pm))
		write_cr3(kernel_pmap.pml4_pa);
	free_tables(pm);
	page_free(pm->pml4_pa);
	zfree(&pmap_zone, pm);
}

/*
 * The page table covering va, or NULL if a table above it is missing. *stop gets the
 * end of what the answer covers: the page table's 2 MiB, or the whole missing range.
 */
static uint64_t *table_of(struct pmap *pm, uint64_t va, uint64_t *stop)
{
	uint64_t *table = pm->pml4;

	for (int l = 3; l > 0; l--) {
		uint64_t e = table[INDEX(va, l)];

		if (!(e & PTE_P)) {
			*stop = (va | ((1ull << LEVEL_SHIFT(l)) - 1)) + 1;
			return NULL;
		}
		table = phys_to_virt(e & PTE_ADDR);
	}
	*stop = (va | ((1ull << LEVEL_SHIFT(1)) - 1)) + 1;
	return table;
}

static kern_return_t enter(struct pmap *pm, uint64_t va, uint64_t pa, uint64_t bits)
{
	uint64_t *e;
	bool replace;

	if (va >= USER_LIMIT || va % PAGE_SIZE)
		return KERN_INVALID_ADDRESS;
	e = walk(pm, va, 0, true, PTE_U);
	if (!e)
		return KERN_RESOURCE_SHORTAGE;
	replace = *e & PTE_P;
	*e = pa | bits | PTE_U;
	if (!replace)
		pm->resident++;
	else if (is_active(pm))
		invlpg(va);	/* the old translation must go */
	return KERN_SUCCESS;
}

kern_return_t pmap_enter(struct pmap *pm, uint64_t va, uint64_t pa, int prot)
{
	return enter(pm, va, pa, prot_bits(prot));
}

kern_return_t pmap_enter_device(struct pmap *pm, uint64_t va, uint64_t pa, int prot)
{
	return enter(pm, va, pa, prot_bits(prot) | PTE_PCD | PTE_PWT);
}

/*
 * Calls fn on every present entry of [start, end) (user space), one page table at a
 * time: a missing table is skipped whole, so huge sparse ranges cost little.
 */
static void for_each_pte(struct pmap *pm, uint64_t start, uint64_t end,
			 void (*fn)(struct pmap *pm, uint64_t *e, uint64_t va, bool active))
{
	uint64_t va = start & ~0xFFFull, stop;
	bool active = is_active(pm);

	if (end > USER_LIMIT)
		end = USER_LIMIT;
	for (; va < end; va = stop) {
		uint64_t *table = table_of(pm, va, &stop);

		if (stop > end)
			stop = end;
		if (table)
			for (uint64_t *e = &table[INDEX(va, 0)]; va < stop; va += PAGE_SIZE, e++)
				if (*e & PTE_P)
					fn(pm, e, va, active);
	}
}

kern_return_t pmap_copy(struct pmap *dst, struct pmap *src, uint64_t start, uint64_t end)
{
	uint64_t va = start & ~0xFFFull, stop;

	if (end > USER_LIMIT)
		end = USER_LIMIT;
	for (; va < end; va = stop) {
		uint64_t *from = table_of(src, va, &stop), *e, *last, *to = NULL;

		if (!from)
			continue;
		if (stop > end)
			stop = end;
		e = &from[INDEX(va, 0)];
		last = e + (stop - va) / PAGE_SIZE;
		for (; e < last; e++) {
			uint64_t a;

			if (!(*e & PTE_P))
				continue;
			a = va + (uint64_t)(e - &from[INDEX(va, 0)]) * PAGE_SIZE;
			if (!to) {	/* the table, made once the source has an entry for it */
				uint64_t *first = walk(dst, a, 0, true, PTE_U);

				if (!first)
					return KERN_RESOURCE_SHORTAGE;
				to = first - INDEX(a, 0);
			}
			if (!(to[e - from] & PTE_P))
				dst->resident++;
			to[e - from] = *e & ~PTE_W;
		}
	}
	return KERN_SUCCESS;
}

static inline void remove_pte(struct pmap *pm, uint64_t *e, uint64_t va, bool active)
{
	*e = 0;
	pm->resident--;
	if (active)
		invlpg(va);
}

void pmap_remove(struct pmap *pm, uint64_t start, uint64_t end)
{
	/* One page (a copy-on-write fault's): the entry without the range machinery. */
	if (end - start == PAGE_SIZE && !(start & 0xFFF) && end <= USER_LIMIT) {
		uint64_t *e = walk(pm, start, 0, false, 0);

		if (e && (*e & PTE_P))
			remove_pte(pm, e, start, is_active(pm));
		return;
	}
	for_each_pte(pm, start, end, remove_pte);
}

static inline void write_protect_pte(struct pmap *pm, uint64_t *e, uint64_t va, bool active)
{
	(void)pm;
	if (!(*e & PTE_W))
		return;
	*e &= ~PTE_W;
	if (active)
		invlpg(va);
}

void pmap_write_protect(struct pmap *pm, uint64_t start, uint64_t end)
{
	for_each_pte(pm, start, end, write_protect_pte);
}

void pmap_protect(struct pmap *pm, uint64_t va, int prot)
{
	uint64_t *e = walk(pm, va, 0, false, 0);

	if (!e || !(*e & PTE_P))
		return;
	*e = (*e & (PTE_ADDR | PTE_U | PTE_PCD | PTE_PWT)) | prot_bits(prot);
	if (is_active(pm))
		invlpg(va & ~0xFFFull);
}

bool pmap_extract(struct pmap *pm, uint64_t va, uint64_t *pa, int *prot)
{
	uint64_t *e = walk(pm, va, 0, false, 0);

	if (!e || !(*e & PTE_P))
		return false;
	if (pa)
		*pa = (*e & PTE_ADDR) | (va & 0xFFF);
	if (prot)
		*prot = VM_PROT_READ | ((*e & PTE_W) ? VM_PROT_WRITE : 0) |
			((*e & pte_nx) ? 0 : VM_PROT_EXECUTE);
	return true;
}

kern_return_t pmap_kernel_enter(uint64_t va, uint64_t pa)
{
	uint64_t *e = walk(&kernel_pmap, va, 0, true, 0);

	if (!e)
		return KERN_RESOURCE_SHORTAGE;
	*e = pa | PTE_P | PTE_W | (cpu_features.pge ? PTE_G : 0) | pte_nx;
	return KERN_SUCCESS;
}

void pmap_kernel_remove(uint64_t va)
{
	uint64_t *e = walk(&kernel_pmap, va, 0, false, 0);

	if (e) {
		*e = 0;
		invlpg(va);
	}
}

uint64_t pmap_phys_limit(void)
{
	/* Address bits at or above MAXPHYADDR are reserved in an entry: they would fault. */
	return 1ull << cpu_features.phys_bits;
}

/* The device memory the kernel maps for itself (the local APIC): never a user's. */
#define KERNEL_DEVICES	8
static struct { uint64_t start, end; } kernel_devices[KERNEL_DEVICES];
static int nkernel_devices;

bool pmap_device_is_kernels(uint64_t start, uint64_t end)
{
	for (int i = 0; i < nkernel_devices; i++)
		if (start < kernel_devices[i].end && kernel_devices[i].start < end)
			return true;
	return false;
}

void *pmap_map_device(uint64_t pa, size_t size)
{
	if (nkernel_devices == KERNEL_DEVICES)
		panic("pmap: more than %d kernel device ranges", KERNEL_DEVICES);
	kernel_devices[nkernel_devices].start = pa & ~0xFFFull;
	kernel_devices[nkernel_devices++].end = pa + size;
	for (uint64_t p = pa & ~0xFFFull; p < pa + size; p += PAGE_SIZE) {
		uint64_t va = PHYS_MAP_BASE + p;
		uint64_t *e = walk(&kernel_pmap, va, 0, true, 0);

		if (!e)
			panic("pmap: cannot map device memory at %lx", p);
		*e = p | PTE_P | PTE_W | PTE_PCD | PTE_PWT | pte_nx;
		invlpg(va);
	}
	return phys_to_virt(pa);
}
