/* Port sets: receiving from a set, membership, and their errors. */
#include "util.h"

static mach_port_t member_of(mach_port_t set)
{
	mach_port_t p = new_port();

	OK(mach_port_move_member(ct_task, p, set));
	return p;
}

CTEST(pset_receive_from_member)
{
	mach_port_t s = new_pset(), a = member_of(s), b = member_of(s);
	struct rb r;

	OK(send_simple(b, MACH_MSG_TYPE_MAKE_SEND, 21));
	recv_now(s, &r);
	CHECK_EQ(r.h.msgh_id, 21);
	CHECK_EQ(r.h.msgh_local_port, b);
	OK(send_simple(a, MACH_MSG_TYPE_MAKE_SEND, 22));
	recv_now(s, &r);
	CHECK_EQ(r.h.msgh_local_port, a);
	expect_empty(s);
	destroy(a);
	destroy(b);
	destroy(s);
}

CTEST(pset_rcv_in_set)
{
	mach_port_t s = new_pset(), a = member_of(s);
	struct rb r;

	OK(send_simple(a, MACH_MSG_TYPE_MAKE_SEND, 1));
	CHECK_KR(rb_recv(&r, a, 0, 0), MACH_RCV_IN_SET);
	recv_now(s, &r);
	destroy(a);
	destroy(s);
}

CTEST(pset_empty_times_out)
{
	mach_port_t s = new_pset();
	struct rb r;

	CHECK_KR(rb_recv(&r, s, 0, 0), MACH_RCV_TIMED_OUT);
	CHECK_KR(rb_recv(&r, s, 0, 10), MACH_RCV_TIMED_OUT);
	destroy(s);
}

CTEST(pset_queued_before_joining)
{
	mach_port_t s = new_pset(), a = new_port();
	struct rb r;

	OK(send_simple(a, MACH_MSG_TYPE_MAKE_SEND, 8));
	OK(mach_port_move_member(ct_task, a, s));
	recv_now(s, &r);
	CHECK_EQ(r.h.msgh_id, 8);
	destroy(a);
	destroy(s);
}

CTEST(pset_move_between_sets)
{
	mach_port_t s1 = new_pset(), s2 = new_pset(), a = member_of(s1);
	struct rb r;

	OK(mach_port_move_member(ct_task, a, s2));
	CHECK_EQ(pstatus(a).mps_pset, s2);
	OK(send_simple(a, MACH_MSG_TYPE_MAKE_SEND, 1));
	expect_empty(s1);
	recv_now(s2, &r);
	CHECK_EQ(r.h.msgh_local_port, a);
	destroy(a);
	destroy(s1);
	destroy(s2);
}

CTEST(pset_remove_member)
{
	mach_port_t s = new_pset(), a = member_of(s);
	struct rb r;

	OK(mach_port_move_member(ct_task, a, MACH_PORT_NULL));
	CHECK_EQ(pstatus(a).mps_pset, MACH_PORT_NULL);
	OK(send_simple(a, MACH_MSG_TYPE_MAKE_SEND, 1));
	expect_empty(s);
	recv_now(a, &r);
	CHECK_KR(mach_port_move_member(ct_task, a, MACH_PORT_NULL), KERN_NOT_IN_SET);
	destroy(a);
	destroy(s);
}

CTEST(pset_move_member_errors)
{
	mach_port_t s = new_pset(), p = new_port(), d = new_dead_name(), s2 = new_pset();
	mach_port_t so = make_send_once(p);

	CHECK_KR(mach_port_move_member(ct_task, d, s), KERN_INVALID_RIGHT);
	CHECK_KR(mach_port_move_member(ct_task, so, s), KERN_INVALID_RIGHT);
	CHECK_KR(mach_port_move_member(ct_task, s2, s), KERN_INVALID_RIGHT);
	CHECK_KR(mach_port_move_member(ct_task, p, p), KERN_INVALID_RIGHT);
	CHECK_KR(mach_port_move_member(ct_task, p, d), KERN_INVALID_RIGHT);
	CHECK_KR(mach_port_move_member(ct_task, unused_name(), s), KERN_INVALID_NAME);
	CHECK_KR(mach_port_move_member(ct_task, p, unused_name()), KERN_INVALID_NAME);
	CHECK_EQ(pstatus(p).mps_pset, MACH_PORT_NULL);
	destroy(so);
	destroy(p);
	destroy(d);
	destroy(s);
	destroy(s2);
}

