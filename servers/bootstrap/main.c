/*
 * bootstrap: the first task. It reads the boot manifest from the GRUB modules, starts
 * each entry's server in order with exactly the capabilities its entry grants, serves
 * names, capabilities and the clients' device master, and restarts servers that die.
 *   bootstrap HOST_PRIV DEVICE_MASTER [MANIFEST]   (port names, from the boot script;
 *                                                  MANIFEST: the module's name, "manifest")
 * One thread serves everything from one port set, with a receive timeout for what
 * is due next (a restart, the end of a wait for bootstrap_ready).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bootstrap/bootstrap.h>
#include <mach/boot_modules.h>
#include <mach/mach_host.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include <mach/mig_errors.h>
#include <mach/notify.h>
#include <mach/task_special_ports.h>
#include "bs.h"
#include "bootstrap_server.h"
#include "loader.h"

#define MAX_MODULES		32
#define READY_WAIT_MS		10000
#define BACKOFF_FIRST_MS	100
#define BACKOFF_MAX_MS		5000
#define BACKOFF_RESET_MS	30000	/* up this long: the next death starts over at 100 ms */

struct entry bs_entries[MF_MAX_ENTRIES];
int bs_nentries;
mach_port_t bs_self, bs_device_master, bs_port_set, bs_notify, bs_client_master;

static mach_port_t host_priv;
static struct manifest manifest;
static struct {
	char name[MF_NAME_MAX];	/* the command line's first word */
	vm_offset_t image;
	mach_msg_type_number_t size;
} modules[MAX_MODULES];
static int nmodules;

/* The entry the sequence waits for (its bootstrap_ready, death or deadline). */
static struct entry *waiting;
static uint64_t wait_deadline;
static int next_entry;

uint64_t bs_now_ms(void)
{
	time_value64_t t = { 0, 0 };

	host_get_uptime64(mach_host_self(), &t);
	return (uint64_t)t.seconds * 1000 + (uint64_t)t.nanoseconds / 1000000;
}

