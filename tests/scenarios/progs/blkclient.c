/*
 * blkclient: the client of block.scn. Opens "hd0" (servers/block) through bootstrap's
 * device master and works the disk: on the first boot (no magic in sector 0) it writes
 * a pattern (one sector, several, 128 KiB in one request, the last sector), reads it
 * back and writes the magic; on the second it finds everything still there. Then, every
 * boot: several requests in flight at once, bad recnums and sizes, malformed requests,
 * and the server killed through bootstrap_server_task: bootstrap restarts it, the new
 * instance resets the device, and the client reopens and reads it all again.
 * Manifest: port device-master, task block, and QEMU's exit device, with which it ends
 * the run (bootstrap and the servers serve forever).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <device/device.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include <mach/message.h>
#include <mach/mig_errors.h>
#include <bootstrap/bootstrap.h>
#include <bootstrap/bootstrap_user.h>
#include "device_test.h"
#include "mach_test.h"
#include "test.h"

#define SECTOR		512
#define SECTORS		8192		/* the 4 MiB image block.scn creates */
#define MAGIC		"blkclient magic v1"
#define BIG		(128 * 1024)	/* one write over 64 KiB (the most one read returns) */
#define READ_MAX	65536
#define IN_FLIGHT	4
#define RESTART_WAIT_MS	20000		/* for bootstrap's back-off */

struct region {
	recnum_t sector;
	size_t bytes;
};

static const struct region regions[] = {
	{ 1, SECTOR },			/* one sector */
	{ 10, 8 * SECTOR },		/* several, one request */
	{ 100, BIG },			/* over 64 KiB, one request */
	{ SECTORS - 1, SECTOR },	/* the last */
};
#define NREGIONS	(sizeof(regions) / sizeof(regions[0]))

static mach_port_t self, master;
static char buf[BIG];

/* The pattern byte at byte `i` of sector `s`: differs per sector and per offset. */
static char pattern(recnum_t s, size_t i)
{
	return (char)((s * 131 + i * 7 + (i >> 9) * 13 + 0x5a) & 0xff);
}

static void fill(const struct region *r)
{
	for (size_t i = 0; i < r->bytes; i++)
		buf[i] = pattern(r->sector + i / SECTOR, i % SECTOR);
}

/* Reads `bytes` at `sector` into buf, in pieces of at most READ_MAX; the D_* result. */
static kern_return_t read_into(mach_port_t dev, recnum_t sector, size_t bytes)
{
	for (size_t done = 0; done < bytes;) {
		io_buf_ptr_t data = NULL;
		mach_msg_type_number_t n = 0;
		size_t want = bytes - done > READ_MAX ? READ_MAX : bytes - done;
		kern_return_t kr = device_read(dev, 0, sector + done / SECTOR, (int)want, &data, &n);

		if (kr != D_SUCCESS)
			return kr;
		if (n != want) {
			vm_deallocate(self, (vm_address_t)data, n);
			printf("blkclient: read of %zu at %lu gave %u\n", want, (unsigned long)sector, n);
			return KERN_FAILURE;
		}
		memcpy(buf + done, data, n);
		vm_deallocate(self, (vm_address_t)data, n);
		done += n;
	}
	return D_SUCCESS;
}

static bool region_write(mach_port_t dev, const struct region *r)
{
	int written = 0;

	fill(r);
	return device_write(dev, 0, r->sector, buf, (mach_msg_type_number_t)r->bytes, &written) ==
		       D_SUCCESS && written == (int)r->bytes;
}

static bool region_check(mach_port_t dev, const struct region *r)
{
	if (read_into(dev, r->sector, r->bytes) != D_SUCCESS)
		return false;
	for (size_t i = 0; i < r->bytes; i++)
		if (buf[i] != pattern(r->sector + i / SECTOR, i % SECTOR)) {
			printf("blkclient: sector %lu byte %zu differs\n",
			       (unsigned long)(r->sector + i / SECTOR), i % SECTOR);
			return false;
		}
	return true;
}

static bool all_regions_check(mach_port_t dev)
{
	for (size_t i = 0; i < NREGIONS; i++)
		if (!region_check(dev, &regions[i]))
			return false;
	return true;
}

