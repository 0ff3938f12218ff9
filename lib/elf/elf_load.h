/*
 * Native programs that start others (bootstrap's loader, the personalities): an exec
 * plan (elf.h) loaded into a task through its task port. Needs libmach; not built on
 * the host.
 */
#ifndef _LIB_ELF_LOAD_H_
#define _LIB_ELF_LOAD_H_
#include <mach/kern_return.h>
#include <mach/port.h>
#include "elf.h"

/*
 * Maps every segment of x (parsed from image) into task, which must have nothing
 * mapped there: file bytes written, the rest zero, each segment's protection (a page
 * two segments share gets both). On failure the task may hold part of the image.
 */
kern_return_t elf_exec_load(mach_port_t task, const void *image, const struct elf_exec *x);

#endif
