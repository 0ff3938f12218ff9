/*
 * The conformance framework: runs every CTEST alone, checks the kernel's live-object
 * counts around it, cleans up after a failure, and prints the harness line protocol.
 * argv: [1] host-priv port name, [2] the peer's task port name, [3] the device master
 * port name, [4] optional: run only tests whose name starts with this, or "--reverse":
 * all of them in reverse order.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <test.h>
#include <mach/kernel_stats.h>
#include <mach/mig_support.h>
#include "ct.h"
#include "peer.h"

mach_port_t ct_task, ct_thread, ct_host, ct_host_priv, ct_peer, ct_peer_ctl, ct_device_master;

extern const struct ctest __start_ctests[], __stop_ctests[];
extern char __bss_start[], _end[];

#define MAX_TESTS	512
#define MAX_SNAP	4096
#define SLOW_MS		500

static uint64_t ct_jb[8];
static char ct_msg[384];
static const char *ct_file;
static int ct_line;
static char ct_name[96];

__attribute__((returns_twice)) int ct_setjmp(uint64_t *jb);
__attribute__((noreturn)) void ct_longjmp(uint64_t *jb, int v);

void ct_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ct_msg, sizeof(ct_msg), fmt, ap);
	va_end(ap);
	ct_file = file;
	ct_line = line;
	ct_longjmp(ct_jb, 1);
}

const char *ct_kr_name(int code)
{
	static const struct { int code; const char *name; } names[] = {
		{ 0, "KERN_SUCCESS" }, { 1, "KERN_INVALID_ADDRESS" },
		{ 2, "KERN_PROTECTION_FAILURE" }, { 3, "KERN_NO_SPACE" },
		{ 4, "KERN_INVALID_ARGUMENT" }, { 5, "KERN_FAILURE" },
		{ 6, "KERN_RESOURCE_SHORTAGE" }, { 7, "KERN_NOT_RECEIVER" },
		{ 8, "KERN_NO_ACCESS" }, { 9, "KERN_MEMORY_FAILURE" }, { 10, "KERN_MEMORY_ERROR" },
		{ 12, "KERN_NOT_IN_SET" }, { 13, "KERN_NAME_EXISTS" }, { 14, "KERN_ABORTED" },
		{ 15, "KERN_INVALID_NAME" }, { 16, "KERN_INVALID_TASK" },
		{ 17, "KERN_INVALID_RIGHT" }, { 18, "KERN_INVALID_VALUE" },
		{ 19, "KERN_UREFS_OVERFLOW" }, { 20, "KERN_INVALID_CAPABILITY" },
		{ 21, "KERN_RIGHT_EXISTS" }, { 22, "KERN_INVALID_HOST" },
		{ 23, "KERN_MEMORY_PRESENT" }, { 26, "KERN_TERMINATED" }, { 27, "KERN_TIMEDOUT" },
		{ 28, "KERN_INTERRUPTED" },
		{ MIG_TYPE_ERROR, "MIG_TYPE_ERROR" }, { MIG_REPLY_MISMATCH, "MIG_REPLY_MISMATCH" },
		{ MIG_REMOTE_ERROR, "MIG_REMOTE_ERROR" }, { MIG_BAD_ID, "MIG_BAD_ID" },
		{ MIG_BAD_ARGUMENTS, "MIG_BAD_ARGUMENTS" }, { MIG_NO_REPLY, "MIG_NO_REPLY" },
		{ MIG_EXCEPTION, "MIG_EXCEPTION" }, { MIG_ARRAY_TOO_LARGE, "MIG_ARRAY_TOO_LARGE" },
		{ MIG_SERVER_DIED, "MIG_SERVER_DIED" },
		{ MIG_DESTROY_REQUEST, "MIG_DESTROY_REQUEST" },
		{ MACH_SEND_INVALID_DATA, "MACH_SEND_INVALID_DATA" },
		{ MACH_SEND_INVALID_DEST, "MACH_SEND_INVALID_DEST" },
		{ MACH_SEND_TIMED_OUT, "MACH_SEND_TIMED_OUT" },
		{ MACH_SEND_WILL_NOTIFY, "MACH_SEND_WILL_NOTIFY" },
		{ MACH_SEND_NOTIFY_IN_PROGRESS, "MACH_SEND_NOTIFY_IN_PROGRESS" },
		{ MACH_SEND_INTERRUPTED, "MACH_SEND_INTERRUPTED" },
		{ MACH_SEND_MSG_TOO_SMALL, "MACH_SEND_MSG_TOO_SMALL" },
		{ MACH_SEND_INVALID_REPLY, "MACH_SEND_INVALID_REPLY" },
		{ MACH_SEND_INVALID_RIGHT, "MACH_SEND_INVALID_RIGHT" },
		{ MACH_SEND_INVALID_NOTIFY, "MACH_SEND_INVALID_NOTIFY" },
		{ MACH_SEND_INVALID_MEMORY, "MACH_SEND_INVALID_MEMORY" },
		{ MACH_SEND_NO_BUFFER, "MACH_SEND_NO_BUFFER" },
		{ MACH_SEND_NO_NOTIFY, "MACH_SEND_NO_NOTIFY" },
		{ MACH_SEND_INVALID_TYPE, "MACH_SEND_INVALID_TYPE" },
		{ MACH_SEND_INVALID_HEADER, "MACH_SEND_INVALID_HEADER" },
		{ MACH_RCV_INVALID_NAME, "MACH_RCV_INVALID_NAME" },
		{ MACH_RCV_TIMED_OUT, "MACH_RCV_TIMED_OUT" },
		{ MACH_RCV_TOO_LARGE, "MACH_RCV_TOO_LARGE" },
		{ MACH_RCV_INTERRUPTED, "MACH_RCV_INTERRUPTED" },
		{ MACH_RCV_PORT_CHANGED, "MACH_RCV_PORT_CHANGED" },
		{ MACH_RCV_INVALID_NOTIFY, "MACH_RCV_INVALID_NOTIFY" },
		{ MACH_RCV_INVALID_DATA, "MACH_RCV_INVALID_DATA" },
		{ MACH_RCV_PORT_DIED, "MACH_RCV_PORT_DIED" },
		{ MACH_RCV_IN_SET, "MACH_RCV_IN_SET" },
		{ MACH_RCV_HEADER_ERROR, "MACH_RCV_HEADER_ERROR" },
		{ MACH_RCV_BODY_ERROR, "MACH_RCV_BODY_ERROR" },
	};
	static char other[48];
	int base = code & ~MACH_MSG_MASK;

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].code == code)
			return names[i].name;
	/* Receive errors with detail bits, e.g. MACH_RCV_BODY_ERROR|IPC_SPACE. */
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (base != code && names[i].code == base) {
			snprintf(other, sizeof(other), "%s|0x%x", names[i].name,
				 (unsigned)(code & MACH_MSG_MASK));
			return other;
		}
	snprintf(other, sizeof(other), "code %d", code);
	return other;
}

