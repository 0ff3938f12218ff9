/*
 * Helpers for in-guest programs that test the kernel through libmach: the kernel's
 * live-object counts (leak checks) and waiting for a thread to be gone.
 */
#ifndef _MACH_TEST_H
#define _MACH_TEST_H

#include <stdbool.h>
#include <mach/kernel_stats.h>
#include <mach/port.h>

/* The kernel's object counts (kernel_stats on mach_host_self()); false if the call failed. */
bool test_object_counts(struct kernel_object_counts *c);
/* Yields until the thread `th` names has ended (its port is dead). */
void test_wait_thread_gone(mach_port_t th);

#endif
