/*
 * devlibclient: the client of devlib.scn, testing lib/device through devlibsrv's "pend"
 * device (devlib.h). Requests that the server answers later are sent by hand, so this
 * one thread can do something else (a write) before it waits for their replies.
 *   devlibclient SERVER    without bootstrap: SERVER is devlibsrv's task port, and the
 *                          master port is made here and put into it at PEND_MASTER_PORT
 *   devlibclient           with bootstrap: the master is bootstrap's "device-master"; at
 *                          the end it stops the run through QEMU's exit device (its one
 *                          I/O grant), since bootstrap and the server serve forever
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <device/device.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include <mach/message.h>
#include <mach/mig_errors.h>
#include "devlib.h"
#include "devraw.h"
#include "mach_test.h"
#include "test.h"

#define LOTS			300	/* more than the library's pool of requests in flight */

static mach_port_t self, master;

static mach_port_t new_port(void)
{
	mach_port_t p = MACH_PORT_NULL;

	mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &p);
	return p;
}

static void destroy(mach_port_t p)
{
	mach_port_mod_refs(self, p, MACH_PORT_RIGHT_RECEIVE, -1);
}

/* PEND_STATUS word i, or -1. */
static int status_word(mach_port_t dev, int i)
{
	int st[PEND_STATUS_COUNT];
	mach_msg_type_number_t n = PEND_STATUS_COUNT;

	if (device_get_status(dev, PEND_STATUS, st, &n) != D_SUCCESS || n != PEND_STATUS_COUNT)
		return -1;
	return st[i];
}

static bool write_is(mach_port_t dev, const char *s)
{
	int written = -1;

	return device_write_inband(dev, 0, 0, s, strlen(s), &written) == D_SUCCESS && written == (int)strlen(s);
}

/* A read waits for data; the write that brings it answers it (inband and out of line). */
static void late_reads(mach_port_t dev)
{
	mach_port_t r1 = new_port(), r2 = new_port();
	char buf[128] = { 0 }, big[128] = { 0 };
	uint32_t n1 = 0, n2 = 0;
	bool ok;

	ok = devraw_send(dev, DEV_READ_INBAND, r1, 0, 0, 100, NULL) == MACH_MSG_SUCCESS &&
	     devraw_send(dev, DEV_READ, r2, 0, 0, 5000, NULL) == MACH_MSG_SUCCESS &&
	     status_word(dev, 0) == 2 && write_is(dev, "first") && write_is(dev, "second") &&
	     status_word(dev, 0) == 0;
	ok = ok && devraw_reply(r1, DEV_READ_INBAND, buf, &n1) == D_SUCCESS && n1 == 5 && memcmp(buf, "first", 5) == 0;
	ok = ok && devraw_reply(r2, DEV_READ, big, &n2) == D_SUCCESS && n2 == 6 && memcmp(big, "second", 6) == 0;
	TEST_CHECK("devlib-read-answered-later", ok);
	destroy(r1);
	destroy(r2);
}

static void late_writes(mach_port_t dev)
{
	mach_port_t r = new_port();
	int st[1] = { D_SUCCESS };
	uint32_t n = 0;
	bool ok;

	ok = devraw_send(dev, DEV_WRITE_INBAND, r, 0, PEND_RECNUM_WAIT, 0, "later") == MACH_MSG_SUCCESS &&
	     status_word(dev, 1) == 1 && device_set_status(dev, PEND_RELEASE, st, 1) == D_SUCCESS &&
	     devraw_reply(r, DEV_WRITE_INBAND, NULL, &n) == D_SUCCESS && n == 5;
	st[0] = D_IO_ERROR;
	ok = ok && devraw_send(dev, DEV_WRITE_INBAND, r, 0, PEND_RECNUM_WAIT, 0, "fails") == MACH_MSG_SUCCESS &&
	     device_set_status(dev, PEND_RELEASE, st, 1) == D_SUCCESS &&
	     devraw_reply(r, DEV_WRITE_INBAND, NULL, &n) == D_IO_ERROR;
	TEST_CHECK("devlib-write-answered-later", ok);
	destroy(r);
}

static void nowait(mach_port_t dev)
{
	char buf[IO_INBAND_MAX];
	mach_msg_type_number_t n = sizeof(buf);

	TEST_CHECK("devlib-nowait", device_read_inband(dev, D_NOWAIT, 0, 10, buf, &n) == D_WOULD_BLOCK &&
		   status_word(dev, 0) == 0 && write_is(dev, "xy") &&
		   (n = sizeof(buf), device_read_inband(dev, D_NOWAIT, 0, 10, buf, &n)) == D_SUCCESS && n == 2);
}

/*
 * The reply port of a waiting read dies (its task ended): the write that answers it
 * finds the client gone, and the library frees the request without a reply. Many times
 * over, more than the library has room for in flight, and without a kernel leak.
 */