/* ---------------------------------------------------------------- leak checks */

/* The live counts, by index in kernel_object_counts (8 is fast_sends, not a live count). */
#define COUNT_PAGES	7
#define COUNT_LIVE	11
static const char *const count_names[COUNT_LIVE] = {
	"ports", "port_sets", "messages", "entries", "spaces", "tasks", "threads", "pages",
	NULL, "vm_objects", "hw_caps",
};
static bool counts_available;

static bool read_counts(uint64_t out[16])
{
	kernel_object_counts_t raw;

	if (kernel_object_counts(ct_host, &raw) != KERN_SUCCESS)
		return false;
	memcpy(out, raw, sizeof(raw));
	return true;
}

/* Describes every count that grew into buf; returns whether only pages grew. */
static bool describe_growth(const uint64_t *before, const uint64_t *after, char *buf,
			    size_t size, bool *grew)
{
	size_t len = 0;
	bool only_pages = true;

	*grew = false;
	buf[0] = '\0';
	for (int i = 0; i < COUNT_LIVE; i++) {
		if (!count_names[i] || after[i] <= before[i])
			continue;
		*grew = true;
		if (i != COUNT_PAGES)
			only_pages = false;
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s %llu -> %llu",
					len ? ", " : "", count_names[i],
					(unsigned long long)before[i],
					(unsigned long long)after[i]);
	}
	return only_pages;
}

/* ---------------------------------------------------------------- clean-up */

struct snapshot {
	mach_port_name_t names[MAX_SNAP];
	unsigned count;
	bool valid;
};
static struct snapshot snap_self, snap_peer;

