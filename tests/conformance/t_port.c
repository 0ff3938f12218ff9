/* mach_port routines on the own task (mach_port.defs, ABI section 6). */
#include "util.h"

CTEST(port_allocate_receive)
{
	mach_port_t p = new_port();

	CHECK_EQ(ptype(p), MACH_PORT_TYPE_RECEIVE);
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_RECEIVE), 1);
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_SEND), 0);
	destroy(p);
}

CTEST(port_allocate_port_set)
{
	mach_port_t s = new_pset();

	CHECK_EQ(ptype(s), MACH_PORT_TYPE_PORT_SET);
	CHECK_EQ(refs(s, MACH_PORT_RIGHT_PORT_SET), 1);
	destroy(s);
}

CTEST(port_allocate_dead_name)
{
	mach_port_t d = new_dead_name();

	CHECK_EQ(ptype(d), MACH_PORT_TYPE_DEAD_NAME);
	CHECK_EQ(refs(d, MACH_PORT_RIGHT_DEAD_NAME), 1);
	destroy(d);
}

CTEST(port_allocate_bad_right)
{
	mach_port_t n = MACH_PORT_NULL;

	CHECK_KR(mach_port_allocate(ct_task, MACH_PORT_RIGHT_SEND, &n), KERN_INVALID_VALUE);
	CHECK_KR(mach_port_allocate(ct_task, MACH_PORT_RIGHT_SEND_ONCE, &n), KERN_INVALID_VALUE);
	CHECK_KR(mach_port_allocate(ct_task, MACH_PORT_RIGHT_NUMBER, &n), KERN_INVALID_VALUE);
	CHECK_KR(mach_port_allocate(ct_task, 0x7fffffff, &n), KERN_INVALID_VALUE);
}

CTEST(port_allocate_names_distinct)
{
	mach_port_t p[12];

	for (int i = 0; i < 12; i++) {
		p[i] = i % 3 == 0 ? new_port() : i % 3 == 1 ? new_pset() : new_dead_name();
		CHECK(MACH_PORT_VALID(p[i]));
		for (int j = 0; j < i; j++)
			CHECK_NE(p[i], p[j]);
	}
	for (int i = 0; i < 12; i++)
		destroy(p[i]);
}

CTEST(port_allocate_name_each_right)
{
	mach_port_t n = unused_name();

	OK(mach_port_allocate_name(ct_task, MACH_PORT_RIGHT_RECEIVE, n));
	CHECK_EQ(ptype(n), MACH_PORT_TYPE_RECEIVE);
	destroy(n);
	OK(mach_port_allocate_name(ct_task, MACH_PORT_RIGHT_PORT_SET, n));
	CHECK_EQ(ptype(n), MACH_PORT_TYPE_PORT_SET);
	destroy(n);
	OK(mach_port_allocate_name(ct_task, MACH_PORT_RIGHT_DEAD_NAME, n));
	CHECK_EQ(ptype(n), MACH_PORT_TYPE_DEAD_NAME);
	destroy(n);
	CHECK(!name_exists(n));
}

CTEST(port_allocate_name_exists)
{
	mach_port_t p = new_port();

	CHECK_KR(mach_port_allocate_name(ct_task, MACH_PORT_RIGHT_RECEIVE, p), KERN_NAME_EXISTS);
	CHECK_KR(mach_port_allocate_name(ct_task, MACH_PORT_RIGHT_DEAD_NAME, p), KERN_NAME_EXISTS);
	CHECK_EQ(ptype(p), MACH_PORT_TYPE_RECEIVE);
	destroy(p);
}

CTEST(port_allocate_name_invalid_name)
{
	CHECK_KR(mach_port_allocate_name(ct_task, MACH_PORT_RIGHT_RECEIVE, MACH_PORT_NULL),
		 KERN_INVALID_VALUE);
	CHECK_KR(mach_port_allocate_name(ct_task, MACH_PORT_RIGHT_RECEIVE, MACH_PORT_DEAD),
		 KERN_INVALID_VALUE);
}

CTEST(port_allocate_name_bad_right)
{
	mach_port_t n = unused_name();

	CHECK_KR(mach_port_allocate_name(ct_task, MACH_PORT_RIGHT_SEND, n), KERN_INVALID_VALUE);
	CHECK(!name_exists(n));
}

