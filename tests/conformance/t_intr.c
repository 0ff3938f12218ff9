/*
 * Interrupts as messages (device.defs 2813-2814, device/notify.defs 100): registration
 * on the device master port only, bad lines and flags, registrations dropped with their
 * port, and the RTC's periodic interrupt (IRQ 8) delivered as device_intr_notify to
 * every port registered on the line, the line reopening only when all have acked; irq
 * capabilities (device_caps.defs 5500) standing in for the master port on their own line.
 * A child task with ports 0x70-0x71 programs the RTC (this task keeps no I/O bitmap).
 */
#include <device/device_caps.h>
#include <device/device_types.h>
#include <mach/x86_64/mach_i386.h>
#include "ct.h"
#include "thr.h"

#define DEVICE_INTR_REGISTER	2813
#define DEVICE_INTR_ACK		2814
#define INTR_NOTIFY		100
#define RTC_IRQ			8
#define CMOS_INDEX		0x70
#define CMOS_DATA		0x71
#define RTC_A			0x0A
#define RTC_B			0x0B
#define RTC_C			0x0C
#define RTC_A_1024HZ		0x26	/* 32.768 kHz base, rate 6 */
#define RTC_B_24H		0x02	/* QEMU's reset value */
#define RTC_B_PIE		0x40	/* periodic interrupt enable */
#define WAIT_MS			5000

/* CMOS register rbx := cl (rcx >= 0) or read it (rcx < 0), then ud2. */
void cmos_op(void);
__asm__(".text\n"
	".global cmos_op\n"
	"cmos_op:\n\t"
	"movb %bl, %al\n\t"
	"outb %al, $0x70\n\t"
	"testq %rcx, %rcx\n\t"
	"js 1f\n\t"
	"movb %cl, %al\n\t"
	"outb %al, $0x71\n\t"
	"ud2\n"
	"1:\n\t"
	"inb $0x71, %al\n\t"
	"ud2\n");

/* Runs cmos_op in a new thread of task and waits for its ud2. */
static void cmos(mach_port_t task, unsigned reg, int64_t value)
{
	CHECK_EQ(run_to_exception(task, cmos_op, reg, (uint64_t)value, 0),
		 EXC_I386_INVOP);	/* not GPFLT: the ports were allowed */
}

/* device_intr_register / device_intr_ack by hand: the request layouts of the ABI. */
static kern_return_t intr_rpc(mach_port_t dev, mach_msg_id_t id, bool reg, int line,
			      int flags, mach_msg_type_name_t disp, mach_port_t port)
{
	mach_port_t reply = new_port();
	struct mb m;
	struct rb r;
	int32_t rc;

	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE),
		dev, reply, id);
	if (reg) {
		mb_int32(&m, line);
		mb_int32(&m, flags);
	}
	mb_port(&m, disp, port);
	CHECK_EQ(m.len, reg ? 80u : 48u);
	CHECK_KR(mb_send(&m, 0, 0), MACH_MSG_SUCCESS);
	CHECK_KR(rb_recv(&r, reply, 0, WAIT_MS), MACH_MSG_SUCCESS);
	CHECK_EQ(r.h.msgh_id, id + 100);
	CHECK_EQ(r.h.msgh_size, 48u);
	memcpy(&rc, r.b + 40, 4);
	destroy(reply);
	return rc;
}

static kern_return_t intr_register(mach_port_t dev, int line, int flags, mach_port_t port)
{
	return intr_rpc(dev, DEVICE_INTR_REGISTER, true, line, flags, MACH_MSG_TYPE_MAKE_SEND, port);
}

static kern_return_t intr_ack(mach_port_t dev, mach_port_t port)
{
	return intr_rpc(dev, DEVICE_INTR_ACK, false, 0, 0, MACH_MSG_TYPE_MAKE_SEND, port);
}

