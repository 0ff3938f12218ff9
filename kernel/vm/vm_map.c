/* Task address maps: entries, their ranges and attributes (see kern/vm_map.h). */
#include <string.h>
#include <arch/pmap.h>
#include <kern/layout.h>
#include <kern/vm_map.h>
#include <kern/vm_object.h>
#include <kern/vm_page.h>
#include <kern/zalloc.h>
#include <mach/vm_wire.h>
#include "vm_map_tree.h"

static struct zone entry_zone;
static bool zone_ready;
uint64_t vm_entries_live;

#define TRUNC(a)	((a) & ~(uint64_t)(PAGE_SIZE - 1))
#define ROUND(a)	TRUNC((a) + PAGE_SIZE - 1)
#define ENTRY(n)	list_entry(n, struct vm_entry, link)

void vm_map_init(struct vm_map *map, struct pmap *pmap)
{
	if (!zone_ready) {
		zone_init(&entry_zone, "vm.entry", sizeof(struct vm_entry));
		zone_ready = true;
	}
	memset(map, 0, sizeof(*map));
	map->pmap = pmap;
	map->size_limit = map->size_max = USER_LIMIT;
	list_init(&map->entries);
}

static void remove_entries(struct vm_map *map, struct vm_entry *e, uint64_t end, bool all);

void vm_map_destroy(struct vm_map *map)
{
	/* Every mapping goes at once: the pmap drops its tables instead of entries. */
	pmap_remove_all(map->pmap);
	if (!list_empty(&map->entries))
		remove_entries(map, ENTRY(map->entries.next), USER_LIMIT, true);
}

/* A new entry for [start, end) of o from offset, taking a reference to o. */
static struct vm_entry *entry_new(struct vm_map *map, uint64_t start, uint64_t end,
				  struct vm_object *o, uint64_t offset)
{
	struct vm_entry *e = zalloc(&entry_zone);

	if (!e)
		return NULL;
	memset(e, 0, sizeof(*e));
	e->map = map;
	e->start = start;
	e->end = end;
	e->object = o;
	e->offset = offset;
	vm_object_reference(o);
	list_push_back(&o->mappings, &e->obj_link);
	vm_entries_live++;
	return e;
}

/* Unlinks and frees e; its pages must already be out of the pmap. */
static void entry_free(struct vm_entry *e)
{
	list_remove(&e->link);
	list_remove(&e->obj_link);
	vm_object_release(e->object);
	zfree(&entry_zone, e);
	vm_entries_live--;
}

/* Splits e at `at` (inside it): e keeps the low part. False without memory. */
static bool clip(struct vm_entry *e, uint64_t at)
{
	struct vm_entry *hi = entry_new(e->map, at, e->end, e->object, e->offset + (at - e->start));

	if (!hi)
		return false;
	hi->prot = e->prot;
	hi->max_prot = e->max_prot;
	hi->inherit = e->inherit;
	hi->wired = e->wired;
	e->end = at;	/* the gaps stay: hi fills the rest of e's range */
	list_insert_after(&e->link, &hi->link);
	vm_map_tree_insert(e->map, hi);
	return true;
}

static struct vm_entry *next_entry(struct vm_map *map, struct vm_entry *e)
{
	return e->link.next == &map->entries ? NULL : ENTRY(e->link.next);
}

/*
 * Clips the entries at start and end so that the range's entries lie wholly inside it;
 * returns the first of them (NULL if none) in *first. False without memory.
 */
static bool clip_range(struct vm_map *map, uint64_t start, uint64_t end, struct vm_entry **first)
{
	struct vm_entry *e = vm_map_lookup_next(map, start), *last;

	*first = NULL;
	if (!e || e->start >= end)
		return true;
	if (e->start < start) {
		if (!clip(e, start))
			return false;
		e = next_entry(map, e);
	}
	last = vm_map_lookup(map, end - 1);
	if (last && last->end > end && !clip(last, end))
		return false;
	*first = e;
	return true;
}

/* Checks a range from a caller: page-rounds it; false if it leaves user space. */
static bool user_range(uint64_t *start, uint64_t *end)
{
	if (*end < *start || *end > USER_LIMIT)
		return false;
	*start = TRUNC(*start);
	*end = ROUND(*end);
	return true;
}

/*
 * The start of the range routines: page-rounds [start, end), checks it against user
 * space and clips the entries at its ends; *first is the first entry inside (or NULL).
 */