CTEST(port_destroy_receive)
{
	mach_port_t p = new_port_send();

	destroy(p);
	CHECK(!name_exists(p));
	CHECK_KR(mach_port_destroy(ct_task, p), KERN_INVALID_NAME);
}

CTEST(port_destroy_port_set_and_dead_name)
{
	mach_port_t s = new_pset(), d = new_dead_name();

	OK(mach_port_mod_refs(ct_task, d, MACH_PORT_RIGHT_DEAD_NAME, 4));
	destroy(s);
	destroy(d);	/* all five references at once */
	CHECK(!name_exists(s));
	CHECK(!name_exists(d));
}

CTEST(port_destroy_unknown_name)
{
	CHECK_KR(mach_port_destroy(ct_task, unused_name()), KERN_INVALID_NAME);
}

CTEST(port_deallocate_send)
{
	mach_port_t p = new_port_send();

	CHECK_EQ(ptype(p), MACH_PORT_TYPE_SEND_RECEIVE);
	OK(mach_port_deallocate(ct_task, p));
	CHECK_EQ(ptype(p), MACH_PORT_TYPE_RECEIVE);
	destroy(p);
}

CTEST(port_deallocate_receive_only)
{
	mach_port_t p = new_port();

	CHECK_KR(mach_port_deallocate(ct_task, p), KERN_INVALID_RIGHT);
	CHECK_EQ(ptype(p), MACH_PORT_TYPE_RECEIVE);
	destroy(p);
}

CTEST(port_deallocate_port_set)
{
	mach_port_t s = new_pset();

	CHECK_KR(mach_port_deallocate(ct_task, s), KERN_INVALID_RIGHT);
	destroy(s);
}

CTEST(port_deallocate_dead_name)
{
	mach_port_t d = new_dead_name();

	OK(mach_port_mod_refs(ct_task, d, MACH_PORT_RIGHT_DEAD_NAME, 1));
	OK(mach_port_deallocate(ct_task, d));
	CHECK_EQ(refs(d, MACH_PORT_RIGHT_DEAD_NAME), 1);
	OK(mach_port_deallocate(ct_task, d));
	CHECK(!name_exists(d));
}

CTEST(port_deallocate_send_once)
{
	mach_port_t p = new_port();
	mach_port_t so = make_send_once(p);
	struct rb r;

	CHECK_EQ(ptype(so), MACH_PORT_TYPE_SEND_ONCE);
	OK(mach_port_deallocate(ct_task, so));
	CHECK(!name_exists(so));
	/* A send-once right that dies unused sends a send-once notification (ABI 7). */
	recv_now(p, &r);
	CHECK_EQ(r.h.msgh_id, MACH_NOTIFY_SEND_ONCE);
	destroy(p);
}

CTEST(port_deallocate_unknown_name)
{
	CHECK_KR(mach_port_deallocate(ct_task, unused_name()), KERN_INVALID_NAME);
}

CTEST(port_get_refs_each_right)
{
	mach_port_t p = new_port_send(), s = new_pset(), d = new_dead_name();
	mach_port_t so = make_send_once(p);

	OK(mach_port_mod_refs(ct_task, p, MACH_PORT_RIGHT_SEND, 2));
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_SEND), 3);
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_RECEIVE), 1);
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_SEND_ONCE), 0);
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_PORT_SET), 0);
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_DEAD_NAME), 0);
	CHECK_EQ(refs(so, MACH_PORT_RIGHT_SEND_ONCE), 1);
	CHECK_EQ(refs(so, MACH_PORT_RIGHT_SEND), 0);
	CHECK_EQ(refs(s, MACH_PORT_RIGHT_PORT_SET), 1);
	CHECK_EQ(refs(d, MACH_PORT_RIGHT_DEAD_NAME), 1);
	destroy(so);
	destroy(p);
	destroy(s);
	destroy(d);
}

CTEST(port_get_refs_bad_right)
{
	mach_port_t p = new_port();
	mach_port_urefs_t r;

	CHECK_KR(mach_port_get_refs(ct_task, p, MACH_PORT_RIGHT_NUMBER, &r), KERN_INVALID_VALUE);
	destroy(p);
}

CTEST(port_get_refs_unknown_name)
{
	mach_port_urefs_t r;

	CHECK_KR(mach_port_get_refs(ct_task, unused_name(), MACH_PORT_RIGHT_SEND, &r),
		 KERN_INVALID_NAME);
}

