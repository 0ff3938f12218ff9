/*
 * Unit tests of fork (vm_map_fork) and copy-on-write on the host, over vm_fixture.h's
 * fake pages and pmap: isolation both ways, sharing, holes, repeated forks, the
 * child's head start on its parent's code, wired memory, and vm_write's page sharing.
 */
#include "vm_fixture.h"

static void test_fork_copy_is_copy_on_write(void **state)
{
	struct task_vm p, c;
	uint64_t a;

	(void)state;
	tv_init(&p);
	tv_init(&c);
	a = alloc(&p, 4 * PG);
	for (int i = 0; i < 4; i++)
		wr(&p, a + i * PG, (unsigned char)(10 + i));
	assert_int_equal(vm_map_fork(&c.map, &p.map), KERN_SUCCESS);
	assert_int_equal(pages_live, 4);	/* shared, not copied */
	for (int i = 0; i < 4; i++)
		assert_int_equal(rd(&c, a + i * PG), 10 + i);
	wr(&p, a, 99);				/* the parent's write copies one page */
	assert_int_equal(pages_live, 5);
	assert_int_equal(vm_counters.cow_faults, 1);
	assert_int_equal(rd(&c, a), 10);
	wr(&c, a + PG, 77);			/* and the child's another */
	assert_int_equal(rd(&p, a + PG), 11);
	assert_int_equal(rd(&p, a), 99);
	wr(&c, a, 55);				/* the last holder writes in place */
	assert_int_equal(vm_counters.cow_faults, 2);
	assert_int_equal(rd(&p, a), 99);
	vm_map_destroy(&p.map);
	assert_int_equal(rd(&c, a + 2 * PG), 12);
	vm_map_destroy(&c.map);
}

/*
 * A second fork of pages shared already protects nothing more; a page private again
 * (the other holder gone) and written since is protected by the next fork.
 */
static void test_fork_again_and_after_the_child_ends(void **state)
{
	struct task_vm p, c1, c2;
	uint64_t a;

	(void)state;
	tv_init(&p);
	tv_init(&c1);
	tv_init(&c2);
	a = alloc(&p, 2 * PG);
	wr(&p, a, 1);
	wr(&p, a + PG, 2);
	assert_int_equal(vm_map_fork(&c1.map, &p.map), KERN_SUCCESS);
	assert_int_equal(vm_map_fork(&c2.map, &p.map), KERN_SUCCESS);
	wr(&p, a, 3);
	assert_int_equal(rd(&c1, a), 1);
	assert_int_equal(rd(&c2, a), 1);
	wr(&c2, a + PG, 4);
	assert_int_equal(rd(&p, a + PG), 2);
	assert_int_equal(rd(&c1, a + PG), 2);
	vm_map_destroy(&c1.map);
	vm_map_destroy(&c2.map);
	wr(&p, a + PG, 5);			/* private again: written in place */
	tv_init(&c1);
	assert_int_equal(vm_map_fork(&c1.map, &p.map), KERN_SUCCESS);
	wr(&p, a + PG, 6);
	assert_int_equal(rd(&c1, a + PG), 5);
	vm_map_destroy(&c1.map);
	vm_map_destroy(&p.map);
}

/*
 * vm_write's path: whole pages of a snapshot written over a range take the snapshot's
 * pages (copy-on-write) instead of their bytes; a page of zeroes in the snapshot
 * replaces a page the destination had.
 */
static void test_overwrite_takes_the_pages(void **state)
{
	struct task_vm s, d;
	struct vm_map_copy *copy;
	uint64_t a, b, pa_src, pa_dst;
	int prot;

	(void)state;
	tv_init(&s);
	tv_init(&d);
	a = alloc(&s, 3 * PG);
	wr(&s, a, 1);
	wr(&s, a + 2 * PG, 3);			/* a + PG stays untouched: zeroes */
	b = alloc(&d, 3 * PG);
	wr(&d, b + PG, 9);
	assert_int_equal(vm_map_copyin(&s.map, a, 3 * PG, false, &copy), KERN_SUCCESS);
	assert_int_equal(vm_map_copy_overwrite(&d.map, b, copy), KERN_SUCCESS);
	vm_map_copy_discard(copy);
	assert_int_equal(pages_live, 2);	/* d's own page went; nothing was copied */
	assert_int_equal(rd(&d, b), 1);
	assert_int_equal(rd(&d, b + PG), 0);
	assert_int_equal(rd(&d, b + 2 * PG), 3);
	assert_true(pmap_extract(&s.pmap, a, &pa_src, &prot));
	assert_true(pmap_extract(&d.pmap, b, &pa_dst, &prot));
	assert_true(pa_src == pa_dst && !(prot & VM_PROT_WRITE));
	wr(&d, b, 7);				/* each side's writes stay its own */
	wr(&s, a + 2 * PG, 8);
	assert_int_equal(rd(&s, a), 1);
	assert_int_equal(rd(&d, b + 2 * PG), 3);
	/* A wired destination's pages stay where they are: the bytes are written. */
	assert_int_equal(vm_map_wire_all(&d.map, VM_WIRE_CURRENT), KERN_SUCCESS);
	assert_true(pmap_extract(&d.pmap, b + 2 * PG, &pa_dst, &prot));
	assert_int_equal(vm_map_copyin(&s.map, a, 3 * PG, false, &copy), KERN_SUCCESS);
	assert_int_equal(vm_map_copy_overwrite(&d.map, b, copy), KERN_SUCCESS);
	vm_map_copy_discard(copy);
	assert_true(pmap_extract(&d.pmap, b + 2 * PG, &pa_src, &prot));
	assert_int_equal(pa_src, pa_dst);
	assert_int_equal(rd(&d, b + 2 * PG), 8);
	assert_int_equal(rd(&d, b), 1);
	vm_map_destroy(&s.map);
	vm_map_destroy(&d.map);
}

