/*
 * bstdev: bootstrap.scn's device server, started by bootstrap from the manifest. It
 * registers the name "NAME-svc", reports ready, registers device NAME (device_open
 * forwarded by bootstrap reaches it), and serves device.defs itself (through the stubs bootstrap
 * uses too): each open reads "NAME\n" once, then end of data.
 *   bstdev NAME          serve
 *   bstdev NAME noready  register nothing and never report ready (bootstrap's wait limit)
 */
#include <stdio.h>
#include <string.h>
#include <bootstrap/bootstrap.h>
#include <bootstrap/bootstrap_user.h>
#include <device/device_types.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include <mach/mig_errors.h>
#include <mach/task_special_ports.h>
#include "device_server.h"

#define MAX_OPENS	16

static mach_port_t self, master, port_set;
static mach_port_t opens[MAX_OPENS];
static int offsets[MAX_OPENS];
static char text[64], devname[64];

static int open_index(mach_port_t port)
{
	for (int i = 0; i < MAX_OPENS; i++)
		if (port != MACH_PORT_NULL && opens[i] == port)
			return i;
	return -1;
}

kern_return_t ds_device_open(mach_port_t m, mach_port_t reply, mach_msg_type_name_t replyPoly,
			     dev_mode_t mode, const_dev_name_t name, mach_port_t *device,
			     mach_msg_type_name_t *devicePoly)
{
	int i;

	(void)reply, (void)replyPoly, (void)mode;
	if (m != master)
		return D_INVALID_OPERATION;
	if (strncmp(name, devname, sizeof(dev_name_t)) != 0)
		return D_NO_SUCH_DEVICE;
	for (i = 0; i < MAX_OPENS && opens[i] != MACH_PORT_NULL; i++)
		;
	if (i == MAX_OPENS || mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &opens[i]) != KERN_SUCCESS)
		return D_NO_MEMORY;
	mach_port_move_member(self, opens[i], port_set);
	offsets[i] = 0;
	*device = opens[i];
	*devicePoly = MACH_MSG_TYPE_MAKE_SEND;
	return D_SUCCESS;
}

kern_return_t ds_device_open_new(mach_port_t m, mach_port_t reply, mach_msg_type_name_t replyPoly,
				 dev_mode_t mode, const_dev_name_t name, mach_port_t *device,
				 mach_msg_type_name_t *devicePoly)
{
	return ds_device_open(m, reply, replyPoly, mode, name, device, devicePoly);
}

kern_return_t ds_device_close(mach_port_t device)
{
	int i = open_index(device);

	if (i < 0)
		return D_INVALID_OPERATION;
	mach_port_mod_refs(self, opens[i], MACH_PORT_RIGHT_RECEIVE, -1);
	opens[i] = MACH_PORT_NULL;
	return D_SUCCESS;
}

kern_return_t ds_device_read_inband(mach_port_t device, mach_port_t reply, mach_msg_type_name_t replyPoly,
				    dev_mode_t mode, recnum_t recnum, int bytes_wanted,
				    io_buf_ptr_inband_t data, mach_msg_type_number_t *dataCnt)
{
	int i = open_index(device);
	int n = i < 0 ? 0 : (int)strlen(text) - offsets[i];

	(void)reply, (void)replyPoly, (void)mode, (void)recnum;
	*dataCnt = 0;
	if (i < 0 || bytes_wanted < 0)
		return D_INVALID_OPERATION;
	if (n > bytes_wanted)
		n = bytes_wanted;
	memcpy(data, text + offsets[i], n);
	offsets[i] += n;
	*dataCnt = n;
	return D_SUCCESS;
}

/* Not this device's business. */
kern_return_t ds_device_write(mach_port_t device, mach_port_t reply, mach_msg_type_name_t replyPoly,
			      dev_mode_t mode, recnum_t recnum, io_buf_ptr_t data,
			      mach_msg_type_number_t dataCnt, int *bytes_written)
{
	(void)device, (void)reply, (void)replyPoly, (void)mode, (void)recnum;
	if (dataCnt)
		vm_deallocate(self, (vm_address_t)data, dataCnt);
	*bytes_written = 0;
	return D_INVALID_OPERATION;
}

kern_return_t ds_device_write_inband(mach_port_t device, mach_port_t reply, mach_msg_type_name_t replyPoly,
				     dev_mode_t mode, recnum_t recnum, const_io_buf_ptr_inband_t data,
				     mach_msg_type_number_t dataCnt, int *bytes_written)
{
	(void)device, (void)reply, (void)replyPoly, (void)mode, (void)recnum, (void)data, (void)dataCnt;
	*bytes_written = 0;
	return D_INVALID_OPERATION;
}

