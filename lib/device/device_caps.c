/*
 * Hardware capabilities from bootstrap (bootstrap_capability, in manifest order) and what
 * the library does with them: I/O ports enabled for this task, device memory mapped,
 * DMA memory allocated, and interrupt lines attached to the loop, whose notifications
 * (device/notify.defs, id 100) run the driver's interrupt hook and are then acknowledged.
 */
#include <stdint.h>
#include <bootstrap/bootstrap.h>
#include <bootstrap/bootstrap_user.h>
#include <device/device.h>
#include <mach/gnumach.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include <mach/message.h>
#include <mach/task_special_ports.h>
#include <mach/vm_inherit.h>
#include <mach/vm_prot.h>
#include <mach/x86_64/mach_i386.h>
#include "device_lib.h"

#define INTR_NOTIFY_ID	100	/* device_intr_notify */
#define IRQ_MAX		16	/* the two 8259s' lines */

/* An attached line: the kernel sends its notifications to `notify`, acked on `cap`. */
struct irq_attach {
	mach_port_t cap, notify;
	int line;
};

static struct irq_attach irqs[IRQ_MAX];
static int nirqs;
static mach_port_t bootstrap_port, dma_cap;

/* device_intr_notify as the kernel sends it: header, one inline 32-bit integer. */
struct intr_notify {
	mach_msg_header_t h;
	mach_msg_type_t type;
	int32_t line;
	uint32_t pad;
};
_Static_assert(sizeof(struct intr_notify) == 48, "device_intr_notify is 48 bytes");

/* Our bootstrap port (TASK_BOOTSTRAP_PORT), fetched once; MACH_PORT_NULL without one. */
mach_port_t devlib_bootstrap(void)
{
	if (bootstrap_port == MACH_PORT_NULL &&
	    task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &bootstrap_port) != KERN_SUCCESS)
		bootstrap_port = MACH_PORT_NULL;
	return bootstrap_port;
}

static kern_return_t capability(int kind, int index, mach_port_t *cap, uint64_t *base, uint64_t *size)
{
	mach_port_t b = devlib_bootstrap();

	if (b == MACH_PORT_NULL)
		return KERN_INVALID_CAPABILITY;
	return bootstrap_capability(b, kind, index, cap, base, size);
}

kern_return_t device_io_enable(int index, uint64_t *first, uint64_t *count)
{
	mach_port_t cap;
	kern_return_t kr = capability(BOOTSTRAP_CAP_IO, index, &cap, first, count);

	if (kr != KERN_SUCCESS)
		return kr;
	kr = i386_io_perm_modify(mach_task_self(), cap, TRUE);
	/* The bitmap keeps the range enabled; the io_perm is not needed any more. */
	mach_port_deallocate(mach_task_self(), cap);
	return kr;
}

kern_return_t device_irq_attach(int index, int *line)
{
	struct irq_attach *a;
	uint64_t base, zero;
	kern_return_t kr;

	if (nirqs == IRQ_MAX)
		return KERN_RESOURCE_SHORTAGE;
	if ((kr = devlib_init()) != KERN_SUCCESS)
		return kr;
	a = &irqs[nirqs];
	kr = capability(BOOTSTRAP_CAP_IRQ, index, &a->cap, &base, &zero);
	if (kr != KERN_SUCCESS)
		return kr;
	a->line = (int)base;
	kr = mach_port_allocate(devlib_self, MACH_PORT_RIGHT_RECEIVE, &a->notify);
	if (kr == KERN_SUCCESS)
		kr = mach_port_move_member(devlib_self, a->notify, devlib_port_set);
	/* The kernel keeps the send right made here for its notifications. */
	if (kr == KERN_SUCCESS)
		kr = device_intr_register(a->cap, a->line, 0, a->notify, MACH_MSG_TYPE_MAKE_SEND);
	if (kr != KERN_SUCCESS) {
		if (a->notify != MACH_PORT_NULL)
			mach_port_mod_refs(devlib_self, a->notify, MACH_PORT_RIGHT_RECEIVE, -1);
		mach_port_deallocate(devlib_self, a->cap);
		*a = (struct irq_attach){ 0 };
		return kr;
	}
	nirqs++;
	*line = a->line;
	return KERN_SUCCESS;
}

bool devlib_irq_dispatch(mach_msg_header_t *m)
{
	struct irq_attach *a = NULL;

	for (int i = 0; i < nirqs && !a; i++)
		if (irqs[i].notify == m->msgh_local_port)
			a = &irqs[i];
	if (!a)
		return false;
	/* Only the kernel holds a send right to the port; anything else there is dropped. */
	if (m->msgh_id == INTR_NOTIFY_ID && m->msgh_size == sizeof(struct intr_notify)) {
		if (devlib_ops && devlib_ops->interrupt)
			devlib_ops->interrupt(a->line);
		/* The line stays masked until every registration on it has acked. */
		device_intr_ack(a->cap, a->notify, MACH_MSG_TYPE_MAKE_SEND);
	}
	return true;
}

kern_return_t device_mem_map(int index, volatile void **addr, uint64_t *paddr, uint64_t *size)
{
	vm_address_t at = 0;
	mach_port_t cap;
	kern_return_t kr = capability(BOOTSTRAP_CAP_MEM, index, &cap, paddr, size);

	if (kr != KERN_SUCCESS)
		return kr;
	kr = vm_map(mach_task_self(), &at, *size, 0, TRUE, cap, 0, FALSE,
		    VM_PROT_READ | VM_PROT_WRITE, VM_PROT_READ | VM_PROT_WRITE, VM_INHERIT_NONE);
	/* The mapping holds the memory; the capability port is not needed any more. */
	mach_port_deallocate(mach_task_self(), cap);
	if (kr == KERN_SUCCESS)
		*addr = (volatile void *)at;
	return kr;
}

kern_return_t device_dma_alloc(size_t size, void **vaddr, uint64_t *paddr)
{
	vm_address_t va = 0;
	rpc_phys_addr_t pa = 0;
	uint64_t zero, limit;
	kern_return_t kr;

	/* One DMA capability per entry; its limit counts over all allocations. */
	if (dma_cap == MACH_PORT_NULL &&
	    (kr = capability(BOOTSTRAP_CAP_DMA, 0, &dma_cap, &zero, &limit)) != KERN_SUCCESS) {
		dma_cap = MACH_PORT_NULL;
		return kr;
	}
	kr = vm_allocate_contiguous(dma_cap, mach_task_self(), &va, &pa, size, 0, 0, 0);
	if (kr != KERN_SUCCESS)
		return kr;
	*vaddr = (void *)va;
	*paddr = pa;
	return KERN_SUCCESS;
}

kern_return_t device_lookup(const char *name, mach_port_t *port)
{
	mach_port_t b = devlib_bootstrap();

	if (b == MACH_PORT_NULL)
		return KERN_INVALID_CAPABILITY;
	return bootstrap_lookup(b, name, port);
}
