/*
 * Virtual memory, continued: out-of-line message memory (copied, or moved as a
 * copy-on-write snapshot above two pages), the gnumach calls (wiring, contiguous
 * memory, size limits), and random operations checked against a model of the pages.
 * Expected values: ABI section 11 and GNU Mach's documented behaviour (docs/vm.md).
 */
#include <string.h>
#include "vmt.h"

/* ---------------------------------------------------------------- out-of-line memory */

static mach_port_t send_ool(const void *src, size_t bytes, bool dealloc)
{
	mach_port_t p = new_port();
	struct mb m;

	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX, p,
		MACH_PORT_NULL, 1);
	mb_ool(&m, src, (uint32_t)bytes, dealloc);
	OK(mb_send(&m, 0, 0));
	return p;
}

static unsigned char *recv_ool(mach_port_t p, size_t bytes)
{
	struct rb r;
	struct item it;
	uint32_t off = sizeof(r.h);

	recv_now(p, &r);
	CHECK(msg_next_item(&r.h, &off, &it));
	CHECK(!it.inl);
	CHECK_EQ(it.bytes, bytes);
	return it.addr;
}

CTEST(vm_ool_large_is_a_snapshot_both_ways)
{
	const size_t n = 8 * PAGE_SIZE;
	unsigned char *src = pages_alloc(n), *got;
	mach_port_t p;

	fill(src, n, 16);
	p = send_ool(src, n, false);
	fill(src, n, 17);		/* after the send: the receiver sees the old bytes */
	got = recv_ool(p, n);
	CHECK(got != src);
	CHECK(filled(got, n, 16));
	fill(got, n, 18);		/* and its writes stay its own */
	CHECK(filled(src, n, 17));
	pages_free(got, n);
	pages_free(src, n);
	destroy(p);
}

CTEST(vm_ool_large_dealloc_moves_the_region)
{
	const size_t n = 5 * PAGE_SIZE;
	unsigned char *src = pages_alloc(n), *got;
	vm_offset_t data;
	mach_msg_type_number_t count;
	mach_port_t p;

	fill(src, n, 19);
	p = send_ool(src, n, true);
	CHECK_KR(vm_read(ct_task, (vm_address_t)src, PAGE_SIZE, &data, &count), KERN_INVALID_ADDRESS);
	got = recv_ool(p, n);
	CHECK(filled(got, n, 19));
	pages_free(got, n);
	destroy(p);
}

CTEST(vm_ool_large_keeps_the_page_offset)
{
	const size_t n = 3 * PAGE_SIZE;
	unsigned char *src = pages_alloc(n + 2 * PAGE_SIZE), *got;
	mach_port_t p;

	fill(src, n + 2 * PAGE_SIZE, 20);
	p = send_ool(src + 100, n, false);
	got = recv_ool(p, n);
	CHECK_EQ((vm_address_t)got % PAGE_SIZE, 100);
	CHECK(memcmp(got, src + 100, n) == 0);
	pages_free(got, n);
	pages_free(src, n + 2 * PAGE_SIZE);
	destroy(p);
}

CTEST(vm_ool_from_untouched_memory)
{
	const size_t big = 6 * PAGE_SIZE, small = 100;
	unsigned char *src = pages_alloc(big), *got;
	mach_port_t p;

	p = send_ool(src, big, false);	/* a snapshot of pages never touched */
	got = recv_ool(p, big);
	CHECK(all_zero(got, big));
	pages_free(got, big);
	destroy(p);
	pages_free(src, big);
	src = pages_alloc(PAGE_SIZE);
	p = send_ool(src, small, false);	/* copied by the kernel: copyin faults it in */
	got = recv_ool(p, small);
	CHECK(all_zero(got, small));
	pages_free(got, small);
	destroy(p);
	pages_free(src, PAGE_SIZE);
}