void bs_status(const struct entry *e, const char *fmt, ...)
{
	char text[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	printf("bootstrap: %s: %s\n", e->mf->name, text);
}

struct entry *bs_entry_of_port(mach_port_t port)
{
	for (int i = 0; i < bs_nentries; i++)
		if (bs_entries[i].port == port && port != MACH_PORT_NULL)
			return &bs_entries[i];
	return NULL;
}

struct entry *bs_entry_named(const char *name)
{
	for (int i = 0; i < bs_nentries; i++)
		if (strcmp(bs_entries[i].mf->name, name) == 0)
			return &bs_entries[i];
	return NULL;
}

bool bs_module_find(const char *name, vm_offset_t *image, mach_msg_type_number_t *size)
{
	for (int i = 0; i < nmodules; i++)
		if (strcmp(modules[i].name, name) == 0) {
			*image = modules[i].image;
			*size = modules[i].size;
			return true;
		}
	return false;
}

static void manifest_error(void *ctx, int line, const char *msg)
{
	printf("bootstrap: %s:%d: %s\n", (const char *)ctx, line, msg);
}

/* Every GRUB module, kept: servers are loaded from them again when they restart. */
static bool read_modules(const char *manifest_name)
{
	boot_module_cmdline_t cmdline;
	int count = 0;
	kern_return_t kr = boot_module_count(host_priv, &count);

	if (kr != KERN_SUCCESS) {
		printf("bootstrap: cannot read the boot modules (0x%x)\n", kr);
		return false;
	}
	for (int i = 0; i < count && nmodules < MAX_MODULES; i++) {
		if (boot_module_get(host_priv, i, cmdline, &modules[nmodules].image,
				    &modules[nmodules].size) != KERN_SUCCESS)
			continue;
		cmdline[sizeof(cmdline) - 1] = '\0';
		for (size_t n = 0; n < MF_NAME_MAX - 1 && cmdline[n] && cmdline[n] != ' '; n++)
			modules[nmodules].name[n] = cmdline[n];
		nmodules++;
	}
	for (int i = 0; i < nmodules; i++)
		if (strcmp(modules[i].name, manifest_name) == 0) {
			manifest_parse((const char *)modules[i].image, modules[i].size, &manifest,
				       manifest_error, (void *)manifest_name);
			return true;
		}
	printf("bootstrap: no module named %s: nothing to start\n", manifest_name);
	return false;
}

static void entries_init(void)
{
	bs_nentries = manifest.n;
	for (int i = 0; i < manifest.n; i++) {
		struct entry *e = &bs_entries[i];

		e->mf = &manifest.e[i];
		e->backoff_ms = BACKOFF_FIRST_MS;
		for (int m = 0; m < nmodules && !e->image; m++)
			if (strcmp(modules[m].name, e->mf->module) == 0) {
				e->image = (const void *)modules[m].image;
				e->image_size = modules[m].size;
			}
	}
}

/* Its own bootstrap port: a receive right in the port set, a send right in the task. */
static kern_return_t give_port(struct entry *e, mach_port_t task)
{
	kern_return_t kr = mach_port_allocate(bs_self, MACH_PORT_RIGHT_RECEIVE, &e->port);

	if (kr != KERN_SUCCESS)
		return kr;
	kr = mach_port_move_member(bs_self, e->port, bs_port_set);
	if (kr == KERN_SUCCESS)
		kr = mach_port_insert_right(bs_self, e->port, e->port, MACH_MSG_TYPE_MAKE_SEND);
	if (kr == KERN_SUCCESS) {
		kr = task_set_special_port(task, TASK_BOOTSTRAP_PORT, e->port);
		mach_port_deallocate(bs_self, e->port);	/* the task's copy is the only one */
	}
	return kr;
}

static void drop_port(struct entry *e)
{
	if (e->port != MACH_PORT_NULL)
		mach_port_mod_refs(bs_self, e->port, MACH_PORT_RIGHT_RECEIVE, -1);
	e->port = MACH_PORT_NULL;
}

/* Starts (or restarts) e's server. False, with its status line, if it cannot. */
static bool start(struct entry *e)
{
	char *argv[MF_MAX_ARGS + 1];
	const char *why = NULL;
	mach_port_t task = MACH_PORT_NULL;
	kern_return_t kr;

	argv[0] = (char *)e->mf->name;
	for (int i = 0; i < e->mf->argc; i++)
		argv[i + 1] = (char *)e->mf->args[i];
	if (!e->image)
		why = "no such module";
	if (!why)
		why = caps_prepare(e);
	if (!why && (kr = task_create(bs_self, 0, &task)) != KERN_SUCCESS)
		why = "cannot create a task";
	if (!why && give_port(e, task) != KERN_SUCCESS)
		why = "cannot give it a bootstrap port";
	if (!why)
		loader_start(task, e->image, e->image_size, e->mf->argc + 1, argv, &why);
	if (why) {
		if (task != MACH_PORT_NULL) {
			task_terminate(task);
			mach_port_deallocate(bs_self, task);
		}
		drop_port(e);
		caps_release_fresh(e);
		e->state = ES_FAILED;
		bs_status(e, "cannot start: %s", why);
		return false;
	}
	e->task = task;
	e->state = ES_STARTING;
	e->started_ms = bs_now_ms();
	bs_watch(task);
	return true;
}

/* Its task port is a dead name now: clean up after it, then restart it or not. */
static void died(struct entry *e)
{
	uint64_t now = bs_now_ms();

	names_drop_owner(bs_entry_index(e));
	drop_port(e);
	mach_port_deallocate(bs_self, e->task);
	e->task = MACH_PORT_NULL;
	caps_release_fresh(e);
	if (!e->mf->restart) {
		e->state = ES_EXITED;
		if (waiting == e)
			waiting = NULL;
		bs_status(e, "exited");
		return;
	}
	if (now - e->started_ms >= BACKOFF_RESET_MS)
		e->backoff_ms = BACKOFF_FIRST_MS;
	e->state = ES_RESTARTING;
	e->restart_at_ms = now + e->backoff_ms;
	bs_status(e, "died; restarting in %u ms", e->backoff_ms);
	e->backoff_ms = e->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : e->backoff_ms * 2;
}

kern_return_t bs_bootstrap_ready(mach_port_t bootstrap, const_bootstrap_status_t status)
{
	struct entry *e = bs_entry_of_port(bootstrap);
	char text[sizeof(bootstrap_status_t)];
	size_t n;

	/* One line per server, whatever it sent. */
	for (n = 0; n < sizeof(text) - 1 && status[n]; n++)
		text[n] = status[n] < 0x20 || status[n] == 0x7f ? '?' : status[n];
	text[n] = '\0';
	e->state = ES_READY;
	bs_status(e, "%s", text);
	if (waiting == e)
		waiting = NULL;
	return KERN_SUCCESS;
}

/* Does what is due: restarts, the end of a wait, the next entries. Returns the next
 * deadline (0: none). */
static uint64_t run_due(void)
{
	uint64_t now = bs_now_ms(), next = 0;

	for (int i = 0; i < bs_nentries; i++)
		if (bs_entries[i].state == ES_RESTARTING && bs_entries[i].restart_at_ms <= now)
			start(&bs_entries[i]);
	if (waiting && now >= wait_deadline) {
		bs_status(waiting, "not ready after %d s", READY_WAIT_MS / 1000);
		waiting = NULL;
	}
	while (!waiting && next_entry < bs_nentries) {
		struct entry *e = &bs_entries[next_entry++];

		if (start(e) && e->mf->wait) {
			waiting = e;
			wait_deadline = bs_now_ms() + READY_WAIT_MS;
		}
	}
	if (waiting)
		next = wait_deadline;
	for (int i = 0; i < bs_nentries; i++)
		if (bs_entries[i].state == ES_RESTARTING && (!next || bs_entries[i].restart_at_ms < next))
			next = bs_entries[i].restart_at_ms;
	return next;
}

/* Kernel notifications (only the kernel holds rights to bs_notify). */
static void notified(const mach_msg_header_t *h)
{
	const mach_dead_name_notification_t *n = (const void *)h;
	mach_port_t name;

	if (h->msgh_id != MACH_NOTIFY_DEAD_NAME || h->msgh_size < sizeof(*n))
		return;	/* port-deleted, send-once: nothing to do */
	name = n->not_port;
	for (int i = 0; i < bs_nentries; i++)
		if (bs_entries[i].task == name && name != MACH_PORT_NULL)
			died(&bs_entries[i]);
	names_port_died(name);
	mach_port_deallocate(bs_self, name);	/* the notification's own reference */
}

static void serve(void)
{
	static union {
		mach_msg_header_t h;
		mig_reply_header_t rep;
		uint8_t bytes[8192];	/* the largest device.defs request: 4152 bytes of status */
	} in, out;

	for (;;) {
		uint64_t deadline = run_due(), now = bs_now_ms();
		mach_msg_option_t opt = MACH_RCV_MSG;
		mach_msg_timeout_t timeout = 0;
		mach_msg_return_t mr;

		if (deadline) {
			opt |= MACH_RCV_TIMEOUT;
			timeout = deadline > now ? (mach_msg_timeout_t)(deadline - now) : 0;
		}
		mr = mach_msg(&in.h, opt, 0, sizeof(in), bs_port_set, timeout, MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS)
			continue;	/* timed out (something is due), or a message too large (dropped) */
		if (in.h.msgh_local_port == bs_notify) {
			notified(&in.h);
			continue;
		}
		bs_request = &in.h;
		/* Unknown ids and malformed requests get MIG_BAD_ID / MIG_BAD_ARGUMENTS. */
		if (in.h.msgh_local_port == bs_client_master)
			device_server(&in.h, &out.h);
		else if (bs_entry_of_port(in.h.msgh_local_port))
			bootstrap_server(&in.h, &out.h);
		else
			continue;
		if (out.h.msgh_remote_port == MACH_PORT_NULL || out.rep.RetCode == MIG_NO_REPLY)
			continue;
		/* A client that does not take its reply at once loses it. */
		mach_msg(&out.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, out.h.msgh_size, 0, MACH_PORT_NULL, 0,
			 MACH_PORT_NULL);
	}
}

static bool ports_init(void)
{
	bs_self = mach_task_self();
	return mach_port_allocate(bs_self, MACH_PORT_RIGHT_PORT_SET, &bs_port_set) == KERN_SUCCESS &&
	       mach_port_allocate(bs_self, MACH_PORT_RIGHT_RECEIVE, &bs_notify) == KERN_SUCCESS &&
	       mach_port_move_member(bs_self, bs_notify, bs_port_set) == KERN_SUCCESS &&
	       mach_port_allocate(bs_self, MACH_PORT_RIGHT_RECEIVE, &bs_client_master) == KERN_SUCCESS &&
	       mach_port_move_member(bs_self, bs_client_master, bs_port_set) == KERN_SUCCESS;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		printf("bootstrap: usage: bootstrap HOST_PRIV DEVICE_MASTER [MANIFEST]\n");
		return 1;
	}
	host_priv = (mach_port_t)strtol(argv[1], NULL, 0);
	bs_device_master = (mach_port_t)strtol(argv[2], NULL, 0);
	if (!ports_init()) {
		printf("bootstrap: cannot make its ports\n");
		return 1;
	}
	names_init();
	if (read_modules(argc > 3 ? argv[3] : "manifest"))
		entries_init();
	/* With nothing (left) to start it still serves: restarts, names, device opens. */
	serve();
	return 0;
}
