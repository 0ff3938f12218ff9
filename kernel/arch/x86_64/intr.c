/*
 * Interrupts as messages (device.defs' device_intr_register and device_intr_ack): a
 * device server registers a send right for one of the 16 legacy lines of the two 8259
 * PICs (remapped to T_IRQ_BASE..+15, reaching the CPU through LAPIC LINT0 as ExtINT).
 * An interrupt masks its line and sends each registration one device_intr_notify
 * (id 100); the line is unmasked once every registration on it has acked. The request
 * port is the device master port (any line) or an irq capability (its own line only,
 * kern/device_caps.c).
 */
#include <string.h>
#include <device/device_types.h>
#include <arch/cpu.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <kern/device_caps.h>
#include <kern/intr.h>
#include <kern/zalloc.h>

#define IRQ_LINES	16
#define IRQ_CASCADE	2	/* the slave PIC's output: never raised by a device */
#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xA0
#define PIC2_DATA	0xA1
#define PIC_EOI		0x20
#define PIC_READ_ISR	0x0B
#define INTR_NOTIFY_ID	100	/* device/notify.defs */
#define INTR_MSG_SIZE	48	/* header, an INTEGER_32 item, padding */
#define LINE_ANY	(-1)	/* request_line: the device master port */
#define LINE_NONE	(-2)	/* request_line: neither master nor irq port */

struct intr_reg {
	struct ipc_port *port;		/* a send right the registration owns */
	bool pending;			/* notified, not acked yet */
	struct intr_reg *next;
};

static struct intr_reg *regs[IRQ_LINES];
static unsigned pending[IRQ_LINES];	/* registrations on the line waiting for an ack */
static uint16_t pic_mask = 0xFFFF;	/* the two PICs' mask registers: 1 = masked */
unsigned intr_registrations;

static void pic_write_mask(void)
{
	outb(PIC1_DATA, pic_mask & 0xFF);
	outb(PIC2_DATA, pic_mask >> 8);
}

/* A line is open when it has registrations and none of them waits for an ack. */
static void line_update(unsigned line)
{
	if (regs[line] && pending[line] == 0)
		pic_mask &= (uint16_t)~(1u << line);
	else
		pic_mask |= (uint16_t)(1u << line);
	/* The slave's lines need the cascade line open. */
	if ((pic_mask & 0xFF00) != 0xFF00)
		pic_mask &= (uint16_t)~(1u << IRQ_CASCADE);
	else
		pic_mask |= (uint16_t)(1u << IRQ_CASCADE);
	pic_write_mask();
}

bool intr_line_valid(int line)
{
	return line >= 0 && line < IRQ_LINES && line != IRQ_CASCADE;
}

/* The lines a request port may register and ack: any, its own, or none. */
static int request_line(mach_port_t device)
{
	struct devcap *cap;

	if (ipc_kobject_lookup(device, IKOT_DEVICE_MASTER))
		return LINE_ANY;
	cap = ipc_kobject_lookup(device, IKOT_IRQ);
	return cap ? cap->irq : LINE_NONE;
}

static uint16_t pic_isr(void)
{
	outb(PIC1_CMD, PIC_READ_ISR);
	outb(PIC2_CMD, PIC_READ_ISR);
	return (uint16_t)(inb(PIC1_CMD) | inb(PIC2_CMD) << 8);
}

/* One device_intr_notify to the registration's port; false without memory. */
static bool notify(struct ipc_port *port, unsigned line)
{
	uint32_t desc = MACH_MSG_TYPE_INTEGER_32 | (32u << 8) | 0x20000000u; /* inline */
	uint32_t number = 1;
	int32_t id = (int32_t)line;
	struct ipc_kmsg *kmsg = ipc_kmsg_alloc(INTR_MSG_SIZE);

	if (!kmsg)
		return false;
	memset(kmsg->msg, 0, INTR_MSG_SIZE);
	KMSG_HEADER(kmsg)->msgh_id = INTR_NOTIFY_ID;
	memcpy(kmsg->msg + 32, &desc, 4);
	memcpy(kmsg->msg + 36, &number, 4);
	memcpy(kmsg->msg + 40, &id, 4);
	kmsg->dest = ipc_port_copy_send(port);
	kmsg->dest_type = MACH_MSG_TYPE_PORT_SEND;
	ipc_mqueue_send_kernel(kmsg);
	return true;
}

