/* Helpers for in-guest programs that test the kernel and the servers (see mach_test.h). */
#include <stdint.h>
#include <string.h>
#include <bootstrap/bootstrap.h>
#include <bootstrap/bootstrap_user.h>
#include <mach/kernel_stats_user.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include <mach/mig_errors.h>
#include <mach/mig_support.h>
#include <mach/task_special_ports.h>
#include <mach/x86_64/mach_i386.h>
#include "mach_test.h"

#define THREAD_BASIC_INFO	1
#define EXIT_DEVICE_PORT	0xf4	/* tools/qemu.mk: -device isa-debug-exit,iobase=0xf4 */
#define RAW_REPLY_TIMEOUT	5000	/* ms: a server that never answers fails, not hangs */

bool test_object_counts(struct kernel_object_counts *c)
{
	kernel_object_counts_t raw;

	if (kernel_object_counts(mach_host_self(), &raw) != KERN_SUCCESS)
		return false;
	memcpy(c, raw, sizeof(*c));
	return true;
}

void test_wait_thread_gone(mach_port_t th)
{
	integer_t info[32];
	mach_msg_type_number_t n = 32;

	while (thread_info(th, THREAD_BASIC_INFO, info, &n) != MACH_SEND_INVALID_DEST)
		swtch();
}

void test_pause_ms(unsigned ms)
{
	thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, (int)ms);
}

kern_return_t test_raw_request(mach_port_t to, mach_msg_id_t id, mach_msg_size_t size)
{
	union {
		mach_msg_header_t h;
		mig_reply_header_t rep;
		uint8_t bytes[512];
	} m = { 0 };
	mach_port_t reply = mig_get_reply_port();
	mach_msg_return_t mr;

	if (size > sizeof(m))
		return KERN_INVALID_ARGUMENT;
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.h.msgh_remote_port = to;
	m.h.msgh_local_port = reply;
	m.h.msgh_id = id;
	mr = mach_msg(&m.h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, size, sizeof(m), reply,
		      RAW_REPLY_TIMEOUT, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS || m.h.msgh_id != id + 100 || m.h.msgh_size != sizeof(mig_reply_header_t))
		return mr ? mr : KERN_FAILURE;
	return m.rep.RetCode;
}

mach_port_t test_bootstrap_port(void)
{
	mach_port_t p = MACH_PORT_NULL;

	if (task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &p) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return p;
}

bool test_device_master(mach_port_t *master)
{
	mach_port_t boot = test_bootstrap_port();

	return MACH_PORT_VALID(boot) && bootstrap_lookup(boot, BOOTSTRAP_DEVICE_MASTER, master) == KERN_SUCCESS &&
	       MACH_PORT_VALID(*master);
}

void test_end_run(void)
{
	mach_port_t boot = test_bootstrap_port(), cap;
	uint64_t base, size;

	if (!MACH_PORT_VALID(boot))
		return;
	/* Bootstrap numbers a task's I/O grants 0.. in manifest order; past the last: an error. */
	for (int i = 0; bootstrap_capability(boot, BOOTSTRAP_CAP_IO, i, &cap, &base, &size) == KERN_SUCCESS; i++) {
		if (base != EXIT_DEVICE_PORT) {
			mach_port_deallocate(mach_task_self(), cap);
			continue;
		}
		if (i386_io_perm_modify(mach_task_self(), cap, 1) == KERN_SUCCESS)
			__asm__ volatile("outb %0, %1" : : "a"((uint8_t)0), "Nd"((uint16_t)EXIT_DEVICE_PORT));
		return;
	}
}
