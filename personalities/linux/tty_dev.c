/*
 * The terminal's serial line: the device opened on the device master, one read request
 * always outstanding, and write requests in flight for queued output, all asynchronous
 * (device_request.defs), their replies (device_reply.defs) arriving on a port in
 * lx_portset that main.c hands to lx_tty_message.
 *
 * The messages are built here by hand, in the layout MIG gives them (each item an 8-byte
 * type descriptor, then its data padded to 8 bytes): the server links no device stubs,
 * and inband requests (at most 128 bytes) suit a terminal. servers/serial cooks nothing:
 * it moves raw bytes both ways, so echo and every translation are the line discipline's.
 */
#include <stdio.h>
#include <string.h>
#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include <mach/message.h>
#include <mach/mig_errors.h>
#include <mach/notify.h>
#include <device/device_types.h>
#include "tty.h"

/* device.defs / device_request.defs ids; replies are id + 100. */
#define DEV_OPEN		2800
#define DEV_WRITE_INBAND	2803
#define DEV_READ_INBAND		2805
#define DEV_REPLY(id)		((id) + 100)

struct item32 {
	mach_msg_type_t type;
	uint32_t value;
	uint32_t pad;
};

struct item64 {
	mach_msg_type_t type;
	uint64_t value;
};

struct open_request {
	mach_msg_header_t head;
	struct item32 mode;
	mach_msg_type_t name_type;
	char name[128];			/* dev_name_t */
};

struct open_reply {
	mig_reply_header_t h;
	mach_msg_type_t port_type;
	mach_port_t port;		/* an 8-byte slot holding a 32-bit name */
	uint32_t pad;
};

struct read_request {
	mach_msg_header_t head;
	struct item32 mode;
	struct item64 recnum;
	struct item32 count;
};

struct read_reply {
	mig_reply_header_t h;
	mach_msg_type_t data_type;
	char data[TTY_IO_CHUNK];
};

struct write_request {
	mach_msg_header_t head;
	struct item32 mode;
	struct item64 recnum;
	mach_msg_type_t data_type;
	char data[TTY_IO_CHUNK];
};

struct write_reply {
	mig_reply_header_t h;
	struct item32 count;
};

_Static_assert(sizeof(struct open_request) == 32 + 16 + 8 + 128, "device_open request");
_Static_assert(sizeof(struct open_reply) == 64, "device_open reply");
_Static_assert(sizeof(struct read_request) == 80, "device_read_inband request");
_Static_assert(sizeof(struct write_request) == 72 + TTY_IO_CHUNK, "device_write_inband request");
_Static_assert(sizeof(struct write_reply) == 64, "device_write_inband reply");

static mach_msg_type_t type_of(unsigned name, unsigned bits, unsigned number)
{
	return (mach_msg_type_t){ .msgt_name = name & 0xff, .msgt_size = bits & 0xffff,
				  .msgt_inline = 1, .msgt_number = number };
}

static bool type_is(mach_msg_type_t t, unsigned name, unsigned bits)
{
	return t.msgt_name == name && t.msgt_size == bits && t.msgt_inline && !t.msgt_longform;
}

static struct item32 int32_item(uint32_t v)
{
	return (struct item32){ type_of(MACH_MSG_TYPE_INTEGER_32, 32, 1), v, 0 };
}

static void request_head(mach_msg_header_t *h, mach_port_t dest, mach_port_t reply,
			 mach_msg_size_t size, mach_msg_id_t id)
{
	h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	h->msgh_size = size;
	h->msgh_remote_port = dest;
	h->msgh_local_port = reply;
	h->msgh_seqno = 0;
	h->msgh_id = id;
}

/* A device failure: the terminal keeps serving its descriptions, with no line. */
static void dev_failed(struct lx_tty *tty, const char *what, int rc)
{
	if (!tty->dead)
		printf("linux: tty: %s failed (%d): the terminal has no line now\n", what, rc);
	tty->dead = true;
	tty->reading = false;
	/* Output can no longer leave: drop it, so that writers do not wait for ever. */
	tty->out_len = tty->inflight = 0;
	tty->nwrites = 0;
	lx_wake(LX_EV_IO);
}

