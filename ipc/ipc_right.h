/*
 * Rights in IPC spaces: taking them out for a message (copyin, by disposition),
 * giving them to a space (copyout, by received type), and the mach_port operations on
 * names. An entry with port rights holds one port reference whatever rights it has;
 * an entry's send right counts once in the port's srights whatever its user refs.
 * Conditions (all): interrupts disabled.
 */
#ifndef _IPC_IPC_RIGHT_H_
#define _IPC_IPC_RIGHT_H_

#include <stdbool.h>
#include <mach/kern_return.h>
#include <mach/message.h>
#include <mach/port.h>

struct ipc_space;
struct ipc_entry;
struct ipc_port;
struct ipc_dnrequest;

/* Lookup that turns a send or send-once right to a dead port into a dead name. */
struct ipc_entry *ipc_right_lookup(struct ipc_space *space, mach_port_name_t name);
void ipc_right_make_dead(struct ipc_space *space, struct ipc_entry *e);

/*
 * Would ipc_right_copyin succeed? count is how many times the same name is copied in
 * with this disposition (the header may name one port twice).
 */
bool ipc_right_copyin_check(struct ipc_space *space, mach_port_name_t name,
			    mach_msg_type_name_t disp, int count);
/*
 * Takes a right out of space by disposition (MACH_MSG_TYPE_MOVE_RECEIVE ...
 * MAKE_SEND_ONCE). *port is the right in transit: a port, IP_DEAD (a dead name moved or
 * copied as a send right), or NULL for MACH_PORT_NULL. KERN_INVALID_NAME or
 * KERN_INVALID_RIGHT when the name does not hold what the disposition needs.
 */
kern_return_t ipc_right_copyin(struct ipc_space *space, mach_port_name_t name,
			       mach_msg_type_name_t disp, struct ipc_port **port);
/*
 * Gives a right in transit (of received type PORT_RECEIVE, PORT_SEND or PORT_SEND_ONCE)
 * to space. *name is its name there (MACH_PORT_DEAD for a right to a dead port). On
 * KERN_NO_SPACE (or shortage) the right was destroyed and *name is MACH_PORT_NULL.
 */
kern_return_t ipc_right_copyout(struct ipc_space *space, struct ipc_port *port,
				mach_msg_type_name_t type, mach_port_name_t *name);
/* The same, under a given name (mach_port_insert_right rules). The right is not
 * destroyed on failure. */
kern_return_t ipc_right_copyout_name(struct ipc_space *space, struct ipc_port *port,
				     mach_msg_type_name_t type, mach_port_name_t name);
/* Destroys a right in transit of the given received type. */
void ipc_right_release(struct ipc_port *port, mach_msg_type_name_t type);
/* A receive right held by `space` for a new port (kernel ports, mach_port_allocate). */
kern_return_t ipc_right_insert_receive(struct ipc_space *space, struct ipc_port *port,
				       mach_port_name_t *name);

kern_return_t ipc_right_dealloc(struct ipc_space *space, mach_port_name_t name);
kern_return_t ipc_right_destroy(struct ipc_space *space, mach_port_name_t name);
kern_return_t ipc_right_delta(struct ipc_space *space, mach_port_name_t name,
			      mach_port_right_t right, mach_port_delta_t delta);
/* Drops every right of an entry and frees it (mach_port_destroy, space teardown). */
void ipc_right_destroy_entry(struct ipc_space *space, struct ipc_entry *e);
/* The MACH_PORT_TYPE_* bits of a name, as mach_port_type reports them. */
kern_return_t ipc_right_type(struct ipc_space *space, mach_port_name_t name,
			     mach_port_type_t *type);

/*
 * Registers a dead-name request on entry e (named name) with send-once right notify
 * (NULL cancels); *prev gets the request's previous send-once right, or stays NULL.
 * A dead name is notified at once and gains the notification's user reference.
 */
kern_return_t ipc_right_dnrequest(struct ipc_space *space, struct ipc_entry *e, mach_port_name_t name,
				  struct ipc_port *notify, struct ipc_port **prev);

/* mach_port_allocate and mach_port_allocate_name on a space (ipc/mach_port.c). */
kern_return_t ipc_port_allocate_in(struct ipc_space *space, mach_port_right_t right,
				  mach_port_name_t *name);
kern_return_t ipc_port_allocate_name_in(struct ipc_space *space, mach_port_right_t right,
				       mach_port_name_t name);

struct ipc_dnrequest *ipc_dnrequest_alloc(void);
void ipc_dnrequest_free(struct ipc_dnrequest *req);

#endif /* _IPC_IPC_RIGHT_H_ */
