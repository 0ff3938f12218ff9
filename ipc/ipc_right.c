/* Rights in IPC spaces (see ipc/ipc_right.h). */
#include <ipc/ipc_notify.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <kern/printf.h>

#define T_SEND		MACH_PORT_TYPE_SEND
#define T_RECEIVE	MACH_PORT_TYPE_RECEIVE
#define T_SONCE		MACH_PORT_TYPE_SEND_ONCE
#define T_PSET		MACH_PORT_TYPE_PORT_SET
#define T_DEAD		MACH_PORT_TYPE_DEAD_NAME

static struct ipc_port *entry_port(struct ipc_entry *e)
{
	return (e->type & (T_SEND | T_RECEIVE | T_SONCE)) ? e->object : NULL;
}

/* Frees an entry that holds no right any more, cancelling its dead-name request. */
static void entry_drop(struct ipc_space *space, struct ipc_entry *e)
{
	if (e->dnrequest) {
		struct ipc_dnrequest *req = e->dnrequest;
		e->dnrequest = NULL;
		ipc_port_dnrequest_cancel(req, true);
	}
	e->type = 0;
	e->object = NULL;
	ipc_entry_free(space, e);
}

void ipc_right_make_dead(struct ipc_space *space, struct ipc_entry *e)
{
	struct ipc_port *port = e->object;

	if (e->type & T_SEND) {
		ipc_hash_delete(space, port);
		port->srights--;
	} else {
		e->urefs = 1;
		port->sorights--;
	}
	e->type = T_DEAD;
	e->object = NULL;
	ipc_port_release(port);
}

struct ipc_entry *ipc_right_lookup(struct ipc_space *space, mach_port_name_t name)
{
	struct ipc_entry *e = ipc_entry_lookup(space, name);

	if (e && (e->type & (T_SEND | T_SONCE)) && !(e->type & T_RECEIVE) &&
	    !((struct ipc_port *)e->object)->active)
		ipc_right_make_dead(space, e);
	return e;
}

static bool msgt_disp_valid(mach_msg_type_name_t disp)
{
	return disp >= MACH_MSG_TYPE_MOVE_RECEIVE && disp <= MACH_MSG_TYPE_MAKE_SEND_ONCE;
}

bool ipc_right_copyin_check(struct ipc_space *space, mach_port_name_t name,
			    mach_msg_type_name_t disp, int count)
{
	struct ipc_entry *e;

	/* Invalid names pass through whatever the disposition, as in Mach. */
	if (name == MACH_PORT_NULL || name == MACH_PORT_DEAD)
		return msgt_disp_valid(disp);
	e = ipc_right_lookup(space, name);
	if (!e)
		return false;
	switch (disp) {
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		return (e->type & T_RECEIVE) && count == 1;
	case MACH_MSG_TYPE_MAKE_SEND:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		return e->type & T_RECEIVE;
	case MACH_MSG_TYPE_COPY_SEND:
		return e->type & (T_SEND | T_DEAD);
	case MACH_MSG_TYPE_MOVE_SEND:
		return (e->type & (T_SEND | T_DEAD)) && e->urefs >= (uint32_t)count;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		return (e->type & (T_SONCE | T_DEAD)) && e->urefs >= (uint32_t)count;
	default:
		return false;
	}
}

/* One user reference of a dead name goes with a moved send or send-once right. */
static void dead_name_move(struct ipc_space *space, struct ipc_entry *e)
{
	if (--e->urefs == 0)
		entry_drop(space, e);
}

