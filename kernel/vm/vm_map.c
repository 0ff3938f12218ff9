/* Task address maps (see kern/vm_map.h). */
#include <string.h>
#include <arch/pmap.h>
#include <kern/layout.h>
#include <kern/pmm.h>
#include <kern/printf.h>
#include <kern/vm_map.h>
#include <kern/zalloc.h>

struct vm_entry {
	struct list link;
	uint64_t start, end;
	int prot;
};

static struct zone entry_zone;
static bool zone_ready;
uint64_t vm_entries_live;

#define TRUNC(a)	((a) & ~(uint64_t)(PAGE_SIZE - 1))
#define ROUND(a)	TRUNC((a) + PAGE_SIZE - 1)

void vm_map_init(struct vm_map *map, struct pmap *pmap)
{
	if (!zone_ready) {
		zone_init(&entry_zone, "vm.entry", sizeof(struct vm_entry));
		zone_ready = true;
	}
	map->pmap = pmap;
	map->size = 0;
	list_init(&map->entries);
}

void vm_map_destroy(struct vm_map *map)
{
	vm_map_remove(map, 0, USER_LIMIT);
}

/* The lowest free range of size bytes at or above VM_MAP_MIN, or 0. */
static uint64_t find_space(struct vm_map *map, uint64_t size)
{
	uint64_t at = VM_MAP_MIN;
	struct list *n;

	list_for_each(n, &map->entries) {
		struct vm_entry *e = list_entry(n, struct vm_entry, link);
		if (e->start >= at && e->start - at >= size)
			return at;
		if (e->end > at)
			at = e->end;
	}
	return at <= USER_LIMIT && USER_LIMIT - at >= size ? at : 0;
}

static bool range_free(struct vm_map *map, uint64_t start, uint64_t end)
{
	struct list *n;

	list_for_each(n, &map->entries) {
		struct vm_entry *e = list_entry(n, struct vm_entry, link);
		if (e->start < end && start < e->end)
			return false;
	}
	return true;
}

static void insert_sorted(struct vm_map *map, struct vm_entry *ne)
{
	struct list *n;

	list_for_each(n, &map->entries)
		if (list_entry(n, struct vm_entry, link)->start > ne->start)
			break;
	list_insert_after(n->prev, &ne->link);
}

kern_return_t vm_map_enter(struct vm_map *map, uint64_t *addr, uint64_t size, bool anywhere,
			   int prot)
{
	uint64_t start, end;
	struct vm_entry *e;

	if (size == 0 || size > USER_LIMIT)
		return KERN_INVALID_ARGUMENT;
	size = ROUND(size);
	if (anywhere) {
		start = find_space(map, size);
		if (!start)
			return KERN_NO_SPACE;
	} else {
		start = TRUNC(*addr);
		if (start < VM_MAP_MIN || start > USER_LIMIT || USER_LIMIT - start < size)
			return KERN_INVALID_ADDRESS;
		if (!range_free(map, start, start + size))
			return KERN_NO_SPACE;
	}
	end = start + size;
	e = zalloc(&entry_zone);
	if (!e)
		return KERN_RESOURCE_SHORTAGE;
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		uint64_t pa = page_alloc();
		if (pa == PMM_NONE || pmap_enter(map->pmap, va, pa, prot | PMAP_OWNED) != KERN_SUCCESS) {
			if (pa != PMM_NONE)
				page_free(pa);
			pmap_remove(map->pmap, start, va);
			zfree(&entry_zone, e);
			return KERN_RESOURCE_SHORTAGE;
		}
		memset(phys_to_virt(pa), 0, PAGE_SIZE);
	}
	e->start = start;
	e->end = end;
	e->prot = prot;
	insert_sorted(map, e);
	vm_entries_live++;
	map->size += size;
	*addr = start;
	return KERN_SUCCESS;
}

kern_return_t vm_map_remove(struct vm_map *map, uint64_t start, uint64_t end)
{
	struct list *n, *tmp;

	start = TRUNC(start);
	end = ROUND(end);
	if (end > USER_LIMIT || start > end)
		return KERN_INVALID_ADDRESS;
	list_for_each_safe(n, tmp, &map->entries) {
		struct vm_entry *e = list_entry(n, struct vm_entry, link);
		uint64_t s = e->start > start ? e->start : start;
		uint64_t t = e->end < end ? e->end : end;

		if (s >= t)
			continue;
		pmap_remove(map->pmap, s, t);
		map->size -= t - s;
		if (s == e->start && t == e->end) {
			list_remove(&e->link);
			zfree(&entry_zone, e);
			vm_entries_live--;
		} else if (s == e->start) {
			e->start = t;
		} else if (t == e->end) {
			e->end = s;
		} else {
			struct vm_entry *tail = zalloc(&entry_zone);
			if (!tail) {
				/* Cannot split: the middle stays unbacked but recorded as mapped. */
				continue;
			}
			*tail = (struct vm_entry){ .start = t, .end = e->end, .prot = e->prot };
			e->end = s;
			list_insert_after(&e->link, &tail->link);
			vm_entries_live++;
		}
	}
	return KERN_SUCCESS;
}

kern_return_t vm_map_write(struct vm_map *map, uint64_t va, const void *src, uint64_t len)
{
	const uint8_t *s = src;

	while (len) {
		uint64_t pa, n = PAGE_SIZE - (va & (PAGE_SIZE - 1));

		if (n > len)
			n = len;
		if (!pmap_extract(map->pmap, va, &pa, NULL))
			return KERN_INVALID_ADDRESS;
		memcpy(phys_to_virt(pa), s, n);
		va += n;
		s += n;
		len -= n;
	}
	return KERN_SUCCESS;
}

void vm_map_protect_add(struct vm_map *map, uint64_t start, uint64_t end, int prot)
{
	for (uint64_t va = TRUNC(start); va < end; va += PAGE_SIZE) {
		int old;
		if (pmap_extract(map->pmap, va, NULL, &old))
			pmap_protect(map->pmap, va, old | prot);
	}
}
