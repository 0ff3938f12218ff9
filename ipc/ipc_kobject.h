/*
 * Kernel objects. Their ports' receive rights live in the kernel's own IPC space, and
 * a message sent to one is served at once, in the sender's context, the way any
 * server would serve it: copied out into the kernel space, handed to the MIG server
 * stubs generated from include/mach/ *.defs, and the reply sent back from that space.
 * Server functions therefore see names in ipc_space_kernel for every port.
 */
#ifndef _IPC_IPC_KOBJECT_H_
#define _IPC_IPC_KOBJECT_H_

#include <mach/message.h>
#include <mach/port.h>
#include <ipc/ipc_port.h>

struct ipc_kmsg;

void ipc_kobject_init(void);
void ipc_kobject_server(struct ipc_kmsg *request);
/* Runs the server routine of request req (kernel-space names) into rep, a buffer as large
   as the subsystem's largest reply (ipc_kfast.c: KFAST_MAX covers every one). */
void ipc_kobject_demux(mach_msg_header_t *req, mach_msg_header_t *rep);
/* The object of `type` whose port a kernel-space name denotes (receive right or send
 * right), or NULL. */
void *ipc_kobject_lookup(mach_port_name_t name, enum ipc_kotype type);
/* The port a kernel-space name denotes, or NULL. */
struct ipc_port *ipc_kobject_port(mach_port_name_t name);
/* The object is gone: its port dies (send rights to it become dead names) and the
 * object's reference on it is dropped. */
void ipc_kobject_destroy(struct ipc_port *port);
/* A new send right to port in the kernel's space, for a reply to move to the client
 * (a server routine's `out` port); its name, or MACH_PORT_NULL without memory. */
mach_port_name_t ipc_kobject_send_name(struct ipc_port *port);
/* Takes a right that a request brought into the kernel's space (name, of the given
 * received type) out of it: a right in transit, or NULL / IP_DEAD. */
struct ipc_port *ipc_kobject_take_right(mach_port_name_t name, mach_msg_type_name_t type);

#endif