CTEST(port_mod_refs_send)
{
	mach_port_t p = new_port_send();

	OK(mach_port_mod_refs(ct_task, p, MACH_PORT_RIGHT_SEND, 3));
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_SEND), 4);
	OK(mach_port_mod_refs(ct_task, p, MACH_PORT_RIGHT_SEND, -4));
	CHECK_EQ(ptype(p), MACH_PORT_TYPE_RECEIVE);
	destroy(p);
}

CTEST(port_mod_refs_receive)
{
	mach_port_t p = new_port();

	CHECK_KR(mach_port_mod_refs(ct_task, p, MACH_PORT_RIGHT_RECEIVE, 1), KERN_INVALID_VALUE);
	CHECK_KR(mach_port_mod_refs(ct_task, p, MACH_PORT_RIGHT_RECEIVE, -2), KERN_INVALID_VALUE);
	CHECK_EQ(ptype(p), MACH_PORT_TYPE_RECEIVE);
	OK(mach_port_mod_refs(ct_task, p, MACH_PORT_RIGHT_RECEIVE, -1));
	CHECK(!name_exists(p));
}

CTEST(port_mod_refs_port_set)
{
	mach_port_t s = new_pset();

	OK(mach_port_mod_refs(ct_task, s, MACH_PORT_RIGHT_PORT_SET, -1));
	CHECK(!name_exists(s));
}

CTEST(port_mod_refs_missing_right)
{
	mach_port_t p = new_port(), d = new_dead_name();

	CHECK_KR(mach_port_mod_refs(ct_task, p, MACH_PORT_RIGHT_SEND, 1), KERN_INVALID_RIGHT);
	CHECK_KR(mach_port_mod_refs(ct_task, p, MACH_PORT_RIGHT_DEAD_NAME, 1), KERN_INVALID_RIGHT);
	CHECK_KR(mach_port_mod_refs(ct_task, d, MACH_PORT_RIGHT_RECEIVE, -1), KERN_INVALID_RIGHT);
	CHECK_KR(mach_port_mod_refs(ct_task, d, MACH_PORT_RIGHT_PORT_SET, -1), KERN_INVALID_RIGHT);
	CHECK_EQ(ptype(p), MACH_PORT_TYPE_RECEIVE);
	CHECK_EQ(ptype(d), MACH_PORT_TYPE_DEAD_NAME);
	destroy(p);
	destroy(d);
}

CTEST(port_mod_refs_bad_right_and_name)
{
	mach_port_t d = new_dead_name();

	CHECK_KR(mach_port_mod_refs(ct_task, d, MACH_PORT_RIGHT_NUMBER, 1), KERN_INVALID_VALUE);
	CHECK_KR(mach_port_mod_refs(ct_task, unused_name(), MACH_PORT_RIGHT_SEND, 1),
		 KERN_INVALID_NAME);
	destroy(d);
}

CTEST(port_mod_refs_underflow)
{
	mach_port_t d = new_dead_name(), p = new_port_send();

	CHECK_KR(mach_port_mod_refs(ct_task, d, MACH_PORT_RIGHT_DEAD_NAME, -2), KERN_INVALID_VALUE);
	CHECK_EQ(refs(d, MACH_PORT_RIGHT_DEAD_NAME), 1);
	CHECK_KR(mach_port_mod_refs(ct_task, p, MACH_PORT_RIGHT_SEND, -2), KERN_INVALID_VALUE);
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_SEND), 1);
	destroy(d);
	destroy(p);
}

CTEST(port_mod_refs_dead_name)
{
	mach_port_t d = new_dead_name();

	OK(mach_port_mod_refs(ct_task, d, MACH_PORT_RIGHT_DEAD_NAME, 5));
	CHECK_EQ(refs(d, MACH_PORT_RIGHT_DEAD_NAME), 6);
	OK(mach_port_mod_refs(ct_task, d, MACH_PORT_RIGHT_DEAD_NAME, -6));
	CHECK(!name_exists(d));
}

CTEST(port_mod_refs_send_once)
{
	mach_port_t p = new_port();
	mach_port_t so = make_send_once(p);

	CHECK_KR(mach_port_mod_refs(ct_task, so, MACH_PORT_RIGHT_SEND_ONCE, 1), KERN_INVALID_VALUE);
	CHECK_EQ(refs(so, MACH_PORT_RIGHT_SEND_ONCE), 1);
	OK(mach_port_mod_refs(ct_task, so, MACH_PORT_RIGHT_SEND_ONCE, -1));
	CHECK(!name_exists(so));
	destroy(p);	/* with the send-once notification queued */
}

