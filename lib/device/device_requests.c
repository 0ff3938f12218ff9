/*
 * device.defs requests, as the generated server stubs hand them over (ds_ routines):
 * opens by name on the master port, then reads, writes and status on an open's port.
 * A read or write the driver answers later returns MIG_NO_REPLY to the loop, which then
 * sends nothing; device_io_done (device_io.c) replies when the driver is done.
 */
#include <stdint.h>
#include <string.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/message.h>
#include <mach/mig_errors.h>
#include <mach/notify.h>
#include "device_lib.h"

struct device_open {
	mach_port_t port;	/* receive right in the port set; MACH_PORT_NULL when free */
	void *cookie;
};

static struct device_open opens[DEVICE_MAX_OPENS];
static mach_port_t master_port;
mach_port_t devlib_just_opened;	/* the open whose reply is being sent, if any */

void devlib_set_master(mach_port_t master)
{
	master_port = master;
}

static struct device_open *open_lookup(mach_port_t port)
{
	for (int i = 0; i < DEVICE_MAX_OPENS; i++)
		if (port != MACH_PORT_NULL && opens[i].port == port)
			return &opens[i];
	return NULL;
}

/* Ends an open: the driver's close, then the port (any client right becomes dead). */
static void open_end(struct device_open *o)
{
	if (devlib_ops->close)
		devlib_ops->close(o->cookie);
	mach_port_mod_refs(devlib_self, o->port, MACH_PORT_RIGHT_RECEIVE, -1);
	o->port = MACH_PORT_NULL;
	o->cookie = NULL;
}

/* A no-senders notification's or a failed open reply's open, if it is one. */
bool devlib_open_end(mach_port_t port)
{
	struct device_open *o = open_lookup(port);

	if (o)
		open_end(o);
	return o != NULL;
}

static bool name_known(const char *name)
{
	for (const char *const *n = devlib_ops->names; n && *n; n++)
		if (strncmp(name, *n, sizeof(dev_name_t)) == 0)
			return true;
	return false;
}

kern_return_t ds_device_open(mach_port_t master, mach_port_t reply, mach_msg_type_name_t replyPoly,
			     dev_mode_t mode, const_dev_name_t name, mach_port_t *device,
			     mach_msg_type_name_t *devicePoly)
{
	struct device_open *o = NULL;
	char own[sizeof(dev_name_t)];
	mach_port_t prev;
	int rc;

	(void)reply, (void)replyPoly;
	if (master != master_port)
		return D_INVALID_OPERATION;
	/* The driver gets a terminated copy whatever the request held. */
	memcpy(own, name, strnlen(name, sizeof(own) - 1));
	own[strnlen(name, sizeof(own) - 1)] = '\0';
	if (!name_known(own))
		return D_NO_SUCH_DEVICE;
	for (int i = 0; i < DEVICE_MAX_OPENS && !o; i++)
		if (opens[i].port == MACH_PORT_NULL)
			o = &opens[i];
	if (!o)
		return D_NO_MEMORY;
	if (mach_port_allocate(devlib_self, MACH_PORT_RIGHT_RECEIVE, &o->port) != KERN_SUCCESS)
		return D_NO_MEMORY;
	/* sync 1: the notification waits for the send right the reply makes. */
	if (mach_port_move_member(devlib_self, o->port, devlib_port_set) != KERN_SUCCESS ||
	    mach_port_request_notification(devlib_self, o->port, MACH_NOTIFY_NO_SENDERS, 1, o->port,
					   MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev) != KERN_SUCCESS) {
		mach_port_mod_refs(devlib_self, o->port, MACH_PORT_RIGHT_RECEIVE, -1);
		o->port = MACH_PORT_NULL;
		return D_NO_MEMORY;
	}
	o->cookie = NULL;
	rc = devlib_ops->open ? devlib_ops->open(own, mode, &o->cookie) : D_SUCCESS;
	if (rc != D_SUCCESS) {
		mach_port_mod_refs(devlib_self, o->port, MACH_PORT_RIGHT_RECEIVE, -1);
		o->port = MACH_PORT_NULL;
		return rc;
	}
	*device = devlib_just_opened = o->port;
	*devicePoly = MACH_MSG_TYPE_MAKE_SEND;
	return D_SUCCESS;
}

