/*
 * block: a virtio-blk driver over the legacy (virtio 0.9.5) PCI interface, serving the
 * disk as device "hd0" through lib/device: reads and writes of whole 512-byte sectors at
 * recnum, through DMA bounce buffers, several requests in flight, completion by
 * interrupt. Its manifest entry grants the function's I/O BAR0, its interrupt line, DMA
 * memory and the pci port (servers/block/README.md).
 */
#include <stdio.h>
#include <string.h>
#include <device/pci.h>
#include <device/pci_types.h>
#include "device_server.h"
#include "portio.h"
#include "blk.h"

/* Legacy virtio-pci registers (offsets in BAR0), without MSI-X. */
#define VIRTIO_HOST_FEATURES	0x00
#define VIRTIO_GUEST_FEATURES	0x04
#define VIRTIO_QUEUE_PFN	0x08
#define VIRTIO_QUEUE_NUM	0x0c
#define VIRTIO_QUEUE_SEL	0x0e
#define VIRTIO_QUEUE_NOTIFY	0x10
#define VIRTIO_STATUS		0x12
#define VIRTIO_ISR		0x13
#define VIRTIO_CONFIG		0x14	/* virtio-blk: capacity (u64), size_max, seg_max */
#define VIRTIO_REGS		0x20	/* what we touch of BAR0 */
#define VIRTIO_QUEUE_PFN_SHIFT	12

#define STATUS_ACKNOWLEDGE	1
#define STATUS_DRIVER		2
#define STATUS_DRIVER_OK	4
#define STATUS_FAILED		128

#define BLK_F_SIZE_MAX		(1u << 1)
#define BLK_F_SEG_MAX		(1u << 2)
#define BLK_F_RO		(1u << 5)
#define BLK_F_BLK_SIZE		(1u << 6)
#define BLK_FEATURES		(BLK_F_SIZE_MAX | BLK_F_SEG_MAX | BLK_F_RO | BLK_F_BLK_SIZE)

#define VIRTIO_VENDOR_BLK	0x10011af4u	/* 1af4:1001, transitional virtio-blk */
#define BLK_MAX_REQS		64
#define HDR_SLOT		32	/* header, then the status byte, per request slot */

_Static_assert(BLK_MAX_REQS * HDR_SLOT <= BLK_PAGE, "request headers fit one page");

struct blk_req {
	struct device_io *io;
	char *buf;		/* the caller's: destination of a read, source of a write */
	size_t count;
	uint64_t sector;
	bool write, in_use;
	int page;		/* first bounce-pool page, -1 until submitted */
	struct blk_req *next;	/* waiting list */
};

static uint16_t iobase;
static uint64_t capacity;	/* sectors */
static bool read_only;
static uint32_t size_max, seg_max;
static struct virtq vq;
static char *hdrs, *pool;	/* DMA: request headers, bounce pool */
static uint64_t hdrs_paddr, pool_paddr;
static struct blk_pool pool_pages;
static struct blk_req reqs[BLK_MAX_REQS];
static struct blk_req *wait_head, *wait_tail;	/* accepted, not yet on the ring */

/* ---- the device */

