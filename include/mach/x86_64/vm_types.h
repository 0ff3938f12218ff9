/* Machine-sized integer types of the x86_64 user ABI (abi/README.md section 1). */
#ifndef _MACH_X86_64_VM_TYPES_H_
#define _MACH_X86_64_VM_TYPES_H_

#include <stdint.h>

typedef uint32_t natural_t;
typedef int32_t integer_t;
typedef uint64_t long_natural_t;
typedef int64_t long_integer_t;
typedef uint64_t rpc_long_natural_t;
typedef int64_t rpc_long_integer_t;

typedef uintptr_t vm_offset_t;
typedef uintptr_t vm_address_t;
typedef uintptr_t vm_size_t;
typedef uintptr_t rpc_vm_offset_t;
typedef uintptr_t rpc_vm_address_t;
typedef uintptr_t rpc_vm_size_t;
typedef uintptr_t rpc_uintptr_t;
typedef uint64_t phys_addr_t;
typedef uint64_t rpc_phys_addr_t;
typedef rpc_phys_addr_t *rpc_phys_addr_array_t;

typedef int8_t signed8_t;
typedef int16_t signed16_t;
typedef int32_t signed32_t;
typedef int64_t signed64_t;
typedef uint8_t unsigned8_t;
typedef uint16_t unsigned16_t;
typedef uint32_t unsigned32_t;
typedef uint64_t unsigned64_t;
typedef float float32_t;
typedef double float64_t;

_Static_assert(sizeof(vm_offset_t) == 8, "x86_64 only");

#endif
