/* Rights and memory moving between two tasks: the main program and the peer. */
#include "util.h"

/* Sends m (items already added) to the peer with PEER_KEEP and parses its report. */
static void keep(struct mb *m, struct peer_report *rep)
{
	struct rb r;

	m->h.msgh_id = PEER_KEEP;
	CHECK_KR(peer_call(m, &r), MACH_MSG_SUCCESS);
	CHECK_EQ(r.h.msgh_id, PEER_KEEP + 100);
	peer_parse_report(&r, rep);
	/* The header as the peer saw it: a send-once reply right, sent to a send right. */
	CHECK(rep->n >= 1);
	CHECK_EQ(rep->e[0][0], MACH_MSG_TYPE_PORT_SEND_ONCE);
	CHECK_EQ(rep->e[0][2], MACH_MSG_TYPE_PORT_SEND);
}

static void start(struct mb *m)
{
	mb_init(m, MACH_MSGH_BITS_COMPLEX, MACH_PORT_NULL, MACH_PORT_NULL, PEER_KEEP);
}

static mach_port_urefs_t peer_refs(mach_port_t name, mach_port_right_t right)
{
	mach_port_urefs_t r = 0;

	OK(mach_port_get_refs(ct_peer, name, right, &r));
	return r;
}

CTEST(xfer_make_send_to_peer)
{
	mach_port_t p = new_port();
	struct mb m;
	struct peer_report rep;

	start(&m);
	mb_port(&m, MACH_MSG_TYPE_MAKE_SEND, p);
	keep(&m, &rep);
	CHECK_EQ(rep.n, 2);
	CHECK_EQ(rep.e[1][0], MACH_MSG_TYPE_PORT_SEND);
	CHECK_EQ(peer_type((mach_port_t)rep.e[1][1]), MACH_PORT_TYPE_SEND);
	CHECK_EQ(pstatus(p).mps_srights, 1);
	CHECK_EQ(pstatus(p).mps_mscount, 1);
	OK(mach_port_destroy(ct_peer, (mach_port_t)rep.e[1][1]));
	CHECK_EQ(pstatus(p).mps_srights, 0);
	destroy(p);
}

CTEST(xfer_copy_send_to_peer)
{
	mach_port_t p = new_port_send();
	struct mb m;
	struct peer_report rep;

	start(&m);
	mb_port(&m, MACH_MSG_TYPE_COPY_SEND, p);
	keep(&m, &rep);
	CHECK_EQ(rep.e[1][0], MACH_MSG_TYPE_PORT_SEND);
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_SEND), 1);
	CHECK_EQ(peer_refs((mach_port_t)rep.e[1][1], MACH_PORT_RIGHT_SEND), 1);
	OK(mach_port_destroy(ct_peer, (mach_port_t)rep.e[1][1]));
	destroy(p);
}

CTEST(xfer_move_send_to_peer)
{
	mach_port_t p = new_port_send();
	struct mb m;
	struct peer_report rep;

	start(&m);
	mb_port(&m, MACH_MSG_TYPE_MOVE_SEND, p);
	keep(&m, &rep);
	CHECK_EQ(rep.e[1][0], MACH_MSG_TYPE_PORT_SEND);
	CHECK_EQ(ptype(p), MACH_PORT_TYPE_RECEIVE);
	CHECK_EQ(peer_type((mach_port_t)rep.e[1][1]), MACH_PORT_TYPE_SEND);
	OK(mach_port_destroy(ct_peer, (mach_port_t)rep.e[1][1]));
	destroy(p);
}

