/*
 * Unit tests of the VM's maps, objects, faults, copies and user-style byte access on the
 * host, over vm_fixture.h's fake pages and pmap. Fork and copy-on-write: test_vm_fork.c.
 */
#include "vm_fixture.h"

/* ---------------------------------------------------------------- tests */

static void test_zero_fill_on_first_touch(void **state)
{
	struct task_vm t;
	uint64_t a;

	(void)state;
	tv_init(&t);
	a = alloc(&t, 100 * PG);
	assert_int_equal(pages_live, 0);	/* nothing eagerly */
	assert_int_equal(rd(&t, a + 5 * PG + 7), 0);
	wr(&t, a + 99 * PG, 42);
	assert_int_equal(pages_live, 2);
	assert_int_equal(vm_counters.zero_fill, 2);
	assert_int_equal(rd(&t, a + 99 * PG), 42);
	vm_map_destroy(&t.map);
}

/* A page of a shared object that is then copied: the sharers see the writer's copy, the
 * snapshot keeps the old page. */
static void test_shared_object_with_a_snapshot(void **state)
{
	struct task_vm p, c;
	struct vm_map_copy *copy;
	uint64_t s, got;

	(void)state;
	tv_init(&p);
	tv_init(&c);
	s = alloc(&p, PG);
	wr(&p, s, 1);
	vm_map_inherit(&p.map, s, s + PG, VM_INHERIT_SHARE);
	assert_int_equal(vm_map_fork(&c.map, &p.map), KERN_SUCCESS);
	assert_int_equal(rd(&c, s), 1);
	assert_int_equal(vm_map_copyin(&p.map, s, PG, false, &copy), KERN_SUCCESS);
	wr(&p, s, 2);
	assert_int_equal(rd(&c, s), 2);
	assert_int_equal(vm_map_copyout(&c.map, copy, &got), KERN_SUCCESS);
	assert_int_equal(rd(&c, got), 1);
	vm_map_destroy(&p.map);
	vm_map_destroy(&c.map);
}

static void test_protection_and_maximum(void **state)
{
	struct task_vm t;
	unsigned char *b;
	uint64_t a;

	(void)state;
	tv_init(&t);
	a = alloc(&t, 3 * PG);
	wr(&t, a + PG, 1);
	assert_int_equal(vm_map_protect(&t.map, a + PG, a + 2 * PG, VM_PROT_READ, false), KERN_SUCCESS);
	assert_int_equal(access_byte(&t, a + PG, VM_PROT_WRITE, &b), KERN_PROTECTION_FAILURE);
	assert_int_equal(rd(&t, a + PG), 1);
	wr(&t, a, 2);				/* the neighbours keep their protection */
	wr(&t, a + 2 * PG, 3);
	assert_int_equal(vm_map_protect(&t.map, a, a + 3 * PG, VM_PROT_READ, true), KERN_SUCCESS);
	assert_int_equal(vm_map_protect(&t.map, a, a + PG, VM_PROT_DEFAULT, false),
			 KERN_PROTECTION_FAILURE);
	assert_int_equal(access_byte(&t, a, VM_PROT_WRITE, &b), KERN_PROTECTION_FAILURE);
	assert_int_equal(vm_map_protect(&t.map, a, a + PG, VM_PROT_NONE, false), KERN_SUCCESS);
	assert_int_equal(access_byte(&t, a, VM_PROT_READ, &b), KERN_PROTECTION_FAILURE);
	vm_map_destroy(&t.map);
}

static void test_copyin_dealloc_and_copyout(void **state)
{
	struct task_vm s, r;
	struct vm_map_copy *copy;
	uint64_t a, got;

	(void)state;
	tv_init(&s);
	tv_init(&r);
	a = alloc(&s, 3 * PG);
	wr(&s, a + 100, 7);
	wr(&s, a + 2 * PG + 5, 8);
	assert_int_equal(vm_map_copyin(&s.map, a + 100, 2 * PG, true, &copy), KERN_SUCCESS);
	assert_null(vm_map_lookup(&s.map, a));		/* whole pages leave the sender */
	assert_null(vm_map_lookup(&s.map, a + 2 * PG));
	assert_int_equal(vm_map_copyout(&r.map, copy, &got), KERN_SUCCESS);
	assert_int_equal(got % PG, 100);
	assert_int_equal(rd(&r, got), 7);
	assert_int_equal(rd(&r, got + 2 * PG - 95), 8);
	vm_map_destroy(&s.map);
	vm_map_destroy(&r.map);
}

