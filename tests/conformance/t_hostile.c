/* Hostile input: malformed headers and bodies, bad pointers, absurd counts and
   overlapping out-of-line regions. The kernel must answer with an error (or deliver),
   stay up, and leak nothing. */
#include <mach/mig_support.h>
#include "util.h"

static bool valid_msg_return(mach_msg_return_t mr)
{
	uint32_t base = (uint32_t)mr & ~(uint32_t)MACH_MSG_MASK;

	return mr == MACH_MSG_SUCCESS ||
	       (base >= MACH_SEND_INVALID_DATA && base <= MACH_SEND_INVALID_HEADER) ||
	       (base >= MACH_RCV_INVALID_NAME && base <= MACH_RCV_BODY_ERROR);
}

static void complex_to(struct mb *m, mach_port_t p)
{
	mb_init(m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX, p,
		MACH_PORT_NULL, 1);
}

#define CHECK_KR2(expr, a, b)						\
	do {								\
		int r2_ = (int)(expr);					\
		if (r2_ != (int)(a) && r2_ != (int)(b))			\
			ct_fail(__FILE__, __LINE__, "%s returned %s (0x%x), expected %s or %s", \
				#expr, ct_kr_name(r2_), (unsigned)r2_,	\
				ct_kr_name(a), ct_kr_name(b));		\
	} while (0)

CTEST(hostile_send_null_and_huge)
{
	mach_port_t p = new_port();
	struct mb m;
	mach_msg_return_t mr;

	CHECK_KR(mach_msg_trap(NULL, MACH_SEND_MSG, 32, 0, 0, 0, 0), MACH_SEND_INVALID_DATA);
	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, MACH_PORT_NULL, 1);
	mr = mach_msg_trap(&m.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, 0x7ffffff8, 0, 0, 0, 0);
	CHECK(mr != MACH_MSG_SUCCESS && valid_msg_return(mr) && (mr & 0x4000) == 0);
	mr = mach_msg_trap(&m.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, 0xfffffff8, 0, 0, 0, 0);
	CHECK(mr != MACH_MSG_SUCCESS && valid_msg_return(mr) && (mr & 0x4000) == 0);
	expect_empty(p);
	destroy(p);
}

CTEST(hostile_inline_absurd_counts)
{
	mach_port_t p = new_port();
	struct mb m;
	static const uint32_t numbers[] = { 0x10000000, 0x80000000, 0xffffffff, 0x20000001 };
	static const uint32_t sizes[] = { 64, 32, 0xffff, 8 };

	for (unsigned i = 0; i < 4; i++) {
		complex_to(&m, p);
		mb_type(&m, mt_word(MACH_MSG_TYPE_INTEGER_32, sizes[i], MT_INLINE), numbers[i]);
		mb_bytes(&m, "0123456789abcdef", 16);
		CHECK_KR(mb_send(&m, MACH_SEND_TIMEOUT, 0), MACH_SEND_MSG_TOO_SMALL);
		/* The same count for port rights. */
		complex_to(&m, p);
		mb_type(&m, mt_word(MACH_MSG_TYPE_COPY_SEND, 64, MT_INLINE), numbers[i]);
		mb_bytes(&m, "zzzzzzzz", 8);
		CHECK_KR(mb_send(&m, MACH_SEND_TIMEOUT, 0), MACH_SEND_MSG_TOO_SMALL);
	}
	expect_empty(p);
	destroy(p);
}

