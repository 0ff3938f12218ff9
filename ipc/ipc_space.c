/* IPC name spaces (see ipc/ipc_space.h). */
#include <string.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <kern/zalloc.h>

#define SPACE_INITIAL_SIZE	64

struct ipc_space *ipc_space_create(void)
{
	struct ipc_space *space = kzalloc(sizeof(*space));

	if (!space)
		return NULL;
	space->table = kzalloc(SPACE_INITIAL_SIZE * sizeof(struct ipc_entry));
	if (!space->table) {
		kfree(space, sizeof(*space));
		return NULL;
	}
	space->size = SPACE_INITIAL_SIZE;
	return space;
}

void ipc_space_destroy(struct ipc_space *space)
{
	for (uint32_t i = 1; i < space->size; i++) {
		struct ipc_entry *e = &space->table[i];
		if (e->port) {
			e->port->srights--;
			ipc_port_release(e->port);
		}
	}
	kfree(space->table, space->size * sizeof(struct ipc_entry));
	kfree(space, sizeof(*space));
}

static kern_return_t grow(struct ipc_space *space)
{
	uint32_t nsize = space->size * 2;
	struct ipc_entry *nt;

	if (space->size > IPC_SPACE_MAX / 2)
		return KERN_NO_SPACE;
	nt = kzalloc(nsize * sizeof(*nt));
	if (!nt)
		return KERN_RESOURCE_SHORTAGE;
	memcpy(nt, space->table, space->size * sizeof(*nt));
	kfree(space->table, space->size * sizeof(*nt));
	space->table = nt;
	space->size = nsize;
	return KERN_SUCCESS;
}

kern_return_t ipc_space_copyout_send(struct ipc_space *space, struct ipc_port *port,
				     uint32_t *name)
{
	uint32_t i, free_slot = 0;

	/* One name per port for send rights, as in Mach. */
	for (i = 1; i < space->size; i++) {
		struct ipc_entry *e = &space->table[i];
		if (e->port == port && (e->type & IE_TYPE_SEND)) {
			e->urefs++;
			port->srights--;	/* merged into the existing right */
			*name = IPC_NAME(i, e->gen);
			return KERN_SUCCESS;
		}
		if (!e->port && !free_slot)
			free_slot = i;
	}
	if (!free_slot) {
		kern_return_t kr;
		free_slot = space->size;
		if ((kr = grow(space)) != KERN_SUCCESS)
			return kr;
	}
	space->table[free_slot].port = port;
	space->table[free_slot].type = IE_TYPE_SEND;
	space->table[free_slot].urefs = 1;
	ipc_port_reference(port);
	*name = IPC_NAME(free_slot, space->table[free_slot].gen);
	return KERN_SUCCESS;
}

struct ipc_entry *ipc_space_lookup(struct ipc_space *space, uint32_t name)
{
	uint32_t i = IPC_NAME_INDEX(name);
	struct ipc_entry *e;

	if (i == 0 || i >= space->size)
		return NULL;
	e = &space->table[i];
	if (!e->port || e->gen != IPC_NAME_GEN(name))
		return NULL;
	return e;
}

void *ipc_space_kobject(struct ipc_space *space, uint32_t name, int type)
{
	struct ipc_entry *e = ipc_space_lookup(space, name);

	if (!e || !(e->type & IE_TYPE_SEND) || e->port->kotype != (enum ipc_kotype)type)
		return NULL;
	return e->port->kobject;
}
