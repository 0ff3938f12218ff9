/*
 * The index of a map's entries (vm_map_tree.h): an AVL tree by address, each node
 * also keeping the free gap below its entry and the largest gap in its subtree, so
 * that lookups and the search for free space take O(log n) in a map of many entries
 * (a server's heap: one entry per page-sized allocation).
 *
 * Conditions: interrupts disabled (as for all of the VM); the entry list is kept by
 * the caller and is the order of the tree.
 */
#include <kern/vm_map.h>
#include "vm_map_tree.h"

static int height(const struct vm_entry *n)
{
	return n ? n->height : 0;
}

/* The entry before e in address order, from the list. */
static struct vm_entry *prev_of(struct vm_map *map, struct vm_entry *e)
{
	return e->link.prev == &map->entries ? NULL :
	       list_entry(e->link.prev, struct vm_entry, link);
}

static struct vm_entry *next_of(struct vm_map *map, struct vm_entry *e)
{
	return e->link.next == &map->entries ? NULL :
	       list_entry(e->link.next, struct vm_entry, link);
}

/* Recomputes n's height and largest gap from its children. */
static void update(struct vm_entry *n)
{
	int hl = height(n->left), hr = height(n->right);
	uint64_t g = n->gap;

	n->height = (hl > hr ? hl : hr) + 1;
	if (n->left && n->left->max_gap > g)
		g = n->left->max_gap;
	if (n->right && n->right->max_gap > g)
		g = n->right->max_gap;
	n->max_gap = g;
}

/* Puts c where n hangs (c may be NULL). */
static void replace_child(struct vm_map *map, struct vm_entry *n, struct vm_entry *c)
{
	struct vm_entry *p = n->parent;

	if (!p)
		map->root = c;
	else if (p->left == n)
		p->left = c;
	else
		p->right = c;
	if (c)
		c->parent = p;
}

static struct vm_entry *rotate_left(struct vm_map *map, struct vm_entry *x)
{
	struct vm_entry *y = x->right;

	replace_child(map, x, y);
	x->right = y->left;
	if (x->right)
		x->right->parent = x;
	y->left = x;
	x->parent = y;
	update(x);
	update(y);
	return y;
}

static struct vm_entry *rotate_right(struct vm_map *map, struct vm_entry *x)
{
	struct vm_entry *y = x->left;

	replace_child(map, x, y);
	x->left = y->right;
	if (x->left)
		x->left->parent = x;
	y->right = x;
	x->parent = y;
	update(x);
	update(y);
	return y;
}

/* From n up to the root: heights and gaps recomputed, balance restored. */
static void fix_up(struct vm_map *map, struct vm_entry *n)
{
	for (; n; n = n->parent) {
		int balance;

		update(n);
		balance = height(n->left) - height(n->right);
		if (balance > 1) {
			if (height(n->left->left) < height(n->left->right))
				rotate_left(map, n->left);
			n = rotate_right(map, n);
		} else if (balance < -1) {
			if (height(n->right->right) < height(n->right->left))
				rotate_right(map, n->right);
			n = rotate_left(map, n);
		}
	}
}

/* The gap below e, after its neighbours changed. */
static void set_gap(struct vm_map *map, struct vm_entry *e)
{
	struct vm_entry *p = prev_of(map, e);

	e->gap = e->start - (p ? p->end : VM_MAP_MIN);
	fix_up(map, e);
}

void vm_map_tree_insert(struct vm_map *map, struct vm_entry *e)
{
	struct vm_entry **link = &map->root, *parent = NULL, *next;

	while (*link) {
		parent = *link;
		link = e->start < parent->start ? &parent->left : &parent->right;
	}
	*link = e;
	e->parent = parent;
	e->left = e->right = NULL;
	e->height = 1;
	set_gap(map, e);
	next = next_of(map, e);
	if (next)
		set_gap(map, next);
}

void vm_map_tree_remove(struct vm_map *map, struct vm_entry *e)
{
	struct vm_entry *from, *next = next_of(map, e);

	if (!e->left || !e->right) {
		from = e->parent;
		replace_child(map, e, e->left ? e->left : e->right);
	} else {
		/* Its successor in the tree (the next entry) takes its place. */
		struct vm_entry *s = e->right;

		while (s->left)
			s = s->left;
		from = s;
		if (s->parent != e) {
			from = s->parent;
			replace_child(map, s, s->right);
			s->right = e->right;
			s->right->parent = s;
		}
		replace_child(map, e, s);
		s->left = e->left;
		s->left->parent = s;
	}
	fix_up(map, from);
	/* The next entry's gap now reaches down to the entry before e. */
	if (next) {
		struct vm_entry *p = prev_of(map, e);

		next->gap = next->start - (p ? p->end : VM_MAP_MIN);
		fix_up(map, next);
	}
}

/* vm_map_fork's child: a balanced tree of the first n entries from *cur on. */
static struct vm_entry *build(struct vm_map *map, struct list **cur, uint64_t n,
			      struct vm_entry *parent, uint64_t *prev_end)
{
	struct vm_entry *left, *e;

	if (n == 0)
		return NULL;
	left = build(map, cur, n / 2, NULL, prev_end);
	e = list_entry(*cur, struct vm_entry, link);
	*cur = (*cur)->next;
	e->gap = e->start - *prev_end;
	*prev_end = e->end;
	e->parent = parent;
	e->left = left;
	if (left)
		left->parent = e;
	e->right = build(map, cur, n - n / 2 - 1, e, prev_end);
	update(e);
	return e;
}

void vm_map_tree_build(struct vm_map *map)
{
	struct list *cur = map->entries.next, *l;
	uint64_t n = 0, prev_end = VM_MAP_MIN;

	list_for_each(l, &map->entries)
		n++;
	map->root = build(map, &cur, n, NULL, &prev_end);
}

struct vm_entry *vm_map_lookup_next(struct vm_map *map, uint64_t va)
{
	struct vm_entry *n = map->root, *best = NULL;

	while (n) {
		if (n->end > va) {
			best = n;
			if (n->start <= va)
				break;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best;
}

struct vm_entry *vm_map_lookup(struct vm_map *map, uint64_t va)
{
	struct vm_entry *n = map->root;

	while (n) {
		if (va < n->start)
			n = n->left;
		else if (va >= n->end)
			n = n->right;
		else
			return n;
	}
	return NULL;
}

/* The lowest aligned start of size bytes in a gap of n's subtree, or 0. */
static uint64_t space_in(struct vm_entry *n, uint64_t size, uint64_t mask)
{
	uint64_t at;

	if (!n || n->max_gap < size)
		return 0;
	at = space_in(n->left, size, mask);
	if (at)
		return at;
	if (n->gap >= size) {
		uint64_t lo = n->start - n->gap;

		at = (lo + mask) & ~mask;
		if (at >= lo && at <= n->start && n->start - at >= size)
			return at;
	}
	return space_in(n->right, size, mask);
}

uint64_t vm_map_tree_space(struct vm_map *map, uint64_t size, uint64_t mask, uint64_t limit)
{
	uint64_t at = space_in(map->root, size, mask), lo;

	if (at)
		return at;
	/* Above the last entry. */
	lo = list_empty(&map->entries) ? VM_MAP_MIN :
	     list_entry(map->entries.prev, struct vm_entry, link)->end;
	at = (lo + mask) & ~mask;
	return at >= lo && at <= limit && limit - at >= size ? at : 0;
}
