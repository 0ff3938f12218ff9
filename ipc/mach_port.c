/*
 * The mach_port subsystem (3200-3223), served by the kernel through the generated
 * stubs. Every port argument is a name in the kernel's space (see ipc_kobject.h);
 * `task` names the task port whose IPC space is operated on.
 * Conditions (all): interrupts disabled.
 */
#include <string.h>
#include <mach/mig_errors.h>
#include <mach/notify.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_notify.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <kern/host.h>
#include <kern/task.h>
#include <kern/zalloc.h>

#define T_SEND		MACH_PORT_TYPE_SEND
#define T_RECEIVE	MACH_PORT_TYPE_RECEIVE
#define T_SONCE		MACH_PORT_TYPE_SEND_ONCE
#define T_PSET		MACH_PORT_TYPE_PORT_SET
#define T_DEAD		MACH_PORT_TYPE_DEAD_NAME

static struct ipc_space *space_of(mach_port_t task_name)
{
	struct task *t = ipc_kobject_lookup(task_name, IKOT_TASK);

	return t && t->active ? t->space : NULL;
}

/* The port of a receive right named in space, or NULL (*kr says why). */
static struct ipc_port *receive_right(struct ipc_space *space, mach_port_name_t name,
				      kern_return_t *kr)
{
	struct ipc_entry *e = ipc_right_lookup(space, name);

	*kr = !e ? KERN_INVALID_NAME : !(e->type & T_RECEIVE) ? KERN_INVALID_RIGHT : KERN_SUCCESS;
	return *kr == KERN_SUCCESS ? e->object : NULL;
}

#define SPACE_OR_FAIL(space, task)				\
	struct ipc_space *space = space_of(task);		\
	if (!space)						\
		return KERN_INVALID_TASK

struct names_out {
	mach_port_name_t *names;
	mach_port_type_t *types;
	uint32_t n, max;
};

/* Lazily dead rights are reported as dead names: convert them first. */
static void convert_dead(struct ipc_space *space, struct ipc_entry *e, void *arg)
{
	(void)arg;
	ipc_right_lookup(space, e->name);
}

static void collect(struct ipc_space *space, struct ipc_entry *e, void *arg)
{
	struct names_out *o = arg;

	if (o->n == o->max)
		return;
	o->names[o->n] = e->name;
	ipc_right_type(space, e->name, &o->types[o->n]);
	o->n++;
}

kern_return_t mach_port_names(mach_port_t task, mach_port_name_array_t *names,
			      mach_msg_type_number_t *namesCnt, mach_port_type_array_t *types,
			      mach_msg_type_number_t *typesCnt)
{
	struct names_out o = { NULL, NULL, 0, 0 };
	SPACE_OR_FAIL(space, task);

	ipc_space_for_each(space, convert_dead, NULL);
	o.max = space->used;
	if (o.max) {
		o.names = kalloc(o.max * sizeof(mach_port_name_t));
		o.types = kalloc(o.max * sizeof(mach_port_type_t));
		if (!o.names || !o.types) {
			kfree(o.names, o.max * sizeof(mach_port_name_t));
			kfree(o.types, o.max * sizeof(mach_port_type_t));
			return KERN_RESOURCE_SHORTAGE;
		}
	}
	ipc_space_for_each(space, collect, &o);
	*names = o.names;
	*types = o.types;
	*namesCnt = *typesCnt = o.n;
	return KERN_SUCCESS;
}

kern_return_t mach_port_type(mach_port_t task, mach_port_name_t name, mach_port_type_t *ptype)
{
	SPACE_OR_FAIL(space, task);
	return ipc_right_type(space, name, ptype);
}

