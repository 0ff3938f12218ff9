/*
 * IPC spaces: a task's names for port rights. A name holds a table index (low 24
 * bits) and that slot's generation (high 8 bits), so a stale name is detected and
 * lookup is one array access. A port has at most one name per space for its send and
 * receive rights (found through a hash on the port); each send-once right gets a name
 * of its own. Free slots are handed out lowest first in a fresh space (names 1, 2, ...).
 *
 * A name chosen by the user (mach_port_allocate_name, rename) whose index lies beyond
 * the table, or whose slot holds a name of another generation, is kept aside in the
 * space's overflow list, as GNU Mach keeps
 * such names in a splay tree. Lookup scans that list only on a miss and only when it
 * is not empty, so the common case stays a single array access.
 */
#ifndef _IPC_IPC_SPACE_H_
#define _IPC_IPC_SPACE_H_

#include <stdbool.h>
#include <stdint.h>
#include <mach/kern_return.h>
#include <mach/port.h>
#include <kern/printf.h>

struct ipc_port;
struct ipc_pset;
struct ipc_dnrequest;

#define IPC_NAME_INDEX(n)	((n) & 0x00FFFFFFu)
#define IPC_NAME_GEN(n)		((uint8_t)((n) >> 24))
#define IPC_NAME(i, g)		((mach_port_name_t)(i) | ((mach_port_name_t)(g) << 24))
/* Names per space: a bound that makes exhaustion testable and fails with KERN_NO_SPACE. */
#define IPC_SPACE_MAX_ENTRIES	16384
#define IPC_UREFS_MAX		0xFFFF		/* beyond: KERN_UREFS_OVERFLOW */

struct ipc_entry {
	void *object;			/* port or port set; NULL for a dead name or a free slot */
	mach_port_type_t type;		/* MACH_PORT_TYPE_* bits; 0: free */
	mach_port_urefs_t urefs;	/* of the send right or dead name */
	uint8_t gen;			/* generation of the slot's current name */
	bool kept_aside;		/* an overflow entry, not a table slot */
	uint16_t aside;			/* names of this slot's index kept aside (overflow) */
	uint32_t next_free;		/* free-list link (index) */
	mach_port_name_t name;		/* the entry's name (MACH_PORT_NULL while free) */
	struct ipc_entry *next_overflow; /* overflow entries only */
	struct ipc_dnrequest *dnrequest; /* a dead-name request registered on this name */
};

struct ipc_space {
	struct ipc_entry *table;
	uint32_t size;			/* slots; slot 0 is never used */
	uint32_t free_head;		/* 0: no free slot */
	uint32_t used;
	struct ipc_entry **hash;	/* open addressing: entries with send/receive rights */
	uint32_t hash_size;		/* power of two, > 2 * entries that can be in it */
	struct ipc_entry *overflow;	/* names whose slot holds another generation */
	struct ipc_entry *overflow_hint; /* the one of them found last (a server's port) */
	uint32_t noverflow;
	bool active;
	bool is_kernel;			/* the kernel's own space (kernel-object ports) */
};

extern struct ipc_space *ipc_space_kernel;
extern uint64_t ipc_entries_in_use;	/* over all spaces (kernel_stats) */
extern uint64_t ipc_spaces_live;

struct ipc_space *ipc_space_create(void);
/* Destroys every right the space holds, then the space. */
void ipc_space_destroy(struct ipc_space *space);

struct ipc_entry *ipc_entry_lookup_overflow(struct ipc_space *space, mach_port_name_t name);

/* Makes a free entry e the one for name (its rights are set by the caller). */
static inline void ipc_entry_take(struct ipc_space *space, struct ipc_entry *e, mach_port_name_t name)
{
	e->type = 0;
	e->object = NULL;
	e->urefs = 0;
	e->dnrequest = NULL;
	e->name = name;
	space->used++;
	ipc_entries_in_use++;
}

/* A new entry under a kernel-chosen name. KERN_NO_SPACE when the space is full. */
kern_return_t ipc_entry_alloc(struct ipc_space *space, mach_port_name_t *name,
			      struct ipc_entry **entry);
/*
 * The same for the common case only (inline, for the fast path): the first free slot,
 * when its name needs no care (no growth, not a name kept aside; a table slot's name is
 * never MACH_PORT_DEAD, whose index is beyond any table). NULL otherwise, with nothing
 * done: use ipc_entry_alloc. The entry comes as freed (no rights, no object, no
 * dead-name request): the caller sets its rights.
 */
static inline struct ipc_entry *ipc_entry_alloc_quick(struct ipc_space *space, mach_port_name_t *name)
{
	uint32_t i = space->free_head;
	struct ipc_entry *e = &space->table[i];

	if (i == 0 || space->used >= IPC_SPACE_MAX_ENTRIES - 1 ||
	    (e->aside && ipc_entry_lookup_overflow(space, IPC_NAME(i, e->gen))))
		return NULL;
	space->free_head = e->next_free;
	*name = e->name = IPC_NAME(i, e->gen);
	space->used++;
	ipc_entries_in_use++;
	return e;
}
/* A new entry under `name`: KERN_NAME_EXISTS if it is taken, KERN_INVALID_VALUE if it
 * is not a valid name, KERN_NO_SPACE beyond the limit. */
kern_return_t ipc_entry_alloc_name(struct ipc_space *space, mach_port_name_t name,
				   struct ipc_entry **entry);

/* The entry a name denotes, or NULL (free, stale, out of range, NULL or DEAD). */
static inline struct ipc_entry *ipc_entry_lookup(struct ipc_space *space, mach_port_name_t name)
{
	uint32_t i = IPC_NAME_INDEX(name);

	/*
	 * A slot holds its whole name from allocation to ipc_entry_free, which clears it;
	 * free slots and slot 0 hold none that matches.
	 */
	if (i < space->size && space->table[i].name == name)
		return &space->table[i];
	if (!space->noverflow)
		return NULL;
	if (space->overflow_hint && space->overflow_hint->name == name)
		return space->overflow_hint;
	return ipc_entry_lookup_overflow(space, name);
}
mach_port_name_t ipc_entry_name(struct ipc_space *space, struct ipc_entry *entry);
/* Calls fn on every entry in use (table and overflow). fn may not free entries. */
void ipc_space_for_each(struct ipc_space *space, void (*fn)(struct ipc_space *, struct ipc_entry *, void *),
			void *arg);
void ipc_entry_free_overflow(struct ipc_space *space, struct ipc_entry *entry);

/* Frees an entry whose rights are gone (type 0 and no object); its name goes stale. */
static inline void ipc_entry_free(struct ipc_space *space, struct ipc_entry *entry)
{
	assert(entry->type == 0 && !entry->dnrequest);
	if (entry->kept_aside) {
		ipc_entry_free_overflow(space, entry);
		return;
	}
	space->used--;
	ipc_entries_in_use--;
	entry->object = NULL;
	entry->urefs = 0;
	entry->name = MACH_PORT_NULL;
	entry->gen++;
	entry->next_free = space->free_head;
	space->free_head = (uint32_t)(entry - space->table);
}

/* The space's entry holding send or receive rights for port, or NULL. */
struct ipc_entry *ipc_hash_lookup(struct ipc_space *space, struct ipc_port *port);
void ipc_hash_insert(struct ipc_space *space, struct ipc_port *port, struct ipc_entry *entry);
void ipc_hash_delete(struct ipc_space *space, struct ipc_port *port);

#endif /* _IPC_IPC_SPACE_H_ */
