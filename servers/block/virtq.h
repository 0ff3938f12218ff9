/*
 * Split virtqueues in the legacy (virtio 0.9.5) layout: descriptor table, available
 * ring, then the used ring on the next 4 KiB boundary, in one physically contiguous
 * block whose page frame number the driver writes to QUEUE_PFN. Pure memory logic: the
 * caller does the port I/O (notify) and owns the memory.
 */
#ifndef _VIRTQ_H
#define _VIRTQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VIRTQ_ALIGN		4096	/* the legacy used-ring alignment */
#define VIRTQ_MAX		1024	/* the largest legacy queue */
#define VIRTQ_DESC_F_NEXT	1
#define VIRTQ_DESC_F_WRITE	2	/* the device writes this buffer */

struct virtq_desc {
	uint64_t addr;		/* physical */
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];	/* then used_event, which we do not use */
};

struct virtq_used_elem {
	uint32_t id;		/* head of the finished chain */
	uint32_t len;		/* bytes the device wrote */
};

struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[];
};

_Static_assert(sizeof(struct virtq_desc) == 16, "virtq_desc");
_Static_assert(sizeof(struct virtq_used_elem) == 8, "virtq_used_elem");

struct virtq {
	unsigned size;			/* entries, a power of two up to VIRTQ_MAX */
	volatile struct virtq_desc *desc;
	volatile struct virtq_avail *avail;
	volatile struct virtq_used *used;
	unsigned num_free;
	uint16_t free_head;		/* chained through desc[].next */
	uint16_t last_used;		/* used->idx we have consumed up to */
	void *token[VIRTQ_MAX];		/* per chain head: what virtq_add was given */
};

/* One buffer of a request: physical address, length, and whether the device writes it. */
struct virtq_seg {
	uint64_t paddr;
	uint32_t len;
	bool device_writes;
};

/* Bytes of the legacy layout for `n` entries (a multiple of VIRTQ_ALIGN). */
size_t virtq_legacy_size(unsigned n);

/*
 * Lays a queue of `n` entries over `mem` (virtq_legacy_size(n) zeroed bytes, VIRTQ_ALIGN
 * aligned, physically contiguous). Returns false if `n` is not a legal legacy size.
 */
bool virtq_init(struct virtq *q, unsigned n, void *mem);

/*
 * Puts a chain of `nsegs` buffers on the available ring and makes it visible (the
 * caller then notifies the device). Returns the chain's head, or -1 when there are not
 * nsegs free descriptors (or nsegs is 0); the queue is unchanged then.
 */
int virtq_add(struct virtq *q, const struct virtq_seg *segs, unsigned nsegs, void *token);

/*
 * Takes the next finished chain off the used ring, frees its descriptors and gives its
 * token and the device's written length. False when the device has finished nothing new.
 */
bool virtq_get_used(struct virtq *q, void **token, uint32_t *len);

#endif