kern_return_t mach_port_rename(mach_port_t task, mach_port_name_t old_name, mach_port_name_t new_name)
{
	struct ipc_entry *old, *e;
	kern_return_t kr;
	SPACE_OR_FAIL(space, task);

	if (!(old = ipc_right_lookup(space, old_name)))
		return KERN_INVALID_NAME;
	if ((kr = ipc_entry_alloc_name(space, new_name, &e)) != KERN_SUCCESS)
		return kr;
	old = ipc_entry_lookup(space, old_name);	/* the table may have moved */
	e->object = old->object;
	e->type = old->type;
	e->urefs = old->urefs;
	e->dnrequest = old->dnrequest;
	if (e->dnrequest)
		e->dnrequest->name = new_name;
	if (e->type & (T_SEND | T_RECEIVE)) {
		ipc_hash_delete(space, e->object);
		ipc_hash_insert(space, e->object, e);
	}
	if (e->type & T_RECEIVE)
		((struct ipc_port *)e->object)->receiver_name = new_name;
	if (e->type & T_PSET)
		((struct ipc_pset *)e->object)->name = new_name;
	old->type = 0;
	old->dnrequest = NULL;
	ipc_entry_free(space, old);
	return KERN_SUCCESS;
}

/* Creates a right of kind `right` in entry e (just allocated). */
static kern_return_t make_right(struct ipc_space *space, struct ipc_entry *e, mach_port_right_t right)
{
	switch (right) {
	case MACH_PORT_RIGHT_RECEIVE: {
		struct ipc_port *port = ipc_port_alloc_raw();
		if (!port)
			return KERN_RESOURCE_SHORTAGE;
		e->object = port;
		e->type = T_RECEIVE;
		ipc_hash_insert(space, port, e);
		port->receiver = space;
		port->receiver_name = ipc_entry_name(space, e);
		return KERN_SUCCESS;
	}
	case MACH_PORT_RIGHT_PORT_SET: {
		struct ipc_pset *pset = ipc_pset_alloc();
		if (!pset)
			return KERN_RESOURCE_SHORTAGE;
		pset->space = space;
		pset->name = ipc_entry_name(space, e);
		e->object = pset;
		e->type = T_PSET;
		return KERN_SUCCESS;
	}
	case MACH_PORT_RIGHT_DEAD_NAME:
		e->type = T_DEAD;
		e->urefs = 1;
		return KERN_SUCCESS;
	default:
		return KERN_INVALID_VALUE;
	}
}

kern_return_t ipc_port_allocate_name_in(struct ipc_space *space, mach_port_right_t right,
				       mach_port_name_t name)
{
	struct ipc_entry *e;
	kern_return_t kr;

	if (right != MACH_PORT_RIGHT_RECEIVE && right != MACH_PORT_RIGHT_PORT_SET &&
	    right != MACH_PORT_RIGHT_DEAD_NAME)
		return KERN_INVALID_VALUE;
	if ((kr = ipc_entry_alloc_name(space, name, &e)) != KERN_SUCCESS)
		return kr;
	if ((kr = make_right(space, e, right)) != KERN_SUCCESS)
		ipc_entry_free(space, e);
	return kr;
}

kern_return_t mach_port_allocate_name(mach_port_t task, mach_port_right_t right, mach_port_name_t name)
{
	SPACE_OR_FAIL(space, task);
	return ipc_port_allocate_name_in(space, right, name);
}

kern_return_t ipc_port_allocate_in(struct ipc_space *space, mach_port_right_t right,
				  mach_port_name_t *name)
{
	struct ipc_entry *e;
	kern_return_t kr;

	if (right != MACH_PORT_RIGHT_RECEIVE && right != MACH_PORT_RIGHT_PORT_SET &&
	    right != MACH_PORT_RIGHT_DEAD_NAME)
		return KERN_INVALID_VALUE;
	if ((kr = ipc_entry_alloc(space, name, &e)) != KERN_SUCCESS)
		return kr;
	if ((kr = make_right(space, e, right)) != KERN_SUCCESS)
		ipc_entry_free(space, e);
	return kr;
}

kern_return_t mach_port_allocate(mach_port_t task, mach_port_right_t right, mach_port_name_t *name)
{
	SPACE_OR_FAIL(space, task);
	return ipc_port_allocate_in(space, right, name);
}

kern_return_t mach_port_destroy(mach_port_t task, mach_port_name_t name)
{
	SPACE_OR_FAIL(space, task);
	return ipc_right_destroy(space, name);
}

