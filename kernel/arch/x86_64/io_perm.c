/*
 * I/O-port permissions (mach_i386's i386_io_perm_create and i386_io_perm_modify): a
 * range of ports is a kernel object, made from the device master port; a task given
 * one may enable it in its own I/O permission bitmap, which the TSS holds while a
 * thread of that task runs (gdt.c, kern/sched.h). Ports are kernel-space names.
 */
#include <string.h>
#include <mach/x86_64/mach_i386_types.h>
#include <arch/gdt.h>
#include <arch/io_perm.h>
#include <arch/percpu.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <kern/host.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/zalloc.h>

struct io_perm {
	struct ipc_port *port;		/* IKOT_IO_PERM; the object dies with its send rights */
	uint16_t from, to;		/* inclusive */
	struct io_perm *dead_next;	/* on io_perm_dead, waiting for io_perm_reap */
};

struct io_perm *io_perm_dead;
uint64_t io_perm_live;

kern_return_t i386_io_perm_create(mach_port_t master_port, io_port_t from, io_port_t to,
				  io_perm_t *io_perm)
{
	struct ipc_port *master = ipc_kobject_port(master_port);
	struct io_perm *p;

	if (!master || master != device_master_port || from > to)
		return KERN_INVALID_ARGUMENT;
	p = kalloc(sizeof(*p));
	if (!p)
		return KERN_RESOURCE_SHORTAGE;
	p->from = from;
	p->to = to;
	p->dead_next = NULL;
	p->port = ipc_port_alloc_kernel(IKOT_IO_PERM, p);
	if (!p->port) {
		kfree(p, sizeof(*p));
		return KERN_RESOURCE_SHORTAGE;
	}
	io_perm_live++;
	*io_perm = ipc_kobject_send_name(p->port);
	if (*io_perm == MACH_PORT_NULL) {
		ipc_kobject_destroy(p->port);
		kfree(p, sizeof(*p));
		io_perm_live--;
		return KERN_RESOURCE_SHORTAGE;
	}
	return KERN_SUCCESS;
}

/* Sets (deny) or clears (allow) the bits of ports from..to. */
static void iomap_set(uint8_t *map, unsigned from, unsigned to, bool deny)
{
	for (unsigned port = from; port <= to; port++) {
		if (deny)
			map[port / 8] |= (uint8_t)(1u << (port % 8));
		else
			map[port / 8] &= (uint8_t)~(1u << (port % 8));
	}
}

kern_return_t i386_io_perm_modify(mach_port_t target_task, io_perm_t io_perm, boolean_t enable)
{
	struct task *t = ipc_kobject_lookup(target_task, IKOT_TASK);
	struct io_perm *p = ipc_kobject_lookup(io_perm, IKOT_IO_PERM);

	if (!t || !p)
		return KERN_INVALID_ARGUMENT;
	if (!t->iomap) {
		if (!enable)
			goto done;	/* nothing is allowed yet */
		t->iomap = kalloc(IOMAP_BYTES);
		if (!t->iomap)
			return KERN_RESOURCE_SHORTAGE;
		memset(t->iomap, 0xff, IOMAP_BYTES);
		t->entry_flags |= TASK_ENTRY_IOMAP;
	}
	iomap_set(t->iomap, p->from, p->to, !enable);
	tss_io_changed();
	if (t == current_thread()->task) {
		/* The caller's own task: its next user instruction sees the change. */
		tss_io_load(t->iomap);
		this_cpu()->entry_flags = t->entry_flags;
	}
done:
	/* The request's io_perm right was ours to consume. */
	ipc_right_dealloc(ipc_space_kernel, io_perm);
	return KERN_SUCCESS;
}

void io_perm_task_free(struct task *t)
{
	if (!t->iomap)
		return;
	tss_io_changed();	/* the next task's bitmap may reuse this memory */
	kfree(t->iomap, IOMAP_BYTES);
	t->iomap = NULL;
	t->entry_flags &= ~TASK_ENTRY_IOMAP;
}

void io_perm_isa_map(const struct task *t, uint8_t *out, size_t bytes)
{
	if (t->iomap)
		memcpy(out, t->iomap, bytes);
	else
		memset(out, 0xff, bytes);
}

/*
 * The last send right to an io_perm port went (ipc_port_release_send). The caller may be
 * in the middle of changing the kernel space's entry for the port, so the object is
 * destroyed later, by io_perm_reap. Tasks keep the ports they enabled.
 */
void io_perm_no_senders(struct ipc_port *port)
{
	struct io_perm *p = port->kobject;

	if (p->dead_next || io_perm_dead == p)
		return;
	p->dead_next = io_perm_dead ? io_perm_dead : p;	/* p itself ends the list */
	io_perm_dead = p;
}

void io_perm_reap(void)
{
	while (io_perm_dead) {
		struct io_perm *p = io_perm_dead;

		io_perm_dead = p->dead_next == p ? NULL : p->dead_next;
		if (p->port->srights) {	/* a send right was made again meanwhile */
			p->dead_next = NULL;
			continue;
		}
		ipc_kobject_destroy(p->port);
		kfree(p, sizeof(*p));
		io_perm_live--;
	}
}
