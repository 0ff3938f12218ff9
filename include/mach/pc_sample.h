/* PC sampling records (mach4.defs): three 64-bit words each. */
#ifndef _MACH_PC_SAMPLE_H_
#define _MACH_PC_SAMPLE_H_

#include <mach/std_types.h>

typedef unsigned int sampled_pc_flavor_t;
typedef unsigned int sampled_pc_seqno_t;

typedef struct sampled_pc {
	rpc_vm_offset_t id;
	rpc_vm_offset_t pc;
	sampled_pc_flavor_t sampletype;
} sampled_pc_t;
typedef sampled_pc_t *sampled_pc_array_t;

typedef vm_offset_t *vm_offset_array_t;
typedef const vm_offset_t *const_vm_offset_array_t;
typedef vm_size_t *vm_size_array_t;
typedef const vm_size_t *const_vm_size_array_t;
typedef rpc_vm_offset_t *rpc_vm_offset_array_t;
typedef const rpc_vm_offset_t *const_rpc_vm_offset_array_t;
typedef rpc_vm_size_t *rpc_vm_size_array_t;
typedef const rpc_vm_size_t *const_rpc_vm_size_array_t;

#define SAMPLED_PC_PERIODIC	0x1

_Static_assert(sizeof(sampled_pc_t) == 24, "3 x INTEGER_64");

#endif
