/*
 * serialclient: the client of serial.scn. It opens "com1" (COM2, which the scenario
 * connects to host files: the input the setup wrote arrives there) through bootstrap's
 * device master and tests servers/serial through device.defs: input, D_NOWAIT, output,
 * a read answered when loopback brings bytes, line settings, malformed requests; then
 * confinement (this task's one I/O grant is QEMU's exit device) and kill-and-restart
 * (manifest: task serial). Bootstrap and the server serve forever, so idle=exit cannot end
 * the run: the client ends it through the exit device.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bootstrap/bootstrap.h>
#include <bootstrap/bootstrap_user.h>
#include <device/device.h>
#include <device/tty_status.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include <mach/notify.h>
#include <mach/task_special_ports.h>
#include <mach/thread_special_ports.h>
#include <mach/x86_64/thread_status.h>
#include "device_test.h"
#include "devraw.h"
#include "mach_test.h"
#include "test.h"

#define INPUT		"typed on the host's side\n"	/* serial.scn's setup writes it */
#define WAIT_MS		5000
#define WAIT_ROUNDS	(WAIT_MS / 10)	/* of 10 ms */
#define EXC_BAD_INSTRUCTION	2
#define EXC_I386_GPFLT		13

static mach_port_t self, bootstrap, master;

/* Word i of a get_status of `flavor` with `room` words, or -1. */
static int status_word(mach_port_t dev, int flavor, int i, unsigned room)
{
	int st[16];
	mach_msg_type_number_t n = room;

	if (device_get_status(dev, flavor, st, &n) != D_SUCCESS || (int)n <= i)
		return -1;
	return st[i];
}

static int counter(mach_port_t dev, int i)
{
	return status_word(dev, TTY_COUNTERS, i, TTY_COUNTERS_COUNT);
}

/* Reads (blocking, inband) until `want` bytes came or a read fails. */
static bool read_all(mach_port_t dev, char *buf, size_t want)
{
	size_t got = 0;

	while (got < want) {
		mach_msg_type_number_t n = IO_INBAND_MAX;
		char chunk[IO_INBAND_MAX];

		if (device_read_inband(dev, 0, 0, (int)(want - got), chunk, &n) != D_SUCCESS || n == 0 ||
		    got + n > want)
			return false;
		memcpy(buf + got, chunk, n);
		got += n;
	}
	buf[got] = '\0';
	return true;
}

static bool set_loopback(mach_port_t dev, int on)
{
	return device_set_status(dev, TTY_LOOPBACK, &on, 1) == D_SUCCESS &&
	       status_word(dev, TTY_LOOPBACK, 0, 1) == on;
}

/* A read waits; the loopback write brings its bytes, and the waiting read is answered. */
static bool loopback_round(mach_port_t dev, const char *text)
{
	mach_port_t r = MACH_PORT_NULL;
	char buf[IO_INBAND_MAX] = { 0 };
	uint32_t n = 0;
	int written = 0;
	bool ok;

	ok = mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &r) == KERN_SUCCESS && set_loopback(dev, 1) &&
	     devraw_send(dev, DEV_READ_INBAND, r, 0, 0, (int)strlen(text), NULL) == MACH_MSG_SUCCESS &&
	     device_write_inband(dev, 0, 0, text, strlen(text), &written) == D_SUCCESS &&
	     written == (int)strlen(text) && devraw_reply(r, DEV_READ_INBAND, buf, &n) == D_SUCCESS &&
	     n == strlen(text) && memcmp(buf, text, n) == 0;
	ok = set_loopback(dev, 0) && ok;
	mach_port_mod_refs(self, r, MACH_PORT_RIGHT_RECEIVE, -1);
	if (!ok)
		printf("serialclient: loopback of \"%s\" gave %u bytes \"%s\"\n", text, n, buf);
	return ok;
}

static void input_and_output(mach_port_t dev)
{
	char buf[sizeof(INPUT) + 1];
	char nothing[IO_INBAND_MAX];
	mach_msg_type_number_t n = sizeof(nothing);
	mach_port_t nodelay = MACH_PORT_NULL;
	int written = 0, sent;
	bool ok;

	ok = read_all(dev, buf, strlen(INPUT)) && strcmp(buf, INPUT) == 0;
	if (ok)
		printf("serialclient: read from com1: %s", buf);
	TEST_CHECK("serial-input", ok && counter(dev, 0) >= (int)strlen(INPUT) && counter(dev, 3) > 0);
	TEST_CHECK("serial-nowait", device_read_inband(dev, D_NOWAIT, 0, 10, nothing, &n) == D_WOULD_BLOCK &&
		   device_open(master, D_READ | D_NODELAY, "com1", &nodelay) == D_SUCCESS &&
		   (n = sizeof(nothing), device_read_inband(nodelay, 0, 0, 10, nothing, &n)) == D_WOULD_BLOCK &&
		   device_close(nodelay) == D_SUCCESS);
	mach_port_deallocate(self, nodelay);

	/* Output: answered once buffered; the counter shows the bytes leaving. */
	sent = counter(dev, 1);
	ok = device_write_inband(dev, 0, 0, "the client writes\n", 18, &written) == D_SUCCESS && written == 18 &&
	     device_write(dev, 0, 0, (char *)"and out of line\n", 16, &written) == D_SUCCESS && written == 16;
	for (int i = 0; ok && i < WAIT_ROUNDS && counter(dev, 1) < sent + 34; i++)
		test_pause_ms(10);
	TEST_CHECK("serial-write", ok && counter(dev, 1) == sent + 34);
	TEST_CHECK("serial-read-answered-later", loopback_round(dev, "ping"));
}