CTEST(vm_ool_large_from_inaccessible_memory)
{
	const size_t n = 4 * PAGE_SIZE;
	unsigned char *src = pages_alloc(n);
	vm_address_t hole = free_range(n);
	mach_port_t p = new_port();
	struct mb m;

	OK(vm_protect(ct_task, (vm_address_t)src + PAGE_SIZE, PAGE_SIZE, 0, VM_PROT_NONE));
	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX, p,
		MACH_PORT_NULL, 1);
	mb_ool(&m, src, (uint32_t)n, false);
	CHECK_KR(mb_send(&m, MACH_SEND_TIMEOUT, 0), MACH_SEND_INVALID_MEMORY);
	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX, p,
		MACH_PORT_NULL, 1);
	mb_ool(&m, (void *)hole, (uint32_t)n, true);
	CHECK_KR(mb_send(&m, MACH_SEND_TIMEOUT, 0), MACH_SEND_INVALID_MEMORY);
	expect_empty(p);
	pages_free(src, n);
	destroy(p);
}

CTEST(vm_ool_large_through_the_peer)
{
	const size_t n = 10 * PAGE_SIZE + 5;
	unsigned char *buf = pages_alloc(n);
	struct mb m;
	struct rb r;
	struct item it;
	uint32_t off = 32;

	fill(buf, n, 21);
	mb_init(&m, MACH_MSGH_BITS_COMPLEX, MACH_PORT_NULL, MACH_PORT_NULL, PEER_ECHO);
	mb_ool(&m, buf, (uint32_t)n, false);
	CHECK_KR(peer_call(&m, &r), MACH_MSG_SUCCESS);
	fill(buf, n, 22);
	CHECK(msg_next_item(&r.h, &off, &it));
	CHECK_EQ(it.number, n);
	CHECK(filled(it.addr, n, 21));
	pages_free(it.addr, n);
	pages_free(buf, n);
}

/* The kernel's receive into a buffer never touched: copyout faults it in. */
CTEST(vm_receive_into_untouched_memory)
{
	mach_port_t p = new_port();
	mach_msg_header_t *h = pages_alloc(PAGE_SIZE);

	OK(send_simple(p, MACH_MSG_TYPE_MAKE_SEND, 77));
	OK(mach_msg_trap(h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, 256, p, 0, 0));
	CHECK_EQ(h->msgh_id, 77);
	pages_free(h, PAGE_SIZE);
	destroy(p);
}

/* ---------------------------------------------------------------- gnumach */

CTEST(vm_wire_all_future_and_none)
{
	vm_statistics_data_t a, b;
	struct kernel_object_counts c0, c1;
	unsigned char *p;

	OK(vm_wire_all(ct_host_priv, ct_task, VM_WIRE_FUTURE));
	a = stats();
	c0 = counts();
	p = pages_alloc(4 * PAGE_SIZE);		/* wired: its pages come at once */
	b = stats();
	c1 = counts();
	OK(vm_wire_all(ct_host_priv, ct_task, VM_WIRE_NONE));
	CHECK(c1.pages - c0.pages >= 4);
	CHECK(b.wire_count - a.wire_count >= 4);
	CHECK(all_zero(p, 4 * PAGE_SIZE));
	pages_free(p, 4 * PAGE_SIZE);
	c0 = counts();
	p = pages_alloc(4 * PAGE_SIZE);		/* not wired any more */
	c1 = counts();
	CHECK(c1.pages - c0.pages < 4);
	pages_free(p, 4 * PAGE_SIZE);
}

CTEST(vm_wire_all_bad_input)
{
	CHECK_KR(vm_wire_all(ct_host, ct_task, VM_WIRE_NONE), KERN_INVALID_HOST);
	CHECK_KR(vm_wire_all(ct_host_priv, ct_task, 4), KERN_INVALID_ARGUMENT);
	CHECK_KR(vm_wire_all(ct_host_priv, MACH_PORT_NULL, VM_WIRE_NONE), KERN_INVALID_TASK);
}