CTEST(xfer_send_once_to_peer)
{
	mach_port_t p = new_port(), so = make_send_once(p);
	struct mb m;
	struct peer_report rep;
	struct rb r;

	start(&m);
	mb_port(&m, MACH_MSG_TYPE_MAKE_SEND_ONCE, p);
	mb_port(&m, MACH_MSG_TYPE_MOVE_SEND_ONCE, so);
	keep(&m, &rep);
	CHECK_EQ(rep.n, 3);
	CHECK_EQ(rep.e[1][0], MACH_MSG_TYPE_PORT_SEND_ONCE);
	CHECK_EQ(rep.e[2][0], MACH_MSG_TYPE_PORT_SEND_ONCE);
	CHECK_NE(rep.e[1][1], rep.e[2][1]);	/* each send-once right has its own name */
	CHECK(!name_exists(so));
	CHECK_EQ(peer_type((mach_port_t)rep.e[1][1]), MACH_PORT_TYPE_SEND_ONCE);
	CHECK_EQ(pstatus(p).mps_sorights, 2);
	/* The peer uses one: a message arrives here. */
	OK(mach_port_destroy(ct_peer, (mach_port_t)rep.e[1][1]));
	OK(mach_port_destroy(ct_peer, (mach_port_t)rep.e[2][1]));
	recv_now(p, &r);
	CHECK_EQ(r.h.msgh_id, MACH_NOTIFY_SEND_ONCE);
	recv_now(p, &r);
	CHECK_EQ(r.h.msgh_id, MACH_NOTIFY_SEND_ONCE);
	destroy(p);
}

CTEST(xfer_receive_to_peer)
{
	mach_port_t p = new_port_send(), pn;
	struct mb m;
	struct peer_report rep;
	mach_port_status_t st;

	OK(send_simple(p, MACH_MSG_TYPE_COPY_SEND, 1));
	start(&m);
	mb_port(&m, MACH_MSG_TYPE_MOVE_RECEIVE, p);
	keep(&m, &rep);
	CHECK_EQ(rep.e[1][0], MACH_MSG_TYPE_PORT_RECEIVE);
	pn = (mach_port_t)rep.e[1][1];
	CHECK_EQ(peer_type(pn), MACH_PORT_TYPE_RECEIVE);
	CHECK_EQ(ptype(p), MACH_PORT_TYPE_SEND);
	/* The queue went along; our send right now reaches the peer. */
	OK(send_simple(p, MACH_MSG_TYPE_COPY_SEND, 2));
	OK(mach_port_get_receive_status(ct_peer, pn, &st));
	CHECK_EQ(st.mps_msgcount, 2);
	OK(mach_port_destroy(ct_peer, pn));
	CHECK_EQ(ptype(p), MACH_PORT_TYPE_DEAD_NAME);
	destroy(p);
}

CTEST(xfer_same_port_twice)
{
	mach_port_t p = new_port(), two[2];
	struct mb m;
	struct peer_report rep;

	two[0] = two[1] = p;
	start(&m);
	mb_ports(&m, MACH_MSG_TYPE_MAKE_SEND, two, 2);
	keep(&m, &rep);
	CHECK_EQ(rep.n, 3);
	CHECK_EQ(rep.e[1][1], rep.e[2][1]);	/* one name per port for send rights */
	CHECK_EQ(peer_refs((mach_port_t)rep.e[1][1], MACH_PORT_RIGHT_SEND), 2);
	OK(mach_port_destroy(ct_peer, (mach_port_t)rep.e[1][1]));
	destroy(p);
}

CTEST(xfer_null_and_dead_to_peer)
{
	mach_port_t two[2] = { MACH_PORT_DEAD, MACH_PORT_NULL };
	struct mb m;
	struct peer_report rep;

	start(&m);
	mb_ports(&m, MACH_MSG_TYPE_COPY_SEND, two, 2);
	keep(&m, &rep);
	CHECK_EQ(rep.n, 3);
	CHECK_EQ((mach_port_t)rep.e[1][1], MACH_PORT_DEAD);
	CHECK_EQ((mach_port_t)rep.e[2][1], MACH_PORT_NULL);
}

CTEST(xfer_ool_data_to_peer)
{
	size_t bytes = 2 * PAGE_SIZE + 123;
	unsigned char *buf = pages_alloc(3 * PAGE_SIZE);
	struct mb m;
	struct peer_report rep;

	for (size_t i = 0; i < bytes; i++)
		buf[i] = (unsigned char)(i ^ (i >> 8));
	start(&m);
	mb_ool(&m, buf, (uint32_t)bytes, false);
	keep(&m, &rep);
	CHECK_EQ(rep.n, 2);
	CHECK_EQ(rep.e[1][0], PEER_OOL_DATA);
	CHECK_EQ(rep.e[1][1], bytes);
	CHECK_EQ((uint32_t)rep.e[1][2], peer_checksum(buf, bytes));
	pages_free(buf, 3 * PAGE_SIZE);
}

