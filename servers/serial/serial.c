/*
 * serial: the 16550 UARTs COM1-COM4 as devices "com0".."com3" (GNU Mach's names), on
 * lib/device. Input is interrupt-driven into a 4 KiB ring per port; a read takes what the
 * ring holds, or waits for the next bytes (DEVICE_PENDING) unless the client said not
 * to wait (D_NOWAIT on the read or the open, or D_NODELAY on the open: D_WOULD_BLOCK).
 * Output goes into a 4 KiB ring sent by the THRE interrupt; a write is answered as soon
 * as all its bytes are in the ring, and waits for room only when it is full.
 * Capabilities, from the manifest, in this order: io 0x3f8-0x3ff, 0x2f8-0x2ff,
 * 0x3e8-0x3ef, 0x2e8-0x2ef (a port without its grant is not served) and irq 4, irq 3.
 */
#include <stdio.h>
#include <string.h>
#include <device/tty_status.h>
#include "serial.h"
#include "uart.h"

struct com coms[COM_COUNT] = {
	{ .name = "com0", .base = 0x3f8, .irq_index = 0, .line = -1 },
	{ .name = "com1", .base = 0x2f8, .irq_index = 1, .line = -1 },
	{ .name = "com2", .base = 0x3e8, .irq_index = 0, .line = -1 },
	{ .name = "com3", .base = 0x2e8, .irq_index = 1, .line = -1 },
};

static struct serial_open opens[DEVICE_MAX_OPENS];
static const char *names[COM_COUNT + 1];

static void pop(struct waiter *list, int *n)
{
	memmove(list, list + 1, (size_t)--*n * sizeof(*list));
}

void serial_progress(struct com *c)
{
	bool added = false;

	while (c->nreads && ring_used(&c->rx)) {
		struct waiter *w = &c->reads[0];
		size_t n = 0;

		while (n < w->count && ring_used(&c->rx))
			w->buf[n++] = (char)c->rx.bytes[c->rx.tail++ % RING_SIZE];
		device_io_done(w->io, D_SUCCESS, n);
		pop(c->reads, &c->nreads);
	}
	while (c->nwrites) {
		struct waiter *w = &c->writes[0];

		while (w->done < w->count && ring_room(&c->tx)) {
			c->tx.bytes[c->tx.head++ % RING_SIZE] = (uint8_t)w->buf[w->done++];
			added = true;
		}
		if (w->done < w->count)
			break;
		device_io_done(w->io, D_SUCCESS, w->count);
		pop(c->writes, &c->nwrites);
	}
	if (added)
		com_start_tx(c);
}

static int serial_open(const char *name, dev_mode_t mode, void **cookie)
{
	struct com *c = NULL;

	for (int i = 0; i < COM_COUNT && !c; i++)
		if (coms[i].present && strcmp(coms[i].name, name) == 0)
			c = &coms[i];
	if (!c)
		return D_NO_SUCH_DEVICE;
	for (int i = 0; i < DEVICE_MAX_OPENS; i++)
		if (!opens[i].in_use) {
			opens[i] = (struct serial_open){ .com = c, .mode = mode, .in_use = true };
			*cookie = &opens[i];
			return D_SUCCESS;
		}
	return D_NO_MEMORY;
}

/* Drops `o`'s entries of a waiting list, failing them. */
static void fail_waiters(struct waiter *list, int *n, struct serial_open *o)
{
	for (int i = *n - 1; i >= 0; i--)
		if (list[i].open == o) {
			device_io_done(list[i].io, D_DEVICE_DOWN, 0);
			memmove(&list[i], &list[i + 1], (size_t)(*n - i - 1) * sizeof(*list));
			(*n)--;
		}
}

/* The open's waiting reads and writes end with D_DEVICE_DOWN (unsent bytes are dropped). */
static void serial_close(void *cookie)
{
	struct serial_open *o = cookie;

	fail_waiters(o->com->reads, &o->com->nreads, o);
	fail_waiters(o->com->writes, &o->com->nwrites, o);
	o->in_use = false;
}

static bool no_wait(const struct serial_open *o, const struct device_io *io)
{
	return (device_io_mode(io) & D_NOWAIT) || (o->mode & (D_NOWAIT | D_NODELAY));
}

/* A character device: recnum means nothing here. */
static int serial_read(void *cookie, struct device_io *io, recnum_t recnum, char *buf, size_t *count)
{
	struct serial_open *o = cookie;
	struct com *c = o->com;
	size_t n = 0;

	(void)recnum;
	if (c->nreads == 0 && ring_used(&c->rx)) {
		while (n < *count && ring_used(&c->rx))
			buf[n++] = (char)c->rx.bytes[c->rx.tail++ % RING_SIZE];
		*count = n;
		return D_SUCCESS;
	}
	if (*count == 0)
		return D_SUCCESS;
	if (no_wait(o, io))
		return D_WOULD_BLOCK;
	if (c->nreads == WAITERS_MAX)
		return D_NO_MEMORY;
	c->reads[c->nreads++] = (struct waiter){ .open = o, .io = io, .buf = buf, .count = *count };
	return DEVICE_PENDING;
}