CTEST(vm_allocate_contiguous_gives_physical_memory)
{
	vm_address_t va = 0;
	rpc_phys_addr_t pa = 0;
	vm_statistics_data_t a = stats(), b;
	unsigned char *p;

	OK(vm_allocate_contiguous(ct_host_priv, ct_task, &va, &pa, 3 * PAGE_SIZE, 0, 0, 0));
	b = stats();
	p = (unsigned char *)va;
	CHECK(va != 0);
	CHECK(pa != 0);
	CHECK_EQ(pa % PAGE_SIZE, 0);
	CHECK(b.wire_count - a.wire_count >= 3);
	CHECK(all_zero(p, 3 * PAGE_SIZE));
	fill(p, 3 * PAGE_SIZE, 23);
	CHECK(filled(p, 3 * PAGE_SIZE, 23));
	CHECK_EQ(region(va).size, 3 * PAGE_SIZE);
	OK(vm_deallocate(ct_task, va, 3 * PAGE_SIZE));
}

CTEST(vm_allocate_contiguous_alignment_and_range)
{
	vm_address_t va = 0;
	rpc_phys_addr_t pa = 0;

	OK(vm_allocate_contiguous(ct_host_priv, ct_task, &va, &pa, PAGE_SIZE, 0, 0x100000000ul,
				  0x10000));
	CHECK_EQ(pa % 0x10000, 0);
	CHECK(pa + PAGE_SIZE <= 0x100000000ul);
	OK(vm_deallocate(ct_task, va, PAGE_SIZE));
}

CTEST(vm_allocate_contiguous_bad_input)
{
	vm_address_t va = 0;
	rpc_phys_addr_t pa = 0;

	CHECK_KR(vm_allocate_contiguous(ct_host, ct_task, &va, &pa, PAGE_SIZE, 0, 0, 0),
		 KERN_INVALID_HOST);
	CHECK_KR(vm_allocate_contiguous(ct_host_priv, MACH_PORT_NULL, &va, &pa, PAGE_SIZE, 0, 0, 0),
		 KERN_INVALID_TASK);
	CHECK_KR(vm_allocate_contiguous(ct_host_priv, ct_task, &va, &pa, 0, 0, 0, 0),
		 KERN_INVALID_ARGUMENT);
	CHECK_KR(vm_allocate_contiguous(ct_host_priv, ct_task, &va, &pa, PAGE_SIZE, 0, 0, 3 * PAGE_SIZE),
		 KERN_INVALID_ARGUMENT);
	CHECK_KR(vm_allocate_contiguous(ct_host_priv, ct_task, &va, &pa, PAGE_SIZE, 0x2000, 0x1000, 0),
		 KERN_INVALID_ARGUMENT);
	/* More than physical memory, or a range with no memory in it. */
	CHECK_KR(vm_allocate_contiguous(ct_host_priv, ct_task, &va, &pa, 1ul << 40, 0, 0, 0),
		 KERN_RESOURCE_SHORTAGE);
	CHECK_KR(vm_allocate_contiguous(ct_host_priv, ct_task, &va, &pa, PAGE_SIZE, 0, 0x1000, 0),
		 KERN_RESOURCE_SHORTAGE);
}

static vm_size_t mapped_bytes(void)
{
	vm_size_t total = 0;
	struct region r = { 0 };

	for (vm_address_t a = 0;; a = r.addr + r.size) {
		mach_port_t object;

		r.addr = a;
		if (vm_region(ct_task, &r.addr, &r.size, &r.prot, &r.max, &r.inherit, &r.shared,
			      &object, &r.offset) != KERN_SUCCESS)
			return total;
		total += r.size;
	}
}

