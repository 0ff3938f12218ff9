/* Memory objects and their page trees (see kern/vm_object.h). */
#include <string.h>
#include <arch/pmap.h>
#include <kern/layout.h>
#include <kern/vm_map.h>
#include <kern/vm_object.h>
#include <kern/vm_page.h>
#include <kern/zalloc.h>

/*
 * 64 slots a node: a sparse object (a stack: a few pages at the top of 8 MiB) costs a
 * scan of few slots, and a node is 512 bytes.
 */
#define FANOUT_SHIFT	6
#define FANOUT		(1u << FANOUT_SHIFT)
#define SLOT_PRESENT	1ull	/* a leaf slot holds pa | SLOT_PRESENT; 0 is empty */

static struct zone object_zone;
static bool zone_ready;

/* Pages one slot of a node at `level` covers (level 0: leaves). */
static uint64_t span(unsigned level)
{
	return 1ull << (FANOUT_SHIFT * level);
}

/* The root has only the slots the object's size needs; other nodes have FANOUT. */
static uint64_t root_slots(const struct vm_object *o)
{
	return (o->npages + span(o->depth - 1) - 1) / span(o->depth - 1);
}

static uint64_t node_slots(const struct vm_object *o, unsigned level)
{
	return level == o->depth - 1 ? root_slots(o) : FANOUT;
}

static struct vm_object *object_new(const struct vm_object_ops *ops, uint64_t npages)
{
	struct vm_object *o;

	if (!zone_ready) {
		zone_init(&object_zone, "vm.object", sizeof(struct vm_object));
		zone_ready = true;
	}
	o = zalloc(&object_zone);
	if (!o)
		return NULL;
	memset(o, 0, sizeof(*o));
	o->ops = ops;
	o->refs = 1;
	o->npages = npages;
	o->depth = 1;
	while (span(o->depth) < npages)
		o->depth++;
	list_init(&o->mappings);
	vm_counters.objects++;
	return o;
}

/* The leaf slot of page idx; with create, the nodes on the way are made. */
static uint64_t *slot_of(struct vm_object *o, uint64_t idx, bool create)
{
	uint64_t *node;
	uint64_t *link = (uint64_t *)&o->root;

	for (unsigned level = o->depth - 1;; level--) {
		if (!*link) {
			if (!create || !(node = kzalloc(node_slots(o, level) * 8)))
				return NULL;
			*link = (uint64_t)node;
		}
		node = (uint64_t *)*link;
		link = &node[(idx / span(level)) % FANOUT];
		if (level == 0)
			return link;
	}
}

/* A place in an object's tree for a run of pages: consecutive ones mostly share a leaf. */
struct leaf_cursor {
	uint64_t *leaf;			/* NULL until the first slot */
	uint64_t base;			/* the page of leaf[0] */
};

static inline __attribute__((always_inline))
uint64_t *cursor_slot(struct vm_object *o, struct leaf_cursor *c, uint64_t idx, bool create)
{
	if (!c->leaf || idx - c->base >= FANOUT) {
		uint64_t *slot = slot_of(o, idx, create);

		if (!slot)
			return NULL;
		c->base = idx - idx % FANOUT;
		c->leaf = slot - idx % FANOUT;
	}
	return &c->leaf[idx - c->base];
}

/* Works on slots [i, end) of a leaf whose slot 0 is page base (some may be empty). */
typedef void (*leaf_fn)(struct vm_object *o, uint64_t base, uint64_t *leaf, uint64_t i,
			uint64_t end, void *arg);

/* Visits the leaves under node (covering pages from base) that overlap [first, last). */
static void walk_node(struct vm_object *o, uint64_t *node, unsigned level, uint64_t base,
		      uint64_t first, uint64_t last, leaf_fn fn, void *arg)
{
	uint64_t sp = span(level), i = first > base ? (first - base) / sp : 0;
	uint64_t end = (last - base + sp - 1) / sp;

	if (end > node_slots(o, level))
		end = node_slots(o, level);
	if (level == 0) {
		fn(o, base, node, i, end, arg);
		return;
	}
	for (; i < end; i++)
		if (node[i])
			walk_node(o, (uint64_t *)node[i], level - 1, base + i * sp, first, last, fn, arg);
}

