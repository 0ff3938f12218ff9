/*
 * Counts of live kernel objects (kernel_stats subsystem, kernel_stats.defs). Every
 * count but fast_sends is of objects that exist now; tests compare them before and
 * after. fast_sends only grows: it shows whether the IPC fast path is taken.
 */
#ifndef _MACH_KERNEL_STATS_H_
#define _MACH_KERNEL_STATS_H_

#include <stdint.h>

struct kernel_object_counts {
	uint64_t ports;		/* ports, kernel-object ports included, dead ones still referenced too */
	uint64_t port_sets;
	uint64_t messages;	/* messages queued or in transit */
	uint64_t entries;	/* names in use, over all IPC spaces */
	uint64_t spaces;
	uint64_t tasks;
	uint64_t threads;
	uint64_t pages;		/* physical pages allocated */
	uint64_t fast_sends;	/* not a live count: messages the IPC fast path has carried */
	uint64_t vm_objects;	/* memory objects (behind map entries and virtual copies) */
	uint64_t hw_caps;	/* hardware capabilities: io_perm, irq, device memory, dma */
	uint64_t reserved[5];	/* zero */
};

typedef uint64_t kernel_object_counts_t[16];

_Static_assert(sizeof(struct kernel_object_counts) == sizeof(kernel_object_counts_t),
	       "kernel_object_counts layout");

#endif /* _MACH_KERNEL_STATS_H_ */
