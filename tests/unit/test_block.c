/*
 * Unit tests of the block server's pure logic (servers/block/virtq.c, blk.c): the legacy
 * virtqueue layout, descriptor chains, the used ring, request checks and the bounce
 * pool. A fake device walks the rings as virtio-blk would, with "physical" addresses
 * that are host pointers, over a fake disk.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <device/device_types.h>
#include "servers/block/blk.h"
#include "servers/block/virtq.h"

#define DISK_SECTORS	64

static uint8_t disk[DISK_SECTORS * BLK_SECTOR];

static void *ring_alloc(unsigned n)
{
	void *mem = aligned_alloc(VIRTQ_ALIGN, virtq_legacy_size(n));

	assert_non_null(mem);
	memset(mem, 0, virtq_legacy_size(n));
	return mem;
}

/* The device side: serves every available chain as virtio-blk, in ring order. */
static int fake_device_run(struct virtq *q, uint16_t *seen)
{
	int served = 0;

	while (*seen != q->avail->idx) {
		uint16_t head = q->avail->ring[*seen % q->size], i = head;
		struct virtio_blk_hdr *h = (void *)(uintptr_t)q->desc[i].addr;
		uint64_t off = h->sector * BLK_SECTOR;
		uint32_t written = 0;

		assert_int_equal(q->desc[i].len, sizeof(*h));
		assert_false(q->desc[i].flags & VIRTQ_DESC_F_WRITE);
		assert_true(q->desc[i].flags & VIRTQ_DESC_F_NEXT);
		i = q->desc[i].next;
		while (q->desc[i].flags & VIRTQ_DESC_F_NEXT) {
			void *data = (void *)(uintptr_t)q->desc[i].addr;

			assert_true(off + q->desc[i].len <= sizeof(disk));
			if (h->type == VIRTIO_BLK_T_IN) {
				assert_true(q->desc[i].flags & VIRTQ_DESC_F_WRITE);
				memcpy(data, disk + off, q->desc[i].len);
				written += q->desc[i].len;
			} else {
				assert_false(q->desc[i].flags & VIRTQ_DESC_F_WRITE);
				memcpy(disk + off, data, q->desc[i].len);
			}
			off += q->desc[i].len;
			i = q->desc[i].next;
		}
		assert_int_equal(q->desc[i].len, 1);
		assert_true(q->desc[i].flags & VIRTQ_DESC_F_WRITE);
		*(uint8_t *)(uintptr_t)q->desc[i].addr = VIRTIO_BLK_S_OK;
		q->used->ring[q->used->idx % q->size] = (struct virtq_used_elem){ head, written + 1 };
		q->used->idx++;
		(*seen)++;
		served++;
	}
	return served;
}

static void test_legacy_size(void **state)
{
	(void)state;
	assert_int_equal(virtq_legacy_size(128), 8192);
	assert_int_equal(virtq_legacy_size(256), 12288);
	assert_int_equal(virtq_legacy_size(1024), 32768);
}

static void test_init_layout(void **state)
{
	struct virtq *q = calloc(1, sizeof(*q));
	char *mem = ring_alloc(256);

	(void)state;
	assert_false(virtq_init(q, 0, mem));
	assert_false(virtq_init(q, 96, mem));
	assert_false(virtq_init(q, 2048, mem));
	assert_true(virtq_init(q, 256, mem));
	assert_ptr_equal(q->desc, mem);
	assert_ptr_equal(q->avail, mem + 4096);
	assert_ptr_equal(q->used, mem + 8192);	/* page-aligned after desc + avail */
	assert_int_equal(q->num_free, 256);
	free(mem);
	free(q);
}

/* A request of `count` bytes at `sector`, data in `buf`, header and status in `hs`. */
static int request(struct virtq *q, bool write, uint64_t sector, void *buf, size_t count,
		   uint32_t size_max, uint8_t *hs, void *token)
{
	struct virtq_seg segs[BLK_MAX_SEGS];
	struct virtio_blk_hdr *h = (void *)hs;
	int n;

	*h = (struct virtio_blk_hdr){ .type = write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN,
				      .sector = sector };
	hs[16] = 0xff;
	n = blk_chain((uintptr_t)hs, (uintptr_t)buf, count, (uintptr_t)(hs + 16), write, size_max,
		      0, segs, BLK_MAX_SEGS);
	assert_true(n >= 3);
	return virtq_add(q, segs, (unsigned)n, token);
}

