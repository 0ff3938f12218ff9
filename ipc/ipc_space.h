/*
 * IPC spaces: a task's names for port rights. A name is a 32-bit value holding a
 * table index (low 24 bits) and that slot's generation (high 8 bits), so a stale
 * name is detected and lookup is a single array access. Name 0 (MACH_PORT_NULL)
 * and 0xFFFFFFFF (MACH_PORT_DEAD) are never handed out.
 */
#ifndef _IPC_IPC_SPACE_H_
#define _IPC_IPC_SPACE_H_

#include <stdint.h>
#include <mach/kern_return.h>

struct ipc_port;

#define IPC_NAME_INDEX(n)	((n) & 0x00FFFFFFu)
#define IPC_NAME_GEN(n)		((n) >> 24)
#define IPC_NAME(i, g)		((uint32_t)(i) | ((uint32_t)(g) << 24))
#define IPC_SPACE_MAX		0x00FFFFFEu	/* highest index (keeps 0xFFFFFFFF free) */

/* Right bits of an entry: MACH_PORT_TYPE_* values (ABI section 6). */
#define IE_TYPE_SEND		0x00010000u

struct ipc_entry {
	struct ipc_port *port;	/* NULL: the slot is free */
	uint32_t type;		/* MACH_PORT_TYPE_* bits */
	uint32_t urefs;		/* user references of the send right */
	uint8_t gen;		/* generation of the name in this slot */
};

struct ipc_space {
	struct ipc_entry *table;
	uint32_t size;		/* slots; slot 0 is never used */
};

struct ipc_space *ipc_space_create(void);
void ipc_space_destroy(struct ipc_space *space);
/*
 * Gives the space a send right to port under the smallest free name, or adds a user
 * reference to the name it already has for that port. Consumes one send right.
 */
kern_return_t ipc_space_copyout_send(struct ipc_space *space, struct ipc_port *port,
				     uint32_t *name);
/* The entry a name denotes, or NULL for a free, stale or out-of-range name. */
struct ipc_entry *ipc_space_lookup(struct ipc_space *space, uint32_t name);
/* The kernel object a send right in `space` names, if it is of `type`. */
void *ipc_space_kobject(struct ipc_space *space, uint32_t name, int type);

#endif /* _IPC_IPC_SPACE_H_ */
