/*
 * bsclient: bootstrap.scn's client, started by bootstrap from tests/scenarios/
 * bootstrap.manifest. Through its bootstrap port it checks the name service (granted and
 * refused lookups, registration conflicts), boot modules (granted: their exact bytes;
 * refused), each kind of capability (granted, used, and absent past the last), device_open forwarded to bstdev, malformed requests, and a
 * kill-and-restart of bstdev (dead-name notification, reopen). Bootstrap and the servers
 * wait for requests forever, so idle=exit cannot end the run: the client ends it itself
 * through QEMU's exit device, whose port (0xf4) its manifest entry grants.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <bootstrap/bootstrap.h>
#include <bootstrap/bootstrap_user.h>
#include <device/device.h>
#include <device/device_caps.h>
#include <mach/gnumach.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include <mach/mig_errors.h>
#include <mach/notify.h>
#include <mach/task_special_ports.h>
#include <mach/vm_prot.h>
#include <mach/x86_64/mach_i386.h>
#include "device_test.h"
#include "mach_test.h"
#include "test.h"

static mach_port_t self, boot, master;

/* bstdev registers its device just after its status line: try for at most 10 s. */
static kern_return_t open_tdev(mach_port_t *dev)
{
	return test_device_open(master, D_READ, "tdev", dev, 10000);
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static void names(void)
{
	mach_port_t p = MACH_PORT_NULL, mine;

	TEST_CHECK("bs-lookup-granted", bootstrap_lookup(boot, BOOTSTRAP_DEVICE_MASTER, &master) == KERN_SUCCESS &&
		   MACH_PORT_VALID(master) && bootstrap_lookup(boot, "tdev-svc", &p) == KERN_SUCCESS &&
		   MACH_PORT_VALID(p));
	TEST_CHECK("bs-lookup-refused", bootstrap_lookup(boot, "secret-svc", &p) == KERN_NO_ACCESS &&
		   bootstrap_lookup(boot, "unregistered", &p) == KERN_INVALID_NAME);
	mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &mine);
	mach_port_insert_right(self, mine, mine, MACH_MSG_TYPE_MAKE_SEND);
	TEST_CHECK("bs-register", bootstrap_register(boot, "client-svc", mine) == KERN_SUCCESS &&
		   bootstrap_register(boot, "client-svc", mine) == KERN_SUCCESS &&
		   bootstrap_register(boot, "tdev-svc", mine) == KERN_NAME_EXISTS &&
		   bootstrap_register(boot, BOOTSTRAP_DEVICE_MASTER, mine) == KERN_NAME_EXISTS &&
		   bootstrap_device_register(boot, "tdev", mine) == KERN_NAME_EXISTS &&
		   bootstrap_register(boot, "", mine) == KERN_INVALID_ARGUMENT &&
		   bootstrap_register(boot, "null-svc", MACH_PORT_NULL) == KERN_INVALID_ARGUMENT);
	TEST_CHECK("bs-server-task-refused", bootstrap_server_task(boot, "secret", &p) == KERN_NO_ACCESS &&
		   bootstrap_server_task(boot, "slow-gone", &p) == KERN_INVALID_NAME);
}

/* The data module of bootstrap.scn (tests/scenarios/bootstrap-module.txt), byte for byte. */
#define DATA_BYTES	"bootstrap_module test data: exactly these bytes, 0123456789\n"

