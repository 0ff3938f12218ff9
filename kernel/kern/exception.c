/*
 * Exceptions: exception_raise messages (ABI section 8) and the wait for their replies.
 *
 * Each message gets a fresh reply port, a kernel port of type IKOT_EXC_REPLY whose
 * object is the faulting thread. The handler's reply (or the send-once notification
 * sent when the handler drops the reply right, or when the message dies with a dead
 * exception port) reaches exception_reply through ipc_kobject_server, in the sender's
 * context; it records the outcome and wakes the thread. The port is destroyed once the
 * wait is over, so a late reply finds a dead port and vanishes.
 */
#include <string.h>
#include <mach/mig_errors.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_port.h>
#include <kern/exception.h>
#include <kern/printf.h>
#include <kern/task.h>
#include <kern/thread.h>

#define EXC_RAISE_ID		2400
#define EXC_MSG_SIZE		112
#define EXC_REPLY_SIZE		48	/* mig_reply_header_t */

/* A type descriptor's first word: name, bits per element, inline (ABI 3.2). */
#define DESC_WORD(name, bits)	((uint32_t)(name) | ((uint32_t)(bits) << 8) | 0x20000000u)

static void put_item(uint8_t *at, uint32_t word, uint64_t value)
{
	uint32_t number = 1;

	memcpy(at, &word, 4);
	memcpy(at + 4, &number, 4);
	memcpy(at + 8, &value, 8);
}

/* The exception message to port, with a send-once right to reply; NULL without memory. */
static struct ipc_kmsg *build(struct thread *th, struct ipc_port *port, struct ipc_port *reply,
			      int exc, int code, int64_t subcode)
{
	struct ipc_kmsg *kmsg = ipc_kmsg_alloc(EXC_MSG_SIZE);
	mach_msg_header_t *h;

	if (!kmsg)
		return NULL;
	memset(kmsg->msg, 0, EXC_MSG_SIZE);
	h = KMSG_HEADER(kmsg);
	h->msgh_bits = MACH_MSGH_BITS_COMPLEX;
	h->msgh_id = EXC_RAISE_ID;
	/* Body ports are rights in transit, their descriptors already the received type. */
	put_item(kmsg->msg + 32, DESC_WORD(MACH_MSG_TYPE_PORT_SEND, 64),
		 (uint64_t)ipc_port_make_send(th->self));
	put_item(kmsg->msg + 48, DESC_WORD(MACH_MSG_TYPE_PORT_SEND, 64),
		 (uint64_t)ipc_port_make_send(th->task->self));
	put_item(kmsg->msg + 64, DESC_WORD(MACH_MSG_TYPE_INTEGER_32, 32), (uint32_t)exc);
	put_item(kmsg->msg + 80, DESC_WORD(MACH_MSG_TYPE_INTEGER_32, 32), (uint32_t)code);
	put_item(kmsg->msg + 96, DESC_WORD(MACH_MSG_TYPE_INTEGER_64, 64), (uint64_t)subcode);
	kmsg->dest = ipc_port_copy_send(port);
	kmsg->dest_type = MACH_MSG_TYPE_PORT_SEND;
	kmsg->reply = ipc_port_make_send_once(reply);
	kmsg->reply_type = MACH_MSG_TYPE_PORT_SEND_ONCE;
	return kmsg;
}

