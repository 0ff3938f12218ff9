/*
 * Unit tests of IPC name spaces (ipc/ipc_space.c): name choice, generations, names kept
 * aside, growth, the limit, and the port-to-entry hash against a reference model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <kern/zalloc.h>

/* What the space needs from the rest of the kernel. */
void *zone_pages_alloc(unsigned order)
{
	return aligned_alloc(4096, (size_t)4096 << order);
}

void zone_pages_free(void *va, unsigned order)
{
	(void)order;
	free(va);
}

void panic(const char *fmt, ...)
{
	(void)fmt;
	abort();
}

/* ipc_space_destroy drops each entry's rights: here entries hold no real rights. */
void ipc_right_destroy_entry(struct ipc_space *space, struct ipc_entry *e)
{
	if (e->type & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE))
		ipc_hash_delete(space, e->object);
	e->type = 0;
	ipc_entry_free(space, e);
}

static int setup(void **state)
{
	*state = ipc_space_create();
	return *state ? 0 : -1;
}

/* Every test gives back all it took: then no page stays with the allocator. */
static int teardown(void **state)
{
	ipc_space_destroy(*state);
	kalloc_drain();
	return 0;
}

static mach_port_name_t alloc(struct ipc_space *s)
{
	struct ipc_entry *e;
	mach_port_name_t name;

	assert_int_equal(ipc_entry_alloc(s, &name, &e), KERN_SUCCESS);
	e->type = MACH_PORT_TYPE_DEAD_NAME;
	e->urefs = 1;
	return name;
}

static void drop(struct ipc_space *s, mach_port_name_t name)
{
	struct ipc_entry *e = ipc_entry_lookup(s, name);

	assert_non_null(e);
	e->type = 0;
	ipc_entry_free(s, e);
}

static void test_fresh_space_names_from_one(void **state)
{
	struct ipc_space *s = *state;

	for (mach_port_name_t n = 1; n <= 5; n++)
		assert_int_equal(alloc(s), n);
	assert_null(ipc_entry_lookup(s, 0));
	assert_null(ipc_entry_lookup(s, MACH_PORT_DEAD));
	assert_null(ipc_entry_lookup(s, 6));
}

static void test_stale_name_detected(void **state)
{
	struct ipc_space *s = *state;
	mach_port_name_t a = alloc(s), b;

	drop(s, a);
	assert_null(ipc_entry_lookup(s, a));
	b = alloc(s);	/* the same slot, another generation */
	assert_int_equal(IPC_NAME_INDEX(b), IPC_NAME_INDEX(a));
	assert_int_not_equal(b, a);
	assert_null(ipc_entry_lookup(s, a));
	assert_non_null(ipc_entry_lookup(s, b));
}

static void test_chosen_names(void **state)
{
	struct ipc_space *s = *state;
	struct ipc_entry *e;
	mach_port_name_t a = alloc(s);
	mach_port_name_t same_slot = IPC_NAME(IPC_NAME_INDEX(a), IPC_NAME_GEN(a) + 1);

	assert_int_equal(ipc_entry_alloc_name(s, a, &e), KERN_NAME_EXISTS);
	assert_int_equal(ipc_entry_alloc_name(s, 0, &e), KERN_INVALID_VALUE);
	assert_int_equal(ipc_entry_alloc_name(s, MACH_PORT_DEAD, &e), KERN_INVALID_VALUE);
	/* Beyond the table, and in a slot held by another generation: kept aside. */
	assert_int_equal(ipc_entry_alloc_name(s, 0x00ABCDEF, &e), KERN_SUCCESS);
	e->type = MACH_PORT_TYPE_DEAD_NAME;
	assert_int_equal(ipc_entry_alloc_name(s, same_slot, &e), KERN_SUCCESS);
	e->type = MACH_PORT_TYPE_DEAD_NAME;
	assert_int_equal(s->noverflow, 2);
	assert_ptr_equal(ipc_entry_lookup(s, same_slot), e);
	assert_int_equal(ipc_entry_name(s, e), same_slot);
	assert_non_null(ipc_entry_lookup(s, a));
	assert_non_null(ipc_entry_lookup(s, 0x00ABCDEF));
	/* The slot's owner goes; a new name for the slot must not collide with the one aside. */
	drop(s, a);
	for (int i = 0; i < 300; i++) {
		mach_port_name_t n = alloc(s);
		assert_int_not_equal(n, same_slot);
		assert_int_not_equal(n, (mach_port_name_t)0x00ABCDEF);
	}
	drop(s, same_slot);
	drop(s, 0x00ABCDEF);
	assert_int_equal(s->noverflow, 0);
}

static void test_growth_and_limit(void **state)
{
	struct ipc_space *s = *state;
	static mach_port_name_t names[IPC_SPACE_MAX_ENTRIES];
	struct ipc_entry *e;
	mach_port_name_t extra;
	uint32_t n = 0;

	while (ipc_entry_alloc(s, &names[n], &e) == KERN_SUCCESS) {
		e->type = MACH_PORT_TYPE_DEAD_NAME;
		n++;
	}
	assert_int_equal(n, IPC_SPACE_MAX_ENTRIES - 1);
	assert_int_equal(ipc_entry_alloc(s, &extra, &e), KERN_NO_SPACE);
	assert_int_equal(ipc_entry_alloc_name(s, 0x00ABCDEF, &e), KERN_NO_SPACE);
	for (uint32_t i = 0; i < n; i++)
		assert_non_null(ipc_entry_lookup(s, names[i]));
	for (uint32_t i = 0; i < n; i++)
		drop(s, names[i]);
	assert_int_equal(s->used, 0);
}

/* Random inserts and deletes in the port hash, checked against a plain array. */
static void test_hash_against_model(void **state)
{
	struct ipc_space *s = *state;
	enum { PORTS = 600 };
	static struct ipc_entry *model[PORTS];
	static char fake_ports[PORTS];
	unsigned seed = 7;

	for (int step = 0; step < 20000; step++) {
		int p;

		seed = seed * 1103515245 + 12345;
		p = (int)((seed >> 8) % PORTS);
		if (model[p]) {
			ipc_hash_delete(s, (struct ipc_port *)&fake_ports[p]);
			model[p]->type = 0;
			ipc_entry_free(s, model[p]);
			model[p] = NULL;
		} else {
			mach_port_name_t name;
			struct ipc_entry *e;
			assert_int_equal(ipc_entry_alloc(s, &name, &e), KERN_SUCCESS);
			e->type = MACH_PORT_TYPE_SEND;
			e->object = &fake_ports[p];
			ipc_hash_insert(s, (struct ipc_port *)&fake_ports[p], e);
			/* Entries move when the table grows: refresh the model's pointers. */
			for (int q = 0; q < PORTS; q++)
				if (model[q])
					model[q] = ipc_hash_lookup(s, (struct ipc_port *)&fake_ports[q]);
			model[p] = e = ipc_entry_lookup(s, name);
		}
		if (step % 97 == 0)
			for (int q = 0; q < PORTS; q++)
				assert_ptr_equal(ipc_hash_lookup(s, (struct ipc_port *)&fake_ports[q]), model[q]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fresh_space_names_from_one, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_name_detected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chosen_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_growth_and_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hash_against_model, setup, teardown),
	};
	kalloc_init();
	return cmocka_run_group_tests_name("ipc_space", tests, NULL, NULL);
}
