/* Notifications (ABI section 7), requested with mach_port_request_notification. */
#include "util.h"

static void request(mach_port_t name, mach_msg_id_t id, mach_port_mscount_t sync, mach_port_t n)
{
	mach_port_t prev = 0xdead;

	OK(mach_port_request_notification(ct_task, name, id, sync, n,
					  MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev));
	CHECK_EQ(prev, MACH_PORT_NULL);
}

/* Header of a notification as received on n (ABI 7): local bits 18, no reply port. */
static void check_notification(struct rb *r, mach_port_t n, mach_msg_id_t id, mach_msg_size_t size,
			       bool complex)
{
	CHECK_EQ(r->h.msgh_id, id);
	CHECK_EQ(r->h.msgh_size, size);
	CHECK_EQ(r->h.msgh_bits, MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE) |
				 (complex ? MACH_MSGH_BITS_COMPLEX : 0));
	CHECK_EQ(r->h.msgh_remote_port, MACH_PORT_NULL);
	CHECK_EQ(r->h.msgh_local_port, n);
	/* Sequence numbers count notifications like any message. */
	CHECK_EQ(r->h.msgh_seqno + 1, pstatus(n).mps_seqno);
}

/* The u32 after a {name, 32, 1, inline} descriptor at 32. */
static uint32_t check_u32_body(struct rb *r, mach_msg_type_name_t type)
{
	uint32_t w, num, v;

	memcpy(&w, r->b + 32, 4);
	memcpy(&num, r->b + 36, 4);
	memcpy(&v, r->b + 40, 4);
	CHECK_EQ(w, mt_word(type, 32, MT_INLINE));
	CHECK_EQ(num, 1);
	return v;
}

/* A send right in this task to a fresh port whose receive right is the peer's. */
static mach_port_t peer_port(mach_port_t *peer_name)
{
	mach_port_t s = MACH_PORT_NULL;
	mach_msg_type_name_t t;

	OK(mach_port_allocate(ct_peer, MACH_PORT_RIGHT_RECEIVE, peer_name));
	OK(mach_port_extract_right(ct_peer, *peer_name, MACH_MSG_TYPE_MAKE_SEND, &s, &t));
	CHECK_EQ(ptype(s), MACH_PORT_TYPE_SEND);
	return s;
}

CTEST(notify_no_senders)
{
	mach_port_t p = new_port_send(), n = new_port();
	struct rb r;

	request(p, MACH_NOTIFY_NO_SENDERS, 0, n);
	CHECK_EQ(pstatus(p).mps_nsrequest, 1);
	expect_empty(n);
	OK(mach_port_deallocate(ct_task, p));
	recv_now(n, &r);
	check_notification(&r, n, MACH_NOTIFY_NO_SENDERS, 48, false);
	CHECK_EQ(check_u32_body(&r, MACH_MSG_TYPE_INTEGER_32), 1);
	CHECK_EQ(pstatus(p).mps_nsrequest, 0);
	destroy(p);
	destroy(n);
}

CTEST(notify_no_senders_immediate)
{
	mach_port_t p = new_port(), n = new_port();
	struct rb r;

	/* No send right and sync <= make-send count: the notification comes at once. */
	request(p, MACH_NOTIFY_NO_SENDERS, 0, n);
	recv_now(n, &r);
	check_notification(&r, n, MACH_NOTIFY_NO_SENDERS, 48, false);
	CHECK_EQ(check_u32_body(&r, MACH_MSG_TYPE_INTEGER_32), 0);
	destroy(p);
	destroy(n);
}

CTEST(notify_no_senders_sync_ahead)
{
	mach_port_t p = new_port(), n = new_port();
	struct rb r;

	OK(mach_port_set_mscount(ct_task, p, 3));
	request(p, MACH_NOTIFY_NO_SENDERS, 5, n);
	expect_empty(n);
	OK(mach_port_insert_right(ct_task, p, p, MACH_MSG_TYPE_MAKE_SEND));
	OK(mach_port_deallocate(ct_task, p));
	recv_now(n, &r);
	CHECK_EQ(check_u32_body(&r, MACH_MSG_TYPE_INTEGER_32), 4);
	destroy(p);
	destroy(n);
}

CTEST(notify_no_senders_peer_right)
{
	mach_port_t p = new_port(), n = new_port(), x = 0x300;
	struct rb r;

	/* The only send right is the peer's, under a name we choose for it. */
	OK(mach_port_insert_right(ct_peer, x, p, MACH_MSG_TYPE_MAKE_SEND));
	request(p, MACH_NOTIFY_NO_SENDERS, 0, n);
	expect_empty(n);
	OK(mach_port_destroy(ct_peer, x));
	recv_now(n, &r);
	CHECK_EQ(r.h.msgh_id, MACH_NOTIFY_NO_SENDERS);
	CHECK_EQ(check_u32_body(&r, MACH_MSG_TYPE_INTEGER_32), 1);
	destroy(p);
	destroy(n);
}