int tty_dev_open(struct lx_tty *tty, mach_port_t device_master, const char *name)
{
	union {
		struct open_request req;
		struct open_reply rep;
	} m;
	mach_port_t reply;
	kern_return_t kr;

	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply);
	if (kr != KERN_SUCCESS)
		return -LINUX_ENOMEM;
	memset(&m, 0, sizeof(m));
	m.req.mode = int32_item(D_READ | D_WRITE);
	m.req.name_type = type_of(MACH_MSG_TYPE_STRING_C, 1024, 1);
	m.req.name_type.msgt_longform = 1;	/* as MIG sends a dev_name_t */
	for (size_t i = 0; i + 1 < sizeof(m.req.name) && name[i]; i++)
		m.req.name[i] = name[i];
	request_head(&m.req.head, device_master, reply, sizeof(m.req), DEV_OPEN);
	/* Before the port joins the set: a port in a set is not received from alone. */
	kr = mach_msg(&m.req.head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(m.req), sizeof(m), reply,
		      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	if (kr == KERN_SUCCESS && m.rep.h.Head.msgh_id != DEV_REPLY(DEV_OPEN))
		kr = MIG_REPLY_MISMATCH;
	if (kr == KERN_SUCCESS && m.rep.h.RetCode != KERN_SUCCESS)
		kr = m.rep.h.RetCode;
	if (kr == KERN_SUCCESS && (m.rep.h.Head.msgh_size != sizeof(m.rep) ||
				   !type_is(m.rep.port_type, MACH_MSG_TYPE_PORT_SEND, 64)))
		kr = MIG_TYPE_ERROR;
	if (kr == KERN_SUCCESS)
		kr = mach_port_move_member(mach_task_self(), reply, lx_portset);
	if (kr != KERN_SUCCESS) {
		mach_port_destroy(mach_task_self(), reply);
		return kr == D_NO_SUCH_DEVICE ? -LINUX_ENODEV : -LINUX_EIO;
	}
	tty->master = device_master;
	for (size_t i = 0; i < sizeof(tty->name); i++)
		if (!(tty->name[i] = i + 1 < sizeof(tty->name) ? name[i] : '\0'))
			break;
	tty->dev = m.rep.port;
	tty->reply = reply;
	tty->dead = false;
	return 0;
}

bool tty_dev_retry(struct lx_tty *tty)
{
	mach_port_t old_dev = tty->dev, old_reply = tty->reply;
	uint64_t now = lx_now_ns();

	if (!tty->dead || tty->master == MACH_PORT_NULL)
		return !tty->dead;
	if (now < tty->retry_ns)
		return false;
	tty->retry_ns = now + TTY_RETRY_NS;
	if (tty_dev_open(tty, tty->master, tty->name) < 0)
		return false;
	/* Whatever the old port still holds was for the dead server. */
	mach_port_deallocate(mach_task_self(), old_dev);
	mach_port_destroy(mach_task_self(), old_reply);
	printf("linux: tty: %s is back\n", tty->name);
	tty_dev_kick(tty);
	return true;
}

static void post_read(struct lx_tty *tty)
{
	struct read_request m;
	kern_return_t kr;

	memset(&m, 0, sizeof(m));
	m.mode = int32_item(0);
	m.recnum = (struct item64){ type_of(MACH_MSG_TYPE_INTEGER_64, 64, 1), 0 };
	m.count = int32_item(TTY_IO_CHUNK);
	request_head(&m.head, tty->dev, tty->reply, sizeof(m), DEV_READ_INBAND);
	kr = mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
		      MACH_PORT_NULL);
	if (kr != KERN_SUCCESS)
		dev_failed(tty, "device_read_request", kr);
	else
		tty->reading = true;
}

