/*
 * Physical maps: the x86_64 4-level page tables of one address space. The kernel
 * half (PML4 slots 256-511) is built once at boot and shared by every pmap, so a
 * kernel mapping made later (device memory) is visible in all of them.
 */
#ifndef _ARCH_PMAP_H_
#define _ARCH_PMAP_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mach/kern_return.h>
#include <mach/vm_prot.h>
#include <arch/cpu.h>
#include <kern/list.h>

struct pmap {
	uint64_t pml4_pa;	/* physical address loaded into CR3 */
	uint64_t *pml4;		/* the same page through the direct map */
	size_t resident;	/* user pages mapped */
	struct list tables;	/* the user tables below the PML4 (their pmm frames) */
};

/* Builds the kernel's tables from the memory map, then switches to them. */
void pmap_bootstrap(uint64_t max_phys);
extern struct pmap kernel_pmap;

struct pmap *pmap_create(void);
/* Frees the page tables (the pages mapped belong to the VM's memory objects). */
void pmap_destroy(struct pmap *pm);
/* Removes every user mapping at once: the user page tables are freed. */
void pmap_remove_all(struct pmap *pm);
/* Loads pm's page tables unless they are loaded (inline: every switch asks). */
static inline void pmap_activate(struct pmap *pm)
{
	if (read_cr3() != pm->pml4_pa)
		write_cr3(pm->pml4_pa);
}

/* Maps user page va to pa (replacing any mapping); prot must not be VM_PROT_NONE. */
kern_return_t pmap_enter(struct pmap *pm, uint64_t va, uint64_t pa, int prot);
/* The same for a page of device memory: uncached (PCD and PWT), kept so by pmap_protect. */
kern_return_t pmap_enter_device(struct pmap *pm, uint64_t va, uint64_t pa, int prot);
void pmap_remove(struct pmap *pm, uint64_t start, uint64_t end);
/*
 * Maps in dst what src maps in [start, end), without write access (a forked child's
 * copy-on-write view of its parent's pages; dst is not loaded). KERN_RESOURCE_SHORTAGE
 * without memory for a table (dst then has part of them).
 */
kern_return_t pmap_copy(struct pmap *dst, struct pmap *src, uint64_t start, uint64_t end);
/* Takes write access away from every page mapped in [start, end) (copy-on-write). */
void pmap_write_protect(struct pmap *pm, uint64_t start, uint64_t end);
/* Sets the protection of a mapped page (no effect on an unmapped one). */
void pmap_protect(struct pmap *pm, uint64_t va, int prot);
bool pmap_extract(struct pmap *pm, uint64_t va, uint64_t *pa, int *prot);

/* Kernel mappings outside the direct map (kernel stacks): read/write, never executable. */
kern_return_t pmap_kernel_enter(uint64_t va, uint64_t pa);
void pmap_kernel_remove(uint64_t va);

/* Maps device memory (uncached) into the kernel's direct-map window. */
void *pmap_map_device(uint64_t pa, size_t size);
/* The first physical address a page-table entry cannot name (the CPU's MAXPHYADDR). */
uint64_t pmap_phys_limit(void);
/* Whether [start, end) overlaps device memory the kernel mapped so (device_mem_create). */
bool pmap_device_is_kernels(uint64_t start, uint64_t end);

#endif /* _ARCH_PMAP_H_ */
