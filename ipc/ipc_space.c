/* IPC name spaces (see ipc/ipc_space.h). */
#include <string.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <kern/printf.h>
#include <kern/zalloc.h>

#define SPACE_INITIAL_SIZE	64

struct ipc_space *ipc_space_kernel;
uint64_t ipc_entries_in_use;
uint64_t ipc_spaces_live;

/* Threads slots [from, to) onto the free list, lowest index first. */
static void link_free(struct ipc_space *space, uint32_t from, uint32_t to)
{
	for (uint32_t i = to; i-- > from; ) {
		space->table[i].next_free = space->free_head;
		space->free_head = i;
	}
}

static uint32_t hash_slot(struct ipc_space *space, struct ipc_port *port)
{
	uint64_t h = (uint64_t)port * 0x9E3779B97F4A7C15ull;

	return (uint32_t)(h >> 40) & (space->hash_size - 1);
}

struct ipc_space *ipc_space_create(void)
{
	struct ipc_space *space = kzalloc(sizeof(*space));

	if (!space)
		return NULL;
	space->table = kzalloc(SPACE_INITIAL_SIZE * sizeof(struct ipc_entry));
	space->hash = kzalloc(SPACE_INITIAL_SIZE * 2 * sizeof(*space->hash));
	if (!space->table || !space->hash) {
		kfree(space->table, SPACE_INITIAL_SIZE * sizeof(struct ipc_entry));
		kfree(space->hash, SPACE_INITIAL_SIZE * 2 * sizeof(*space->hash));
		kfree(space, sizeof(*space));
		return NULL;
	}
	space->size = SPACE_INITIAL_SIZE;
	space->table[0].name = MACH_PORT_DEAD;	/* slot 0 never matches a lookup */
	space->hash_size = SPACE_INITIAL_SIZE * 2;
	space->active = true;
	link_free(space, 1, space->size);
	ipc_spaces_live++;
	return space;
}

void ipc_space_for_each(struct ipc_space *space, void (*fn)(struct ipc_space *, struct ipc_entry *, void *),
			void *arg)
{
	for (uint32_t i = 1; i < space->size; i++)
		if (space->table[i].type)
			fn(space, &space->table[i], arg);
	for (struct ipc_entry *e = space->overflow; e; e = e->next_overflow)
		fn(space, e, arg);
}

void ipc_space_destroy(struct ipc_space *space)
{
	space->active = false;
	while (space->overflow)
		ipc_right_destroy_entry(space, space->overflow);
	for (uint32_t i = 1; i < space->size; i++)
		if (space->table[i].type)
			ipc_right_destroy_entry(space, &space->table[i]);
	kfree(space->table, space->size * sizeof(struct ipc_entry));
	kfree(space->hash, space->hash_size * sizeof(*space->hash));
	kfree(space, sizeof(*space));
	ipc_spaces_live--;
}

static void rehash_one(struct ipc_space *space, struct ipc_entry *e, void *arg)
{
	(void)arg;
	if (e->type & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE))
		ipc_hash_insert(space, e->object, e);
}

/*
 * Doubles the table (at most IPC_SPACE_MAX_ENTRIES slots) and rebuilds the hash (it
 * points into the table). Everything is allocated first.
 */
static kern_return_t grow(struct ipc_space *space)
{
	uint32_t nsize = space->size * 2;
	struct ipc_entry *nt, **nh;

	if (nsize > IPC_SPACE_MAX_ENTRIES)
		nsize = IPC_SPACE_MAX_ENTRIES;
	if (nsize <= space->size)
		return KERN_NO_SPACE;
	nt = kzalloc(nsize * sizeof(*nt));
	nh = kzalloc(nsize * 2 * sizeof(*nh));
	if (!nt || !nh) {
		kfree(nt, nsize * sizeof(*nt));
		kfree(nh, nsize * 2 * sizeof(*nh));
		return KERN_RESOURCE_SHORTAGE;
	}
	memcpy(nt, space->table, space->size * sizeof(*nt));
	kfree(space->table, space->size * sizeof(*nt));
	kfree(space->hash, space->hash_size * sizeof(*nh));
	space->table = nt;
	space->hash = nh;
	space->hash_size = nsize * 2;
	link_free(space, space->size, nsize);
	for (struct ipc_entry *e = space->overflow; e; e = e->next_overflow)
		if (IPC_NAME_INDEX(e->name) >= space->size && IPC_NAME_INDEX(e->name) < nsize)
			nt[IPC_NAME_INDEX(e->name)].aside++;
	space->size = nsize;
	ipc_space_for_each(space, rehash_one, NULL);
	return KERN_SUCCESS;
}

static struct ipc_entry *overflow_find(struct ipc_space *space, mach_port_name_t name)
{
	for (struct ipc_entry *e = space->overflow; e; e = e->next_overflow)
		if (e->name == name)
			return e;
	return NULL;
}