CTEST(hostile_ool_bad_pointers)
{
	mach_port_t p = new_port();
	struct mb m;
	static const uintptr_t bad[] = {
		0x8, 0xffffffff80000000ul, 0xffff800000000000ul, 0x0000800000000000ul,
		0x0000600000000000ul, 0xfffffffffffff000ul,
	};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		for (int kind = 0; kind < 3; kind++) {
			mach_msg_return_t mr;

			complex_to(&m, p);
			if (kind == 2)
				mb_ool_ports(&m, MACH_MSG_TYPE_COPY_SEND, (void *)bad[i], 4, false);
			else
				mb_ool(&m, (void *)bad[i], 64, kind == 1);
			mr = mb_send(&m, MACH_SEND_TIMEOUT, 0);
			if (mr != MACH_SEND_INVALID_MEMORY)
				ct_fail(__FILE__, __LINE__,
					"%s at 0x%lx: mach_msg returned %s (0x%x), expected "
					"MACH_SEND_INVALID_MEMORY", kind == 2 ? "port array" :
					kind == 1 ? "data (deallocate)" : "data", (unsigned long)bad[i],
					ct_kr_name(mr), (unsigned)mr);
		}
	}
	expect_empty(p);
	destroy(p);
}

CTEST(hostile_ool_absurd_lengths)
{
	mach_port_t p = new_port();
	char *page = pages_alloc(PAGE_SIZE);
	struct mb m;

	complex_to(&m, p);
	mb_ool(&m, page, 0xffffffff, false);
	CHECK_KR2(mb_send(&m, MACH_SEND_TIMEOUT, 0), MACH_SEND_INVALID_MEMORY, MACH_SEND_NO_BUFFER);
	complex_to(&m, p);
	mb_ool(&m, page, 64 * PAGE_SIZE, false);	/* runs off the end of the mapping */
	CHECK_KR2(mb_send(&m, MACH_SEND_TIMEOUT, 0), MACH_SEND_INVALID_MEMORY, MACH_SEND_NO_BUFFER);
	complex_to(&m, p);
	mb_ool_ports(&m, MACH_MSG_TYPE_COPY_SEND, (mach_port_t *)page, 0x7fffffff, false);
	CHECK_KR2(mb_send(&m, MACH_SEND_TIMEOUT, 0), MACH_SEND_INVALID_MEMORY, MACH_SEND_NO_BUFFER);
	/* Size times count overflowing 32 bits. */
	complex_to(&m, p);
	mb_type(&m, mt_word(MACH_MSG_TYPE_INTEGER_32, 32, 0), 0x80000000u);
	{
		uint64_t a = (uintptr_t)page;

		mb_bytes(&m, &a, 8);
	}
	CHECK_KR2(mb_send(&m, MACH_SEND_TIMEOUT, 0), MACH_SEND_INVALID_MEMORY, MACH_SEND_NO_BUFFER);
	expect_empty(p);
	/* Our page is untouched by the failed sends. */
	page[0] = 1;
	pages_free(page, PAGE_SIZE);
	destroy(p);
}

CTEST(hostile_ool_overlapping_dealloc)
{
	mach_port_t p = new_port();
	unsigned char *sac = pages_alloc(4 * PAGE_SIZE);
	struct mb m;
	struct rb r;
	struct item a, b;
	uint32_t off = 32;
	mach_msg_return_t mr;

	memset(sac, 0x5e, 4 * PAGE_SIZE);
	complex_to(&m, p);
	mb_ool(&m, sac, 3 * PAGE_SIZE, true);
	mb_ool(&m, sac + PAGE_SIZE, 3 * PAGE_SIZE, true);
	mr = mb_send(&m, MACH_SEND_TIMEOUT, 0);
	CHECK(mr == MACH_MSG_SUCCESS || mr == MACH_SEND_INVALID_MEMORY);
	if (mr == MACH_MSG_SUCCESS) {
		recv_now(p, &r);
		CHECK(msg_next_item(&r.h, &off, &a));
		CHECK(msg_next_item(&r.h, &off, &b));
		CHECK_EQ(((unsigned char *)a.addr)[3 * PAGE_SIZE - 1], 0x5e);
		CHECK_EQ(((unsigned char *)b.addr)[0], 0x5e);
		msg_destroy(ct_task, &r.h);
	}
	expect_empty(p);
	/* Whatever is left of the region goes; deallocating gaps is allowed. */
	pages_free(sac, 4 * PAGE_SIZE);
	destroy(p);
}