CTEST(xfer_ool_ports_to_peer)
{
	mach_port_t p[3];
	struct mb m;
	struct peer_report rep;

	for (int i = 0; i < 3; i++)
		p[i] = new_port();
	start(&m);
	mb_ool_ports(&m, MACH_MSG_TYPE_MAKE_SEND, p, 3, false);
	keep(&m, &rep);
	CHECK_EQ(rep.n, 4);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(rep.e[1 + i][0], MACH_MSG_TYPE_PORT_SEND | PEER_OOL_FLAG);
		CHECK_EQ(peer_type((mach_port_t)rep.e[1 + i][1]), MACH_PORT_TYPE_SEND);
		OK(mach_port_destroy(ct_peer, (mach_port_t)rep.e[1 + i][1]));
		destroy(p[i]);
	}
}

CTEST(xfer_echo_rights)
{
	mach_port_t q1 = new_port(), q2 = new_port(), q3 = new_port();
	mach_port_t got[3];
	mach_msg_type_name_t seen[3];
	struct mb m;
	struct rb r;
	struct item it;
	uint32_t off = 32;

	/* Each right goes to the peer and comes back with the type it arrived as. */
	mb_init(&m, MACH_MSGH_BITS_COMPLEX, MACH_PORT_NULL, MACH_PORT_NULL, PEER_ECHO);
	mb_port(&m, MACH_MSG_TYPE_MAKE_SEND, q1);
	mb_port(&m, MACH_MSG_TYPE_MAKE_SEND_ONCE, q2);
	mb_port(&m, MACH_MSG_TYPE_MOVE_RECEIVE, q3);
	CHECK_KR(peer_call(&m, &r), MACH_MSG_SUCCESS);
	CHECK_EQ(r.h.msgh_id, PEER_ECHO + 100);
	CHECK(r.h.msgh_bits & MACH_MSGH_BITS_COMPLEX);
	for (int i = 0; i < 3; i++) {
		CHECK(msg_next_item(&r.h, &off, &it));
		seen[i] = it.name;
		got[i] = item_port(&it, 0);
	}
	CHECK_EQ(seen[0], MACH_MSG_TYPE_PORT_SEND);
	CHECK_EQ(seen[1], MACH_MSG_TYPE_PORT_SEND_ONCE);
	CHECK_EQ(seen[2], MACH_MSG_TYPE_PORT_RECEIVE);
	CHECK_EQ(got[0], q1);
	CHECK_EQ(ptype(q1), MACH_PORT_TYPE_SEND_RECEIVE);
	CHECK_EQ(ptype(got[1]), MACH_PORT_TYPE_SEND_ONCE);
	CHECK_EQ(ptype(got[2]), MACH_PORT_TYPE_RECEIVE);
	if (got[2] != q3)
		CHECK(!name_exists(q3));
	/* The send-once right still reaches q2. */
	OK(send_simple(got[1], MACH_MSG_TYPE_MOVE_SEND_ONCE, 3));
	recv_now(q2, &r);
	CHECK_EQ(r.h.msgh_id, 3);
	destroy(q1);
	destroy(q2);
	destroy(got[2]);
}

CTEST(xfer_echo_receive_right)
{
	mach_port_t q = new_port(), got;
	struct mb m;
	struct rb r;
	struct item it;
	uint32_t off = 32;

	OK(mach_port_set_qlimit(ct_task, q, 7));
	mb_init(&m, MACH_MSGH_BITS_COMPLEX, MACH_PORT_NULL, MACH_PORT_NULL, PEER_ECHO);
	mb_port(&m, MACH_MSG_TYPE_MOVE_RECEIVE, q);
	CHECK_KR(peer_call(&m, &r), MACH_MSG_SUCCESS);
	CHECK(msg_next_item(&r.h, &off, &it));
	CHECK_EQ(it.name, MACH_MSG_TYPE_PORT_RECEIVE);
	got = item_port(&it, 0);
	CHECK_EQ(ptype(got), MACH_PORT_TYPE_RECEIVE);
	CHECK_EQ(pstatus(got).mps_qlimit, 7);
	destroy(got);
}