kern_return_t ipc_right_copyin(struct ipc_space *space, mach_port_name_t name,
			       mach_msg_type_name_t disp, struct ipc_port **out)
{
	struct ipc_entry *e;
	struct ipc_port *port;

	*out = name == MACH_PORT_DEAD ? IP_DEAD : NULL;
	if (!ipc_right_copyin_check(space, name, disp, 1))
		return ipc_entry_lookup(space, name) ? KERN_INVALID_RIGHT : KERN_INVALID_NAME;
	if (name == MACH_PORT_NULL || name == MACH_PORT_DEAD)
		return KERN_SUCCESS;
	e = ipc_right_lookup(space, name);
	port = entry_port(e);
	if (e->type & T_DEAD) {
		*out = IP_DEAD;
		if (disp != MACH_MSG_TYPE_COPY_SEND)
			dead_name_move(space, e);
		return KERN_SUCCESS;
	}
	switch (disp) {
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		if (port->pset)
			ipc_pset_remove(port);
		port->receiver = NULL;
		port->receiver_name = MACH_PORT_NULL;
		ipc_mqueue_changed(port);	/* its receivers here stop waiting (as in GNU Mach) */
		e->type &= ~T_RECEIVE;
		if (e->type & T_SEND) {
			port->refs++;		/* the entry keeps its send right */
		} else {
			ipc_hash_delete(space, port);
			entry_drop(space, e);	/* its reference goes with the right */
		}
		break;
	case MACH_MSG_TYPE_MAKE_SEND:
		ipc_port_make_send(port);
		break;
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		ipc_port_make_send_once(port);
		break;
	case MACH_MSG_TYPE_COPY_SEND:
		ipc_port_copy_send(port);
		break;
	case MACH_MSG_TYPE_MOVE_SEND:
		if (--e->urefs > 0 || (e->type & T_RECEIVE)) {
			/* The entry keeps a send right or its receive right: a new send right. */
			if (e->urefs == 0)
				e->type &= ~T_SEND;
			else
				port->srights++;
			port->refs++;
			if (e->urefs == 0 && e->dnrequest) {
				struct ipc_dnrequest *req = e->dnrequest;
				e->dnrequest = NULL;
				ipc_port_dnrequest_cancel(req, true);
			}
		} else {
			ipc_hash_delete(space, port);
			entry_drop(space, e);	/* its send right and reference move out */
		}
		break;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		entry_drop(space, e);
		break;
	}
	*out = port;
	return KERN_SUCCESS;
}

void ipc_right_release(struct ipc_port *port, mach_msg_type_name_t type)
{
	if (!IP_VALID(port))
		return;
	switch (type) {
	case MACH_MSG_TYPE_PORT_SEND:
		ipc_port_release_send(port);
		break;
	case MACH_MSG_TYPE_PORT_SEND_ONCE:
		ipc_port_release_sonce(port);
		break;
	case MACH_MSG_TYPE_PORT_RECEIVE:
		ipc_port_destroy(port);
		break;
	}
}

/* Merges a right in transit into the entry `e` that already names the port. */
static kern_return_t merge(struct ipc_space *space, struct ipc_entry *e, struct ipc_port *port,
			   mach_msg_type_name_t type)
{
	if (type == MACH_MSG_TYPE_PORT_RECEIVE) {
		e->type |= T_RECEIVE;
		port->receiver = space;
		port->receiver_name = ipc_entry_name(space, e);
		ipc_port_release(port);		/* the entry has its reference already */
		return KERN_SUCCESS;
	}
	if (e->urefs >= IPC_UREFS_MAX)
		return KERN_UREFS_OVERFLOW;
	if (e->type & T_SEND)
		port->srights--;		/* one send right per entry */
	e->type |= T_SEND;
	e->urefs++;
	ipc_port_release(port);
	return KERN_SUCCESS;
}

static void fill(struct ipc_space *space, struct ipc_entry *e, struct ipc_port *port,
		 mach_msg_type_name_t type)
{
	e->object = port;
	e->urefs = type == MACH_MSG_TYPE_PORT_RECEIVE ? 0 : 1;
	e->type = type == MACH_MSG_TYPE_PORT_RECEIVE ? T_RECEIVE :
		  type == MACH_MSG_TYPE_PORT_SEND ? T_SEND : T_SONCE;
	if (type != MACH_MSG_TYPE_PORT_SEND_ONCE)
		ipc_hash_insert(space, port, e);
	if (type == MACH_MSG_TYPE_PORT_RECEIVE) {
		port->receiver = space;
		port->receiver_name = ipc_entry_name(space, e);
	}
}

