/* Typed message bodies: inline data, port rights inline and out of line, out-of-line
   memory, and the descriptor checks (ABI 3.2-3.4). */
#include "util.h"

/* A complex message to p (MAKE_SEND) being built in m. */
static void start(struct mb *m, mach_port_t p, mach_msg_id_t id)
{
	mb_init(m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX, p,
		MACH_PORT_NULL, id);
}

static void first_item(struct rb *r, struct item *it)
{
	uint32_t off = sizeof(r->h);

	CHECK(msg_next_item(&r->h, &off, it));
}

CTEST(body_inline_data_unchanged)
{
	mach_port_t p = new_port();
	struct mb m;
	struct rb r;
	int16_t s[3] = { -1, 2, -3 };
	int64_t big = 0x0123456789abcdefll;

	start(&m, p, 1);
	mb_type(&m, mt_word(MACH_MSG_TYPE_INTEGER_16, 16, MT_INLINE), 3);
	mb_bytes(&m, s, sizeof(s));
	mb_type(&m, mt_word(MACH_MSG_TYPE_INTEGER_64, 64, MT_INLINE), 1);
	mb_bytes(&m, &big, 8);
	mb_type(&m, mt_word(MACH_MSG_TYPE_CHAR, 8, MT_INLINE), 5);
	mb_bytes(&m, "hello", 5);
	OK(mb_send(&m, 0, 0));
	recv_now(p, &r);
	CHECK_EQ(r.h.msgh_size, m.len);
	/* Data items arrive exactly as sent, padding included. */
	CHECK(memcmp(r.b + 32, m.b + 32, m.len - 32) == 0);
	destroy(p);
}

CTEST(body_not_complex_is_opaque)
{
	mach_port_t p = new_port(), q = new_port();
	struct mb m;
	struct rb r;

	/* Looks like a receive right, but without COMPLEX it is just bytes. */
	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, MACH_PORT_NULL, 1);
	mb_port(&m, MACH_MSG_TYPE_MOVE_RECEIVE, q);
	m.h.msgh_bits &= ~MACH_MSGH_BITS_COMPLEX;
	OK(mb_send(&m, 0, 0));
	CHECK_EQ(ptype(q), MACH_PORT_TYPE_RECEIVE);
	recv_now(p, &r);
	CHECK(memcmp(r.b + 32, m.b + 32, m.len - 32) == 0);
	destroy(p);
	destroy(q);
}

CTEST(body_descriptor_truncated)
{
	mach_port_t p = new_port();
	struct mb m;

	/* 16 bytes of data announced, 8 present. */
	start(&m, p, 1);
	mb_type(&m, mt_word(MACH_MSG_TYPE_INTEGER_32, 32, MT_INLINE), 4);
	mb_bytes(&m, "abcdefgh", 8);
	CHECK_KR(mb_send(&m, MACH_SEND_TIMEOUT, 0), MACH_SEND_MSG_TOO_SMALL);
	/* An out-of-line item without its address. */
	start(&m, p, 1);
	mb_type(&m, mt_word(MACH_MSG_TYPE_BYTE, 8, 0), 4);
	CHECK_KR(mb_send(&m, MACH_SEND_TIMEOUT, 0), MACH_SEND_MSG_TOO_SMALL);
	expect_empty(p);
	destroy(p);
}

CTEST(body_unused_bits_invalid_type)
{
	mach_port_t p = new_port();
	struct mb m;

	start(&m, p, 1);
	mb_type(&m, mt_word(MACH_MSG_TYPE_INTEGER_32, 32, MT_INLINE) | (1u << 24), 1);
	mb_bytes(&m, "abcd", 4);
	CHECK_KR(mb_send(&m, MACH_SEND_TIMEOUT, 0), MACH_SEND_INVALID_TYPE);
	start(&m, p, 1);
	mb_type(&m, mt_word(MACH_MSG_TYPE_INTEGER_32, 32, MT_INLINE) | (1u << 28), 1);
	mb_bytes(&m, "abcd", 4);
	CHECK_KR(mb_send(&m, MACH_SEND_TIMEOUT, 0), MACH_SEND_INVALID_TYPE);
	expect_empty(p);
	destroy(p);
}

