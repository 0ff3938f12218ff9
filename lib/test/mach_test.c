/* Helpers for in-guest programs that test the kernel (see mach_test.h). */
#include <string.h>
#include <mach/kernel_stats_user.h>
#include <mach/mach_interface.h>
#include <mach/mach_traps.h>
#include <mach/message.h>
#include "mach_test.h"

#define THREAD_BASIC_INFO	1

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