static void modules(void)
{
	vm_offset_t data = 0, elf = 0;
	mach_msg_type_number_t n = 0, elf_n = 0;
	char last = 0;
	bool ok;

	ok = bootstrap_module(boot, "bs-data", &data, &n) == KERN_SUCCESS &&
	     n == sizeof(DATA_BYTES) - 1 && memcmp((void *)data, DATA_BYTES, n) == 0 &&
	     vm_deallocate(self, data, n) == KERN_SUCCESS;
	/* A server's image, several pages: an ELF file, ours to write and give back. */
	ok = ok && bootstrap_module(boot, "bstdev", &elf, &elf_n) == KERN_SUCCESS &&
	     elf_n > 2 * 4096 && memcmp((void *)elf, "\177ELF", 4) == 0;
	if (ok) {
		last = ((volatile char *)elf)[elf_n - 1];
		((volatile char *)elf)[elf_n - 1] = (char)~last;
		ok = vm_deallocate(self, elf, elf_n) == KERN_SUCCESS;
	}
	/* Again: bootstrap's copy did not take our write. */
	ok = ok && bootstrap_module(boot, "bstdev", &elf, &elf_n) == KERN_SUCCESS &&
	     ((volatile char *)elf)[elf_n - 1] == last && vm_deallocate(self, elf, elf_n) == KERN_SUCCESS;
	TEST_CHECK("bs-module", ok);
	/* Not granted (they exist), and granted but no such module. */
	TEST_CHECK("bs-module-refused", bootstrap_module(boot, "manifest", &data, &n) == KERN_NO_ACCESS &&
		   bootstrap_module(boot, "bsclient", &data, &n) == KERN_NO_ACCESS &&
		   bootstrap_module(boot, "no-such-module", &data, &n) == KERN_INVALID_NAME);
}

/* Past the last grant of each kind, and kinds that do not exist: refused. */
static bool absent(int kind, int index)
{
	mach_port_t cap;
	uint64_t base, size;

	return bootstrap_capability(boot, kind, index, &cap, &base, &size) == KERN_INVALID_ARGUMENT;
}

static void capabilities(void)
{
	mach_port_t cap = MACH_PORT_NULL, intr;
	uint64_t base = 0, size = 0;
	vm_address_t va = 0;
	rpc_phys_addr_t pa = 0;
	bool ok;

	/* io: the RTC's index and data ports, enabled for us, then used. */
	ok = bootstrap_capability(boot, BOOTSTRAP_CAP_IO, 0, &cap, &base, &size) == KERN_SUCCESS &&
	     base == 0x70 && size == 2 && i386_io_perm_modify(self, cap, 1) == KERN_SUCCESS;
	if (ok) {
		outb(0x70, 0x0a);	/* status register A: its rate bits are never all zero */
		ok = (inb(0x71) & 0x0f) != 0;
	}
	TEST_CHECK("bs-cap-io", ok && absent(BOOTSTRAP_CAP_IO, 2));
	/* irq: accepted by device_intr_register for its line. */
	mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &intr);
	TEST_CHECK("bs-cap-irq", bootstrap_capability(boot, BOOTSTRAP_CAP_IRQ, 0, &cap, &base, &size) ==
		   KERN_SUCCESS && base == 8 && size == 0 &&
		   device_intr_register(cap, 8, 0, intr, MACH_MSG_TYPE_MAKE_SEND) == KERN_SUCCESS && absent(BOOTSTRAP_CAP_IRQ, 1));
	/* mem: VGA text memory, mapped and written. */
	ok = bootstrap_capability(boot, BOOTSTRAP_CAP_MEM, 0, &cap, &base, &size) == KERN_SUCCESS &&
	     base == 0xb8000 && size == 0x1000 &&
	     vm_map(self, &va, 0x1000, 0, 1, cap, 0, 0, VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL, 1) ==
	     KERN_SUCCESS;
	if (ok) {
		((volatile uint16_t *)va)[79] = 0x0742;
		ok = ((volatile uint16_t *)va)[79] == 0x0742;
	}
	TEST_CHECK("bs-cap-mem", ok && absent(BOOTSTRAP_CAP_MEM, 1));
	/* dma: contiguous memory up to the limit, no more. */
	ok = bootstrap_capability(boot, BOOTSTRAP_CAP_DMA, 0, &cap, &base, &size) == KERN_SUCCESS &&
	     size == 0x2000 && vm_allocate_contiguous(cap, self, &va, &pa, 0x2000, 0, 0, 0) == KERN_SUCCESS &&
	     pa != 0 && vm_allocate_contiguous(cap, self, &va, &pa, 0x1000, 0, 0, 0) == KERN_RESOURCE_SHORTAGE;
	TEST_CHECK("bs-cap-dma", ok && absent(BOOTSTRAP_CAP_DMA, 1));
	TEST_CHECK("bs-cap-bad-kind", absent(0, 0) && absent(99, 0) && absent(BOOTSTRAP_CAP_IO, -1));
}