/* Calls fn for every leaf with pages in [first, last), on the slots in that range. */
static void walk(struct vm_object *o, uint64_t first, uint64_t last, leaf_fn fn, void *arg)
{
	if (o->root && first < last && o->resident)
		walk_node(o, o->root, o->depth - 1, 0, first, last, fn, arg);
}

static void free_nodes(struct vm_object *o, uint64_t *node, unsigned level)
{
	if (level > 0)
		for (uint64_t i = 0; i < node_slots(o, level); i++)
			if (node[i])
				free_nodes(o, (uint64_t *)node[i], level - 1);
	kfree(node, node_slots(o, level) * 8);
}

static void drop_slot(struct vm_object *o, uint64_t *slot)
{
	vm_page_release(*slot & ~SLOT_PRESENT);
	*slot = 0;
	o->resident--;
	if (o->wired)
		vm_counters.wired--;
}

static void drop_leaf(struct vm_object *o, uint64_t base, uint64_t *leaf, uint64_t i,
		      uint64_t end, void *arg)
{
	uint64_t n = 0;

	(void)base;
	(void)arg;
	for (; i < end; i++)
		if (leaf[i]) {
			vm_page_release(leaf[i] & ~SLOT_PRESENT);
			leaf[i] = 0;
			n++;
		}
	o->resident -= n;
	if (o->wired)
		vm_counters.wired -= n;
}

static void fill_slot(struct vm_object *o, uint64_t *slot, uint64_t pa)
{
	*slot = pa | SLOT_PRESENT;
	o->resident++;
	if (o->wired)
		vm_counters.wired++;
}

/* Puts a referenced page at idx; false without memory for the tree (page untouched). */
static bool insert(struct vm_object *o, uint64_t idx, uint64_t pa)
{
	uint64_t *slot = slot_of(o, idx, true);

	if (slot)
		fill_slot(o, slot, pa);
	return slot != NULL;
}

static kern_return_t zero_fill(struct vm_object *o, uint64_t idx, uint64_t *pa)
{
	(void)o;
	(void)idx;
	*pa = vm_page_alloc(true);
	if (*pa == VM_PAGE_NONE)
		return KERN_RESOURCE_SHORTAGE;
	vm_counters.zero_fill++;
	return KERN_SUCCESS;
}

static const struct vm_object_ops anon_ops = { "anonymous", zero_fill };

/* Every page of a contiguous object is present from the start: nothing to page in. */
static kern_return_t no_page(struct vm_object *o, uint64_t idx, uint64_t *pa)
{
	(void)o;
	(void)idx;
	(void)pa;
	return KERN_MEMORY_ERROR;
}

static const struct vm_object_ops contiguous_ops = { "contiguous", no_page };

/* A device object's pages are computed in vm_object_page: there is never one to page in. */
static const struct vm_object_ops device_ops = { "device", no_page };

struct vm_object *vm_object_device(uint64_t pa, uint64_t npages)
{
	struct vm_object *o = object_new(&device_ops, npages);

	if (o) {
		o->device = true;
		o->phys = pa;
	}
	return o;
}

struct vm_object *vm_object_anon(uint64_t npages)
{
	return object_new(&anon_ops, npages);
}

