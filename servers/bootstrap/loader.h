/*
 * Starting a program in a new task from the outside: its static ELF64 image loaded
 * through vm_allocate/vm_write/vm_protect on the task port, the initial stack laid out
 * as the kernel's boot-script loader does (docs/boot.md), and its first thread.
 */
#ifndef _BOOTSTRAP_LOADER_H
#define _BOOTSTRAP_LOADER_H

#include <stddef.h>
#include <stdint.h>
#include <mach/port.h>
#include <mach/kern_return.h>

/* The user address space layout a module task gets (ABI section 13). */
#define LOADER_USER_LIMIT	0x0000800000000000ull
#define LOADER_STACK_SIZE	0x20000ull	/* 128 KiB just below LOADER_USER_LIMIT */
#define LOADER_DYN_BASE		0x8000000ull	/* where an ET_DYN image goes */

/*
 * Loads `image` into `task` (empty, just created) and starts its first thread with
 * argv (argc words) and an empty environment. On failure *why says what went wrong
 * (a static string); the task may hold part of the image.
 */
kern_return_t loader_start(mach_port_t task, const void *image, size_t size, int argc,
			   char *const argv[], const char **why);

#endif