static void test_fork_untouched_pages_stay_zero(void **state)
{
	struct task_vm p, c;
	uint64_t a;

	(void)state;
	tv_init(&p);
	tv_init(&c);
	a = alloc(&p, 2 * PG);
	assert_int_equal(vm_map_fork(&c.map, &p.map), KERN_SUCCESS);
	wr(&p, a, 1);
	assert_int_equal(rd(&c, a), 0);
	wr(&c, a + PG, 2);
	assert_int_equal(rd(&p, a + PG), 0);
	vm_map_destroy(&p.map);
	vm_map_destroy(&c.map);
}

static void test_fork_share_and_none(void **state)
{
	struct task_vm p, c;
	uint64_t s, n;

	(void)state;
	tv_init(&p);
	tv_init(&c);
	s = alloc(&p, PG);
	n = alloc(&p, PG);
	wr(&p, s, 1);
	wr(&p, n, 2);
	assert_int_equal(vm_map_inherit(&p.map, s, s + PG, VM_INHERIT_SHARE), KERN_SUCCESS);
	assert_int_equal(vm_map_inherit(&p.map, n, n + PG, VM_INHERIT_NONE), KERN_SUCCESS);
	assert_int_equal(vm_map_fork(&c.map, &p.map), KERN_SUCCESS);
	wr(&c, s, 3);
	assert_int_equal(rd(&p, s), 3);
	wr(&p, s, 4);
	assert_int_equal(rd(&c, s), 4);
	assert_null(vm_map_lookup(&c.map, n));
	assert_int_equal(vm_fault(&c.map, n, VM_PROT_READ), KERN_INVALID_ADDRESS);
	assert_int_equal(c.map.size, PG);
	vm_map_destroy(&p.map);
	assert_int_equal(rd(&c, s), 4);		/* the child keeps the shared page */
	vm_map_destroy(&c.map);
}

/* Wired pages never become copy-on-write (they must stay where they are): copies of
 * them are made at once. */
static void test_wired_pages_are_copied_eagerly(void **state)
{
	struct task_vm p, c;
	struct vm_map_copy *copy;
	uint64_t a, pa;

	(void)state;
	tv_init(&p);
	tv_init(&c);
	a = alloc(&p, 2 * PG);
	wr(&p, a, 1);
	assert_int_equal(vm_map_wire_all(&p.map, VM_WIRE_CURRENT), KERN_SUCCESS);
	assert_int_equal(pages_live, 2);
	pa = find(&p.pmap, a)->pa;
	assert_int_equal(vm_map_fork(&c.map, &p.map), KERN_SUCCESS);
	assert_int_equal(vm_map_copyin(&p.map, a, PG, false, &copy), KERN_SUCCESS);
	assert_int_equal(pages_live, 5);
	assert_int_equal(vm_page_refs(pa), 1);
	wr(&p, a, 2);
	assert_int_equal(find(&p.pmap, a)->pa, pa);
	assert_int_equal(vm_counters.cow_faults, 0);
	assert_int_equal(rd(&c, a), 1);
	vm_map_copy_discard(copy);
	vm_map_destroy(&p.map);
	vm_map_destroy(&c.map);
}

/*
 * The child starts with its parent's page-table entries of read-only memory (code): the
 * same pages, read-only; writable memory it faults in itself.
 */
static void test_child_starts_with_parents_code(void **state)
{
	struct task_vm p, c;
	uint64_t code, data;

	(void)state;
	tv_init(&p);
	tv_init(&c);
	code = alloc(&p, 2 * PG);
	data = alloc(&p, PG);
	wr(&p, code, 5);
	wr(&p, data, 6);
	assert_int_equal(vm_map_protect(&p.map, code, code + 2 * PG, VM_PROT_READ | VM_PROT_EXECUTE,
					false), KERN_SUCCESS);
	assert_int_equal(rd(&p, code), 5);
	assert_int_equal(vm_map_fork(&c.map, &p.map), KERN_SUCCESS);
	assert_non_null(find(&c.pmap, code));
	assert_int_equal(find(&c.pmap, code)->pa, find(&p.pmap, code)->pa);
	assert_int_equal(find(&c.pmap, code)->prot, VM_PROT_READ | VM_PROT_EXECUTE);
	assert_null(find(&c.pmap, code + PG));	/* never mapped in the parent */
	assert_null(find(&c.pmap, data));
	assert_int_equal(vm_counters.faults, 3);
	assert_int_equal(rd(&c, code), 5);
	assert_int_equal(vm_counters.faults, 3);	/* no fault for it */
	assert_int_equal(rd(&c, data), 6);
	wr(&c, data, 7);
	assert_int_equal(rd(&p, data), 6);
	vm_map_destroy(&p.map);
	vm_map_destroy(&c.map);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fork_copy_is_copy_on_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fork_again_and_after_the_child_ends, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_child_starts_with_parents_code, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_overwrite_takes_the_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fork_untouched_pages_stay_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fork_share_and_none, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wired_pages_are_copied_eagerly, setup, teardown),
	};

	kalloc_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