static void dead_reader(mach_port_t dev)
{
	struct kernel_object_counts before, after;
	mach_port_t child = MACH_PORT_NULL, r = new_port();
	bool ok;

	ok = task_create(self, 0, &child) == KERN_SUCCESS &&
	     devraw_send(dev, DEV_READ_INBAND, r, 0, 0, 10, NULL) == MACH_MSG_SUCCESS &&
	     mach_port_insert_right(child, 0x99, r, MACH_MSG_TYPE_MOVE_RECEIVE) == KERN_SUCCESS &&
	     task_terminate(child) == KERN_SUCCESS && status_word(dev, 0) == 1 && write_is(dev, "lost") &&
	     status_word(dev, 0) == 0;
	mach_port_deallocate(self, child);
	/* The bytes went to the dead reader; nothing was left for the next one. */
	char buf[IO_INBAND_MAX];
	mach_msg_type_number_t n = sizeof(buf);
	ok = ok && device_read_inband(dev, D_NOWAIT, 0, 10, buf, &n) == D_WOULD_BLOCK;
	TEST_CHECK("devlib-dead-reader", ok);

	ok = test_object_counts(&before);
	for (int i = 0; ok && i < LOTS; i++) {
		r = new_port();
		ok = devraw_send(dev, i % 2 ? DEV_READ : DEV_READ_INBAND, r, 0, 0, 10, NULL) == MACH_MSG_SUCCESS;
		/* Half the time the server holds the reply right when it dies (a dead name). */
		ok = ok && (i % 4 < 2 || status_word(dev, 0) == 1);
		destroy(r);
		ok = ok && write_is(dev, "x") && status_word(dev, 0) == 0;
	}
	ok = ok && test_object_counts(&after);
	if (ok && (after.ports != before.ports || after.entries != before.entries || after.messages != before.messages))
		printf("devlibclient: ports %lu/%lu entries %lu/%lu messages %lu/%lu\n", before.ports, after.ports,
		       before.entries, after.entries, before.messages, after.messages);
	TEST_CHECK("devlib-dead-readers-freed", ok && after.ports == before.ports &&
		   after.entries == before.entries && after.messages == before.messages);
}

/* A task dies holding an open with a read waiting on it: close runs, the read is dropped. */
static void dead_client(mach_port_t dev)
{
	mach_port_t child = MACH_PORT_NULL, dev2 = MACH_PORT_NULL, r = new_port();
	int closes = status_word(dev, 2);
	bool ok;

	ok = task_create(self, 0, &child) == KERN_SUCCESS &&
	     device_open(master, D_READ, "pend", &dev2) == D_SUCCESS &&
	     devraw_send(dev2, DEV_READ_INBAND, r, 0, 0, 10, NULL) == MACH_MSG_SUCCESS &&
	     status_word(dev, 0) == 1 &&
	     mach_port_insert_right(child, 0x77, dev2, MACH_MSG_TYPE_MOVE_SEND) == KERN_SUCCESS &&
	     mach_port_insert_right(child, 0x78, r, MACH_MSG_TYPE_MOVE_RECEIVE) == KERN_SUCCESS &&
	     task_terminate(child) == KERN_SUCCESS;
	mach_port_deallocate(self, child);
	/* The no-senders notification is asynchronous: ask until the close shows (bounded). */
	for (int i = 0; ok && i < 100000 && status_word(dev, 2) != closes + 1; i++)
		swtch();
	TEST_CHECK("devlib-dead-client-closed", ok && status_word(dev, 2) == closes + 1 && status_word(dev, 0) == 0);
}

/* The hook sees the RTC's periodic interrupts; more than one means the acks reopen the line. */
static void interrupts(mach_port_t dev)
{
	int on[1] = { 1 }, off[1] = { 0 }, start, now = 0;

	if (status_word(dev, 4) < 0) {
		TEST_CHECK("devlib-interrupt-hook", status_word(dev, 4) == 8);
		return;
	}
	start = status_word(dev, 3);
	bool ok = device_set_status(dev, PEND_RTC, on, 1) == D_SUCCESS;
	for (int i = 0; ok && i < 1000000 && (now = status_word(dev, 3)) < start + 5; i++)
		swtch();
	ok = ok && device_set_status(dev, PEND_RTC, off, 1) == D_SUCCESS;
	if (now < start + 5)
		printf("devlibclient: %d interrupts, wanted 5\n", now - start);
	TEST_CHECK("devlib-interrupt-hook", ok && now >= start + 5);
}

static bool get_master(int argc, char **argv)
{
	mach_port_t server;

	if (argc < 2)
		return test_device_master(&master);
	server = (mach_port_t)strtol(argv[1], NULL, 10);
	return mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &master) == KERN_SUCCESS &&
	       mach_port_insert_right(self, master, master, MACH_MSG_TYPE_MAKE_SEND) == KERN_SUCCESS &&
	       mach_port_insert_right(server, PEND_MASTER_PORT, master, MACH_MSG_TYPE_MOVE_RECEIVE) == KERN_SUCCESS;
}

int main(int argc, char **argv)
{
	mach_port_t dev = MACH_PORT_NULL;

	self = mach_task_self();
	if (TEST_CHECK("devlib-setup", get_master(argc, argv) &&
		       device_open(master, D_READ | D_WRITE, "pend", &dev) == D_SUCCESS)) {
		late_reads(dev);
		late_writes(dev);
		nowait(dev);
		dead_reader(dev);
		dead_client(dev);
		if (argc < 2)	/* the interrupt needs the manifest's grants */
			interrupts(dev);
	}
	if (argc > 1)
		task_terminate((mach_port_t)strtol(argv[1], NULL, 10));	/* it serves forever */
	test_done();
	test_end_run();	/* under bootstrap */
	return 0;
}