CTEST(xfer_echo_ool_data)
{
	size_t bytes = 3 * PAGE_SIZE;
	unsigned char *buf = pages_alloc(bytes);
	struct mb m;
	struct rb r;
	struct item it;
	uint32_t off = 32;

	for (size_t i = 0; i < bytes; i++)
		buf[i] = (unsigned char)(i * 31);
	mb_init(&m, MACH_MSGH_BITS_COMPLEX, MACH_PORT_NULL, MACH_PORT_NULL, PEER_ECHO);
	mb_ool(&m, buf, (uint32_t)bytes, false);
	CHECK_KR(peer_call(&m, &r), MACH_MSG_SUCCESS);
	CHECK(msg_next_item(&r.h, &off, &it));
	CHECK(!it.inl && it.dealloc);
	CHECK_EQ(it.number, bytes);
	CHECK(it.addr != NULL);
	CHECK(memcmp(it.addr, buf, bytes) == 0);
	pages_free(it.addr, bytes);
	pages_free(buf, bytes);
}

CTEST(xfer_echo_ool_ports)
{
	mach_port_t p[2], *back;
	struct mb m;
	struct rb r;
	struct item it;
	uint32_t off = 32;

	p[0] = new_port();
	p[1] = new_port();
	mb_init(&m, MACH_MSGH_BITS_COMPLEX, MACH_PORT_NULL, MACH_PORT_NULL, PEER_ECHO);
	mb_ool_ports(&m, MACH_MSG_TYPE_MAKE_SEND, p, 2, false);
	CHECK_KR(peer_call(&m, &r), MACH_MSG_SUCCESS);
	CHECK(msg_next_item(&r.h, &off, &it));
	CHECK_EQ(it.word, mt_word(MACH_MSG_TYPE_PORT_SEND, 32, MT_LONGFORM | MT_DEALLOC));
	back = it.addr;
	CHECK(back != NULL);
	CHECK_EQ(back[0], p[0]);
	CHECK_EQ(back[1], p[1]);
	CHECK_EQ(ptype(p[0]), MACH_PORT_TYPE_SEND_RECEIVE);
	pages_free(back, 8);
	destroy(p[0]);
	destroy(p[1]);
}

CTEST(xfer_insert_right_into_peer)
{
	mach_port_t p = new_port_send(), x = 0x301;

	OK(mach_port_insert_right(ct_peer, x, p, MACH_MSG_TYPE_MAKE_SEND));
	CHECK_EQ(peer_type(x), MACH_PORT_TYPE_SEND);
	OK(mach_port_insert_right(ct_peer, x, p, MACH_MSG_TYPE_COPY_SEND));
	CHECK_EQ(peer_refs(x, MACH_PORT_RIGHT_SEND), 2);
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_SEND), 1);
	OK(mach_port_insert_right(ct_peer, x, p, MACH_MSG_TYPE_MOVE_SEND));
	CHECK_EQ(peer_refs(x, MACH_PORT_RIGHT_SEND), 3);
	CHECK_EQ(ptype(p), MACH_PORT_TYPE_RECEIVE);
	OK(mach_port_destroy(ct_peer, x));
	destroy(p);
}

CTEST(xfer_insert_receive_into_peer)
{
	mach_port_t p = new_port(), x = 0x302;
	mach_port_status_t st;

	OK(mach_port_insert_right(ct_peer, x, p, MACH_MSG_TYPE_MOVE_RECEIVE));
	CHECK(!name_exists(p));
	CHECK_EQ(peer_type(x), MACH_PORT_TYPE_RECEIVE);
	OK(mach_port_get_receive_status(ct_peer, x, &st));
	CHECK_EQ(st.mps_qlimit, MACH_PORT_QLIMIT_DEFAULT);
	OK(mach_port_destroy(ct_peer, x));
}

CTEST(xfer_extract_receive_from_peer)
{
	mach_port_t pn = MACH_PORT_NULL, got = MACH_PORT_NULL;
	mach_msg_type_name_t t = 0;
	mach_port_type_t ty;

	OK(mach_port_allocate(ct_peer, MACH_PORT_RIGHT_RECEIVE, &pn));
	OK(mach_port_extract_right(ct_peer, pn, MACH_MSG_TYPE_MOVE_RECEIVE, &got, &t));
	CHECK_EQ(t, MACH_MSG_TYPE_PORT_RECEIVE);
	CHECK_EQ(ptype(got), MACH_PORT_TYPE_RECEIVE);
	CHECK_KR(mach_port_type(ct_peer, pn, &ty), KERN_INVALID_NAME);
	destroy(got);
}

