/* C types behind <mach/mach_types.defs>: kernel objects are ports in user
   space; info and statistics structures follow abi/README.md 11-12. */
#ifndef _MACH_MACH_TYPES_H_
#define _MACH_MACH_TYPES_H_

#include <mach/std_types.h>
#include <mach/time_value.h>
#include <mach/vm_statistics.h>
#include <mach/vm_cache_statistics.h>
#include <mach/vm_wire.h>
#include <mach/pc_sample.h>

typedef mach_port_t task_t, thread_t, vm_task_t, ipc_space_t, host_t, host_priv_t;
typedef mach_port_t processor_t, processor_set_t, processor_set_name_t, processor_name_t;
typedef mach_port_t memory_object_t, memory_object_control_t, memory_object_name_t;
typedef mach_port_t *task_array_t, *thread_array_t, *processor_array_t;
typedef mach_port_t *processor_set_array_t, *processor_set_name_array_t;
typedef mach_port_t *processor_name_array_t;
typedef mach_port_t *memory_object_array_t;
typedef const mach_port_t *const_memory_object_array_t;
typedef task_t *task_port_array_t;
typedef thread_t thread_act_t;

typedef int vm_prot_t;
typedef int vm_inherit_t;
typedef int vm_sync_t;
typedef int vm_machine_attribute_t;
typedef int vm_machine_attribute_val_t;
typedef int memory_object_copy_strategy_t;
typedef int memory_object_return_t;

typedef natural_t *thread_state_t;
typedef const natural_t *const_thread_state_t;
typedef integer_t *thread_info_t, *task_info_t, *host_info_t;
typedef integer_t *processor_info_t, *processor_set_info_t;
typedef const integer_t *const_thread_info_t, *const_task_info_t, *const_host_info_t;
typedef const integer_t *const_processor_info_t, *const_processor_set_info_t;
typedef int *rpc_signature_info_t;
typedef const int *const_rpc_signature_info_t;
typedef vm_offset_t *emulation_vector_t;

typedef char kernel_version_t[512];
typedef const char *const_kernel_version_t;
/* The boot script of older kernels' host_get_boot_info (32-bit ABI only). */
typedef char kernel_boot_info_t[4096];
typedef const char *const_kernel_boot_info_t;

#define THREAD_STATE_MAX	1024
#define TASK_INFO_MAX		1024
#define THREAD_INFO_MAX		1024
#define HOST_INFO_MAX		1024

#endif
