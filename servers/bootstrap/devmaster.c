/*
 * The device master port bootstrap gives clients (registered as "device-master").
 * device_open and device_open_new of a registered name are forwarded as they came,
 * reply port included, to the master port of the server that registered it, so the
 * server answers the client directly and bootstrap never sees the device port. The
 * other device.defs routines make no sense on a master port: D_INVALID_OPERATION.
 */
#include <string.h>
#include <device/device_types.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include <mach/mig_errors.h>
#include "bs.h"
#include "device_server.h"

/* A server that does not take a forwarded open within this long is treated as down. */
#define FORWARD_TIMEOUT_MS	1000

mach_msg_header_t *bs_request;

static union {
	mach_msg_header_t h;
	mig_reply_header_t rep;
	uint8_t bytes[512];	/* a device_open request is 176 bytes */
} fwd;

/* The reply right came back with a timed-out send: answer the client ourselves. */
static void answer(mach_port_t reply, mach_msg_type_name_t type, mach_msg_id_t id, kern_return_t rc)
{
	fwd.h.msgh_bits = MACH_MSGH_BITS(type == MACH_MSG_TYPE_PORT_SEND_ONCE ? MACH_MSG_TYPE_MOVE_SEND_ONCE :
					 MACH_MSG_TYPE_MOVE_SEND, 0);
	fwd.h.msgh_size = sizeof(mig_reply_header_t);
	fwd.h.msgh_remote_port = reply;
	fwd.h.msgh_local_port = MACH_PORT_NULL;
	fwd.h.msgh_id = id + 100;
	fwd.rep.RetCodeType = (mach_msg_type_t){ .msgt_name = MACH_MSG_TYPE_INTEGER_32, .msgt_size = 32,
						 .msgt_number = 1, .msgt_inline = 1 };
	fwd.rep.RetCode = rc;
	mach_msg(&fwd.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, fwd.h.msgh_size, 0, MACH_PORT_NULL, 0,
		 MACH_PORT_NULL);
}

static kern_return_t forward(const char *name, mach_port_t reply, mach_msg_type_name_t replyPoly)
{
	mach_port_t master;
	mach_msg_header_t *in = bs_request;
	mach_msg_type_name_t rtype;
	mach_msg_return_t mr;

	if (names_find_device(name, &master) != KERN_SUCCESS)
		return D_NO_SUCH_DEVICE;
	if (in->msgh_size > sizeof(fwd))
		return D_INVALID_OPERATION;
	if (!MACH_PORT_VALID(reply))
		rtype = 0;
	else if (replyPoly == MACH_MSG_TYPE_PORT_SEND_ONCE)
		rtype = MACH_MSG_TYPE_MOVE_SEND_ONCE;
	else if (replyPoly == MACH_MSG_TYPE_PORT_SEND)
		rtype = MACH_MSG_TYPE_MOVE_SEND;
	else
		return D_INVALID_OPERATION;
	memcpy(&fwd, in, in->msgh_size);
	fwd.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, rtype) |
			  (in->msgh_bits & MACH_MSGH_BITS_COMPLEX);
	fwd.h.msgh_remote_port = master;
	fwd.h.msgh_local_port = rtype ? reply : MACH_PORT_NULL;
	mr = mach_msg(&fwd.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, fwd.h.msgh_size, 0, MACH_PORT_NULL,
		      FORWARD_TIMEOUT_MS, MACH_PORT_NULL);
	if (mr == MACH_MSG_SUCCESS)
		return MIG_NO_REPLY;	/* the server answers the client */
	mr &= ~(MACH_MSG_IPC_SPACE | MACH_MSG_VM_SPACE);
	if (mr == MACH_SEND_TIMED_OUT || mr == MACH_SEND_INTERRUPTED) {
		/* The message came back as if received: rights swapped, ours again. */
		mach_port_deallocate(bs_self, fwd.h.msgh_remote_port);
		if (rtype)
			answer(fwd.h.msgh_local_port, MACH_MSGH_BITS_LOCAL(fwd.h.msgh_bits), in->msgh_id,
			       D_DEVICE_DOWN);
		return MIG_NO_REPLY;
	}
	/* Not sent (the server died just now): the reply right is still ours to answer on. */
	return D_NO_SUCH_DEVICE;
}

kern_return_t ds_device_open(mach_port_t master, mach_port_t reply, mach_msg_type_name_t replyPoly,
			     dev_mode_t mode, const_dev_name_t name, mach_port_t *device,
			     mach_msg_type_name_t *devicePoly)
{
	(void)master, (void)mode;
	*device = MACH_PORT_NULL;
	*devicePoly = MACH_MSG_TYPE_MOVE_SEND;
	return forward(name, reply, replyPoly);
}

kern_return_t ds_device_open_new(mach_port_t master, mach_port_t reply, mach_msg_type_name_t replyPoly,
				 dev_mode_t mode, const_dev_name_t name, mach_port_t *device,
				 mach_msg_type_name_t *devicePoly)
{
	return ds_device_open(master, reply, replyPoly, mode, name, device, devicePoly);
}

/* The rest need an open device, which this port never is. */
kern_return_t ds_device_close(mach_port_t device)
{
	(void)device;
	return D_INVALID_OPERATION;
}

kern_return_t ds_device_write(mach_port_t device, mach_port_t reply, mach_msg_type_name_t replyPoly,
			      dev_mode_t mode, recnum_t recnum, io_buf_ptr_t data,
			      mach_msg_type_number_t dataCnt, int *bytes_written)
{
	(void)device, (void)reply, (void)replyPoly, (void)mode, (void)recnum;
	if (dataCnt)
		vm_deallocate(bs_self, (vm_address_t)data, dataCnt);
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

kern_return_t ds_device_read_inband(mach_port_t device, mach_port_t reply, mach_msg_type_name_t replyPoly,
				    dev_mode_t mode, recnum_t recnum, int bytes_wanted,
				    io_buf_ptr_inband_t data, mach_msg_type_number_t *dataCnt)
{
	(void)device, (void)reply, (void)replyPoly, (void)mode, (void)recnum, (void)bytes_wanted, (void)data;
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

/* The rights these carry are ours once received: let them go. */
kern_return_t ds_device_set_filter(mach_port_t device, mach_port_t receive_port, int priority,
				   const_filter_array_t filter, mach_msg_type_number_t filterCnt)
{
	(void)device, (void)priority, (void)filter, (void)filterCnt;
	mach_port_deallocate(bs_self, receive_port);
	return D_INVALID_OPERATION;
}

kern_return_t ds_device_intr_register(mach_port_t device, int id, int flags, mach_port_t receive_port)
{
	(void)device, (void)id, (void)flags;
	mach_port_deallocate(bs_self, receive_port);
	return D_INVALID_OPERATION;
}

kern_return_t ds_device_intr_ack(mach_port_t device, mach_port_t receive_port)
{
	(void)device;
	mach_port_deallocate(bs_self, receive_port);
	return D_INVALID_OPERATION;
}