static void device_master(mach_port_t *dev)
{
	mach_port_t other = MACH_PORT_NULL;
	mach_msg_type_number_t n = 8;
	char buf[8];

	TEST_CHECK("bs-open-forwarded", open_tdev(dev) == D_SUCCESS &&
		   test_read_is(*dev, "tdev\n") && test_read_is(*dev, ""));
	TEST_CHECK("bs-open-unknown", device_open(master, D_READ, "nosuch", &other) == D_NO_SUCH_DEVICE &&
		   device_open_new(master, D_READ, "nosuch", &other) == D_NO_SUCH_DEVICE);
	TEST_CHECK("bs-master-not-a-device", device_read_inband(master, 0, 0, 8, buf, &n) == D_INVALID_OPERATION &&
		   device_close(master) == D_INVALID_OPERATION);
}

static void malformed(void)
{
	mach_port_t p;

	TEST_CHECK("bs-bad-id", test_raw_request(boot, 5699, sizeof(mach_msg_header_t)) == MIG_BAD_ID &&
		   test_raw_request(master, 2899, sizeof(mach_msg_header_t)) == MIG_BAD_ID &&
		   test_raw_request(boot, 2800, sizeof(mach_msg_header_t)) == MIG_BAD_ID);
	TEST_CHECK("bs-truncated", test_raw_request(boot, 5601, sizeof(mach_msg_header_t)) == MIG_BAD_ARGUMENTS &&
		   test_raw_request(boot, 5602, sizeof(mach_msg_header_t) + 8) == MIG_BAD_ARGUMENTS &&
		   test_raw_request(master, 2800, sizeof(mach_msg_header_t) + 16) == MIG_BAD_ARGUMENTS);
	TEST_CHECK("bs-serves-after-bad", bootstrap_lookup(boot, "tdev-svc", &p) == KERN_SUCCESS);
}

/* bstdev killed: our open becomes a dead name, bootstrap restarts it, we reopen. */
static mach_port_t kill_and_restart(mach_port_t dev, const char *round)
{
	mach_port_t task = MACH_PORT_NULL, task2 = MACH_PORT_NULL, notify, prev, again = MACH_PORT_NULL;
	mach_dead_name_notification_t n;
	kern_return_t kr;
	bool ok;

	mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &notify);
	ok = bootstrap_server_task(boot, "tdev", &task) == KERN_SUCCESS &&
	     mach_port_request_notification(self, dev, MACH_NOTIFY_DEAD_NAME, 1, notify,
					    MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev) == KERN_SUCCESS &&
	     task_terminate(task) == KERN_SUCCESS;
	test_check(round, ok, __FILE__, __LINE__, "kill");
	ok = ok && mach_msg(&n.not_header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(n), notify, 5000,
			    MACH_PORT_NULL) == MACH_MSG_SUCCESS &&
	     n.not_header.msgh_id == MACH_NOTIFY_DEAD_NAME && n.not_port == dev;
	TEST_CHECK("bs-dead-name", ok);
	/* Until the new server has registered: D_NO_SUCH_DEVICE. */
	kr = open_tdev(&again);
	TEST_CHECK("bs-reopen", kr == D_SUCCESS && test_read_is(again, "tdev\n"));
	TEST_CHECK("bs-restarted-task", bootstrap_server_task(boot, "tdev", &task2) == KERN_SUCCESS &&
		   task2 != task);
	return again;
}

int main(void)
{
	mach_port_t dev = MACH_PORT_NULL;

	self = mach_task_self();
	TEST_CHECK("bs-port", task_get_special_port(self, TASK_BOOTSTRAP_PORT, &boot) == KERN_SUCCESS &&
		   MACH_PORT_VALID(boot));
	TEST_CHECK("bs-ready", bootstrap_ready(boot, "testing") == KERN_SUCCESS);
	names();
	modules();
	capabilities();
	device_master(&dev);
	malformed();
	dev = kill_and_restart(dev, "bs-kill");
	/* Again at once: bootstrap backs off longer (200 ms), then the same. */
	kill_and_restart(dev, "bs-kill-again");
	test_done();
	test_end_run();
	return 0;
}
