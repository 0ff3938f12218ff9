/*
 * Unit tests of the index of a map's entries (kernel/vm/vm_map_tree.c): random
 * inserts, removals and splits against a model (a sorted array), checking after each
 * step the tree's shape (order, parents, AVL balance, heights, gaps and largest gaps)
 * and every lookup and free-space search against the model's linear answers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <kern/layout.h>
#include <kern/vm_map.h>
#include "kernel/vm/vm_map_tree.h"

#define PG	4096ull
#define MAXE	400
#define SPACE	(4096 * PG)	/* the part of the address space the test uses */

static struct vm_map map;
static struct vm_entry *model[MAXE];	/* the entries, by address */
static int nmodel;
static uint64_t seed = 88172645463325252ull;

static uint64_t rnd(uint64_t n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed % n;
}

static void reset(void)
{
	memset(&map, 0, sizeof(map));
	list_init(&map.entries);
	nmodel = 0;
}

/* Checks n's subtree; returns its height, with the in-order walk matching the model. */
static int check_node(struct vm_entry *n, struct vm_entry *parent, int *pos)
{
	int hl, hr;
	uint64_t prev_end, max;

	if (!n)
		return 0;
	assert_ptr_equal(n->parent, parent);
	hl = check_node(n->left, n, pos);
	assert_true(*pos < nmodel);
	assert_ptr_equal(n, model[*pos]);
	prev_end = *pos ? model[*pos - 1]->end : VM_MAP_MIN;
	assert_int_equal(n->gap, n->start - prev_end);
	(*pos)++;
	hr = check_node(n->right, n, pos);
	assert_true(hl - hr <= 1 && hr - hl <= 1);
	assert_int_equal(n->height, (hl > hr ? hl : hr) + 1);
	max = n->gap;
	if (n->left && n->left->max_gap > max)
		max = n->left->max_gap;
	if (n->right && n->right->max_gap > max)
		max = n->right->max_gap;
	assert_int_equal(n->max_gap, max);
	return n->height;
}

/* The tree against the model; lookups and searches against linear ones. */
static void check(void)
{
	struct list *l;
	int pos = 0, i = 0;

	check_node(map.root, NULL, &pos);
	assert_int_equal(pos, nmodel);
	list_for_each(l, &map.entries)
		assert_ptr_equal(list_entry(l, struct vm_entry, link), model[i++]);
	assert_int_equal(i, nmodel);
	for (int k = 0; k < 20; k++) {
		uint64_t va = VM_MAP_MIN + rnd(SPACE + PG), size = (1 + rnd(64)) * PG;
		uint64_t mask = (1ull << (12 + rnd(6))) - 1, at = (VM_MAP_MIN + mask) & ~mask;
		struct vm_entry *in = NULL, *next = NULL;

		for (i = 0; i < nmodel; i++) {
			if (!next && model[i]->end > va)
				next = model[i];
			if (model[i]->start <= va && va < model[i]->end)
				in = model[i];
		}
		assert_ptr_equal(vm_map_lookup(&map, va), in);
		assert_ptr_equal(vm_map_lookup_next(&map, va), next);
		/* The lowest aligned free range, as the map's linear search found it. */
		for (i = 0; i < nmodel; i++) {
			if (model[i]->start >= at && model[i]->start - at >= size)
				break;
			if (model[i]->end > at)
				at = (model[i]->end + mask) & ~mask;
		}
		assert_int_equal(vm_map_tree_space(&map, size, mask, USER_LIMIT), at);
	}
}

/* Puts e (range set) into the list and the model at its place, then into the tree. */
static void add(struct vm_entry *e)
{
	int i = 0;

	while (i < nmodel && model[i]->start < e->start)
		i++;
	memmove(&model[i + 1], &model[i], (size_t)(nmodel - i) * sizeof(model[0]));
	model[i] = e;
	nmodel++;
	list_insert_after(i ? &model[i - 1]->link : &map.entries, &e->link);
	vm_map_tree_insert(&map, e);
}

