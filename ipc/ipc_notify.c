/* Kernel-generated notifications (see ipc/ipc_notify.h; layouts: ABI section 7). */
#include <string.h>
#include <mach/notify.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_notify.h>
#include <ipc/ipc_port.h>

/* A 32-bit item descriptor: name, size 32, number 1, inline. */
#define DESC32(name)	((uint32_t)(name) | (32u << 8) | 0x20000000u)

/*
 * Sends a notification of `id` with an optional 8-byte body item to soright. Without
 * memory the notification is lost: the send-once right just goes (no further
 * notification, which would need memory too), and false is returned.
 */
static bool send(struct ipc_port *soright, mach_msg_id_t id, uint32_t desc, uint64_t slot,
		 bool complex)
{
	mach_msg_size_t size = desc ? 48 : 32;
	struct ipc_kmsg *kmsg;
	mach_msg_header_t *h;

	if (!IP_VALID(soright))
		return false;
	kmsg = ipc_kmsg_alloc(size);
	if (!kmsg) {
		soright->sorights--;
		ipc_port_release(soright);
		return false;
	}
	memset(kmsg->msg, 0, size);
	h = KMSG_HEADER(kmsg);
	h->msgh_bits = complex ? MACH_MSGH_BITS_COMPLEX : 0;
	h->msgh_id = id;
	if (desc) {
		uint32_t number = 1;
		memcpy(kmsg->msg + 32, &desc, 4);
		memcpy(kmsg->msg + 36, &number, 4);
		memcpy(kmsg->msg + 40, &slot, 8);
	}
	kmsg->dest = soright;
	kmsg->dest_type = MACH_MSG_TYPE_PORT_SEND_ONCE;
	ipc_mqueue_send_kernel(kmsg);
	return true;
}

void ipc_notify_port_deleted(struct ipc_port *soright, mach_port_name_t name)
{
	send(soright, MACH_NOTIFY_PORT_DELETED, DESC32(MACH_MSG_TYPE_PORT_NAME), name, false);
}

void ipc_notify_msg_accepted(struct ipc_port *soright, mach_port_name_t name)
{
	send(soright, MACH_NOTIFY_MSG_ACCEPTED, DESC32(MACH_MSG_TYPE_PORT_NAME), name, false);
}

void ipc_notify_port_destroyed(struct ipc_port *soright, struct ipc_port *port)
{
	uint32_t desc = MACH_MSG_TYPE_PORT_RECEIVE | (64u << 8) | 0x20000000u;

	if (!IP_VALID(soright)) {
		ipc_port_destroy(port);
		return;
	}
	port->destination = soright;
	if (!send(soright, MACH_NOTIFY_PORT_DESTROYED, desc, (uint64_t)port, true))
		ipc_port_destroy(port);		/* pdrequest is clear now: the port dies */
}

void ipc_notify_no_senders(struct ipc_port *soright, uint32_t mscount)
{
	send(soright, MACH_NOTIFY_NO_SENDERS, DESC32(MACH_MSG_TYPE_INTEGER_32), mscount, false);
}

void ipc_notify_send_once(struct ipc_port *port)
{
	send(port, MACH_NOTIFY_SEND_ONCE, 0, 0, false);
}

void ipc_notify_dead_name(struct ipc_port *soright, mach_port_name_t name)
{
	send(soright, MACH_NOTIFY_DEAD_NAME, DESC32(MACH_MSG_TYPE_PORT_NAME), name, false);
}