static void line_settings(mach_port_t dev)
{
	struct tty_status t = { B38400, B38400, 0, TF_EVENP }, got = { 0 };
	mach_msg_type_number_t n = TTY_STATUS_COUNT;
	int flush = D_READ | D_WRITE;
	bool ok;

	ok = device_set_status(dev, TTY_STATUS, (int *)&t, TTY_STATUS_COUNT) == D_SUCCESS &&
	     device_get_status(dev, TTY_STATUS, (int *)&got, &n) == D_SUCCESS && n == TTY_STATUS_COUNT &&
	     got.tt_ospeed == B38400 && got.tt_ispeed == B38400 && got.tt_flags == TF_EVENP;
	t = (struct tty_status){ B115200, B115200, 0, 0 };
	n = TTY_STATUS_COUNT;
	ok = ok && device_set_status(dev, TTY_STATUS, (int *)&t, TTY_STATUS_COUNT) == D_SUCCESS &&
	     device_get_status(dev, TTY_STATUS, (int *)&got, &n) == D_SUCCESS && got.tt_ospeed == B115200 &&
	     got.tt_flags == 0 && device_set_status(dev, TTY_FLUSH, &flush, 1) == D_SUCCESS;
	TEST_CHECK("serial-line-settings", ok);
	t.tt_ospeed = 99;
	n = 2;
	TEST_CHECK("serial-status-errors",
		   device_set_status(dev, TTY_STATUS, (int *)&t, TTY_STATUS_COUNT) == D_INVALID_OPERATION &&
		   device_set_status(dev, TTY_STATUS, (int *)&t, 2) == D_INVALID_SIZE &&
		   device_set_status(dev, 12345, &flush, 1) == D_INVALID_OPERATION &&
		   device_get_status(dev, TTY_STATUS, (int *)&got, &n) == D_INVALID_SIZE &&
		   device_map(dev, 1, 0, 4096, &(mach_port_t){ 0 }, 0) == D_INVALID_OPERATION);
}

static void bad_requests(mach_port_t dev)
{
	char nothing[IO_INBAND_MAX];
	mach_msg_type_number_t n = sizeof(nothing);

	TEST_CHECK("serial-bad-requests",
		   test_raw_request(dev, 2899, sizeof(mach_msg_header_t)) == MIG_BAD_ID &&
		   test_raw_request(dev, DEV_READ_INBAND, sizeof(mach_msg_header_t)) == MIG_BAD_ARGUMENTS &&
		   test_raw_request(dev, DEV_GET_STATUS, sizeof(mach_msg_header_t) + 8) == MIG_BAD_ARGUMENTS &&
		   test_raw_request(dev, DEV_WRITE_INBAND, sizeof(mach_msg_header_t) + 40) == MIG_BAD_ARGUMENTS);
	TEST_CHECK("serial-serves-after-bad", device_read_inband(dev, D_NOWAIT, 0, 10, nothing, &n) == D_WOULD_BLOCK &&
		   status_word(dev, TTY_STATUS, 1, TTY_STATUS_COUNT) == B115200);
}

/* `inb $0x2f8`: not granted to this task, so it faults (then ud2, never reached). */
void inb_com2(void);
__asm__(".text\n.global inb_com2\ninb_com2:\n\tmovw $0x2f8, %dx\n\tinb %dx, %al\n\tud2\n");

