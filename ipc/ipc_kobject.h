/*
 * Kernel objects. Their ports' receive rights live in the kernel's own IPC space, and
 * a message sent to one is served at once, in the sender's context, the way any
 * server would serve it: copied out into the kernel space, handed to the MIG server
 * stubs generated from include/mach/ *.defs, and the reply sent back from that space.
 * Server functions therefore see names in ipc_space_kernel for every port.
 */
#ifndef _IPC_IPC_KOBJECT_H_
#define _IPC_IPC_KOBJECT_H_

#include <mach/port.h>
#include <ipc/ipc_port.h>

struct ipc_kmsg;

void ipc_kobject_init(void);
void ipc_kobject_server(struct ipc_kmsg *request);
/* The object of `type` whose port a kernel-space name denotes (receive right or send
 * right), or NULL. */
void *ipc_kobject_lookup(mach_port_name_t name, enum ipc_kotype type);
/* The port a kernel-space name denotes, or NULL. */
struct ipc_port *ipc_kobject_port(mach_port_name_t name);

#endif
