/* mach_msg: header dispositions, sizes, send and receive errors (ABI sections 3-4). */
#include "util.h"

/* Sends a header-only message with the given bits and ports; returns the result. */
static mach_msg_return_t send_hdr(mach_msg_bits_t bits, mach_port_t remote, mach_port_t local)
{
	struct mb m;

	mb_init(&m, bits, remote, local, 1);
	return mb_send(&m, MACH_SEND_TIMEOUT, 0);
}

CTEST(msg_no_options)
{
	CHECK_KR(mach_msg_trap(NULL, 0, 0, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	CHECK_KR(mach_msg(NULL, MACH_MSG_OPTION_NONE, 0, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
		 MACH_MSG_SUCCESS);
}

CTEST(msg_inline_round_trip)
{
	mach_port_t p = new_port();
	struct mb m;
	struct rb r;
	char data[200];

	for (unsigned i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 7 + 3);
	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, MACH_PORT_NULL, 1234);
	mb_bytes(&m, data, sizeof(data));
	OK(mb_send(&m, 0, 0));
	memset(r.b, 0x5a, 300);
	recv_now(p, &r);
	CHECK_EQ(r.h.msgh_size, 32 + sizeof(data));
	CHECK_EQ(r.h.msgh_id, 1234);
	CHECK_EQ(r.h.msgh_bits, MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND));
	CHECK_EQ(r.h.msgh_local_port, p);
	CHECK_EQ(r.h.msgh_remote_port, MACH_PORT_NULL);
	CHECK(memcmp(r.b + 32, data, sizeof(data)) == 0);
	/* The upper halves of the port slots are written as 0. */
	CHECK_EQ(r.h.msgh_remote_port_slot >> 32, 0);
	destroy(p);
}

CTEST(msg_lib_mach_msg_send_receive)
{
	mach_port_t p = new_port();
	struct mb m;

	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, MACH_PORT_NULL, 99);
	mb_int32(&m, 31337);
	OK(mach_msg(&m.h, MACH_SEND_MSG, m.len, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL));
	memset(m.b, 0, 64);
	OK(mach_msg(&m.h, MACH_RCV_MSG, 0, sizeof(m.b), p, 0, MACH_PORT_NULL));
	CHECK_EQ(m.h.msgh_id, 99);
	CHECK_EQ(m.h.msgh_size, 48);
	destroy(p);
}

CTEST(msg_combined_send_receive)
{
	mach_port_t p = new_port();
	struct mb m;

	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE), p, p, 5);
	OK(mach_msg_trap(&m.h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, m.len,
			 sizeof(m.b), p, 0, MACH_PORT_NULL));
	CHECK_EQ(m.h.msgh_id, 5);
	CHECK_EQ(MACH_MSGH_BITS_REMOTE(m.h.msgh_bits), MACH_MSG_TYPE_PORT_SEND_ONCE);
	CHECK_EQ(ptype(m.h.msgh_remote_port), MACH_PORT_TYPE_SEND_ONCE);
	destroy(m.h.msgh_remote_port);
	destroy(p);
}

CTEST(msg_dest_make_send)
{
	mach_port_t p = new_port();
	struct rb r;

	OK(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, MACH_PORT_NULL));
	CHECK_EQ(ptype(p), MACH_PORT_TYPE_RECEIVE);
	CHECK_EQ(pstatus(p).mps_mscount, 1);
	recv_now(p, &r);
	CHECK_EQ(MACH_MSGH_BITS_LOCAL(r.h.msgh_bits), MACH_MSG_TYPE_PORT_SEND);
	CHECK_EQ(r.h.msgh_local_port, p);
	/* The destination right went away with the message. */
	CHECK_EQ(pstatus(p).mps_srights, 0);
	destroy(p);
}

CTEST(msg_dest_copy_send)
{
	mach_port_t p = new_port_send();
	struct rb r;

	OK(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, MACH_PORT_NULL));
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_SEND), 1);
	recv_now(p, &r);
	CHECK_EQ(MACH_MSGH_BITS_LOCAL(r.h.msgh_bits), MACH_MSG_TYPE_PORT_SEND);
	destroy(p);
}

