/* Zones of fixed-size objects, and kalloc on top of them (see kern/zalloc.h). */
#include <string.h>
#include <kern/zalloc.h>

#define ZPAGE_SIZE	4096u

/* At the start of every zone page. */
struct zpage {
	struct zone *zone;
	struct list link;	/* in the zone's partial, full or empty list */
	void *free;		/* singly-linked free objects */
	size_t used;
};

static inline struct zpage *page_of(void *obj)
{
	return (struct zpage *)((uintptr_t)obj & ~(uintptr_t)(ZPAGE_SIZE - 1));
}

/* First object offset: after the header, aligned to 16. */
#define ZPAGE_FIRST	((sizeof(struct zpage) + 15) & ~(size_t)15)

void zone_init(struct zone *z, const char *name, size_t elem_size)
{
	z->name = name;
	z->elem_size = (elem_size + 15) & ~(size_t)15;
	if (z->elem_size < sizeof(void *))
		z->elem_size = 16;
	z->per_page = (ZPAGE_SIZE - ZPAGE_FIRST) / z->elem_size;
	list_init(&z->partial);
	list_init(&z->full);
	list_init(&z->empty);
	z->pages = 0;
	z->in_use = 0;
}

static struct zpage *zone_grow(struct zone *z)
{
	struct zpage *pg = zone_pages_alloc(0);
	char *obj;

	if (!pg)
		return NULL;
	pg->zone = z;
	pg->used = 0;
	pg->free = NULL;
	/* Thread the free list so that objects are handed out in address order. */
	obj = (char *)pg + ZPAGE_FIRST + (z->per_page - 1) * z->elem_size;
	for (size_t i = 0; i < z->per_page; i++, obj -= z->elem_size) {
		*(void **)obj = pg->free;
		pg->free = obj;
	}
	list_push_back(&z->partial, &pg->link);
	z->pages++;
	return pg;
}

void *zalloc(struct zone *z)
{
	struct zpage *pg;
	void *obj;

	if (!list_empty(&z->partial)) {
		pg = list_entry(z->partial.next, struct zpage, link);
	} else if (!list_empty(&z->empty)) {
		pg = list_entry(z->empty.next, struct zpage, link);
		list_remove(&pg->link);
		list_push_back(&z->partial, &pg->link);
	} else if (!(pg = zone_grow(z))) {
		return NULL;
	}
	obj = pg->free;
	pg->free = *(void **)obj;
	pg->used++;
	z->in_use++;
	if (!pg->free) {
		list_remove(&pg->link);
		list_push_back(&z->full, &pg->link);
	}
	return obj;
}

void zfree(struct zone *z, void *obj)
{
	struct zpage *pg = page_of(obj);

	*(void **)obj = pg->free;
	pg->free = obj;
	pg->used--;
	z->in_use--;
	list_remove(&pg->link);
	if (pg->used) {
		list_push_back(&z->partial, &pg->link);
	} else if (list_empty(&z->empty)) {
		list_push_back(&z->empty, &pg->link);	/* keep one page to avoid thrashing */
	} else {
		z->pages--;
		zone_pages_free(pg, 0);
	}
}

void zone_drain(struct zone *z)
{
	struct list *n;

	while ((n = list_pop_front(&z->empty))) {
		z->pages--;
		zone_pages_free(list_entry(n, struct zpage, link), 0);
	}
}

/* kalloc: one zone per power of two from 16 to 2048 bytes. */
#define KALLOC_ZONES	8
static struct zone kalloc_zones[KALLOC_ZONES];
static const char *const kalloc_names[KALLOC_ZONES] = {
	"kalloc.16", "kalloc.32", "kalloc.64", "kalloc.128",
	"kalloc.256", "kalloc.512", "kalloc.1024", "kalloc.2048",
};

void kalloc_init(void)
{
	for (int i = 0; i < KALLOC_ZONES; i++)
		zone_init(&kalloc_zones[i], kalloc_names[i], (size_t)KALLOC_MIN_ZONED << i);
}

void kalloc_drain(void)
{
	for (int i = 0; i < KALLOC_ZONES; i++)
		zone_drain(&kalloc_zones[i]);
}

static int zone_index(size_t size)
{
	int i = 0;

	while (((size_t)KALLOC_MIN_ZONED << i) < size)
		i++;
	return i;
}

static unsigned page_order(size_t size)
{
	unsigned order = 0;

	while (((size_t)ZPAGE_SIZE << order) < size)
		order++;
	return order;
}

void *kalloc(size_t size)
{
	if (size == 0)
		size = 1;
	if (size <= KALLOC_MAX_ZONED)
		return zalloc(&kalloc_zones[zone_index(size)]);
	return zone_pages_alloc(page_order(size));
}

void kfree(void *p, size_t size)
{
	if (!p)
		return;
	if (size == 0)
		size = 1;
	if (size <= KALLOC_MAX_ZONED)
		zfree(&kalloc_zones[zone_index(size)], p);
	else
		zone_pages_free(p, page_order(size));
}

void *kzalloc(size_t size)
{
	void *p = kalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}