static void drop(int i)
{
	struct vm_entry *e = model[i];

	vm_map_tree_remove(&map, e);
	list_remove(&e->link);
	memmove(&model[i], &model[i + 1], (size_t)(nmodel - i - 1) * sizeof(model[0]));
	nmodel--;
	free(e);
}

/* A free range at a random place (page-aligned, up to 16 pages), or false. */
static bool free_range(uint64_t *start, uint64_t *end)
{
	uint64_t s = VM_MAP_MIN + rnd(SPACE / PG) * PG, e = s + (1 + rnd(16)) * PG;

	for (int i = 0; i < nmodel; i++)
		if (model[i]->start < e && s < model[i]->end)
			return false;
	*start = s;
	*end = e;
	return true;
}

static void test_random_operations(void **state)
{
	(void)state;
	reset();
	for (int step = 0; step < 4000; step++) {
		uint64_t r = rnd(10), s, e;

		if (r < 5 && nmodel < MAXE && free_range(&s, &e)) {
			struct vm_entry *n = calloc(1, sizeof(*n));
			n->start = s;
			n->end = e;
			add(n);
		} else if (r < 8 && nmodel) {
			drop((int)rnd((uint64_t)nmodel));
		} else if (nmodel) {
			/* A split, as clip makes one: the entry keeps the low part. */
			struct vm_entry *o = model[rnd((uint64_t)nmodel)], *n;
			if (o->end - o->start < 2 * PG)
				continue;
			n = calloc(1, sizeof(*n));
			n->start = o->start + (1 + rnd((o->end - o->start) / PG - 1)) * PG;
			n->end = o->end;
			o->end = n->start;
			add(n);
		}
		check();
	}
	while (nmodel) {
		drop((int)rnd((uint64_t)nmodel));
		check();
	}
	assert_null(map.root);
}

/* A tree built in one pass from a list (vm_map_fork's child). */
static void test_build(void **state)
{
	(void)state;
	for (int n = 0; n < 70; n++) {
		uint64_t at = VM_MAP_MIN + rnd(4) * PG;

		reset();
		for (int i = 0; i < n; i++) {
			struct vm_entry *e = calloc(1, sizeof(*e));
			e->start = at;
			e->end = at + (1 + rnd(3)) * PG;
			at = e->end + rnd(3) * PG;
			model[nmodel++] = e;
			list_push_back(&map.entries, &e->link);
		}
		vm_map_tree_build(&map);
		check();
		while (nmodel)
			drop(nmodel - 1);
	}
}

/* Alignment: a gap large enough only before alignment is passed over. */
static void test_aligned_space(void **state)
{
	struct vm_entry a = { .start = 0x3000, .end = 0x11000 };
	struct vm_entry b = { .start = 0x22000, .end = 0x30000 };

	(void)state;
	reset();
	add(&a);
	add(&b);
	check();
	/* 0x11000-0x22000 holds 0x11000 bytes, but from 0x20000 only 0x2000. */
	assert_int_equal(vm_map_tree_space(&map, 0x10000, 0xffff, USER_LIMIT), 0x30000);
	assert_int_equal(vm_map_tree_space(&map, 0x2000, 0xffff, USER_LIMIT), 0x20000);
	assert_int_equal(vm_map_tree_space(&map, 0x2000, 0xfff, USER_LIMIT), 0x1000);
	assert_int_equal(vm_map_tree_space(&map, 0x1000, 0xfff, 0x30000), 0x1000);
	assert_int_equal(vm_map_tree_space(&map, 0x100000, 0xfff, 0x100000), 0);
	vm_map_tree_remove(&map, &a);
	list_remove(&a.link);
	vm_map_tree_remove(&map, &b);
	list_remove(&b.link);
	assert_null(map.root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_operations),
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_aligned_space),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