void intr_irq(unsigned line)
{
	/* IRQ 7 and 15 with their ISR bit clear are spurious: no EOI for that line
	   (but the master did see the slave's cascade line raised for 15). */
	if ((line == 7 || line == 15) && !(pic_isr() & (1u << line))) {
		if (line == 15)
			outb(PIC1_CMD, PIC_EOI);
		return;
	}
	pic_mask |= (uint16_t)(1u << line);
	pic_write_mask();
	if (line >= 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
	for (struct intr_reg *r = regs[line]; r; r = r->next) {
		if (r->pending || !notify(r->port, line))
			continue;
		r->pending = true;
		pending[line]++;
	}
	line_update(line);
}

/*
 * Conditions: interrupts disabled. Ports are names in the kernel space; on success the
 * request's send right becomes the registration's.
 */
kern_return_t ds_device_intr_register(mach_port_t device, int id, int flags,
				      mach_port_t receive_port)
{
	int allowed = request_line(device);
	struct ipc_port *port = ipc_kobject_port(receive_port);
	struct intr_reg *r;

	if (allowed == LINE_NONE)
		return KERN_INVALID_ARGUMENT;
	if (flags != 0)
		return D_INVALID_OPERATION;	/* no flag is defined */
	if (allowed != LINE_ANY && id != allowed)
		return D_INVALID_OPERATION;	/* an irq port grants its own line only */
	if (!intr_line_valid(id))
		return KERN_INVALID_ARGUMENT;
	/* A kernel object would have to serve id 100 in interrupt context: refused. */
	if (!port || !port->active || port->kotype != IKOT_NONE ||
	    port->receiver == ipc_space_kernel)
		return KERN_INVALID_ARGUMENT;
	r = kalloc(sizeof(*r));
	if (!r)
		return KERN_RESOURCE_SHORTAGE;
	r->port = ipc_kobject_take_right(receive_port, MACH_MSG_TYPE_PORT_SEND);
	if (!r->port) {
		kfree(r, sizeof(*r));
		return KERN_INVALID_ARGUMENT;
	}
	r->pending = false;
	r->next = regs[id];
	regs[id] = r;
	intr_registrations++;
	line_update((unsigned)id);
	return KERN_SUCCESS;
}

/*
 * Conditions: interrupts disabled. The request's send right is consumed on success.
 * Through an irq port, only a registration on its line can be acknowledged.
 */
kern_return_t ds_device_intr_ack(mach_port_t device, mach_port_t receive_port)
{
	int allowed = request_line(device);
	struct ipc_port *port = ipc_kobject_port(receive_port);

	if (allowed == LINE_NONE || !port)
		return KERN_INVALID_ARGUMENT;
	for (unsigned line = 0; line < IRQ_LINES; line++)
		for (struct intr_reg *r = regs[line]; r; r = r->next) {
			if (r->port != port || !r->pending ||
			    (allowed != LINE_ANY && line != (unsigned)allowed))
				continue;
			r->pending = false;
			pending[line]--;
			line_update(line);
			ipc_right_dealloc(ipc_space_kernel, receive_port);
			return KERN_SUCCESS;
		}
	return D_INVALID_OPERATION;	/* nothing to acknowledge for that port */
}

/* Conditions: interrupts disabled; called from ipc_port_destroy. */
void intr_port_destroyed(struct ipc_port *port)
{
	for (unsigned line = 0; line < IRQ_LINES; line++) {
		struct intr_reg **pp = &regs[line];
		bool changed = false;

		while (*pp) {
			struct intr_reg *r = *pp;

			if (r->port != port) {
				pp = &r->next;
				continue;
			}
			*pp = r->next;
			if (r->pending)
				pending[line]--;
			intr_registrations--;
			ipc_port_release_send(r->port);
			kfree(r, sizeof(*r));
			changed = true;
		}
		if (changed)
			line_update(line);
	}
}