CTEST(msg_dest_move_send)
{
	mach_port_t p = new_port_send();
	struct rb r;

	OK(mach_port_mod_refs(ct_task, p, MACH_PORT_RIGHT_SEND, 1));
	OK(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0), p, MACH_PORT_NULL));
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_SEND), 1);
	OK(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0), p, MACH_PORT_NULL));
	CHECK_EQ(ptype(p), MACH_PORT_TYPE_RECEIVE);
	recv_now(p, &r);
	CHECK_EQ(MACH_MSGH_BITS_LOCAL(r.h.msgh_bits), MACH_MSG_TYPE_PORT_SEND);
	destroy(p);
}

CTEST(msg_dest_make_send_once)
{
	mach_port_t p = new_port();
	struct rb r;

	OK(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND_ONCE, 0), p, MACH_PORT_NULL));
	CHECK_EQ(pstatus(p).mps_mscount, 0);
	recv_now(p, &r);
	CHECK_EQ(MACH_MSGH_BITS_LOCAL(r.h.msgh_bits), MACH_MSG_TYPE_PORT_SEND_ONCE);
	CHECK_EQ(r.h.msgh_local_port, p);
	CHECK_EQ(pstatus(p).mps_sorights, 0);
	destroy(p);
}

CTEST(msg_dest_move_send_once)
{
	mach_port_t p = new_port(), so = make_send_once(p);
	struct rb r;

	OK(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0), so, MACH_PORT_NULL));
	CHECK(!name_exists(so));
	recv_now(p, &r);
	CHECK_EQ(MACH_MSGH_BITS_LOCAL(r.h.msgh_bits), MACH_MSG_TYPE_PORT_SEND_ONCE);
	CHECK_EQ(r.h.msgh_local_port, p);
	destroy(p);
}

CTEST(msg_dest_missing_right)
{
	mach_port_t p = new_port(), so;
	mach_port_t peer_rcv = MACH_PORT_NULL, snd = MACH_PORT_NULL;
	mach_msg_type_name_t t;

	/* Receive right only: no send right to copy or move. */
	CHECK_KR(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, MACH_PORT_NULL),
		 MACH_SEND_INVALID_DEST);
	CHECK_KR(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0), p, MACH_PORT_NULL),
		 MACH_SEND_INVALID_DEST);
	CHECK_KR(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0), p, MACH_PORT_NULL),
		 MACH_SEND_INVALID_DEST);
	/* A send right only (the receive right is the peer's): nothing to make from. */
	OK(mach_port_allocate(ct_peer, MACH_PORT_RIGHT_RECEIVE, &peer_rcv));
	OK(mach_port_extract_right(ct_peer, peer_rcv, MACH_MSG_TYPE_MAKE_SEND, &snd, &t));
	CHECK_KR(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), snd, MACH_PORT_NULL),
		 MACH_SEND_INVALID_DEST);
	CHECK_KR(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND_ONCE, 0), snd, MACH_PORT_NULL),
		 MACH_SEND_INVALID_DEST);
	so = make_send_once(p);
	CHECK_KR(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), so, MACH_PORT_NULL),
		 MACH_SEND_INVALID_DEST);
	CHECK_EQ(ptype(so), MACH_PORT_TYPE_SEND_ONCE);
	expect_empty(p);
	destroy(so);
	destroy(snd);
	OK(mach_port_destroy(ct_peer, peer_rcv));
	destroy(p);
}

CTEST(msg_dest_invalid_names)
{
	mach_port_t s = new_pset(), d = new_dead_name();

	CHECK_KR(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), MACH_PORT_NULL,
			  MACH_PORT_NULL), MACH_SEND_INVALID_DEST);
	CHECK_KR(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), unused_name(),
			  MACH_PORT_NULL), MACH_SEND_INVALID_DEST);
	CHECK_KR(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), s, MACH_PORT_NULL),
		 MACH_SEND_INVALID_DEST);
	CHECK_KR(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), d, MACH_PORT_NULL),
		 MACH_SEND_INVALID_DEST);
	destroy(s);
	destroy(d);
}

CTEST(msg_dest_stale_name)
{
	mach_port_t p = new_port_send();

	destroy(p);
	CHECK_KR(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, MACH_PORT_NULL),
		 MACH_SEND_INVALID_DEST);
}

