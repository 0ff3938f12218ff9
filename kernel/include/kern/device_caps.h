/*
 * Hardware capabilities cut from the device master port (device_caps.defs, 5500): kernel
 * objects naming one interrupt line (IKOT_IRQ), one range of device memory
 * (IKOT_DEVICE_MEM) or an allowance of DMA memory (IKOT_DMA). Holding a send right is
 * the permission; an object lives as long as its send rights (kern/device_caps.c).
 * Conditions (all): interrupts disabled.
 */
#ifndef _KERN_DEVICE_CAPS_H_
#define _KERN_DEVICE_CAPS_H_

#include <stdint.h>

struct ipc_port;

struct devcap {
	struct ipc_port *port;		/* its kotype says which member of the union is valid */
	struct devcap *dead_next;	/* on devcap_dead, waiting for devcap_reap */
	union {
		int irq;				/* IKOT_IRQ: the line */
		struct { uint64_t paddr, size; } mem;	/* IKOT_DEVICE_MEM: page-aligned */
		struct { uint64_t limit, used; } dma;	/* IKOT_DMA: bytes */
	};
};

extern uint64_t devcaps_live;		/* kernel_stats (hw_caps, with io_perms) */
extern struct devcap *devcap_dead;	/* waiting for devcap_reap */

/* ipc_port_release_send: a capability's port lost its last send right. */
void devcap_no_senders(struct ipc_port *port);
/* Destroys the capabilities left without send rights; at the return to user mode. */
void devcap_reap(void);

#endif /* _KERN_DEVICE_CAPS_H_ */
