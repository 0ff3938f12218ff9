/* A task's memory before the VM system (see kern/task_memory.h). */
#include <string.h>
#include <arch/pmap.h>
#include <kern/layout.h>
#include <kern/pmm.h>
#include <kern/task.h>
#include <kern/task_memory.h>

kern_return_t task_memory_fill(struct task *t, uint64_t start, uint64_t end, int prot)
{
	for (uint64_t va = start & ~(uint64_t)(PAGE_SIZE - 1); va < end; va += PAGE_SIZE) {
		int old;
		uint64_t pa;
		kern_return_t kr;

		if (pmap_extract(t->pmap, va, NULL, &old)) {
			pmap_protect(t->pmap, va, old | prot);
			continue;
		}
		pa = page_alloc();
		if (pa == PMM_NONE)
			return KERN_RESOURCE_SHORTAGE;
		memset(phys_to_virt(pa), 0, PAGE_SIZE);
		kr = pmap_enter(t->pmap, va, pa, prot | PMAP_OWNED);
		if (kr != KERN_SUCCESS) {
			page_free(pa);
			return kr;
		}
	}
	return KERN_SUCCESS;
}

kern_return_t task_memory_write(struct task *t, uint64_t va, const void *src, size_t len)
{
	const uint8_t *s = src;

	while (len) {
		uint64_t pa;
		size_t n = PAGE_SIZE - (va & (PAGE_SIZE - 1));

		if (n > len)
			n = len;
		if (!pmap_extract(t->pmap, va, &pa, NULL))
			return KERN_INVALID_ADDRESS;
		memcpy(phys_to_virt(pa), s, n);
		va += n;
		s += n;
		len -= n;
	}
	return KERN_SUCCESS;
}
