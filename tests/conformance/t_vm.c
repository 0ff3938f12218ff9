/*
 * Virtual memory: vm_allocate and friends on this task and on the peer, demand
 * zero-fill, protections seen through the kernel's own accesses (a message received
 * into read-only memory, sent from inaccessible memory), copy-on-write snapshots
 * (vm_read, vm_copy), statistics and counts; out-of-line memory, the gnumach calls
 * and the model check are in t_vm_copy.c.
 * Expected values: ABI section 11 and GNU Mach's documented behaviour (docs/vm.md).
 */
#include "vmt.h"

/* ---------------------------------------------------------------- vm_allocate */

CTEST(vm_allocate_anywhere_is_zero_filled)
{
	unsigned char *p = pages_alloc(4 * PAGE_SIZE);

	CHECK((vm_address_t)p % PAGE_SIZE == 0);
	CHECK(all_zero(p, 4 * PAGE_SIZE));
	fill(p, 4 * PAGE_SIZE, 1);
	CHECK(filled(p, 4 * PAGE_SIZE, 1));
	pages_free(p, 4 * PAGE_SIZE);
}

CTEST(vm_allocate_fixed_at_the_address)
{
	vm_address_t want = free_range(2 * PAGE_SIZE), a = want;

	OK(vm_allocate(ct_task, &a, 2 * PAGE_SIZE, 0));
	CHECK_EQ(a, want);
	((volatile char *)a)[PAGE_SIZE] = 5;
	pages_free((void *)a, 2 * PAGE_SIZE);
}

CTEST(vm_allocate_fixed_unaligned_is_truncated)
{
	vm_address_t want = free_range(PAGE_SIZE), a = want + 123;

	OK(vm_allocate(ct_task, &a, 10, 0));
	CHECK_EQ(a, want);
	CHECK_EQ(region(a).size, PAGE_SIZE);
	pages_free((void *)a, PAGE_SIZE);
}

CTEST(vm_allocate_fixed_overlap_is_no_space)
{
	unsigned char *p = pages_alloc(3 * PAGE_SIZE);
	vm_address_t a = (vm_address_t)p;

	CHECK_KR(vm_allocate(ct_task, &a, PAGE_SIZE, 0), KERN_NO_SPACE);
	a = (vm_address_t)p + 2 * PAGE_SIZE;	/* the last page, and the one after */
	CHECK_KR(vm_allocate(ct_task, &a, 2 * PAGE_SIZE, 0), KERN_NO_SPACE);
	pages_free(p, PAGE_SIZE);
	a = (vm_address_t)p;			/* a free page, and the next (taken) */
	CHECK_KR(vm_allocate(ct_task, &a, 2 * PAGE_SIZE, 0), KERN_NO_SPACE);
	pages_free(p, 3 * PAGE_SIZE);
}

CTEST(vm_allocate_huge_sizes)
{
	vm_address_t a = 0;

	CHECK_KR(vm_allocate(ct_task, &a, 1ul << 62, 1), KERN_NO_SPACE);
	CHECK_KR(vm_allocate(ct_task, &a, ~0ul, 1), KERN_NO_SPACE);
	a = 0x10000000;
	CHECK_KR(vm_allocate(ct_task, &a, 1ul << 62, 0), KERN_INVALID_ADDRESS);
	a = USER_TOP - PAGE_SIZE;
	CHECK_KR(vm_allocate(ct_task, &a, 2 * PAGE_SIZE, 0), KERN_INVALID_ADDRESS);
	a = KERNEL_ADDR;
	CHECK_KR(vm_allocate(ct_task, &a, PAGE_SIZE, 0), KERN_INVALID_ADDRESS);
}

CTEST(vm_allocate_size_zero)
{
	vm_address_t a = 0x1234000;

	OK(vm_allocate(ct_task, &a, 0, 1));
	CHECK_EQ(a, 0);
}

