/*
 * Loading an exec plan into another task through its task port (elf_load.h).
 */
#include <stdbool.h>
#include <string.h>
#include <mach/mach_interface.h>
#include <mach/mach_traps.h>
#include <mach/vm_prot.h>
#include "elf_load.h"

#define PAGE		4096ull
#define ROUND(x)	(((x) + PAGE - 1) & ~(PAGE - 1))

/* The plan's protections go to vm_protect as they are. */
_Static_assert(ELF_PROT_R == VM_PROT_READ && ELF_PROT_W == VM_PROT_WRITE &&
	       ELF_PROT_X == VM_PROT_EXECUTE, "ELF and VM protection bits");

/*
 * Segments [first, last] share pages in a chain (run): one allocation and one write
 * for all of them, then each its protection; a page two segments share gets both.
 */
static kern_return_t load_run(mach_port_t task, const uint8_t *base, const struct elf_exec *x,
			      int first, int last)
{
	mach_port_t self = mach_task_self();
	uint64_t start = x->segs[first].map_start, end = x->segs[last].map_end;
	uint64_t data_end = start;
	vm_address_t buf = 0, at = start;
	kern_return_t kr;

	for (int i = first; i <= last; i++)
		if (x->segs[i].filesz && ROUND(x->segs[i].vaddr + x->segs[i].filesz) > data_end)
			data_end = ROUND(x->segs[i].vaddr + x->segs[i].filesz);
	kr = vm_allocate(task, &at, end - start, 0);
	if (kr == KERN_SUCCESS && data_end > start) {
		/* The pages past the last file byte stay as vm_allocate made them: zero. */
		kr = vm_allocate(self, &buf, data_end - start, 1);
		if (kr != KERN_SUCCESS)
			return kr;
		for (int i = first; i <= last; i++)
			memcpy((uint8_t *)buf + (x->segs[i].vaddr - start), base + x->segs[i].offset,
			       x->segs[i].filesz);
		kr = vm_write(task, start, buf, data_end - start);
		vm_deallocate(self, buf, data_end - start);
	}
	for (int i = first; i <= last && kr == KERN_SUCCESS; i++) {
		const struct elf_exec_segment *s = &x->segs[i];

		kr = vm_protect(task, s->map_start, s->map_end - s->map_start, 0, s->prot);
		if (kr == KERN_SUCCESS && i > first && s->map_start < x->segs[i - 1].map_end)
			kr = vm_protect(task, s->map_start, PAGE, 0, s->prot | x->segs[i - 1].prot);
	}
	return kr;
}

kern_return_t elf_exec_load(mach_port_t task, const void *image, const struct elf_exec *x)
{
	const uint8_t *base = image;
	int first = 0;
	kern_return_t kr = KERN_SUCCESS;

	for (int i = 0; i < x->nsegs && kr == KERN_SUCCESS; i++) {
		bool joined = i + 1 < x->nsegs && x->segs[i + 1].map_start < x->segs[i].map_end;

		if (!joined) {
			kr = load_run(task, base, x, first, i);
			first = i + 1;
		}
	}
	return kr;
}