static void test_copyin_errors(void **state)
{
	struct task_vm t;
	struct vm_map_copy *copy;
	uint64_t a;

	(void)state;
	tv_init(&t);
	a = alloc(&t, PG);
	assert_int_equal(vm_map_copyin(&t.map, a, 2 * PG, false, &copy), KERN_INVALID_ADDRESS);
	assert_int_equal(vm_map_copyin(&t.map, a, UINT64_MAX, false, &copy), KERN_INVALID_ADDRESS);
	vm_map_protect(&t.map, a, a + PG, VM_PROT_NONE, false);
	assert_int_equal(vm_map_copyin(&t.map, a, 10, false, &copy), KERN_PROTECTION_FAILURE);
	assert_int_equal(vm_map_copyin(&t.map, a, 0, false, &copy), KERN_SUCCESS);
	assert_null(copy);
	vm_map_destroy(&t.map);
}

static void test_sparse_object_pages(void **state)
{
	struct task_vm t;
	const uint64_t size = 1ull << 36;	/* 2^24 pages: a 3-level page tree */
	const uint64_t idx[] = { 0, 511, 512, 513, 262143, 262144, (1ull << 24) - 1 };
	uint64_t a;

	(void)state;
	tv_init(&t);
	a = alloc(&t, size);
	for (unsigned i = 0; i < sizeof(idx) / sizeof(idx[0]); i++)
		wr(&t, a + idx[i] * PG, (unsigned char)(i + 1));
	for (unsigned i = 0; i < sizeof(idx) / sizeof(idx[0]); i++)
		assert_int_equal(rd(&t, a + idx[i] * PG), i + 1);
	assert_int_equal(pages_live, 7);
	assert_int_equal(rd(&t, a + 1000 * PG), 0);
	vm_map_destroy(&t.map);
}

static void test_remove_middle_frees_its_pages(void **state)
{
	struct task_vm t;
	uint64_t a;

	(void)state;
	tv_init(&t);
	a = alloc(&t, 10 * PG);
	for (int i = 0; i < 10; i++)
		wr(&t, a + i * PG, (unsigned char)i);
	assert_int_equal(vm_map_remove(&t.map, a + 2 * PG, a + 8 * PG), KERN_SUCCESS);
	assert_int_equal(pages_live, 4);
	assert_int_equal(rd(&t, a + 9 * PG), 9);
	assert_int_equal(vm_fault(&t.map, a + 5 * PG, VM_PROT_READ), KERN_INVALID_ADDRESS);
	assert_int_equal(t.map.size, 4 * PG);
	vm_map_destroy(&t.map);
}

static void test_out_of_memory(void **state)
{
	struct task_vm p, c;
	unsigned char *b;
	uint64_t a;

	(void)state;
	tv_init(&p);
	tv_init(&c);
	a = alloc(&p, 4 * PG);
	wr(&p, a, 1);
	assert_int_equal(vm_map_fork(&c.map, &p.map), KERN_SUCCESS);
	page_budget = 0;
	assert_int_equal(access_byte(&p, a + PG, VM_PROT_READ, &b), KERN_RESOURCE_SHORTAGE);
	assert_int_equal(access_byte(&p, a, VM_PROT_WRITE, &b), KERN_RESOURCE_SHORTAGE);
	assert_int_equal(rd(&p, a), 1);		/* what is resident still reads */
	assert_int_equal(vm_map_wire_all(&p.map, VM_WIRE_CURRENT), KERN_RESOURCE_SHORTAGE);
	page_budget = -1;
	wr(&p, a, 2);
	assert_int_equal(rd(&c, a), 1);
	vm_map_destroy(&p.map);
	vm_map_destroy(&c.map);
}

