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
 * The runs of x: segments [first, last] whose pages follow on without a hole (adjacent
 * or sharing a page), one allocation and one write each: a program's segments are
 * usually one run, mapped with three calls and a protection per segment.
 */
static int runs_of(const struct elf_exec *x, int first[], int last[])
{
	int n = 0, start = 0;

	for (int i = 0; i < x->nsegs; i++) {
		bool joined = i + 1 < x->nsegs && x->segs[i + 1].map_start <= x->segs[i].map_end;

		if (!joined) {
			first[n] = start;
			last[n++] = i;
			start = i + 1;
		}
	}
	return n;
}

kern_return_t elf_exec_prepare(const void *image, const struct elf_exec *x,
			       struct elf_exec_image *out)
{
	const uint8_t *base = image;
	int first[ELF_EXEC_MAX_SEGMENTS], last[ELF_EXEC_MAX_SEGMENTS];
	int n = runs_of(x, first, last);

	out->nruns = 0;
	for (int r = 0; r < n; r++) {
		struct elf_exec_run *run = &out->runs[out->nruns++];
		uint64_t start = x->segs[first[r]].map_start;
		kern_return_t kr;

		run->first = first[r];
		run->last = last[r];
		run->data_len = 0;
		run->buf = 0;
		for (int i = first[r]; i <= last[r]; i++)
			if (x->segs[i].filesz && ROUND(x->segs[i].vaddr + x->segs[i].filesz) - start > run->data_len)
				run->data_len = ROUND(x->segs[i].vaddr + x->segs[i].filesz) - start;
		if (!run->data_len)
			continue;
		/* The pages past the last file byte stay as vm_allocate made them: zero. */
		kr = vm_allocate(mach_task_self(), &run->buf, run->data_len, 1);
		if (kr != KERN_SUCCESS) {
			run->buf = 0;
			elf_exec_image_free(out);
			return kr;
		}
		for (int i = first[r]; i <= last[r]; i++)
			memcpy((uint8_t *)run->buf + (x->segs[i].vaddr - start), base + x->segs[i].offset,
			       x->segs[i].filesz);
	}
	return KERN_SUCCESS;
}

kern_return_t elf_exec_map(mach_port_t task, const struct elf_exec *x, const struct elf_exec_image *img)
{
	for (int r = 0; r < img->nruns; r++) {
		const struct elf_exec_run *run = &img->runs[r];
		uint64_t start = x->segs[run->first].map_start, end = x->segs[run->last].map_end;
		vm_address_t at = start;
		kern_return_t kr = vm_allocate(task, &at, end - start, 0);

		/* vm_write makes a copy-on-write copy of the prepared pages. */
		if (kr == KERN_SUCCESS && run->data_len)
			kr = vm_write(task, start, run->buf, run->data_len);
		for (int i = run->first; i <= run->last && kr == KERN_SUCCESS; i++) {
			const struct elf_exec_segment *s = &x->segs[i];

			/* vm_allocate's protection is read/write already. */
			if (s->prot != (VM_PROT_READ | VM_PROT_WRITE))
				kr = vm_protect(task, s->map_start, s->map_end - s->map_start, 0, s->prot);
			if (kr == KERN_SUCCESS && i > run->first && s->map_start < x->segs[i - 1].map_end)
				kr = vm_protect(task, s->map_start, PAGE, 0, s->prot | x->segs[i - 1].prot);
		}
		if (kr != KERN_SUCCESS)
			return kr;
	}
	return KERN_SUCCESS;
}

void elf_exec_image_free(struct elf_exec_image *img)
{
	for (int r = 0; r < img->nruns; r++)
		if (img->runs[r].buf)
			vm_deallocate(mach_task_self(), img->runs[r].buf, img->runs[r].data_len);
	img->nruns = 0;
}

kern_return_t elf_exec_load(mach_port_t task, const void *image, const struct elf_exec *x)
{
	struct elf_exec_image img;
	kern_return_t kr = elf_exec_prepare(image, x, &img);

	if (kr == KERN_SUCCESS)
		kr = elf_exec_map(task, x, &img);
	elf_exec_image_free(&img);
	return kr;
}
