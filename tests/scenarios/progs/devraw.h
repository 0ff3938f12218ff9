/*
 * device.defs requests made by hand, for scenario clients (devlibclient, serialclient):
 * a read or write sent without waiting, so that one thread can do something else (a
 * write, a status change) before it takes the reply. (Malformed requests: lib/test's
 * test_raw_request.) Layouts: header, then typed items (a type word and count, 8 bytes,
 * then the data padded to 8).
 */
#ifndef _DEVRAW_H
#define _DEVRAW_H

#include <stdint.h>
#include <string.h>
#include <device/device_types.h>
#include <mach/mach_interface.h>
#include <mach/message.h>
#include <mach/mig_errors.h>

#define DEV_WRITE_INBAND	2803
#define DEV_READ		2804
#define DEV_READ_INBAND		2805
#define DEV_GET_STATUS		2811

struct devraw_msg {
	union {
		mach_msg_header_t h;
		mig_reply_header_t rep;
		uint8_t b[512];
	};
	uint32_t len;
};

static inline void devraw_put_item(struct devraw_msg *m, int name, int bits, const void *data, uint32_t number)
{
	mach_msg_type_t t = { .msgt_name = name, .msgt_size = bits, .msgt_inline = 1, .msgt_number = number };
	uint32_t bytes = number * (bits / 8);

	memcpy(m->b + m->len, &t, 8);
	memcpy(m->b + m->len + 8, data, bytes);
	m->len += 8 + ((bytes + 7) & ~7u);
}

/* Sends a read (inband or not, `wanted` bytes) or an inband write of `data` on dev, reply to `reply`. */
static inline kern_return_t devraw_send(mach_port_t dev, mach_msg_id_t id, mach_port_t reply, dev_mode_t mode,
					recnum_t recnum, int wanted, const char *data)
{
	struct devraw_msg m = { .len = sizeof(mach_msg_header_t) };

	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.h.msgh_remote_port = dev;
	m.h.msgh_local_port = reply;
	m.h.msgh_id = id;
	devraw_put_item(&m, MACH_MSG_TYPE_INTEGER_32, 32, &mode, 1);
	devraw_put_item(&m, MACH_MSG_TYPE_INTEGER_64, 64, &recnum, 1);
	if (id == DEV_WRITE_INBAND)
		devraw_put_item(&m, MACH_MSG_TYPE_CHAR, 8, data, (uint32_t)strlen(data));
	else
		devraw_put_item(&m, MACH_MSG_TYPE_INTEGER_32, 32, &wanted, 1);
	m.h.msgh_size = m.len;
	return mach_msg(&m.h, MACH_SEND_MSG, m.len, 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

/*
 * The reply to request `id` on `reply`, within 5 s: its return code (-1: none came), and
 * the bytes read into data (or, for a write, the count written) in *count.
 */
static inline int devraw_reply(mach_port_t reply, mach_msg_id_t id, char *data, uint32_t *count)
{
	struct devraw_msg m = { 0 };
	uint32_t number;
	int32_t rc;
	uint64_t addr;

	*count = 0;
	if (mach_msg(&m.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m.b), reply, 5000, MACH_PORT_NULL) !=
	    MACH_MSG_SUCCESS || m.h.msgh_id != id + 100)
		return -1;
	rc = m.rep.RetCode;
	if (rc != D_SUCCESS || m.h.msgh_size <= sizeof(mig_reply_header_t))
		return rc;
	memcpy(&number, m.b + 52, 4);
	if (id == DEV_READ) {	/* out of line: a pointer to pages now ours */
		memcpy(&addr, m.b + 56, 8);
		memcpy(data, (void *)addr, number);
		vm_deallocate(mach_task_self(), addr, number);
	} else if (id == DEV_READ_INBAND) {
		memcpy(data, m.b + 56, number);
	} else {
		memcpy(&number, m.b + 56, 4);	/* bytes_written */
	}
	*count = number;
	return rc;
}

#endif
