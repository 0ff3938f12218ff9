/* The runtime that generated stubs call: reply ports and memory.
   libmach provides these for tasks; the kernel provides its own. */
#ifndef _MACH_MIG_SUPPORT_H_
#define _MACH_MIG_SUPPORT_H_

#include <mach/port.h>
#include <mach/message.h>
#include <mach/x86_64/vm_types.h>

extern mach_port_t mig_get_reply_port(void);
extern void mig_put_reply_port(mach_port_t reply_port);
extern void mig_dealloc_reply_port(mach_port_t reply_port);
extern void mig_init(void *first);
extern void mig_allocate(vm_address_t *addr, vm_size_t size);
extern void mig_deallocate(vm_address_t addr, vm_size_t size);
extern vm_size_t mig_strncpy(char *dst, const char *src, vm_size_t len);

/* Used by stubs of KernelUser subsystems only. */
extern mach_msg_return_t mach_msg_send_from_kernel(mach_msg_header_t *msg, mach_msg_size_t size);
extern mach_msg_return_t mach_msg_rpc_from_kernel(mach_msg_header_t *msg, mach_msg_size_t send_size,
						  mach_msg_size_t rcv_size);

#endif