static bool has_magic(mach_port_t dev)
{
	return read_into(dev, 0, SECTOR) == D_SUCCESS && memcmp(buf, MAGIC, sizeof(MAGIC)) == 0;
}

static bool sizes_right(mach_port_t dev)
{
	int st[DEV_STATUS_MAX];
	mach_msg_type_number_t n = DEV_STATUS_MAX;
	bool ok = device_get_status(dev, DEV_GET_SIZE, st, &n) == D_SUCCESS && n == DEV_GET_SIZE_COUNT &&
		  st[DEV_GET_SIZE_DEVICE_SIZE] == SECTORS * SECTOR && st[DEV_GET_SIZE_RECORD_SIZE] == SECTOR;

	n = DEV_STATUS_MAX;
	return ok && device_get_status(dev, DEV_GET_RECORDS, st, &n) == D_SUCCESS &&
	       n == DEV_GET_RECORDS_COUNT && st[DEV_GET_RECORDS_DEVICE_RECORDS] == SECTORS &&
	       device_get_status(dev, 99, st, &n) == D_INVALID_OPERATION;
}

static void first_boot(mach_port_t dev)
{
	int written;
	bool ok = true;

	for (size_t i = 0; i < NREGIONS; i++)
		ok = region_write(dev, &regions[i]) && ok;
	TEST_CHECK("blk-write", ok);
	TEST_CHECK("blk-read-back", all_regions_check(dev));
	memset(buf, 0, SECTOR);
	memcpy(buf, MAGIC, sizeof(MAGIC));
	if (TEST_CHECK("blk-magic", device_write(dev, 0, 0, buf, SECTOR, &written) == D_SUCCESS &&
		       written == SECTOR && has_magic(dev)))
		printf("block: first boot: written\n");
}

/* One type descriptor and its value, as our mig lays out a request (8 + 8 bytes). */
static char *put_int(char *p, unsigned name, unsigned bits, uint64_t value)
{
	uint32_t word = name | bits << 8 | 0x20000000u, number = 1;	/* inline */

	memcpy(p, &word, 4);
	memcpy(p + 4, &number, 4);
	memcpy(p + 8, &value, bits / 8);
	return p + 16;
}

/*
 * IN_FLIGHT device_read requests of 64 KiB sent before any reply is read, each with its
 * own reply port; then each answer is checked against region 2 (sectors 100 on).
 */
static bool in_flight(mach_port_t dev)
{
	union { mach_msg_header_t h; mig_reply_header_t rep; char b[256]; } m;
	mach_port_t reply[IN_FLIGHT];
	bool ok = true;

	for (int i = 0; i < IN_FLIGHT; i++) {
		char *p = m.b + sizeof(m.h);

		if (mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &reply[i]) != KERN_SUCCESS)
			return false;
		memset(&m, 0, sizeof(m));
		p = put_int(p, MACH_MSG_TYPE_INTEGER_32, 32, 0);
		p = put_int(p, MACH_MSG_TYPE_INTEGER_64, 64, 100 + (i % 2) * 128);
		p = put_int(p, MACH_MSG_TYPE_INTEGER_32, 32, READ_MAX);
		m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
		m.h.msgh_size = (mach_msg_size_t)(p - m.b);
		m.h.msgh_remote_port = dev;
		m.h.msgh_local_port = reply[i];
		m.h.msgh_id = 2804;	/* device_read */
		ok = mach_msg(&m.h, MACH_SEND_MSG, m.h.msgh_size, 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
			      MACH_PORT_NULL) == MACH_MSG_SUCCESS && ok;
	}
	for (int i = 0; i < IN_FLIGHT; i++) {
		char *p = m.b + sizeof(mig_reply_header_t), *data;
		uint32_t n;
		recnum_t first = 100 + (i % 2) * 128;

		if (mach_msg(&m.h, MACH_RCV_MSG, 0, sizeof(m), reply[i], MACH_MSG_TIMEOUT_NONE,
			     MACH_PORT_NULL) != MACH_MSG_SUCCESS || m.h.msgh_id != 2904 || m.rep.RetCode != D_SUCCESS) {
			ok = false;
		} else {
			memcpy(&n, p + 4, 4);
			memcpy(&data, p + 8, sizeof(data));
			for (uint32_t k = 0; k < n && ok; k++)
				ok = data[k] == pattern(first + k / SECTOR, k % SECTOR);
			ok = ok && n == READ_MAX;
			vm_deallocate(self, (vm_address_t)data, n);
		}
		mach_port_mod_refs(self, reply[i], MACH_PORT_RIGHT_RECEIVE, -1);
	}
	return ok;
}