kern_return_t ipc_right_copyout(struct ipc_space *space, struct ipc_port *port,
				mach_msg_type_name_t type, mach_port_name_t *name)
{
	struct ipc_entry *e;
	kern_return_t kr;

	*name = port == NULL ? MACH_PORT_NULL : MACH_PORT_DEAD;
	if (!IP_VALID(port))
		return KERN_SUCCESS;
	if (!port->active && type != MACH_MSG_TYPE_PORT_RECEIVE) {
		ipc_right_release(port, type);
		return KERN_SUCCESS;
	}
	if (type != MACH_MSG_TYPE_PORT_SEND_ONCE && (e = ipc_hash_lookup(space, port))) {
		*name = ipc_entry_name(space, e);
		kr = merge(space, e, port, type);
		if (kr == KERN_UREFS_OVERFLOW) {
			ipc_right_release(port, type);	/* the name stays valid, the ref is lost */
			kr = KERN_SUCCESS;
		}
		return kr;
	}
	kr = ipc_entry_alloc(space, name, &e);
	if (kr != KERN_SUCCESS) {
		ipc_right_release(port, type);
		*name = MACH_PORT_NULL;
		return kr;
	}
	fill(space, e, port, type);
	return KERN_SUCCESS;
}

kern_return_t ipc_right_copyout_name(struct ipc_space *space, struct ipc_port *port,
				     mach_msg_type_name_t type, mach_port_name_t name)
{
	struct ipc_entry *e = ipc_right_lookup(space, name), *other;
	kern_return_t kr;

	if (!IP_VALID(port) || (!port->active && type != MACH_MSG_TYPE_PORT_RECEIVE))
		return KERN_INVALID_CAPABILITY;
	other = type == MACH_MSG_TYPE_PORT_SEND_ONCE ? NULL : ipc_hash_lookup(space, port);
	if (e) {
		/* Only a send or receive right for the same port may join an existing name. */
		if (e != other || type == MACH_MSG_TYPE_PORT_SEND_ONCE ||
		    (type == MACH_MSG_TYPE_PORT_RECEIVE && (e->type & T_RECEIVE)))
			return e == other ? KERN_RIGHT_EXISTS : KERN_NAME_EXISTS;
		return merge(space, e, port, type);
	}
	if (other)
		return KERN_RIGHT_EXISTS;
	kr = ipc_entry_alloc_name(space, name, &e);
	if (kr != KERN_SUCCESS)
		return kr;
	fill(space, e, port, type);
	return KERN_SUCCESS;
}

kern_return_t ipc_right_insert_receive(struct ipc_space *space, struct ipc_port *port,
				       mach_port_name_t *name)
{
	struct ipc_entry *e;
	kern_return_t kr = ipc_entry_alloc(space, name, &e);

	if (kr == KERN_SUCCESS)
		fill(space, e, port, MACH_MSG_TYPE_PORT_RECEIVE);
	return kr;
}

void ipc_right_destroy_entry(struct ipc_space *space, struct ipc_entry *e)
{
	struct ipc_port *port = entry_port(e);
	mach_port_type_t type = e->type;

	if (type & T_PSET) {
		ipc_pset_destroy(e->object);
	} else if (port) {
		if (type & (T_SEND | T_RECEIVE))
			ipc_hash_delete(space, port);
		/* Each release consumes a reference: the entry's own one is dropped last. */
		if (type & T_RECEIVE) {
			port->refs++;
			ipc_port_destroy(port);
		}
		if (type & T_SEND) {
			port->refs++;
			ipc_port_release_send(port);
		}
		if (type & T_SONCE) {
			port->refs++;
			ipc_port_release_sonce(port);
		}
		ipc_port_release(port);
	}
	e->type = 0;
	entry_drop(space, e);
}

kern_return_t ipc_right_destroy(struct ipc_space *space, mach_port_name_t name)
{
	struct ipc_entry *e = ipc_right_lookup(space, name);

	if (!e)
		return KERN_INVALID_NAME;
	ipc_right_destroy_entry(space, e);
	return KERN_SUCCESS;
}

kern_return_t ipc_right_dealloc(struct ipc_space *space, mach_port_name_t name)
{
	struct ipc_entry *e = ipc_right_lookup(space, name);

	if (!e)
		return KERN_INVALID_NAME;
	if (e->type & T_SONCE) {
		ipc_right_destroy_entry(space, e);
		return KERN_SUCCESS;
	}
	if (e->type & (T_SEND | T_DEAD))
		return ipc_right_delta(space, name, (e->type & T_SEND) ? MACH_PORT_RIGHT_SEND :
				       MACH_PORT_RIGHT_DEAD_NAME, -1);
	return KERN_INVALID_RIGHT;
}

