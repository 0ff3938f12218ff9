/*
 * devclient: the client of devhello.scn. It talks to examples/hello (built on
 * lib/device) through the user stubs generated from device.defs.
 *   devclient SERVER     SERVER: the hello server's task port (boot script, no bootstrap):
 *                        the device master port is made here and its receive right put
 *                        into the server at HELLO_MASTER_PORT, where lib/device waits for it
 *   devclient            under bootstrap: its "device-master"; the run ends through QEMU's
 *                        exit device (the entry's one I/O grant), since servers never end
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bootstrap/bootstrap_user.h>
#include <device/device.h>
#include <mach/notify.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include <mach/message.h>
#include <mach/mig_errors.h>
#include "../../../examples/hello/hello.h"
#include "device_test.h"
#include "mach_test.h"
#include "test.h"

static mach_port_t self, master;

/* HELLO_STATUS word i, or -1. */
static int status_word(mach_port_t dev, int i)
{
	int st[DEV_STATUS_MAX];
	mach_msg_type_number_t n = HELLO_STATUS_COUNT;

	if (device_get_status(dev, HELLO_STATUS, st, &n) != D_SUCCESS || n != HELLO_STATUS_COUNT)
		return -1;
	return st[i];
}

static void basics(mach_port_t dev)
{
	io_buf_ptr_t data = NULL;
	mach_msg_type_number_t n = 0;
	int st[1] = { 1 }, written = 0;
	char block[5] = "12345";

	TEST_CHECK("dev-read-greeting", test_read_is(dev, HELLO_GREETING));
	TEST_CHECK("dev-read-eof", test_read_is(dev, ""));
	TEST_CHECK("dev-write-then-read", device_write_inband(dev, 0, 0, "abc", 3, &written) == D_SUCCESS &&
		   written == 3 && status_word(dev, 2) == 3 && test_read_is(dev, "abc") && test_read_is(dev, ""));
	TEST_CHECK("dev-write-too-much", device_write_inband(dev, 0, 0, (char[100]){ 0 }, 100, &written) ==
		   D_INVALID_SIZE);
	TEST_CHECK("dev-out-of-line", device_write(dev, 0, 0, block, 5, &written) == D_SUCCESS && written == 5 &&
		   device_read(dev, 0, 0, 100, &data, &n) == D_SUCCESS && n == 5 && memcmp(data, "12345", 5) == 0);
	if (data)
		vm_deallocate(self, (vm_address_t)data, n);
	TEST_CHECK("dev-set-status", device_set_status(dev, HELLO_STATUS, st, 1) == D_SUCCESS &&
		   status_word(dev, 3) == 1 && device_write_inband(dev, 0, 0, "hi", 2, &written) == D_SUCCESS &&
		   test_read_is(dev, "HI") && (st[0] = 0, device_set_status(dev, HELLO_STATUS, st, 1)) == D_SUCCESS &&
		   status_word(dev, 3) == 0);
	TEST_CHECK("dev-status-errors", device_set_status(dev, 77, st, 1) == D_INVALID_OPERATION &&
		   device_set_status(dev, HELLO_STATUS, st, 0) == D_INVALID_SIZE);
	TEST_CHECK("dev-map-refused", device_map(dev, 1, 0, 4096, &(mach_port_t){ 0 }, 0) == D_INVALID_OPERATION);
	TEST_CHECK("dev-bad-id", test_raw_request(dev, 2899, sizeof(mach_msg_header_t)) == MIG_BAD_ID &&
		   test_raw_request(dev, 2807, sizeof(mach_msg_header_t)) == MIG_BAD_ID);
	TEST_CHECK("dev-truncated", test_raw_request(dev, 2805, sizeof(mach_msg_header_t)) == MIG_BAD_ARGUMENTS &&
		   test_raw_request(dev, 2811, sizeof(mach_msg_header_t) + 8) == MIG_BAD_ARGUMENTS);
	TEST_CHECK("dev-serves-after-bad", test_read_is(dev, "") && status_word(dev, 0) == 1);
}

/* A task that holds the only right to an open dies: the server closes it. */
static void client_death(mach_port_t dev)
{
	mach_port_t child, dev2 = MACH_PORT_NULL;
	int closes = status_word(dev, 1), opens = status_word(dev, 0);
	bool ok;

	ok = task_create(self, 0, &child) == KERN_SUCCESS &&
	     device_open(master, D_READ, "hello", &dev2) == D_SUCCESS && status_word(dev, 0) == opens + 1 &&
	     mach_port_insert_right(child, 0x77, dev2, MACH_MSG_TYPE_MOVE_SEND) == KERN_SUCCESS &&
	     task_terminate(child) == KERN_SUCCESS;
	mach_port_deallocate(self, child);
	/* The notification is asynchronous: ask until the close shows (bounded). */
	for (int i = 0; ok && i < 100000 && status_word(dev, 1) != closes + 1; i++)
		swtch();
	TEST_CHECK("dev-client-death-closes", ok && status_word(dev, 1) == closes + 1 &&
		   status_word(dev, 0) == opens);
}

/*
 * Under bootstrap: the hello server is killed (the entry is granted `task hello`); the
 * open's port becomes a dead name with a notification, bootstrap restarts the server,
 * and a new open reads the greeting again.
 */
