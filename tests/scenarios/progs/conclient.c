/*
 * conclient: the client of console.scn. It reaches servers/console through bootstrap's
 * device master: writes to vt1 and vt2 and reads the screen back with get_status (each
 * VT's buffer, and VGA memory), bad requests, then the keyboard: it prints a line
 * "KEYS K..." and the host (tests/scenarios/console-keys.sh) types those keys through
 * QEMU's monitor; then it kills the console (bootstrap_server_task) and works again on
 * the restarted one.
 *   conclient            the tests above; prints the summary
 *   conclient confined   run from a manifest entry with no grants: what it cannot get
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <bootstrap/bootstrap.h>
#include <bootstrap/bootstrap_user.h>
#include <device/console_status.h>
#include <device/device.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include <mach/message.h>
#include <mach/mig_errors.h>
#include <mach/task_special_ports.h>
#include "mach_test.h"
#include "device_test.h"
#include "test.h"

#define WAIT_MS		30000	/* how long typed keys and a restart may take */
#define POLL_MS		50

static mach_port_t self, bs, master;

static void keys(const char *which)
{
	printf("KEYS %s\n", which);
}

/* Row r of `flavor` (CONSOLE_STATUS_ROW or _SCREEN_ROW) as text, trailing blanks cut. */
static const char *row(mach_port_t dev, int (*flavor)(int), int r)
{
	static char text[CONSOLE_STATUS_ROW_COUNT + 1];
	int cells[DEV_STATUS_MAX];
	mach_msg_type_number_t n = CONSOLE_STATUS_ROW_COUNT;
	int len = CONSOLE_STATUS_ROW_COUNT;

	if (device_get_status(dev, (dev_flavor_t)flavor(r), cells, &n) != D_SUCCESS ||
	    n != CONSOLE_STATUS_ROW_COUNT)
		return "(get_status failed)";
	for (int c = 0; c < len; c++)
		text[c] = (char)(cells[c] & 0xff);
	while (len > 0 && text[len - 1] == ' ')
		len--;
	text[len] = '\0';
	return text;
}

static int vt_row(int r) { return CONSOLE_STATUS_ROW(r); }
static int screen_row(int r) { return CONSOLE_STATUS_SCREEN_ROW(r); }

static bool row_is(mach_port_t dev, int (*flavor)(int), int r, const char *want)
{
	const char *got = row(dev, flavor, r);

	if (strcmp(got, want) != 0) {
		printf("conclient: %s row %d is \"%s\", wanted \"%s\"\n",
		       flavor == vt_row ? "VT" : "screen", r, got, want);
		return false;
	}
	return true;
}

/* The attribute byte of one cell, or -1. */
static int attr_at(mach_port_t dev, int (*flavor)(int), int r, int c)
{
	int cells[DEV_STATUS_MAX];
	mach_msg_type_number_t n = CONSOLE_STATUS_ROW_COUNT;

	if (device_get_status(dev, (dev_flavor_t)flavor(r), cells, &n) != D_SUCCESS)
		return -1;
	return cells[c] >> 8 & 0xff;
}

/* Two words of a status flavor, or false. */
static bool status2(mach_port_t dev, dev_flavor_t flavor, int *a, int *b)
{
	int st[DEV_STATUS_MAX];
	mach_msg_type_number_t n = 2;

	if (device_get_status(dev, flavor, st, &n) != D_SUCCESS || n != 2)
		return false;
	*a = st[0];
	*b = st[1];
	return true;
}

static bool pair_is(mach_port_t dev, dev_flavor_t flavor, int want_a, int want_b)
{
	int a = -1, b = -1;

	if (!status2(dev, flavor, &a, &b) || a != want_a || b != want_b) {
		printf("conclient: flavor 0x%x gives [%d, %d], wanted [%d, %d]\n", flavor, a, b, want_a, want_b);
		return false;
	}
	return true;
}