CTEST(notify_dead_name)
{
	mach_port_t pr, s = peer_port(&pr), n = new_port();
	struct rb r;

	request(s, MACH_NOTIFY_DEAD_NAME, 0, n);
	CHECK_EQ(ptype(s), MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DNREQUEST);
	expect_empty(n);
	OK(mach_port_destroy(ct_peer, pr));
	recv_now(n, &r);
	check_notification(&r, n, MACH_NOTIFY_DEAD_NAME, 48, false);
	CHECK_EQ(check_u32_body(&r, MACH_MSG_TYPE_PORT_NAME), s);
	CHECK_EQ(ptype(s), MACH_PORT_TYPE_DEAD_NAME);
	/* The dead name carries one more reference, for the notification. */
	CHECK_EQ(refs(s, MACH_PORT_RIGHT_DEAD_NAME), 2);
	destroy(s);
	destroy(n);
}

CTEST(notify_dead_name_without_request)
{
	mach_port_t pr, s = peer_port(&pr);

	OK(mach_port_mod_refs(ct_task, s, MACH_PORT_RIGHT_SEND, 2));
	OK(mach_port_destroy(ct_peer, pr));
	CHECK_EQ(ptype(s), MACH_PORT_TYPE_DEAD_NAME);
	CHECK_EQ(refs(s, MACH_PORT_RIGHT_DEAD_NAME), 3);
	destroy(s);
}

CTEST(notify_dead_name_immediate)
{
	mach_port_t d = new_dead_name(), n = new_port();
	mach_port_t prev = 0xdead;
	struct rb r;

	OK(mach_port_request_notification(ct_task, d, MACH_NOTIFY_DEAD_NAME, 1, n,
					  MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev));
	CHECK_EQ(prev, MACH_PORT_NULL);
	recv_now(n, &r);
	check_notification(&r, n, MACH_NOTIFY_DEAD_NAME, 48, false);
	CHECK_EQ(check_u32_body(&r, MACH_MSG_TYPE_PORT_NAME), d);
	CHECK_EQ(refs(d, MACH_PORT_RIGHT_DEAD_NAME), 2);
	destroy(d);
	destroy(n);
}

CTEST(notify_port_deleted)
{
	mach_port_t pr, s = peer_port(&pr), n = new_port();
	struct rb r;

	request(s, MACH_NOTIFY_DEAD_NAME, 0, n);
	OK(mach_port_deallocate(ct_task, s));
	CHECK(!name_exists(s));
	recv_now(n, &r);
	check_notification(&r, n, MACH_NOTIFY_PORT_DELETED, 48, false);
	CHECK_EQ(check_u32_body(&r, MACH_MSG_TYPE_PORT_NAME), s);
	OK(mach_port_destroy(ct_peer, pr));
	expect_empty(n);
	destroy(n);
}

CTEST(notify_port_destroyed)
{
	mach_port_t p = new_port(), n = new_port(), got;
	uint64_t slot;
	uint32_t w, num;
	struct rb r;

	OK(send_simple(p, MACH_MSG_TYPE_MAKE_SEND, 66));
	OK(mach_port_set_qlimit(ct_task, p, 3));
	request(p, MACH_NOTIFY_PORT_DESTROYED, 0, n);
	CHECK_EQ(pstatus(p).mps_pdrequest, 1);
	destroy(p);
	CHECK(!name_exists(p));
	recv_now(n, &r);
	check_notification(&r, n, MACH_NOTIFY_PORT_DESTROYED, 48, true);
	memcpy(&w, r.b + 32, 4);
	memcpy(&num, r.b + 36, 4);
	memcpy(&slot, r.b + 40, 8);
	CHECK_EQ(w, mt_word(MACH_MSG_TYPE_PORT_RECEIVE, 64, MT_INLINE));
	CHECK_EQ(num, 1);
	CHECK_EQ(slot >> 32, 0);
	got = (mach_port_t)slot;
	/* The receive right came back alive, with its queue and attributes. */
	CHECK_EQ(ptype(got), MACH_PORT_TYPE_RECEIVE);
	CHECK_EQ(pstatus(got).mps_qlimit, 3);
	CHECK_EQ(pstatus(got).mps_pdrequest, 0);
	recv_now(got, &r);
	CHECK_EQ(r.h.msgh_id, 66);
	destroy(got);
	destroy(n);
}

CTEST(notify_send_once)
{
	mach_port_t p = new_port(), so = make_send_once(p);
	struct rb r;

	OK(mach_port_deallocate(ct_task, so));
	recv_now(p, &r);
	check_notification(&r, p, MACH_NOTIFY_SEND_ONCE, 32, false);
	destroy(p);
}

