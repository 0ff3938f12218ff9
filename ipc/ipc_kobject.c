/* Kernel-object ports and the server loop that serves them (see ipc/ipc_kobject.h). */
#include <string.h>
#include <mach/mig_errors.h>
#include <mach/mig_support.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <kern/exception.h>
#include <kern/foreign.h>
#include <kern/printf.h>
#include <kern/zalloc.h>

/*
 * Large enough for every reply of the kernel's interfaces (thread states: 4152) but
 * task_read_memory's (8248): only the personality subsystem gets the larger buffer, as
 * a block over 8 KiB (four pages) would cost every kernel RPC about 220 instructions.
 */
#define KOBJECT_REPLY_MAX	8192
#define PERSONALITY_REPLY_MAX	(8192 + 64)

typedef boolean_t (*mig_demux_t)(mach_msg_header_t *in, mach_msg_header_t *out);

boolean_t mach_server(mach_msg_header_t *, mach_msg_header_t *);
boolean_t mach_port_server(mach_msg_header_t *, mach_msg_header_t *);
boolean_t mach_host_server(mach_msg_header_t *, mach_msg_header_t *);
boolean_t kernel_stats_server(mach_msg_header_t *, mach_msg_header_t *);
boolean_t gnumach_server(mach_msg_header_t *, mach_msg_header_t *);
boolean_t personality_server(mach_msg_header_t *, mach_msg_header_t *);
boolean_t mach_i386_server(mach_msg_header_t *, mach_msg_header_t *);
boolean_t device_server(mach_msg_header_t *, mach_msg_header_t *);
boolean_t boot_modules_server(mach_msg_header_t *, mach_msg_header_t *);
boolean_t device_caps_server(mach_msg_header_t *, mach_msg_header_t *);

/* Subsystems by message-id range (ABI interfaces.md), and their reply buffer's size. */
static const struct subsystem {
	mach_msg_id_t base, end;
	mig_demux_t demux;
	uint32_t reply_max;
} subsystems[] = {
	{ 2000, 2101, mach_server, KOBJECT_REPLY_MAX },
	{ 2600, 2650, mach_host_server, KOBJECT_REPLY_MAX },
	{ 2800, 2815, device_server, KOBJECT_REPLY_MAX },
	{ 3200, 3224, mach_port_server, KOBJECT_REPLY_MAX },
	{ 3800, 3810, mach_i386_server, KOBJECT_REPLY_MAX },
	{ 4200, 4217, gnumach_server, KOBJECT_REPLY_MAX },
	{ 5000, 5001, kernel_stats_server, KOBJECT_REPLY_MAX },
	{ 5100, 5104, personality_server, PERSONALITY_REPLY_MAX },
	{ 5400, 5402, boot_modules_server, KOBJECT_REPLY_MAX },
	{ 5500, 5503, device_caps_server, KOBJECT_REPLY_MAX },
};

void ipc_kobject_init(void)
{
	ipc_space_kernel = ipc_space_create();
	if (!ipc_space_kernel)
		panic("ipc: no memory for the kernel's space");
	ipc_space_kernel->is_kernel = true;
}

struct ipc_port *ipc_kobject_port(mach_port_name_t name)
{
	struct ipc_entry *e = ipc_entry_lookup(ipc_space_kernel, name);

	if (!e || !(e->type & (MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE)))
		return NULL;
	return e->object;
}

void *ipc_kobject_lookup(mach_port_name_t name, enum ipc_kotype type)
{
	struct ipc_port *port = ipc_kobject_port(name);

	return port && port->active && port->kotype == type ? port->kobject : NULL;
}

void ipc_kobject_destroy(struct ipc_port *port)
{
	mach_port_name_t name = port->receiver_name;

	ipc_port_disable(port);
	if (port->active && port->receiver == ipc_space_kernel)
		ipc_right_destroy(ipc_space_kernel, name);
	ipc_port_release(port);
}