CTEST(msg_dest_dead_port)
{
	mach_port_t peer_rcv = MACH_PORT_NULL, snd = MACH_PORT_NULL;
	mach_msg_type_name_t t;

	OK(mach_port_allocate(ct_peer, MACH_PORT_RIGHT_RECEIVE, &peer_rcv));
	OK(mach_port_extract_right(ct_peer, peer_rcv, MACH_MSG_TYPE_MAKE_SEND, &snd, &t));
	OK(mach_port_destroy(ct_peer, peer_rcv));
	CHECK_KR(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), snd, MACH_PORT_NULL),
		 MACH_SEND_INVALID_DEST);
	CHECK_EQ(ptype(snd), MACH_PORT_TYPE_DEAD_NAME);
	destroy(snd);
}

CTEST(msg_bad_remote_disposition)
{
	mach_port_t p = new_port_send();
	static const mach_msg_type_name_t bad[] = {
		0, MACH_MSG_TYPE_MOVE_RECEIVE, MACH_MSG_TYPE_INTEGER_32, MACH_MSG_TYPE_PORT_NAME,
		22, MACH_MSG_TYPE_PROTECTED_PAYLOAD, 0xff,
	};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_KR(send_hdr(MACH_MSGH_BITS(bad[i], 0), p, MACH_PORT_NULL),
			 MACH_SEND_INVALID_HEADER);
	CHECK_EQ(ptype(p), MACH_PORT_TYPE_SEND_RECEIVE);
	expect_empty(p);
	destroy(p);
}

CTEST(msg_bad_local_disposition)
{
	mach_port_t p = new_port_send(), q = new_port_send();
	static const mach_msg_type_name_t bad[] = {
		MACH_MSG_TYPE_MOVE_RECEIVE, MACH_MSG_TYPE_INTEGER_32, 22,
		MACH_MSG_TYPE_PROTECTED_PAYLOAD, 0xff,
	};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_KR(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, bad[i]), p, q),
			 MACH_SEND_INVALID_HEADER);
	/* Local port without a disposition. */
	CHECK_KR(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, q),
		 MACH_SEND_INVALID_HEADER);
	CHECK_EQ(ptype(q), MACH_PORT_TYPE_SEND_RECEIVE);
	expect_empty(p);
	destroy(p);
	destroy(q);
}

CTEST(msg_bad_reply_port)
{
	mach_port_t p = new_port_send(), q = new_port(), d = new_dead_name();

	CHECK_KR(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_COPY_SEND), p, q),
		 MACH_SEND_INVALID_REPLY);
	CHECK_KR(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MOVE_SEND), p, q),
		 MACH_SEND_INVALID_REPLY);
	CHECK_KR(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MOVE_SEND_ONCE),
			  p, q), MACH_SEND_INVALID_REPLY);
	CHECK_KR(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE),
			  p, unused_name()), MACH_SEND_INVALID_REPLY);
	CHECK_KR(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND), p, d),
		 MACH_SEND_INVALID_REPLY);
	/* Nothing was sent and nothing changed. */
	expect_empty(p);
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_SEND), 1);
	CHECK_EQ(ptype(q), MACH_PORT_TYPE_RECEIVE);
	destroy(p);
	destroy(q);
	destroy(d);
}

/* The reply right as the receiver sees it: remote bits and a usable name. */
static void reply_case(mach_msg_type_name_t disp, mach_msg_type_name_t seen)
{
	mach_port_t p = new_port(), q = new_port_send();
	mach_port_t reply = disp == MACH_MSG_TYPE_MOVE_SEND_ONCE ? make_send_once(q) : q;
	struct rb r;

	OK(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, disp), p, reply));
	recv_now(p, &r);
	CHECK_EQ(MACH_MSGH_BITS_REMOTE(r.h.msgh_bits), seen);
	CHECK_EQ(MACH_MSGH_BITS_LOCAL(r.h.msgh_bits), MACH_MSG_TYPE_PORT_SEND);
	CHECK_EQ(r.h.msgh_local_port, p);
	if (disp == MACH_MSG_TYPE_MOVE_SEND)
		CHECK_EQ(ptype(q), MACH_PORT_TYPE_SEND_RECEIVE);	/* moved and came back */
	if (seen == MACH_MSG_TYPE_PORT_SEND) {
		/* A send right to a port we hold the receive right of joins its name. */
		CHECK_EQ(r.h.msgh_remote_port, q);
		OK(mach_port_deallocate(ct_task, q));
	} else {
		CHECK_EQ(ptype(r.h.msgh_remote_port), MACH_PORT_TYPE_SEND_ONCE);
		/* The reply right works: reply through it. */
		OK(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0), r.h.msgh_remote_port,
			    MACH_PORT_NULL));
		recv_now(q, &r);
		CHECK_EQ(MACH_MSGH_BITS_LOCAL(r.h.msgh_bits), MACH_MSG_TYPE_PORT_SEND_ONCE);
	}
	destroy(p);
	destroy(q);
}