/* User references are bounded (GNU Mach's MACH_PORT_UREFS_MAX, 0xffff): one more is
   KERN_UREFS_OVERFLOW and changes nothing. */
CTEST(urefs_overflow_send)
{
	mach_port_t p = new_port_send();

	OK(mach_port_mod_refs(ct_task, p, MACH_PORT_RIGHT_SEND, UREFS_MAX - 1));
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_SEND), UREFS_MAX);
	CHECK_KR(mach_port_mod_refs(ct_task, p, MACH_PORT_RIGHT_SEND, 1), KERN_UREFS_OVERFLOW);
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_SEND), UREFS_MAX);
	destroy(p);
}

CTEST(urefs_overflow_dead_name)
{
	mach_port_t d = new_dead_name();

	OK(mach_port_mod_refs(ct_task, d, MACH_PORT_RIGHT_DEAD_NAME, UREFS_MAX - 1));
	CHECK_KR(mach_port_mod_refs(ct_task, d, MACH_PORT_RIGHT_DEAD_NAME, 1), KERN_UREFS_OVERFLOW);
	CHECK_EQ(refs(d, MACH_PORT_RIGHT_DEAD_NAME), UREFS_MAX);
	destroy(d);
}

CTEST(urefs_overflow_huge_delta)
{
	mach_port_t p = new_port_send(), d = new_dead_name();

	CHECK_KR(mach_port_mod_refs(ct_task, p, MACH_PORT_RIGHT_SEND, 0x7fffffff),
		 KERN_UREFS_OVERFLOW);
	CHECK_KR(mach_port_mod_refs(ct_task, d, MACH_PORT_RIGHT_DEAD_NAME, 0x7fffffff),
		 KERN_UREFS_OVERFLOW);
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_SEND), 1);
	CHECK_EQ(refs(d, MACH_PORT_RIGHT_DEAD_NAME), 1);
	destroy(p);
	destroy(d);
}

CTEST(urefs_overflow_insert_right)
{
	mach_port_t p = new_port_send();

	OK(mach_port_mod_refs(ct_task, p, MACH_PORT_RIGHT_SEND, UREFS_MAX - 1));
	CHECK_KR(mach_port_insert_right(ct_task, p, p, MACH_MSG_TYPE_MAKE_SEND),
		 KERN_UREFS_OVERFLOW);
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_SEND), UREFS_MAX);
	destroy(p);
}

CTEST(port_type_each_right)
{
	mach_port_t p = new_port(), s = new_pset(), d = new_dead_name();
	mach_port_t so = make_send_once(p);

	CHECK_EQ(ptype(p), MACH_PORT_TYPE_RECEIVE);
	OK(mach_port_insert_right(ct_task, p, p, MACH_MSG_TYPE_MAKE_SEND));
	CHECK_EQ(ptype(p), MACH_PORT_TYPE_SEND_RECEIVE);
	CHECK_EQ(ptype(so), MACH_PORT_TYPE_SEND_ONCE);
	CHECK_EQ(ptype(s), MACH_PORT_TYPE_PORT_SET);
	CHECK_EQ(ptype(d), MACH_PORT_TYPE_DEAD_NAME);
	destroy(so);
	destroy(p);
	destroy(s);
	destroy(d);
}

CTEST(port_type_unknown_name)
{
	mach_port_type_t t;

	CHECK_KR(mach_port_type(ct_task, unused_name(), &t), KERN_INVALID_NAME);
	CHECK_KR(mach_port_type(ct_task, MACH_PORT_NULL, &t), KERN_INVALID_NAME);
}

