/*
 * Helpers for in-guest device clients (device.defs through libmach's user stubs): opening
 * a device that a server registers a little later, and reading a known text. A program
 * that uses them links $(DEVICE_CLIENT_OBJS) (this file's object and the user stubs).
 */
#ifndef _DEVICE_TEST_H
#define _DEVICE_TEST_H

#include <stdbool.h>
#include <device/device.h>

/*
 * device_open of `name` through `master`, tried again every 10 ms for up to wait_ms while
 * it fails: a server registers its devices only after it started (or bootstrap restarted
 * it). The last result; 0 ms: one try.
 */
kern_return_t test_device_open(mach_port_t master, dev_mode_t mode, const char *name, mach_port_t *dev,
			       unsigned wait_ms);
/* An inband read of dev at 0 gives exactly `want`; otherwise prints what came, false. */
bool test_read_is(mach_port_t dev, const char *want);

#endif
