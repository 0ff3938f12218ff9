/*
 * The serial server's state: one struct com per UART (COM1-COM4), its two rings, and the
 * reads and writes waiting on it. com.c drives the hardware; serial.c serves device.defs.
 */
#ifndef _SERIAL_H
#define _SERIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <device/device_types.h>
#include "device_server.h"

#define COM_COUNT	4
#define RING_SIZE	4096	/* a power of two */
#define WAITERS_MAX	16	/* waiting reads, and waiting writes, per port */

/* Bytes in flight one way: head is where the next byte goes, tail the next out. */
struct ring {
	uint8_t bytes[RING_SIZE];
	uint32_t head, tail;	/* free-running; head - tail bytes held */
};

/* A read or write that waits: for input, or for room in the output ring. */
struct waiter {
	struct serial_open *open;
	struct device_io *io;
	char *buf;		/* read: where bytes go; write: the bytes */
	size_t count;		/* read: room; write: bytes in all */
	size_t done;		/* write: bytes already in the ring */
};

struct com {
	const char *name;	/* "com0".."com3" */
	uint16_t base;
	int irq_index;		/* which of the manifest's irq grants is this port's line */
	int line;		/* the attached line, or -1 */
	bool present;
	bool fifo;		/* the 16-byte FIFOs are on */
	uint8_t ier, lcr, mcr;	/* what we last wrote */
	int speed;		/* B code */
	struct ring rx, tx;
	struct waiter reads[WAITERS_MAX], writes[WAITERS_MAX];
	int nreads, nwrites;
	uint32_t received, sent, dropped, interrupts;
};

struct serial_open {
	struct com *com;
	dev_mode_t mode;
	bool in_use;
};

extern struct com coms[COM_COUNT];

static inline uint32_t ring_used(const struct ring *r)
{
	return r->head - r->tail;
}

static inline uint32_t ring_room(const struct ring *r)
{
	return RING_SIZE - ring_used(r);
}

/* com.c: the hardware. */
bool com_probe(struct com *c);
void com_init(struct com *c);
/* Moves bytes between the UART and the rings; true if anything happened. */
bool com_service(struct com *c);
/* Starts sending what the output ring holds. */
void com_start_tx(struct com *c);
int com_set_speed(struct com *c, int speed, int flags);
int com_flags(const struct com *c);
void com_set_loopback(struct com *c, bool on);
void com_flush(struct com *c, bool input, bool output);

/* serial.c: after the rings moved, answers the reads and writes that can go on. */
void serial_progress(struct com *c);

#endif