CTEST(port_names_lists_rights)
{
	mach_port_t p = new_port_send(), s = new_pset(), d = new_dead_name();
	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	mach_msg_type_number_t nn = 0, nt = 0;
	int found = 0;

	OK(mach_port_names(ct_task, &names, &nn, &types, &nt));
	CHECK_EQ(nn, nt);
	for (unsigned i = 0; i < nn; i++) {
		if (names[i] == p) {
			CHECK_EQ(types[i], MACH_PORT_TYPE_SEND_RECEIVE);
			found |= 1;
		} else if (names[i] == s) {
			CHECK_EQ(types[i], MACH_PORT_TYPE_PORT_SET);
			found |= 2;
		} else if (names[i] == d) {
			CHECK_EQ(types[i], MACH_PORT_TYPE_DEAD_NAME);
			found |= 4;
		} else if (names[i] == ct_task) {
			CHECK(types[i] & MACH_PORT_TYPE_SEND);
			found |= 8;
		}
	}
	CHECK_EQ(found, 15);
	pages_free(names, nn * sizeof(*names));
	pages_free(types, nt * sizeof(*types));
	destroy(p);
	destroy(s);
	destroy(d);
}

CTEST(port_rename)
{
	mach_port_t p = new_port_send(), n = unused_name();
	struct rb r;

	OK(mach_port_rename(ct_task, p, n));
	CHECK(!name_exists(p));
	CHECK_EQ(ptype(n), MACH_PORT_TYPE_SEND_RECEIVE);
	OK(send_simple(n, MACH_MSG_TYPE_COPY_SEND, 77));
	recv_now(n, &r);
	CHECK_EQ(r.h.msgh_local_port, n);
	destroy(n);
}

CTEST(port_rename_errors)
{
	mach_port_t p = new_port(), q = new_dead_name();

	CHECK_KR(mach_port_rename(ct_task, p, q), KERN_NAME_EXISTS);
	CHECK_KR(mach_port_rename(ct_task, unused_name(), unused_name()), KERN_INVALID_NAME);
	CHECK_KR(mach_port_rename(ct_task, p, MACH_PORT_NULL), KERN_INVALID_VALUE);
	CHECK_KR(mach_port_rename(ct_task, p, MACH_PORT_DEAD), KERN_INVALID_VALUE);
	CHECK_EQ(ptype(p), MACH_PORT_TYPE_RECEIVE);
	destroy(p);
	destroy(q);
}

CTEST(port_insert_right_make_send)
{
	mach_port_t p = new_port();

	OK(mach_port_insert_right(ct_task, p, p, MACH_MSG_TYPE_MAKE_SEND));
	CHECK_EQ(ptype(p), MACH_PORT_TYPE_SEND_RECEIVE);
	CHECK_EQ(pstatus(p).mps_mscount, 1);
	OK(mach_port_insert_right(ct_task, p, p, MACH_MSG_TYPE_COPY_SEND));
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_SEND), 2);
	destroy(p);
}

CTEST(port_insert_right_send_once)
{
	mach_port_t p = new_port(), n = unused_name();
	struct rb r;

	OK(mach_port_insert_right(ct_task, n, p, MACH_MSG_TYPE_MAKE_SEND_ONCE));
	CHECK_EQ(ptype(n), MACH_PORT_TYPE_SEND_ONCE);
	CHECK_EQ(pstatus(p).mps_sorights, 1);
	OK(send_simple(n, MACH_MSG_TYPE_MOVE_SEND_ONCE, 5));
	CHECK(!name_exists(n));
	recv_now(p, &r);
	CHECK_EQ(MACH_MSGH_BITS_LOCAL(r.h.msgh_bits), MACH_MSG_TYPE_PORT_SEND_ONCE);
	CHECK_EQ(pstatus(p).mps_sorights, 0);
	destroy(p);
}

CTEST(port_insert_right_errors)
{
	mach_port_t p = new_port(), d = new_dead_name();

	/* The task already names the port elsewhere. */
	CHECK_KR(mach_port_insert_right(ct_task, unused_name(), p, MACH_MSG_TYPE_MAKE_SEND),
		 KERN_RIGHT_EXISTS);
	/* The name holds another right. */
	CHECK_KR(mach_port_insert_right(ct_task, d, p, MACH_MSG_TYPE_MAKE_SEND), KERN_NAME_EXISTS);
	CHECK_KR(mach_port_insert_right(ct_task, MACH_PORT_NULL, p, MACH_MSG_TYPE_MAKE_SEND),
		 KERN_INVALID_VALUE);
	CHECK_KR(mach_port_insert_right(ct_task, MACH_PORT_DEAD, p, MACH_MSG_TYPE_MAKE_SEND),
		 KERN_INVALID_VALUE);
	CHECK_EQ(ptype(p), MACH_PORT_TYPE_RECEIVE);
	CHECK_EQ(ptype(d), MACH_PORT_TYPE_DEAD_NAME);
	destroy(p);
	destroy(d);
}

