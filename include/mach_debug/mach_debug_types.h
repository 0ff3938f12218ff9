/* C types of the kernel debugging interface; each struct's size is what
   the wire carries (abi/types.tsv). */
#ifndef _MACH_DEBUG_MACH_DEBUG_TYPES_H_
#define _MACH_DEBUG_MACH_DEBUG_TYPES_H_

#include <mach/mach_types.h>

typedef struct hash_info_bucket {
	unsigned int hib_count;
} hash_info_bucket_t;
typedef hash_info_bucket_t *hash_info_bucket_array_t;

typedef char cache_name_t[32];
typedef struct cache_info {
	integer_t flags;
	rpc_vm_size_t cpu_pool_size;
	rpc_vm_size_t obj_size;
	rpc_vm_size_t align;
	rpc_vm_size_t buf_size;
	rpc_vm_size_t slab_size;
	rpc_long_natural_t bufs_per_slab;
	rpc_long_natural_t nr_objs;
	rpc_long_natural_t nr_bufs;
	rpc_long_natural_t nr_slabs;
	rpc_long_natural_t nr_free_slabs;
	cache_name_t name;
} cache_info_t;
typedef cache_info_t *cache_info_array_t;

typedef struct vm_region_info {
	rpc_vm_offset_t vri_start;
	rpc_vm_offset_t vri_end;
	vm_prot_t vri_protection;
	vm_prot_t vri_max_protection;
	vm_inherit_t vri_inheritance;
	unsigned int vri_wired_count;
	unsigned int vri_user_wired_count;
	rpc_vm_offset_t vri_object;
	rpc_vm_offset_t vri_offset;
	integer_t vri_needs_copy;
	unsigned int vri_sharing;
} vm_region_info_t;
typedef vm_region_info_t *vm_region_info_array_t;

typedef uint32_t vm_object_info_state_t;
typedef struct vm_object_info {
	rpc_vm_offset_t voi_object;
	rpc_vm_size_t voi_pagesize;
	rpc_vm_size_t voi_size;
	unsigned int voi_ref_count;
	unsigned int voi_resident_page_count;
	unsigned int voi_absent_count;
	rpc_vm_offset_t voi_copy;
	rpc_vm_offset_t voi_shadow;
	rpc_vm_offset_t voi_shadow_offset;
	rpc_vm_offset_t voi_paging_offset;
	memory_object_copy_strategy_t voi_copy_strategy;
	rpc_vm_offset_t voi_last_alloc;
	unsigned int voi_paging_in_progress;
	vm_object_info_state_t voi_state;
} vm_object_info_t;
typedef vm_object_info_t *vm_object_info_array_t;

typedef uint32_t vm_page_info_state_t;
typedef struct vm_page_info {
	rpc_vm_offset_t vpi_offset;
	rpc_vm_offset_t vpi_phys_addr;
	unsigned int vpi_wire_count;
	vm_prot_t vpi_page_lock;
	vm_prot_t vpi_unlock_request;
	vm_page_info_state_t vpi_state;
} vm_page_info_t;
typedef vm_page_info_t *vm_page_info_array_t;

typedef struct vm_page_phys_info {
	rpc_vm_offset_t vpi_offset;
	rpc_phys_addr_t vpi_phys_addr;
	unsigned int vpi_wire_count;
	vm_prot_t vpi_page_lock;
	vm_prot_t vpi_unlock_request;
	vm_page_info_state_t vpi_state;
} vm_page_phys_info_t;
typedef vm_page_phys_info_t *vm_page_phys_info_array_t;

typedef char symtab_name_t[32];
typedef const char *const_symtab_name_t;
typedef char kernel_debug_name_t[64];
typedef const char *const_kernel_debug_name_t;

_Static_assert(sizeof(cache_info_t) == 120, "15 x INTEGER_64");
_Static_assert(sizeof(vm_object_info_t) == 96, "12 x INTEGER_64");
_Static_assert(sizeof(vm_region_info_t) == 64, "8 x INTEGER_64");
_Static_assert(sizeof(vm_page_info_t) == 32, "4 x INTEGER_64");

#endif