static void test_fixed_overlap_and_bad_ranges(void **state)
{
	struct task_vm t;
	uint64_t a, b;

	(void)state;
	tv_init(&t);
	a = alloc(&t, 2 * PG);
	b = a + PG;
	assert_int_equal(vm_map_enter(&t.map, &b, PG, false, VM_PROT_READ), KERN_NO_SPACE);
	b = USER_LIMIT - PG;
	assert_int_equal(vm_map_enter(&t.map, &b, 2 * PG, false, VM_PROT_READ), KERN_INVALID_ADDRESS);
	assert_int_equal(vm_map_enter(&t.map, &b, UINT64_MAX, true, VM_PROT_READ), KERN_NO_SPACE);
	assert_int_equal(vm_map_remove(&t.map, 0, USER_LIMIT + PG), KERN_INVALID_ADDRESS);
	assert_int_equal(vm_map_protect(&t.map, a, a + PG, VM_PROT_ALL, false), KERN_SUCCESS);
	t.map.size_limit = 3 * PG;
	b = 0;
	assert_int_equal(vm_map_enter(&t.map, &b, 2 * PG, true, VM_PROT_READ), KERN_NO_SPACE);
	vm_map_destroy(&t.map);
}

/*
 * Device memory: pages computed from the object's physical address (far outside the fake
 * pages, so any page reference taken on one would trip the fake allocator's checks),
 * entered uncached, shared by fork whatever the inheritance, never copied or written by
 * the kernel, and unmapped without being freed.
 */
static void test_device_memory(void **state)
{
	const uint64_t phys = 0xFE000000ull;
	struct task_vm p, c;
	struct vm_map_copy *copy;
	struct vm_object *o;
	struct mapping *m;
	uint64_t a = 0;

	(void)state;
	tv_init(&p);
	tv_init(&c);
	o = vm_object_device(phys, 1000);	/* more than the fake pages left */
	assert_non_null(o);
	assert_int_equal(vm_map_enter_object(&p.map, &a, 1000 * PG, 0, true, o, 0, VM_PROT_DEFAULT,
					     VM_PROT_ALL, VM_INHERIT_COPY), KERN_SUCCESS);
	assert_int_equal(vm_fault(&p.map, a + 3 * PG + 5, VM_PROT_WRITE), KERN_SUCCESS);
	m = find(&p.pmap, a + 3 * PG);
	assert_non_null(m);
	assert_true(m->device);
	assert_int_equal(m->pa, phys + 3 * PG);
	assert_int_equal(m->prot, VM_PROT_DEFAULT);
	assert_int_equal(vm_map_fork(&c.map, &p.map), KERN_SUCCESS);
	assert_int_equal(vm_fault(&c.map, a + 3 * PG, VM_PROT_WRITE), KERN_SUCCESS);
	assert_int_equal(find(&c.pmap, a + 3 * PG)->pa, phys + 3 * PG);
	assert_int_equal(vm_counters.objects, 1);	/* the child shares the object */
	assert_int_equal(vm_map_copyin(&p.map, a, PG, false, &copy), KERN_PROTECTION_FAILURE);
	assert_int_equal(vm_map_write(&p.map, a, "x", 1), KERN_PROTECTION_FAILURE);
	assert_int_equal(vm_map_wire_all(&p.map, VM_WIRE_CURRENT), KERN_SUCCESS);
	assert_true(find(&p.pmap, a + 999 * PG)->device);
	assert_int_equal(vm_map_wire_all(&p.map, VM_WIRE_NONE), KERN_SUCCESS);
	vm_map_destroy(&c.map);
	vm_map_destroy(&p.map);
	assert_int_equal(pages_live, 0);
}