/* Waits for one device_intr_notify on port and checks its exact layout. */
static void expect_notify(mach_port_t port, int line)
{
	struct rb r;
	uint32_t word, number;
	int32_t id;

	CHECK_KR(rb_recv(&r, port, 0, WAIT_MS), MACH_MSG_SUCCESS);
	CHECK_EQ(r.h.msgh_id, INTR_NOTIFY);
	CHECK_EQ(r.h.msgh_size, 48u);
	/* Sent to a send right: the receiver sees local bits PORT_SEND; not complex. */
	CHECK_EQ(r.h.msgh_bits, MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND));
	CHECK_EQ(r.h.msgh_remote_port, MACH_PORT_NULL);
	CHECK_EQ(r.h.msgh_local_port, port);
	memcpy(&word, r.b + 32, 4);
	memcpy(&number, r.b + 36, 4);
	memcpy(&id, r.b + 40, 4);
	CHECK_EQ(word, mt_word(MACH_MSG_TYPE_INTEGER_32, 32, MT_INLINE));
	CHECK_EQ(number, 1u);
	CHECK_EQ(id, line);
}

CTEST(intr_register_needs_device_master)
{
	mach_port_t p = new_port();

	CHECK_KR(intr_register(ct_host_priv, RTC_IRQ, 0, p), KERN_INVALID_ARGUMENT);
	CHECK_KR(intr_register(ct_host, RTC_IRQ, 0, p), KERN_INVALID_ARGUMENT);
	CHECK_KR(intr_register(ct_task, RTC_IRQ, 0, p), KERN_INVALID_ARGUMENT);
	CHECK_KR(intr_ack(ct_host, p), KERN_INVALID_ARGUMENT);
	/* The refused requests' send rights are gone again. */
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_SEND), 0u);
	destroy(p);
}

CTEST(intr_register_bad_arguments)
{
	mach_port_t p = new_port();

	CHECK_KR(intr_register(ct_device_master, -1, 0, p), KERN_INVALID_ARGUMENT);
	CHECK_KR(intr_register(ct_device_master, 16, 0, p), KERN_INVALID_ARGUMENT);
	CHECK_KR(intr_register(ct_device_master, 2, 0, p), KERN_INVALID_ARGUMENT);	/* cascade */
	CHECK_KR(intr_register(ct_device_master, RTC_IRQ, 1, p), D_INVALID_OPERATION);
	/* A kernel object's port cannot take the notifications. */
	CHECK_KR(intr_rpc(ct_device_master, DEVICE_INTR_REGISTER, true, RTC_IRQ, 0,
			  MACH_MSG_TYPE_COPY_SEND, ct_task), KERN_INVALID_ARGUMENT);
	/* Nothing registered, nothing to acknowledge. */
	CHECK_KR(intr_ack(ct_device_master, p), D_INVALID_OPERATION);
	destroy(p);
}

/* The registration owns a send right; it goes with the port (else a leak). */
CTEST(intr_register_dropped_with_port)
{
	mach_port_t p = new_port();
	mach_port_t q = new_port();

	OK(intr_register(ct_device_master, 5, 0, p));
	OK(intr_register(ct_device_master, 5, 0, q));
	OK(intr_register(ct_device_master, 13, 0, q));
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_SEND), 0u);
	destroy(p);
	destroy(q);
}

CTEST(intr_rtc_delivered_as_message)
{
	mach_port_t task, perm;
	mach_port_t p = new_port(), q = new_port();
	struct rb r;

	OK(task_create(ct_task, 1, &task));
	OK(i386_io_perm_create(ct_device_master, CMOS_INDEX, CMOS_DATA, &perm));
	OK(i386_io_perm_modify(task, perm, 1));
	OK(intr_register(ct_device_master, RTC_IRQ, 0, p));
	OK(intr_register(ct_device_master, RTC_IRQ, 0, q));	/* a shared line */
	cmos(task, RTC_A, RTC_A_1024HZ);
	cmos(task, RTC_C, -1);
	cmos(task, RTC_B, RTC_B_24H | RTC_B_PIE);

	expect_notify(p, RTC_IRQ);
	expect_notify(q, RTC_IRQ);
	cmos(task, RTC_C, -1);		/* the RTC may raise the line again */
	OK(intr_ack(ct_device_master, p));
	/* q has not acked: the line stays masked (the RTC ticks every ms). */
	CHECK_KR(rb_recv(&r, p, 0, 100), MACH_RCV_TIMED_OUT);
	OK(intr_ack(ct_device_master, q));
	expect_notify(p, RTC_IRQ);
	expect_notify(q, RTC_IRQ);
	/* One message per interrupt, one interrupt per ack. */
	CHECK_KR(intr_ack(ct_device_master, q), KERN_SUCCESS);
	CHECK_KR(intr_ack(ct_device_master, q), D_INVALID_OPERATION);

	/* q's receiver goes: p alone keeps the line. */
	destroy(q);
	cmos(task, RTC_C, -1);
	OK(intr_ack(ct_device_master, p));
	expect_notify(p, RTC_IRQ);

	cmos(task, RTC_B, RTC_B_24H);
	cmos(task, RTC_C, -1);
	destroy(p);
	OK(mach_port_deallocate(ct_task, perm));
	task_kill(task);
}

