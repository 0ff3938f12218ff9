/* Helpers for in-guest device clients (see device_test.h). */
#include <stdio.h>
#include <string.h>
#include "device_test.h"
#include "mach_test.h"

#define OPEN_POLL_MS	10

kern_return_t test_device_open(mach_port_t master, dev_mode_t mode, const char *name, mach_port_t *dev,
			       unsigned wait_ms)
{
	kern_return_t kr;

	for (unsigned waited = 0;; waited += OPEN_POLL_MS) {
		kr = device_open(master, mode, name, dev);
		if (kr == D_SUCCESS || waited >= wait_ms)
			return kr;
		test_pause_ms(OPEN_POLL_MS);
	}
}

bool test_read_is(mach_port_t dev, const char *want)
{
	char buf[IO_INBAND_MAX] = { 0 };
	mach_msg_type_number_t n = sizeof(buf);	/* in: room, out: bytes read */
	kern_return_t kr = device_read_inband(dev, 0, 0, sizeof(buf), buf, &n);

	if (kr != D_SUCCESS || n != strlen(want) || memcmp(buf, want, n) != 0) {
		printf("read 0x%x, %u bytes, wanted \"%s\"\n", kr, n, want);
		return false;
	}
	return true;
}