CTEST(port_extract_right_make_send)
{
	mach_port_t p = new_port(), got = MACH_PORT_NULL;
	mach_msg_type_name_t t = 0;

	OK(mach_port_extract_right(ct_task, p, MACH_MSG_TYPE_MAKE_SEND, &got, &t));
	CHECK_EQ(t, MACH_MSG_TYPE_PORT_SEND);
	/* Back in the same space, a send right joins the receive right's name. */
	CHECK_EQ(got, p);
	CHECK_EQ(ptype(p), MACH_PORT_TYPE_SEND_RECEIVE);
	CHECK_EQ(pstatus(p).mps_mscount, 1);
	destroy(p);
}

CTEST(port_extract_right_copy_and_move_send)
{
	mach_port_t p = new_port_send(), got = MACH_PORT_NULL;
	mach_msg_type_name_t t = 0;

	OK(mach_port_extract_right(ct_task, p, MACH_MSG_TYPE_COPY_SEND, &got, &t));
	CHECK_EQ(t, MACH_MSG_TYPE_PORT_SEND);
	CHECK_EQ(got, p);
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_SEND), 2);
	OK(mach_port_extract_right(ct_task, p, MACH_MSG_TYPE_MOVE_SEND, &got, &t));
	CHECK_EQ(t, MACH_MSG_TYPE_PORT_SEND);
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_SEND), 2);
	destroy(p);
}

CTEST(port_extract_right_send_once)
{
	mach_port_t p = new_port(), so, got = MACH_PORT_NULL;
	mach_msg_type_name_t t = 0;

	so = make_send_once(p);
	CHECK_NE(so, p);
	OK(mach_port_extract_right(ct_task, so, MACH_MSG_TYPE_MOVE_SEND_ONCE, &got, &t));
	CHECK_EQ(t, MACH_MSG_TYPE_PORT_SEND_ONCE);
	CHECK_EQ(ptype(got), MACH_PORT_TYPE_SEND_ONCE);
	CHECK_EQ(pstatus(p).mps_sorights, 1);
	destroy(got);
	destroy(p);
}

CTEST(port_extract_right_move_receive)
{
	mach_port_t p = new_port(), got = MACH_PORT_NULL;
	mach_msg_type_name_t t = 0;

	OK(mach_port_extract_right(ct_task, p, MACH_MSG_TYPE_MOVE_RECEIVE, &got, &t));
	CHECK_EQ(t, MACH_MSG_TYPE_PORT_RECEIVE);
	CHECK_EQ(ptype(got), MACH_PORT_TYPE_RECEIVE);
	if (got != p)
		CHECK(!name_exists(p));
	destroy(got);
}

CTEST(port_extract_right_errors)
{
	mach_port_t p = new_port(), d = new_dead_name(), got;
	mach_msg_type_name_t t;

	CHECK_KR(mach_port_extract_right(ct_task, unused_name(), MACH_MSG_TYPE_MAKE_SEND, &got, &t),
		 KERN_INVALID_NAME);
	CHECK_KR(mach_port_extract_right(ct_task, p, MACH_MSG_TYPE_MOVE_SEND, &got, &t),
		 KERN_INVALID_RIGHT);
	CHECK_KR(mach_port_extract_right(ct_task, p, MACH_MSG_TYPE_COPY_SEND, &got, &t),
		 KERN_INVALID_RIGHT);
	CHECK_KR(mach_port_extract_right(ct_task, p, MACH_MSG_TYPE_MOVE_SEND_ONCE, &got, &t),
		 KERN_INVALID_RIGHT);
	CHECK_KR(mach_port_extract_right(ct_task, d, MACH_MSG_TYPE_MAKE_SEND, &got, &t),
		 KERN_INVALID_RIGHT);
	CHECK_KR(mach_port_extract_right(ct_task, p, MACH_MSG_TYPE_INTEGER_32, &got, &t),
		 KERN_INVALID_VALUE);
	CHECK_EQ(ptype(p), MACH_PORT_TYPE_RECEIVE);
	destroy(p);
	destroy(d);
}