CTEST(hostile_receive_right_sent_to_itself)
{
	mach_port_t p = new_port_send(), q = new_port();
	struct mb m;
	mach_msg_return_t mr;

	/* p's receive right in a message queued on p: unreachable once we let go. */
	complex_to(&m, p);
	mb_port(&m, MACH_MSG_TYPE_MOVE_RECEIVE, p);
	mb_port(&m, MACH_MSG_TYPE_MAKE_SEND, q);
	mr = mb_send(&m, MACH_SEND_TIMEOUT, 0);
	CHECK(mr == MACH_MSG_SUCCESS || mr == MACH_SEND_INVALID_RIGHT);
	destroy(p);
	destroy(q);
	/* The leak check after the test sees whether the kernel freed the cycle. */
}

CTEST(hostile_receive_rights_cycle_of_two)
{
	mach_port_t p = new_port(), q = new_port();
	struct mb m;

	/* q's receive right queued on p, then p's queued on q. */
	complex_to(&m, p);
	mb_port(&m, MACH_MSG_TYPE_MOVE_RECEIVE, q);
	OK(mb_send(&m, 0, 0));
	complex_to(&m, q);
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	mb_port(&m, MACH_MSG_TYPE_MOVE_RECEIVE, p);
	/* We no longer hold q's receive right: MAKE_SEND to q is not possible. */
	CHECK_KR(mb_send(&m, MACH_SEND_TIMEOUT, 0), MACH_SEND_INVALID_DEST);
	destroy(p);
}

/* ---------------------------------------------------------------- random messages */

static uint64_t rng_state;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 11);
}

#define ROUNDS		48
#define PER_ROUND	64
#define SAC_PAGES	8

struct fixture {
	mach_port_t pool[10];
	unsigned npool;
	mach_port_t p, q;
	unsigned char *sac;
	const struct names_snap *protect;
};

static mach_port_t pick_name(struct fixture *f)
{
	uint32_t c = rnd() % 16;
	mach_port_t n;

	if (c < f->npool)
		return f->pool[c];
	if (c < 14)
		return f->pool[rnd() % f->npool];
	n = c == 14 ? rnd() : rnd() % 0x100;
	/* Never one of our own rights from outside the fixture. */
	return names_contains(f->protect, n) ? 0x0ffffff1 : n;
}

static uint32_t pick_disp(unsigned valid_pct)
{
	if (rnd() % 100 < valid_pct)
		return 16 + rnd() % 6;
	return rnd() % 4 == 0 ? rnd() & 0xff : rnd() % 24;
}

static void *pick_addr(struct fixture *f, bool *may_dealloc)
{
	static const uintptr_t bad[] = {
		0, 0x1000, 0xffffffff80000000ul, 0x0000700000000000ul, 0x00007fffffffff00ul,
	};
	uint32_t c = rnd() % 8;

	*may_dealloc = false;
	if (c < 5) {
		*may_dealloc = true;
		return f->sac + rnd() % (SAC_PAGES * PAGE_SIZE);
	}
	return (void *)bad[rnd() % 5];
}

/* Bytes from addr to the end of the sacrificial region. */
static size_t sac_left(struct fixture *f, void *addr)
{
	return (size_t)(f->sac + SAC_PAGES * PAGE_SIZE - (unsigned char *)addr);
}

