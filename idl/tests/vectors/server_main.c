/* Server side of the vector checker: feed each delivered request to our
   demux (twice, with different don't-care bytes) and compare the reply. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mach/mig_support.h>

#include "harness.h"
#include "server_cases.h"

static int served;

void hserved(void)
{
	served++;
}

void mig_deallocate(vm_address_t addr, vm_size_t size)
{
	hevent("mig_deallocate size=%lu", (unsigned long)size);
	free((void *)addr);
}

void mig_allocate(vm_address_t *addr, vm_size_t size)
{
	*addr = (vm_address_t)calloc(1, size ? size : 1);
}

static bool server_event(const char *e)
{
	return !strncmp(e, "mig_deallocate", 14) || !strncmp(e, "intran ", 7)
		|| !strncmp(e, "outtran ", 8) || !strncmp(e, "destructor ", 11)
		|| !strncmp(e, "demux returned", 14);
}

static bool runnable(const struct vfile *f, const struct vcase *c)
{
	return c->msg[MSG_REQUEST_DELIVERED].present;
}

static void run_once(const struct vcase *c, unsigned char fill, bool events)
{
	static uint64_t in[4096], out[4096];
	const struct vmsg *req = &c->msg[MSG_REQUEST_DELIVERED], *rep = &c->msg[MSG_REPLY];
	mach_msg_header_t *outh = (mach_msg_header_t *)out;
	boolean_t ok;
	int32_t retcode = 0;

	hbuild(req, (unsigned char *)in, fill);
	if (hfile->reference_bug)
		server_reference_request(c, (unsigned char *)in);
	memset(out, fill ^ 0xff, sizeof out);
	served = 0;
	hevents_reset();
	ok = server_demux((mach_msg_header_t *)in, outh);
	hevent("demux returned %s", ok ? "TRUE" : "FALSE");
	if (events)
		hevents_check(server_event);
	if (rep->present) {
		hcompare("reply", rep, (const unsigned char *)out, outh->msgh_size);
		memcpy(&retcode, rep->val + 40, 4);
	}
	EXPECT_EQ(served, ok && retcode != MIG_BAD_ARGUMENTS ? 1 : 0);
}

static void run(const struct vfile *f, const struct vcase *c)
{
	run_once(c, 0x5a, true);
	run_once(c, 0xa5, false);
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
