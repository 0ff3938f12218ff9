/*
 * Helpers for in-guest programs that test the kernel and the servers through libmach:
 * the kernel's live-object counts (leak checks), waiting, hand-made malformed requests,
 * and for clients started by bootstrap the device master and the end of the run.
 */
#ifndef _MACH_TEST_H
#define _MACH_TEST_H

#include <stdbool.h>
#include <mach/kernel_stats.h>
#include <mach/message.h>
#include <mach/port.h>

/* The kernel's object counts (kernel_stats on mach_host_self()); false if the call failed. */
bool test_object_counts(struct kernel_object_counts *c);
/* Yields until the thread `th` names has ended (its port is dead). */
void test_wait_thread_gone(mach_port_t th);
/* Sleeps about ms milliseconds: for bounded polls of another task's state, never as sync. */
void test_pause_ms(unsigned ms);

/*
 * A request of `size` bytes (a header, then zeroes) with id `id` sent to `to`, the way no
 * stub would send it; the reply's RetCode, or the mach_msg error, or KERN_FAILURE if the
 * reply is not a plain error reply to `id` (or none came within 5 s).
 */
kern_return_t test_raw_request(mach_port_t to, mach_msg_id_t id, mach_msg_size_t size);

/* This task's bootstrap port (MACH_PORT_NULL when the kernel's boot script started it). */
mach_port_t test_bootstrap_port(void);
/* Bootstrap's "device-master" (manifest: `port device-master`); false if not granted. */
bool test_device_master(mach_port_t *master);

/*
 * Ends the QEMU run through the exit device (isa-debug-exit at I/O port 0xf4; QEMU exits
 * with status 1, which the scenario runner counts as a clean end). Needed under
 * bootstrap, whose servers wait for requests forever so that idle=exit never comes. The
 * port must be one of this task's I/O grants from bootstrap (manifest: `io 0xf4 0xf4`);
 * without that grant (or without bootstrap) it returns, and the run ends some other way.
 */
void test_end_run(void);

#endif