CTEST(vm_size_limit_is_enforced)
{
	vm_size_t cur, max, used = mapped_bytes();
	vm_address_t a = 0;

	OK(vm_get_size_limit(ct_task, &cur, &max));
	CHECK(cur <= max);
	CHECK(cur >= used);
	OK(vm_set_size_limit(ct_host, ct_task, used + 2 * PAGE_SIZE, max));
	CHECK_KR(vm_allocate(ct_task, &a, 3 * PAGE_SIZE, 1), KERN_NO_SPACE);
	OK(vm_allocate(ct_task, &a, 2 * PAGE_SIZE, 1));
	CHECK_KR(vm_allocate(ct_task, &(vm_address_t){ 0 }, PAGE_SIZE, 1), KERN_NO_SPACE);
	OK(vm_set_size_limit(ct_host, ct_task, cur, max));
	pages_free((void *)a, 2 * PAGE_SIZE);
}

CTEST(vm_size_limit_raising_needs_the_privileged_port)
{
	vm_size_t cur, max, c2, m2;

	OK(vm_get_size_limit(ct_task, &cur, &max));
	CHECK_KR(vm_set_size_limit(ct_host, ct_task, max, max - PAGE_SIZE), KERN_INVALID_ARGUMENT);
	OK(vm_set_size_limit(ct_host, ct_task, cur - PAGE_SIZE, max - PAGE_SIZE));
	OK(vm_get_size_limit(ct_task, &c2, &m2));
	CHECK_EQ(c2, cur - PAGE_SIZE);
	CHECK_EQ(m2, max - PAGE_SIZE);
	CHECK_KR(vm_set_size_limit(ct_host, ct_task, cur, max), KERN_NO_ACCESS);
	OK(vm_set_size_limit(ct_host_priv, ct_task, cur, max));
	OK(vm_get_size_limit(ct_task, &c2, &m2));
	CHECK_EQ(c2, cur);
	CHECK_EQ(m2, max);
	CHECK_KR(vm_set_size_limit(ct_peer, ct_task, cur, max), KERN_INVALID_HOST);
	CHECK_KR(vm_set_size_limit(ct_host, ct_host, cur, max), KERN_INVALID_TASK);
	CHECK_KR(vm_get_size_limit(ct_host, &c2, &m2), KERN_INVALID_TASK);
}

/* ---------------------------------------------------------------- against a model */

#define SB_PAGES	64	/* the sandbox: a range of pages the test owns */
#define OP_PAGES	8

struct sb_page {
	bool mapped;
	vm_prot_t prot, max;
	unsigned char byte;	/* every byte of the page */
};

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* What a ranged access needing `need` should give, page by page from the start. */
static kern_return_t sb_expect(const struct sb_page *m, unsigned first, unsigned n, vm_prot_t need)
{
	for (unsigned i = first; i < first + n; i++) {
		if (!m[i].mapped)
			return KERN_INVALID_ADDRESS;
		if ((m[i].prot & need) != need)
			return KERN_PROTECTION_FAILURE;
	}
	return KERN_SUCCESS;
}

/* Random vm_allocate, vm_deallocate, vm_protect, vm_write, vm_read and vm_copy on a
 * sandbox, each result and every byte read checked against a model of the pages. */
