/*
 * bstdev: bootstrap.scn's device server on lib/device, started by bootstrap from the
 * manifest. It registers the name "NAME-svc", reports ready, registers device NAME
 * (device_open forwarded by bootstrap reaches it) and serves it: each open reads
 * "NAME\n" once, then end of data; everything else is the library's answer.
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
#include <mach/task_special_ports.h>
#include "device_server.h"

static char text[64];
static const char *names[2];
/* Per open, what its reads give next; NULL: a free slot. */
static const char *unread[DEVICE_MAX_OPENS];

static int bst_open(const char *name, dev_mode_t mode, void **cookie)
{
	(void)name, (void)mode;
	for (int i = 0; i < DEVICE_MAX_OPENS; i++)
		if (unread[i] == NULL) {
			unread[i] = text;
			*cookie = &unread[i];
			return D_SUCCESS;
		}
	return D_NO_MEMORY;
}

static void bst_close(void *cookie)
{
	*(const char **)cookie = NULL;
}

static int bst_read(void *cookie, struct device_io *io, recnum_t recnum, char *buf, size_t *count)
{
	const char **at = cookie;
	size_t n = strlen(*at) < *count ? strlen(*at) : *count;

	(void)io, (void)recnum;
	memcpy(buf, *at, n);
	*at += n;
	*count = n;
	return D_SUCCESS;
}

static const struct device_ops ops = {
	.names = names,
	.open = bst_open,
	.close = bst_close,
	.read = bst_read,
};

int main(int argc, char **argv)
{
	mach_port_t self = mach_task_self(), boot, master, idle;
	char svc[sizeof(bootstrap_name_t)], status[sizeof(bootstrap_status_t)];
	kern_return_t kr;

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
	snprintf(svc, sizeof(svc), "%s-svc", argv[1]);
	names[0] = argv[1];
	if (mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &master) != KERN_SUCCESS ||
	    mach_port_insert_right(self, master, master, MACH_MSG_TYPE_MAKE_SEND) != KERN_SUCCESS)
		return 1;
	/*
	 * Not device_server_main, which registers the device before the status line: here
	 * the device goes in after it, so a client that can open it knows the line is out
	 * (bootstrap.scn expects it again before the reopen that follows a restart).
	 */
	kr = bootstrap_register(boot, svc, master);
	snprintf(status, sizeof(status), kr == KERN_SUCCESS ? "serving %s" : "cannot register %s", argv[1]);
	bootstrap_ready(boot, status);
	if (kr == KERN_SUCCESS)
		bootstrap_device_register(boot, argv[1], master);
	kr = device_server_run(&ops, master);
	printf("bstdev: %s: cannot serve: 0x%x\n", argv[1], kr);
	return 1;
}
