/* The loopback kernel of the round-trip tests. */
#ifndef LOOPBACK_H
#define LOOPBACK_H

#include <stdbool.h>
#include <stdint.h>

/* Copy a sent message to `out` as its receiver sees it; 0 or a
   MACH_SEND_* error. */
int loopback_transfer(const void *msg, unsigned size, void *out, uint32_t seqno);
/* Called for out-of-line data sent with msgt_deallocate. */
void loopback_sender_dealloc(void *addr, unsigned long size);

#endif