CTEST(msg_reply_make_send_once)
{
	reply_case(MACH_MSG_TYPE_MAKE_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND_ONCE);
}

CTEST(msg_reply_move_send_once)
{
	reply_case(MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND_ONCE);
}

CTEST(msg_reply_make_send)
{
	reply_case(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_PORT_SEND);
}

CTEST(msg_reply_copy_send)
{
	reply_case(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_PORT_SEND);
}

CTEST(msg_reply_move_send)
{
	reply_case(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_PORT_SEND);
}

CTEST(msg_reply_refs)
{
	mach_port_t p = new_port(), q = new_port_send();
	struct rb r;

	OK(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_COPY_SEND), p, q));
	CHECK_EQ(refs(q, MACH_PORT_RIGHT_SEND), 1);
	recv_now(p, &r);
	CHECK_EQ(refs(q, MACH_PORT_RIGHT_SEND), 2);
	OK(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MOVE_SEND), p, q));
	CHECK_EQ(refs(q, MACH_PORT_RIGHT_SEND), 1);
	recv_now(p, &r);
	CHECK_EQ(refs(q, MACH_PORT_RIGHT_SEND), 2);
	destroy(p);
	destroy(q);
}

CTEST(msg_size_too_small)
{
	mach_port_t p = new_port();
	struct mb m;

	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, MACH_PORT_NULL, 1);
	CHECK_KR(mach_msg_trap(&m.h, MACH_SEND_MSG, 24, 0, 0, 0, 0), MACH_SEND_MSG_TOO_SMALL);
	CHECK_KR(mach_msg_trap(&m.h, MACH_SEND_MSG, 0, 0, 0, 0, 0), MACH_SEND_MSG_TOO_SMALL);
	CHECK_KR(mach_msg_trap(&m.h, MACH_SEND_MSG, 8, 0, 0, 0, 0), MACH_SEND_MSG_TOO_SMALL);
	expect_empty(p);
	CHECK_EQ(pstatus(p).mps_mscount, 0);
	destroy(p);
}

CTEST(msg_size_misaligned)
{
	mach_port_t p = new_port();
	struct mb m;

	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, MACH_PORT_NULL, 1);
	CHECK_KR(mach_msg_trap(&m.h, MACH_SEND_MSG, 36, 0, 0, 0, 0), MACH_SEND_MSG_TOO_SMALL);
	CHECK_KR(mach_msg_trap(&m.h, MACH_SEND_MSG, 33, 0, 0, 0, 0), MACH_SEND_MSG_TOO_SMALL);
	CHECK_KR(mach_msg_trap(&m.h, MACH_SEND_MSG, 44, 0, 0, 0, 0), MACH_SEND_MSG_TOO_SMALL);
	expect_empty(p);
	destroy(p);
}

CTEST(msg_size_field_ignored_on_send)
{
	mach_port_t p = new_port();
	struct mb m;
	struct rb r;

	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, MACH_PORT_NULL, 1);
	mb_int32(&m, 5);
	m.h.msgh_size = 12345;
	OK(mb_send(&m, 0, 0));
	recv_now(p, &r);
	CHECK_EQ(r.h.msgh_size, 48);
	destroy(p);
}

CTEST(msg_send_unreadable)
{
	mach_port_t p = new_port();

	CHECK_KR(mach_msg_trap((mach_msg_header_t *)0x1000, MACH_SEND_MSG, 32, 0, 0, 0, 0),
		 MACH_SEND_INVALID_DATA);
	CHECK_KR(mach_msg_trap((mach_msg_header_t *)0xffffffff80100000ul, MACH_SEND_MSG, 32, 0, 0,
			       0, 0), MACH_SEND_INVALID_DATA);
	CHECK_KR(mach_msg_trap((mach_msg_header_t *)0x0000700000000000ul, MACH_SEND_MSG, 64, 0, 0,
			       0, 0), MACH_SEND_INVALID_DATA);
	destroy(p);
}