/* Pages come on first touch, not at vm_allocate. */
CTEST(vm_allocate_is_demand_filled)
{
	const size_t n = 64;
	struct kernel_object_counts c0 = counts(), c1, c2;
	unsigned char *p = pages_alloc(n * PAGE_SIZE);

	c1 = counts();
	CHECK(c1.pages - c0.pages < n / 4);
	for (size_t i = 0; i < n; i++)
		p[i * PAGE_SIZE] = 1;
	c2 = counts();
	CHECK(c2.pages - c0.pages >= n);
	pages_free(p, n * PAGE_SIZE);
}

CTEST(vm_allocate_large_sparse_region)
{
	const size_t size = 1ul << 40;	/* 1 TiB, untouched but for two pages */
	unsigned char *p = pages_alloc(size);

	p[0] = 1;
	p[size - 1] = 2;
	CHECK_EQ(p[size / 2], 0);
	CHECK_EQ(region((vm_address_t)p).size, size);
	pages_free(p, size);
}

CTEST(vm_allocate_in_the_peer)
{
	vm_address_t a = 0;

	OK(vm_allocate(ct_peer, &a, 2 * PAGE_SIZE, 1));
	CHECK(a != 0);
	OK(vm_deallocate(ct_peer, a, 2 * PAGE_SIZE));
}

/* A kernel port that is not a task's (a port of ours would get the request itself). */
CTEST(vm_calls_on_a_non_task_port)
{
	mach_port_t p = ct_host;
	vm_address_t a = 0;
	vm_statistics_data_t s;

	CHECK_KR(vm_allocate(p, &a, PAGE_SIZE, 1), KERN_INVALID_ARGUMENT);
	CHECK_KR(vm_protect(p, 0x10000, PAGE_SIZE, 0, VM_PROT_READ), KERN_INVALID_ARGUMENT);
	CHECK_KR(vm_statistics(p, &s), KERN_INVALID_ARGUMENT);
	CHECK_KR(vm_wire_all(ct_host_priv, p, VM_WIRE_NONE), KERN_INVALID_TASK);
}

/* ---------------------------------------------------------------- vm_deallocate */

CTEST(vm_deallocate_unmaps)
{
	unsigned char *p = pages_alloc(PAGE_SIZE);
	vm_offset_t data;
	mach_msg_type_number_t count;

	p[0] = 1;
	pages_free(p, PAGE_SIZE);
	CHECK_KR(vm_read(ct_task, (vm_address_t)p, PAGE_SIZE, &data, &count), KERN_INVALID_ADDRESS);
}

CTEST(vm_deallocate_middle_splits_the_region)
{
	unsigned char *p = pages_alloc(3 * PAGE_SIZE);
	struct region r;

	fill(p, 3 * PAGE_SIZE, 2);
	pages_free(p + PAGE_SIZE, PAGE_SIZE);
	r = region((vm_address_t)p);
	CHECK_EQ(r.addr, (vm_address_t)p);
	CHECK_EQ(r.size, PAGE_SIZE);
	r = region((vm_address_t)p + PAGE_SIZE);
	CHECK_EQ(r.addr, (vm_address_t)p + 2 * PAGE_SIZE);
	CHECK(filled(p, PAGE_SIZE, 2));
	CHECK_EQ(p[2 * PAGE_SIZE], (unsigned char)(2 * PAGE_SIZE * 7 + 2));
	pages_free(p, 3 * PAGE_SIZE);
}

CTEST(vm_deallocate_holes_and_bad_ranges)
{
	vm_address_t a = free_range(4 * PAGE_SIZE);

	OK(vm_deallocate(ct_task, a, 4 * PAGE_SIZE));	/* nothing there: fine */
	OK(vm_deallocate(ct_task, a, 0));
	CHECK_KR(vm_deallocate(ct_task, ~0ul - PAGE_SIZE, 2 * PAGE_SIZE), KERN_INVALID_ARGUMENT);
	CHECK_KR(vm_deallocate(ct_task, KERNEL_ADDR, PAGE_SIZE), KERN_INVALID_ADDRESS);
	CHECK_KR(vm_deallocate(ct_task, USER_TOP - PAGE_SIZE, 2 * PAGE_SIZE), KERN_INVALID_ADDRESS);
}