CTEST(port_receive_status_fresh)
{
	mach_port_t p = new_port();
	mach_port_status_t s = pstatus(p);

	CHECK_EQ(s.mps_pset, MACH_PORT_NULL);
	CHECK_EQ(s.mps_seqno, 0);
	CHECK_EQ(s.mps_mscount, 0);
	CHECK_EQ(s.mps_qlimit, MACH_PORT_QLIMIT_DEFAULT);
	CHECK_EQ(s.mps_msgcount, 0);
	CHECK_EQ(s.mps_sorights, 0);
	CHECK_EQ(s.mps_srights, 0);
	CHECK_EQ(s.mps_pdrequest, 0);
	CHECK_EQ(s.mps_nsrequest, 0);
	destroy(p);
}

CTEST(port_receive_status_counts)
{
	mach_port_t p = new_port_send(), so = make_send_once(p);
	mach_port_status_t s;

	OK(send_simple(p, MACH_MSG_TYPE_COPY_SEND, 1));
	OK(send_simple(p, MACH_MSG_TYPE_MAKE_SEND, 2));
	s = pstatus(p);
	CHECK_EQ(s.mps_mscount, 2);
	CHECK_EQ(s.mps_srights, 1);
	CHECK_EQ(s.mps_sorights, 1);
	CHECK_EQ(s.mps_msgcount, 2);
	destroy(so);
	destroy(p);
}

CTEST(port_receive_status_needs_receive)
{
	mach_port_t s = new_pset(), d = new_dead_name();
	mach_port_status_t st;

	CHECK_KR(mach_port_get_receive_status(ct_task, s, &st), KERN_INVALID_RIGHT);
	CHECK_KR(mach_port_get_receive_status(ct_task, d, &st), KERN_INVALID_RIGHT);
	CHECK_KR(mach_port_get_receive_status(ct_task, unused_name(), &st), KERN_INVALID_NAME);
	destroy(s);
	destroy(d);
}

CTEST(port_set_qlimit)
{
	mach_port_t p = new_port();

	OK(mach_port_set_qlimit(ct_task, p, 10));
	CHECK_EQ(pstatus(p).mps_qlimit, 10);
	OK(mach_port_set_qlimit(ct_task, p, MACH_PORT_QLIMIT_MAX));
	CHECK_EQ(pstatus(p).mps_qlimit, MACH_PORT_QLIMIT_MAX);
	CHECK_KR(mach_port_set_qlimit(ct_task, p, MACH_PORT_QLIMIT_MAX + 1), KERN_INVALID_VALUE);
	CHECK_EQ(pstatus(p).mps_qlimit, MACH_PORT_QLIMIT_MAX);
	destroy(p);
}

CTEST(port_set_qlimit_needs_receive)
{
	mach_port_t d = new_dead_name(), s = new_pset();

	CHECK_KR(mach_port_set_qlimit(ct_task, d, 3), KERN_INVALID_RIGHT);
	CHECK_KR(mach_port_set_qlimit(ct_task, s, 3), KERN_INVALID_RIGHT);
	CHECK_KR(mach_port_set_qlimit(ct_task, unused_name(), 3), KERN_INVALID_NAME);
	destroy(d);
	destroy(s);
}

CTEST(port_set_mscount)
{
	mach_port_t p = new_port(), d = new_dead_name();

	OK(mach_port_set_mscount(ct_task, p, 7));
	CHECK_EQ(pstatus(p).mps_mscount, 7);
	OK(mach_port_insert_right(ct_task, p, p, MACH_MSG_TYPE_MAKE_SEND));
	CHECK_EQ(pstatus(p).mps_mscount, 8);
	CHECK_KR(mach_port_set_mscount(ct_task, d, 1), KERN_INVALID_RIGHT);
	destroy(p);
	destroy(d);
}

CTEST(port_set_seqno)
{
	mach_port_t p = new_port(), d = new_dead_name();

	OK(mach_port_set_seqno(ct_task, p, 42));
	CHECK_EQ(pstatus(p).mps_seqno, 42);
	CHECK_KR(mach_port_set_seqno(ct_task, d, 1), KERN_INVALID_RIGHT);
	destroy(p);
	destroy(d);
}

