/*
 * devlibsrv: the device server of devlib.scn, built on lib/device to test what hello
 * does not use: reads and writes answered later (DEVICE_PENDING, device_io_done),
 * D_NOWAIT through device_io_mode, requests of a client that died, and the interrupt
 * hook (the RTC's periodic interrupt, IRQ 8, with ports 0x70-0x71 from the manifest).
 * Device "pend" (devlib.h).
 *   devlibsrv            with bootstrap: io 0x70 0x71, irq 8 (devlib.manifest)
 *   devlibsrv MASTER     without: serves the master port another task puts at MASTER
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <device/device_types.h>
#include "device_server.h"
#include "devlib.h"

#define WAIT_MAX	32
#define CMOS_INDEX	0x70
#define CMOS_DATA	0x71
#define RTC_A		0x0a
#define RTC_B		0x0b
#define RTC_C		0x0c
#define RTC_A_64HZ	0x2a	/* 32.768 kHz base, rate 10 */
#define RTC_B_PIE	0x40	/* periodic interrupt enable */

/* A request answered later: the open it came from, and for reads the room it has. */
struct waiter {
	void *open;
	struct device_io *io;
	char *buf;
	size_t count;
};

static struct waiter reads[WAIT_MAX], writes[WAIT_MAX];
static int nreads, nwrites, closes, interrupts, irq_line = -1;
static char buffered[PEND_BUF_MAX];
static size_t nbuffered;
static int opens[DEVICE_MAX_OPENS];	/* an open's cookie points at its slot */

static uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

static void cmos_write(uint8_t reg, uint8_t v)
{
	outb(CMOS_INDEX, reg);
	outb(CMOS_DATA, v);
}

static void take(struct waiter *list, int *n, int i)
{
	memmove(&list[i], &list[i + 1], (size_t)(*n - i - 1) * sizeof(*list));
	(*n)--;
}

static int pend_open(const char *name, dev_mode_t mode, void **cookie)
{
	(void)name, (void)mode;
	for (int i = 0; i < DEVICE_MAX_OPENS; i++)
		if (!opens[i]) {
			opens[i] = 1;
			*cookie = &opens[i];
			return D_SUCCESS;
		}
	return D_NO_MEMORY;
}

/* The open's waiting requests fail; their ios stay ours until device_io_done. */
static void pend_close(void *cookie)
{
	for (int i = nreads - 1; i >= 0; i--)
		if (reads[i].open == cookie) {
			device_io_done(reads[i].io, D_DEVICE_DOWN, 0);
			take(reads, &nreads, i);
		}
	for (int i = nwrites - 1; i >= 0; i--)
		if (writes[i].open == cookie) {
			device_io_done(writes[i].io, D_DEVICE_DOWN, 0);
			take(writes, &nwrites, i);
		}
	*(int *)cookie = 0;
	closes++;
}

static int pend_read(void *cookie, struct device_io *io, recnum_t recnum, char *buf, size_t *count)
{
	(void)recnum;
	if (nbuffered) {
		size_t n = *count < nbuffered ? *count : nbuffered;

		memcpy(buf, buffered, n);
		memmove(buffered, buffered + n, nbuffered - n);
		nbuffered -= n;
		*count = n;
		return D_SUCCESS;
	}
	if (device_io_mode(io) & D_NOWAIT)
		return D_WOULD_BLOCK;
	if (nreads == WAIT_MAX)
		return D_NO_MEMORY;
	reads[nreads++] = (struct waiter){ .open = cookie, .io = io, .buf = buf, .count = *count };
	return DEVICE_PENDING;
}

/* Bytes go to the oldest waiting read first, the rest into the buffer. */
static int pend_write(void *cookie, struct device_io *io, recnum_t recnum, const char *buf, size_t count,
		      size_t *written)
{
	size_t n;

	if (recnum == PEND_RECNUM_WAIT) {
		if (nwrites == WAIT_MAX)
			return D_NO_MEMORY;
		writes[nwrites++] = (struct waiter){ .open = cookie, .io = io, .count = count };
		return DEVICE_PENDING;
	}
	if (nreads && count) {
		n = count < reads[0].count ? count : reads[0].count;
		memcpy(reads[0].buf, buf, n);
		device_io_done(reads[0].io, D_SUCCESS, n);
		take(reads, &nreads, 0);
		buf += n;
		count -= n;
		*written = n;
	}
	if (count > PEND_BUF_MAX - nbuffered)
		return D_INVALID_SIZE;
	memcpy(buffered + nbuffered, buf, count);
	nbuffered += count;
	*written += count;
	return D_SUCCESS;
}

static int pend_get_status(void *cookie, dev_flavor_t flavor, int *status, size_t *count)
{
	(void)cookie;
	if (flavor != PEND_STATUS)
		return D_INVALID_OPERATION;
	if (*count < PEND_STATUS_COUNT)
		return D_INVALID_SIZE;
	status[0] = nreads;
	status[1] = nwrites;
	status[2] = closes;
	status[3] = interrupts;
	status[4] = irq_line;
	*count = PEND_STATUS_COUNT;
	return D_SUCCESS;
}

static int pend_set_status(void *cookie, dev_flavor_t flavor, const int *status, size_t count)
{
	(void)cookie;
	if (count != 1)
		return D_INVALID_SIZE;
	if (flavor == PEND_RELEASE) {
		while (nwrites) {
			device_io_done(writes[0].io, status[0], status[0] == D_SUCCESS ? writes[0].count : 0);
			take(writes, &nwrites, 0);
		}
		return D_SUCCESS;
	}
	if (flavor != PEND_RTC)
		return D_INVALID_OPERATION;
	if (irq_line < 0)
		return D_INVALID_OPERATION;
	cmos_write(RTC_A, RTC_A_64HZ);
	cmos_write(RTC_B, (cmos_read(RTC_B) & ~RTC_B_PIE) | (status[0] ? RTC_B_PIE : 0));
	cmos_read(RTC_C);	/* clears a flag left from before, which would hold the line */
	return D_SUCCESS;
}

/* Reading register C acknowledges the RTC; without it the line stays asserted. */
static void pend_interrupt(int line)
{
	if (line == irq_line && (cmos_read(RTC_C) & 0x40))
		interrupts++;
}

static const char *const pend_names[] = { "pend", NULL };

static const struct device_ops pend_ops = {
	.names = pend_names,
	.open = pend_open,
	.close = pend_close,
	.read = pend_read,
	.write = pend_write,
	.get_status = pend_get_status,
	.set_status = pend_set_status,
	.interrupt = pend_interrupt,
};

int main(int argc, char **argv)
{
	uint64_t first, count;

	if (argc > 1)
		return device_server_run(&pend_ops, (mach_port_t)strtol(argv[1], NULL, 0));
	if (device_io_enable(0, &first, &count) != KERN_SUCCESS || first != CMOS_INDEX ||
	    device_irq_attach(0, &irq_line) != KERN_SUCCESS)
		irq_line = -1;
	return device_server_main(&pend_ops, irq_line < 0 ? "pend (no rtc)" : "pend, rtc irq 8");
}