CTEST(body_inline_dealloc_invalid_type)
{
	mach_port_t p = new_port();
	struct mb m;

	start(&m, p, 1);
	mb_type(&m, mt_word(MACH_MSG_TYPE_INTEGER_32, 32, MT_INLINE | MT_DEALLOC), 1);
	mb_bytes(&m, "abcd", 4);
	CHECK_KR(mb_send(&m, MACH_SEND_TIMEOUT, 0), MACH_SEND_INVALID_TYPE);
	expect_empty(p);
	destroy(p);
}

CTEST(body_port_wrong_size_invalid_type)
{
	mach_port_t p = new_port(), q = new_port_send();
	mach_port_t names[2] = { q, q };
	struct mb m;

	/* Inline ports are 64-bit slots ... */
	start(&m, p, 1);
	mb_type(&m, mt_word(MACH_MSG_TYPE_COPY_SEND, 32, MT_INLINE), 2);
	mb_bytes(&m, names, sizeof(names));
	CHECK_KR(mb_send(&m, MACH_SEND_TIMEOUT, 0), MACH_SEND_INVALID_TYPE);
	/* ... out-of-line ones 32-bit names. */
	start(&m, p, 1);
	mb_type(&m, mt_word(MACH_MSG_TYPE_COPY_SEND, 64, MT_LONGFORM), 1);
	{
		uint64_t a = (uintptr_t)names;

		mb_bytes(&m, &a, 8);
	}
	CHECK_KR(mb_send(&m, MACH_SEND_TIMEOUT, 0), MACH_SEND_INVALID_TYPE);
	expect_empty(p);
	CHECK_EQ(refs(q, MACH_PORT_RIGHT_SEND), 1);
	destroy(p);
	destroy(q);
}

/* A body right the sender does not hold: MACH_SEND_INVALID_RIGHT, nothing queued. */
static void invalid_right_case(mach_msg_type_name_t disp, mach_port_t name)
{
	mach_port_t p = new_port();
	struct mb m;

	start(&m, p, 1);
	mb_port(&m, disp, name);
	CHECK_KR(mb_send(&m, MACH_SEND_TIMEOUT, 0), MACH_SEND_INVALID_RIGHT);
	expect_empty(p);
	destroy(p);
}

CTEST(body_invalid_right_copy_send)
{
	mach_port_t q = new_port();

	invalid_right_case(MACH_MSG_TYPE_COPY_SEND, q);
	invalid_right_case(MACH_MSG_TYPE_COPY_SEND, unused_name());
	destroy(q);
}

CTEST(body_invalid_right_move_send)
{
	mach_port_t q = new_port();

	invalid_right_case(MACH_MSG_TYPE_MOVE_SEND, q);
	invalid_right_case(MACH_MSG_TYPE_MOVE_SEND, unused_name());
	CHECK_EQ(ptype(q), MACH_PORT_TYPE_RECEIVE);
	destroy(q);
}

CTEST(body_invalid_right_make_send)
{
	mach_port_t d = new_dead_name(), s = new_pset();

	invalid_right_case(MACH_MSG_TYPE_MAKE_SEND, d);
	invalid_right_case(MACH_MSG_TYPE_MAKE_SEND, s);
	invalid_right_case(MACH_MSG_TYPE_MAKE_SEND_ONCE, d);
	destroy(d);
	destroy(s);
}

CTEST(body_invalid_right_move_receive)
{
	mach_port_t q = new_port(), so = make_send_once(q), s = new_pset();

	invalid_right_case(MACH_MSG_TYPE_MOVE_RECEIVE, so);
	invalid_right_case(MACH_MSG_TYPE_MOVE_RECEIVE, s);
	invalid_right_case(MACH_MSG_TYPE_MOVE_RECEIVE, unused_name());
	invalid_right_case(MACH_MSG_TYPE_MOVE_SEND_ONCE, q);
	destroy(so);
	destroy(q);
	destroy(s);
}

CTEST(body_null_and_dead_pass)
{
	mach_port_t p = new_port();
	mach_port_t names[2] = { MACH_PORT_NULL, MACH_PORT_DEAD };
	struct mb m;
	struct rb r;
	struct item it;

	start(&m, p, 1);
	mb_ports(&m, MACH_MSG_TYPE_COPY_SEND, names, 2);
	OK(mb_send(&m, 0, 0));
	recv_now(p, &r);
	first_item(&r, &it);
	CHECK_EQ(it.name, MACH_MSG_TYPE_PORT_SEND);
	CHECK_EQ(it.number, 2);
	CHECK_EQ(item_port(&it, 0), MACH_PORT_NULL);
	CHECK_EQ(item_port(&it, 1), MACH_PORT_DEAD);
	destroy(p);
}