static void free_array(void *p, mach_msg_type_number_t n, size_t elem)
{
	if (p != NULL && n != 0)
		vm_deallocate(ct_task, (vm_address_t)p, n * elem);
}

static void take_snapshot(mach_port_t space, struct snapshot *s)
{
	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	mach_msg_type_number_t nn = 0, nt = 0;

	s->valid = false;
	s->count = 0;
	if (space == MACH_PORT_NULL ||
	    mach_port_names(space, &names, &nn, &types, &nt) != KERN_SUCCESS)
		return;
	for (unsigned i = 0; i < nn && i < MAX_SNAP; i++)
		s->names[s->count++] = names[i];
	s->valid = nn <= MAX_SNAP;
	free_array(names, nn, sizeof(*names));
	free_array(types, nt, sizeof(*types));
}

static bool in_snapshot(const struct snapshot *s, mach_port_name_t n)
{
	for (unsigned i = 0; i < s->count; i++)
		if (s->names[i] == n)
			return true;
	return false;
}

/* Destroys every name the space has now that it did not have in the snapshot. */
static void clean_space(mach_port_t space, const struct snapshot *s, mach_port_name_t keep)
{
	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	mach_msg_type_number_t nn = 0, nt = 0;

	if (!s->valid || mach_port_names(space, &names, &nn, &types, &nt) != KERN_SUCCESS)
		return;
	for (unsigned i = 0; i < nn; i++)
		if (names[i] != keep && !in_snapshot(s, names[i]))
			mach_port_destroy(space, names[i]);
	free_array(names, nn, sizeof(*names));
	free_array(types, nt, sizeof(*types));
}

/* ---------------------------------------------------------------- running */

static void set_name(const char *name)
{
	size_t i;

	for (i = 0; name[i] != '\0' && i + 1 < sizeof(ct_name); i++)
		ct_name[i] = name[i] == '_' ? '-' : name[i];
	ct_name[i] = '\0';
}

static bool run_attempts(const struct ctest *t, bool check_leaks, uint64_t *before,
			 uint64_t *after, char *growth, size_t growth_size);

/* Lets the peer finish what a test asked of it (a reply in flight, an RPC of its own)
   before counts are read: yield while another thread can run. */
static void settle(void)
{
	for (int i = 0; i < 100 && swtch(); i++)
		;
}

/* Runs the test's function; false if a check failed (the message is in ct_msg). */
static __attribute__((noinline)) bool run_body(const struct ctest *t)
{
	if (ct_setjmp(ct_jb) != 0)
		return false;
	t->fn();
	return true;
}

/* Runs one test; with check_leaks, a growth of pages alone earns one re-run (the
   kernel's allocators may keep pages they grew by for later use). */
static uint64_t now_ms(void)
{
	time_value64_t t;

	if (host_get_uptime64(ct_host, &t) != KERN_SUCCESS)
		return 0;
	return (uint64_t)t.seconds * 1000 + (uint64_t)t.nanoseconds / 1000000;
}

/* Tests are meant to take well under a second: name the ones that do not. */
static void report_time(uint64_t start)
{
	uint64_t ms = now_ms() - start;

	if (start != 0 && ms >= SLOW_MS)
		printf("CONFORMANCE SLOW %s %llums\n", ct_name, (unsigned long long)ms);
}

/* Whether this task can still talk to the kernel through its task port. */
static bool task_port_works(void)
{
	mach_port_type_t t;

	return mach_port_type(ct_task, ct_task, &t) == KERN_SUCCESS;
}

static bool stop_run;

static bool run_one(const struct ctest *t, bool check_leaks)
{
	uint64_t before[16], after[16];
	char growth[256];
	uint64_t start = now_ms();
	bool ok = run_attempts(t, check_leaks, before, after, growth, sizeof(growth));

	report_time(start);
	/* A kernel that broke the task port would fail every later test for that
	   reason alone: stop and say which test it was. */
	if (!ok && !task_port_works()) {
		printf("CONFORMANCE ABORT after %s: the task port no longer works\n", ct_name);
		stop_run = true;
	}
	return ok;
}

