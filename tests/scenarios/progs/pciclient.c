/*
 * pciclient: the client of pci.scn. Lists the functions the pci server found through
 * pci.defs (the port bootstrap registered as "pci") and through device "pci" (the text
 * listing); the virtio-blk disk pci.scn adds must be in both. Then bad requests, and the
 * server killed through bootstrap_server_task: bootstrap restarts it, and the new
 * instance registers again with the same findings. Manifest: port pci, port
 * device-master, task pci, and QEMU's exit device, with which it ends the run.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <device/device.h>
#include <device/pci.h>
#include <device/pci_types.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include <mach/message.h>
#include <mach/mig_errors.h>
#include <bootstrap/bootstrap.h>
#include <bootstrap/bootstrap_user.h>
#include "mach_test.h"
#include "test.h"

#define VIRTIO_BLK	0x10011af4	/* device << 16 | vendor */
#define CLASS_SCSI	0x010000	/* mass storage, SCSI: what virtio-blk reports */
#define RESTART_POLLS	2000		/* of 10 ms */

static mach_port_t self, bootstrap;

static bool contains(const char *text, const char *what)
{
	size_t n = strlen(what);

	for (; *text; text++)
		if (strncmp(text, what, n) == 0)
			return true;
	return false;
}

/* The index of the virtio-blk function, or -1; checks what pci_device_info says of it. */
static int find_virtio_blk(mach_port_t pci, int count, char *loc_text, size_t size)
{
	for (int i = 0; i < count; i++) {
		int loc, id, class, irq;
		pci_bar_array_t base, bsize, flags;

		if (pci_device_info(pci, i, &loc, &id, &class, &irq, base, bsize, flags) != KERN_SUCCESS)
			return -1;
		if (id != VIRTIO_BLK)
			continue;
		snprintf(loc_text, size, "%02x:%02x.%x 1af4:1001 class %06x", loc >> 8, (loc >> 3) & 31,
			 loc & 7, (unsigned)class >> 8);
		/* Legacy virtio: BAR0 is I/O, at least the 0x20 bytes of common registers. */
		if (!(flags[0] & PCI_BAR_IO) || bsize[0] < 0x20 || base[0] == 0 || irq == 255 ||
		    ((unsigned)class >> 8) != CLASS_SCSI) {
			printf("pciclient: virtio-blk bar0 0x%lx/%lu flags %lu irq %d class %x\n",
			       (unsigned long)base[0], (unsigned long)bsize[0], (unsigned long)flags[0], irq, class);
			return -1;
		}
		return i;
	}
	return -1;
}

/* Device "pci"'s whole listing, NUL-terminated, in `text`; the number of lines or -1. */
static int read_listing(mach_port_t master, char *text, size_t size)
{
	mach_port_t dev;
	io_buf_ptr_t data = NULL;
	mach_msg_type_number_t n = 0;
	int lines = 0;

	if (device_open(master, D_READ, "pci", &dev) != D_SUCCESS)
		return -1;
	if (device_read(dev, 0, 0, (int)size - 1, &data, &n) != D_SUCCESS || n == 0 || n >= size) {
		device_close(dev);
		return -1;
	}
	memcpy(text, data, n);
	text[n] = 0;
	vm_deallocate(self, (vm_address_t)data, n);
	/* Past the end: nothing, and end of data. */
	data = NULL;
	if (device_read(dev, 0, n, 100, &data, &(mach_msg_type_number_t){ 0 }) != D_SUCCESS)
		lines = -1;
	for (char *p = text; lines >= 0 && *p; p++)
		lines += *p == '\n';
	device_close(dev);
	mach_port_deallocate(self, dev);
	return lines;
}

/* The pci port once the restarted server has registered it (bounded wait). */
static mach_port_t lookup_new(mach_port_t old)
{
	mach_port_t pci = MACH_PORT_NULL;
	int count;

	for (int i = 0; i < RESTART_POLLS; i++) {
		if (bootstrap_lookup(bootstrap, "pci", &pci) == KERN_SUCCESS) {
			if (pci != old && pci_device_count(pci, &count) == KERN_SUCCESS)
				return pci;
			mach_port_deallocate(self, pci);
		}
		test_pause_ms(10);
	}
	return MACH_PORT_NULL;
}

int main(void)
{
	static char text[32768];
	mach_port_t pci = MACH_PORT_NULL, master = MACH_PORT_NULL, task, again;
	int count = 0, count2 = -1, index, lines;
	char loc_text[64] = "";
	int loc, id, class, irq;
	pci_bar_array_t base, size, flags;

	self = mach_task_self();
	bootstrap = test_bootstrap_port();
	if (!TEST_CHECK("pci-setup", MACH_PORT_VALID(bootstrap) && bootstrap_lookup(bootstrap, "pci", &pci) == KERN_SUCCESS &&
			test_device_master(&master)))
		goto done;
	/* QEMU's i440FX machine: host bridge, ISA, IDE, ACPI, VGA, NIC, and the disk. */
	TEST_CHECK("pci-count", pci_device_count(pci, &count) == KERN_SUCCESS && count >= 5);
	index = find_virtio_blk(pci, count, loc_text, sizeof(loc_text));
	TEST_CHECK("pci-virtio-blk", index >= 0);
	TEST_CHECK("pci-info-bounds", pci_device_info(pci, count, &loc, &id, &class, &irq, base, size, flags) ==
		   KERN_INVALID_ARGUMENT && pci_device_info(pci, -1, &loc, &id, &class, &irq, base, size, flags) ==
		   KERN_INVALID_ARGUMENT);
	TEST_CHECK("pci-enable-bad", pci_device_enable(pci, 0, 8) == KERN_INVALID_ARGUMENT &&
		   pci_device_enable(pci, count, PCI_COMMAND_IO) == KERN_INVALID_ARGUMENT);
	TEST_CHECK("pci-enable", index >= 0 &&
		   pci_device_enable(pci, index, PCI_COMMAND_IO | PCI_COMMAND_MASTER) == KERN_SUCCESS);
	lines = read_listing(master, text, sizeof(text));
	if (!TEST_CHECK("pci-listing", lines == count && index >= 0 && contains(text, loc_text)))
		printf("pciclient: %d lines for %d functions, want \"%s\" in:\n%s", lines, count, loc_text, text);
	TEST_CHECK("pci-bad-id", test_raw_request(pci, 5799, sizeof(mach_msg_header_t)) == MIG_BAD_ID &&
		   test_raw_request(pci, 5701, sizeof(mach_msg_header_t)) == MIG_BAD_ARGUMENTS &&
		   pci_device_count(pci, &count2) == KERN_SUCCESS && count2 == count);

	if (!TEST_CHECK("pci-kill", bootstrap_server_task(bootstrap, "pci", &task) == KERN_SUCCESS &&
			task_terminate(task) == KERN_SUCCESS))
		goto done;
	mach_port_deallocate(self, task);
	again = lookup_new(pci);
	count2 = -1;
	TEST_CHECK("pci-restart", again != MACH_PORT_NULL && pci_device_count(again, &count2) == KERN_SUCCESS &&
		   count2 == count && find_virtio_blk(again, count2, loc_text, sizeof(loc_text)) == index);
	TEST_CHECK("pci-restart-listing", read_listing(master, text, sizeof(text)) == count &&
		   contains(text, loc_text));
done:
	test_done();
	test_end_run();
	return 0;
}