/* ---------------------------------------------------------------- vm_protect */

CTEST(vm_protect_read_only_refuses_kernel_writes)
{
	mach_port_t p = new_port();
	unsigned char *buf = pages_alloc(PAGE_SIZE);

	buf[0] = 9;
	OK(vm_protect(ct_task, (vm_address_t)buf, PAGE_SIZE, 0, VM_PROT_READ));
	OK(send_simple(p, MACH_MSG_TYPE_MAKE_SEND, 7));
	CHECK_KR(mach_msg_trap((mach_msg_header_t *)buf, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, 256, p,
			       0, 0), MACH_RCV_INVALID_DATA);
	CHECK_EQ(buf[0], 9);	/* still readable */
	CHECK_KR(vm_write(ct_task, (vm_address_t)buf, (vm_offset_t)buf, PAGE_SIZE),
		 KERN_PROTECTION_FAILURE);
	pages_free(buf, PAGE_SIZE);
	destroy(p);
}

CTEST(vm_protect_none_refuses_kernel_reads)
{
	const size_t n = (sizeof(struct mb) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	mach_port_t p = new_port();
	struct mb *m = pages_alloc(n);
	vm_offset_t data;
	mach_msg_type_number_t count;

	mb_init(m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, MACH_PORT_NULL, 3);
	OK(vm_protect(ct_task, (vm_address_t)m, n, 0, VM_PROT_NONE));
	CHECK_KR(mach_msg_trap(&m->h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, 32, 0, 0, 0, 0),
		 MACH_SEND_INVALID_DATA);
	CHECK_KR(vm_read(ct_task, (vm_address_t)m, 16, &data, &count), KERN_PROTECTION_FAILURE);
	expect_empty(p);
	OK(vm_protect(ct_task, (vm_address_t)m, n, 0, VM_PROT_DEFAULT));
	OK(mb_send(m, MACH_SEND_TIMEOUT, 0));	/* the same bytes, readable again */
	recv_now(p, (struct rb *)m);
	pages_free(m, n);
	destroy(p);
}

CTEST(vm_protect_restores_write)
{
	unsigned char *p = pages_alloc(PAGE_SIZE);

	p[1] = 1;
	OK(vm_protect(ct_task, (vm_address_t)p, PAGE_SIZE, 0, VM_PROT_READ));
	CHECK_EQ(p[1], 1);
	OK(vm_protect(ct_task, (vm_address_t)p, PAGE_SIZE, 0, VM_PROT_DEFAULT));
	p[1] = 2;
	CHECK_EQ(p[1], 2);
	pages_free(p, PAGE_SIZE);
}

CTEST(vm_protect_beyond_maximum_is_refused)
{
	unsigned char *p = pages_alloc(PAGE_SIZE);
	struct region r;

	OK(vm_protect(ct_task, (vm_address_t)p, PAGE_SIZE, 1, VM_PROT_READ));
	r = region((vm_address_t)p);
	CHECK_EQ(r.prot, VM_PROT_READ);		/* the maximum lowers the current protection */
	CHECK_EQ(r.max, VM_PROT_READ);
	CHECK_KR(vm_protect(ct_task, (vm_address_t)p, PAGE_SIZE, 0, VM_PROT_DEFAULT),
		 KERN_PROTECTION_FAILURE);
	CHECK_KR(vm_protect(ct_task, (vm_address_t)p, PAGE_SIZE, 1, VM_PROT_ALL),
		 KERN_PROTECTION_FAILURE);
	OK(vm_protect(ct_task, (vm_address_t)p, PAGE_SIZE, 0, VM_PROT_NONE));
	OK(vm_protect(ct_task, (vm_address_t)p, PAGE_SIZE, 0, VM_PROT_READ));
	CHECK_EQ(region((vm_address_t)p).prot, VM_PROT_READ);
	pages_free(p, PAGE_SIZE);
}

/* A refused change changes nothing, even in the entries before the offending one. */
CTEST(vm_protect_refusal_is_all_or_nothing)
{
	unsigned char *p = pages_alloc(2 * PAGE_SIZE);

	OK(vm_protect(ct_task, (vm_address_t)p + PAGE_SIZE, PAGE_SIZE, 1, VM_PROT_READ));
	CHECK_KR(vm_protect(ct_task, (vm_address_t)p, 2 * PAGE_SIZE, 0, VM_PROT_ALL),
		 KERN_PROTECTION_FAILURE);
	CHECK_EQ(region((vm_address_t)p).prot, VM_PROT_DEFAULT);
	p[0] = 1;
	pages_free(p, 2 * PAGE_SIZE);
}

CTEST(vm_protect_splits_and_bad_input)
{
	unsigned char *p = pages_alloc(3 * PAGE_SIZE);
	struct region r;

	OK(vm_protect(ct_task, (vm_address_t)p + PAGE_SIZE, PAGE_SIZE, 0, VM_PROT_READ));
	CHECK_EQ(region((vm_address_t)p).size, PAGE_SIZE);
	r = region((vm_address_t)p + PAGE_SIZE);
	CHECK_EQ(r.addr, (vm_address_t)p + PAGE_SIZE);
	CHECK_EQ(r.size, PAGE_SIZE);
	CHECK_EQ(r.prot, VM_PROT_READ);
	CHECK_EQ(r.max, VM_PROT_ALL);
	CHECK_EQ(region((vm_address_t)p + 2 * PAGE_SIZE).prot, VM_PROT_DEFAULT);
	CHECK_KR(vm_protect(ct_task, (vm_address_t)p, PAGE_SIZE, 0, 0x20), KERN_INVALID_ARGUMENT);
	CHECK_KR(vm_protect(ct_task, ~0ul - PAGE_SIZE, 2 * PAGE_SIZE, 0, VM_PROT_READ),
		 KERN_INVALID_ARGUMENT);
	CHECK_KR(vm_protect(ct_task, KERNEL_ADDR, PAGE_SIZE, 0, VM_PROT_READ), KERN_INVALID_ADDRESS);
	pages_free(p, 3 * PAGE_SIZE);
}

/* ---------------------------------------------------------------- vm_inherit */

CTEST(vm_inherit_is_recorded)
{
	unsigned char *p = pages_alloc(3 * PAGE_SIZE);

	CHECK_EQ(region((vm_address_t)p).inherit, VM_INHERIT_DEFAULT);
	OK(vm_inherit(ct_task, (vm_address_t)p, PAGE_SIZE, VM_INHERIT_SHARE));
	OK(vm_inherit(ct_task, (vm_address_t)p + 2 * PAGE_SIZE, PAGE_SIZE, VM_INHERIT_NONE));
	CHECK_EQ(region((vm_address_t)p).inherit, VM_INHERIT_SHARE);
	CHECK_EQ(region((vm_address_t)p + PAGE_SIZE).inherit, VM_INHERIT_COPY);
	CHECK_EQ(region((vm_address_t)p + 2 * PAGE_SIZE).inherit, VM_INHERIT_NONE);
	pages_free(p, 3 * PAGE_SIZE);
}

CTEST(vm_inherit_bad_input)
{
	unsigned char *p = pages_alloc(PAGE_SIZE);

	CHECK_KR(vm_inherit(ct_task, (vm_address_t)p, PAGE_SIZE, 3), KERN_INVALID_ARGUMENT);
	CHECK_KR(vm_inherit(ct_task, (vm_address_t)p, PAGE_SIZE, -1), KERN_INVALID_ARGUMENT);
	CHECK_KR(vm_inherit(ct_task, KERNEL_ADDR, PAGE_SIZE, VM_INHERIT_NONE), KERN_INVALID_ADDRESS);
	CHECK_EQ(region((vm_address_t)p).inherit, VM_INHERIT_COPY);
	pages_free(p, PAGE_SIZE);
}

/* ---------------------------------------------------------------- vm_read */

CTEST(vm_read_is_a_snapshot)
{
	const size_t n = 4 * PAGE_SIZE;
	unsigned char *p = pages_alloc(n), *d;

	fill(p, n, 3);
	d = read_self((vm_address_t)p, n);
	CHECK(d != p);
	CHECK(filled(d, n, 3));
	fill(p, n, 4);			/* the source changes: the snapshot does not */
	CHECK(filled(d, n, 3));
	fill(d, n, 5);			/* nor the other way round */
	CHECK(filled(p, n, 4));
	pages_free(d, n);
	pages_free(p, n);
}

CTEST(vm_read_unaligned)
{
	unsigned char *p = pages_alloc(2 * PAGE_SIZE), *d;

	fill(p, 2 * PAGE_SIZE, 6);
	d = read_self((vm_address_t)p + 100, 5000);
	CHECK_EQ((vm_address_t)d % PAGE_SIZE, 100);
	CHECK(memcmp(d, p + 100, 5000) == 0);
	pages_free(d, 5000);
	pages_free(p, 2 * PAGE_SIZE);
}

CTEST(vm_read_of_untouched_memory_is_zero)
{
	unsigned char *p = pages_alloc(3 * PAGE_SIZE), *d;

	d = read_self((vm_address_t)p, 3 * PAGE_SIZE);
	CHECK(all_zero(d, 3 * PAGE_SIZE));
	pages_free(d, 3 * PAGE_SIZE);
	pages_free(p, 3 * PAGE_SIZE);
}

CTEST(vm_read_bad_ranges)
{
	unsigned char *p = pages_alloc(PAGE_SIZE);
	vm_address_t hole = free_range(PAGE_SIZE);
	vm_offset_t data;
	mach_msg_type_number_t count;

	CHECK_KR(vm_read(ct_task, hole, PAGE_SIZE, &data, &count), KERN_INVALID_ADDRESS);
	/* Runs off the end of the region into a hole. */
	CHECK_KR(vm_read(ct_task, (vm_address_t)p, 1ul << 30, &data, &count), KERN_INVALID_ADDRESS);
	CHECK_KR(vm_read(ct_task, KERNEL_ADDR, 16, &data, &count), KERN_INVALID_ADDRESS);
	CHECK_KR(vm_read(ct_task, (vm_address_t)p, ~0ul, &data, &count), KERN_INVALID_ADDRESS);
	OK(vm_read(ct_task, (vm_address_t)p, 0, &data, &count));
	CHECK_EQ(count, 0);
	pages_free(p, PAGE_SIZE);
}

/* ---------------------------------------------------------------- vm_write */

CTEST(vm_write_into_the_peer)
{
	const size_t n = 3 * PAGE_SIZE;
	unsigned char *src = pages_alloc(n), *back;
	vm_address_t a = 0;
	vm_offset_t data;
	mach_msg_type_number_t count;

	fill(src, n, 8);
	OK(vm_allocate(ct_peer, &a, n, 1));
	OK(vm_write(ct_peer, a, (vm_offset_t)src, n));
	OK(vm_read(ct_peer, a + PAGE_SIZE, PAGE_SIZE, &data, &count));
	back = (unsigned char *)data;
	CHECK(memcmp(back, src + PAGE_SIZE, PAGE_SIZE) == 0);
	pages_free(back, PAGE_SIZE);
	OK(vm_deallocate(ct_peer, a, n));
	pages_free(src, n);
}

CTEST(vm_write_small_and_into_self)
{
	unsigned char *src = pages_alloc(PAGE_SIZE), *dst = pages_alloc(PAGE_SIZE);

	fill(src, PAGE_SIZE, 9);
	OK(vm_write(ct_task, (vm_address_t)dst, (vm_offset_t)src, PAGE_SIZE));
	CHECK(filled(dst, PAGE_SIZE, 9));
	pages_free(src, PAGE_SIZE);
	pages_free(dst, PAGE_SIZE);
}

CTEST(vm_write_bad_destinations)
{
	unsigned char *src = pages_alloc(3 * PAGE_SIZE);
	vm_address_t hole = free_range(2 * PAGE_SIZE);

	pages_free(src + 2 * PAGE_SIZE, PAGE_SIZE);	/* a hole right after */
	CHECK_KR(vm_write(ct_task, hole, (vm_offset_t)src, PAGE_SIZE), KERN_INVALID_ADDRESS);
	CHECK_KR(vm_write(ct_task, KERNEL_ADDR & ~(PAGE_SIZE - 1), (vm_offset_t)src, PAGE_SIZE),
		 KERN_INVALID_ADDRESS);
	/* The second page runs past the region. */
	CHECK_KR(vm_write(ct_task, (vm_address_t)src + PAGE_SIZE, (vm_offset_t)src, 2 * PAGE_SIZE),
		 KERN_INVALID_ADDRESS);
	CHECK_KR(vm_write(ct_task, (vm_address_t)src + 8, (vm_offset_t)src, PAGE_SIZE),
		 KERN_INVALID_ARGUMENT);
	CHECK_KR(vm_write(ct_task, (vm_address_t)src, (vm_offset_t)src, 100), KERN_INVALID_ARGUMENT);
	pages_free(src, 2 * PAGE_SIZE);
}

/* ---------------------------------------------------------------- vm_copy */

CTEST(vm_copy_copies_and_isolates)
{
	const size_t n = 3 * PAGE_SIZE;
	unsigned char *src = pages_alloc(n), *dst = pages_alloc(n);

	fill(src, n, 10);
	OK(vm_copy(ct_task, (vm_address_t)src, n, (vm_address_t)dst));
	CHECK(filled(dst, n, 10));
	fill(src, n, 11);
	CHECK(filled(dst, n, 10));
	pages_free(src, n);
	pages_free(dst, n);
}

CTEST(vm_copy_overlapping)
{
	unsigned char *p = pages_alloc(3 * PAGE_SIZE);

	fill(p, 2 * PAGE_SIZE, 12);
	OK(vm_copy(ct_task, (vm_address_t)p, 2 * PAGE_SIZE, (vm_address_t)p + PAGE_SIZE));
	CHECK(filled(p + PAGE_SIZE, 2 * PAGE_SIZE, 12));
	pages_free(p, 3 * PAGE_SIZE);
}

CTEST(vm_copy_bad_input)
{
	unsigned char *p = pages_alloc(2 * PAGE_SIZE);
	vm_address_t hole = free_range(PAGE_SIZE);

	CHECK_KR(vm_copy(ct_task, (vm_address_t)p, PAGE_SIZE, hole), KERN_INVALID_ADDRESS);
	CHECK_KR(vm_copy(ct_task, hole, PAGE_SIZE, (vm_address_t)p), KERN_INVALID_ADDRESS);
	CHECK_KR(vm_copy(ct_task, (vm_address_t)p, 100, (vm_address_t)p + PAGE_SIZE),
		 KERN_INVALID_ARGUMENT);
	CHECK_KR(vm_copy(ct_task, (vm_address_t)p + 1, PAGE_SIZE, (vm_address_t)p + PAGE_SIZE),
		 KERN_INVALID_ARGUMENT);
	OK(vm_protect(ct_task, (vm_address_t)p + PAGE_SIZE, PAGE_SIZE, 0, VM_PROT_READ));
	CHECK_KR(vm_copy(ct_task, (vm_address_t)p, PAGE_SIZE, (vm_address_t)p + PAGE_SIZE),
		 KERN_PROTECTION_FAILURE);
	pages_free(p, 2 * PAGE_SIZE);
}

/* ---------------------------------------------------------------- vm_region */

CTEST(vm_region_describes_an_allocation)
{
	unsigned char *p = pages_alloc(5 * PAGE_SIZE);
	struct region r = region((vm_address_t)p - 1);	/* from below: the next region */

	CHECK(r.addr <= (vm_address_t)p);
	r = region((vm_address_t)p + 3 * PAGE_SIZE);
	CHECK_EQ(r.addr, (vm_address_t)p);
	CHECK_EQ(r.size, 5 * PAGE_SIZE);
	CHECK_EQ(r.prot, VM_PROT_DEFAULT);
	CHECK_EQ(r.max, VM_PROT_ALL);
	CHECK_EQ(r.inherit, VM_INHERIT_COPY);
	CHECK(!r.shared);
	pages_free(p, 5 * PAGE_SIZE);
}

CTEST(vm_region_past_the_last_is_no_space)
{
	struct region r;
	mach_port_t object;

	CHECK_KR(vm_region(ct_task, &(vm_address_t){ USER_TOP }, &r.size, &r.prot, &r.max,
			   &r.inherit, &r.shared, &object, &r.offset), KERN_NO_SPACE);
}

/* ---------------------------------------------------------------- vm_map */

CTEST(vm_map_anonymous)
{
	vm_address_t a = 0;
	struct region r;

	OK(vm_map(ct_task, &a, 2 * PAGE_SIZE, 0, 1, MACH_PORT_NULL, 0, 0, VM_PROT_READ,
		  VM_PROT_DEFAULT, VM_INHERIT_SHARE));
	r = region(a);
	CHECK_EQ(r.addr, a);
	CHECK_EQ(r.size, 2 * PAGE_SIZE);
	CHECK_EQ(r.prot, VM_PROT_READ);
	CHECK_EQ(r.max, VM_PROT_DEFAULT);
	CHECK_EQ(r.inherit, VM_INHERIT_SHARE);
	CHECK(all_zero((unsigned char *)a, 2 * PAGE_SIZE));
	CHECK_KR(vm_protect(ct_task, a, PAGE_SIZE, 0, VM_PROT_ALL), KERN_PROTECTION_FAILURE);
	OK(vm_protect(ct_task, a, 2 * PAGE_SIZE, 0, VM_PROT_DEFAULT));
	((unsigned char *)a)[5] = 1;
	OK(vm_deallocate(ct_task, a, 2 * PAGE_SIZE));
}

CTEST(vm_map_mask_aligns)
{
	vm_address_t a = 0;

	OK(vm_map(ct_task, &a, PAGE_SIZE, 0xFFFFF, 1, MACH_PORT_NULL, 0, 0, VM_PROT_DEFAULT,
		  VM_PROT_ALL, VM_INHERIT_COPY));
	CHECK_EQ(a & 0xFFFFF, 0);
	OK(vm_deallocate(ct_task, a, PAGE_SIZE));
}

CTEST(vm_map_fixed_and_bad_input)
{
	unsigned char *p = pages_alloc(PAGE_SIZE);
	mach_port_t obj = new_port_send();
	vm_address_t a = (vm_address_t)p;

	CHECK_KR(vm_map(ct_task, &a, PAGE_SIZE, 0, 0, MACH_PORT_NULL, 0, 0, VM_PROT_DEFAULT,
			VM_PROT_ALL, VM_INHERIT_COPY), KERN_NO_SPACE);
	a = 0;
	CHECK_KR(vm_map(ct_task, &a, PAGE_SIZE, 0, 1, obj, 0, 0, VM_PROT_DEFAULT, VM_PROT_ALL,
			VM_INHERIT_COPY), KERN_INVALID_ARGUMENT);
	CHECK_KR(vm_map(ct_task, &a, PAGE_SIZE, 0, 1, MACH_PORT_NULL, 0, 0, VM_PROT_ALL,
			VM_PROT_READ, VM_INHERIT_COPY), KERN_INVALID_ARGUMENT);
	CHECK_KR(vm_map(ct_task, &a, PAGE_SIZE, 0, 1, MACH_PORT_NULL, 0, 0, 0x10 | VM_PROT_READ,
			VM_PROT_ALL, VM_INHERIT_COPY), KERN_INVALID_ARGUMENT);
	CHECK_KR(vm_map(ct_task, &a, PAGE_SIZE, 0, 1, MACH_PORT_NULL, 0, 0, VM_PROT_READ,
			VM_PROT_ALL, 7), KERN_INVALID_ARGUMENT);
	CHECK_KR(vm_map(ct_task, &a, 0, 0, 1, MACH_PORT_NULL, 0, 0, VM_PROT_READ, VM_PROT_ALL,
			VM_INHERIT_COPY), KERN_INVALID_ARGUMENT);
	CHECK_EQ(ptype(obj), MACH_PORT_TYPE_SEND_RECEIVE);	/* the request's copy was dropped */
	CHECK_EQ(refs(obj, MACH_PORT_RIGHT_SEND), 1);
	destroy(obj);
	pages_free(p, PAGE_SIZE);
}

/* ---------------------------------------------------------------- statistics */

CTEST(vm_statistics_counts_faults)
{
	unsigned char *p = pages_alloc(8 * PAGE_SIZE);
	vm_statistics_data_t a = stats(), b;

	CHECK_EQ(a.pagesize, PAGE_SIZE);
	CHECK(a.free_count > 0);
	CHECK(a.active_count > 0);
	for (int i = 0; i < 8; i++)
		p[i * PAGE_SIZE] = 1;
	b = stats();
	CHECK(b.zero_fill_count - a.zero_fill_count >= 8);
	CHECK(b.faults - a.faults >= 8);
	CHECK(b.lookups - a.lookups >= 8);
	CHECK(b.active_count - a.active_count >= 8);
	CHECK_EQ(b.pageins, 0);
	CHECK_EQ(b.pageouts, 0);
	pages_free(p, 8 * PAGE_SIZE);
}

CTEST(vm_statistics_counts_copy_on_write)
{
	const size_t n = 4 * PAGE_SIZE;
	unsigned char *p = pages_alloc(n), *d;
	vm_statistics_data_t a, b;

	fill(p, n, 13);
	d = read_self((vm_address_t)p, n);
	a = stats();
	for (int i = 0; i < 4; i++)
		p[i * PAGE_SIZE] = 0;	/* each write copies a shared page */
	b = stats();
	CHECK(b.cow_faults - a.cow_faults >= 4);
	CHECK(b.hits - a.hits >= 4);
	CHECK(filled(d, n, 13));
	pages_free(d, n);
	pages_free(p, n);
}

/* The pages of a region, and of its copies, go back when the last mapping goes. */
CTEST(vm_pages_return_after_copies)
{
	const size_t n = 16 * PAGE_SIZE;
	struct kernel_object_counts c0 = counts(), c1, c2;
	unsigned char *p = pages_alloc(n), *d;

	fill(p, n, 14);
	d = read_self((vm_address_t)p, n);
	fill(d, n, 15);		/* 16 private copies */
	c1 = counts();
	CHECK(c1.pages - c0.pages >= 32);
	CHECK_EQ(c1.vm_objects - c0.vm_objects, 2);
	pages_free(p, n);
	pages_free(d, n);
	c2 = counts();
	CHECK(c2.pages <= c0.pages + 4);	/* allowance for page tables and allocator caches */
	CHECK_EQ(c2.vm_objects, c0.vm_objects);
}

/* Pages of a region cut in the middle go back at once, not when the region ends. */
CTEST(vm_deallocate_middle_frees_its_pages)
{
	const size_t n = 32;
	unsigned char *p = pages_alloc(n * PAGE_SIZE);
	struct kernel_object_counts c0, c1;

	for (size_t i = 0; i < n; i++)
		p[i * PAGE_SIZE] = 1;
	c0 = counts();
	pages_free(p + PAGE_SIZE, (n - 2) * PAGE_SIZE);
	c1 = counts();
	CHECK(c0.pages - c1.pages >= n - 2 - 2);
	pages_free(p, n * PAGE_SIZE);
}
