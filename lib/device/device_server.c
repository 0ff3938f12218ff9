/*
 * The device-server library's loop: one port set holding the device master port, one
 * port per open and one per attached interrupt line; requests go to the server stubs our
 * mig generates from include/device/device.defs, notifications to their handlers.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <bootstrap/bootstrap.h>
#include <bootstrap/bootstrap_user.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include <mach/message.h>
#include <mach/mig_errors.h>
#include <mach/notify.h>
#include "device_lib.h"

boolean_t device_server(mach_msg_header_t *in, mach_msg_header_t *out);
mach_port_t devlib_bootstrap(void);

const struct device_ops *devlib_ops;
mach_port_t devlib_self, devlib_port_set;

kern_return_t devlib_init(void)
{
	if (devlib_port_set != MACH_PORT_NULL)
		return KERN_SUCCESS;
	devlib_self = mach_task_self();
	return mach_port_allocate(devlib_self, MACH_PORT_RIGHT_PORT_SET, &devlib_port_set);
}

union device_msg {
	mach_msg_header_t h;
	mig_reply_header_t rep;
	uint8_t bytes[8192];	/* the largest request or reply: 4152 bytes of status */
};

/* A no-senders notification on an open's port: its last client right is gone. */
static bool handle_notification(mach_msg_header_t *m)
{
	if (m->msgh_id != MACH_NOTIFY_NO_SENDERS || m->msgh_size != sizeof(mach_no_senders_notification_t) ||
	    MACH_MSGH_BITS_REMOTE(m->msgh_bits) != 0)
		return false;
	devlib_open_end(m->msgh_local_port);
	return true;
}

/* One request: decode, call, and send the reply unless the driver will answer later. */
static void serve_one(union device_msg *in, union device_msg *out)
{
	mach_msg_return_t mr;

	devlib_just_opened = MACH_PORT_NULL;
	/* Unknown ids and malformed requests get MIG_BAD_ID / MIG_BAD_ARGUMENTS. */
	device_server(&in->h, &out->h);
	if (out->h.msgh_remote_port == MACH_PORT_NULL || out->rep.RetCode == MIG_NO_REPLY)
		return;
	mr = mach_msg(&out->h, MACH_SEND_MSG, out->h.msgh_size, 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
		      MACH_PORT_NULL);
	if (mr == MACH_MSG_SUCCESS)
		return;
	/* The client died before its reply left: no one can ever close this open. */
	if (devlib_just_opened != MACH_PORT_NULL)
		devlib_open_end(devlib_just_opened);
	/* The right we were to answer on is a dead name now; a read's pages are still ours. */
	mach_port_deallocate(devlib_self, out->h.msgh_remote_port);
	if (in->h.msgh_id == DEVLIB_READ && out->rep.RetCode == D_SUCCESS &&
	    out->h.msgh_size > sizeof(mig_reply_header_t)) {
		uint64_t addr;
		uint32_t count;

		memcpy(&count, out->bytes + sizeof(mig_reply_header_t) + 4, 4);
		memcpy(&addr, out->bytes + sizeof(mig_reply_header_t) + 8, 8);
		if (count)
			vm_deallocate(devlib_self, addr, count);
	}
}

kern_return_t device_server_run(const struct device_ops *driver, mach_port_t master)
{
	static union device_msg in, out;
	mach_port_type_t type;
	mach_msg_return_t mr;
	kern_return_t kr;

	devlib_ops = driver;
	if ((kr = devlib_init()) != KERN_SUCCESS)
		return kr;
	devlib_set_master(master);
	/* Without bootstrap, another task puts the receive right here (docs/writing-a-device-server.md). */
	while (mach_port_type(devlib_self, master, &type) != KERN_SUCCESS || !(type & MACH_PORT_TYPE_RECEIVE))
		swtch();
	if ((kr = mach_port_move_member(devlib_self, master, devlib_port_set)) != KERN_SUCCESS)
		return kr;
	for (;;) {
		mr = mach_msg(&in.h, MACH_RCV_MSG, 0, sizeof(in), devlib_port_set, MACH_MSG_TIMEOUT_NONE,
			      MACH_PORT_NULL);
		if (mr == MACH_RCV_TOO_LARGE)
			continue;	/* the kernel dropped it; nothing to answer */
		if (mr != MACH_MSG_SUCCESS)
			return mr;
		if (handle_notification(&in.h) || devlib_irq_dispatch(&in.h))
			continue;
		serve_one(&in, &out);
	}
}

kern_return_t device_server_main(const struct device_ops *driver, const char *status)
{
	mach_port_t bootstrap = devlib_bootstrap(), master;
	kern_return_t kr;

	if (bootstrap == MACH_PORT_NULL)
		return KERN_INVALID_CAPABILITY;
	if ((kr = devlib_init()) != KERN_SUCCESS)
		return kr;
	kr = mach_port_allocate(devlib_self, MACH_PORT_RIGHT_RECEIVE, &master);
	if (kr != KERN_SUCCESS)
		return kr;
	/* Bootstrap keeps a send right per name to forward device_open requests with. */
	kr = mach_port_insert_right(devlib_self, master, master, MACH_MSG_TYPE_MAKE_SEND);
	for (const char *const *n = driver->names; kr == KERN_SUCCESS && n && *n; n++)
		kr = bootstrap_device_register(bootstrap, *n, master);
	if (kr == KERN_SUCCESS)
		kr = bootstrap_ready(bootstrap, status);
	if (kr != KERN_SUCCESS)
		return kr;
	return device_server_run(driver, master);
}
