/*
 * Kernel stacks: KSTACK_SIZE of pages mapped in a slot of the kernel-stack region,
 * above an unmapped guard page. Free slots are found in a bitmap.
 */
#include <arch/pmap.h>
#include <kern/kstack.h>
#include <kern/layout.h>
#include <kern/pmm.h>
#include <kern/printf.h>

#define STACK_PAGES	(KSTACK_SIZE / PAGE_SIZE)

static uint64_t slot_used[KSTACK_MAX / 64];

static long slot_take(void)
{
	for (unsigned w = 0; w < KSTACK_MAX / 64; w++) {
		if (slot_used[w] != ~0ull) {
			int b = __builtin_ctzll(~slot_used[w]);
			slot_used[w] |= 1ull << b;
			return (long)w * 64 + b;
		}
	}
	return -1;
}

static void unmap_stack(uint64_t base, int pages)
{
	for (int i = 0; i < pages; i++) {
		uint64_t pa;
		uint64_t va = base + (uint64_t)i * PAGE_SIZE;

		if (pmap_extract(&kernel_pmap, va, &pa, NULL)) {
			pmap_kernel_remove(va);
			page_free(pa);
		}
	}
}

uint64_t kstack_alloc(void)
{
	long slot = slot_take();
	uint64_t base;

	if (slot < 0)
		return 0;
	base = KSTACK_REGION + (uint64_t)slot * KSTACK_SLOT + PAGE_SIZE;
	for (int i = 0; i < STACK_PAGES; i++) {
		uint64_t pa = page_alloc();

		if (pa == PMM_NONE || pmap_kernel_enter(base + (uint64_t)i * PAGE_SIZE, pa) != KERN_SUCCESS) {
			if (pa != PMM_NONE)
				page_free(pa);
			unmap_stack(base, i);
			slot_used[slot / 64] &= ~(1ull << (slot % 64));
			return 0;
		}
	}
	return base;
}

void kstack_free(uint64_t base)
{
	uint64_t slot = (base - PAGE_SIZE - KSTACK_REGION) / KSTACK_SLOT;

	assert(slot < KSTACK_MAX && (slot_used[slot / 64] & (1ull << (slot % 64))));
	unmap_stack(base, STACK_PAGES);
	slot_used[slot / 64] &= ~(1ull << (slot % 64));
}