/* CONSOLE_STATUS_INPUT: the bytes ready to read, or -1. */
static int input_ready(mach_port_t dev)
{
	int st[DEV_STATUS_MAX];
	mach_msg_type_number_t n = CONSOLE_STATUS_INPUT_COUNT;

	if (device_get_status(dev, CONSOLE_STATUS_INPUT, st, &n) != D_SUCCESS || n != 1)
		return -1;
	return st[0];
}

static bool put(mach_port_t dev, const char *s)
{
	int written = 0;

	return device_write_inband(dev, 0, 0, s, (mach_msg_type_number_t)strlen(s), &written) == D_SUCCESS &&
	       written == (int)strlen(s);
}

static kern_return_t set1(mach_port_t dev, dev_flavor_t flavor, int v)
{
	return device_set_status(dev, flavor, &v, 1);
}

/* Polls until the visible VT is n (keys take the host a while to type). */
static bool wait_visible(mach_port_t dev, int n)
{
	int vis = -1, count;

	for (int t = 0; t < WAIT_MS; t += POLL_MS) {
		if (status2(dev, CONSOLE_STATUS_VISIBLE, &vis, &count) && vis == n)
			return true;
		test_pause_ms(POLL_MS);
	}
	printf("conclient: visible VT is %d, waited for %d\n", vis, n);
	return false;
}

/*
 * device_read_inband in two halves, so that a read can wait in the server while this
 * task does other things: the request (as the generated stub lays it out) ...
 */
struct read_request {
	mach_msg_header_t head;
	mach_msg_type_t mode_type;
	uint32_t mode, pad0;
	mach_msg_type_t recnum_type;
	uint64_t recnum;
	mach_msg_type_t count_type;
	uint32_t count, pad1;
};

struct read_reply {
	mig_reply_header_t head;
	mach_msg_type_t data_type;
	char data[IO_INBAND_MAX + 64];	/* room for a reply larger than asked: refused */
};

static mach_msg_type_t int_type(unsigned bits)
{
	return (mach_msg_type_t){ .msgt_name = bits == 64 ? MACH_MSG_TYPE_INTEGER_64 : MACH_MSG_TYPE_INTEGER_32,
				  .msgt_size = bits, .msgt_inline = 1, .msgt_number = 1 };
}

static bool read_start(mach_port_t dev, mach_port_t reply, unsigned count)
{
	struct read_request m = {
		.head = { .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE),
			  .msgh_size = sizeof(m), .msgh_remote_port = dev, .msgh_local_port = reply,
			  .msgh_id = 2805 },
		.mode_type = int_type(32), .recnum_type = int_type(64), .count_type = int_type(32),
		.count = count,
	};

	return mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL) ==
	       MACH_MSG_SUCCESS;
}

/* ... and its reply, within WAIT_MS: the return code, the bytes in buf and *n. */
static kern_return_t read_finish(mach_port_t reply, char *buf, unsigned *n)
{
	struct read_reply m;
	mach_msg_return_t mr = mach_msg(&m.head.Head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), reply,
					WAIT_MS, MACH_PORT_NULL);

	*n = 0;
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	if (m.head.Head.msgh_id != 2905)
		return MIG_REPLY_MISMATCH;
	if (m.head.RetCode != D_SUCCESS)
		return m.head.RetCode;
	*n = m.data_type.msgt_number;
	if (*n > IO_INBAND_MAX)
		return MIG_TYPE_ERROR;
	memcpy(buf, m.data, *n);
	return D_SUCCESS;
}

/* Collects exactly `len` bytes from dev (several replies if the keys come apart). */
static bool read_exactly(mach_port_t dev, mach_port_t reply, const char *want, unsigned len)
{
	char got[IO_INBAND_MAX];
	unsigned have = 0, n;
	kern_return_t kr = D_SUCCESS;

	while (have < len) {
		if (!read_start(dev, reply, len - have) || (kr = read_finish(reply, got + have, &n)) != D_SUCCESS)
			break;
		have += n;
	}
	if (have != len || memcmp(got, want, len) != 0) {
		printf("conclient: read 0x%x, %u of %u bytes:", kr, have, len);
		for (unsigned i = 0; i < have; i++)
			printf(" %02x", (unsigned char)got[i]);
		printf("\n");
		return false;
	}
	return true;
}