static void test_round_trip(void **state)
{
	struct virtq *q = calloc(1, sizeof(*q));
	char *mem = ring_alloc(16);
	uint8_t hs[2][32], out[3 * BLK_SECTOR], in[3 * BLK_SECTOR];
	uint16_t seen = 0;
	void *token;
	uint32_t len;

	(void)state;
	assert_true(virtq_init(q, 16, mem));
	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (uint8_t)(i * 7 + 1);
	/* A write split in 512-byte pieces, a read in one: 5 and 3 descriptors. */
	assert_true(request(q, true, 5, out, sizeof(out), 512, hs[0], (void *)1) >= 0);
	assert_int_equal(q->num_free, 11);
	assert_int_equal(fake_device_run(q, &seen), 1);
	assert_memory_equal(disk + 5 * BLK_SECTOR, out, sizeof(out));
	assert_true(virtq_get_used(q, &token, &len));
	assert_ptr_equal(token, (void *)1);
	assert_int_equal(hs[0][16], VIRTIO_BLK_S_OK);
	assert_false(virtq_get_used(q, &token, &len));
	assert_int_equal(q->num_free, 16);
	memset(in, 0, sizeof(in));
	assert_true(request(q, false, 5, in, sizeof(in), 0, hs[1], (void *)2) >= 0);
	assert_int_equal(q->num_free, 13);
	fake_device_run(q, &seen);
	assert_true(virtq_get_used(q, &token, &len));
	assert_ptr_equal(token, (void *)2);
	assert_int_equal(len, sizeof(in) + 1);
	assert_memory_equal(in, out, sizeof(in));
	assert_int_equal(q->num_free, 16);
	free(mem);
	free(q);
}

/* Several in flight, finished out of order; the ring runs out and recovers. */
static void test_in_flight_and_full(void **state)
{
	struct virtq *q = calloc(1, sizeof(*q));
	char *mem = ring_alloc(8);
	struct virtq_seg segs[3] = { { 0x1000, 16, false }, { 0x2000, 512, true }, { 0x3000, 1, true } };
	void *token;
	uint32_t len;
	int heads[2];

	(void)state;
	assert_true(virtq_init(q, 8, mem));
	heads[0] = virtq_add(q, segs, 3, (void *)10);
	heads[1] = virtq_add(q, segs, 3, (void *)11);
	assert_true(heads[0] >= 0 && heads[1] >= 0 && heads[0] != heads[1]);
	assert_int_equal(virtq_add(q, segs, 3, (void *)12), -1);	/* 2 left */
	assert_int_equal(virtq_add(q, segs, 0, (void *)12), -1);
	assert_int_equal(q->num_free, 2);
	assert_int_equal(q->avail->idx, 2);
	/* The device finishes the second first. */
	q->used->ring[0] = (struct virtq_used_elem){ (uint32_t)heads[1], 513 };
	q->used->idx = 1;
	assert_true(virtq_get_used(q, &token, &len));
	assert_ptr_equal(token, (void *)11);
	assert_int_equal(q->num_free, 5);
	assert_true(virtq_add(q, segs, 3, (void *)12) >= 0);
	/* A bogus head from the device is skipped without touching our lists. */
	q->used->ring[1] = (struct virtq_used_elem){ 99, 0 };
	q->used->idx = 2;
	assert_true(virtq_get_used(q, &token, &len));
	assert_null(token);
	assert_int_equal(q->num_free, 2);
	free(mem);
	free(q);
}

/* 70000 requests through a 4-entry queue: the 16-bit indices wrap. */
static void test_index_wrap(void **state)
{
	struct virtq *q = calloc(1, sizeof(*q));
	char *mem = ring_alloc(4);
	uint8_t hs[32], buf[BLK_SECTOR];
	uint16_t seen = 0;
	void *token;
	uint32_t len;

	(void)state;
	assert_true(virtq_init(q, 4, mem));
	for (unsigned i = 0; i < 70000; i++) {
		assert_true(request(q, (i & 1) == 0, i % DISK_SECTORS, buf, sizeof(buf), 0, hs,
				    (void *)(uintptr_t)(i + 1)) >= 0);
		assert_int_equal(fake_device_run(q, &seen), 1);
		assert_true(virtq_get_used(q, &token, &len));
		assert_ptr_equal(token, (void *)(uintptr_t)(i + 1));
	}
	assert_int_equal(q->num_free, 4);
	assert_int_equal(q->avail->idx, (uint16_t)70000);
	free(mem);
	free(q);
}

