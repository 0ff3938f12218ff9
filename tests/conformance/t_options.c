/* The mach_msg options that involve the notify argument (ABI section 4):
   MACH_SEND_NOTIFY, MACH_SEND_CANCEL and MACH_RCV_NOTIFY. The notify argument is the
   trap's seventh, passed on the stack. */
#include "util.h"

static mach_msg_return_t send_notify(mach_port_t dest, mach_msg_option_t opt, mach_port_t notify)
{
	struct mb m;

	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), dest, MACH_PORT_NULL, 9);
	return mach_msg_trap(&m.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT | opt, m.len, 0,
			     MACH_PORT_NULL, 0, notify);
}

CTEST(opt_send_notify_full_queue)
{
	mach_port_t p = new_port(), n = new_port();
	struct rb r;

	for (unsigned i = 0; i < MACH_PORT_QLIMIT_DEFAULT; i++)
		OK(send_simple(p, MACH_MSG_TYPE_MAKE_SEND, 1));
	/* Full: the message goes in anyway, and a msg-accepted notification is due. */
	CHECK_KR(send_notify(p, MACH_SEND_NOTIFY, n), MACH_SEND_WILL_NOTIFY);
	CHECK_EQ(pstatus(p).mps_msgcount, MACH_PORT_QLIMIT_DEFAULT + 1);
	expect_empty(n);
	while (rb_recv(&r, p, 0, 0) == MACH_MSG_SUCCESS)
		;
	recv_now(n, &r);
	CHECK_EQ(r.h.msgh_id, MACH_NOTIFY_MSG_ACCEPTED);
	CHECK_EQ(r.h.msgh_size, 48);
	CHECK_EQ(r.h.msgh_bits, MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE));
	{
		uint32_t w, num;

		memcpy(&w, r.b + 32, 4);
		memcpy(&num, r.b + 36, 4);
		CHECK_EQ(w, mt_word(MACH_MSG_TYPE_PORT_NAME, 32, MT_INLINE));
		CHECK_EQ(num, 1);
	}
	destroy(p);
	destroy(n);
}

CTEST(opt_send_notify_room_left)
{
	mach_port_t p = new_port(), n = new_port();

	/* With room in the queue the option changes nothing. */
	OK(send_notify(p, MACH_SEND_NOTIFY, n));
	CHECK_EQ(pstatus(p).mps_msgcount, 1);
	expect_empty(n);
	destroy(p);
	destroy(n);
}

CTEST(opt_send_notify_invalid_notify)
{
	mach_port_t p = new_port(), d = new_dead_name();

	for (unsigned i = 0; i < MACH_PORT_QLIMIT_DEFAULT; i++)
		OK(send_simple(p, MACH_MSG_TYPE_MAKE_SEND, 1));
	CHECK_KR(send_notify(p, MACH_SEND_NOTIFY, d), MACH_SEND_INVALID_NOTIFY);
	CHECK_KR(send_notify(p, MACH_SEND_NOTIFY, unused_name()), MACH_SEND_INVALID_NOTIFY);
	CHECK_EQ(pstatus(p).mps_msgcount, MACH_PORT_QLIMIT_DEFAULT);
	destroy(p);
	destroy(d);
}

/* A send right to a peer port with a dead-name request to n; moving its last
   reference away deletes the name. */
static void cancel_case(bool cancel)
{
	mach_port_t pr = MACH_PORT_NULL, s = MACH_PORT_NULL, n = new_port(), prev;
	mach_msg_type_name_t t;
	struct mb m;

	OK(mach_port_allocate(ct_peer, MACH_PORT_RIGHT_RECEIVE, &pr));
	OK(mach_port_extract_right(ct_peer, pr, MACH_MSG_TYPE_MAKE_SEND, &s, &t));
	OK(mach_port_request_notification(ct_task, s, MACH_NOTIFY_DEAD_NAME, 0, n,
					  MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev));
	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0), s, MACH_PORT_NULL, 4);
	OK(mach_msg_trap(&m.h, MACH_SEND_MSG | (cancel ? MACH_SEND_CANCEL : 0), m.len, 0,
			 MACH_PORT_NULL, 0, n));
	CHECK(!name_exists(s));
	if (cancel) {
		expect_empty(n);
		/* The request's send-once right died unused instead. */
		CHECK_EQ(pstatus(n).mps_sorights, 0);
		msg_drain(ct_task, n);
	} else {
		struct rb r;
		uint32_t name;

		recv_now(n, &r);
		CHECK_EQ(r.h.msgh_id, MACH_NOTIFY_PORT_DELETED);
		memcpy(&name, r.b + 40, 4);
		CHECK_EQ(name, s);
	}
	OK(mach_port_destroy(ct_peer, pr));
	destroy(n);
}

CTEST(opt_send_cancel_suppresses_port_deleted)
{
	cancel_case(true);
}

CTEST(opt_send_without_cancel_port_deleted)
{
	cancel_case(false);
}

CTEST(opt_rcv_notify_registers_dead_name)
{
	mach_port_t p = new_port(), q = new_port(), n = new_port(), reply;
	struct mb m;
	struct rb r;
	uint32_t name;

	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE), p, q, 1);
	OK(mb_send(&m, 0, 0));
	CHECK_KR(mach_msg_trap(&r.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_NOTIFY, 0,
			       MB_SIZE, p, 0, n), MACH_MSG_SUCCESS);
	reply = r.h.msgh_remote_port;
	/* The new reply right came with a dead-name request made from n. */
	CHECK_EQ(ptype(reply), MACH_PORT_TYPE_SEND_ONCE | MACH_PORT_TYPE_DNREQUEST);
	destroy(q);
	recv_now(n, &r);
	CHECK_EQ(r.h.msgh_id, MACH_NOTIFY_DEAD_NAME);
	memcpy(&name, r.b + 40, 4);
	CHECK_EQ(name, reply);
	destroy(reply);
	destroy(p);
	destroy(n);
}

CTEST(opt_rcv_invalid_notify)
{
	mach_port_t p = new_port(), q = new_port(), d = new_dead_name();
	struct mb m;
	struct rb r;

	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE), p, q, 1);
	OK(mb_send(&m, 0, 0));
	CHECK_KR(mach_msg_trap(&r.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_NOTIFY, 0,
			       MB_SIZE, p, 0, d), MACH_RCV_INVALID_NOTIFY);
	destroy(p);
	destroy(q);
	destroy(d);
}