/* Runs inb_com2 in a new thread of this task; the exception's code, or -1. */
static int port_access_exception(void)
{
	struct i386_thread_state s;
	mach_msg_type_number_t n = i386_THREAD_STATE_COUNT;
	mach_port_t th = MACH_PORT_NULL, exc = MACH_PORT_NULL;
	struct devraw_msg m = { 0 };
	int32_t exception = -1, code = -1;
	mach_port_t names[2];

	if (mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &exc) != KERN_SUCCESS ||
	    mach_port_insert_right(self, exc, exc, MACH_MSG_TYPE_MAKE_SEND) != KERN_SUCCESS ||
	    thread_create(self, &th) != KERN_SUCCESS ||
	    thread_set_special_port(th, THREAD_EXCEPTION_PORT, exc) != KERN_SUCCESS ||
	    thread_get_state(th, i386_THREAD_STATE, (thread_state_t)&s, &n) != KERN_SUCCESS)
		return -1;
	s.rip = (uint64_t)inb_com2;
	if (thread_set_state(th, i386_THREAD_STATE, (thread_state_t)&s, i386_THREAD_STATE_COUNT) != KERN_SUCCESS ||
	    thread_resume(th) != KERN_SUCCESS ||
	    mach_msg(&m.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m.b), exc, 5000, MACH_PORT_NULL) !=
		    MACH_MSG_SUCCESS || m.h.msgh_id != 2400 || m.h.msgh_size != 112) {
		thread_terminate(th);
		return -1;
	}
	/* exception_raise: thread and task rights, then exception, code, subcode (ABI section 8). */
	memcpy(&names[0], m.b + 40, 4);
	memcpy(&names[1], m.b + 56, 4);
	memcpy(&exception, m.b + 72, 4);
	memcpy(&code, m.b + 88, 4);
	thread_terminate(th);
	mach_port_deallocate(self, names[0]);
	mach_port_deallocate(self, names[1]);
	mach_port_deallocate(self, m.h.msgh_remote_port);	/* the reply right: no reply */
	mach_port_deallocate(self, th);
	mach_port_mod_refs(self, exc, MACH_PORT_RIGHT_RECEIVE, -1);
	return exception == EXC_BAD_INSTRUCTION ? code : -1;
}

static void confinement(void)
{
	mach_port_t cap = MACH_PORT_NULL;
	uint64_t base = 0, size = 0;

	TEST_CHECK("serial-confined-ports", port_access_exception() == EXC_I386_GPFLT);
	/* Its one I/O range is the exit device (index 0); nothing more, and no line. */
	TEST_CHECK("serial-confined-caps",
		   bootstrap_capability(bootstrap, BOOTSTRAP_CAP_IO, 1, &cap, &base, &size) != KERN_SUCCESS &&
		   bootstrap_capability(bootstrap, BOOTSTRAP_CAP_IRQ, 0, &cap, &base, &size) != KERN_SUCCESS &&
		   cap == MACH_PORT_NULL);
}

/*
 * The server is killed with a read waiting: the reply port gets the send-once
 * notification, the open's port goes dead; bootstrap restarts the server, and a new
 * open works again.
 */
static void kill_and_restart(mach_port_t *dev)
{
	mach_port_t task = MACH_PORT_NULL, r = MACH_PORT_NULL;
	mach_port_type_t type = 0;
	struct devraw_msg m = { 0 };
	kern_return_t kr = KERN_FAILURE;
	bool ok;

	ok = bootstrap_server_task(bootstrap, "serial", &task) == KERN_SUCCESS &&
	     mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &r) == KERN_SUCCESS &&
	     devraw_send(*dev, DEV_READ_INBAND, r, 0, 0, 10, NULL) == MACH_MSG_SUCCESS &&
	     status_word(*dev, TTY_LOOPBACK, 0, 1) == 0 &&	/* the read is in the server now */
	     task_terminate(task) == KERN_SUCCESS;
	mach_port_deallocate(self, task);
	ok = ok && mach_msg(&m.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m.b), r, 5000, MACH_PORT_NULL) ==
		   MACH_MSG_SUCCESS && m.h.msgh_id == MACH_NOTIFY_SEND_ONCE;
	mach_port_mod_refs(self, r, MACH_PORT_RIGHT_RECEIVE, -1);
	for (int i = 0; ok && i < WAIT_ROUNDS; i++) {
		if (mach_port_type(self, *dev, &type) == KERN_SUCCESS && type == MACH_PORT_TYPE_DEAD_NAME)
			break;
		test_pause_ms(10);
	}
	TEST_CHECK("serial-killed", ok && type == MACH_PORT_TYPE_DEAD_NAME);
	mach_port_deallocate(self, *dev);
	*dev = MACH_PORT_NULL;
	/* Until bootstrap has restarted it (with back-off) and it registered again. */
	if (ok)
		kr = test_device_open(master, D_READ | D_WRITE, "com1", dev, WAIT_MS);
	if (kr != D_SUCCESS)
		printf("serialclient: reopening com1: 0x%x\n", kr);
	TEST_CHECK("serial-restarted", ok && kr == D_SUCCESS && loopback_round(*dev, "again"));
}

int main(void)
{
	mach_port_t dev = MACH_PORT_NULL, other = MACH_PORT_NULL;

	self = mach_task_self();
	bootstrap = test_bootstrap_port();
	if (!TEST_CHECK("serial-setup", test_device_master(&master))) {
		test_done();
		test_end_run();
		return 1;
	}
	TEST_CHECK("serial-open", device_open(master, D_READ | D_WRITE, "com1", &dev) == D_SUCCESS &&
		   device_open(master, D_READ, "com2", &other) == D_NO_SUCH_DEVICE &&
		   device_open(master, D_READ, "com9", &other) == D_NO_SUCH_DEVICE);
	if (dev != MACH_PORT_NULL) {
		input_and_output(dev);
		line_settings(dev);
		bad_requests(dev);
		confinement();
		kill_and_restart(&dev);
	}
	if (dev != MACH_PORT_NULL)
		device_close(dev);
	test_done();
	test_end_run();
	return 0;
}
