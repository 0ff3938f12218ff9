/*
 * Hardware capabilities (device_caps.defs, 5500, served on the device master port): an
 * interrupt line, a range of device memory, an allowance of DMA memory, each a kernel
 * object named by a port. device_intr_register/ack (arch intr.c) take an irq port as
 * their request port, vm_map a device-memory port as its memory object, and
 * vm_allocate_contiguous a dma port in place of the privileged host port (vm_user.c).
 * Like io_perm objects, each lives as long as its send rights (docs/devices.md).
 */
#include <device/device_types.h>
#include <arch/pmap.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_port.h>
#include <kern/boot.h>
#include <kern/device_caps.h>
#include <kern/host.h>
#include <kern/intr.h>
#include <kern/layout.h>
#include <kern/zalloc.h>

uint64_t devcaps_live;
struct devcap *devcap_dead;

static bool is_master(mach_port_t name)
{
	return ipc_kobject_lookup(name, IKOT_DEVICE_MASTER) != NULL;
}

/* Puts c on the dead list, unless it is there already (p itself ends the list). */
static void queue_dead(struct devcap *c)
{
	if (c->dead_next)
		return;
	c->dead_next = devcap_dead ? devcap_dead : c;
	devcap_dead = c;
}

/*
 * A new object and its port; *name is the port's receive-right name in the kernel space,
 * which the reply turns into the client's send right (the out parameter is MAKE_SEND).
 * The object starts on the dead list: should the reply never carry that send right (no
 * reply port), devcap_reap finds it without senders and destroys it.
 */
static kern_return_t devcap_new(enum ipc_kotype kind, struct devcap **out, mach_port_t *name)
{
	struct devcap *c = kzalloc(sizeof(*c));

	if (!c)
		return KERN_RESOURCE_SHORTAGE;
	c->port = ipc_port_alloc_kernel(kind, c);
	if (!c->port) {
		kfree(c, sizeof(*c));
		return KERN_RESOURCE_SHORTAGE;
	}
	devcaps_live++;
	queue_dead(c);
	*out = c;
	*name = c->port->receiver_name;
	return KERN_SUCCESS;
}

/* device_irq_create (5500). Conditions: interrupts disabled; ports are kernel-space names. */
kern_return_t device_irq_create(mach_port_t master, int irq, mach_port_t *irq_cap)
{
	struct devcap *c;
	kern_return_t kr;

	if (!is_master(master))
		return KERN_INVALID_ARGUMENT;
	if (!intr_line_valid(irq))
		return D_INVALID_OPERATION;
	kr = devcap_new(IKOT_IRQ, &c, irq_cap);
	if (kr == KERN_SUCCESS)
		c->irq = irq;
	return kr;
}

/* Whether [pa, end) overlaps usable RAM of the boot memory map. */
static bool overlaps_ram(uint64_t pa, uint64_t end)
{
	for (int i = 0; i < boot_info.nregions; i++)
		if (pa < boot_info.regions[i].end && boot_info.regions[i].start < end)
			return true;
	return false;
}

/*
 * device_mem_create (5501): a page-aligned, non-empty range outside RAM, and outside the
 * device memory the kernel drives itself (the local APIC: its timer is the scheduler's).
 */
kern_return_t device_mem_create(mach_port_t master, rpc_phys_addr_t paddr, vm_size_t size,
				mach_port_t *mem_cap)
{
	struct devcap *c;
	kern_return_t kr;

	if (!is_master(master))
		return KERN_INVALID_ARGUMENT;
	if (size == 0 || ((paddr | size) & (PAGE_SIZE - 1)) || paddr + size < paddr)
		return KERN_INVALID_ARGUMENT;
	if (paddr + size > pmap_phys_limit() || overlaps_ram(paddr, paddr + size) ||
	    pmap_device_is_kernels(paddr, paddr + size))
		return KERN_INVALID_ADDRESS;
	kr = devcap_new(IKOT_DEVICE_MEM, &c, mem_cap);
	if (kr == KERN_SUCCESS) {
		c->mem.paddr = paddr;
		c->mem.size = size;
	}
	return kr;
}

/* device_dma_create (5502): vm_allocate_contiguous charges the object (vm_user.c). */
kern_return_t device_dma_create(mach_port_t master, vm_size_t limit, mach_port_t *dma_cap)
{
	struct devcap *c;
	kern_return_t kr;

	if (!is_master(master))
		return KERN_INVALID_ARGUMENT;
	kr = devcap_new(IKOT_DMA, &c, dma_cap);
	if (kr == KERN_SUCCESS) {
		c->dma.limit = limit;
		c->dma.used = 0;
	}
	return kr;
}

/*
 * The last send right went (ipc_port_release_send). The caller may be in the middle of
 * changing the kernel space's entry for the port, so the object is destroyed later, by
 * devcap_reap. What it granted stays: registrations made through an irq port (they go
 * with their notification port) and mappings of device memory.
 */
void devcap_no_senders(struct ipc_port *port)
{
	queue_dead(port->kobject);
}

void devcap_reap(void)
{
	while (devcap_dead) {
		struct devcap *c = devcap_dead;

		devcap_dead = c->dead_next == c ? NULL : c->dead_next;
		c->dead_next = NULL;
		if (c->port->srights)	/* it has senders (again, or since its creation) */
			continue;
		ipc_kobject_destroy(c->port);
		kfree(c, sizeof(*c));
		devcaps_live--;
	}
}