/* Output: text, controls and escape sequences, on the VT's buffer and on the screen. */
static void output(mach_port_t vt1, mach_port_t vt2, mach_port_t con)
{
	TEST_CHECK("con-winsize", pair_is(vt1, CONSOLE_STATUS_WINSIZE, 25, 80));
	TEST_CHECK("con-write-vt1", put(vt1, "hello vt1\nsecond\tx") && row_is(vt1, vt_row, 0, "hello vt1") &&
		   row_is(vt1, vt_row, 1, "second  x") && pair_is(vt1, CONSOLE_STATUS_CURSOR, 1, 9) &&
		   row_is(vt1, screen_row, 0, "hello vt1") && row_is(vt1, screen_row, 1, "second  x"));
	TEST_CHECK("con-write-vt2-hidden", put(vt2, "on vt2\n") && row_is(vt2, vt_row, 0, "on vt2") &&
		   row_is(vt2, screen_row, 0, "hello vt1") && pair_is(vt2, CONSOLE_STATUS_CURSOR, 1, 0));
	TEST_CHECK("con-escapes",
		   put(vt1, "\033[5;10HABCDEF\033[5;12H\033[K\033[2A\033[3Dz") && row_is(vt1, vt_row, 4, "         AB") &&
		   row_is(vt1, vt_row, 2, "        z") && put(vt1, "\033[1;6H\033[1K") &&
		   row_is(vt1, screen_row, 0, "      vt1") && put(vt1, "\033[2;1H\033[2K\033[4;1H\033[J") &&
		   row_is(vt1, screen_row, 1, "") && row_is(vt1, screen_row, 4, ""));
	TEST_CHECK("con-colours", put(vt1, "\033[6;1H\033[1;31mred\033[44mblue\033[0m.") &&
		   attr_at(vt1, screen_row, 5, 0) == 0x0c && attr_at(vt1, screen_row, 5, 3) == 0x1c &&
		   attr_at(vt1, screen_row, 5, 7) == 0x07 && row_is(vt1, screen_row, 5, "redblue."));
	TEST_CHECK("con-scroll", put(vt2, "\033[25;1Hbottom\nnext") && row_is(vt2, vt_row, 23, "bottom") &&
		   row_is(vt2, vt_row, 24, "next") && pair_is(vt2, CONSOLE_STATUS_CURSOR, 24, 4) &&
		   put(vt2, "\033[2J\033[Hon vt2\n"));
	/* "console" is the visible VT: vt1 now. */
	TEST_CHECK("con-console-is-visible", put(con, "\033[8;1Hvia console") &&
		   row_is(vt1, vt_row, 7, "via console") && row_is(vt2, vt_row, 7, ""));
	TEST_CHECK("con-set-visible", set1(con, CONSOLE_STATUS_VISIBLE, 2) == D_SUCCESS &&
		   pair_is(vt1, CONSOLE_STATUS_VISIBLE, 2, CONSOLE_VT_COUNT) &&
		   row_is(vt1, screen_row, 0, "on vt2") && row_is(con, vt_row, 0, "on vt2") &&
		   set1(con, CONSOLE_STATUS_VISIBLE, 1) == D_SUCCESS && row_is(vt2, screen_row, 0, "      vt1") &&
		   row_is(vt2, screen_row, 7, "via console"));
}