CTEST(vm_random_operations_match_a_model)
{
	static struct sb_page m[SB_PAGES];
	unsigned char *buf = pages_alloc(OP_PAGES * PAGE_SIZE);
	vm_address_t sb = free_range(SB_PAGES * PAGE_SIZE);
	uint32_t seed = 12345;

	OK(vm_allocate(ct_task, &(vm_address_t){ sb }, SB_PAGES * PAGE_SIZE, 0));
	for (unsigned i = 0; i < SB_PAGES; i++)
		m[i] = (struct sb_page){ true, VM_PROT_DEFAULT, VM_PROT_ALL, 0 };
	for (int step = 0; step < 400; step++) {
		/* Weights: allocate, write, read and copy twice as often as the rest. */
		static const unsigned ops[10] = { 0, 0, 1, 2, 3, 3, 4, 4, 5, 5 };
		unsigned op = ops[lcg(&seed) % 10];
		unsigned n = 1 + lcg(&seed) % (op >= 3 ? 3 : OP_PAGES);	/* accesses: short */
		unsigned p = lcg(&seed) % (SB_PAGES - n + 1), q = lcg(&seed) % (SB_PAGES - n + 1);
		vm_address_t a = sb + p * PAGE_SIZE, b = sb + q * PAGE_SIZE;
		vm_prot_t prot = lcg(&seed) % 4 ? VM_PROT_DEFAULT : (vm_prot_t)(lcg(&seed) % 4);
		bool set_max = lcg(&seed) % 16 == 0;
		kern_return_t want = KERN_SUCCESS, got;
		vm_offset_t data;
		mach_msg_type_number_t count;

		switch (op) {
		case 0:	/* vm_allocate at a fixed address */
			for (unsigned i = p; i < p + n; i++)
				if (m[i].mapped)
					want = KERN_NO_SPACE;
			CHECK_KR(vm_allocate(ct_task, &a, n * PAGE_SIZE, 0), want);
			for (unsigned i = p; want == KERN_SUCCESS && i < p + n; i++)
				m[i] = (struct sb_page){ true, VM_PROT_DEFAULT, VM_PROT_ALL, 0 };
			break;
		case 1:	/* vm_deallocate */
			OK(vm_deallocate(ct_task, a, n * PAGE_SIZE));
			for (unsigned i = p; i < p + n; i++)
				m[i].mapped = false;
			break;
		case 2:	/* vm_protect, sometimes of the maximum */
			for (unsigned i = p; i < p + n; i++)
				if (m[i].mapped && (prot & m[i].max) != prot)
					want = KERN_PROTECTION_FAILURE;
			CHECK_KR(vm_protect(ct_task, a, n * PAGE_SIZE, set_max, prot), want);
			for (unsigned i = p; want == KERN_SUCCESS && i < p + n; i++) {
				if (set_max) {
					m[i].max = prot;
					m[i].prot &= prot;
				} else {
					m[i].prot = prot;
				}
			}
			break;
		case 3:	/* vm_write of one byte value per page */
			for (unsigned i = 0; i < n; i++)
				memset(buf + i * PAGE_SIZE, (int)(lcg(&seed) & 0xFF), PAGE_SIZE);
			want = sb_expect(m, p, n, VM_PROT_WRITE);
			CHECK_KR(vm_write(ct_task, a, (vm_offset_t)buf, n * PAGE_SIZE), want);
			for (unsigned i = 0; want == KERN_SUCCESS && i < n; i++)
				m[p + i].byte = buf[i * PAGE_SIZE];
			break;
		case 4:	/* vm_read, the bytes checked */
			want = sb_expect(m, p, n, VM_PROT_READ);
			got = vm_read(ct_task, a, n * PAGE_SIZE, &data, &count);
			CHECK_KR(got, want);
			if (got != KERN_SUCCESS)
				break;
			for (unsigned i = 0; i < n; i++) {
				const unsigned char *d = (const unsigned char *)data + i * PAGE_SIZE;
				CHECK_EQ(d[0], m[p + i].byte);
				CHECK_EQ(d[PAGE_SIZE - 1], m[p + i].byte);
			}
			pages_free((void *)data, n * PAGE_SIZE);
			break;
		default: /* vm_copy, possibly overlapping */
			want = sb_expect(m, p, n, VM_PROT_READ);
			if (want == KERN_SUCCESS)
				want = sb_expect(m, q, n, VM_PROT_WRITE);
			CHECK_KR(vm_copy(ct_task, a, n * PAGE_SIZE, b), want);
			if (want == KERN_SUCCESS) {
				unsigned char bytes[OP_PAGES];
				for (unsigned i = 0; i < n; i++)
					bytes[i] = m[p + i].byte;
				for (unsigned i = 0; i < n; i++)
					m[q + i].byte = bytes[i];
			}
			break;
		}
	}
	OK(vm_deallocate(ct_task, sb, SB_PAGES * PAGE_SIZE));
	pages_free(buf, OP_PAGES * PAGE_SIZE);
}
