/*
 * Ports. A port has one receive right (held by a space under a name, in transit in a
 * message, or by the kernel for kernel-object ports), counts of the send and
 * send-once rights that exist, a message queue, and the notifications requested on it.
 *
 * References (refs) keep the structure alive: one per right that exists (in a space
 * or in transit), one held by the kernel object it names, and temporary ones. A port
 * whose receive right is destroyed dies (active = false): its rights become dead names.
 */
#ifndef _IPC_IPC_PORT_H_
#define _IPC_IPC_PORT_H_

#include <stdbool.h>
#include <stdint.h>
#include <kern/list.h>
#include <kern/printf.h>
#include <kern/thread.h>
#include <mach/port.h>

struct ipc_space;
struct ipc_pset;
struct ipc_kmsg;

enum ipc_kotype {
	IKOT_NONE,		/* an ordinary port, or a kernel object that is gone */
	IKOT_TASK,
	IKOT_THREAD,
	IKOT_HOST,
	IKOT_HOST_PRIV,
	IKOT_DEVICE_MASTER,
	IKOT_EXC_REPLY,		/* the reply port of an exception message (kern/exception.c) */
	IKOT_FOREIGN_REPLY,	/* a thread's reply port for forwarded syscalls (kern/foreign.c) */
	/* Hardware capabilities: each lives as long as its send rights (from here on). */
	IKOT_IO_PERM,		/* a range of I/O ports (arch/x86_64/io_perm.c) */
	IKOT_IRQ,		/* one interrupt line (kern/device_caps.c) */
	IKOT_DEVICE_MEM,	/* a range of device memory (kern/device_caps.c) */
	IKOT_DMA,		/* an allowance of DMA memory (kern/device_caps.c) */
};

/* A dead-name request: notify `soright` when the right named `name` in `space` dies. */
struct ipc_dnrequest {
	struct list link;		/* in the port's dnrequests */
	struct ipc_space *space;
	mach_port_name_t name;
	struct ipc_port *soright;	/* a send-once right (in transit to nobody) */
};

struct ipc_port {
	int refs;
	bool active;
	struct ipc_space *receiver;	/* holder of the receive right; NULL in transit */
	struct ipc_port *destination;	/* in transit: the port whose message carries it */
	mach_port_name_t receiver_name;
	enum ipc_kotype kotype;
	void *kobject;
	uint32_t srights;		/* send rights that exist */
	uint32_t sorights;		/* send-once rights that exist */
	uint32_t mscount;		/* make-send count */
	uint32_t seqno;			/* of the next message received */
	uint32_t qlimit;
	uint32_t msgcount;
	struct list messages;		/* struct ipc_kmsg */
	struct waitq receivers;		/* threads receiving on this port */
	struct waitq senders;		/* threads waiting for room in the queue */
	struct ipc_pset *pset;		/* the set it is in, if any */
	struct list pset_link;
	struct ipc_port *nsrequest;	/* no-senders: send-once right to notify */
	struct ipc_port *pdrequest;	/* port-destroyed: send-once right to notify */
	struct list dnrequests;		/* struct ipc_dnrequest */
	uint32_t ktype;			/* mach_port_set_ktype (USER_DEVICE for device servers) */
	bool has_payload;
	uint64_t payload;		/* mach_port_set_protected_payload */
};

/* In-transit marker for a right to a dead port (the name MACH_PORT_DEAD). */
#define IP_DEAD		((struct ipc_port *)-1)
#define IP_VALID(p)	((p) != NULL && (p) != IP_DEAD)

extern uint64_t ipc_ports_live;		/* kernel_stats */

void ipc_port_init(void);
/* A new port with its receive right in transit (the caller places it). */
struct ipc_port *ipc_port_alloc_raw(void);
/* A kernel-object port: its receive right is held by the kernel's space. */
struct ipc_port *ipc_port_alloc_kernel(enum ipc_kotype type, void *kobject);
/* Frees a port whose last reference is gone (ipc_port_release). */
void ipc_port_free(struct ipc_port *port);

/* Inline: every message and every wait takes and drops references. */
static inline void ipc_port_reference(struct ipc_port *port)
{
	port->refs++;
}

static inline __attribute__((always_inline)) void ipc_port_release(struct ipc_port *port)
{
	assert(port->refs > 0);
	if (--port->refs == 0)
		ipc_port_free(port);
}

/* +1 send-once right, +ref (inline, as the fast path makes one per request). */
static inline struct ipc_port *ipc_port_make_send_once(struct ipc_port *port)
{
	port->sorights++;
	port->refs++;
	return port;
}

/* A message sent with a send-once right was received: the right is used up. */
static inline void ipc_port_consume_sonce(struct ipc_port *port)
{
	assert(port->sorights > 0);
	port->sorights--;
	ipc_port_release(port);
}

/* Rights in transit (held by the kernel, not by a space). Each consumes a ref. */
struct ipc_port *ipc_port_make_send(struct ipc_port *port);	/* +1 send right, +ref */
struct ipc_port *ipc_port_copy_send(struct ipc_port *port);
void ipc_port_release_send(struct ipc_port *port);
/* Destroys an unused send-once right: the port gets a send-once notification. */
void ipc_port_release_sonce(struct ipc_port *port);
/* Destroys a receive right (port-destroyed notification, or death). */
void ipc_port_destroy(struct ipc_port *port);
/* The kernel object is gone: the port stays, naming nothing. */
void ipc_port_disable(struct ipc_port *port);

/* Dead-name requests. */
void ipc_port_dnrequest_cancel(struct ipc_dnrequest *req, bool notify_deleted);

#endif /* _IPC_IPC_PORT_H_ */