static void random_item(struct fixture *f, struct mb *m)
{
	static mach_port_t names[8];
	uint32_t kind = rnd() % 9, n, w;
	bool may_dealloc;
	void *addr;
	uint64_t a;
	unsigned char junk[64];

	for (unsigned i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)rnd();
	switch (kind) {
	case 0:	/* inline data, sometimes too long for what follows */
		n = rnd() % 24;
		mb_type(m, mt_word(rnd() % 13, (uint32_t[]){ 8, 16, 32, 64 }[rnd() % 4], MT_INLINE), n);
		mb_bytes(m, junk, rnd() % 64);
		break;
	case 1:	/* inline rights */
		n = 1 + rnd() % 3;
		mb_type(m, mt_word(pick_disp(90), rnd() % 10 ? 64 : 32, MT_INLINE), n);
		for (uint32_t i = 0; i < n; i++) {
			uint64_t slot = pick_name(f);

			mb_bytes(m, &slot, 8);
		}
		break;
	case 2:	/* out-of-line data; deallocate only inside the sacrificial region */
		addr = pick_addr(f, &may_dealloc);
		n = rnd() % (5 * PAGE_SIZE);
		if (may_dealloc && rnd() % 3 == 0)
			mb_ool(m, addr, n < sac_left(f, addr) ? n : (uint32_t)sac_left(f, addr), true);
		else
			mb_ool(m, addr, n, false);
		break;
	case 3:	/* out-of-line rights */
		n = rnd() % 8;
		for (uint32_t i = 0; i < n; i++)
			names[i] = pick_name(f);
		if (rnd() % 4 == 0) {
			addr = pick_addr(f, &may_dealloc);
			if (may_dealloc && rnd() % 2 && 4 * n <= sac_left(f, addr))
				mb_ool_ports(m, pick_disp(80), addr, n, true);
			else
				mb_ool_ports(m, pick_disp(80), addr, rnd() % 10 ? n : 0x7fffffff,
					     false);
		} else {
			mb_ool_ports(m, pick_disp(80), names, n, false);
		}
		break;
	case 4:	/* absurd counts */
		mb_type(m, mt_word(rnd() % 22, (uint32_t[]){ 8, 32, 64, 0xffff }[rnd() % 4],
				   rnd() % 2 ? MT_INLINE : MT_LONGFORM),
			rnd() % 2 ? 0xffffffff : 0x80000000u | rnd());
		a = rnd() % 2 ? (uintptr_t)f->sac : 0xffffffff80000000ul;
		mb_bytes(m, &a, 8);
		break;
	case 5:	/* a random descriptor word, kept off the deallocate bit on our memory */
		w = rnd() & ~MT_DEALLOC;
		mb_type(m, w, rnd() % 64);
		mb_bytes(m, junk, 8 * (rnd() % 4));
		break;
	case 6:	/* long form inline */
		mb_type(m, mt_word(MACH_MSG_TYPE_INTEGER_32, 32, MT_INLINE | MT_LONGFORM), 4);
		mb_bytes(m, junk, 16);
		break;
	case 7:	/* deallocate on inline data, unused bits */
		mb_type(m, mt_word(MACH_MSG_TYPE_BYTE, 8, MT_INLINE | (rnd() % 2 ? MT_DEALLOC : 0)) |
			   ((rnd() % 32) << 24), 8);
		mb_bytes(m, junk, 8);
		break;
	default: /* a truncated descriptor */
		mb_bytes(m, junk, 4);
		break;
	}
}