kern_return_t ipc_entry_alloc(struct ipc_space *space, mach_port_name_t *name,
			      struct ipc_entry **entry)
{
	struct ipc_entry *e;
	uint32_t i;

	if (space->used >= IPC_SPACE_MAX_ENTRIES - 1)
		return KERN_NO_SPACE;
	if (!space->free_head) {
		kern_return_t kr = grow(space);
		if (kr != KERN_SUCCESS)
			return kr;
	}
	i = space->free_head;
	e = &space->table[i];
	space->free_head = e->next_free;
	/* Never MACH_PORT_DEAD, nor a name the user already holds aside. */
	while (IPC_NAME(i, e->gen) == MACH_PORT_DEAD ||
	       (e->aside && overflow_find(space, IPC_NAME(i, e->gen))))
		e->gen++;
	*name = IPC_NAME(i, e->gen);
	ipc_entry_take(space, e, *name);
	*entry = e;
	return KERN_SUCCESS;
}

kern_return_t ipc_entry_alloc_name(struct ipc_space *space, mach_port_name_t name,
				   struct ipc_entry **entry)
{
	uint32_t i = IPC_NAME_INDEX(name), *link;
	struct ipc_entry *e;

	if (!MACH_PORT_VALID(name) || i == 0)
		return KERN_INVALID_VALUE;
	if (ipc_entry_lookup(space, name))
		return KERN_NAME_EXISTS;
	if (space->used >= IPC_SPACE_MAX_ENTRIES - 1)
		return KERN_NO_SPACE;
	e = i < space->size ? &space->table[i] : NULL;
	if (!e || e->type) {
		/* Beyond the table, or its slot holds another generation: keep it aside. */
		e = kzalloc(sizeof(*e));
		if (!e)
			return KERN_RESOURCE_SHORTAGE;
		e->kept_aside = true;
		e->next_overflow = space->overflow;
		space->overflow = e;
		space->noverflow++;
		if (i < space->size)
			space->table[i].aside++;
	} else {
		for (link = &space->free_head; *link != i; link = &space->table[*link].next_free)
			;
		*link = e->next_free;
		e->gen = IPC_NAME_GEN(name);
	}
	ipc_entry_take(space, e, name);
	*entry = e;
	return KERN_SUCCESS;
}

struct ipc_entry *ipc_entry_lookup_overflow(struct ipc_space *space, mach_port_name_t name)
{
	struct ipc_entry *e = name == MACH_PORT_DEAD ? NULL : overflow_find(space, name);

	if (e)
		space->overflow_hint = e;
	return e;
}

mach_port_name_t ipc_entry_name(struct ipc_space *space, struct ipc_entry *entry)
{
	(void)space;
	return entry->name;
}

/* ipc_entry_free's rare case: an entry kept aside goes back to the heap. */
void ipc_entry_free_overflow(struct ipc_space *space, struct ipc_entry *entry)
{
	struct ipc_entry **link = &space->overflow;

	space->used--;
	ipc_entries_in_use--;
	while (*link != entry)
		link = &(*link)->next_overflow;
	*link = entry->next_overflow;
	space->noverflow--;
	if (space->overflow_hint == entry)
		space->overflow_hint = NULL;
	if (IPC_NAME_INDEX(entry->name) < space->size)
		space->table[IPC_NAME_INDEX(entry->name)].aside--;
	kfree(entry, sizeof(*entry));
}

struct ipc_entry *ipc_hash_lookup(struct ipc_space *space, struct ipc_port *port)
{
	uint32_t mask = space->hash_size - 1;

	for (uint32_t s = hash_slot(space, port); space->hash[s]; s = (s + 1) & mask)
		if (space->hash[s]->object == port)
			return space->hash[s];
	return NULL;
}

void ipc_hash_insert(struct ipc_space *space, struct ipc_port *port, struct ipc_entry *entry)
{
	uint32_t s = hash_slot(space, port);

	while (space->hash[s])
		s = (s + 1) & (space->hash_size - 1);
	space->hash[s] = entry;
}

/* Linear probing with backward-shift deletion: no tombstones. */
void ipc_hash_delete(struct ipc_space *space, struct ipc_port *port)
{
	uint32_t mask = space->hash_size - 1, s = hash_slot(space, port), next;

	while (space->hash[s] && space->hash[s]->object != port)
		s = (s + 1) & mask;
	if (!space->hash[s])
		return;
	space->hash[s] = NULL;
	for (next = (s + 1) & mask; space->hash[next]; next = (next + 1) & mask) {
		uint32_t home = hash_slot(space, space->hash[next]->object);
		/* Move it back unless its home lies in (s, next]. */
		if (((next - home) & mask) >= ((next - s) & mask)) {
			space->hash[s] = space->hash[next];
			space->hash[next] = NULL;
			s = next;
		}
	}
}
