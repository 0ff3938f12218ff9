/* libmach itself: the MIG support routines and the mach_msg wrapper. */
#include <mach/mig_support.h>
#include "util.h"

CTEST(lib_mig_reply_port_cached)
{
	mach_port_t a = mig_get_reply_port(), b = mig_get_reply_port();
	mach_port_type_t t;

	CHECK(MACH_PORT_VALID(a));
	CHECK_EQ(a, b);
	OK(mach_port_type(ct_task, ct_task, &t));	/* an RPC keeps it too */
	CHECK_EQ(mig_get_reply_port(), a);
	mig_put_reply_port(a);
	CHECK_EQ(mig_get_reply_port(), a);
	CHECK_EQ(ptype(a), MACH_PORT_TYPE_RECEIVE);
}

CTEST(lib_mig_dealloc_reply_port)
{
	mach_port_t a = mig_get_reply_port(), b;
	mach_port_type_t t;

	mig_dealloc_reply_port(a);
	CHECK(!name_exists(a));
	b = mig_get_reply_port();
	CHECK(MACH_PORT_VALID(b));
	CHECK_EQ(ptype(b), MACH_PORT_TYPE_RECEIVE);
	OK(mach_port_type(ct_task, ct_task, &t));
	CHECK_EQ(mig_get_reply_port(), b);
}

CTEST(lib_mig_allocate)
{
	vm_address_t a = 0;
	char *p;

	mig_allocate(&a, 3 * PAGE_SIZE);
	CHECK(a != 0);
	CHECK_EQ(a % PAGE_SIZE, 0);
	p = (char *)a;
	for (size_t i = 0; i < 3 * PAGE_SIZE; i += PAGE_SIZE)
		CHECK_EQ(p[i], 0);	/* fresh memory is zero */
	memset(p, 0x11, 3 * PAGE_SIZE);
	mig_deallocate(a, 3 * PAGE_SIZE);
	mig_deallocate(0, PAGE_SIZE);	/* nothing to do */
}

CTEST(lib_mig_strncpy)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	CHECK_EQ(mig_strncpy(buf, "abc", sizeof(buf)), 3);
	CHECK(strcmp(buf, "abc") == 0);
	CHECK_EQ(mig_strncpy(buf, "abcdefghijk", sizeof(buf)), 7);
	CHECK(strcmp(buf, "abcdefg") == 0);
	CHECK_EQ(mig_strncpy(buf, "", sizeof(buf)), 0);
	CHECK_EQ(buf[0], 0);
	buf[0] = 'q';
	CHECK_EQ(mig_strncpy(buf, "abc", 0), 0);
	CHECK_EQ(buf[0], 'q');
}

CTEST(lib_mach_msg_passes_errors)
{
	mach_port_t p = new_port();
	struct mb m;

	/* The wrapper returns what the trap said when there is nothing to retry. */
	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, MACH_PORT_NULL, 1);
	CHECK_KR(mach_msg(&m.h, MACH_SEND_MSG, m.len, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
		 MACH_SEND_INVALID_DEST);
	CHECK_KR(mach_msg(&m.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m.b), p, 0,
			  MACH_PORT_NULL), MACH_RCV_TIMED_OUT);
	destroy(p);
}