CTEST(xfer_extract_send_once_from_peer)
{
	mach_port_t pn = MACH_PORT_NULL, got = MACH_PORT_NULL;
	mach_msg_type_name_t t = 0;
	mach_port_status_t st;

	OK(mach_port_allocate(ct_peer, MACH_PORT_RIGHT_RECEIVE, &pn));
	OK(mach_port_extract_right(ct_peer, pn, MACH_MSG_TYPE_MAKE_SEND_ONCE, &got, &t));
	CHECK_EQ(t, MACH_MSG_TYPE_PORT_SEND_ONCE);
	CHECK_EQ(ptype(got), MACH_PORT_TYPE_SEND_ONCE);
	OK(send_simple(got, MACH_MSG_TYPE_MOVE_SEND_ONCE, 8));
	CHECK(!name_exists(got));
	OK(mach_port_get_receive_status(ct_peer, pn, &st));
	CHECK_EQ(st.mps_msgcount, 1);
	OK(mach_port_destroy(ct_peer, pn));
}

CTEST(xfer_rcv_port_died)
{
	mach_port_t p = new_port();
	mach_msg_return_t mr;
	struct mb m;

	/* The peer destroys our receive right while we wait on it. */
	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), ct_peer_ctl, MACH_PORT_NULL,
		PEER_DESTROY);
	mb_int32(&m, (int32_t)p);
	mr = mach_msg_trap(&m.h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, m.len,
			   sizeof(m.b), p, 2000, MACH_PORT_NULL);
	if (mr == MACH_RCV_TIMED_OUT && name_exists(p))
		ct_fail(__FILE__, __LINE__, "receive timed out and the peer did not destroy the port");
	CHECK_KR(mr, MACH_RCV_PORT_DIED);
	CHECK(!name_exists(p));
}

CTEST(xfer_rcv_port_died_in_set)
{
	mach_port_t s = new_pset();
	mach_msg_return_t mr;
	struct mb m;

	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), ct_peer_ctl, MACH_PORT_NULL,
		PEER_DESTROY);
	mb_int32(&m, (int32_t)s);
	mr = mach_msg_trap(&m.h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, m.len,
			   sizeof(m.b), s, 2000, MACH_PORT_NULL);
	if (mr == MACH_RCV_TIMED_OUT && name_exists(s))
		ct_fail(__FILE__, __LINE__, "receive timed out and the peer did not destroy the set");
	CHECK_KR(mr, MACH_RCV_PORT_DIED);
	CHECK(!name_exists(s));
}

/* Asks the peer to thread_abort us while we wait on p; its reply then comes to p. */
static mach_msg_return_t abort_while_receiving(mach_port_t p, struct mb *m, bool library,
					       mach_msg_option_t extra)
{
	mach_msg_return_t mr;
	int32_t kr;

	mb_init(m, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE),
		ct_peer_ctl, p, PEER_ABORT);
	if (library)
		mr = mach_msg(&m->h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT | extra,
			      m->len, sizeof(m->b), p, 2000, MACH_PORT_NULL);
	else
		mr = mach_msg_trap(&m->h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT | extra,
				   m->len, sizeof(m->b), p, 2000, MACH_PORT_NULL);
	/* The peer's reply says what thread_abort returned. */
	if (mr == MACH_MSG_SUCCESS && m->h.msgh_id == PEER_ABORT + 100) {
		memcpy(&kr, m->b + 40, 4);
		if (kr != KERN_SUCCESS)
			ct_fail(__FILE__, __LINE__, "the peer's thread_abort returned %s (0x%x)",
				ct_kr_name(kr), (unsigned)kr);
	}
	return mr;
}

CTEST(xfer_rcv_interrupted)
{
	mach_port_t p = new_port();
	struct mb m;
	struct rb r;
	int32_t kr;

	CHECK_KR(abort_while_receiving(p, &m, false, 0), MACH_RCV_INTERRUPTED);
	CHECK_KR(rb_recv(&r, p, 0, 2000), MACH_MSG_SUCCESS);
	CHECK_EQ(r.h.msgh_id, PEER_ABORT + 100);
	memcpy(&kr, r.b + 40, 4);
	CHECK_KR(kr, KERN_SUCCESS);
	destroy(p);
}

