/* Ports: references, rights in transit, death (see ipc/ipc_port.h). */
#include <arch/io_perm.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_notify.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <kern/device_caps.h>
#include <kern/intr.h>
#include <kern/printf.h>
#include <kern/zalloc.h>

static struct zone port_zone, dnrequest_zone;
uint64_t ipc_ports_live;

void ipc_port_init(void)
{
	zone_init(&port_zone, "ipc.port", sizeof(struct ipc_port));
	zone_init(&dnrequest_zone, "ipc.dnrequest", sizeof(struct ipc_dnrequest));
}

struct ipc_port *ipc_port_alloc_raw(void)
{
	struct ipc_port *port = zalloc(&port_zone);

	if (!port)
		return NULL;
	*port = (struct ipc_port){ .refs = 1, .active = true, .qlimit = MACH_PORT_QLIMIT_DEFAULT };
	list_init(&port->messages);
	list_init(&port->pset_link);
	list_init(&port->dnrequests);
	waitq_init(&port->receivers);
	waitq_init(&port->senders);
	ipc_ports_live++;
	return port;
}

struct ipc_port *ipc_port_alloc_kernel(enum ipc_kotype type, void *kobject)
{
	struct ipc_port *port = ipc_port_alloc_raw();

	if (!port)
		return NULL;
	if (ipc_right_insert_receive(ipc_space_kernel, port, &port->receiver_name) != KERN_SUCCESS) {
		port->active = false;
		ipc_port_release(port);
		return NULL;
	}
	port->kotype = type;
	port->kobject = kobject;
	port->refs++;		/* the kernel object's own reference */
	return port;
}

void ipc_port_free(struct ipc_port *port)
{
	assert(!port->active || port->kotype == IKOT_NONE);
	assert(list_empty(&port->messages));
	zfree(&port_zone, port);
	ipc_ports_live--;
}

struct ipc_port *ipc_port_make_send(struct ipc_port *port)
{
	port->mscount++;
	port->srights++;
	port->refs++;
	return port;
}

struct ipc_port *ipc_port_copy_send(struct ipc_port *port)
{
	port->srights++;
	port->refs++;
	return port;
}


void ipc_port_release_send(struct ipc_port *port)
{
	assert(port->srights > 0);
	if (--port->srights == 0 && port->active && port->nsrequest) {
		struct ipc_port *so = port->nsrequest;
		port->nsrequest = NULL;
		ipc_notify_no_senders(so, port->mscount);
	} else if (port->srights == 0 && port->kotype >= IKOT_IO_PERM) {
		/* A hardware capability lives as long as its send rights. */
		if (port->kotype == IKOT_IO_PERM)
			io_perm_no_senders(port);
		else
			devcap_no_senders(port);
	}
	ipc_port_release(port);
}


void ipc_port_release_sonce(struct ipc_port *port)
{
	if (port->active) {
		ipc_notify_send_once(port);	/* the right moves into the notification */
		return;
	}
	ipc_port_consume_sonce(port);
}

void ipc_port_disable(struct ipc_port *port)
{
	port->kotype = IKOT_NONE;
	port->kobject = NULL;
}

void ipc_port_dnrequest_cancel(struct ipc_dnrequest *req, bool notify_deleted)
{
	list_remove(&req->link);
	/* mach_msg's MACH_SEND_CANCEL: no port-deleted for that port; the right just goes. */
	if (notify_deleted && current_thread()->ith_cancel == req->soright)
		ipc_port_consume_sonce(req->soright);
	else if (notify_deleted)
		ipc_notify_port_deleted(req->soright, req->name);
	else
		ipc_port_release_sonce(req->soright);
	zfree(&dnrequest_zone, req);
}

struct ipc_dnrequest *ipc_dnrequest_alloc(void)
{
	return zalloc(&dnrequest_zone);
}

void ipc_dnrequest_free(struct ipc_dnrequest *req)
{
	zfree(&dnrequest_zone, req);
}

/* The port died: each dead-name request turns its name dead and is notified. */
static void fire_dnrequests(struct ipc_port *port)
{
	struct list *n;

	while ((n = list_pop_front(&port->dnrequests))) {
		struct ipc_dnrequest *req = list_entry(n, struct ipc_dnrequest, link);
		struct ipc_entry *e = ipc_entry_lookup(req->space, req->name);

		if (e && e->dnrequest == req) {
			e->dnrequest = NULL;
			ipc_right_make_dead(req->space, e);
			e->urefs++;	/* the notification's own reference to the dead name */
		}
		ipc_notify_dead_name(req->soright, req->name);
		zfree(&dnrequest_zone, req);
	}
}

/*
 * Destroys a receive right: the caller took it out of its space (receiver is NULL)
 * or out of a message. With a port-destroyed request the right is sent there instead.
 * Conditions: interrupts disabled.
 */
void ipc_port_destroy(struct ipc_port *port)
{
	struct list *n;

	port->receiver = NULL;
	if (port->pdrequest) {
		struct ipc_port *so = port->pdrequest;
		port->pdrequest = NULL;
		ipc_notify_port_destroyed(so, port);
		return;
	}
	port->active = false;
	if (port->pset)
		ipc_pset_remove(port);
	while (!list_empty(&port->receivers.threads)) {
		struct thread *th = list_entry(port->receivers.threads.next, struct thread, run_link);
		th->ith_state = MACH_RCV_PORT_DIED;
		thread_wakeup(th);
	}
	while (!list_empty(&port->senders.threads)) {
		struct thread *th = list_entry(port->senders.threads.next, struct thread, run_link);
		th->ith_state = MACH_SEND_INVALID_DEST;
		thread_wakeup(th);
	}
	if (port->nsrequest) {
		ipc_port_release_sonce(port->nsrequest);
		port->nsrequest = NULL;
	}
	fire_dnrequests(port);
	if (intr_registrations)
		intr_port_destroyed(port);	/* its interrupt registrations go */
	while ((n = list_pop_front(&port->messages))) {
		port->msgcount--;
		ipc_kmsg_destroy(list_entry(n, struct ipc_kmsg, link));
	}
	if (port->kotype != IKOT_NONE)
		ipc_port_disable(port);
	ipc_port_release(port);		/* the receive right's reference */
}