struct vm_object *vm_object_contiguous(uint64_t npages, uint64_t pmin, uint64_t pmax,
				       uint64_t align, uint64_t *pa)
{
	struct vm_object *o = object_new(&contiguous_ops, npages);

	if (!o)
		return NULL;
	*pa = vm_page_alloc_contiguous(npages, pmin, pmax, align);
	if (*pa == VM_PAGE_NONE) {
		vm_object_release(o);
		return NULL;
	}
	vm_object_set_wired(o, true);
	for (uint64_t i = 0; i < npages; i++) {
		if (!insert(o, i, *pa + i * PAGE_SIZE)) {
			for (uint64_t j = i; j < npages; j++)
				vm_page_release(*pa + j * PAGE_SIZE);
			vm_object_release(o);
			return NULL;
		}
	}
	return o;
}

void vm_object_reference(struct vm_object *o)
{
	o->refs++;
}

void vm_object_release(struct vm_object *o)
{
	if (--o->refs > 0)
		return;
	walk(o, 0, o->npages, drop_leaf, NULL);
	if (o->root)
		free_nodes(o, o->root, o->depth - 1);
	zfree(&object_zone, o);
	vm_counters.objects--;
}

uint64_t vm_object_lookup(struct vm_object *o, uint64_t idx)
{
	uint64_t *slot = slot_of(o, idx, false);

	return slot && *slot ? *slot & ~SLOT_PRESENT : VM_PAGE_NONE;
}

/* Every mapping of o showing page idx: the page leaves its pmap. */
static void unmap_page(struct vm_object *o, uint64_t idx)
{
	struct list *n;

	list_for_each(n, &o->mappings) {
		struct vm_entry *e = list_entry(n, struct vm_entry, obj_link);
		uint64_t off = idx * PAGE_SIZE;
		uint64_t va;

		if (off < e->offset || off - e->offset >= e->end - e->start)
			continue;
		va = e->start + (off - e->offset);
		pmap_remove(e->map->pmap, va, va + PAGE_SIZE);
	}
}

kern_return_t vm_object_page(struct vm_object *o, uint64_t idx, bool write, uint64_t *pa)
{
	uint64_t *slot, old, copy;
	kern_return_t kr;

	if (o->device) {	/* no page tree: the page is the device's, never copied */
		*pa = o->phys + idx * PAGE_SIZE;
		return KERN_SUCCESS;
	}
	slot = slot_of(o, idx, true);
	if (!slot)
		return KERN_RESOURCE_SHORTAGE;
	vm_counters.lookups++;
	if (!*slot) {
		kr = o->ops->page_in(o, idx, pa);
		if (kr == KERN_SUCCESS)
			fill_slot(o, slot, *pa);
		return kr;
	}
	vm_counters.hits++;
	old = *slot & ~SLOT_PRESENT;
	if (!write || vm_page_refs(old) == 1) {
		*pa = old;
		return KERN_SUCCESS;
	}
	/* Copy-on-write: this object gets its own copy; whoever else holds the old
	   page keeps it. Mappings of this object still show the old page: drop them. */
	copy = vm_page_alloc(false);
	if (copy == VM_PAGE_NONE)
		return KERN_RESOURCE_SHORTAGE;
	memcpy(vm_page_va(copy), vm_page_va(old), PAGE_SIZE);
	unmap_page(o, idx);
	*slot = copy | SLOT_PRESENT;
	vm_page_release(old);
	vm_counters.cow_faults++;
	*pa = copy;
	return KERN_SUCCESS;
}

void vm_object_free_range(struct vm_object *o, uint64_t first, uint64_t n)
{
	walk(o, first, first + n, drop_leaf, NULL);
}

uint64_t vm_object_take(struct vm_object *o, uint64_t at, struct vm_object *src, uint64_t first,
			uint64_t n)
{
	uint64_t i, k;

	/* Only an anonymous object shows zeroes for a missing page; a wired one's pages
	   must not move. */
	if (o->ops != &anon_ops || o->wired || src->wired)
		return 0;
	/* A run at a time: the pages both leaves hold from here. */
	for (i = 0; i < n; i += k) {
		uint64_t si = first + i, di = at + i, moved = 0;
		uint64_t *from = slot_of(src, si, false), *to;

		k = n - i;
		if (k > FANOUT - si % FANOUT)
			k = FANOUT - si % FANOUT;
		if (k > FANOUT - di % FANOUT)
			k = FANOUT - di % FANOUT;
		to = slot_of(o, di, from != NULL);
		if (from && !to)
			break;		/* no memory for the tree */
		for (uint64_t j = 0; to && j < k; j++) {
			if (to[j]) {
				unmap_page(o, di + j);
				drop_slot(o, &to[j]);
			}
			if (from && from[j]) {
				to[j] = from[j];
				from[j] = 0;
				moved++;
			}
		}
		src->resident -= moved;
		o->resident += moved;
	}
	return i;
}

