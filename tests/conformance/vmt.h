/* Helpers of the virtual-memory conformance cases (t_vm.c, t_vm_copy.c). */
#ifndef _VMT_H
#define _VMT_H

#include <mach/gnumach.h>
#include <mach/kernel_stats.h>
#include <mach/vm_inherit.h>
#include <mach/vm_prot.h>
#include <mach/vm_statistics.h>
#include <mach/vm_wire.h>
#include "util.h"

#define USER_TOP	0x0000800000000000ul	/* VM_MAX_ADDRESS */
#define KERNEL_ADDR	0xffffffff80100000ul

struct region {
	vm_address_t addr;
	vm_size_t size;
	vm_prot_t prot, max;
	vm_inherit_t inherit;
	boolean_t shared;
	vm_offset_t offset;
};

/* The kernel's object counts and vm_statistics, checked. */
struct kernel_object_counts counts(void);
vm_statistics_data_t stats(void);
/* vm_region at or above addr, in this task. */
struct region region(vm_address_t addr);
/* A byte pattern of `seed`, and whether p holds it. */
void fill(unsigned char *p, size_t n, unsigned seed);
bool filled(const unsigned char *p, size_t n, unsigned seed);
bool all_zero(const unsigned char *p, size_t n);
/* A free range of `bytes`: allocated anywhere, then given back. */
vm_address_t free_range(size_t bytes);
/* vm_read of this task: the data (a new region of ours) and its count. */
unsigned char *read_self(vm_address_t addr, vm_size_t size);

#endif