/* ---------------------------------------------------------------- irq capabilities */

CTEST(irq_cap_create_bad_lines)
{
	mach_port_t cap = MACH_PORT_NULL;

	CHECK_KR(device_irq_create(ct_device_master, 2, &cap), D_INVALID_OPERATION);	/* cascade */
	CHECK_KR(device_irq_create(ct_device_master, 16, &cap), D_INVALID_OPERATION);
	CHECK_KR(device_irq_create(ct_device_master, -1, &cap), D_INVALID_OPERATION);
	CHECK_KR(device_irq_create(ct_host_priv, RTC_IRQ, &cap), KERN_INVALID_ARGUMENT);
	CHECK_EQ(cap, MACH_PORT_NULL);
}

/* An irq port stands in for the device master port on its own line only. */
CTEST(irq_cap_own_line_only)
{
	mach_port_t irq, other, p = new_port();

	OK(device_irq_create(ct_device_master, RTC_IRQ, &irq));
	OK(device_irq_create(ct_device_master, 5, &other));
	CHECK_KR(intr_register(irq, 5, 0, p), D_INVALID_OPERATION);
	CHECK_KR(intr_register(irq, 2, 0, p), D_INVALID_OPERATION);
	CHECK_KR(intr_register(irq, 16, 0, p), D_INVALID_OPERATION);
	CHECK_KR(intr_register(other, RTC_IRQ, 0, p), D_INVALID_OPERATION);
	CHECK_KR(intr_register(irq, RTC_IRQ, 1, p), D_INVALID_OPERATION);	/* flags */
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_SEND), 0u);
	OK(intr_register(other, 5, 0, p));
	CHECK_KR(intr_ack(irq, p), D_INVALID_OPERATION);	/* nothing pending anyway */
	destroy(p);
	OK(mach_port_deallocate(ct_task, irq));
	OK(mach_port_deallocate(ct_task, other));
}

/* The RTC's interrupt through an irq port: registered and acknowledged through it. */
CTEST(irq_cap_rtc_delivered)
{
	mach_port_t task, perm, irq, other, p = new_port();

	OK(device_irq_create(ct_device_master, RTC_IRQ, &irq));
	OK(device_irq_create(ct_device_master, 5, &other));
	OK(task_create(ct_task, 1, &task));
	OK(i386_io_perm_create(ct_device_master, CMOS_INDEX, CMOS_DATA, &perm));
	OK(i386_io_perm_modify(task, perm, 1));
	OK(intr_register(irq, RTC_IRQ, 0, p));
	cmos(task, RTC_A, RTC_A_1024HZ);
	cmos(task, RTC_C, -1);
	cmos(task, RTC_B, RTC_B_24H | RTC_B_PIE);

	expect_notify(p, RTC_IRQ);
	cmos(task, RTC_C, -1);
	/* Another line's port cannot acknowledge it; its own can. */
	CHECK_KR(intr_ack(other, p), D_INVALID_OPERATION);
	OK(intr_ack(irq, p));
	expect_notify(p, RTC_IRQ);
	/* The capability may go: the registration stays with its port. */
	OK(mach_port_deallocate(ct_task, irq));
	cmos(task, RTC_C, -1);
	OK(intr_ack(ct_device_master, p));
	expect_notify(p, RTC_IRQ);

	cmos(task, RTC_B, RTC_B_24H);
	cmos(task, RTC_C, -1);
	destroy(p);
	OK(mach_port_deallocate(ct_task, other));
	OK(mach_port_deallocate(ct_task, perm));
	task_kill(task);
}