CTEST(pset_get_set_status)
{
	mach_port_t s = new_pset(), m[3];
	mach_port_name_array_t members = NULL;
	mach_msg_type_number_t n = 0;
	int seen = 0;

	for (int i = 0; i < 3; i++)
		m[i] = member_of(s);
	OK(mach_port_get_set_status(ct_task, s, &members, &n));
	CHECK_EQ(n, 3);
	for (unsigned i = 0; i < n; i++)
		for (int j = 0; j < 3; j++)
			if (members[i] == m[j])
				seen |= 1 << j;
	CHECK_EQ(seen, 7);
	pages_free(members, n * sizeof(*members));
	for (int i = 0; i < 3; i++)
		destroy(m[i]);
	destroy(s);
}

CTEST(pset_get_set_status_empty_and_errors)
{
	mach_port_t s = new_pset(), p = new_port();
	mach_port_name_array_t members = NULL;
	mach_msg_type_number_t n = 99;

	OK(mach_port_get_set_status(ct_task, s, &members, &n));
	CHECK_EQ(n, 0);
	if (members != NULL && n != 0)
		pages_free(members, n * sizeof(*members));
	CHECK_KR(mach_port_get_set_status(ct_task, p, &members, &n), KERN_INVALID_RIGHT);
	CHECK_KR(mach_port_get_set_status(ct_task, unused_name(), &members, &n), KERN_INVALID_NAME);
	destroy(s);
	destroy(p);
}

CTEST(pset_destroy_set_frees_members)
{
	mach_port_t s = new_pset(), a = member_of(s);
	struct rb r;

	OK(send_simple(a, MACH_MSG_TYPE_MAKE_SEND, 4));
	destroy(s);
	CHECK_EQ(pstatus(a).mps_pset, MACH_PORT_NULL);
	recv_now(a, &r);	/* the message stayed with the port */
	CHECK_EQ(r.h.msgh_id, 4);
	destroy(a);
}

CTEST(pset_destroy_member_leaves_set)
{
	mach_port_t s = new_pset(), a = member_of(s), b = member_of(s);
	mach_port_name_array_t members = NULL;
	mach_msg_type_number_t n = 0;

	OK(send_simple(a, MACH_MSG_TYPE_MAKE_SEND, 4));
	destroy(a);
	OK(mach_port_get_set_status(ct_task, s, &members, &n));
	CHECK_EQ(n, 1);
	CHECK_EQ(members[0], b);
	pages_free(members, n * sizeof(*members));
	expect_empty(s);
	destroy(b);
	destroy(s);
}

CTEST(pset_seqno_per_member)
{
	mach_port_t s = new_pset(), a = member_of(s), b = member_of(s);
	struct rb r;

	OK(send_simple(a, MACH_MSG_TYPE_MAKE_SEND, 1));
	recv_now(s, &r);
	CHECK_EQ(r.h.msgh_seqno, 0);
	OK(send_simple(b, MACH_MSG_TYPE_MAKE_SEND, 2));
	recv_now(s, &r);
	CHECK_EQ(r.h.msgh_seqno, 0);
	OK(send_simple(a, MACH_MSG_TYPE_MAKE_SEND, 3));
	recv_now(s, &r);
	CHECK_EQ(r.h.msgh_local_port, a);
	CHECK_EQ(r.h.msgh_seqno, 1);
	destroy(a);
	destroy(b);
	destroy(s);
}

CTEST(pset_receive_status_names_set)
{
	mach_port_t s = new_pset(), a = member_of(s);

	CHECK_EQ(pstatus(a).mps_pset, s);
	destroy(a);
	destroy(s);
}

CTEST(pset_all_members_drained)
{
	mach_port_t s = new_pset(), m[4];
	struct rb r;
	int seen = 0;

	for (int i = 0; i < 4; i++) {
		m[i] = member_of(s);
		OK(send_simple(m[i], MACH_MSG_TYPE_MAKE_SEND, 100 + i));
	}
	for (int i = 0; i < 4; i++) {
		recv_now(s, &r);
		CHECK(r.h.msgh_id >= 100 && r.h.msgh_id < 104);
		CHECK_EQ(r.h.msgh_local_port, m[r.h.msgh_id - 100]);
		seen |= 1 << (r.h.msgh_id - 100);
	}
	CHECK_EQ(seen, 15);
	expect_empty(s);
	for (int i = 0; i < 4; i++)
		destroy(m[i]);
	destroy(s);
}

CTEST(pset_too_large_rcv_large)
{
	mach_port_t s = new_pset(), a = member_of(s);
	struct mb m;
	struct rb r;

	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), a, MACH_PORT_NULL, 3);
	mb_int32(&m, 1);
	OK(mb_send(&m, 0, 0));
	CHECK_KR(mach_msg_trap(&r.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_LARGE, 0, 32, s,
			       0, 0), MACH_RCV_TOO_LARGE);
	CHECK_EQ(r.h.msgh_size, 48);
	recv_now(s, &r);
	CHECK_EQ(r.h.msgh_id, 3);
	destroy(a);
	destroy(s);
}