static void test_check(void **state)
{
	(void)state;
	assert_int_equal(blk_check(0, 512, 8, false, false), D_SUCCESS);
	assert_int_equal(blk_check(7, 512, 8, true, false), D_SUCCESS);
	assert_int_equal(blk_check(0, 4096, 8, false, false), D_SUCCESS);
	assert_int_equal(blk_check(8, 0, 8, false, false), D_SUCCESS);
	assert_int_equal(blk_check(8, 512, 8, false, false), D_INVALID_RECNUM);
	assert_int_equal(blk_check(7, 1024, 8, false, false), D_INVALID_RECNUM);
	assert_int_equal(blk_check(UINT64_MAX, 512, 8, false, false), D_INVALID_RECNUM);
	assert_int_equal(blk_check(0, 100, 8, false, false), D_INVALID_SIZE);
	assert_int_equal(blk_check(0, 513, 8, false, false), D_INVALID_SIZE);
	assert_int_equal(blk_check(0, BLK_MAX_XFER + 512, 1 << 20, false, false), D_INVALID_SIZE);
	assert_int_equal(blk_check(0, BLK_MAX_XFER, 1 << 20, false, false), D_SUCCESS);
	assert_int_equal(blk_check(0, 512, 8, true, true), D_READ_ONLY);
	assert_int_equal(blk_check(0, 512, 8, false, true), D_SUCCESS);
}

static void test_chain(void **state)
{
	struct virtq_seg s[8];

	(void)state;
	assert_int_equal(blk_chain(0x100, 0x10000, 4096, 0x110, false, 0, 0, s, 8), 3);
	assert_int_equal(s[0].paddr, 0x100);
	assert_int_equal(s[0].len, 16);
	assert_false(s[0].device_writes);
	assert_int_equal(s[1].len, 4096);
	assert_true(s[1].device_writes);	/* a read: the device fills the data */
	assert_int_equal(s[2].paddr, 0x110);
	assert_int_equal(s[2].len, 1);
	assert_true(s[2].device_writes);
	assert_int_equal(blk_chain(0x100, 0x10000, 10000, 0x110, true, 4096, 0, s, 8), 5);
	assert_int_equal(s[1].len, 4096);
	assert_int_equal(s[2].paddr, 0x11000);
	assert_int_equal(s[3].len, 10000 - 8192);
	assert_false(s[3].device_writes);	/* a write: the device reads the data */
	assert_int_equal(blk_chain(0, 0, 10000, 0, true, 4096, 2, s, 8), -1);	/* seg_max */
	assert_int_equal(blk_chain(0, 0, 10000, 0, true, 4096, 3, s, 8), 5);
	assert_int_equal(blk_chain(0, 0, 10000, 0, true, 4096, 0, s, 4), -1);	/* room */
	assert_int_equal(blk_chain(0, 0, 0, 0, true, 0, 0, s, 2), 2);
}

static void test_pool(void **state)
{
	struct blk_pool p;

	(void)state;
	blk_pool_init(&p, 16);
	assert_int_equal(blk_pool_alloc(&p, 4), 0);
	assert_int_equal(blk_pool_alloc(&p, 8), 4);
	assert_int_equal(blk_pool_alloc(&p, 5), -1);
	assert_int_equal(blk_pool_alloc(&p, 0), -1);
	blk_pool_free(&p, 0, 4);
	assert_int_equal(blk_pool_alloc(&p, 5), -1);	/* 4 + 4 free, not together */
	assert_int_equal(blk_pool_alloc(&p, 4), 0);	/* first fit */
	blk_pool_free(&p, 4, 8);
	assert_int_equal(blk_pool_alloc(&p, 12), 4);
	blk_pool_free(&p, 10, 100);			/* out of range: ignored */
	assert_int_equal(blk_pool_alloc(&p, 1), -1);
	blk_pool_init(&p, 100000);
	assert_int_equal(p.pages, BLK_POOL_PAGES);
	assert_int_equal(blk_pages(0), 1);
	assert_int_equal(blk_pages(512), 1);
	assert_int_equal(blk_pages(4097), 2);
	assert_int_equal(blk_pages(BLK_MAX_XFER), BLK_MAX_XFER / BLK_PAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_legacy_size),
		cmocka_unit_test(test_init_layout),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_in_flight_and_full),
		cmocka_unit_test(test_index_wrap),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_pool),
	};

	return cmocka_run_group_tests_name("block", tests, NULL, NULL);
}