CTEST(msg_send_partly_unreadable)
{
	mach_port_t p = new_port();
	char *page = pages_alloc(2 * PAGE_SIZE);
	mach_msg_header_t *h = (mach_msg_header_t *)(page + PAGE_SIZE - 32);

	/* The header is readable, the body runs into a page that is gone. */
	pages_free(page + PAGE_SIZE, PAGE_SIZE);
	h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
	h->msgh_remote_port_slot = p;
	h->msgh_local_port = 0;
	h->msgh_id = 1;
	CHECK_KR(mach_msg_trap(h, MACH_SEND_MSG, 64, 0, 0, 0, 0), MACH_SEND_INVALID_DATA);
	expect_empty(p);
	pages_free(page, PAGE_SIZE);
	destroy(p);
}

CTEST(msg_rcv_invalid_name)
{
	mach_port_t d = new_dead_name(), p = new_port(), so = make_send_once(p);
	struct rb r;

	CHECK_KR(rb_recv(&r, MACH_PORT_NULL, 0, 0), MACH_RCV_INVALID_NAME);
	CHECK_KR(rb_recv(&r, MACH_PORT_DEAD, 0, 0), MACH_RCV_INVALID_NAME);
	CHECK_KR(rb_recv(&r, unused_name(), 0, 0), MACH_RCV_INVALID_NAME);
	CHECK_KR(rb_recv(&r, d, 0, 0), MACH_RCV_INVALID_NAME);
	CHECK_KR(rb_recv(&r, so, 0, 0), MACH_RCV_INVALID_NAME);
	CHECK_KR(rb_recv(&r, ct_task, 0, 0), MACH_RCV_INVALID_NAME);
	destroy(so);
	destroy(p);
	destroy(d);
}

CTEST(msg_rcv_timeout_zero)
{
	mach_port_t p = new_port();
	struct rb r;

	memset(r.b, 0xa5, 64);
	CHECK_KR(rb_recv(&r, p, 0, 0), MACH_RCV_TIMED_OUT);
	/* With nothing queued the buffer is not touched. */
	for (int i = 0; i < 64; i++)
		CHECK_EQ((unsigned char)r.b[i], 0xa5);
	CHECK_KR(mach_msg_trap(NULL, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, 64, p, 0, 0),
		 MACH_RCV_TIMED_OUT);
	destroy(p);
}

CTEST(msg_rcv_timeout_waits)
{
	mach_port_t p = new_port();
	struct rb r;
	uint64_t t0 = uptime_ms(), t1;

	CHECK_KR(rb_recv(&r, p, 0, 30), MACH_RCV_TIMED_OUT);
	t1 = uptime_ms();
	CHECK(t1 - t0 >= 20);
	CHECK(t1 - t0 < 1000);
	destroy(p);
}

CTEST(msg_rcv_too_large)
{
	mach_port_t p = new_port(), q = new_port();
	struct mb m;
	struct rb r;
	char data[96] = { 1, 2, 3 };

	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, MACH_PORT_NULL, 41);
	mb_type(&m, mt_word(MACH_MSG_TYPE_BYTE, 8, MT_INLINE), sizeof(data));
	mb_bytes(&m, data, sizeof(data));
	mb_port(&m, MACH_MSG_TYPE_MAKE_SEND, q);
	OK(mb_send(&m, 0, 0));
	CHECK_EQ(pstatus(q).mps_srights, 1);
	CHECK_KR(mach_msg_trap(&r.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, 64, p, 0, 0),
		 MACH_RCV_TOO_LARGE);
	CHECK_EQ(r.h.msgh_id, 41);
	/* The message is gone and the rights it carried with it. */
	expect_empty(p);
	CHECK_EQ(pstatus(q).mps_srights, 0);
	destroy(p);
	destroy(q);
}