/* Opens that cannot wait, the terminal's own answers, bad requests. */
static void requests(mach_port_t vt1)
{
	mach_port_t vt3 = MACH_PORT_NULL, vt4 = MACH_PORT_NULL, reply = MACH_PORT_NULL;
	char buf[IO_INBAND_MAX];
	mach_msg_type_number_t n = sizeof(buf);
	int st[DEV_STATUS_MAX];
	unsigned got = 0;
	bool ok;

	ok = device_open(master, D_READ | D_WRITE | D_NOWAIT, "vt3", &vt3) == D_SUCCESS;
	TEST_CHECK("con-nowait", ok && device_read_inband(vt3, 0, 0, sizeof(buf), buf, &n) == D_WOULD_BLOCK &&
		   (n = sizeof(buf), device_read_inband(vt1, D_NOWAIT, 0, sizeof(buf), buf, &n)) == D_WOULD_BLOCK);
	n = sizeof(buf);
	TEST_CHECK("con-cursor-report", ok && put(vt3, "\033[3;5H\033[6n") &&
		   device_read_inband(vt3, 0, 0, sizeof(buf), buf, &n) == D_SUCCESS && n == 6 &&
		   memcmp(buf, "\033[3;5R", 6) == 0);

	/* A read waits; closing its open ends it with D_DEVICE_DOWN. */
	ok = mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &reply) == KERN_SUCCESS &&
	     device_open(master, D_READ, "vt4", &vt4) == D_SUCCESS && read_start(vt4, reply, 8) &&
	     pair_is(vt4, CONSOLE_STATUS_WINSIZE, 25, 80) && device_close(vt4) == D_SUCCESS;
	TEST_CHECK("con-close-ends-read", ok && read_finish(reply, buf, &got) == D_DEVICE_DOWN);
	mach_port_deallocate(self, vt4);
	mach_port_mod_refs(self, reply, MACH_PORT_RIGHT_RECEIVE, -1);

	n = 1;
	TEST_CHECK("con-bad-status", device_get_status(vt1, 0x1234, st, &(mach_msg_type_number_t){ 4 }) ==
		   D_INVALID_OPERATION && device_get_status(vt1, CONSOLE_STATUS_WINSIZE, st, &n) == D_INVALID_SIZE &&
		   device_get_status(vt1, CONSOLE_STATUS_ROW(25), st, &(mach_msg_type_number_t){ 80 }) ==
		   D_INVALID_OPERATION && set1(vt1, CONSOLE_STATUS_VISIBLE, 7) == D_INVALID_SIZE &&
		   set1(vt1, CONSOLE_STATUS_MODE, 0x100) == D_INVALID_OPERATION &&
		   set1(vt1, CONSOLE_STATUS_WINSIZE, 1) == D_INVALID_OPERATION &&
		   device_set_status(vt1, CONSOLE_STATUS_MODE, st, 0) == D_INVALID_SIZE);
	TEST_CHECK("con-malformed", test_raw_request(vt1, 2899, sizeof(mach_msg_header_t)) == MIG_BAD_ID &&
		   test_raw_request(vt1, 2805, sizeof(mach_msg_header_t)) == MIG_BAD_ARGUMENTS &&
		   test_raw_request(vt1, 2811, sizeof(mach_msg_header_t) + 8) == MIG_BAD_ARGUMENTS);
	TEST_CHECK("con-serves-after-bad", pair_is(vt1, CONSOLE_STATUS_WINSIZE, 25, 80) &&
		   row_is(vt1, vt_row, 0, "      vt1"));
	device_close(vt3);
	mach_port_deallocate(self, vt3);
}

/* The keyboard, typed by the host: VT switching, a line, Ctrl-C and an arrow key. */
static void keyboard(mach_port_t vt1, mach_port_t vt2)
{
	mach_port_t reply = MACH_PORT_NULL;
	char buf[IO_INBAND_MAX];
	unsigned n = 0;
	bool ok;

	keys("alt-f2");
	TEST_CHECK("con-key-switch", wait_visible(vt1, 2) && row_is(vt1, screen_row, 0, "on vt2"));

	/* The read is in the server (the status request behind it was answered) before keys come. */
	ok = mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &reply) == KERN_SUCCESS &&
	     read_start(vt2, reply, 64) && input_ready(vt2) == 0;
	keys("h i ret");
	TEST_CHECK("con-key-line", ok && read_finish(reply, buf, &n) == D_SUCCESS && n == 3 &&
		   memcmp(buf, "hi\n", 3) == 0 && row_is(vt2, screen_row, 1, "hi") && row_is(vt1, vt_row, 1, ""));

	/* Raw mode, no echo: each key as it comes. */
	ok = set1(vt2, CONSOLE_STATUS_MODE, 0) == D_SUCCESS;
	keys("ctrl-c up shift-a");
	TEST_CHECK("con-key-ctrl-c", ok && read_exactly(vt2, reply, "\003\033[AA", 5) &&
		   row_is(vt2, screen_row, 2, ""));
	set1(vt2, CONSOLE_STATUS_MODE, CONSOLE_MODE_ALL);

	keys("alt-f1");
	TEST_CHECK("con-key-switch-back", wait_visible(vt1, 1) && row_is(vt1, screen_row, 0, "      vt1"));
	mach_port_mod_refs(self, reply, MACH_PORT_RIGHT_RECEIVE, -1);
}