static int serial_write(void *cookie, struct device_io *io, recnum_t recnum, const char *buf, size_t count,
			size_t *written)
{
	struct serial_open *o = cookie;
	struct com *c = o->com;
	size_t n = 0;

	(void)recnum;
	/* Behind a waiting write, bytes wait their turn. */
	while (c->nwrites == 0 && n < count && ring_room(&c->tx))
		c->tx.bytes[c->tx.head++ % RING_SIZE] = (uint8_t)buf[n++];
	if (n) {
		com_start_tx(c);
		serial_progress(c);	/* in loopback, a waiting read may have its bytes now */
	}
	if (n == count || no_wait(o, io)) {
		*written = n;
		return n || !count ? D_SUCCESS : D_WOULD_BLOCK;
	}
	if (c->nwrites == WAITERS_MAX)
		return D_NO_MEMORY;
	c->writes[c->nwrites++] = (struct waiter){ .open = o, .io = io, .buf = (char *)buf, .count = count,
						   .done = n };
	return DEVICE_PENDING;
}

static int serial_get_status(void *cookie, dev_flavor_t flavor, int *status, size_t *count)
{
	struct com *c = ((struct serial_open *)cookie)->com;
	size_t need;

	switch (flavor) {
	case TTY_STATUS:
		need = TTY_STATUS_COUNT;
		break;
	case TTY_LOOPBACK:
		need = TTY_LOOPBACK_COUNT;
		break;
	case TTY_COUNTERS:
		need = TTY_COUNTERS_COUNT;
		break;
	default:
		return D_INVALID_OPERATION;
	}
	if (*count < need)
		return D_INVALID_SIZE;
	if (flavor == TTY_STATUS) {
		struct tty_status t = { .tt_ispeed = c->speed, .tt_ospeed = c->speed, .tt_flags = com_flags(c) };

		memcpy(status, &t, sizeof(t));
	} else if (flavor == TTY_LOOPBACK) {
		status[0] = (c->mcr & MCR_LOOP) != 0;
	} else {
		status[0] = (int)c->received;
		status[1] = (int)c->sent;
		status[2] = (int)c->dropped;
		status[3] = (int)c->interrupts;
	}
	*count = need;
	return D_SUCCESS;
}

static int serial_set_status(void *cookie, dev_flavor_t flavor, const int *status, size_t count)
{
	struct com *c = ((struct serial_open *)cookie)->com;

	switch (flavor) {
	case TTY_STATUS:
		if (count < TTY_STATUS_COUNT)
			return D_INVALID_SIZE;
		return com_set_speed(c, status[1], status[3]);
	case TTY_FLUSH:
		if (count != TTY_FLUSH_COUNT)
			return D_INVALID_SIZE;
		com_flush(c, status[0] & D_READ, status[0] & D_WRITE);
		return D_SUCCESS;
	case TTY_LOOPBACK:
		if (count != TTY_LOOPBACK_COUNT)
			return D_INVALID_SIZE;
		com_set_loopback(c, status[0] != 0);
		serial_progress(c);
		return D_SUCCESS;
	default:
		return D_INVALID_OPERATION;
	}
}

/* COM1/COM3 and COM2/COM4 share their lines: every port on the line is looked at. */
static void serial_interrupt(int line)
{
	for (int i = 0; i < COM_COUNT; i++)
		if (coms[i].present && coms[i].line == line) {
			coms[i].interrupts++;
			com_service(&coms[i]);
			serial_progress(&coms[i]);
		}
}

static const struct device_ops serial_ops = {
	.names = names,
	.open = serial_open,
	.close = serial_close,
	.read = serial_read,
	.write = serial_write,
	.get_status = serial_get_status,
	.set_status = serial_set_status,
	.interrupt = serial_interrupt,
};

/* The port's I/O range granted and a UART answering there. */
static bool com_found(int i)
{
	uint64_t first, count;

	return device_io_enable(i, &first, &count) == KERN_SUCCESS && first == coms[i].base &&
	       count >= 8 && com_probe(&coms[i]);
}

int main(void)
{
	int lines[2] = { -1, -1 }, nnames = 0;
	static char status[256];
	size_t len = 0;
	kern_return_t kr;

	for (int i = 0; i < COM_COUNT; i++) {
		struct com *c = &coms[i];

		if (!com_found(i))
			continue;
		/* Each line once, for the first port on it. */
		if (lines[c->irq_index] < 0 && device_irq_attach(c->irq_index, &lines[c->irq_index]) != KERN_SUCCESS)
			lines[c->irq_index] = -1;
		if (lines[c->irq_index] < 0)
			continue;	/* without its interrupt, no input would ever come */
		c->line = lines[c->irq_index];
		c->present = true;
		com_init(c);
		names[nnames++] = c->name;
		len += snprintf(status + len, sizeof(status) - len, "%s%s (0x%x, irq %d)", len ? ", " : "",
				c->name, c->base, c->line);
	}
	if (!nnames)
		snprintf(status, sizeof(status), "no UART found");
	kr = device_server_main(&serial_ops, status);
	printf("serial: cannot serve: 0x%x\n", kr);
	return 1;
}
