/*
 * lib/device's internals, shared by its files (a driver includes device_server.h only).
 * One thread runs everything, so none of this state needs a lock.
 */
#ifndef _DEVICE_LIB_H
#define _DEVICE_LIB_H

#include <stdbool.h>
#include <mach/message.h>
#include <device/device_types.h>
#include "device_server.h"

/* The driver's table, the task, and the port set every port we serve is in. */
extern const struct device_ops *devlib_ops;
extern mach_port_t devlib_self, devlib_port_set;

/* Makes the port set once (the first of device_irq_attach and the loop to run). */
kern_return_t devlib_init(void);

#define DEVLIB_PAGE		4096ul
#define devlib_round_page(x)	(((x) + DEVLIB_PAGE - 1) & ~(DEVLIB_PAGE - 1))

/* Opens (device_requests.c): the master port whose opens we answer, ending an open. */
void devlib_set_master(mach_port_t master);
/* Runs the driver's close and destroys the open's port; false if `port` is no open. */
bool devlib_open_end(mach_port_t port);
/* The open whose device_open reply the loop is sending, if any. */
extern mach_port_t devlib_just_opened;

/* Request ids of device.defs that may be answered later (replies: id + 100). */
#define DEVLIB_WRITE		2802
#define DEVLIB_WRITE_INBAND	2803
#define DEVLIB_READ		2804
#define DEVLIB_READ_INBAND	2805

/* A read or write between the request and its reply. */
struct device_io {
	bool in_use;
	mach_msg_id_t id;		/* DEVLIB_* */
	mach_port_t reply;		/* the client's reply right; MACH_PORT_NULL: none */
	mach_msg_type_name_t reply_type;
	dev_mode_t mode;
	vm_address_t buf;		/* read: our pages; write: the request's out-of-line data */
	vm_size_t size;			/* bytes at buf */
	char inband[IO_INBAND_MAX];	/* the buffer of the inband forms */
};

/* A free io for request `id`, or NULL when all are in flight. */
struct device_io *devlib_io_alloc(mach_msg_id_t id, mach_port_t reply, mach_msg_type_name_t reply_type,
				  dev_mode_t mode);
/* Back to the pool; what it holds (pages, the reply right) is already settled. */
void devlib_io_free(struct device_io *io);

/* An interrupt notification for an attached line: runs the hook, acks. False: not one. */
bool devlib_irq_dispatch(mach_msg_header_t *m);

#endif