mach_port_name_t ipc_kobject_send_name(struct ipc_port *port)
{
	mach_port_name_t name;

	if (!IP_VALID(port))
		return port == IP_DEAD ? MACH_PORT_DEAD : MACH_PORT_NULL;
	if (ipc_right_copyout(ipc_space_kernel, ipc_port_copy_send(port), MACH_MSG_TYPE_PORT_SEND,
			      &name) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return name;
}

struct ipc_port *ipc_kobject_take_right(mach_port_name_t name, mach_msg_type_name_t type)
{
	struct ipc_port *port;

	if (ipc_right_copyin(ipc_space_kernel, name, type, &port) != KERN_SUCCESS)
		return NULL;
	return port;
}

/*
 * A server routine's `out` ports are send rights it made in the kernel's space
 * (ipc_kobject_send_name); the reply gives them away instead of copying them, so the
 * kernel's space keeps nothing. The generated stubs say COPY_SEND: make it MOVE_SEND.
 */
static void reply_moves_sends(mach_msg_header_t *rep)
{
	uint32_t off = sizeof(*rep);
	struct ipc_desc d;

	if (!(rep->msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return;
	while (ipc_body_next_raw((uint8_t *)rep, rep->msgh_size, &off, &d))
		if (d.name == MACH_MSG_TYPE_COPY_SEND)
			d.desc[0] = MACH_MSG_TYPE_MOVE_SEND;
}

/*
 * Drops one right of `type` that a request brought into the kernel space under name.
 * Only that right: the name may hold others (a kernel port's receive right, say).
 */
static void drop_right(mach_port_name_t name, mach_msg_type_name_t type)
{
	if (type == MACH_MSG_TYPE_PORT_RECEIVE)
		ipc_right_delta(ipc_space_kernel, name, MACH_PORT_RIGHT_RECEIVE, -1);
	else
		ipc_right_dealloc(ipc_space_kernel, name);
}

/* Releases what a request left in the kernel space: its body's rights and regions. */
static void destroy_request_body(mach_msg_header_t *req)
{
	uint32_t off = sizeof(*req);
	struct ipc_desc d;

	if (!(req->msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return;
	while (ipc_body_next_raw((uint8_t *)req, req->msgh_size, &off, &d)) {
		uint64_t slot;

		if (d.is_inline && msgt_is_port(d.name)) {
			for (uint32_t i = 0; i < d.number; i++) {
				memcpy(&slot, d.data + 8 * i, 8);
				drop_right((mach_port_name_t)slot, d.name);
			}
			continue;
		}
		if (d.is_inline)
			continue;
		memcpy(&slot, d.data, 8);
		if (!slot)
			continue;
		if (msgt_is_port(d.name))
			for (uint32_t i = 0; i < d.number; i++)
				drop_right(((mach_port_name_t *)slot)[i], d.name);
		ipc_ool_free(slot, d.bytes);
	}
}

static const struct subsystem *find_subsystem(mach_msg_id_t id)
{
	/* mach_port_server answers MIG_BAD_ID for an id it does not know. */
	static const struct subsystem unknown = { 0, 0, mach_port_server, KOBJECT_REPLY_MAX };

	for (unsigned i = 0; i < sizeof(subsystems) / sizeof(subsystems[0]); i++)
		if (id >= subsystems[i].base && id < subsystems[i].end)
			return &subsystems[i];
	return &unknown;
}

void ipc_kobject_demux(mach_msg_header_t *req, mach_msg_header_t *rep)
{
	find_subsystem(req->msgh_id)->demux(req, rep);
}

/* Conditions: interrupts disabled; runs in the sender's context. */
void ipc_kobject_server(struct ipc_kmsg *kmsg)
{
	struct ipc_ctx kctx = { ipc_space_kernel, NULL };
	mach_msg_size_t size = kmsg->size, rep_size;
	const struct subsystem *sub;
	mach_msg_header_t *req, *rep;
	struct ipc_kmsg *reply;
	mach_port_name_t reply_name;
	kern_return_t rc;

	if (kmsg->dest->kotype == IKOT_EXC_REPLY) {
		exception_reply(kmsg);
		return;
	}
	if (kmsg->dest->kotype == IKOT_FOREIGN_REPLY) {
		foreign_reply(kmsg);
		return;
	}
	sub = find_subsystem(KMSG_HEADER(kmsg)->msgh_id);
	rep_size = sub->reply_max;
	req = kalloc(size);
	rep = kalloc(rep_size);
	if (!req || !rep) {
		kfree(req, size);
		kfree(rep, rep_size);
		ipc_kmsg_destroy(kmsg);
		return;
	}
	if (ipc_kmsg_copyout(&kctx, kmsg, (uint64_t)req, 0, 0, NULL) != MACH_MSG_SUCCESS) {
		/* The kernel space is out of names or memory: drop the request. */
		destroy_request_body(req);
		ipc_right_dealloc(ipc_space_kernel, req->msgh_remote_port);
		goto out;
	}
	sub->demux(req, rep);
	rc = ((mig_reply_header_t *)rep)->RetCode;
	reply_name = req->msgh_remote_port;
	if (rc != KERN_SUCCESS && rc != MIG_NO_REPLY)
		destroy_request_body(req);
	if (rc == MIG_NO_REPLY)
		goto out;
	if (reply_name == MACH_PORT_NULL) {
		/* Nobody to give the results to: what the routine made for the reply goes. */
		if (rc == KERN_SUCCESS)
			destroy_request_body(rep);
		goto out;
	}
	reply_moves_sends(rep);
	if (ipc_kmsg_copyin(&kctx, (uint64_t)rep, rep->msgh_size, 0, &reply) == MACH_MSG_SUCCESS)
		ipc_mqueue_send_kernel(reply);
	else
		ipc_right_dealloc(ipc_space_kernel, reply_name);
out:
	kfree(req, size);
	kfree(rep, rep_size);
}

/*
 * The server stubs free an out-of-line array that a routine was given once it has
 * used it (mach_i386's i386_set_ldt): in the kernel such a region is a message's.
 */
void mig_deallocate(vm_address_t addr, vm_size_t size)
{
	ipc_ool_free(addr, size);
}