CTEST(msg_rcv_too_large_rcv_large)
{
	mach_port_t p = new_port(), q = new_port();
	struct mb m;
	struct rb r;
	char data[96] = { 1, 2, 3 };

	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, MACH_PORT_NULL, 42);
	mb_type(&m, mt_word(MACH_MSG_TYPE_BYTE, 8, MT_INLINE), sizeof(data));
	mb_bytes(&m, data, sizeof(data));
	mb_port(&m, MACH_MSG_TYPE_MAKE_SEND, q);
	OK(mb_send(&m, 0, 0));
	CHECK_KR(mach_msg_trap(&r.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_LARGE, 0, 64, p,
			       0, 0), MACH_RCV_TOO_LARGE);
	CHECK_EQ(r.h.msgh_size, m.len);
	/* Still queued, whole. */
	CHECK_EQ(pstatus(p).mps_msgcount, 1);
	CHECK_KR(mach_msg_trap(&r.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_LARGE, 0,
			       r.h.msgh_size, p, 0, 0), MACH_MSG_SUCCESS);
	CHECK_EQ(r.h.msgh_id, 42);
	CHECK(memcmp(r.b + 40, data, sizeof(data)) == 0);
	msg_destroy(ct_task, &r.h);
	destroy(p);
	destroy(q);
}

CTEST(msg_rcv_too_large_zero_size)
{
	mach_port_t p = new_port();
	struct rb r;

	OK(send_simple(p, MACH_MSG_TYPE_MAKE_SEND, 3));
	CHECK_KR(mach_msg_trap(&r.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_LARGE, 0, 0, p, 0,
			       0), MACH_RCV_TOO_LARGE);
	CHECK_EQ(r.h.msgh_size, 32);
	CHECK_EQ(pstatus(p).mps_msgcount, 1);
	destroy(p);
}

CTEST(msg_rcv_unwritable_buffer)
{
	mach_port_t p = new_port(), q = new_port();
	struct mb m;

	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, MACH_PORT_NULL, 43);
	mb_port(&m, MACH_MSG_TYPE_MAKE_SEND, q);
	OK(mb_send(&m, 0, 0));
	CHECK_KR(mach_msg_trap((mach_msg_header_t *)0xffffffff80100000ul,
			       MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, 256, p, 0, 0),
		 MACH_RCV_INVALID_DATA);
	/* The message was dequeued and destroyed. */
	expect_empty(p);
	CHECK_EQ(pstatus(q).mps_srights, 0);
	destroy(p);
	destroy(q);
}

CTEST(msg_seqno_increments)
{
	mach_port_t p = new_port();
	struct rb r;

	for (int i = 0; i < 3; i++)
		OK(send_simple(p, MACH_MSG_TYPE_MAKE_SEND, i));
	for (int i = 0; i < 3; i++) {
		recv_now(p, &r);
		CHECK_EQ(r.h.msgh_id, i);
		CHECK_EQ(r.h.msgh_seqno, i);
	}
	CHECK_EQ(pstatus(p).mps_seqno, 3);
	destroy(p);
}

CTEST(msg_seqno_set)
{
	mach_port_t p = new_port();
	struct rb r;

	OK(mach_port_set_seqno(ct_task, p, 1000));
	OK(send_simple(p, MACH_MSG_TYPE_MAKE_SEND, 1));
	OK(send_simple(p, MACH_MSG_TYPE_MAKE_SEND, 2));
	recv_now(p, &r);
	CHECK_EQ(r.h.msgh_seqno, 1000);
	recv_now(p, &r);
	CHECK_EQ(r.h.msgh_seqno, 1001);
	destroy(p);
}

CTEST(msg_seqno_per_port)
{
	mach_port_t p = new_port(), q = new_port();
	struct rb r;

	OK(send_simple(p, MACH_MSG_TYPE_MAKE_SEND, 1));
	OK(send_simple(p, MACH_MSG_TYPE_MAKE_SEND, 1));
	OK(send_simple(q, MACH_MSG_TYPE_MAKE_SEND, 1));
	recv_now(p, &r);
	recv_now(p, &r);
	CHECK_EQ(r.h.msgh_seqno, 1);
	recv_now(q, &r);
	CHECK_EQ(r.h.msgh_seqno, 0);
	destroy(p);
	destroy(q);
}

CTEST(msg_seqno_not_counted_on_failed_receive)
{
	mach_port_t p = new_port();
	struct rb r;

	CHECK_KR(rb_recv(&r, p, 0, 0), MACH_RCV_TIMED_OUT);
	OK(send_simple(p, MACH_MSG_TYPE_MAKE_SEND, 1));
	recv_now(p, &r);
	CHECK_EQ(r.h.msgh_seqno, 0);
	destroy(p);
}

