/*
 * The block server's pure logic: checking a request against the disk, the virtio-blk
 * request header and descriptor chain, and the page allocator of the DMA bounce pool.
 * No I/O here, so the unit tests run it on the host (tests/unit/test_block.c).
 */
#ifndef _BLK_H
#define _BLK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "virtq.h"

#define BLK_SECTOR		512
#define BLK_PAGE		4096
/* The largest read or write, in bytes: what one request may hold of the bounce pool. */
#define BLK_MAX_XFER		(256 * 1024)
/* Bounce pool pages: room for two largest requests in flight at once. */
#define BLK_POOL_PAGES		(2 * BLK_MAX_XFER / BLK_PAGE)
/* Descriptors one request may use: header, data pieces, status. */
#define BLK_MAX_SEGS		(2 + BLK_MAX_XFER / BLK_PAGE)

/* virtio-blk request types and status bytes. */
#define VIRTIO_BLK_T_IN		0
#define VIRTIO_BLK_T_OUT	1
#define VIRTIO_BLK_S_OK		0
#define VIRTIO_BLK_S_IOERR	1
#define VIRTIO_BLK_S_UNSUPP	2

/* What the device reads first in every request. */
struct virtio_blk_hdr {
	uint32_t type;
	uint32_t ioprio;
	uint64_t sector;
};
_Static_assert(sizeof(struct virtio_blk_hdr) == 16, "virtio_blk_hdr");

/*
 * D_SUCCESS if `count` bytes at sector `recnum` may be read (or written) on a disk of
 * `capacity` sectors; else D_READ_ONLY (a write on a read-only disk), D_INVALID_SIZE
 * (not whole sectors, or over BLK_MAX_XFER), D_INVALID_RECNUM (past the end).
 */
int blk_check(uint64_t recnum, size_t count, uint64_t capacity, bool write, bool read_only);

/*
 * The descriptor chain of one request: the header at hdr_paddr (device reads), the data
 * at data_paddr cut into pieces of at most size_max bytes (0: no limit; the device
 * writes them for a read), the status byte at status_paddr (device writes). seg_max
 * (0: no limit) bounds the data pieces. Returns the number of segments, or -1 if more
 * than `max` or seg_max would be needed.
 */
int blk_chain(uint64_t hdr_paddr, uint64_t data_paddr, size_t len, uint64_t status_paddr,
	      bool write, uint32_t size_max, uint32_t seg_max, struct virtq_seg *segs, unsigned max);

/* A first-fit page allocator over the bounce pool (pages, not addresses). */
struct blk_pool {
	unsigned pages;
	uint8_t used[BLK_POOL_PAGES];
};

void blk_pool_init(struct blk_pool *p, unsigned pages);
/* First page of `n` free consecutive pages, now taken; -1 if there is no such run. */
int blk_pool_alloc(struct blk_pool *p, unsigned n);
void blk_pool_free(struct blk_pool *p, unsigned first, unsigned n);

/* Pages a transfer of `count` bytes takes (at least one, for the zero-length case). */
unsigned blk_pages(size_t count);

#endif
