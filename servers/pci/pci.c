/*
 * pci: enumerates the PCI bus through configuration mechanism #1 (ports 0xcf8-0xcff,
 * the manifest's `io` grant), prints what it found, and serves it twice: pci.defs on a
 * port registered with bootstrap as "pci" (a second thread), and device "pci" through
 * lib/device (a text listing, one line per function). servers/pci/README.md.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include <mach/message.h>
#include <mach/mig_errors.h>
#include <mach/task_special_ports.h>
#include <mach/x86_64/thread_status.h>
#include <device/pci_types.h>
#include <bootstrap/bootstrap.h>
#include <bootstrap/bootstrap_user.h>
#include "device_server.h"
#include "pci_enum.h"
#include "portio.h"

#define CONFIG_ADDRESS	0xcf8
#define CONFIG_DATA	0xcfc
#define CONFIG_ENABLE	0x80000000u
#define CONFIG_PORTS	8
#define SERVE_STACK	16384
#define MSG_MAX		1024

boolean_t pci_server(mach_msg_header_t *in, mach_msg_header_t *out);

static struct pci_function functions[PCI_MAX_FUNCTIONS];
static int nfunctions;
static char listing[PCI_MAX_FUNCTIONS * 160];
static size_t listing_len;
static mach_port_t pci_port;
static char serve_stack[SERVE_STACK] __attribute__((aligned(16)));

/* Config mechanism #1: the address dword selects bus, device, function and register. */
static uint32_t cfg_read(void *ctx, unsigned loc, unsigned off)
{
	(void)ctx;
	outl(CONFIG_ADDRESS, CONFIG_ENABLE | loc << 8 | (off & 0xfc));
	return inl(CONFIG_DATA);
}

static void cfg_write(void *ctx, unsigned loc, unsigned off, uint32_t value)
{
	(void)ctx;
	outl(CONFIG_ADDRESS, CONFIG_ENABLE | loc << 8 | (off & 0xfc));
	outl(CONFIG_DATA, value);
}

static const struct pci_cfg cfg = { .read = cfg_read, .write = cfg_write };

/* ---- pci.defs, served by the second thread; it alone touches config space after boot. */

kern_return_t S_pci_device_count(mach_port_t pci, int *count)
{
	(void)pci;
	*count = nfunctions;
	return KERN_SUCCESS;
}

kern_return_t S_pci_device_info(mach_port_t pci, int index, int *location, int *id, int *class,
				int *irq, pci_bar_array_t bar_base, pci_bar_array_t bar_size,
				pci_bar_array_t bar_flags)
{
	const struct pci_function *f;

	(void)pci;
	if (index < 0 || index >= nfunctions)
		return KERN_INVALID_ARGUMENT;
	f = &functions[index];
	*location = (int)f->location;
	*id = (int)f->id;
	*class = (int)f->class;
	*irq = f->irq;
	for (int i = 0; i < PCI_BARS; i++) {
		bar_base[i] = f->bar[i].base;
		bar_size[i] = f->bar[i].size;
		bar_flags[i] = f->bar[i].flags;
	}
	return KERN_SUCCESS;
}

kern_return_t S_pci_device_enable(mach_port_t pci, int index, int command)
{
	unsigned loc;
	long value;

	(void)pci;
	if (index < 0 || index >= nfunctions)
		return KERN_INVALID_ARGUMENT;
	loc = functions[index].location;
	value = pci_command_update(cfg_read(NULL, loc, PCI_CFG_COMMAND), command);
	if (value < 0)
		return KERN_INVALID_ARGUMENT;
	/* The status half is written as zeros: its bits clear only on ones. */
	cfg_write(NULL, loc, PCI_CFG_COMMAND, (uint32_t)value);
	return KERN_SUCCESS;
}

/*
 * The pci.defs loop. It makes no RPCs of its own: libmach's reply-port cache is one per
 * task and belongs to the main thread.
 */
static __attribute__((noreturn)) void pci_serve(void)
{
	union { mach_msg_header_t h; char buf[MSG_MAX]; } in, out;

	for (;;) {
		mig_reply_header_t *r = (mig_reply_header_t *)&out.h;

		if (mach_msg_trap(&in.h, MACH_RCV_MSG, 0, sizeof(in), pci_port, 0,
				  MACH_PORT_NULL) != MACH_MSG_SUCCESS)
			continue;	/* too large (dropped by the kernel) or interrupted */
		pci_server(&in.h, &out.h);
		if (out.h.msgh_remote_port == MACH_PORT_NULL || r->RetCode == MIG_NO_REPLY)
			continue;
		mach_msg_trap(&out.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, out.h.msgh_size, 0,
			      MACH_PORT_NULL, 0, MACH_PORT_NULL);
	}
}