static void kill_and_restart(mach_port_t dev)
{
	mach_port_t bs = MACH_PORT_NULL, task = MACH_PORT_NULL, notify = MACH_PORT_NULL;
	mach_port_t prev = MACH_PORT_NULL, again = MACH_PORT_NULL;
	mach_port_type_t type = 0;
	struct {
		mach_msg_header_t head;
		char body[64];
	} msg;
	bool ok;

	ok = (bs = test_bootstrap_port()) != MACH_PORT_NULL && bootstrap_server_task(bs, "hello", &task) == KERN_SUCCESS &&
	     mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &notify) == KERN_SUCCESS &&
	     mach_port_request_notification(self, dev, MACH_NOTIFY_DEAD_NAME, 0, notify,
					    MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev) == KERN_SUCCESS &&
	     task_terminate(task) == KERN_SUCCESS;
	TEST_CHECK("dev-killed-dead-name", ok &&
		   mach_msg(&msg.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(msg), notify, 5000,
			    MACH_PORT_NULL) == MACH_MSG_SUCCESS &&
		   msg.head.msgh_id == MACH_NOTIFY_DEAD_NAME &&
		   mach_port_type(self, dev, &type) == KERN_SUCCESS && type == MACH_PORT_TYPE_DEAD_NAME);
	TEST_CHECK("dev-restarted-reopen", ok &&
		   test_device_open(master, D_READ, "hello", &again, 10000) == D_SUCCESS &&
		   test_read_is(again, HELLO_GREETING));
	mach_port_deallocate(self, task);
	mach_port_deallocate(self, again);
	mach_port_destroy(self, notify);
}

/* The master port: made and put into the server, or bootstrap's device master. */
static bool get_master(mach_port_t server)
{
	if (server == MACH_PORT_NULL)
		return test_device_master(&master);
	return mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &master) == KERN_SUCCESS &&
	       mach_port_insert_right(self, master, master, MACH_MSG_TYPE_MAKE_SEND) == KERN_SUCCESS &&
	       mach_port_insert_right(server, HELLO_MASTER_PORT, master, MACH_MSG_TYPE_MOVE_RECEIVE) == KERN_SUCCESS;
}

int main(int argc, char **argv)
{
	mach_port_t server = argc > 1 ? (mach_port_t)strtol(argv[1], NULL, 10) : MACH_PORT_NULL;
	mach_port_t dev = MACH_PORT_NULL, other = MACH_PORT_NULL;
	struct kernel_object_counts before, after;
	mach_port_type_t type = 0;
	int closes;
	bool ok;

	self = mach_task_self();
	if (!TEST_CHECK("dev-setup", get_master(server)))
		goto done;
	TEST_CHECK("dev-open", device_open(master, D_READ | D_WRITE, "hello", &dev) == D_SUCCESS);
	TEST_CHECK("dev-open-unknown", device_open(master, D_READ, "nosuch", &other) == D_NO_SUCH_DEVICE &&
		   device_open_new(master, D_READ, "nosuch", &other) == D_NO_SUCH_DEVICE);
	TEST_CHECK("dev-not-on-master", device_read_inband(master, 0, 0, 8, (char[128]){ 0 }, &(unsigned){ 128 }) ==
		   D_INVALID_OPERATION);
	TEST_CHECK("dev-open-not-on-device", device_open(dev, D_READ, "hello", &other) == D_INVALID_OPERATION &&
		   device_close(master) == D_INVALID_OPERATION);
	basics(dev);

	/* Close, then open again: the old right is dead, the new open reads from the start. */
	closes = status_word(dev, 1);
	ok = device_open(master, D_READ, "hello", &other) == D_SUCCESS && device_close(other) == D_SUCCESS &&
	     mach_port_type(self, other, &type) == KERN_SUCCESS && type == MACH_PORT_TYPE_DEAD_NAME;
	mach_port_deallocate(self, other);
	TEST_CHECK("dev-close", ok && status_word(dev, 1) == closes + 1);
	ok = device_open(master, D_READ, "hello", &other) == D_SUCCESS && test_read_is(other, HELLO_GREETING) &&
	     device_close(other) == D_SUCCESS;
	mach_port_deallocate(self, other);
	TEST_CHECK("dev-reopen", ok);

	client_death(dev);

	/* Opens, reads and closes leave nothing behind in the kernel. */
	ok = test_object_counts(&before);
	for (int i = 0; i < 20 && ok; i++) {
		ok = device_open(master, D_READ, "hello", &other) == D_SUCCESS && test_read_is(other, HELLO_GREETING) &&
		     device_close(other) == D_SUCCESS;
		mach_port_deallocate(self, other);
	}
	ok = ok && test_object_counts(&after);
	if (ok && (after.ports != before.ports || after.entries != before.entries || after.messages != before.messages))
		printf("devclient: ports %lu/%lu entries %lu/%lu messages %lu/%lu\n", before.ports, after.ports,
		       before.entries, after.entries, before.messages, after.messages);
	TEST_CHECK("dev-no-leak", ok && after.ports == before.ports && after.entries == before.entries &&
		   after.messages == before.messages);
	if (server == MACH_PORT_NULL)
		kill_and_restart(dev);
done:
	if (server != MACH_PORT_NULL)
		task_terminate(server);	/* the server waits for requests forever */
	test_done();
	test_end_run();	/* under bootstrap */
	return 0;
}