static void random_message(struct fixture *f, struct mb *m, unsigned iter)
{
	mach_msg_bits_t bits;
	mach_msg_option_t opt = MACH_SEND_MSG | MACH_SEND_TIMEOUT;
	mach_msg_size_t size, rcv_size = 0;
	mach_port_t rcv = MACH_PORT_NULL;
	mach_msg_return_t mr;
	unsigned items = rnd() % 6;

	bits = MACH_MSGH_BITS(pick_disp(75), rnd() % 2 ? 0 : pick_disp(70));
	if (rnd() % 10 < 6)
		bits |= MACH_MSGH_BITS_COMPLEX;
	if (rnd() % 20 == 0)
		bits |= rnd() & MACH_MSGH_BITS_UNUSED;
	mb_init(m, bits, pick_name(f), MACH_MSGH_BITS_LOCAL(bits) ? pick_name(f) : MACH_PORT_NULL,
		(mach_msg_id_t)rnd());
	if (rnd() % 8 == 0)
		m->h.msgh_local_port = pick_name(f);	/* a port without a disposition */
	for (unsigned i = 0; i < items && m->len < 1024; i++)
		random_item(f, m);
	switch (rnd() % 10) {
	case 0:
		size = m->len & ~7u;
		size = size > 32 ? 32 + 8 * (rnd() % ((size - 32) / 8 + 1)) : size;
		break;
	case 1:
		size = rnd() % (m->len + 64);
		break;
	case 2:
		size = m->len + 8 * (rnd() % 8);
		break;
	default:
		size = m->len;
		break;
	}
	if (rnd() % 5 == 0) {
		static const mach_msg_size_t sizes[] = { 0, 16, 32, 48, 100, 4096, MB_SIZE };

		opt |= MACH_RCV_MSG | MACH_RCV_TIMEOUT | (rnd() % 2 ? MACH_RCV_LARGE : 0);
		rcv = rnd() % 3 == 0 ? pick_name(f) : f->p;
		rcv_size = sizes[rnd() % 7];
	}
	mr = mach_msg_trap(&m->h, opt, size, rcv_size, rcv, 0, MACH_PORT_NULL);
	if (!valid_msg_return(mr))
		ct_fail(__FILE__, __LINE__, "message %u: mach_msg returned 0x%x, not a mach_msg code",
			iter, (unsigned)mr);
	if (mr == MACH_MSG_SUCCESS && (opt & MACH_RCV_MSG))
		msg_destroy(ct_task, &m->h);
}

static void fixture_make(struct fixture *f, const struct names_snap *protect)
{
	f->protect = protect;
	f->p = new_port_send();
	f->q = new_port_send();
	f->npool = 0;
	f->pool[f->npool++] = f->p;
	f->pool[f->npool++] = f->q;
	f->pool[f->npool++] = make_send_once(f->q);
	f->pool[f->npool++] = make_send_once(f->p);
	f->pool[f->npool++] = new_dead_name();
	f->pool[f->npool++] = new_pset();
	f->pool[f->npool++] = MACH_PORT_NULL;
	f->pool[f->npool++] = MACH_PORT_DEAD;
	OK(mach_port_move_member(ct_task, f->q, f->pool[5]));
	f->sac = pages_alloc(SAC_PAGES * PAGE_SIZE);
	for (unsigned i = 0; i < SAC_PAGES * PAGE_SIZE / 4; i++)
		((uint32_t *)f->sac)[i] = i % 7 == 0 ? f->pool[i % f->npool] : rnd();
}

static void fixture_clean(struct fixture *f, const struct names_snap *protect)
{
	struct rb r;

	/* Drain what arrived, then drop every name the round made. */
	while (rb_recv(&r, f->pool[5], 0, 0) == MACH_MSG_SUCCESS)
		msg_destroy(ct_task, &r.h);
	if (name_exists(f->p) && (ptype(f->p) & MACH_PORT_TYPE_RECEIVE))
		msg_drain(ct_task, f->p);
	pages_free(f->sac, SAC_PAGES * PAGE_SIZE);
	names_destroy_new(protect, mig_get_reply_port());
}

CTEST(hostile_random_messages)
{
	static struct names_snap protect;
	static struct mb m;
	struct fixture f;

	rng_state = 0x9e3779b97f4a7c15ull;
	names_snapshot(&protect);
	for (unsigned round = 0; round < ROUNDS; round++) {
		fixture_make(&f, &protect);
		for (unsigned i = 0; i < PER_ROUND; i++) {
			random_message(&f, &m, round * PER_ROUND + i);
			if (i % 4 == 3 && name_exists(f.p) && (ptype(f.p) & MACH_PORT_TYPE_RECEIVE))
				msg_drain(ct_task, f.p);
		}
		fixture_clean(&f, &protect);
	}
	/* The kernel is still answering. */
	CHECK_EQ(ptype(ct_task), MACH_PORT_TYPE_SEND);
}