/* Sends the n queued bytes after those in flight. */
static bool post_write(struct lx_tty *tty, size_t n)
{
	struct write_request m;
	size_t from = tty->out_head + tty->inflight;
	kern_return_t kr;

	memset(&m, 0, sizeof(m));
	m.mode = int32_item(0);
	m.recnum = (struct item64){ type_of(MACH_MSG_TYPE_INTEGER_64, 64, 1), 0 };
	m.data_type = type_of(MACH_MSG_TYPE_CHAR, 8, (unsigned)n);
	for (size_t i = 0; i < n; i++)
		m.data[i] = (char)tty->out[(from + i) % TTY_OUT_SIZE];
	request_head(&m.head, tty->dev, tty->reply,
		     (mach_msg_size_t)(offsetof(struct write_request, data) + ((n + 7) & ~(size_t)7)),
		     DEV_WRITE_INBAND);
	kr = mach_msg(&m.head, MACH_SEND_MSG, m.head.msgh_size, 0, MACH_PORT_NULL,
		      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	if (kr != KERN_SUCCESS) {
		dev_failed(tty, "device_write_request", kr);
		return false;
	}
	tty->writes[tty->nwrites++] = n;
	tty->inflight += n;
	return true;
}

void tty_dev_kick(struct lx_tty *tty)
{
	if (tty->dead || tty->dev == MACH_PORT_NULL)
		return;
	if (!tty->reading)
		post_read(tty);
	while (!tty->dead && tty->nwrites < TTY_WRITES_MAX && tty->out_len > tty->inflight &&
	       !tty->ld.stopped && !tty->out_held) {
		size_t n = tty->out_len - tty->inflight;

		if (!post_write(tty, n < TTY_IO_CHUNK ? n : TTY_IO_CHUNK))
			break;
	}
}

size_t tty_out_room(const struct lx_tty *tty)
{
	return TTY_OUT_SIZE - tty->out_len;
}

size_t tty_out_put(struct lx_tty *tty, const void *buf, size_t n)
{
	const unsigned char *s = buf;

	/* No line: output goes nowhere, and nobody waits for it. */
	if (tty->dead || tty->dev == MACH_PORT_NULL)
		return n;
	if (n > tty_out_room(tty))
		n = tty_out_room(tty);
	for (size_t i = 0; i < n; i++)
		tty->out[(tty->out_head + tty->out_len + i) % TTY_OUT_SIZE] = s[i];
	tty->out_len += n;
	return n;
}

void tty_out_flush(struct lx_tty *tty)
{
	/* What is in flight is the serial server's already. */
	tty->out_len = tty->inflight;
	lx_wake(LX_EV_IO);
}

static void read_done(struct lx_tty *tty, mach_msg_header_t *msg)
{
	struct read_reply *r = (struct read_reply *)msg;
	size_t n;

	tty->reading = false;
	if (msg->msgh_size < sizeof(r->h)) {
		dev_failed(tty, "device_read reply", MIG_TYPE_ERROR);
		return;
	}
	if (r->h.RetCode != D_SUCCESS) {
		dev_failed(tty, "device_read", r->h.RetCode);
		return;
	}
	n = r->data_type.msgt_number;
	if (msg->msgh_size < offsetof(struct read_reply, data) ||
	    !type_is(r->data_type, MACH_MSG_TYPE_CHAR, 8) || n > TTY_IO_CHUNK ||
	    msg->msgh_size < offsetof(struct read_reply, data) + n) {
		dev_failed(tty, "device_read reply", MIG_TYPE_ERROR);
		return;
	}
	tty_input(tty, r->data, n);
}

static void write_done(struct lx_tty *tty, mach_msg_header_t *msg)
{
	struct write_reply *r = (struct write_reply *)msg;
	size_t n;

	if (tty->nwrites == 0)
		return;		/* after a failure: nothing is waiting for it */
	/* The serial server answers writes in order, and only once all bytes are queued
	   there: the oldest request is done, whatever it says. */
	n = tty->writes[0];
	memmove(tty->writes, tty->writes + 1, (size_t)--tty->nwrites * sizeof(tty->writes[0]));
	tty->out_head = (tty->out_head + n) % TTY_OUT_SIZE;
	tty->out_len -= n;
	tty->inflight -= n;
	if (msg->msgh_size < sizeof(r->h) || r->h.RetCode != D_SUCCESS)
		dev_failed(tty, "device_write", msg->msgh_size < sizeof(r->h) ? MIG_TYPE_ERROR :
			   r->h.RetCode);
	lx_wake(LX_EV_IO);
}

bool tty_dev_message(struct lx_tty *tty, mach_msg_header_t *msg)
{
	if (tty->reply == MACH_PORT_NULL || msg->msgh_local_port != tty->reply)
		return false;
	switch (msg->msgh_id) {
	case DEV_REPLY(DEV_READ_INBAND):
		read_done(tty, msg);
		break;
	case DEV_REPLY(DEV_WRITE_INBAND):
		write_done(tty, msg);
		break;
	case MACH_NOTIFY_SEND_ONCE:
		/* A request's reply right died unanswered: the serial server is gone. */
		dev_failed(tty, "the serial server", MIG_SERVER_DIED);
		break;
	default:
		break;		/* not ours to understand; dropped */
	}
	tty_dev_kick(tty);
	return true;
}