/* One right in a body to our own port p; returns the item as received. */
static void body_right_case(mach_msg_type_name_t disp, mach_port_t name, mach_msg_type_name_t seen,
			    mach_port_t p, struct rb *r, struct item *it)
{
	struct mb m;
	uint64_t slot;

	start(&m, p, 1);
	mb_port(&m, disp, name);
	OK(mb_send(&m, 0, 0));
	recv_now(p, r);
	CHECK_EQ(r->h.msgh_size, 48);
	first_item(r, it);
	CHECK_EQ(it->word, mt_word(seen, 64, MT_INLINE));
	CHECK_EQ(it->number, 1);
	memcpy(&slot, it->data, 8);
	CHECK_EQ(slot >> 32, 0);
}

CTEST(body_right_make_send)
{
	mach_port_t p = new_port(), q = new_port();
	struct rb r;
	struct item it;

	body_right_case(MACH_MSG_TYPE_MAKE_SEND, q, MACH_MSG_TYPE_PORT_SEND, p, &r, &it);
	CHECK_EQ(item_port(&it, 0), q);
	CHECK_EQ(ptype(q), MACH_PORT_TYPE_SEND_RECEIVE);
	CHECK_EQ(pstatus(q).mps_mscount, 1);
	destroy(p);
	destroy(q);
}

CTEST(body_right_copy_send)
{
	mach_port_t p = new_port(), q = new_port_send();
	struct rb r;
	struct item it;

	body_right_case(MACH_MSG_TYPE_COPY_SEND, q, MACH_MSG_TYPE_PORT_SEND, p, &r, &it);
	CHECK_EQ(item_port(&it, 0), q);
	CHECK_EQ(refs(q, MACH_PORT_RIGHT_SEND), 2);
	destroy(p);
	destroy(q);
}

CTEST(body_right_move_send)
{
	mach_port_t p = new_port(), q = new_port_send();
	struct rb r;
	struct item it;

	body_right_case(MACH_MSG_TYPE_MOVE_SEND, q, MACH_MSG_TYPE_PORT_SEND, p, &r, &it);
	CHECK_EQ(item_port(&it, 0), q);
	CHECK_EQ(refs(q, MACH_PORT_RIGHT_SEND), 1);
	destroy(p);
	destroy(q);
}

CTEST(body_right_make_send_once)
{
	mach_port_t p = new_port(), q = new_port();
	struct rb r;
	struct item it;

	body_right_case(MACH_MSG_TYPE_MAKE_SEND_ONCE, q, MACH_MSG_TYPE_PORT_SEND_ONCE, p, &r, &it);
	CHECK_NE(item_port(&it, 0), q);
	CHECK_EQ(ptype(item_port(&it, 0)), MACH_PORT_TYPE_SEND_ONCE);
	CHECK_EQ(pstatus(q).mps_sorights, 1);
	destroy(item_port(&it, 0));
	destroy(p);
	destroy(q);
}

CTEST(body_right_move_send_once)
{
	mach_port_t p = new_port(), q = new_port(), so = make_send_once(q);
	struct rb r;
	struct item it;

	body_right_case(MACH_MSG_TYPE_MOVE_SEND_ONCE, so, MACH_MSG_TYPE_PORT_SEND_ONCE, p, &r, &it);
	CHECK_EQ(ptype(item_port(&it, 0)), MACH_PORT_TYPE_SEND_ONCE);
	if (item_port(&it, 0) != so)
		CHECK(!name_exists(so));
	destroy(item_port(&it, 0));
	destroy(p);
	destroy(q);
}

CTEST(body_right_move_receive)
{
	mach_port_t p = new_port(), q = new_port(), got;
	struct rb r;
	struct item it;

	OK(mach_port_set_qlimit(ct_task, q, 9));
	body_right_case(MACH_MSG_TYPE_MOVE_RECEIVE, q, MACH_MSG_TYPE_PORT_RECEIVE, p, &r, &it);
	got = item_port(&it, 0);
	CHECK_EQ(ptype(got), MACH_PORT_TYPE_RECEIVE);
	if (got != q)
		CHECK(!name_exists(q));
	/* The same port: its attributes travelled with it. */
	CHECK_EQ(pstatus(got).mps_qlimit, 9);
	destroy(got);
	destroy(p);
}

