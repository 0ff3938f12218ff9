/*
 * Virtual copies (see struct vm_map_copy in kern/vm_map.h): copy-on-write snapshots
 * for out-of-line message memory, vm_read, vm_write and vm_copy.
 */
#include <string.h>
#include <kern/layout.h>
#include <kern/vm_map.h>
#include <kern/vm_object.h>
#include <kern/vm_page.h>
#include <kern/zalloc.h>

#define PAGE_MASK	((uint64_t)PAGE_SIZE - 1)
#define TRUNC(a)	((a) & ~PAGE_MASK)
#define ROUND(a)	TRUNC((a) + PAGE_MASK)

static struct vm_map_copy *copy_new(struct vm_object *o, uint64_t offset, uint64_t size)
{
	struct vm_map_copy *c = kalloc(sizeof(*c));

	if (!c) {
		vm_object_release(o);
		return NULL;
	}
	c->object = o;
	c->offset = offset;
	c->size = size;
	return c;
}

/*
 * Checks that [start, end) is mapped without holes, each entry granting `need`. Device
 * memory is never copied from or over (its pages may be registers, and beyond the
 * kernel's direct map): KERN_PROTECTION_FAILURE.
 */
kern_return_t vm_map_range_check(struct vm_map *map, uint64_t start, uint64_t end, int need)
{
	uint64_t va = start;

	if (end < start || end > USER_LIMIT)
		return KERN_INVALID_ADDRESS;
	while (va < end) {
		struct vm_entry *e = vm_map_lookup(map, va);

		if (!e)
			return KERN_INVALID_ADDRESS;
		if ((e->prot & need) != need || e->object->device)
			return KERN_PROTECTION_FAILURE;
		va = e->end;
	}
	return KERN_SUCCESS;
}

kern_return_t vm_map_copyin(struct vm_map *map, uint64_t addr, uint64_t size, bool dealloc,
			    struct vm_map_copy **copy)
{
	uint64_t start = TRUNC(addr), end, va;
	struct vm_object *o;
	kern_return_t kr;

	*copy = NULL;
	if (size == 0)
		return KERN_SUCCESS;
	if (addr + size < addr || addr + size > USER_LIMIT)
		return KERN_INVALID_ADDRESS;
	end = ROUND(addr + size);
	kr = vm_map_range_check(map, start, end, VM_PROT_READ);
	if (kr != KERN_SUCCESS)
		return kr;
	o = vm_object_anon((end - start) / PAGE_SIZE);
	if (!o)
		return KERN_RESOURCE_SHORTAGE;
	for (va = start; va < end;) {
		struct vm_entry *e = vm_map_lookup(map, va);
		uint64_t stop = e->end < end ? e->end : end;

		if (!vm_object_copy_into(o, (va - start) / PAGE_SIZE, e->object,
					 (va - e->start + e->offset) / PAGE_SIZE, (stop - va) / PAGE_SIZE)) {
			vm_object_release(o);
			return KERN_RESOURCE_SHORTAGE;
		}
		va = stop;
	}
	*copy = copy_new(o, addr & PAGE_MASK, size);
	if (!*copy)
		return KERN_RESOURCE_SHORTAGE;
	if (dealloc)
		vm_map_remove(map, start, end);
	return KERN_SUCCESS;
}

kern_return_t vm_map_copyout(struct vm_map *map, struct vm_map_copy *copy, uint64_t *addr)
{
	uint64_t start = 0;
	kern_return_t kr = vm_map_enter_object(map, &start, copy->object->npages * PAGE_SIZE, 0,
					       true, copy->object, 0, VM_PROT_DEFAULT,
					       VM_PROT_ALL, VM_INHERIT_COPY);

	if (kr != KERN_SUCCESS)
		return kr;
	*addr = start + copy->offset;
	kfree(copy, sizeof(*copy));
	return KERN_SUCCESS;
}

void vm_map_copy_discard(struct vm_map_copy *copy)
{
	if (!copy)
		return;
	vm_object_release(copy->object);
	kfree(copy, sizeof(*copy));
}

struct vm_map_copy *vm_map_copy_kernel(const void *src, uint64_t len)
{
	struct vm_object *o = vm_object_anon(ROUND(len) / PAGE_SIZE);