/* Fills p's queue with MAKE_SEND messages: `fits` are accepted, the next times out. */
static void fill_queue(mach_port_t p, unsigned fits)
{
	for (unsigned i = 0; i < fits; i++)
		CHECK_KR(send_simple(p, MACH_MSG_TYPE_MAKE_SEND, (int)i), MACH_MSG_SUCCESS);
	CHECK_KR(send_simple(p, MACH_MSG_TYPE_MAKE_SEND, 99), MACH_SEND_TIMED_OUT);
	CHECK_EQ(pstatus(p).mps_msgcount, fits);
}

CTEST(msg_qlimit_default)
{
	mach_port_t p = new_port();

	fill_queue(p, MACH_PORT_QLIMIT_DEFAULT);
	destroy(p);
}

CTEST(msg_qlimit_max)
{
	mach_port_t p = new_port();

	OK(mach_port_set_qlimit(ct_task, p, MACH_PORT_QLIMIT_MAX));
	fill_queue(p, MACH_PORT_QLIMIT_MAX);
	destroy(p);
}

CTEST(msg_qlimit_one)
{
	mach_port_t p = new_port();
	struct rb r;

	OK(mach_port_set_qlimit(ct_task, p, 1));
	fill_queue(p, 1);
	recv_now(p, &r);
	OK(send_simple(p, MACH_MSG_TYPE_MAKE_SEND, 1));
	destroy(p);
}

CTEST(msg_qlimit_send_once_not_limited)
{
	mach_port_t p = new_port();

	fill_queue(p, MACH_PORT_QLIMIT_DEFAULT);
	/* A send-once right always gets its message in. */
	OK(send_simple(p, MACH_MSG_TYPE_MAKE_SEND_ONCE, 7));
	CHECK_EQ(pstatus(p).mps_msgcount, MACH_PORT_QLIMIT_DEFAULT + 1);
	destroy(p);
}

CTEST(msg_send_timeout_waits)
{
	mach_port_t p = new_port();
	uint64_t t0, t1;
	struct mb m;

	fill_queue(p, MACH_PORT_QLIMIT_DEFAULT);
	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, MACH_PORT_NULL, 1);
	t0 = uptime_ms();
	CHECK_KR(mb_send(&m, MACH_SEND_TIMEOUT, 30), MACH_SEND_TIMED_OUT);
	t1 = uptime_ms();
	CHECK(t1 - t0 >= 20);
	CHECK(t1 - t0 < 1000);
	destroy(p);
}

CTEST(msg_send_timeout_returns_rights)
{
	mach_port_t p = new_port(), q = new_port_send(), r2 = new_port(), back;
	struct mb m;

	fill_queue(p, MACH_PORT_QLIMIT_DEFAULT);
	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MOVE_SEND), p, q, 1);
	mb_port(&m, MACH_MSG_TYPE_MOVE_RECEIVE, r2);
	CHECK_KR(mb_send(&m, MACH_SEND_TIMEOUT, 0), MACH_SEND_TIMED_OUT);
	/* The message and its rights came back to the sender: the buffer names them. */
	CHECK_EQ(ptype(q), MACH_PORT_TYPE_SEND_RECEIVE);
	memcpy(&back, m.b + 40, 4);
	CHECK_EQ(ptype(back), MACH_PORT_TYPE_RECEIVE);
	if (back != r2)
		CHECK(!name_exists(r2));
	destroy(p);
	destroy(q);
	destroy(back);
}

CTEST(msg_destroy_port_with_queue)
{
	mach_port_t p = new_port(), q = new_port();
	char *ool = pages_alloc(PAGE_SIZE);
	struct mb m;

	memset(ool, 7, PAGE_SIZE);
	for (int i = 0; i < 3; i++) {
		mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE),
			p, q, i);
		mb_port(&m, MACH_MSG_TYPE_MAKE_SEND, q);
		mb_ool(&m, ool, PAGE_SIZE, false);
		OK(mb_send(&m, 0, 0));
	}
	CHECK_EQ(pstatus(q).mps_srights, 1);
	CHECK_EQ(pstatus(q).mps_sorights, 3);
	destroy(p);
	/* The queued messages died with the port, and so did their rights; each unused
	   send-once right told q. */
	CHECK_EQ(pstatus(q).mps_srights, 0);
	CHECK_EQ(msg_drain(ct_task, q), 3);
	CHECK_EQ(pstatus(q).mps_sorights, 0);
	pages_free(ool, PAGE_SIZE);
	destroy(q);
}
