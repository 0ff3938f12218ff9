/*
 * Ports. Today only kernel-object ports exist (a task's, a thread's, the host's):
 * the receive side is the kernel, and the port names the object it stands for.
 * Receive rights held by tasks, queues and mach_msg come with IPC (issue 4).
 */
#ifndef _IPC_IPC_PORT_H_
#define _IPC_IPC_PORT_H_

#include <stdint.h>

enum ipc_kotype {
	IKOT_NONE,		/* the object is gone (e.g. a terminated task) */
	IKOT_TASK,
	IKOT_THREAD,
	IKOT_HOST,
	IKOT_HOST_PRIV,
	IKOT_DEVICE_MASTER,
};

struct ipc_port {
	int refs;		/* references from name spaces and kernel objects */
	uint32_t srights;	/* send rights outstanding */
	enum ipc_kotype kotype;
	void *kobject;
};

struct ipc_port *ipc_port_alloc_kernel(enum ipc_kotype type, void *kobject);
/* A new send right to port (to be handed to ipc_space_copyout_send). */
void ipc_port_make_send(struct ipc_port *port);
void ipc_port_reference(struct ipc_port *port);
void ipc_port_release(struct ipc_port *port);
/* The object is going away: the port stays, naming nothing. */
void ipc_port_disable(struct ipc_port *port);

#endif /* _IPC_IPC_PORT_H_ */