CTEST(body_right_move_receive_with_send)
{
	mach_port_t p = new_port(), q = new_port_send(), got;
	struct rb r;
	struct item it;

	OK(send_simple(q, MACH_MSG_TYPE_COPY_SEND, 5));	/* queued on q, travels with it */
	body_right_case(MACH_MSG_TYPE_MOVE_RECEIVE, q, MACH_MSG_TYPE_PORT_RECEIVE, p, &r, &it);
	got = item_port(&it, 0);
	/* The send right stayed, so the name stayed; the receive right rejoins it. */
	CHECK_EQ(got, q);
	CHECK_EQ(ptype(q), MACH_PORT_TYPE_SEND_RECEIVE);
	recv_now(q, &r);
	CHECK_EQ(r.h.msgh_id, 5);
	destroy(q);
	destroy(p);
}

CTEST(body_inline_port_array)
{
	mach_port_t p = new_port(), q[3];
	struct mb m;
	struct rb r;
	struct item it;

	for (int i = 0; i < 3; i++)
		q[i] = new_port();
	start(&m, p, 1);
	mb_ports(&m, MACH_MSG_TYPE_MAKE_SEND, q, 3);
	OK(mb_send(&m, 0, 0));
	recv_now(p, &r);
	first_item(&r, &it);
	CHECK_EQ(it.word, mt_word(MACH_MSG_TYPE_PORT_SEND, 64, MT_INLINE));
	CHECK_EQ(it.number, 3);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(item_port(&it, (uint32_t)i), q[i]);
		CHECK_EQ(ptype(q[i]), MACH_PORT_TYPE_SEND_RECEIVE);
		destroy(q[i]);
	}
	destroy(p);
}

CTEST(body_rights_and_data_mixed)
{
	mach_port_t p = new_port(), q = new_port();
	struct mb m;
	struct rb r;
	struct item it;
	uint32_t off = 32;
	int32_t v;

	start(&m, p, 1);
	mb_int32(&m, 11);
	mb_port(&m, MACH_MSG_TYPE_MAKE_SEND_ONCE, q);
	mb_int32(&m, 22);
	OK(mb_send(&m, 0, 0));
	recv_now(p, &r);
	CHECK(msg_next_item(&r.h, &off, &it));
	memcpy(&v, it.data, 4);
	CHECK_EQ(v, 11);
	CHECK(msg_next_item(&r.h, &off, &it));
	CHECK_EQ(it.name, MACH_MSG_TYPE_PORT_SEND_ONCE);
	destroy(item_port(&it, 0));
	CHECK(msg_next_item(&r.h, &off, &it));
	memcpy(&v, it.data, 4);
	CHECK_EQ(v, 22);
	CHECK_EQ(off, r.h.msgh_size);
	destroy(p);
	destroy(q);
}

CTEST(body_port_name_is_data)
{
	mach_port_t p = new_port(), q = new_port();
	struct mb m;
	struct rb r;
	struct item it;
	uint32_t name = q;

	start(&m, p, 1);
	mb_type(&m, mt_word(MACH_MSG_TYPE_PORT_NAME, 32, MT_INLINE), 1);
	mb_bytes(&m, &name, 4);
	OK(mb_send(&m, 0, 0));
	recv_now(p, &r);
	first_item(&r, &it);
	CHECK_EQ(it.name, MACH_MSG_TYPE_PORT_NAME);
	memcpy(&name, it.data, 4);
	CHECK_EQ(name, q);
	CHECK_EQ(ptype(q), MACH_PORT_TYPE_RECEIVE);	/* no right moved */
	destroy(p);
	destroy(q);
}

CTEST(body_longform_inline)
{
	mach_port_t p = new_port();
	struct mb m;
	struct rb r;
	struct item it;
	int32_t v[3] = { 1, 2, 3 };

	start(&m, p, 1);
	mb_type(&m, mt_word(MACH_MSG_TYPE_INTEGER_32, 32, MT_INLINE | MT_LONGFORM), 3);
	mb_bytes(&m, v, sizeof(v));
	OK(mb_send(&m, 0, 0));
	recv_now(p, &r);
	first_item(&r, &it);
	CHECK(it.longform && it.inl);
	CHECK(memcmp(it.data, v, sizeof(v)) == 0);
	destroy(p);
}

