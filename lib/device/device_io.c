/*
 * Reads and writes in flight: a fixed pool of struct device_io, and device_io_done, which
 * sends the reply the request was waiting for (device_reply.defs' user stubs carry the
 * same ids and layouts as device.defs' replies) or, when the client has gone, only
 * frees what the request held.
 */
#include <string.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/message.h>
#include <mach/mig_errors.h>
#include "device_lib.h"

/* device_reply.defs' user stubs (build/libdevice/device_replyUser.c). */
kern_return_t ds_device_write_reply(mach_port_t reply, mach_msg_type_name_t type, kern_return_t rc,
				    int bytes_written);
kern_return_t ds_device_write_reply_inband(mach_port_t reply, mach_msg_type_name_t type, kern_return_t rc,
					   int bytes_written);
kern_return_t ds_device_read_reply(mach_port_t reply, mach_msg_type_name_t type, kern_return_t rc,
				   io_buf_ptr_t data, mach_msg_type_number_t count);
kern_return_t ds_device_read_reply_inband(mach_port_t reply, mach_msg_type_name_t type, kern_return_t rc,
					  const char *data, mach_msg_type_number_t count);

/* Room for every open to have a few requests waiting; past it a request gets D_NO_MEMORY. */
#define DEVLIB_MAX_IOS	(4 * DEVICE_MAX_OPENS)

static struct device_io ios[DEVLIB_MAX_IOS];

struct device_io *devlib_io_alloc(mach_msg_id_t id, mach_port_t reply, mach_msg_type_name_t reply_type,
				  dev_mode_t mode)
{
	for (int i = 0; i < DEVLIB_MAX_IOS; i++)
		if (!ios[i].in_use) {
			ios[i] = (struct device_io){ .in_use = true, .id = id, .reply = reply,
						     .reply_type = reply_type, .mode = mode };
			return &ios[i];
		}
	return NULL;
}

void devlib_io_free(struct device_io *io)
{
	io->in_use = false;
}

dev_mode_t device_io_mode(const struct device_io *io)
{
	return io->mode;
}

/* The reply a failed call gets, as the synchronous path sends it: header and code only. */
static mach_msg_return_t send_error(struct device_io *io, int rc)
{
	mig_reply_header_t m;

	memset(&m, 0, sizeof(m));
	m.Head.msgh_bits = MACH_MSGH_BITS(io->reply_type, 0);
	m.Head.msgh_size = sizeof(m);
	m.Head.msgh_remote_port = io->reply;
	m.Head.msgh_id = io->id + 100;
	m.RetCodeType.msgt_name = MACH_MSG_TYPE_INTEGER_32;
	m.RetCodeType.msgt_size = 32;
	m.RetCodeType.msgt_inline = 1;
	m.RetCodeType.msgt_number = 1;
	m.RetCode = rc;
	return mach_msg(&m.Head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
			MACH_PORT_NULL);
}

/* A read's reply; true when the kernel took the pages (sent with dealloc). */
static mach_msg_return_t reply_read(struct device_io *io, int rc, size_t count, bool *taken)
{
	if (rc != D_SUCCESS)
		return send_error(io, rc);
	if (count > io->size)
		count = io->size;
	/* Only the pages holding data travel; the rest of the buffer is ours to free. */
	if (devlib_round_page(count) < io->size) {
		vm_deallocate(devlib_self, io->buf + devlib_round_page(count), io->size - devlib_round_page(count));
		io->size = devlib_round_page(count);
	}
	if (count == 0)
		return ds_device_read_reply(io->reply, io->reply_type, D_SUCCESS, NULL, 0);
	*taken = true;
	return ds_device_read_reply(io->reply, io->reply_type, D_SUCCESS, (io_buf_ptr_t)io->buf, count);
}

void device_io_done(struct device_io *io, int rc, size_t count)
{
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	bool taken = false;

	if (!io || !io->in_use)
		return;
	if (io->reply != MACH_PORT_NULL) {
		switch (io->id) {
		case DEVLIB_READ:
			mr = reply_read(io, rc, count, &taken);
			break;
		case DEVLIB_READ_INBAND:
			if (count > IO_INBAND_MAX)
				count = IO_INBAND_MAX;
			mr = rc == D_SUCCESS ?
				ds_device_read_reply_inband(io->reply, io->reply_type, rc, io->inband, count) :
				send_error(io, rc);
			break;
		case DEVLIB_WRITE:
			mr = rc == D_SUCCESS ? ds_device_write_reply(io->reply, io->reply_type, rc, (int)count) :
					       send_error(io, rc);
			break;
		default:
			mr = rc == D_SUCCESS ?
				ds_device_write_reply_inband(io->reply, io->reply_type, rc, (int)count) :
				send_error(io, rc);
			break;
		}
		/*
		 * The client is gone: its reply port died and our right is a dead name. A
		 * failed send leaves the message's contents with us, the pages included.
		 */
		if (mr != MACH_MSG_SUCCESS) {
			mach_port_deallocate(devlib_self, io->reply);
			taken = false;
		}
	}
	/* A read's unsent pages, or a write's out-of-line data. */
	if (!taken && io->size)
		vm_deallocate(devlib_self, io->buf, io->size);
	devlib_io_free(io);
}