/* vm_map_read_user / vm_map_write_user: the user's view, copy-on-write kept. */
static void test_user_access_and_cow(void **state)
{
	struct task_vm p, c;
	unsigned char b[3 * PG];
	uint64_t a;

	(void)state;
	tv_init(&p);
	tv_init(&c);
	a = alloc(&p, 4 * PG);
	wr(&p, a + PG - 1, 0x5A);
	assert_int_equal(vm_map_read_user(&p.map, a + PG - 2, b, 3), KERN_SUCCESS);
	assert_int_equal(b[0], 0);		/* zero-filled through the call */
	assert_int_equal(b[1], 0x5A);
	assert_int_equal(b[2], 0);
	assert_int_equal(pages_live, 2);
	assert_int_equal(vm_map_fork(&c.map, &p.map), KERN_SUCCESS);
	memset(b, 0x77, sizeof(b));
	assert_int_equal(vm_map_write_user(&c.map, a + PG - 1, b, 2), KERN_SUCCESS);
	assert_int_equal(rd(&p, a + PG - 1), 0x5A);	/* the parent keeps its page */
	assert_int_equal(rd(&p, a + PG), 0);
	assert_int_equal(rd(&c, a + PG - 1), 0x77);
	assert_int_equal(rd(&c, a + PG), 0x77);
	assert_int_equal(vm_counters.cow_faults, 2);
	assert_int_equal(c.map.cow_faults, 2);
	/* A user mapping that showed the shared page no longer does. */
	assert_int_equal(rd(&c, a + PG - 2), 0);
	vm_map_destroy(&c.map);
	vm_map_destroy(&p.map);
}

static void test_user_access_refusals_write_nothing(void **state)
{
	struct task_vm p;
	unsigned char b[2 * PG];
	uint64_t a;

	(void)state;
	tv_init(&p);
	a = alloc(&p, 3 * PG);
	wr(&p, a, 1);
	memset(b, 9, sizeof(b));
	assert_int_equal(vm_map_protect(&p.map, a + PG, a + 2 * PG, VM_PROT_READ, false),
			 KERN_SUCCESS);
	assert_int_equal(vm_map_write_user(&p.map, a + 10, b, PG), KERN_PROTECTION_FAILURE);
	assert_int_equal(rd(&p, a + 10), 0);
	assert_int_equal(vm_map_read_user(&p.map, a + 10, b, 20), KERN_SUCCESS);	/* page 0 only */
	assert_int_equal(vm_map_remove(&p.map, a + 2 * PG, a + 3 * PG), KERN_SUCCESS);
	assert_int_equal(vm_map_read_user(&p.map, a + 2 * PG - 1, b, 2), KERN_INVALID_ADDRESS);
	assert_int_equal(vm_map_read_user(&p.map, USER_LIMIT - 1, b, 2), KERN_INVALID_ADDRESS);
	assert_int_equal(vm_map_read_user(&p.map, ~0ull, b, 2), KERN_INVALID_ADDRESS);
	assert_int_equal(vm_map_protect(&p.map, a, a + PG, VM_PROT_NONE, false), KERN_SUCCESS);
	assert_int_equal(vm_map_read_user(&p.map, a, b, 1), KERN_PROTECTION_FAILURE);
	assert_int_equal(vm_map_read_user(&p.map, 0, b, 0), KERN_SUCCESS);
	assert_int_equal(vm_map_write_user(&p.map, ~0ull, b, 0), KERN_SUCCESS);
	/* Out of pages: a write needing a fresh page fails and writes nothing. */
	assert_int_equal(vm_map_protect(&p.map, a, a + 2 * PG, VM_PROT_DEFAULT, false),
			 KERN_SUCCESS);
	page_budget = 0;
	assert_int_equal(vm_map_write_user(&p.map, a + PG - 1, b, 2), KERN_RESOURCE_SHORTAGE);
	page_budget = -1;
	assert_int_equal(rd(&p, a + PG - 1), 0);
	vm_map_destroy(&p.map);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_zero_fill_on_first_touch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_object_with_a_snapshot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_protection_and_maximum, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copyin_dealloc_and_copyout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copyin_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sparse_object_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remove_middle_frees_its_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fixed_overlap_and_bad_ranges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_device_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_access_and_cow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_access_refusals_write_nothing, setup,
						teardown),
	};

	kalloc_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