struct copy_arg {
	struct vm_object *dst;
	uint64_t at, first;
	struct leaf_cursor to;
	uint64_t filled;		/* pages put into dst */
	bool failed;
	bool shared;			/* a page was private to o until now */
};

/*
 * A wired object's pages must stay where they are (a device may be using them): its
 * copies get their own pages at once instead of sharing.
 */
static void share_leaf(struct vm_object *o, uint64_t base, uint64_t *leaf, uint64_t i,
		       uint64_t end, void *arg)
{
	struct copy_arg *c = arg;

	for (; i < end && !c->failed; i++) {
		uint64_t pa = leaf[i] & ~SLOT_PRESENT, *d;

		if (!leaf[i])
			continue;
		d = cursor_slot(c->dst, &c->to, c->at + base + i - c->first, true);
		if (!d) {
			c->failed = true;
			return;
		}
		if (o->wired) {
			uint64_t copy = vm_page_alloc(false);

			if (copy == VM_PAGE_NONE) {
				c->failed = true;
				return;
			}
			memcpy(vm_page_va(copy), vm_page_va(pa), PAGE_SIZE);
			pa = copy;
		} else if (vm_page_ref(pa) == 2) {
			c->shared = true;
		}
		*d = pa | SLOT_PRESENT;
		c->filled++;
	}
}

/*
 * Every mapping of o that may write pages [first, first + n) loses write access to
 * them. A page is only ever writable in a pmap while its entry allows writing and no
 * other object holds it, so entries without write access have nothing to lose.
 */
static void write_protect(struct vm_object *o, uint64_t first, uint64_t n)
{
	uint64_t lo = first * PAGE_SIZE, hi = (first + n) * PAGE_SIZE;
	struct list *l;

	list_for_each(l, &o->mappings) {
		struct vm_entry *e = list_entry(l, struct vm_entry, obj_link);
		uint64_t start = e->offset > lo ? e->offset : lo;
		uint64_t end = e->offset + (e->end - e->start);

		if (end > hi)
			end = hi;
		if ((e->prot & VM_PROT_WRITE) && start < end)
			pmap_write_protect(e->map->pmap, e->start + (start - e->offset),
					   e->start + (end - e->offset));
	}
}

bool vm_object_copy_into(struct vm_object *dst, uint64_t at, struct vm_object *o,
			 uint64_t first, uint64_t n)
{
	struct copy_arg c = { dst, at, first, { NULL, 0 }, 0, false, false };

	walk(o, first, first + n, share_leaf, &c);
	dst->resident += c.filled;
	if (dst->wired)
		vm_counters.wired += c.filled;
	/* Pages shared before were read-only everywhere already. */
	if (c.shared)
		write_protect(o, first, n);
	return !c.failed;
}

struct vm_object *vm_object_copy(struct vm_object *o, uint64_t first, uint64_t n)
{
	struct vm_object *dst = vm_object_anon(n);

	if (dst && !vm_object_copy_into(dst, 0, o, first, n)) {
		vm_object_release(dst);
		return NULL;
	}
	return dst;
}

void vm_object_set_wired(struct vm_object *o, bool wired)
{
	if (o->wired == wired)
		return;
	o->wired = wired;
	if (wired)
		vm_counters.wired += o->resident;
	else
		vm_counters.wired -= o->resident;
}