/* Drops the send right of an entry that keeps its receive right. */
static void drop_send_keep_receive(struct ipc_space *space, struct ipc_entry *e)
{
	struct ipc_port *port = e->object;

	e->type &= ~T_SEND;
	e->urefs = 0;
	port->refs++;
	ipc_port_release_send(port);
	if (e->dnrequest) {
		struct ipc_dnrequest *req = e->dnrequest;
		e->dnrequest = NULL;
		ipc_port_dnrequest_cancel(req, true);
	}
	(void)space;
}

kern_return_t ipc_right_delta(struct ipc_space *space, mach_port_name_t name,
			      mach_port_right_t right, mach_port_delta_t delta)
{
	struct ipc_entry *e = ipc_right_lookup(space, name);
	mach_port_type_t want;
	int64_t urefs;

	if (!e)
		return KERN_INVALID_NAME;
	if (right >= MACH_PORT_RIGHT_NUMBER)
		return KERN_INVALID_VALUE;
	want = MACH_PORT_TYPE(right);
	if (!(e->type & want)) {
		/* A dead name asked about as send: no rights of that kind (Mach: success at 0). */
		return KERN_INVALID_RIGHT;
	}
	if (right == MACH_PORT_RIGHT_RECEIVE || right == MACH_PORT_RIGHT_SEND_ONCE ||
	    right == MACH_PORT_RIGHT_PORT_SET) {
		if (delta == 0)
			return KERN_SUCCESS;
		if (delta != -1)
			return KERN_INVALID_VALUE;
		if (right == MACH_PORT_RIGHT_RECEIVE) {
			struct ipc_port *port = e->object;
			e->type &= ~T_RECEIVE;
			if (!(e->type & T_SEND)) {
				ipc_hash_delete(space, port);
				port->refs++;
				ipc_port_destroy(port);
				ipc_port_release(port);
				entry_drop(space, e);
			} else {
				port->refs++;
				ipc_port_destroy(port);	/* the send right becomes dead lazily */
			}
			return KERN_SUCCESS;
		}
		ipc_right_destroy_entry(space, e);
		return KERN_SUCCESS;
	}
	urefs = (int64_t)e->urefs + delta;
	if (urefs < 0)
		return KERN_INVALID_VALUE;
	if (urefs > IPC_UREFS_MAX)
		return KERN_UREFS_OVERFLOW;
	if (urefs > 0) {
		e->urefs = (mach_port_urefs_t)urefs;
		return KERN_SUCCESS;
	}
	if (right == MACH_PORT_RIGHT_DEAD_NAME) {
		e->urefs = 0;
		entry_drop(space, e);
	} else if (e->type & T_RECEIVE) {
		drop_send_keep_receive(space, e);
	} else {
		ipc_right_destroy_entry(space, e);
	}
	return KERN_SUCCESS;
}

kern_return_t ipc_right_type(struct ipc_space *space, mach_port_name_t name,
			     mach_port_type_t *type)
{
	struct ipc_entry *e = ipc_right_lookup(space, name);

	if (!e)
		return KERN_INVALID_NAME;
	*type = e->type | (e->dnrequest ? MACH_PORT_TYPE_DNREQUEST : 0);
	return KERN_SUCCESS;
}

kern_return_t ipc_right_dnrequest(struct ipc_space *space, struct ipc_entry *e, mach_port_name_t name,
				  struct ipc_port *notify, struct ipc_port **prev)
{
	struct ipc_dnrequest *req;

	if (e->type & T_DEAD) {
		if (notify) {
			e->urefs++;
			ipc_notify_dead_name(notify, name);
		}
		return KERN_SUCCESS;
	}
	if (!(e->type & (T_SEND | T_SONCE)))
		return KERN_INVALID_RIGHT;
	if (e->dnrequest) {
		*prev = e->dnrequest->soright;
		list_remove(&e->dnrequest->link);
		ipc_dnrequest_free(e->dnrequest);
		e->dnrequest = NULL;
	}
	if (!notify)
		return KERN_SUCCESS;
	if (!(req = ipc_dnrequest_alloc()))
		return KERN_RESOURCE_SHORTAGE;
	req->space = space;
	req->name = name;
	req->soright = notify;
	list_push_back(&((struct ipc_port *)e->object)->dnrequests, &req->link);
	e->dnrequest = req;
	return KERN_SUCCESS;
}
