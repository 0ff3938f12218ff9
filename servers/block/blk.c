/* The block server's request checks, descriptor chains and bounce pool (see blk.h). */
#include <string.h>
#include <device/device_types.h>
#include "blk.h"

int blk_check(uint64_t recnum, size_t count, uint64_t capacity, bool write, bool read_only)
{
	if (write && read_only)
		return D_READ_ONLY;
	if (count % BLK_SECTOR || count > BLK_MAX_XFER)
		return D_INVALID_SIZE;
	if (recnum > capacity || count / BLK_SECTOR > capacity - recnum)
		return D_INVALID_RECNUM;
	return D_SUCCESS;
}

int blk_chain(uint64_t hdr_paddr, uint64_t data_paddr, size_t len, uint64_t status_paddr,
	      bool write, uint32_t size_max, uint32_t seg_max, struct virtq_seg *segs, unsigned max)
{
	unsigned n = 0, pieces = 0;

	if (max < 2)
		return -1;
	segs[n++] = (struct virtq_seg){ .paddr = hdr_paddr, .len = sizeof(struct virtio_blk_hdr) };
	while (len) {
		size_t piece = size_max && len > size_max ? size_max : len;

		if (n + 1 >= max || (seg_max && pieces == seg_max))
			return -1;
		segs[n++] = (struct virtq_seg){ .paddr = data_paddr, .len = (uint32_t)piece,
						.device_writes = !write };
		data_paddr += piece;
		len -= piece;
		pieces++;
	}
	segs[n++] = (struct virtq_seg){ .paddr = status_paddr, .len = 1, .device_writes = true };
	return (int)n;
}

void blk_pool_init(struct blk_pool *p, unsigned pages)
{
	memset(p, 0, sizeof(*p));
	p->pages = pages < BLK_POOL_PAGES ? pages : BLK_POOL_PAGES;
}

int blk_pool_alloc(struct blk_pool *p, unsigned n)
{
	unsigned run = 0;

	if (n == 0)
		return -1;
	for (unsigned i = 0; i < p->pages; i++) {
		run = p->used[i] ? 0 : run + 1;
		if (run == n) {
			unsigned first = i + 1 - n;

			memset(&p->used[first], 1, n);
			return (int)first;
		}
	}
	return -1;
}

void blk_pool_free(struct blk_pool *p, unsigned first, unsigned n)
{
	if (first < p->pages && n <= p->pages - first)
		memset(&p->used[first], 0, n);
}

unsigned blk_pages(size_t count)
{
	return count ? (unsigned)((count + BLK_PAGE - 1) / BLK_PAGE) : 1;
}
