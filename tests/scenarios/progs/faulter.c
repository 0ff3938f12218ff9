/*
 * faulter <mode>: does one forbidden thing. The kernel must raise an exception and,
 * with no handler, terminate the task and keep running; reaching the end is a failure.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include <mach/task_special_ports.h>
#include <mach/vm_prot.h>
#include "test.h"

#define VM_AT		0x10000000ul	/* where the VM modes map their page */
#define PAGE_SIZE	4096ul

/* A page at VM_AT with protection prot; a stop is the only way out of the caller. */
static volatile unsigned char *vm_page(vm_prot_t prot)
{
	vm_address_t a = VM_AT;

	if (vm_allocate(mach_task_self(), &a, PAGE_SIZE, 0) != KERN_SUCCESS ||
	    vm_protect(mach_task_self(), a, PAGE_SIZE, 0, prot) != KERN_SUCCESS)
		test_fail("faulter", __FILE__, __LINE__, "cannot set up the page");
	return (volatile unsigned char *)a;
}

/* Touches fresh pages of a huge region until memory runs out. */
/*
 * Touches fresh pages until memory runs out. The exception that follows goes to a port
 * of our own that nobody reads, so the thread stays blocked holding the memory (a task
 * without a handler would be terminated and give it back at once).
 */
static void exhaust(void)
{
	vm_address_t a = 0;
	const vm_size_t size = 1ul << 40;
	mach_port_t task = mach_task_self(), exc;

	if (mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &exc) != KERN_SUCCESS ||
	    mach_port_insert_right(task, exc, exc, MACH_MSG_TYPE_MAKE_SEND) != KERN_SUCCESS ||
	    task_set_special_port(task, TASK_EXCEPTION_PORT, exc) != KERN_SUCCESS ||
	    vm_allocate(task, &a, size, 1) != KERN_SUCCESS)
		return;
	for (vm_size_t off = 0; off < size; off += PAGE_SIZE)
		((volatile char *)a)[off] = 1;
}

static long raw_trap(long number)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(number) : "rcx", "r11", "memory");
	return ret;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	printf("faulter %s: starting\n", mode);
	if (strcmp(mode, "null") == 0)
		*(volatile int *)0 = 1;
	else if (strcmp(mode, "hlt") == 0)
		__asm__ volatile("hlt");
	else if (strcmp(mode, "cli") == 0)
		__asm__ volatile("cli");
	else if (strcmp(mode, "in") == 0)
		__asm__ volatile("inb $0x60, %%al" ::: "rax");
	else if (strcmp(mode, "print-kernel") == 0)
		mach_print((const char *)0xFFFFFFFF80100000ull);
	else if (strcmp(mode, "print-unmapped") == 0)
		mach_print((const char *)0x0000700000000000ull);
	else if (strcmp(mode, "bad-trap") == 0)
		raw_trap(-200);
	else if (strcmp(mode, "positive-trap") == 0)
		raw_trap(5);
	else if (strcmp(mode, "kernel-jump") == 0)
		((void (*)(void))0xFFFFFFFF80100000ull)();
	else if (strcmp(mode, "write-read-only") == 0)
		vm_page(VM_PROT_READ)[8] = 1;
	else if (strcmp(mode, "read-none") == 0)
		(void)vm_page(VM_PROT_NONE)[16];
	else if (strcmp(mode, "exec-data") == 0) {
		volatile unsigned char *p = vm_page(VM_PROT_DEFAULT);
		p[0] = 0xC3;	/* ret */
		((void (*)(void))p)();
	} else if (strcmp(mode, "after-dealloc") == 0) {
		volatile unsigned char *p = vm_page(VM_PROT_DEFAULT);
		p[0] = 1;
		vm_deallocate(mach_task_self(), VM_AT, PAGE_SIZE);
		p[24] = 2;
	} else if (strcmp(mode, "exhaust") == 0)
		exhaust();
	test_fail(mode, __FILE__, __LINE__, "faulter '%s' was not stopped", mode);
	return 0;
}