static bool run_attempts(const struct ctest *t, bool check_leaks, uint64_t *before,
			 uint64_t *after, char *growth, size_t growth_size)
{

	set_name(t->name);
	for (int attempt = 0; attempt < 2; attempt++) {
		bool have_counts, grew, only_pages;

		settle();
		take_snapshot(ct_task, &snap_self);
		take_snapshot(ct_peer, &snap_peer);
		have_counts = check_leaks && read_counts(before);
		if (!run_body(t)) {
			test_fail(ct_name, ct_file, ct_line, "%s", ct_msg);
			clean_space(ct_task, &snap_self, mig_get_reply_port());
			clean_space(ct_peer, &snap_peer, MACH_PORT_NULL);
			return false;
		}
		settle();
		if (!have_counts || !read_counts(after)) {
			test_pass(ct_name);
			return true;
		}
		only_pages = describe_growth(before, after, growth, growth_size, &grew);
		if (!grew) {
			test_pass(ct_name);
			return true;
		}
		if (only_pages && attempt == 0)
			continue;
		test_fail(ct_name, t->file, t->line, "leak: %s", growth);
		clean_space(ct_task, &snap_self, mig_get_reply_port());
		clean_space(ct_peer, &snap_peer, MACH_PORT_NULL);
		return false;
	}
	return false;
}

/* Touches every page of .bss and most of the stack, so that a test touching them
   later does not count as allocating pages. */
static __attribute__((noinline)) void prefault_stack(void)
{
	volatile char buf[96 * 1024];

	for (size_t i = 0; i < sizeof(buf); i += 4096)
		buf[i] = 0;
}

static void prefault(void)
{
	for (volatile char *p = __bss_start; p < _end; p += 4096)
		*p = *p;
	prefault_stack();
}

static void setup_fn(void)
{
	peer_setup();
}

static void warm_up(void)
{
	uint64_t c[16];

	/* The MIG reply ports of both tasks and the kernel's first allocations. */
	counts_available = read_counts(c) && read_counts(c);
	take_snapshot(ct_task, &snap_self);
	take_snapshot(ct_peer, &snap_peer);
	if (!counts_available)
		printf("CONFORMANCE NOTE kernel_object_counts failed: leak checks are off\n");
}

static int by_file_line(const struct ctest *a, const struct ctest *b)
{
	int c = a->last - b->last;

	if (c != 0)
		return c;
	c = strcmp(a->file, b->file);

	return c != 0 ? c : a->line - b->line;
}

int main(int argc, char **argv)
{
	static const struct ctest *tests[MAX_TESTS];
	static const struct ctest setup = { "conformance_setup", setup_fn, __FILE__, __LINE__, 0 };
	const char *only = argc > 4 ? argv[4] : NULL;
	bool reverse = only != NULL && strcmp(only, "--reverse") == 0;
	unsigned n = 0;

	prefault();
	ct_task = mach_task_self();
	ct_thread = mach_thread_self();
	ct_host = mach_host_self();
	ct_host_priv = argc > 1 ? (mach_port_t)strtol(argv[1], NULL, 10) : MACH_PORT_NULL;
	ct_peer = argc > 2 ? (mach_port_t)strtol(argv[2], NULL, 10) : MACH_PORT_NULL;
	ct_device_master = argc > 3 ? (mach_port_t)strtol(argv[3], NULL, 10) : MACH_PORT_NULL;

	run_one(&setup, false);
	warm_up();

	for (const struct ctest *t = __start_ctests; t < __stop_ctests && n < MAX_TESTS; t++) {
		unsigned i = n++;

		/* Insertion sort: the table's order is the linker's. */
		while (i > 0 && by_file_line(tests[i - 1], t) > 0) {
			tests[i] = tests[i - 1];
			i--;
		}
		tests[i] = t;
	}
	if (reverse) {
		/* Every test stands alone: the order must not matter. */
		unsigned k = 0;

		only = NULL;
		while (k < n && !tests[k]->last)
			k++;
		for (unsigned i = 0; i < k / 2; i++) {
			const struct ctest *t = tests[i];

			tests[i] = tests[k - 1 - i];
			tests[k - 1 - i] = t;
		}
	}
	for (unsigned i = 0; i < n && !stop_run; i++)
		if (only == NULL || strncmp(tests[i]->name, only, strlen(only)) == 0)
			run_one(tests[i], counts_available);

	test_done();
	if (ct_peer != MACH_PORT_NULL)
		syscall_task_terminate(ct_peer);
	return 0;
}
