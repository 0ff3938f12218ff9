/*
 * The name service (bootstrap_register, bootstrap_lookup), the device registry
 * (bootstrap_device_register), bootstrap_server_task and bootstrap_module. A
 * registration holds one user reference to the port's send right; it goes when its
 * owner dies, when the port dies (dead-name notification), or when the owner registers
 * the name again.
 */
#include <string.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/notify.h>
#include <bootstrap/bootstrap.h>
#include "bs.h"
#include "bootstrap_server.h"

#define MAX_REGS	64

struct reg {
	bool used, device;	/* device: the device registry, else the name service */
	int owner;		/* entry index; -1: bootstrap */
	char name[sizeof(bootstrap_name_t)];
	mach_port_t port;	/* our send right (one user reference) */
};

static struct reg regs[MAX_REGS];

static struct reg *find(bool device, const char *name)
{
	for (int i = 0; i < MAX_REGS; i++)
		if (regs[i].used && regs[i].device == device && strcmp(regs[i].name, name) == 0)
			return &regs[i];
	return NULL;
}

static void drop(struct reg *r)
{
	if (r->owner >= 0)
		mach_port_deallocate(bs_self, r->port);
	r->used = false;
}

void bs_watch(mach_port_t name)
{
	mach_port_type_t type;
	mach_port_t prev = MACH_PORT_NULL;

	if (mach_port_type(bs_self, name, &type) != KERN_SUCCESS || (type & MACH_PORT_TYPE_DNREQUEST))
		return;
	/* On a name already dead the notification comes at once. */
	mach_port_request_notification(bs_self, name, MACH_NOTIFY_DEAD_NAME, 1, bs_notify,
				       MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
	if (prev != MACH_PORT_NULL)
		mach_port_deallocate(bs_self, prev);
}

/* Takes `port` (one user reference) whatever the outcome. */
static kern_return_t add(struct entry *e, bool device, const char *name, mach_port_t port)
{
	int owner = bs_entry_index(e);
	struct reg *r = find(device, name);

	if (!MACH_PORT_VALID(port) || name[0] == '\0' || strnlen(name, sizeof(bootstrap_name_t)) ==
	    sizeof(bootstrap_name_t)) {
		if (MACH_PORT_VALID(port))
			mach_port_deallocate(bs_self, port);
		return KERN_INVALID_ARGUMENT;
	}
	if (r && r->owner != owner) {
		mach_port_deallocate(bs_self, port);
		return KERN_NAME_EXISTS;
	}
	if (!r) {
		for (int i = 0; i < MAX_REGS && !r; i++)
			if (!regs[i].used)
				r = &regs[i];
		if (!r) {
			mach_port_deallocate(bs_self, port);
			return KERN_RESOURCE_SHORTAGE;
		}
	} else {
		drop(r);	/* a restarted server registers again */
	}
	*r = (struct reg){ .used = true, .device = device, .owner = owner, .port = port };
	memcpy(r->name, name, strlen(name) + 1);
	bs_watch(port);
	return KERN_SUCCESS;
}

void names_init(void)
{
	/* Clients get a send right made from our receive right. */
	mach_port_insert_right(bs_self, bs_client_master, bs_client_master, MACH_MSG_TYPE_MAKE_SEND);
	regs[0] = (struct reg){ .used = true, .owner = -1, .port = bs_client_master,
				.name = BOOTSTRAP_DEVICE_MASTER };
}

kern_return_t names_find(const char *name, mach_port_t *port)
{
	struct reg *r = find(false, name);

	if (!r)
		return KERN_INVALID_NAME;
	*port = r->port;
	return KERN_SUCCESS;
}

kern_return_t names_find_device(const char *name, mach_port_t *master)
{
	struct reg *r = find(true, name);

	if (!r)
		return KERN_INVALID_NAME;
	*master = r->port;
	return KERN_SUCCESS;
}

void names_drop_owner(int owner)
{
	for (int i = 0; i < MAX_REGS; i++)
		if (regs[i].used && regs[i].owner == owner)
			drop(&regs[i]);
}

void names_port_died(mach_port_t name)
{
	for (int i = 0; i < MAX_REGS; i++)
		if (regs[i].used && regs[i].owner >= 0 && regs[i].port == name)
			drop(&regs[i]);
}

static bool granted(const char (*list)[MF_NAME_MAX], int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	return false;
}

kern_return_t bs_bootstrap_register(mach_port_t bootstrap, const_bootstrap_name_t name, mach_port_t port)
{
	return add(bs_entry_of_port(bootstrap), false, name, port);
}

kern_return_t bs_bootstrap_device_register(mach_port_t bootstrap, const_bootstrap_name_t name,
					   mach_port_t master)
{
	return add(bs_entry_of_port(bootstrap), true, name, master);
}

kern_return_t bs_bootstrap_lookup(mach_port_t bootstrap, const_bootstrap_name_t name, mach_port_t *port)
{
	struct entry *e = bs_entry_of_port(bootstrap);

	if (!granted(e->mf->ports, e->mf->nports, name))
		return KERN_NO_ACCESS;
	return names_find(name, port);
}

kern_return_t bs_bootstrap_server_task(mach_port_t bootstrap, const_bootstrap_name_t name,
				       mach_port_t *task)
{
	struct entry *e = bs_entry_of_port(bootstrap), *t;

	if (!granted(e->mf->tasks, e->mf->ntasks, name))
		return KERN_NO_ACCESS;
	t = bs_entry_named(name);
	if (!t || t->task == MACH_PORT_NULL)
		return KERN_INVALID_NAME;
	*task = t->task;
	return KERN_SUCCESS;
}

/*
 * The reply moves the region it sends (`dealloc`), and bootstrap keeps every module
 * for restarts: it sends a copy-on-write snapshot (vm_read of itself), which costs no
 * copying until someone writes.
 */
kern_return_t bs_bootstrap_module(mach_port_t bootstrap, const_bootstrap_name_t name,
				  vm_offset_t *data, mach_msg_type_number_t *dataCnt)
{
	struct entry *e = bs_entry_of_port(bootstrap);
	vm_offset_t image;
	mach_msg_type_number_t size;

	if (!granted(e->mf->modules, e->mf->nmodules, name))
		return KERN_NO_ACCESS;
	if (!bs_module_find(name, &image, &size))
		return KERN_INVALID_NAME;
	*data = 0;
	*dataCnt = 0;
	if (size == 0)
		return KERN_SUCCESS;
	return vm_read(bs_self, image, size, data, dataCnt);
}