/* Out-of-line data: received at a new address, owned (deallocate bit), same bytes. */
static void ool_case(size_t bytes, bool dealloc)
{
	mach_port_t p = new_port();
	size_t span = (bytes + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	unsigned char *src = pages_alloc(span);
	struct mb m;
	struct rb r;
	struct item it;
	uint32_t sum;

	for (size_t i = 0; i < bytes; i++)
		src[i] = (unsigned char)(i * 13 + 1);
	sum = peer_checksum(src, bytes);
	start(&m, p, 1);
	mb_ool(&m, src, (uint32_t)bytes, dealloc);
	OK(mb_send(&m, 0, 0));
	recv_now(p, &r);
	first_item(&r, &it);
	CHECK(!it.inl);
	CHECK(it.dealloc);
	CHECK_EQ(it.name, MACH_MSG_TYPE_BYTE);
	CHECK_EQ(it.number, bytes);
	CHECK(it.addr != NULL);
	CHECK(it.addr != src || dealloc);
	CHECK_EQ(peer_checksum(it.addr, bytes), sum);
	pages_free(it.addr, bytes);
	if (!dealloc)
		pages_free(src, span);
	destroy(p);
}

CTEST(body_ool_data)
{
	ool_case(10000, false);
}

CTEST(body_ool_data_dealloc)
{
	ool_case(3 * PAGE_SIZE, true);
}

CTEST(body_ool_data_small)
{
	ool_case(5, false);
}

CTEST(body_ool_copy_is_snapshot)
{
	mach_port_t p = new_port();
	unsigned char *src = pages_alloc(PAGE_SIZE);
	struct mb m;
	struct rb r;
	struct item it;

	memset(src, 'a', PAGE_SIZE);
	start(&m, p, 1);
	mb_ool(&m, src, PAGE_SIZE, false);
	OK(mb_send(&m, 0, 0));
	memset(src, 'b', PAGE_SIZE);	/* after the send: the message keeps the old bytes */
	recv_now(p, &r);
	first_item(&r, &it);
	CHECK_EQ(((unsigned char *)it.addr)[0], 'a');
	CHECK_EQ(((unsigned char *)it.addr)[PAGE_SIZE - 1], 'a');
	pages_free(it.addr, PAGE_SIZE);
	pages_free(src, PAGE_SIZE);
	destroy(p);
}

CTEST(body_ool_zero_length)
{
	mach_port_t p = new_port();
	struct mb m;
	struct rb r;
	struct item it;

	start(&m, p, 1);
	mb_ool(&m, NULL, 0, false);
	OK(mb_send(&m, 0, 0));
	recv_now(p, &r);
	first_item(&r, &it);
	CHECK_EQ(it.number, 0);
	CHECK(it.addr == NULL);
	destroy(p);
}

CTEST(body_ool_invalid_memory)
{
	mach_port_t p = new_port();
	struct mb m;

	start(&m, p, 1);
	mb_ool(&m, (void *)0x1000, 100, false);
	CHECK_KR(mb_send(&m, MACH_SEND_TIMEOUT, 0), MACH_SEND_INVALID_MEMORY);
	start(&m, p, 1);
	mb_ool(&m, (void *)0xffffffff80100000ul, 100, false);
	CHECK_KR(mb_send(&m, MACH_SEND_TIMEOUT, 0), MACH_SEND_INVALID_MEMORY);
	start(&m, p, 1);
	mb_ool(&m, (void *)0x0000700000000000ul, PAGE_SIZE, true);
	CHECK_KR(mb_send(&m, MACH_SEND_TIMEOUT, 0), MACH_SEND_INVALID_MEMORY);
	expect_empty(p);
	destroy(p);
}

CTEST(body_ool_two_items_same_region)
{
	mach_port_t p = new_port();
	unsigned char *src = pages_alloc(PAGE_SIZE);
	struct mb m;
	struct rb r;
	struct item a, b;
	uint32_t off = 32;

	memset(src, 0x3c, PAGE_SIZE);
	start(&m, p, 1);
	mb_ool(&m, src, PAGE_SIZE, false);
	mb_ool(&m, src + 100, 200, false);
	OK(mb_send(&m, 0, 0));
	recv_now(p, &r);
	CHECK(msg_next_item(&r.h, &off, &a));
	CHECK(msg_next_item(&r.h, &off, &b));
	CHECK_EQ(((unsigned char *)a.addr)[4095], 0x3c);
	CHECK_EQ(((unsigned char *)b.addr)[199], 0x3c);
	pages_free(a.addr, PAGE_SIZE);
	pages_free(b.addr, 200);
	pages_free(src, PAGE_SIZE);
	destroy(p);
}

/* An out-of-line array of rights: 32-bit names, received as names, owned memory. */
static void ool_ports_case(mach_msg_type_name_t disp, mach_msg_type_name_t seen, bool dealloc)
{
	mach_port_t p = new_port(), q[4];
	mach_port_t *arr = pages_alloc(PAGE_SIZE);
	struct mb m;
	struct rb r;
	struct item it;

	for (int i = 0; i < 4; i++) {
		q[i] = disp == MACH_MSG_TYPE_COPY_SEND || disp == MACH_MSG_TYPE_MOVE_SEND ?
		       new_port_send() : new_port();
		arr[i] = disp == MACH_MSG_TYPE_MOVE_SEND_ONCE ? make_send_once(q[i]) : q[i];
	}
	start(&m, p, 1);
	mb_ool_ports(&m, disp, arr, 4, dealloc);
	OK(mb_send(&m, 0, 0));
	recv_now(p, &r);
	first_item(&r, &it);
	CHECK_EQ(it.word, mt_word(seen, 32, MT_LONGFORM | MT_DEALLOC));
	CHECK_EQ(it.number, 4);
	CHECK(it.addr != NULL);
	for (uint32_t i = 0; i < 4; i++) {
		mach_port_t n = item_port(&it, i);

		if (seen == MACH_MSG_TYPE_PORT_SEND) {
			CHECK_EQ(n, q[i]);
			CHECK_EQ(ptype(n), MACH_PORT_TYPE_SEND_RECEIVE);
		} else if (seen == MACH_MSG_TYPE_PORT_SEND_ONCE) {
			CHECK_EQ(ptype(n), MACH_PORT_TYPE_SEND_ONCE);
			destroy(n);
		} else {
			CHECK_EQ(ptype(n), MACH_PORT_TYPE_RECEIVE);
			q[i] = n;
		}
	}
	pages_free(it.addr, 4 * sizeof(mach_port_t));
	for (int i = 0; i < 4; i++)
		destroy(q[i]);
	if (!dealloc)
		pages_free(arr, PAGE_SIZE);
	destroy(p);
}

CTEST(body_ool_ports_make_send)
{
	ool_ports_case(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_PORT_SEND, false);
}

CTEST(body_ool_ports_copy_send_dealloc)
{
	ool_ports_case(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_PORT_SEND, true);
}

CTEST(body_ool_ports_move_send)
{
	ool_ports_case(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_PORT_SEND, false);
}

CTEST(body_ool_ports_make_send_once)
{
	ool_ports_case(MACH_MSG_TYPE_MAKE_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND_ONCE, false);
}

CTEST(body_ool_ports_move_send_once_dealloc)
{
	ool_ports_case(MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND_ONCE, true);
}

CTEST(body_ool_ports_move_receive)
{
	ool_ports_case(MACH_MSG_TYPE_MOVE_RECEIVE, MACH_MSG_TYPE_PORT_RECEIVE, false);
}

CTEST(body_ool_ports_invalid_right)
{
	mach_port_t p = new_port(), q = new_port();
	mach_port_t arr[2] = { q, q };
	struct mb m;

	start(&m, p, 1);
	mb_ool_ports(&m, MACH_MSG_TYPE_COPY_SEND, arr, 2, false);
	CHECK_KR(mb_send(&m, MACH_SEND_TIMEOUT, 0), MACH_SEND_INVALID_RIGHT);
	expect_empty(p);
	CHECK_EQ(ptype(q), MACH_PORT_TYPE_RECEIVE);
	destroy(p);
	destroy(q);
}

CTEST(body_ool_ports_null_dead)
{
	mach_port_t p = new_port();
	mach_port_t arr[3] = { MACH_PORT_NULL, MACH_PORT_DEAD, MACH_PORT_NULL };
	struct mb m;
	struct rb r;
	struct item it;

	start(&m, p, 1);
	mb_ool_ports(&m, MACH_MSG_TYPE_MOVE_SEND, arr, 3, false);
	OK(mb_send(&m, 0, 0));
	recv_now(p, &r);
	first_item(&r, &it);
	CHECK_EQ(it.number, 3);
	CHECK_EQ(item_port(&it, 0), MACH_PORT_NULL);
	CHECK_EQ(item_port(&it, 1), MACH_PORT_DEAD);
	CHECK_EQ(item_port(&it, 2), MACH_PORT_NULL);
	pages_free(it.addr, 12);
	destroy(p);
}