kern_return_t mach_port_deallocate(mach_port_t task, mach_port_name_t name)
{
	SPACE_OR_FAIL(space, task);
	return ipc_right_dealloc(space, name);
}

kern_return_t mach_port_get_refs(mach_port_t task, mach_port_name_t name, mach_port_right_t right,
				 mach_port_urefs_t *refs)
{
	struct ipc_entry *e;
	mach_port_type_t want;
	SPACE_OR_FAIL(space, task);

	if (right >= MACH_PORT_RIGHT_NUMBER)
		return KERN_INVALID_VALUE;
	if (!(e = ipc_right_lookup(space, name)))
		return KERN_INVALID_NAME;
	want = MACH_PORT_TYPE(right);
	if (!(e->type & want))
		*refs = 0;
	else if (right == MACH_PORT_RIGHT_SEND || right == MACH_PORT_RIGHT_DEAD_NAME)
		*refs = e->urefs;
	else
		*refs = 1;
	return KERN_SUCCESS;
}

kern_return_t mach_port_mod_refs(mach_port_t task, mach_port_name_t name, mach_port_right_t right,
				 mach_port_delta_t delta)
{
	SPACE_OR_FAIL(space, task);
	return ipc_right_delta(space, name, right, delta);
}

kern_return_t mach_port_set_qlimit(mach_port_t task, mach_port_name_t name, mach_port_msgcount_t qlimit)
{
	struct ipc_port *port;
	kern_return_t kr;
	SPACE_OR_FAIL(space, task);

	if (!(port = receive_right(space, name, &kr)))
		return kr;
	if (qlimit > MACH_PORT_QLIMIT_MAX)
		return KERN_INVALID_VALUE;
	port->qlimit = qlimit;
	waitq_wakeup_all(&port->senders);	/* they check the queue again */
	return KERN_SUCCESS;
}

kern_return_t mach_port_set_mscount(mach_port_t task, mach_port_name_t name, mach_port_mscount_t mscount)
{
	struct ipc_port *port;
	kern_return_t kr;
	SPACE_OR_FAIL(space, task);

	if (!(port = receive_right(space, name, &kr)))
		return kr;
	port->mscount = mscount;
	return KERN_SUCCESS;
}

kern_return_t mach_port_set_seqno(mach_port_t task, mach_port_name_t name, mach_port_seqno_t seqno)
{
	struct ipc_port *port;
	kern_return_t kr;
	SPACE_OR_FAIL(space, task);

	if (!(port = receive_right(space, name, &kr)))
		return kr;
	port->seqno = seqno;
	return KERN_SUCCESS;
}

kern_return_t mach_port_get_set_status(mach_port_t task, mach_port_name_t name,
				       mach_port_name_array_t *members, mach_msg_type_number_t *membersCnt)
{
	struct ipc_entry *e;
	struct ipc_pset *pset;
	struct list *n;
	uint32_t count = 0;
	SPACE_OR_FAIL(space, task);

	if (!(e = ipc_right_lookup(space, name)))
		return KERN_INVALID_NAME;
	if (!(e->type & T_PSET))
		return KERN_INVALID_RIGHT;
	pset = e->object;
	list_for_each(n, &pset->ports)
		count++;
	*members = NULL;
	*membersCnt = count;
	if (!count)
		return KERN_SUCCESS;
	*members = kalloc(count * sizeof(mach_port_name_t));
	if (!*members)
		return KERN_RESOURCE_SHORTAGE;
	count = 0;
	list_for_each(n, &pset->ports)
		(*members)[count++] = list_entry(n, struct ipc_port, pset_link)->receiver_name;
	return KERN_SUCCESS;
}