CTEST(port_protected_payload)
{
	mach_port_t p = new_port_send();
	struct rb r;
	uint64_t payload;

	OK(mach_port_set_protected_payload(ct_task, p, 0x1122334455667788ull));
	OK(send_simple(p, MACH_MSG_TYPE_COPY_SEND, 9));
	recv_now(p, &r);
	CHECK_EQ(MACH_MSGH_BITS_LOCAL(r.h.msgh_bits), MACH_MSG_TYPE_PROTECTED_PAYLOAD);
	memcpy(&payload, r.b + 16, 8);
	CHECK_EQ(payload, 0x1122334455667788ull);
	OK(mach_port_clear_protected_payload(ct_task, p));
	OK(send_simple(p, MACH_MSG_TYPE_COPY_SEND, 9));
	recv_now(p, &r);
	CHECK_EQ(MACH_MSGH_BITS_LOCAL(r.h.msgh_bits), MACH_MSG_TYPE_PORT_SEND);
	CHECK_EQ(r.h.msgh_local_port, p);
	destroy(p);
}

CTEST(port_rpc_on_non_task_port)
{
	mach_port_t n;

	/* The host port names no IPC space. */
	CHECK_KR(mach_port_allocate(ct_host, MACH_PORT_RIGHT_RECEIVE, &n), KERN_INVALID_TASK);
}

CTEST(port_routines_on_peer)
{
	mach_port_t p = MACH_PORT_NULL, got = MACH_PORT_NULL;
	mach_msg_type_name_t t = 0;
	mach_port_type_t ty = 0;

	OK(mach_port_allocate(ct_peer, MACH_PORT_RIGHT_RECEIVE, &p));
	OK(mach_port_type(ct_peer, p, &ty));
	CHECK_EQ(ty, MACH_PORT_TYPE_RECEIVE);
	OK(mach_port_extract_right(ct_peer, p, MACH_MSG_TYPE_MAKE_SEND, &got, &t));
	CHECK_EQ(t, MACH_MSG_TYPE_PORT_SEND);
	CHECK_EQ(ptype(got), MACH_PORT_TYPE_SEND);
	OK(mach_port_destroy(ct_peer, p));
	CHECK_KR(mach_port_type(ct_peer, p, &ty), KERN_INVALID_NAME);
	/* Our send right is now a dead name. */
	CHECK_EQ(ptype(got), MACH_PORT_TYPE_DEAD_NAME);
	destroy(got);
}

CTEST(port_destroy_makes_rights_dead)
{
	mach_port_t p = new_port(), so = make_send_once(p), pn = 0x304, s;
	mach_msg_type_name_t t;

	/* Our send-once right to our own port dies with the receive right. */
	destroy(p);
	CHECK_EQ(ptype(so), MACH_PORT_TYPE_DEAD_NAME);
	CHECK_EQ(refs(so, MACH_PORT_RIGHT_DEAD_NAME), 1);
	destroy(so);
	/* Our send right to the peer's port, when the peer destroys it. */
	OK(mach_port_allocate_name(ct_peer, MACH_PORT_RIGHT_RECEIVE, pn));
	OK(mach_port_extract_right(ct_peer, pn, MACH_MSG_TYPE_MAKE_SEND, &s, &t));
	OK(mach_port_destroy(ct_peer, pn));
	CHECK_EQ(ptype(s), MACH_PORT_TYPE_DEAD_NAME);
	CHECK_KR(mach_port_mod_refs(ct_task, s, MACH_PORT_RIGHT_SEND, -1), KERN_INVALID_RIGHT);
	OK(mach_port_mod_refs(ct_task, s, MACH_PORT_RIGHT_DEAD_NAME, -1));
	CHECK(!name_exists(s));
}

CTEST_LAST(port_set_ktype)
{
	mach_port_t p = new_port();

	/* The task port goes in the request as a copied send right; a failed call leaves
	   it as it was. */
	CHECK_KR(mach_port_set_ktype(ct_host, ct_task, p, MACH_PORT_RIGHT_RECEIVE,
				     MACH_PORT_KTYPE_USER_DEVICE), KERN_INVALID_HOST);
	CHECK_EQ(ptype(ct_task), MACH_PORT_TYPE_SEND);
	OK(mach_port_set_ktype(ct_host_priv, ct_task, p, MACH_PORT_RIGHT_RECEIVE,
			       MACH_PORT_KTYPE_USER_DEVICE));
	OK(mach_port_set_ktype(ct_host_priv, ct_task, p, MACH_PORT_RIGHT_RECEIVE,
			       MACH_PORT_KTYPE_NONE));
	CHECK_EQ(ptype(p), MACH_PORT_TYPE_RECEIVE);
	destroy(p);
}
