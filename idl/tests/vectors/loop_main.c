/* Round trips in one process: each case's user stub call goes through the
   loopback kernel to our server demux and back; the server functions check
   the arguments, the driver checks the outs and the return code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mach/mig_support.h>

#include "harness.h"
#include "loopback.h"
#include "server_cases.h"
#include "user_cases.h"

static int served, sends;

void hserved(void)
{
	served++;
}

mach_port_t mig_get_reply_port(void) { return REPLY_PORT; }
void mig_put_reply_port(mach_port_t port) { EXPECT_EQ(port, REPLY_PORT); }
void mig_dealloc_reply_port(mach_port_t port) { EXPECT_EQ(port, REPLY_PORT); }

void mig_allocate(vm_address_t *addr, vm_size_t size)
{
	*addr = (vm_address_t)calloc(1, size ? size : 1);
}

void mig_deallocate(vm_address_t addr, vm_size_t size)
{
	free((void *)addr);
}

/* The sender's memory is often static in these tests: only note it. */
void loopback_sender_dealloc(void *addr, unsigned long size)
{
}

mach_msg_return_t mach_msg(mach_msg_header_t *msg, mach_msg_option_t option,
			   mach_msg_size_t send_size, mach_msg_size_t rcv_size,
			   mach_port_t rcv_name, mach_msg_timeout_t timeout, mach_port_t notify)
{
	static uint64_t in[4096], out[4096];
	mach_msg_header_t *reply = (mach_msg_header_t *)out;
	int rc;

	sends++;
	hsent_size = send_size < sizeof hsent ? send_size : sizeof hsent;
	memcpy(hsent, msg, hsent_size);
	rc = loopback_transfer(msg, send_size, in, 42);
	if (rc)
		return rc;
	server_demux((mach_msg_header_t *)in, reply);
	if (!(option & MACH_RCV_MSG))
		return MACH_MSG_SUCCESS;	/* a one-way message: the reply is dropped */
	if (reply->msgh_size > rcv_size)
		return MACH_RCV_TOO_LARGE;
	return loopback_transfer(reply, reply->msgh_size, msg, 0);
}

/* Negative vectors alter messages in flight; the loopback does not. */
static bool runnable(const struct vfile *f, const struct vcase *c)
{
	size_t n = strlen(iface);

	return !f->negative && c->call && !(strncmp(c->call, iface, n) == 0 && !strncmp(c->call + n, "_server(", 8));
}

static void run(const struct vfile *f, const struct vcase *c)
{
	const char *file = strrchr(f->path, '/') + 1;
	const struct ucase *u;
	kern_return_t kr;

	for (u = ucases; u->file; u++)
		if (!strcmp(u->file, file) && !strcmp(u->name, c->name))
			break;
	if (!u->file) {
		hfail("no driver for this case");
		return;
	}
	served = sends = 0;
	kr = u->call();
	if (c->has_user_return)
		EXPECT_EQ((uint32_t)kr, c->user_return);
	EXPECT_EQ(served, sends);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 2) {
		fprintf(stderr, "usage: %s MIG_VECTORS_DIR\n", argv[0]);
		return 2;
	}
	return hrun_all(argv[1], runnable, run);
}
