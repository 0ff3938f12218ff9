/*
 * hello: a minimal character device served with lib/device. Device "hello": each
 * open reads "Hello, world!\n" once, then end of data (a read of 0 bytes, D_SUCCESS),
 * as a Mach character device at its end. A write keeps up to HELLO_BUF_MAX bytes
 * (one buffer for the whole device), which the next read by any open returns first.
 * Status flavor HELLO_STATUS: counters (the tests watch closes) and an upper-case switch.
 *   devhello            registers "hello" with bootstrap (the manifest's `server hello devhello`)
 *   devhello MASTER     serves the device master port another task puts at name MASTER
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <device/device_types.h>
#include "device_server.h"
#include "hello.h"

struct hello_open {
	size_t offset;		/* how much of the greeting this open has read */
	bool in_use;
};

static struct hello_open hello_opens[DEVICE_MAX_OPENS];
static char pending[HELLO_BUF_MAX];
static size_t pending_len;
static int opens_now, closes, upper;

static int hello_open(const char *name, dev_mode_t mode, void **cookie)
{
	(void)name, (void)mode;
	for (int i = 0; i < DEVICE_MAX_OPENS; i++)
		if (!hello_opens[i].in_use) {
			hello_opens[i] = (struct hello_open){ .in_use = true };
			*cookie = &hello_opens[i];
			opens_now++;
			return D_SUCCESS;
		}
	return D_NO_MEMORY;
}

static void hello_close(void *cookie)
{
	((struct hello_open *)cookie)->in_use = false;
	opens_now--;
	closes++;
}

/* A character device: recnum means nothing here. Always answers at once (no `io` kept). */
static int hello_read(void *cookie, struct device_io *io, recnum_t recnum, char *buf, size_t *count)
{
	struct hello_open *h = cookie;
	const char *from = HELLO_GREETING + h->offset;
	size_t n = strlen(from);

	(void)io, (void)recnum;
	if (pending_len) {
		from = pending;
		n = pending_len;
	}
	if (n > *count)
		n = *count;
	memcpy(buf, from, n);
	if (from == pending) {
		memmove(pending, pending + n, pending_len - n);
		pending_len -= n;
	} else {
		h->offset += n;
	}
	for (size_t i = 0; upper && i < n; i++)
		if (buf[i] >= 'a' && buf[i] <= 'z')
			buf[i] -= 'a' - 'A';
	*count = n;
	return D_SUCCESS;
}

static int hello_write(void *cookie, struct device_io *io, recnum_t recnum, const char *buf, size_t count,
		       size_t *written)
{
	(void)cookie, (void)io, (void)recnum;
	if (count > HELLO_BUF_MAX - pending_len)
		return D_INVALID_SIZE;
	memcpy(pending + pending_len, buf, count);
	pending_len += count;
	*written = count;
	return D_SUCCESS;
}

static int hello_get_status(void *cookie, dev_flavor_t flavor, int *status, size_t *count)
{
	(void)cookie;
	if (flavor != HELLO_STATUS)
		return D_INVALID_OPERATION;
	if (*count < HELLO_STATUS_COUNT)
		return D_INVALID_SIZE;
	status[0] = opens_now;
	status[1] = closes;
	status[2] = (int)pending_len;
	status[3] = upper;
	*count = HELLO_STATUS_COUNT;
	return D_SUCCESS;
}

static int hello_set_status(void *cookie, dev_flavor_t flavor, const int *status, size_t count)
{
	(void)cookie;
	if (flavor != HELLO_STATUS)
		return D_INVALID_OPERATION;
	if (count != 1)
		return D_INVALID_SIZE;
	upper = status[0] != 0;
	return D_SUCCESS;
}

static const char *const hello_names[] = { "hello", NULL };

static const struct device_ops hello_ops = {
	.names = hello_names,
	.open = hello_open,
	.close = hello_close,
	.read = hello_read,
	.write = hello_write,
	.get_status = hello_get_status,
	.set_status = hello_set_status,
};

int main(int argc, char **argv)
{
	if (argc > 1)
		return device_server_run(&hello_ops, (mach_port_t)strtol(argv[1], NULL, 0));
	return device_server_main(&hello_ops, "hello");
}