static kern_return_t blk_device_init(void)
{
	uint32_t features;
	unsigned n;
	size_t ring_size, total;
	void *dma;
	uint64_t paddr;
	kern_return_t kr;

	/* Reset first: a previous instance may have left the queue running. */
	outb(iobase + VIRTIO_STATUS, 0);
	outb(iobase + VIRTIO_STATUS, STATUS_ACKNOWLEDGE);
	outb(iobase + VIRTIO_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
	features = inl(iobase + VIRTIO_HOST_FEATURES) & BLK_FEATURES;
	outl(iobase + VIRTIO_GUEST_FEATURES, features);
	read_only = features & BLK_F_RO;

	outw(iobase + VIRTIO_QUEUE_SEL, 0);
	n = inw(iobase + VIRTIO_QUEUE_NUM);
	ring_size = virtq_legacy_size(n);
	total = ring_size + BLK_PAGE + BLK_POOL_PAGES * BLK_PAGE;
	kr = device_dma_alloc(total, &dma, &paddr);
	if (kr != KERN_SUCCESS || !virtq_init(&vq, n, dma) || paddr % VIRTQ_ALIGN) {
		outb(iobase + VIRTIO_STATUS, STATUS_FAILED);
		printf("block: queue 0 of %u entries: %s (%d)\n", n,
		       kr != KERN_SUCCESS ? "no DMA memory" : "unusable", kr);
		return kr != KERN_SUCCESS ? kr : KERN_FAILURE;
	}
	hdrs = (char *)dma + ring_size;
	hdrs_paddr = paddr + ring_size;
	pool = hdrs + BLK_PAGE;
	pool_paddr = hdrs_paddr + BLK_PAGE;
	blk_pool_init(&pool_pages, BLK_POOL_PAGES);
	outl(iobase + VIRTIO_QUEUE_PFN, (uint32_t)(paddr >> VIRTIO_QUEUE_PFN_SHIFT));

	capacity = inl(iobase + VIRTIO_CONFIG) | (uint64_t)inl(iobase + VIRTIO_CONFIG + 4) << 32;
	size_max = features & BLK_F_SIZE_MAX ? inl(iobase + VIRTIO_CONFIG + 8) : 0;
	seg_max = features & BLK_F_SEG_MAX ? inl(iobase + VIRTIO_CONFIG + 12) : 0;
	outb(iobase + VIRTIO_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_DRIVER_OK);
	return KERN_SUCCESS;
}

/* Puts `r` on the ring if the pool and the ring have room; false leaves it waiting. */
static bool blk_submit(struct blk_req *r)
{
	struct virtq_seg segs[BLK_MAX_SEGS];
	int slot = (int)(r - reqs), n;
	unsigned pages = blk_pages(r->count);
	struct virtio_blk_hdr *h = (struct virtio_blk_hdr *)(hdrs + slot * HDR_SLOT);
	uint64_t hdr_paddr = hdrs_paddr + slot * HDR_SLOT;

	r->page = blk_pool_alloc(&pool_pages, pages);
	if (r->page < 0)
		return false;
	n = blk_chain(hdr_paddr, pool_paddr + (uint64_t)r->page * BLK_PAGE, r->count,
		      hdr_paddr + sizeof(*h), r->write, size_max, seg_max, segs, BLK_MAX_SEGS);
	*h = (struct virtio_blk_hdr){ .type = r->write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN,
				      .sector = r->sector };
	hdrs[slot * HDR_SLOT + sizeof(*h)] = (char)0xff;	/* not yet written by the device */
	if (r->write)
		memcpy(pool + (size_t)r->page * BLK_PAGE, r->buf, r->count);
	if (n < 0 || virtq_add(&vq, segs, (unsigned)n, r) < 0) {
		blk_pool_free(&pool_pages, (unsigned)r->page, pages);
		r->page = -1;
		return false;
	}
	return true;
}

/* Submits waiting requests in order until one does not fit; then notifies once. */
static void blk_start_waiting(void)
{
	bool kick = false;

	while (wait_head && blk_submit(wait_head)) {
		wait_head = wait_head->next;
		if (!wait_head)
			wait_tail = NULL;
		kick = true;
	}
	if (kick)
		outw(iobase + VIRTIO_QUEUE_NOTIFY, 0);
}

/* Answers every finished request, then starts what was waiting for room. */
static void blk_interrupt(int line)
{
	void *token;
	uint32_t len;

	(void)line;
	/* Reading the ISR lowers the (level) interrupt; the ring is looked at regardless. */
	(void)inb(iobase + VIRTIO_ISR);
	while (virtq_get_used(&vq, &token, &len)) {
		struct blk_req *r = token;
		int slot, rc;

		if (!r)
			continue;
		slot = (int)(r - reqs);
		rc = hdrs[slot * HDR_SLOT + sizeof(struct virtio_blk_hdr)] == VIRTIO_BLK_S_OK ?
			D_SUCCESS : D_IO_ERROR;
		if (rc == D_SUCCESS && !r->write)
			memcpy(r->buf, pool + (size_t)r->page * BLK_PAGE, r->count);
		blk_pool_free(&pool_pages, (unsigned)r->page, blk_pages(r->count));
		r->in_use = false;
		device_io_done(r->io, rc, rc == D_SUCCESS ? r->count : 0);
	}
	blk_start_waiting();
}

/* ---- device "hd0" */

static const char *const blk_names[] = { "hd0", NULL };

static int blk_open(const char *name, dev_mode_t mode, void **cookie)
{
	(void)name, (void)mode, (void)cookie;
	return D_SUCCESS;
}

/* Checks and queues one transfer; answered by blk_interrupt through device_io_done. */
static int blk_rw(struct device_io *io, recnum_t recnum, char *buf, size_t count, bool write)
{
	struct virtq_seg segs[BLK_MAX_SEGS];
	struct blk_req *r = NULL;
	int rc = blk_check(recnum, count, capacity, write, read_only);

	if (rc != D_SUCCESS || count == 0)
		return rc;
	/* A chain longer than the whole ring would wait for ever. */
	if (blk_chain(0, 0, count, 0, write, size_max, seg_max, segs,
		      vq.size < BLK_MAX_SEGS ? vq.size : BLK_MAX_SEGS) < 0)
		return D_INVALID_SIZE;
	for (int i = 0; i < BLK_MAX_REQS && !r; i++)
		if (!reqs[i].in_use)
			r = &reqs[i];
	if (!r)
		return D_NO_MEMORY;
	*r = (struct blk_req){ .io = io, .buf = buf, .count = count, .sector = recnum,
			       .write = write, .in_use = true, .page = -1 };
	if (wait_tail)
		wait_tail->next = r;
	else
		wait_head = r;
	wait_tail = r;
	blk_start_waiting();
	return DEVICE_PENDING;
}

static int blk_read(void *cookie, struct device_io *io, recnum_t recnum, char *buf, size_t *count)
{
	(void)cookie;
	return blk_rw(io, recnum, buf, *count, false);
}

static int blk_write(void *cookie, struct device_io *io, recnum_t recnum, const char *buf,
		     size_t count, size_t *written)
{
	(void)cookie;
	*written = 0;
	return blk_rw(io, recnum, (char *)buf, count, true);
}

static int blk_get_status(void *cookie, dev_flavor_t flavor, int *status, size_t *count)
{
	uint64_t bytes = capacity * BLK_SECTOR;

	(void)cookie;
	if (flavor != DEV_GET_SIZE && flavor != DEV_GET_RECORDS)
		return D_INVALID_OPERATION;
	if (*count < DEV_GET_SIZE_COUNT)
		return D_INVALID_SIZE;
	if (flavor == DEV_GET_SIZE)
		/* GNU Mach's word is an int: 0 ("unknown") for a disk of 2 GiB or more. */
		status[DEV_GET_SIZE_DEVICE_SIZE] = bytes < 0x80000000u ? (int)bytes : 0;
	else
		status[DEV_GET_RECORDS_DEVICE_RECORDS] = capacity < 0x80000000u ? (int)capacity : 0;
	status[DEV_GET_SIZE_RECORD_SIZE] = BLK_SECTOR;
	*count = DEV_GET_SIZE_COUNT;
	return D_SUCCESS;
}

static const struct device_ops blk_ops = {
	.names = blk_names, .open = blk_open, .read = blk_read, .write = blk_write,
	.get_status = blk_get_status, .interrupt = blk_interrupt,
};

/*
 * Makes sure the function decodes I/O and may master the bus (bootstrap did so when it
 * granted the BAR; a restarted server must not depend on it): finds the transitional
 * virtio-blk function whose BAR0 is ours through the pci server.
 */
static void blk_pci_enable(void)
{
	mach_port_t pci;
	int count, loc, id, class, irq;
	pci_bar_array_t base, size, flags;

	if (device_lookup("pci", &pci) != KERN_SUCCESS || pci_device_count(pci, &count) != KERN_SUCCESS)
		return;
	for (int i = 0; i < count; i++)
		if (pci_device_info(pci, i, &loc, &id, &class, &irq, base, size, flags) == KERN_SUCCESS &&
		    (uint32_t)id == VIRTIO_VENDOR_BLK && base[0] == iobase) {
			pci_device_enable(pci, i, PCI_COMMAND_IO | PCI_COMMAND_MASTER);
			return;
		}
}

int main(void)
{
	uint64_t first, count;
	int line;
	kern_return_t kr;
	char status[96];

	kr = device_io_enable(0, &first, &count);
	if (kr != KERN_SUCCESS || count < VIRTIO_REGS || first + count > 0x10000) {
		printf("block: no usable I/O BAR0 grant (%d)\n", kr);
		return 1;
	}
	iobase = (uint16_t)first;
	kr = device_irq_attach(0, &line);
	if (kr != KERN_SUCCESS) {
		printf("block: no interrupt grant (%d)\n", kr);
		return 1;
	}
	blk_pci_enable();
	if (blk_device_init() != KERN_SUCCESS)
		return 1;
	snprintf(status, sizeof(status), "virtio-blk hd0: %llu sectors%s",
		 (unsigned long long)capacity, read_only ? ", read-only" : "");
	kr = device_server_main(&blk_ops, status);
	printf("block: device loop ended (%d)\n", kr);
	return 1;
}