kern_return_t mach_port_move_member(mach_port_t task, mach_port_name_t member, mach_port_name_t after)
{
	struct ipc_port *port;
	struct ipc_entry *e;
	kern_return_t kr;
	SPACE_OR_FAIL(space, task);

	if (!(port = receive_right(space, member, &kr)))
		return kr;
	if (after == MACH_PORT_NULL) {
		if (!port->pset)
			return KERN_NOT_IN_SET;
		ipc_pset_remove(port);
		return KERN_SUCCESS;
	}
	if (!(e = ipc_right_lookup(space, after)))
		return KERN_INVALID_NAME;
	if (!(e->type & T_PSET))
		return KERN_INVALID_RIGHT;
	ipc_pset_add(e->object, port);
	return KERN_SUCCESS;
}

/* Takes a send-once right the caller passed (a kernel-space name) out of the kernel space. */
static struct ipc_port *take_sonce(mach_port_t name)
{
	struct ipc_port *port = NULL;

	if (name != MACH_PORT_NULL)
		ipc_right_copyin(ipc_space_kernel, name, MACH_MSG_TYPE_MOVE_SEND_ONCE, &port);
	return port;
}

/* Returns a previous send-once right to the caller through the kernel space. */
static void give_previous(struct ipc_port *prev, mach_port_t *previous, mach_msg_type_name_t *poly)
{
	*previous = MACH_PORT_NULL;
	*poly = MACH_MSG_TYPE_MOVE_SEND_ONCE;
	if (prev)
		ipc_right_copyout(ipc_space_kernel, prev, MACH_MSG_TYPE_PORT_SEND_ONCE, previous);
}

kern_return_t mach_port_request_notification(mach_port_t task, mach_port_name_t name, mach_msg_id_t id,
					     mach_port_mscount_t sync, mach_port_t notify_name,
					     mach_port_t *previous, mach_msg_type_name_t *previousPoly)
{
	struct ipc_port *port, *notify, *prev = NULL;
	struct ipc_entry *e;
	kern_return_t kr;
	SPACE_OR_FAIL(space, task);

	if (id != MACH_NOTIFY_PORT_DESTROYED && id != MACH_NOTIFY_NO_SENDERS && id != MACH_NOTIFY_DEAD_NAME)
		return KERN_INVALID_VALUE;
	if (!(e = ipc_right_lookup(space, name)))
		return KERN_INVALID_NAME;
	if (id != MACH_NOTIFY_DEAD_NAME && !(e->type & T_RECEIVE))
		return KERN_INVALID_RIGHT;
	if (id == MACH_NOTIFY_PORT_DESTROYED && sync != 0)
		return KERN_INVALID_VALUE;
	notify = take_sonce(notify_name);
	port = e->object;
	if (id == MACH_NOTIFY_DEAD_NAME) {
		kr = ipc_right_dnrequest(space, e, name, notify, &prev);
		if (kr != KERN_SUCCESS) {
			ipc_right_release(notify, MACH_MSG_TYPE_PORT_SEND_ONCE);
			return kr;
		}
	} else if (id == MACH_NOTIFY_PORT_DESTROYED) {
		prev = port->pdrequest;
		port->pdrequest = notify;
	} else {
		prev = port->nsrequest;
		port->nsrequest = NULL;
		if (notify && port->srights == 0 && port->mscount >= sync)
			ipc_notify_no_senders(notify, port->mscount);
		else
			port->nsrequest = notify;	/* sync is checked now only, as in Mach */
	}
	give_previous(prev, previous, previousPoly);
	return KERN_SUCCESS;
}

kern_return_t mach_port_insert_right(mach_port_t task, mach_port_name_t name, mach_port_t poly,
				     mach_msg_type_name_t polyPoly)
{
	struct ipc_port *port;
	kern_return_t kr;
	SPACE_OR_FAIL(space, task);

	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_VALUE;
	if (!msgt_is_port(polyPoly) || polyPoly > MACH_MSG_TYPE_MOVE_SEND_ONCE)
		return KERN_INVALID_VALUE;
	/* The right arrived in the kernel's space as polyPoly (16, 17 or 18 = MOVE_*). */
	if (ipc_right_copyin(ipc_space_kernel, poly, polyPoly, &port) != KERN_SUCCESS || !IP_VALID(port))
		return KERN_INVALID_CAPABILITY;
	kr = ipc_right_copyout_name(space, port, polyPoly, name);
	if (kr != KERN_SUCCESS)
		ipc_right_release(port, polyPoly);
	return kr;
}

