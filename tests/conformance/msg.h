/*
 * Building, receiving, walking and destroying raw messages (ABI section 3), shared by
 * the main program and the peer. Nothing here checks results: callers do.
 */
#ifndef _MSG_H
#define _MSG_H

#include <stdbool.h>
#include <stdint.h>
#include <mach/message.h>
#include <mach/port.h>

#define MB_SIZE		16384

/* A message being built: the header, then items appended in order. */
struct mb {
	union {
		mach_msg_header_t h;
		uint64_t align;
		char b[MB_SIZE];
	};
	uint32_t len;
};

/* A receive buffer. */
struct rb {
	union {
		mach_msg_header_t h;
		uint64_t align;
		char b[MB_SIZE];
	};
};

/* The first word of a type descriptor (ABI 3.2). */
#define MT_INLINE	0x20000000u
#define MT_LONGFORM	0x40000000u
#define MT_DEALLOC	0x80000000u
static inline uint32_t mt_word(uint32_t name, uint32_t bits, uint32_t flags)
{
	return name | bits << 8 | flags;
}

void mb_init(struct mb *m, mach_msg_bits_t bits, mach_port_t remote, mach_port_t local,
	     mach_msg_id_t id);
void mb_type(struct mb *m, uint32_t word, uint32_t number);
void mb_bytes(struct mb *m, const void *p, uint32_t n);	/* then pads to 8 */
void mb_int32(struct mb *m, int32_t v);
void mb_int32s(struct mb *m, const int32_t *v, uint32_t n);
/* Port items set MACH_MSGH_BITS_COMPLEX. */
void mb_port(struct mb *m, mach_msg_type_name_t disp, mach_port_t name);
void mb_ports(struct mb *m, mach_msg_type_name_t disp, const mach_port_t *names, uint32_t n);
void mb_ool(struct mb *m, const void *addr, uint32_t bytes, bool dealloc);
void mb_ool_ports(struct mb *m, mach_msg_type_name_t disp, const mach_port_t *names,
		  uint32_t n, bool dealloc);

/* mach_msg_trap with MACH_SEND_MSG | extra, send_size = m->len. */
mach_msg_return_t mb_send(struct mb *m, mach_msg_option_t extra, mach_msg_timeout_t timeout);
/* mach_msg_trap with MACH_RCV_MSG | MACH_RCV_TIMEOUT | extra, rcv_size = MB_SIZE. */
mach_msg_return_t rb_recv(struct rb *r, mach_port_t port, mach_msg_option_t extra,
			  mach_msg_timeout_t timeout);

/* One item of a received (or built) body. */
struct item {
	uint32_t name, bits, number;
	bool inl, longform, dealloc;
	uint32_t word;		/* the descriptor's first word */
	uint32_t offset;	/* of the descriptor in the message */
	char *data;		/* inline data, or the 8-byte address slot */
	void *addr;		/* out of line: the address */
	uint64_t bytes;		/* length of the data */
};
/* Steps to the item at *off (start with 32); false at the end or on a malformed body. */
bool msg_next_item(const mach_msg_header_t *m, uint32_t *off, struct item *it);
/* The name in an inline port slot / element i of an out-of-line port array. */
mach_port_t item_port(const struct item *it, uint32_t i);

/* Releases what a received message holds in `task` (the receiver's own task port):
   the reply right, the rights in the body and the out-of-line memory. */
void msg_destroy(mach_port_t task, mach_msg_header_t *m);

/* Receives and destroys everything queued on port; returns how many. */
unsigned msg_drain(mach_port_t task, mach_port_t port);

#endif