static kern_return_t clip_user_range(struct vm_map *map, uint64_t *start, uint64_t *end,
				     struct vm_entry **first)
{
	*first = NULL;
	if (!user_range(start, end))
		return KERN_INVALID_ADDRESS;
	if (*start == *end)
		return KERN_SUCCESS;
	return clip_range(map, *start, *end, first) ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

static bool range_free(struct vm_map *map, uint64_t start, uint64_t end)
{
	struct vm_entry *e = vm_map_lookup_next(map, start);

	return !e || e->start >= end;
}

static void insert_sorted(struct vm_map *map, struct vm_entry *ne)
{
	struct vm_entry *next = vm_map_lookup_next(map, ne->start);

	list_insert_after(next ? next->link.prev : map->entries.prev, &ne->link);
	vm_map_tree_insert(map, ne);
}

/*
 * Faults in every page of e (VM_WIRE_CURRENT, wired entries). An entry larger than the
 * memory left fails at once, rather than after taking all of it.
 */
static kern_return_t wire_entry(struct vm_entry *e)
{
	kern_return_t kr = KERN_SUCCESS;

	if (!e->object->device &&
	    (e->end - e->start) / PAGE_SIZE > e->object->resident + vm_page_available())
		return KERN_RESOURCE_SHORTAGE;
	e->wired = true;
	vm_object_set_wired(e->object, true);
	for (uint64_t va = e->start; va < e->end && kr == KERN_SUCCESS; va += PAGE_SIZE)
		kr = vm_fault_enter(e, va, e->prot & VM_PROT_WRITE);
	return kr;
}

/* As in GNU Mach: a size too large finds no room anywhere, or leaves user space. */
static kern_return_t size_error(uint64_t size, bool anywhere)
{
	if (size == 0)
		return KERN_INVALID_ARGUMENT;
	return anywhere ? KERN_NO_SPACE : KERN_INVALID_ADDRESS;
}

kern_return_t vm_map_enter_object(struct vm_map *map, uint64_t *addr, uint64_t size,
				  uint64_t mask, bool anywhere, struct vm_object *o,
				  uint64_t offset, int prot, int max_prot, int inherit)
{
	uint64_t start;
	struct vm_entry *e;

	if (size == 0 || size > USER_LIMIT)
		return size_error(size, anywhere);
	size = ROUND(size);
	if (size > map->size_limit || map->size > map->size_limit - size)
		return KERN_NO_SPACE;
	if (anywhere) {
		/* The lowest free range of size bytes aligned to mask + 1. */
		start = vm_map_tree_space(map, size, mask | (PAGE_SIZE - 1), USER_LIMIT);
		if (!start)
			return KERN_NO_SPACE;
	} else {
		start = TRUNC(*addr);
		if (start < VM_MAP_MIN || start > USER_LIMIT || USER_LIMIT - start < size)
			return KERN_INVALID_ADDRESS;
		if (!range_free(map, start, start + size))
			return KERN_NO_SPACE;
	}
	e = entry_new(map, start, start + size, o, offset);
	if (!e)
		return KERN_RESOURCE_SHORTAGE;
	vm_object_release(o);	/* the entry holds the caller's reference now */
	e->prot = prot;
	e->max_prot = max_prot;
	e->inherit = inherit;
	insert_sorted(map, e);
	map->size += size;
	if (map->wire_future && wire_entry(e) != KERN_SUCCESS) {
		vm_object_reference(o);	/* the caller keeps its reference on failure */
		vm_map_remove(map, start, start + size);
		return KERN_RESOURCE_SHORTAGE;
	}
	*addr = start;
	return KERN_SUCCESS;
}

kern_return_t vm_map_enter(struct vm_map *map, uint64_t *addr, uint64_t size, bool anywhere,
			   int prot)
{
	struct vm_object *o;
	kern_return_t kr;

	if (size == 0 || size > USER_LIMIT)
		return size_error(size, anywhere);
	o = vm_object_anon(ROUND(size) / PAGE_SIZE);
	if (!o)
		return KERN_RESOURCE_SHORTAGE;
	kr = vm_map_enter_object(map, addr, size, 0, anywhere, o, 0, prot, VM_PROT_ALL,
				 VM_INHERIT_COPY);
	if (kr != KERN_SUCCESS)
		vm_object_release(o);
	return kr;
}

/*
 * Whether no one but e holds the object's pages behind e: every reference to the
 * object is a mapping (no virtual copy holds it) and no other mapping overlaps e.
 */
static bool pages_private(struct vm_entry *e)
{
	struct list *n;
	int mappings = 0;

	list_for_each(n, &e->object->mappings) {
		struct vm_entry *m = list_entry(n, struct vm_entry, obj_link);
		mappings++;
		if (m != e && m->offset < e->offset + (e->end - e->start) &&
		    e->offset < m->offset + (m->end - m->start))
			return false;
	}
	return mappings == e->object->refs;
}

kern_return_t vm_map_remove(struct vm_map *map, uint64_t start, uint64_t end)
{
	struct vm_entry *e;
	bool all;
	kern_return_t kr = clip_user_range(map, &start, &end, &e);

	if (kr != KERN_SUCCESS)
		return kr;
	/* Only entries have pages in the pmap: the holes between them cost nothing. */
	all = start <= VM_MAP_MIN && end >= USER_LIMIT;
	if (all)
		pmap_remove_all(map->pmap);
	else
		pmap_remove(map->pmap, start, end);
	remove_entries(map, e, end, all);
	return KERN_SUCCESS;
}

/*
 * Frees the entries from e up to end, whose pages are out of the pmap already; all:
 * they are every entry of the map (the tree goes at once).
 */
static void remove_entries(struct vm_map *map, struct vm_entry *e, uint64_t end, bool all)
{
	struct vm_entry *next;

	if (all)
		map->root = NULL;
	for (; e && e->start < end; e = next) {
		next = next_entry(map, e);
		if (!all)
			vm_map_tree_remove(map, e);
		/* The pages go with their last mapping, even while the object lives on. */
		if (pages_private(e))
			vm_object_free_range(e->object, e->offset / PAGE_SIZE,
					     (e->end - e->start) / PAGE_SIZE);
		map->size -= e->end - e->start;
		entry_free(e);
	}
}

kern_return_t vm_map_protect(struct vm_map *map, uint64_t start, uint64_t end, int prot,
			     bool set_max)
{
	struct vm_entry *e;
	kern_return_t kr;

	if (!user_range(&start, &end))
		return KERN_INVALID_ADDRESS;
	for (e = vm_map_lookup_next(map, start); e && e->start < end; e = next_entry(map, e))
		if ((prot & e->max_prot) != prot)
			return KERN_PROTECTION_FAILURE;
	kr = clip_user_range(map, &start, &end, &e);
	if (kr != KERN_SUCCESS)
		return kr;
	for (; e && e->start < end; e = next_entry(map, e)) {
		int old = e->prot;

		if (set_max) {
			e->max_prot = prot;
			e->prot &= prot;
		} else {
			e->prot = prot;
		}
		/* Lost rights leave the pmap now; gained ones come with the next fault. */
		if (old & ~e->prot) {
			pmap_remove(map->pmap, e->start, e->end);
			if (e->wired)
				wire_entry(e);
		}
	}
	return KERN_SUCCESS;
}

kern_return_t vm_map_inherit(struct vm_map *map, uint64_t start, uint64_t end, int inherit)
{
	struct vm_entry *e;
	kern_return_t kr = clip_user_range(map, &start, &end, &e);

	for (; kr == KERN_SUCCESS && e && e->start < end; e = next_entry(map, e))
		e->inherit = inherit;
	return kr;
}

void vm_map_protect_add(struct vm_map *map, uint64_t start, uint64_t end, int prot)
{
	struct vm_entry *e;

	if (!clip_range(map, TRUNC(start), ROUND(end), &e))
		return;
	for (; e && e->start < end; e = next_entry(map, e))
		e->prot |= prot;
}

kern_return_t vm_map_wire_all(struct vm_map *map, int flags)
{
	struct list *n;
	kern_return_t kr = KERN_SUCCESS;

	map->wire_future = flags & VM_WIRE_FUTURE;
	list_for_each(n, &map->entries) {
		struct vm_entry *e = ENTRY(n);

		if (flags & VM_WIRE_CURRENT) {
			if (kr == KERN_SUCCESS)
				kr = wire_entry(e);
		} else if (!flags) {
			e->wired = false;
			vm_object_set_wired(e->object, false);
		}
	}
	return kr;
}

kern_return_t vm_map_fork(struct vm_map *child, struct vm_map *parent)
{
	kern_return_t kr = KERN_SUCCESS;
	struct list *n;

	child->size_limit = parent->size_limit;
	child->size_max = parent->size_max;
	list_for_each(n, &parent->entries) {
		struct vm_entry *pe = ENTRY(n), *ce;
		struct vm_object *o = pe->object;
		uint64_t offset = pe->offset;

		if (pe->inherit == VM_INHERIT_NONE)
			continue;
		/* Device memory cannot be copied: the child shares it whatever the inheritance. */
		if (pe->inherit == VM_INHERIT_COPY && !o->device) {
			o = vm_object_copy(pe->object, pe->offset / PAGE_SIZE,
					   (pe->end - pe->start) / PAGE_SIZE);
			if (!o) {
				kr = KERN_RESOURCE_SHORTAGE;
				break;
			}
			offset = 0;
		}
		ce = entry_new(child, pe->start, pe->end, o, offset);
		if (o != pe->object)
			vm_object_release(o);	/* the child's entry holds the copy */
		if (!ce) {
			kr = KERN_RESOURCE_SHORTAGE;
			break;
		}
		ce->prot = pe->prot;
		ce->max_prot = pe->max_prot;
		ce->inherit = pe->inherit;
		list_push_back(&child->entries, &ce->link);
		child->size += pe->end - pe->start;
		/* The child starts with the parent's page-table entries of code and other
		   read-only memory (its copy holds the same pages): no fault for what it
		   runs. Writable memory is left to its faults, most of them writes that
		   would fault anyway (copy-on-write). Without memory for the tables the
		   child simply faults them in later. */
		if (o != pe->object && !pe->object->wired && !(pe->prot & VM_PROT_WRITE))
			pmap_copy(child->pmap, parent->pmap, pe->start, pe->end);
	}
	vm_map_tree_build(child);	/* in one pass: the entries come in order */
	return kr;
}