kern_return_t mach_port_extract_right(mach_port_t task, mach_port_name_t name, mach_msg_type_name_t msgt_name,
				      mach_port_t *poly, mach_msg_type_name_t *polyPoly)
{
	struct ipc_port *port;
	kern_return_t kr;
	mach_msg_type_name_t type;
	SPACE_OR_FAIL(space, task);

	if (!msgt_is_port(msgt_name))
		return KERN_INVALID_VALUE;
	if ((kr = ipc_right_copyin(space, name, msgt_name, &port)) != KERN_SUCCESS)
		return kr;
	type = msgt_name == MACH_MSG_TYPE_MOVE_RECEIVE ? MACH_MSG_TYPE_PORT_RECEIVE :
	       (msgt_name == MACH_MSG_TYPE_MOVE_SEND_ONCE || msgt_name == MACH_MSG_TYPE_MAKE_SEND_ONCE) ?
	       MACH_MSG_TYPE_PORT_SEND_ONCE : MACH_MSG_TYPE_PORT_SEND;
	/* Into the kernel's space, from which the reply moves it to the caller. */
	if (ipc_right_copyout(ipc_space_kernel, port, type, poly) != KERN_SUCCESS)
		return KERN_RESOURCE_SHORTAGE;
	*polyPoly = type;	/* PORT_* equal the MOVE_* dispositions */
	return KERN_SUCCESS;
}

kern_return_t mach_port_get_receive_status(mach_port_t task, mach_port_name_t name, mach_port_status_t *status)
{
	struct ipc_port *port;
	kern_return_t kr;
	SPACE_OR_FAIL(space, task);

	if (!(port = receive_right(space, name, &kr)))
		return kr;
	*status = (mach_port_status_t){
		.mps_pset = port->pset ? port->pset->name : MACH_PORT_NULL,
		.mps_seqno = port->seqno,
		.mps_mscount = port->mscount,
		.mps_qlimit = port->qlimit,
		.mps_msgcount = port->msgcount,
		.mps_sorights = port->sorights,
		.mps_srights = port->srights > 0,
		.mps_pdrequest = port->pdrequest != NULL,
		.mps_nsrequest = port->nsrequest != NULL,
	};
	return KERN_SUCCESS;
}

kern_return_t mach_port_set_protected_payload(mach_port_t task, mach_port_name_t name, rpc_uintptr_t payload)
{
	struct ipc_port *port;
	kern_return_t kr;
	SPACE_OR_FAIL(space, task);

	if (!(port = receive_right(space, name, &kr)))
		return kr;
	port->has_payload = true;
	port->payload = payload;
	return KERN_SUCCESS;
}

kern_return_t mach_port_clear_protected_payload(mach_port_t task, mach_port_name_t name)
{
	struct ipc_port *port;
	kern_return_t kr;
	SPACE_OR_FAIL(space, task);

	if (!(port = receive_right(space, name, &kr)))
		return kr;
	port->has_payload = false;
	return KERN_SUCCESS;
}

kern_return_t mach_port_set_ktype(mach_port_t host, mach_port_t task, mach_port_name_t name,
				  mach_port_right_t right, mach_port_ktype_t ktype)
{
	struct ipc_port *port;
	kern_return_t kr;

	if (!ipc_kobject_lookup(host, IKOT_HOST_PRIV))
		return KERN_INVALID_HOST;
	SPACE_OR_FAIL(space, task);
	if (right != MACH_PORT_RIGHT_RECEIVE)
		return KERN_INVALID_RIGHT;
	if (!(port = receive_right(space, name, &kr)))
		return kr;
	if (ktype != 0 && ktype != 28)		/* NONE, USER_DEVICE (ABI section 6) */
		return KERN_INVALID_ARGUMENT;
	port->ktype = ktype;
	/* On success the request's rights are ours: the task send right goes now. */
	ipc_right_dealloc(ipc_space_kernel, task);
	return KERN_SUCCESS;
}
