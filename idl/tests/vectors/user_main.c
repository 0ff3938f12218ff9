/* User side of the vector checker: a fake mach_msg compares what our user
   stub sends with the vector's request and hands back its delivered reply. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mach/mig_support.h>

#include "harness.h"
#include "user_cases.h"

static int mach_msg_calls;

mach_port_t mig_get_reply_port(void)
{
	hevent("mig_get_reply_port");
	return REPLY_PORT;
}

void mig_put_reply_port(mach_port_t port)
{
	hevent("mig_put_reply_port");
	EXPECT_EQ(port, REPLY_PORT);
}

void mig_dealloc_reply_port(mach_port_t port)
{
	hevent("mig_dealloc_reply_port");
	EXPECT_EQ(port, REPLY_PORT);
}

void mig_allocate(vm_address_t *addr, vm_size_t size)
{
	hevent("mig_allocate size=%lu", (unsigned long)size);
	*addr = (vm_address_t)calloc(1, size ? size : 1);
}

void mig_deallocate(vm_address_t addr, vm_size_t size)
{
	hevent("mig_deallocate size=%lu", (unsigned long)size);
	free((void *)addr);
}

mach_msg_return_t mach_msg(mach_msg_header_t *msg, mach_msg_option_t option,
			   mach_msg_size_t send_size, mach_msg_size_t rcv_size,
			   mach_port_t rcv_name, mach_msg_timeout_t timeout, mach_port_t notify)
{
	const struct vmsg *req = &hcase->msg[MSG_REQUEST], *rep = &hcase->msg[MSG_REPLY_DELIVERED];

	hevent("mach_msg");
	mach_msg_calls++;
	if (!req->present) {
		hfail("mach_msg called, but the vector sends nothing");
		return MACH_SEND_INVALID_DEST;
	}
	if (req->has_mach_msg) {
		EXPECT_EQ(option, req->option);
		EXPECT_EQ(send_size, req->send_size);
		EXPECT_EQ(rcv_size, req->rcv_size);
		EXPECT_EQ(timeout, req->timeout);
		EXPECT_EQ(notify, req->notify);
		if (option & MACH_RCV_MSG)
			EXPECT_EQ(rcv_name, req->rcv_name);
	}
	if (hfile->reference_bug) {
		hsent_size = send_size < sizeof hsent ? send_size : sizeof hsent;
		memcpy(hsent, msg, hsent_size);
	} else {
		hcompare("request", req, (const unsigned char *)msg, send_size);
	}
	if (!(option & MACH_RCV_MSG))
		return MACH_MSG_SUCCESS;
	if (!rep->present) {
		hfail("the stub waits for a reply the vector does not deliver");
		return MACH_RCV_TIMED_OUT;
	}
	if (rep->size > rcv_size)
		hfail("the delivered reply (%u bytes) exceeds rcv_size %u", rep->size, rcv_size);
	else
		hbuild(rep, (unsigned char *)msg, 0xa5);
	return MACH_MSG_SUCCESS;
}

static bool user_event(const char *e)
{
	return !strncmp(e, "mig_get_reply_port", 18) || !strncmp(e, "mig_put_reply_port", 18)
		|| !strncmp(e, "mig_dealloc_reply_port", 22) || !strncmp(e, "mig_allocate", 12)
		|| !strcmp(e, "mach_msg");
}

/* Cases that call the demux directly have nothing for a user stub. */
static bool runnable(const struct vfile *f, const struct vcase *c)
{
	size_t n = strlen(iface);

	return c->call && !(strncmp(c->call, iface, n) == 0 && !strncmp(c->call + n, "_server(", 8));
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
		hfail("no user-side driver for this case");
		return;
	}
	mach_msg_calls = 0;
	kr = u->call();
	if (c->has_user_return)
		EXPECT_EQ((uint32_t)kr, c->user_return);
	EXPECT_EQ(mach_msg_calls, c->msg[MSG_REQUEST].present ? 1 : 0);
	hevents_check(user_event);
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
