/*
 * Native programs that start others (bootstrap's loader, the personalities): an exec
 * plan (elf.h) loaded into a task through its task port. Needs libmach; not built on
 * the host.
 */
#ifndef _LIB_ELF_LOAD_H_
#define _LIB_ELF_LOAD_H_
#include <mach/kern_return.h>
#include <mach/port.h>
#include <mach/mach_types.h>
#include "elf.h"

/*
 * Maps every segment of x (parsed from image) into task, which must have nothing
 * mapped there: file bytes written, the rest zero, each segment's protection (a page
 * two segments share gets both). On failure the task may hold part of the image.
 */
kern_return_t elf_exec_load(mach_port_t task, const void *image, const struct elf_exec *x);

/*
 * The same in two steps, for a loader that starts one program many times: the
 * segments' file bytes laid out in page-aligned buffers of the caller's (prepare), then
 * mapped into a task by copy-on-write copies of those pages (map), as often as wanted.
 */
struct elf_exec_run {
	int first, last;		/* segments without a hole between: one allocation */
	uint64_t data_len;		/* page-rounded bytes from the first segment's map_start */
	vm_address_t buf;		/* in the caller's task; 0 when there are none */
};

struct elf_exec_image {
	int nruns;
	struct elf_exec_run runs[ELF_EXEC_MAX_SEGMENTS];
};

kern_return_t elf_exec_prepare(const void *image, const struct elf_exec *x,
			       struct elf_exec_image *out);
kern_return_t elf_exec_map(mach_port_t task, const struct elf_exec *x,
			   const struct elf_exec_image *img);
void elf_exec_image_free(struct elf_exec_image *img);

#endif
