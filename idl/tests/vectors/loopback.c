/* A loopback kernel for round trips: moves a message from sender to
   receiver the way GNU Mach does for 64-bit tasks (header swapped, rights
   turned into the types the receiver holds, out-of-line data copied to
   new memory), without changing port names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mach/message.h>

#include "loopback.h"

/* The right a receiver holds for a disposition the sender used. */
static unsigned received_type(unsigned d)
{
	switch (d) {
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		return MACH_MSG_TYPE_PORT_RECEIVE;
	case MACH_MSG_TYPE_MOVE_SEND: case MACH_MSG_TYPE_COPY_SEND: case MACH_MSG_TYPE_MAKE_SEND:
		return MACH_MSG_TYPE_PORT_SEND;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE: case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		return MACH_MSG_TYPE_PORT_SEND_ONCE;
	}
	return d;
}

static int copy_header(const unsigned char *src, unsigned size, unsigned char *dst, uint32_t seqno)
{
	mach_msg_header_t in, out;
	unsigned remote, local;

	memcpy(&in, src, sizeof in);
	remote = MACH_MSGH_BITS_REMOTE(in.msgh_bits);
	local = MACH_MSGH_BITS_LOCAL(in.msgh_bits);
	if (size < sizeof in || size % 8 != 0)
		return MACH_SEND_MSG_TOO_SMALL;
	if (remote < MACH_MSG_TYPE_MOVE_SEND || remote > MACH_MSG_TYPE_MAKE_SEND_ONCE
	    || (local != 0 && (local < MACH_MSG_TYPE_MOVE_SEND || local > MACH_MSG_TYPE_MAKE_SEND_ONCE)))
		return MACH_SEND_INVALID_HEADER;
	memset(&out, 0, sizeof out);
	out.msgh_bits = MACH_MSGH_BITS(received_type(local), received_type(remote))
		| (in.msgh_bits & MACH_MSGH_BITS_COMPLEX);
	out.msgh_size = size;
	out.msgh_remote_port_slot = in.msgh_local_port;
	out.msgh_protected_payload = in.msgh_remote_port;
	out.msgh_seqno = seqno;
	out.msgh_id = in.msgh_id;
	memcpy(dst, &out, sizeof out);
	return 0;
}

/* One body item at off; returns the offset of the next, or -1. */
static long copy_item(const unsigned char *src, unsigned char *dst, unsigned long off,
		      unsigned long size, bool *carries)
{
	mach_msg_type_t t;
	unsigned long len, i;
	bool port;

	if (size - off < 8)
		return -1;
	memcpy(&t, src + off, 8);
	port = MACH_MSG_TYPE_PORT_ANY(t.msgt_name);
	len = ((unsigned long)t.msgt_number * t.msgt_size + 7) / 8;
	if (t.msgt_unused || (t.msgt_inline && t.msgt_deallocate)
	    || (port && t.msgt_size != (t.msgt_inline ? 64 : 32)))
		return -1;
	t.msgt_name = received_type(t.msgt_name);
	if (t.msgt_inline) {
		if (size - off - 8 < len)
			return -1;
		if (port)
			for (i = 0; i < t.msgt_number; i++) {
				uint64_t slot = *(const uint32_t *)(src + off + 8 + 8 * i);

				memcpy(dst + off + 8 + 8 * i, &slot, 8);
			}
		else
			memcpy(dst + off + 8, src + off + 8, len);
		*carries |= port;
	} else {
		void *from, *to = NULL;

		if (size - off - 8 < 8)
			return -1;
		memcpy(&from, src + off + 8, 8);
		if (len) {
			to = malloc(len);
			memcpy(to, from, len);
		}
		if (t.msgt_deallocate)
			loopback_sender_dealloc(from, len);
		t.msgt_deallocate = 1;	/* the receiver owns the copy */
		memcpy(dst + off + 8, &to, 8);
		*carries = true;
		len = 8;
	}
	memcpy(dst + off, &t, 8);
	return (long)(off + 8 + ((len + 7) & ~7UL));
}

int loopback_transfer(const void *msg, unsigned size, void *out, uint32_t seqno)
{
	const unsigned char *src = msg;
	unsigned char *dst = out;
	mach_msg_header_t h;
	unsigned long off = sizeof h;
	bool carries = false;
	long next;
	int rc = copy_header(src, size, dst, seqno);

	if (rc)
		return rc;
	memcpy(&h, dst, sizeof h);
	if (!(h.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		memcpy(dst + off, src + off, size - off);
		return 0;
	}
	while (off < size) {
		next = copy_item(src, dst, off, size, &carries);
		if (next < 0)
			return MACH_SEND_INVALID_TYPE;
		off = (unsigned long)next;
	}
	if (!carries) {
		h.msgh_bits &= ~MACH_MSGH_BITS_COMPLEX;
		memcpy(dst, &h, sizeof h);
	}
	return 0;
}