/* Sends one exception message to port and waits for its outcome (EXC_REPLY_*). */
static int deliver(struct thread *th, struct ipc_port *port, int exc, int code, int64_t subcode)
{
	struct ipc_port *reply = ipc_port_alloc_kernel(IKOT_EXC_REPLY, th);
	struct ipc_kmsg *kmsg;
	int result;

	if (!reply)
		return EXC_REPLY_FAILED;
	kmsg = build(th, port, reply, exc, code, subcode);
	if (!kmsg) {
		ipc_kobject_destroy(reply);
		return EXC_REPLY_FAILED;
	}
	th->exc_result = EXC_REPLY_PENDING;
	/* A kernel port as handler answers at once, before we would wait. */
	ipc_mqueue_send_kernel(kmsg);
	while (th->exc_result == EXC_REPLY_PENDING) {
		/* Aborted or terminated: the exception is dropped (the thread faults again
		 * if it goes on unchanged). */
		if (waitq_sleep_timeout(&th->exc_wait, 0) == THREAD_INTERRUPTED)
			break;
	}
	result = th->exc_result;
	th->exc_result = EXC_REPLY_PENDING;
	ipc_kobject_destroy(reply);
	return result;
}

static const char *const exc_names[] = {
	[EXC_BAD_ACCESS] = "EXC_BAD_ACCESS", [EXC_BAD_INSTRUCTION] = "EXC_BAD_INSTRUCTION",
	[EXC_ARITHMETIC] = "EXC_ARITHMETIC", [EXC_EMULATION] = "EXC_EMULATION",
	[EXC_SOFTWARE] = "EXC_SOFTWARE", [EXC_BREAKPOINT] = "EXC_BREAKPOINT",
};

void exception_raise_fault(struct thread *th, int exc, int code, int64_t subcode)
{
	struct ipc_port *ports[2] = { th->exc_port, th->task->exc_port };

	if (th->terminate_requested)
		return;
	for (int i = 0; i < 2; i++) {
		int result;

		if (!IP_VALID(ports[i]) || !th->task->self)
			continue;
		result = deliver(th, ports[i], exc, code, subcode);
		if (result == EXC_REPLY_HANDLED || th->terminate_requested)
			return;
		if (result == EXC_REPLY_PENDING)
			return;		/* thread_abort: back to user mode as it is */
	}
	kprintf("exception: task %s: %s code %d subcode %016lx at rip %016lx; no handler, task terminated\n",
		th->task->name, exc_names[exc], code, (uint64_t)subcode, th->frame->rip);
	task_terminate_task(th->task);
}

/* Is this exactly the reply the ABI asks for? Then its RetCode, else MIG_REPLY_MISMATCH. */
static int32_t reply_code(struct ipc_kmsg *kmsg)
{
	mach_msg_header_t *h = KMSG_HEADER(kmsg);
	uint32_t word, number;
	int32_t rc;

	if (kmsg->size != EXC_REPLY_SIZE || h->msgh_id != EXC_RAISE_ID + 100 ||
	    (h->msgh_bits & MACH_MSGH_BITS_COMPLEX) ||
	    kmsg->dest_type != MACH_MSG_TYPE_PORT_SEND_ONCE || kmsg->reply != NULL)
		return MIG_REPLY_MISMATCH;
	memcpy(&word, kmsg->msg + 32, 4);
	memcpy(&number, kmsg->msg + 36, 4);
	memcpy(&rc, kmsg->msg + 40, 4);
	if (word != DESC_WORD(MACH_MSG_TYPE_INTEGER_32, 32) || number != 1)
		return MIG_REPLY_MISMATCH;
	return rc;
}

/* Conditions: interrupts disabled; runs in the context of whoever sent the reply. */
void exception_reply(struct ipc_kmsg *kmsg)
{
	struct ipc_port *port = kmsg->dest;
	struct thread *th = port->kobject;
	int32_t rc = reply_code(kmsg);

	/* The reply right is used up by its message (a destroyed one would notify us). */
	if (kmsg->dest_type == MACH_MSG_TYPE_PORT_SEND_ONCE) {
		ipc_port_consume_sonce(port);
		kmsg->dest = NULL;
	}
	ipc_kmsg_destroy(kmsg);
	if (!th || th->exc_result != EXC_REPLY_PENDING)
		return;
	th->exc_result = rc == KERN_SUCCESS ? EXC_REPLY_HANDLED : EXC_REPLY_FAILED;
	thread_wakeup(th);
}