/* Kills the console through bootstrap; the restarted one serves a new open. */
static void restart(mach_port_t vt1)
{
	mach_port_t task = MACH_PORT_NULL, again = MACH_PORT_NULL;
	kern_return_t kr = KERN_FAILURE;
	bool ok;

	ok = bootstrap_server_task(bs, "console", &task) == KERN_SUCCESS && task_terminate(task) == KERN_SUCCESS;
	mach_port_deallocate(self, task);
	TEST_CHECK("con-killed", ok && !put(vt1, "x"));
	if (ok)
		kr = test_device_open(master, D_READ | D_WRITE, "vt1", &again, WAIT_MS);
	TEST_CHECK("con-reopen", kr == D_SUCCESS && put(again, "again") && row_is(again, vt_row, 0, "again") &&
		   row_is(again, screen_row, 0, "again") && row_is(again, screen_row, 1, "") &&
		   pair_is(again, CONSOLE_STATUS_VISIBLE, 1, CONSOLE_VT_COUNT));
	keys("alt-f3");
	TEST_CHECK("con-key-after-restart", kr == D_SUCCESS && wait_visible(again, 3));
}

/* An entry with no grants gets no console hardware and no device master. */
static void confined(void)
{
	mach_port_t cap = MACH_PORT_NULL;
	uint64_t base = 0, size = 0;

	TEST_CHECK("con-confined-no-mem", bootstrap_capability(bs, BOOTSTRAP_CAP_MEM, 0, &cap, &base, &size) !=
		   KERN_SUCCESS && cap == MACH_PORT_NULL);
	TEST_CHECK("con-confined-no-io", bootstrap_capability(bs, BOOTSTRAP_CAP_IO, 0, &cap, &base, &size) !=
		   KERN_SUCCESS && bootstrap_capability(bs, BOOTSTRAP_CAP_IRQ, 0, &cap, &base, &size) != KERN_SUCCESS);
	TEST_CHECK("con-confined-no-master", bootstrap_lookup(bs, BOOTSTRAP_DEVICE_MASTER, &cap) == KERN_NO_ACCESS &&
		   bootstrap_server_task(bs, "console", &cap) == KERN_NO_ACCESS);
}

int main(int argc, char **argv)
{
	mach_port_t vt1 = MACH_PORT_NULL, vt2 = MACH_PORT_NULL, con = MACH_PORT_NULL, other = MACH_PORT_NULL;

	self = mach_task_self();
	if (task_get_special_port(self, TASK_BOOTSTRAP_PORT, &bs) != KERN_SUCCESS) {
		printf("conclient: no bootstrap port\n");
		return 1;
	}
	if (argc > 1 && strcmp(argv[1], "confined") == 0) {
		confined();	/* the other conclient prints the summary */
		return 0;
	}
	if (!TEST_CHECK("con-setup", test_device_master(&master)))
		goto done;
	TEST_CHECK("con-open", device_open(master, D_READ | D_WRITE, "vt1", &vt1) == D_SUCCESS &&
		   device_open(master, D_READ | D_WRITE, "vt2", &vt2) == D_SUCCESS &&
		   device_open(master, D_READ | D_WRITE, "console", &con) == D_SUCCESS);
	TEST_CHECK("con-open-unknown", device_open(master, D_READ, "vt7", &other) == D_NO_SUCH_DEVICE);
	output(vt1, vt2, con);
	requests(vt1);
	keyboard(vt1, vt2);
	restart(vt1);
done:
	test_done();
	test_end_run();	/* bootstrap and the console serve forever */
	return 0;
}