kern_return_t ds_device_open_new(mach_port_t master, mach_port_t reply, mach_msg_type_name_t replyPoly,
				 dev_mode_t mode, const_dev_name_t name, mach_port_t *device,
				 mach_msg_type_name_t *devicePoly)
{
	return ds_device_open(master, reply, replyPoly, mode, name, device, devicePoly);
}

kern_return_t ds_device_close(mach_port_t device)
{
	return devlib_open_end(device) ? D_SUCCESS : D_INVALID_OPERATION;
}

/*
 * Both writes: the driver gets the bytes, whichever way they came. `data` is the
 * request's out-of-line region (ours to free) or, inband, copied into the io.
 */
static int do_write(mach_port_t device, mach_port_t reply, mach_msg_type_name_t reply_type,
		    mach_msg_id_t id, dev_mode_t mode, recnum_t recnum, const char *data, size_t n,
		    int *written)
{
	struct device_open *o = open_lookup(device);
	struct device_io *io;
	size_t done = 0;
	int rc;

	if (!o || !devlib_ops->write)
		rc = D_INVALID_OPERATION;
	else if (!(io = devlib_io_alloc(id, reply, reply_type, mode)))
		rc = D_NO_MEMORY;
	else {
		if (id == DEVLIB_WRITE_INBAND) {
			memcpy(io->inband, data, n);
			data = io->inband;
		} else {
			io->buf = (vm_address_t)data;
			io->size = n;
		}
		rc = devlib_ops->write(o->cookie, io, recnum, data, n, &done);
		if (rc == DEVICE_PENDING)
			return MIG_NO_REPLY;	/* the io owns the data and the reply now */
		devlib_io_free(io);
	}
	if (id == DEVLIB_WRITE && n)
		vm_deallocate(devlib_self, (vm_address_t)data, n);
	*written = (int)done;
	return rc;
}

kern_return_t ds_device_write(mach_port_t device, mach_port_t reply, mach_msg_type_name_t replyPoly,
			      dev_mode_t mode, recnum_t recnum, io_buf_ptr_t data,
			      mach_msg_type_number_t dataCnt, int *bytes_written)
{
	return do_write(device, reply, replyPoly, DEVLIB_WRITE, mode, recnum, data, dataCnt,
			bytes_written);
}

kern_return_t ds_device_write_inband(mach_port_t device, mach_port_t reply, mach_msg_type_name_t replyPoly,
				     dev_mode_t mode, recnum_t recnum, const_io_buf_ptr_inband_t data,
				     mach_msg_type_number_t dataCnt, int *bytes_written)
{
	if (dataCnt > IO_INBAND_MAX)
		return MIG_BAD_ARGUMENTS;	/* the stub checks it; this keeps the copy safe */
	return do_write(device, reply, replyPoly, DEVLIB_WRITE_INBAND, mode, recnum, data, dataCnt,
			bytes_written);
}

/* Both reads: on return other than DEVICE_PENDING the io is still ours to read back. */
static int do_read(mach_port_t device, struct device_io *io, recnum_t recnum, char *buf, size_t *n)
{
	struct device_open *o = open_lookup(device);

	if (!o || !devlib_ops->read)
		return D_INVALID_OPERATION;
	return devlib_ops->read(o->cookie, io, recnum, buf, n);
}

kern_return_t ds_device_read(mach_port_t device, mach_port_t reply, mach_msg_type_name_t replyPoly,
			     dev_mode_t mode, recnum_t recnum, int bytes_wanted, io_buf_ptr_t *data,
			     mach_msg_type_number_t *dataCnt)
{
	struct device_io *io;
	size_t n = bytes_wanted;
	int rc;

	*data = NULL;
	*dataCnt = 0;
	if (bytes_wanted < 0 || bytes_wanted > DEVICE_READ_MAX)
		return D_INVALID_SIZE;
	if (!open_lookup(device))
		return D_INVALID_OPERATION;
	io = devlib_io_alloc(DEVLIB_READ, reply, replyPoly, mode);
	if (!io)
		return D_NO_MEMORY;
	if (n && vm_allocate(devlib_self, &io->buf, n, 1) != KERN_SUCCESS) {
		devlib_io_free(io);
		return D_NO_MEMORY;
	}
	io->size = devlib_round_page(n);
	rc = do_read(device, io, recnum, (char *)io->buf, &n);
	if (rc == DEVICE_PENDING)
		return MIG_NO_REPLY;
	if (rc != D_SUCCESS || n == 0) {
		if (io->size)
			vm_deallocate(devlib_self, io->buf, io->size);
		devlib_io_free(io);
		return rc;
	}
	if (n > (size_t)bytes_wanted)
		n = bytes_wanted;
	/* Sent with dealloc: the kernel takes the pages holding data; the rest we free. */
	if (devlib_round_page(n) < io->size)
		vm_deallocate(devlib_self, io->buf + devlib_round_page(n), io->size - devlib_round_page(n));
	*data = (io_buf_ptr_t)io->buf;
	*dataCnt = n;
	devlib_io_free(io);
	return D_SUCCESS;
}

