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
	space->hash = kzalloc(SPACE_INITIAL_SIZE * 2 * sizeof(uint32_t));
	if (!space->table || !space->hash) {
		kfree(space->table, SPACE_INITIAL_SIZE * sizeof(struct ipc_entry));
		kfree(space->hash, SPACE_INITIAL_SIZE * 2 * sizeof(uint32_t));
		kfree(space, sizeof(*space));
		return NULL;
	}
	space->size = SPACE_INITIAL_SIZE;
	space->hash_size = SPACE_INITIAL_SIZE * 2;
	space->active = true;
	link_free(space, 1, space->size);
	ipc_spaces_live++;
	return space;
}

void ipc_space_destroy(struct ipc_space *space)
{
	space->active = false;
	for (uint32_t i = 1; i < space->size; i++)
		if (space->table[i].type)
			ipc_right_destroy_entry(space, &space->table[i]);
	kfree(space->table, space->size * sizeof(struct ipc_entry));
	kfree(space->hash, space->hash_size * sizeof(uint32_t));
	kfree(space, sizeof(*space));
	ipc_spaces_live--;
}

/*
 * Doubles the table (at least to `min` slots; at most IPC_SPACE_MAX_ENTRIES) and its
 * hash. Everything is allocated before anything changes.
 */
static kern_return_t grow(struct ipc_space *space, uint32_t min)
{
	uint32_t nsize = space->size * 2, *nh, *old_hash = space->hash;
	uint32_t old_hsize = space->hash_size;
	struct ipc_entry *nt;

	while (nsize < min)
		nsize *= 2;
	if (nsize > IPC_SPACE_MAX_ENTRIES)
		nsize = IPC_SPACE_MAX_ENTRIES;
	if (nsize <= space->size || nsize < min)
		return KERN_NO_SPACE;
	nt = kzalloc(nsize * sizeof(*nt));
	nh = kzalloc(nsize * 2 * sizeof(uint32_t));
	if (!nt || !nh) {
		kfree(nt, nsize * sizeof(*nt));
		kfree(nh, nsize * 2 * sizeof(uint32_t));
		return KERN_RESOURCE_SHORTAGE;
	}
	memcpy(nt, space->table, space->size * sizeof(*nt));
	kfree(space->table, space->size * sizeof(*nt));
	space->table = nt;
	space->hash = nh;
	space->hash_size = nsize * 2;
	for (uint32_t i = 0; i < old_hsize; i++)
		if (old_hash[i])
			ipc_hash_insert(space, space->table[old_hash[i]].object, &space->table[old_hash[i]]);
	kfree(old_hash, old_hsize * sizeof(uint32_t));
	link_free(space, space->size, nsize);
	space->size = nsize;
	return KERN_SUCCESS;
}

static void take(struct ipc_space *space, struct ipc_entry *e)
{
	e->type = 0;
	e->object = NULL;
	e->urefs = 0;
	e->dnrequest = NULL;
	space->used++;
	ipc_entries_in_use++;
}

kern_return_t ipc_entry_alloc(struct ipc_space *space, mach_port_name_t *name,
			      struct ipc_entry **entry)
{
	struct ipc_entry *e;
	uint32_t i;

	if (!space->free_head) {
		kern_return_t kr = grow(space, 0);
		if (kr != KERN_SUCCESS)
			return kr;
	}
	i = space->free_head;
	e = &space->table[i];
	space->free_head = e->next_free;
	/* Never hand out MACH_PORT_DEAD (index 0xFFFFFF with generation 0xFF). */
	if (IPC_NAME(i, e->gen) == MACH_PORT_DEAD)
		e->gen = 0;
	take(space, e);
	*name = IPC_NAME(i, e->gen);
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
	if (i >= IPC_SPACE_MAX_ENTRIES)
		return KERN_NO_SPACE;
	if (i >= space->size) {
		kern_return_t kr = grow(space, i + 1);
		if (kr != KERN_SUCCESS)
			return kr;
	}
	e = &space->table[i];
	if (e->type)
		return KERN_NAME_EXISTS;
	/* Unlink the slot from the free list (rare: names are usually chosen by us). */
	for (link = &space->free_head; *link != i; link = &space->table[*link].next_free)
		;
	*link = e->next_free;
	take(space, e);
	e->gen = IPC_NAME_GEN(name);
	*entry = e;
	return KERN_SUCCESS;
}

struct ipc_entry *ipc_entry_lookup(struct ipc_space *space, mach_port_name_t name)
{
	uint32_t i = IPC_NAME_INDEX(name);
	struct ipc_entry *e;

	if (i == 0 || i >= space->size || name == MACH_PORT_DEAD)
		return NULL;
	e = &space->table[i];
	if (!e->type || e->gen != IPC_NAME_GEN(name))
		return NULL;
	return e;
}

mach_port_name_t ipc_entry_name(struct ipc_space *space, struct ipc_entry *entry)
{
	uint32_t i = (uint32_t)(entry - space->table);

	return IPC_NAME(i, entry->gen);
}

void ipc_entry_free(struct ipc_space *space, struct ipc_entry *entry)
{
	uint32_t i = (uint32_t)(entry - space->table);

	assert(i > 0 && i < space->size && entry->type == 0 && !entry->dnrequest);
	entry->object = NULL;
	entry->urefs = 0;
	entry->gen++;
	entry->next_free = space->free_head;
	space->free_head = i;
	space->used--;
	ipc_entries_in_use--;
}

struct ipc_entry *ipc_hash_lookup(struct ipc_space *space, struct ipc_port *port)
{
	for (uint32_t s = hash_slot(space, port); space->hash[s]; s = (s + 1) & (space->hash_size - 1)) {
		struct ipc_entry *e = &space->table[space->hash[s]];
		if (e->object == port)
			return e;
	}
	return NULL;
}

void ipc_hash_insert(struct ipc_space *space, struct ipc_port *port, struct ipc_entry *entry)
{
	uint32_t s = hash_slot(space, port);

	while (space->hash[s])
		s = (s + 1) & (space->hash_size - 1);
	space->hash[s] = (uint32_t)(entry - space->table);
}

/* Linear probing with backward-shift deletion: no tombstones. */
void ipc_hash_delete(struct ipc_space *space, struct ipc_port *port)
{
	uint32_t mask = space->hash_size - 1, s = hash_slot(space, port), next;

	while (space->hash[s] && space->table[space->hash[s]].object != port)
		s = (s + 1) & mask;
	if (!space->hash[s])
		return;
	space->hash[s] = 0;
	for (next = (s + 1) & mask; space->hash[next]; next = (next + 1) & mask) {
		uint32_t home = hash_slot(space, space->table[space->hash[next]].object);
		/* Move it back if its home is not in (s, next]. */
		if (((next - home) & mask) >= ((next - s) & mask)) {
			space->hash[s] = space->hash[next];
			space->hash[next] = 0;
			s = next;
		}
	}
}