	if (!o)
		return NULL;
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		uint64_t pa, n = len - off < PAGE_SIZE ? len - off : PAGE_SIZE;

		if (vm_object_page(o, off / PAGE_SIZE, true, &pa) != KERN_SUCCESS) {
			vm_object_release(o);
			return NULL;
		}
		memcpy(vm_page_va(pa), (const uint8_t *)src + off, n);
	}
	return copy_new(o, 0, len);
}

/* Calls fn on each piece of the copy's bytes: its source (NULL for zeroes) and length. */
static void copy_pieces(const struct vm_map_copy *copy,
			void (*fn)(const void *src, uint64_t n, void *arg), void *arg)
{
	uint64_t pos = copy->offset, end = copy->offset + copy->size;

	while (pos < end) {
		uint64_t pa = vm_object_lookup(copy->object, pos / PAGE_SIZE);
		uint64_t n = PAGE_SIZE - (pos & PAGE_MASK);

		if (n > end - pos)
			n = end - pos;
		fn(pa == VM_PAGE_NONE ? NULL : (uint8_t *)vm_page_va(pa) + (pos & PAGE_MASK), n, arg);
		pos += n;
	}
}

static void to_kernel(const void *src, uint64_t n, void *arg)
{
	uint8_t **dst = arg;

	if (src)
		memcpy(*dst, src, n);
	else
		memset(*dst, 0, n);
	*dst += n;
}

void vm_map_copy_read(const struct vm_map_copy *copy, void *dst)
{
	uint8_t *p = dst;

	copy_pieces(copy, to_kernel, &p);
}

struct overwrite {
	struct vm_map *map;
	uint64_t va;
	kern_return_t kr;
};

static void to_map(const void *src, uint64_t n, void *arg)
{
	static const uint8_t zeroes[PAGE_SIZE];
	struct overwrite *w = arg;

	if (w->kr == KERN_SUCCESS)
		w->kr = vm_map_write(w->map, w->va, src ? src : zeroes, n);
	w->va += n;
}

/*
 * Whole pages of the copy onto whole pages of the map (both page-aligned): the
 * destination takes the copy's pages themselves, copy-on-write, where its object allows
 * (vm_object_take, which moves them out of the copy); elsewhere the bytes are written.
 * Returns the pages done.
 */
static uint64_t overwrite_pages(struct vm_map *map, uint64_t addr, const struct vm_map_copy *copy,
				kern_return_t *kr)
{
	static const uint8_t zeroes[PAGE_SIZE];
	uint64_t n = copy->size / PAGE_SIZE, i = 0;

	while (i < n && *kr == KERN_SUCCESS) {
		uint64_t va = addr + i * PAGE_SIZE, k, pa;
		struct vm_entry *e = vm_map_lookup(map, va);	/* mapped: the range was checked */

		k = (e->end - va) / PAGE_SIZE;
		if (k > n - i)
			k = n - i;
		k = vm_object_take(e->object, (va - e->start + e->offset) / PAGE_SIZE,
				   copy->object, i, k);
		i += k;
		if (i < n && (k == 0 || va + k * PAGE_SIZE < e->end)) {
			/* This page cannot be taken: its bytes are written. */
			va = addr + i * PAGE_SIZE;
			pa = vm_object_lookup(copy->object, i);
			*kr = vm_map_write(map, va, pa == VM_PAGE_NONE ? zeroes : vm_page_va(pa), PAGE_SIZE);
			i++;
		}
	}
	return i;
}

kern_return_t vm_map_copy_overwrite(struct vm_map *map, uint64_t addr,
				    const struct vm_map_copy *copy)
{
	struct overwrite w = { map, addr, KERN_SUCCESS };
	struct vm_map_copy rest = *copy;

	if (addr + copy->size < addr)
		return KERN_INVALID_ADDRESS;
	w.kr = vm_map_range_check(map, TRUNC(addr), ROUND(addr + copy->size), VM_PROT_WRITE);
	if (w.kr == KERN_SUCCESS && ((addr | copy->offset) & PAGE_MASK) == 0) {
		uint64_t done = overwrite_pages(map, addr, copy, &w.kr) * PAGE_SIZE;

		rest.offset += done;
		rest.size -= done;
		w.va += done;
	}
	if (w.kr == KERN_SUCCESS)
		copy_pieces(&rest, to_map, &w);
	return w.kr;
}
