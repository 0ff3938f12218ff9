/* Port sets: a receive point for the messages of all their member ports. */
#ifndef _IPC_IPC_PSET_H_
#define _IPC_IPC_PSET_H_

#include <kern/list.h>
#include <kern/thread.h>
#include <mach/kern_return.h>
#include <mach/port.h>

struct ipc_port;

struct ipc_space;

struct ipc_pset {
	int refs;
	bool active;
	struct ipc_space *space;	/* the one space that names it */
	mach_port_name_t name;
	struct list ports;		/* members, struct ipc_port.pset_link */
	struct waitq receivers;		/* threads receiving on the set */
	uint32_t msgcount;		/* messages queued on its members */
};

extern uint64_t ipc_psets_live;		/* kernel_stats */

struct ipc_pset *ipc_pset_alloc(void);
/* Removes every member and wakes the receivers (MACH_RCV_PORT_DIED); drops the ref. */
void ipc_pset_destroy(struct ipc_pset *pset);
void ipc_pset_reference(struct ipc_pset *pset);
void ipc_pset_release(struct ipc_pset *pset);
void ipc_pset_add(struct ipc_pset *pset, struct ipc_port *port);
void ipc_pset_remove(struct ipc_port *port);
/* A member with a queued message (round-robin), or NULL. */
struct ipc_port *ipc_pset_ready_port(struct ipc_pset *pset);

#endif
