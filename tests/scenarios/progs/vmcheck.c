/*
 * vmcheck H T: runs beside a task T that exhausts physical memory (faulter exhaust;
 * H is the privileged host port). While memory is gone, VM calls that need pages fail
 * with KERN_RESOURCE_SHORTAGE and the kernel still serves RPCs; once T is terminated,
 * its pages come back and memory can be used again.
 */
#include <stdlib.h>
#include <string.h>
#include <mach/gnumach.h>
#include <mach/mach_interface.h>
#include <mach/mach_traps.h>
#include <mach/vm_statistics.h>
#include <mach/vm_wire.h>
#include "test.h"

#define PAGE_SIZE	4096ul

static vm_statistics_data_t stats(void)
{
	vm_statistics_data_t s;

	if (vm_statistics(mach_task_self(), &s) != KERN_SUCCESS)
		test_fail("vm-statistics", __FILE__, __LINE__, "vm_statistics failed");
	return s;
}

/*
 * Has the hog stopped? It only stops (waiting on the exception nobody answers) once a
 * fault could not get a page; while it runs, every yield of ours lets it take more.
 * So: the free count low and unchanged over a few yields. (Nothing that needs memory
 * here, like task_threads and its out-of-line reply: there is none to have.)
 */
static bool hog_stopped(void)
{
	int last = stats().free_count;

	if (last > 256)
		return false;
	for (int i = 0; i < 10; i++) {
		swtch();
		if (stats().free_count != last)
			return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	mach_port_t host_priv = argc > 2 ? (mach_port_t)strtol(argv[1], NULL, 10) : 0;
	mach_port_t hog = argc > 2 ? (mach_port_t)strtol(argv[2], NULL, 10) : 0;
	mach_port_t self = mach_task_self();
	vm_address_t a = 0, b = 0, va = 0;
	rpc_phys_addr_t pa;
	int free_before;

	/* Yield until the hog has taken what it can (the reserve is 128 pages) and stopped. */
	while (!hog_stopped())
		swtch();
	TEST_CHECK("vm-exhausted-allocate-still-works",
		   vm_allocate(self, &a, 2 * PAGE_SIZE, 1) == KERN_SUCCESS);
	/* A copy shares its pages (copy-on-write): it needs none of its own. A page
	   of data written (sent in line: small) does. */
	TEST_CHECK("vm-exhausted-copy-shares-pages",
		   vm_allocate(self, &b, PAGE_SIZE, 1) == KERN_SUCCESS &&
		   vm_copy(self, b, PAGE_SIZE, a) == KERN_SUCCESS);
	TEST_CHECK("vm-exhausted-write-is-resource-shortage",
		   vm_write(self, b, (vm_offset_t)stats & ~(PAGE_SIZE - 1), PAGE_SIZE) ==
		   KERN_RESOURCE_SHORTAGE);
	TEST_CHECK("vm-exhausted-contiguous-is-resource-shortage",
		   vm_allocate_contiguous(host_priv, self, &va, &pa, PAGE_SIZE, 0, 0, 0) ==
		   KERN_RESOURCE_SHORTAGE);
	free_before = stats().free_count;
	TEST_CHECK("vm-exhausted-terminate-hog", task_terminate(hog) == KERN_SUCCESS);
	/* The hog's pages go with its last thread, which ends when it next runs. */
	for (int i = 0; i < 100 && stats().free_count <= free_before + 1000; i++)
		swtch();
	TEST_CHECK("vm-memory-comes-back", stats().free_count > free_before + 1000);
	memset((void *)a, 1, 2 * PAGE_SIZE);
	TEST_CHECK("vm-copy-after-recovery", vm_copy(self, a, PAGE_SIZE, b) == KERN_SUCCESS &&
		   ((char *)b)[100] == 1);
	vm_deallocate(self, a, 2 * PAGE_SIZE);
	vm_deallocate(self, b, PAGE_SIZE);
	a = 0;
	TEST_CHECK("vm-wire-too-large-fails-at-once",
		   vm_allocate(self, &a, 1ul << 40, 1) == KERN_SUCCESS &&
		   vm_wire_all(host_priv, self, VM_WIRE_CURRENT) == KERN_RESOURCE_SHORTAGE &&
		   vm_wire_all(host_priv, self, VM_WIRE_NONE) == KERN_SUCCESS &&
		   vm_deallocate(self, a, 1ul << 40) == KERN_SUCCESS);
	test_done();
	return 0;
}
