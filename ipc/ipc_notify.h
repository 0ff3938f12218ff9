/*
 * Kernel-generated notifications (ABI section 7). Each is a message sent to a
 * send-once right, which it consumes; the caller hands that right over. Notifications
 * ignore queue limits and never block. If the kernel is out of memory the right is
 * destroyed instead (so its port still learns, through a send-once notification).
 */
#ifndef _IPC_IPC_NOTIFY_H_
#define _IPC_IPC_NOTIFY_H_

#include <stdint.h>
#include <mach/port.h>

struct ipc_port;

void ipc_notify_port_deleted(struct ipc_port *soright, mach_port_name_t name);
void ipc_notify_msg_accepted(struct ipc_port *soright, mach_port_name_t name);
/* Carries the receive right of `port` (in transit) to the notified task. */
void ipc_notify_port_destroyed(struct ipc_port *soright, struct ipc_port *port);
void ipc_notify_no_senders(struct ipc_port *soright, uint32_t mscount);
/* The send-once right to `port` died unused: tell the port itself. */
void ipc_notify_send_once(struct ipc_port *port);
void ipc_notify_dead_name(struct ipc_port *soright, mach_port_name_t name);

#endif