static kern_return_t serve_thread_start(void)
{
	struct i386_thread_state s;
	mach_msg_type_number_t n = i386_THREAD_STATE_COUNT;
	mach_port_t th;
	kern_return_t kr;

	kr = thread_create(mach_task_self(), &th);
	if (kr == KERN_SUCCESS)
		kr = thread_get_state(th, i386_THREAD_STATE, (thread_state_t)&s, &n);
	if (kr != KERN_SUCCESS)
		return kr;
	s.rip = (uint64_t)pci_serve;
	s.ursp = (uint64_t)serve_stack + SERVE_STACK - 8;	/* as after a call */
	kr = thread_set_state(th, i386_THREAD_STATE, (thread_state_t)&s, i386_THREAD_STATE_COUNT);
	return kr == KERN_SUCCESS ? thread_resume(th) : kr;
}

/* The pci.defs port, served, then registered as "pci". */
static kern_return_t pci_port_setup(void)
{
	mach_port_t self = mach_task_self(), bootstrap;
	kern_return_t kr;

	kr = mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &pci_port);
	if (kr == KERN_SUCCESS)
		kr = mach_port_insert_right(self, pci_port, pci_port, MACH_MSG_TYPE_MAKE_SEND);
	if (kr == KERN_SUCCESS)
		kr = serve_thread_start();
	if (kr == KERN_SUCCESS)
		kr = task_get_special_port(self, TASK_BOOTSTRAP_PORT, &bootstrap);
	if (kr == KERN_SUCCESS)
		kr = bootstrap_register(bootstrap, "pci", pci_port);
	return kr;
}

/* ---- device "pci": the listing, read at a byte offset (recnum); 0 bytes past its end. */

static const char *const pci_names[] = { "pci", NULL };

static int pci_open(const char *name, dev_mode_t mode, void **cookie)
{
	(void)name, (void)cookie;
	return mode & D_WRITE ? D_READ_ONLY : D_SUCCESS;
}

static int pci_read(void *cookie, struct device_io *io, recnum_t recnum, char *buf, size_t *count)
{
	size_t n = 0;

	(void)cookie, (void)io;
	if (recnum < listing_len) {
		n = listing_len - recnum;
		if (n > *count)
			n = *count;
		memcpy(buf, listing + recnum, n);
	}
	*count = n;
	return D_SUCCESS;
}

static const struct device_ops pci_ops = {
	.names = pci_names, .open = pci_open, .read = pci_read,
};

int main(void)
{
	uint64_t first, count;
	kern_return_t kr;
	char status[96];
	int buses = 0, last_bus = -1;

	kr = device_io_enable(0, &first, &count);
	if (kr != KERN_SUCCESS || first != CONFIG_ADDRESS || count < CONFIG_PORTS) {
		printf("pci: no I/O grant for ports 0xcf8-0xcff (%d)\n", kr);
		return 1;
	}
	nfunctions = pci_enumerate(&cfg, functions, PCI_MAX_FUNCTIONS);
	for (int i = 0; i < nfunctions; i++) {
		char line[160];
		int len = pci_format_function(&functions[i], line, sizeof(line));

		printf("pci: %s\n", line);
		if (listing_len + len + 1 < sizeof(listing)) {
			memcpy(listing + listing_len, line, len);
			listing_len += len;
			listing[listing_len++] = '\n';
		}
		if ((int)PCI_LOC_BUS(functions[i].location) != last_bus) {
			last_bus = PCI_LOC_BUS(functions[i].location);
			buses++;
		}
	}
	kr = pci_port_setup();
	if (kr != KERN_SUCCESS) {
		printf("pci: cannot serve pci.defs (%d)\n", kr);
		return 1;
	}
	snprintf(status, sizeof(status), "%d functions on %d bus%s%s", nfunctions, buses,
		 buses == 1 ? "" : "es", nfunctions == PCI_MAX_FUNCTIONS ? " (table full)" : "");
	kr = device_server_main(&pci_ops, status);
	printf("pci: device loop ended (%d)\n", kr);
	return 1;
}