kern_return_t ds_device_read(mach_port_t device, mach_port_t reply, mach_msg_type_name_t replyPoly,
			     dev_mode_t mode, recnum_t recnum, int bytes_wanted, io_buf_ptr_t *data,
			     mach_msg_type_number_t *dataCnt)
{
	(void)device, (void)reply, (void)replyPoly, (void)mode, (void)recnum, (void)bytes_wanted;
	*data = NULL;
	*dataCnt = 0;
	return D_INVALID_OPERATION;
}

kern_return_t ds_device_map(mach_port_t device, vm_prot_t prot, vm_offset_t offset, vm_size_t size,
			    mach_port_t *pager, int unmap)
{
	(void)device, (void)prot, (void)offset, (void)size, (void)unmap;
	*pager = MACH_PORT_NULL;
	return D_INVALID_OPERATION;
}

kern_return_t ds_device_set_status(mach_port_t device, dev_flavor_t flavor, const_dev_status_t status,
				   mach_msg_type_number_t statusCnt)
{
	(void)device, (void)flavor, (void)status, (void)statusCnt;
	return D_INVALID_OPERATION;
}

kern_return_t ds_device_get_status(mach_port_t device, dev_flavor_t flavor, dev_status_t status,
				   mach_msg_type_number_t *statusCnt)
{
	(void)device, (void)flavor, (void)status;
	*statusCnt = 0;
	return D_INVALID_OPERATION;
}

kern_return_t ds_device_set_filter(mach_port_t device, mach_port_t receive_port, int priority,
				   const_filter_array_t filter, mach_msg_type_number_t filterCnt)
{
	(void)device, (void)priority, (void)filter, (void)filterCnt;
	mach_port_deallocate(self, receive_port);
	return D_INVALID_OPERATION;
}

kern_return_t ds_device_intr_register(mach_port_t device, int id, int flags, mach_port_t receive_port)
{
	(void)device, (void)id, (void)flags;
	mach_port_deallocate(self, receive_port);
	return D_INVALID_OPERATION;
}

kern_return_t ds_device_intr_ack(mach_port_t device, mach_port_t receive_port)
{
	(void)device;
	mach_port_deallocate(self, receive_port);
	return D_INVALID_OPERATION;
}

static void serve(void)
{
	static union {
		mach_msg_header_t h;
		mig_reply_header_t rep;
		uint8_t bytes[8192];
	} in, out;

	for (;;) {
		if (mach_msg(&in.h, MACH_RCV_MSG, 0, sizeof(in), port_set, 0, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
			continue;
		device_server(&in.h, &out.h);
		if (out.h.msgh_remote_port != MACH_PORT_NULL && out.rep.RetCode != MIG_NO_REPLY)
			mach_msg(&out.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, out.h.msgh_size, 0, MACH_PORT_NULL, 0,
				 MACH_PORT_NULL);
	}
}

int main(int argc, char **argv)
{
	mach_port_t boot, idle;
	char svc[sizeof(bootstrap_name_t)], status[sizeof(bootstrap_status_t)];
	kern_return_t kr;

	self = mach_task_self();
	if (argc < 2 || task_get_special_port(self, TASK_BOOTSTRAP_PORT, &boot) != KERN_SUCCESS) {
		printf("bstdev: no name or no bootstrap port\n");
		return 1;
	}
	if (argc > 2 && strcmp(argv[2], "noready") == 0) {
		/* Wait for nothing, forever: bootstrap must give up on us by itself. */
		mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &idle);
		mach_msg(&(mach_msg_header_t){ 0 }, MACH_RCV_MSG, 0, sizeof(mach_msg_header_t), idle, 0,
			 MACH_PORT_NULL);
		return 0;
	}
	snprintf(text, sizeof(text), "%s\n", argv[1]);
	snprintf(devname, sizeof(devname), "%s", argv[1]);
	snprintf(svc, sizeof(svc), "%s-svc", argv[1]);
	if (mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &port_set) != KERN_SUCCESS ||
	    mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &master) != KERN_SUCCESS ||
	    mach_port_insert_right(self, master, master, MACH_MSG_TYPE_MAKE_SEND) != KERN_SUCCESS ||
	    mach_port_move_member(self, master, port_set) != KERN_SUCCESS)
		return 1;
	/*
	 * The device goes in after the status line: a client that can open it knows the
	 * line is out (bootstrap.scn expects it again after a restart).
	 */
	kr = bootstrap_register(boot, svc, master);
	snprintf(status, sizeof(status), kr == KERN_SUCCESS ? "serving %s" : "cannot register %s", argv[1]);
	bootstrap_ready(boot, status);
	if (kr == KERN_SUCCESS)
		bootstrap_device_register(boot, argv[1], master);
	serve();
	return 0;
}
