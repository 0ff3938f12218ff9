/* Virtual memory layout of the kernel and of user address spaces (shared with assembly). */
#ifndef _KERN_LAYOUT_H_
#define _KERN_LAYOUT_H_

/* The kernel image, linked at -2 GiB (so -mcmodel=kernel works). */
#define KERNEL_BASE		0xFFFFFFFF80000000
/* Every physical page, mapped at PHYS_MAP_BASE + physical address (PML4 slot 256). */
#define PHYS_MAP_BASE		0xFFFF800000000000

/* User addresses are [0, USER_LIMIT): the lower canonical half (ABI section 11). */
#define USER_LIMIT		0x0000800000000000
#define PAGE_SIZE		4096
#define PAGE_SHIFT		12

/* The initial user stack of a loaded module: 128 KiB just below USER_LIMIT (ABI 13). */
#define USER_STACK_SIZE		0x20000
/* Where an ET_DYN module image is placed (ABI section 13). */
#define USER_DYN_BASE		0x8000000

/*
 * Kernel stacks live in their own region (PML4 slot 510), each below an unmapped
 * guard page, so an overflow faults (and double-faults onto the IST stack) instead of
 * overwriting memory. Slot i spans [KSTACK_REGION + i * KSTACK_SLOT, + KSTACK_SLOT).
 */
#define KSTACK_SIZE		16384
#define KSTACK_REGION		0xFFFFFF0000000000
#define KSTACK_SLOT		(KSTACK_SIZE + PAGE_SIZE)
#define KSTACK_MAX		65536

#ifndef __ASSEMBLER__
#include <stdint.h>

static inline void *phys_to_virt(uint64_t pa)
{
	return (void *)(pa + PHYS_MAP_BASE);
}

static inline uint64_t virt_to_phys(const void *va)
{
	uint64_t v = (uint64_t)va;
	return v >= KERNEL_BASE ? v - KERNEL_BASE : v - PHYS_MAP_BASE;
}
#endif

#endif /* _KERN_LAYOUT_H_ */