CTEST(notify_send_once_from_peer)
{
	struct mb m;
	struct rb r;

	/* The peer drops our reply right: the reply port hears a send-once notification. */
	mb_init(&m, 0, MACH_PORT_NULL, MACH_PORT_NULL, PEER_DROP);
	CHECK_KR(peer_call(&m, &r), MACH_MSG_SUCCESS);
	CHECK_EQ(r.h.msgh_id, MACH_NOTIFY_SEND_ONCE);
	CHECK_EQ(r.h.msgh_size, 32);
	CHECK_EQ(r.h.msgh_bits, MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE));
}

CTEST(notify_request_replaces_previous)
{
	mach_port_t p = new_port_send(), n1 = new_port(), n2 = new_port(), prev = MACH_PORT_NULL;
	struct rb r;

	request(p, MACH_NOTIFY_NO_SENDERS, 0, n1);
	OK(mach_port_request_notification(ct_task, p, MACH_NOTIFY_NO_SENDERS, 0, n2,
					  MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev));
	CHECK_EQ(ptype(prev), MACH_PORT_TYPE_SEND_ONCE);
	/* The previous right names n1: a message through it arrives there. */
	OK(send_simple(prev, MACH_MSG_TYPE_MOVE_SEND_ONCE, 12));
	recv_now(n1, &r);
	CHECK_EQ(r.h.msgh_id, 12);
	/* Cancelling returns the current one. */
	OK(mach_port_request_notification(ct_task, p, MACH_NOTIFY_NO_SENDERS, 0, MACH_PORT_NULL,
					  MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev));
	CHECK_EQ(ptype(prev), MACH_PORT_TYPE_SEND_ONCE);
	CHECK_EQ(pstatus(p).mps_nsrequest, 0);
	OK(mach_port_deallocate(ct_task, prev));
	recv_now(n2, &r);
	CHECK_EQ(r.h.msgh_id, MACH_NOTIFY_SEND_ONCE);
	OK(mach_port_deallocate(ct_task, p));
	expect_empty(n1);
	expect_empty(n2);
	destroy(p);
	destroy(n1);
	destroy(n2);
}

/* A failed request: the error, and the send-once right made for it dies unused,
   which n hears about. */
static void request_fails(mach_port_t name, mach_msg_id_t id, mach_port_mscount_t sync,
			  mach_port_t n, kern_return_t expected)
{
	mach_port_t prev;
	struct rb r;

	CHECK_KR(mach_port_request_notification(ct_task, name, id, sync, n,
						MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev), expected);
	recv_now(n, &r);
	CHECK_EQ(r.h.msgh_id, MACH_NOTIFY_SEND_ONCE);
}

CTEST(notify_request_errors)
{
	mach_port_t p = new_port(), d = new_dead_name(), n = new_port(), s = new_pset();

	request_fails(p, MACH_NOTIFY_FIRST, 0, n, KERN_INVALID_VALUE);
	request_fails(p, 999, 0, n, KERN_INVALID_VALUE);
	request_fails(d, MACH_NOTIFY_NO_SENDERS, 0, n, KERN_INVALID_RIGHT);
	request_fails(s, MACH_NOTIFY_PORT_DESTROYED, 0, n, KERN_INVALID_RIGHT);
	request_fails(p, MACH_NOTIFY_PORT_DESTROYED, 1, n, KERN_INVALID_VALUE);
	request_fails(unused_name(), MACH_NOTIFY_DEAD_NAME, 0, n, KERN_INVALID_NAME);
	CHECK_EQ(pstatus(n).mps_sorights, 0);
	expect_empty(n);
	destroy(p);
	destroy(d);
	destroy(n);
	destroy(s);
}

CTEST(notify_requests_die_with_port)
{
	mach_port_t p = new_port_send(), n1 = new_port(), n2 = new_port();
	struct rb r;

	request(p, MACH_NOTIFY_NO_SENDERS, 0, n1);
	request(p, MACH_NOTIFY_PORT_DESTROYED, 0, n2);
	CHECK_EQ(pstatus(p).mps_pdrequest, 1);
	/* mod_refs -1 on the receive right destroys it like mach_port_destroy would. */
	OK(mach_port_mod_refs(ct_task, p, MACH_PORT_RIGHT_RECEIVE, -1));
	recv_now(n2, &r);
	CHECK_EQ(r.h.msgh_id, MACH_NOTIFY_PORT_DESTROYED);
	msg_destroy(ct_task, &r.h);
	destroy(p);
	msg_drain(ct_task, n1);
	destroy(n1);
	destroy(n2);
}