static void bad_requests(mach_port_t dev)
{
	io_buf_ptr_t data = NULL;
	mach_msg_type_number_t n = 0;
	char inband[IO_INBAND_MAX];
	int written = 0;

	TEST_CHECK("blk-bad-recnum", device_read(dev, 0, SECTORS, SECTOR, &data, &n) == D_INVALID_RECNUM &&
		   device_read(dev, 0, SECTORS - 1, 2 * SECTOR, &data, &n) == D_INVALID_RECNUM &&
		   device_read(dev, 0, (recnum_t)-1, SECTOR, &data, &n) == D_INVALID_RECNUM &&
		   device_write(dev, 0, SECTORS, buf, SECTOR, &written) == D_INVALID_RECNUM);
	TEST_CHECK("blk-bad-size", device_read(dev, 0, 0, 100, &data, &n) == D_INVALID_SIZE &&
		   device_write(dev, 0, 0, buf, 1000, &written) == D_INVALID_SIZE &&
		   device_write_inband(dev, 0, 0, inband, sizeof(inband), &written) == D_INVALID_SIZE);
	TEST_CHECK("blk-bad-id", test_raw_request(dev, 2899, sizeof(mach_msg_header_t)) == MIG_BAD_ID);
	TEST_CHECK("blk-truncated", test_raw_request(dev, 2804, sizeof(mach_msg_header_t)) == MIG_BAD_ARGUMENTS &&
		   test_raw_request(dev, 2811, sizeof(mach_msg_header_t) + 8) == MIG_BAD_ARGUMENTS);
	TEST_CHECK("blk-serves-after-bad", sizes_right(dev) && region_check(dev, &regions[0]));
}

static void restart(mach_port_t bootstrap, mach_port_t dev)
{
	mach_port_t task = MACH_PORT_NULL, dev2 = MACH_PORT_NULL;
	mach_port_type_t type = 0;
	kern_return_t kr;

	if (!TEST_CHECK("blk-kill", bootstrap_server_task(bootstrap, "block", &task) == KERN_SUCCESS &&
			task_terminate(task) == KERN_SUCCESS))
		return;
	mach_port_deallocate(self, task);
	TEST_CHECK("blk-old-port-dead", mach_port_type(self, dev, &type) == KERN_SUCCESS &&
		   type == MACH_PORT_TYPE_DEAD_NAME);
	kr = test_device_open(master, D_READ | D_WRITE, "hd0", &dev2, RESTART_WAIT_MS);
	if (!TEST_CHECK("blk-restart-reopen", kr == D_SUCCESS))
		printf("blkclient: reopen after restart: 0x%x\n", kr);
	TEST_CHECK("blk-restart-data", kr == D_SUCCESS && has_magic(dev2) && all_regions_check(dev2) &&
		   sizes_right(dev2));
}

int main(void)
{
	mach_port_t bootstrap, dev = MACH_PORT_NULL;

	self = mach_task_self();
	if (!TEST_CHECK("blk-setup", MACH_PORT_VALID(bootstrap = test_bootstrap_port()) && test_device_master(&master)) ||
	    !TEST_CHECK("blk-open", test_device_open(master, D_READ | D_WRITE, "hd0", &dev, 0) == D_SUCCESS))
		goto done;
	TEST_CHECK("blk-size", sizes_right(dev));
	if (has_magic(dev)) {
		if (TEST_CHECK("blk-persisted", all_regions_check(dev)))
			printf("block: second boot: data persisted\n");
	} else {
		first_boot(dev);
	}
	TEST_CHECK("blk-in-flight", in_flight(dev));
	bad_requests(dev);
	if (has_magic(dev))
		restart(bootstrap, dev);
done:
	test_done();
	test_end_run();
	return 0;
}
