/*
 * A task's memory before the VM system exists: zero-filled pages entered directly in
 * its pmap (owned by it), and writes into them from the kernel. The VM issue
 * replaces this with maps of memory objects; the callers keep the same shape.
 */
#ifndef _KERN_TASK_MEMORY_H_
#define _KERN_TASK_MEMORY_H_

#include <stddef.h>
#include <stdint.h>
#include <mach/kern_return.h>

struct task;

/* Backs [start, end) with zeroed pages; pages already there get prot added. */
kern_return_t task_memory_fill(struct task *t, uint64_t start, uint64_t end, int prot);
/* Copies into the task's (already backed) memory, whatever its protection. */
kern_return_t task_memory_write(struct task *t, uint64_t va, const void *src, size_t len);

#endif
