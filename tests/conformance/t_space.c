/* Name-space exhaustion: a full space fails with the ABI's errors (KERN_NO_SPACE,
   a null reply port, MACH_RCV_BODY_ERROR|MACH_MSG_IPC_SPACE) and gives everything back. */
#include "util.h"

#define CHUNK		1024		/* send-once rights per bulk message */
#define MAX_CHUNKS	64
#define MAX_EXTRA	4096

CTEST(space_exhaustion)
{
	static void *chunk[MAX_CHUNKS];
	static uint32_t chunk_n[MAX_CHUNKS];
	static mach_port_t extra[MAX_EXTRA];
	mach_port_t p = new_port(), q = new_port(), p2 = new_port(), n;
	mach_port_t *arr = pages_alloc(PAGE_SIZE);
	unsigned nchunks = 0, nextra = 0;
	struct mb m;
	struct rb r;
	struct item it;
	uint32_t off;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	kern_return_t kr;

	for (int i = 0; i < CHUNK; i++)
		arr[i] = q;
	/* Waiting on p2: a message whose right will need a name when received. */
	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p2, MACH_PORT_NULL, 7);
	mb_port(&m, MACH_MSG_TYPE_MAKE_SEND_ONCE, q);
	OK(mb_send(&m, 0, 0));

	/* Fill the space quickly: each received send-once right takes a name of its own. */
	while (mr == MACH_MSG_SUCCESS && nchunks < MAX_CHUNKS) {
		mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND_ONCE, 0), p, MACH_PORT_NULL, 1);
		mb_ool_ports(&m, MACH_MSG_TYPE_MAKE_SEND_ONCE, arr, CHUNK, false);
		OK(mb_send(&m, 0, 0));
		mr = rb_recv(&r, p, 0, 0);
		if (mr != MACH_MSG_SUCCESS)
			CHECK_KR(mr, MACH_RCV_BODY_ERROR | MACH_MSG_IPC_SPACE);
		off = sizeof(r.h);
		CHECK(msg_next_item(&r.h, &off, &it));
		CHECK_EQ(it.number, CHUNK);
		chunk[nchunks] = it.addr;
		chunk_n[nchunks++] = it.number;
	}
	/* Then to the last name, with names the kernel chooses. */
	for (;;) {
		kr = mach_port_allocate(ct_task, MACH_PORT_RIGHT_DEAD_NAME, &n);
		if (kr == KERN_NO_SPACE)
			break;
		OK(kr);
		if (nextra == MAX_EXTRA)
			ct_fail(__FILE__, __LINE__, "no KERN_NO_SPACE after %u names",
				nchunks * CHUNK + nextra);
		extra[nextra++] = n;
	}

	/* Full: every way of making a name fails. */
	CHECK_KR(mach_port_allocate(ct_task, MACH_PORT_RIGHT_RECEIVE, &n), KERN_NO_SPACE);
	CHECK_KR(mach_port_allocate(ct_task, MACH_PORT_RIGHT_PORT_SET, &n), KERN_NO_SPACE);
	CHECK_KR(mach_port_allocate(ct_task, MACH_PORT_RIGHT_DEAD_NAME, &n), KERN_NO_SPACE);
	CHECK_EQ(mach_reply_port(), MACH_PORT_NULL);
	/* A right arriving in a body: destroyed, its slot null, the error says why. */
	CHECK_KR(rb_recv(&r, p2, 0, 0), MACH_RCV_BODY_ERROR | MACH_MSG_IPC_SPACE);
	CHECK_EQ(r.h.msgh_id, 7);
	off = sizeof(r.h);
	CHECK(msg_next_item(&r.h, &off, &it));
	CHECK_EQ(item_port(&it, 0), MACH_PORT_NULL);
	/* Rights that do not need a new name still work. */
	OK(send_simple(p2, MACH_MSG_TYPE_MAKE_SEND, 8));
	recv_now(p2, &r);

	/* Give everything back. The bulk names leave in messages that die with p. */
	for (unsigned i = 0; i < nextra; i++)
		destroy(extra[i]);
	for (unsigned c = 0; c < nchunks; c++) {
		mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND_ONCE, 0), p, MACH_PORT_NULL, 2);
		mb_ool_ports(&m, MACH_MSG_TYPE_MOVE_SEND_ONCE, chunk[c], chunk_n[c], true);
		OK(mb_send(&m, 0, 0));
	}
	destroy(p);
	destroy(q);
	destroy(p2);
	pages_free(arr, PAGE_SIZE);
	/* Room again. */
	n = new_port();
	destroy(n);
}