kern_return_t ds_device_read_inband(mach_port_t device, mach_port_t reply, mach_msg_type_name_t replyPoly,
				    dev_mode_t mode, recnum_t recnum, int bytes_wanted,
				    io_buf_ptr_inband_t data, mach_msg_type_number_t *dataCnt)
{
	struct device_io *io;
	size_t n = bytes_wanted;
	int rc;

	*dataCnt = 0;
	if (bytes_wanted < 0)
		return D_INVALID_SIZE;
	if (n > IO_INBAND_MAX)
		n = IO_INBAND_MAX;
	io = devlib_io_alloc(DEVLIB_READ_INBAND, reply, replyPoly, mode);
	if (!io)
		return D_NO_MEMORY;
	rc = do_read(device, io, recnum, io->inband, &n);
	if (rc == DEVICE_PENDING)
		return MIG_NO_REPLY;
	if (rc == D_SUCCESS) {
		*dataCnt = n > IO_INBAND_MAX ? IO_INBAND_MAX : n;
		memcpy(data, io->inband, *dataCnt);
	}
	devlib_io_free(io);
	return rc;
}

kern_return_t ds_device_get_status(mach_port_t device, dev_flavor_t flavor, dev_status_t status,
				   mach_msg_type_number_t *statusCnt)
{
	struct device_open *o = open_lookup(device);
	size_t n = *statusCnt > DEV_STATUS_MAX ? DEV_STATUS_MAX : *statusCnt;
	int rc;

	if (!o || !devlib_ops->get_status)
		return D_INVALID_OPERATION;
	rc = devlib_ops->get_status(o->cookie, flavor, status, &n);
	*statusCnt = rc == D_SUCCESS ? n : 0;
	return rc;
}

kern_return_t ds_device_set_status(mach_port_t device, dev_flavor_t flavor, const_dev_status_t status,
				   mach_msg_type_number_t statusCnt)
{
	struct device_open *o = open_lookup(device);

	if (!o || !devlib_ops->set_status)
		return D_INVALID_OPERATION;
	return devlib_ops->set_status(o->cookie, flavor, status, statusCnt);
}

/* Not for a character device served from user space: no pager to give. */
kern_return_t ds_device_map(mach_port_t device, vm_prot_t prot, vm_offset_t offset, vm_size_t size,
			    mach_port_t *pager, int unmap)
{
	(void)device, (void)prot, (void)offset, (void)size, (void)unmap;
	*pager = MACH_PORT_NULL;
	return D_INVALID_OPERATION;
}

/* Packet filters are not served; interrupts are the kernel's. The right sent is let go. */
kern_return_t ds_device_set_filter(mach_port_t device, mach_port_t receive_port, int priority,
				   const_filter_array_t filter, mach_msg_type_number_t filterCnt)
{
	(void)device, (void)priority, (void)filter, (void)filterCnt;
	mach_port_deallocate(devlib_self, receive_port);
	return D_INVALID_OPERATION;
}

kern_return_t ds_device_intr_register(mach_port_t device, int id, int flags, mach_port_t receive_port)
{
	(void)device, (void)id, (void)flags;
	mach_port_deallocate(devlib_self, receive_port);
	return D_INVALID_OPERATION;
}

kern_return_t ds_device_intr_ack(mach_port_t device, mach_port_t receive_port)
{
	(void)device;
	mach_port_deallocate(devlib_self, receive_port);
	return D_INVALID_OPERATION;
}
