/*
 * The device-server library: a driver fills in a table of callbacks and calls
 * device_server_run, which serves Mach's device.defs for it (docs/writing-a-device-server.md).
 */
#ifndef _DEVICE_SERVER_H
#define _DEVICE_SERVER_H

#include <stddef.h>
#include <mach/port.h>
#include <mach/message.h>
#include <device/device_types.h>

/*
 * Every callback runs in the server's one thread, one request at a time. `cookie` is
 * what open stored for this open; the library passes it back and never looks at it.
 * Return D_SUCCESS or a D_* code, which goes to the client as the reply's return code.
 * A NULL callback answers D_INVALID_OPERATION (close: nothing to do).
 */
struct device_ops {
	const char *name;	/* the one name device_open accepts */
	int (*open)(dev_mode_t mode, void **cookie);
	void (*close)(void *cookie);	/* by device_close or when the last client right dies */
	/* In: *count bytes wanted (at most the buffer); out: bytes given, 0 at end of data. */
	int (*read)(void *cookie, recnum_t recnum, char *buf, size_t *count);
	int (*write)(void *cookie, recnum_t recnum, const char *buf, size_t count, size_t *written);
	/* In: *count words of room (DEV_STATUS_MAX); out: words given. */
	int (*get_status)(void *cookie, dev_flavor_t flavor, int *status, size_t *count);
	int (*set_status)(void *cookie, dev_flavor_t flavor, const int *status, size_t count);
	void (*interrupt)(void *cookie);	/* reserved: interrupts as messages come later */
};

/* The most opens at once; device_open answers D_NO_MEMORY past it. */
#define DEVICE_MAX_OPENS	64
/* The most bytes one out-of-line device_read returns. */
#define DEVICE_READ_MAX		65536

/*
 * Serves `ops` forever on `master` (the device master port: device_open and
 * device_open_new). Until bootstrap exists, `master` is a name another task puts a
 * receive right at (the boot script passes it our task port); the library waits for it.
 * Returns only if the server cannot go on (a failed receive), with that error.
 */
kern_return_t device_server_run(const struct device_ops *ops, mach_port_t master);

#endif