CTEST(lib_mach_msg_rcv_interrupt_option)
{
	mach_port_t p = new_port();
	struct mb m;
	struct rb r;

	CHECK_KR(abort_while_receiving(p, &m, true, MACH_RCV_INTERRUPT), MACH_RCV_INTERRUPTED);
	CHECK_KR(rb_recv(&r, p, 0, 2000), MACH_MSG_SUCCESS);
	CHECK_EQ(r.h.msgh_id, PEER_ABORT + 100);
	destroy(p);
}

CTEST(lib_mach_msg_retries_interrupted_receive)
{
	mach_port_t p = new_port();
	struct mb m;

	/* Without MACH_RCV_INTERRUPT the library receives again and gets the reply. */
	CHECK_KR(abort_while_receiving(p, &m, true, 0), MACH_MSG_SUCCESS);
	CHECK_EQ(m.h.msgh_id, PEER_ABORT + 100);
	destroy(p);
}

CTEST(xfer_peer_ping_reply_shape)
{
	struct mb m;
	struct rb r;
	int32_t kr;

	mb_init(&m, 0, MACH_PORT_NULL, MACH_PORT_NULL, PEER_PING);
	CHECK_KR(peer_call(&m, &r), MACH_MSG_SUCCESS);
	/* A reply through a send-once right: local bits 18, no reply port. */
	CHECK_EQ(r.h.msgh_bits, MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE));
	CHECK_EQ(r.h.msgh_remote_port, MACH_PORT_NULL);
	CHECK_EQ(r.h.msgh_size, 48);
	memcpy(&kr, r.b + 40, 4);
	CHECK_EQ(kr, 0);
}

CTEST(xfer_blocked_send_resumes)
{
	mach_port_t pn = 0x303, snd = MACH_PORT_NULL, r = new_port();
	mach_msg_type_name_t t;
	mach_port_status_t st;
	struct mb m, cmd;
	struct rb rep;
	int32_t kr;

	/* A peer port with room for one message, full. */
	OK(mach_port_allocate_name(ct_peer, MACH_PORT_RIGHT_RECEIVE, pn));
	OK(mach_port_set_qlimit(ct_peer, pn, 1));
	OK(mach_port_extract_right(ct_peer, pn, MACH_MSG_TYPE_MAKE_SEND, &snd, &t));
	OK(send_simple(snd, MACH_MSG_TYPE_COPY_SEND, 1));
	CHECK_KR(send_simple(snd, MACH_MSG_TYPE_COPY_SEND, 2), MACH_SEND_TIMED_OUT);
	/* The peer will take one message out once we block sending the next. */
	mb_init(&cmd, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE),
		ct_peer_ctl, r, PEER_DRAIN);
	mb_int32(&cmd, (int32_t)pn);
	OK(mb_send(&cmd, 0, 0));
	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), snd, MACH_PORT_NULL, 3);
	CHECK_KR(mb_send(&m, MACH_SEND_TIMEOUT, 2000), MACH_MSG_SUCCESS);
	CHECK_KR(rb_recv(&rep, r, 0, 2000), MACH_MSG_SUCCESS);
	memcpy(&kr, rep.b + 40, 4);
	CHECK_KR(kr, MACH_MSG_SUCCESS);
	OK(mach_port_get_receive_status(ct_peer, pn, &st));
	CHECK_EQ(st.mps_msgcount, 1);
	CHECK_EQ(st.mps_seqno, 1);
	OK(mach_port_destroy(ct_peer, pn));
	destroy(snd);
	destroy(r);
}

CTEST(mig_stub_server_died)
{
	mach_port_type_t t;

	/* A MIG call to the peer's control port: the peer does not serve mach_port_type
	   and drops the request with its reply right, so the reply is a send-once
	   notification. */
	CHECK_KR(mach_port_type(ct_peer_ctl, ct_task, &t), MIG_SERVER_DIED);
	/* The library's reply port still works. */
	OK(mach_port_type(ct_task, ct_task, &t));
}
