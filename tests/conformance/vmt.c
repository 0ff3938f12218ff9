/* Helpers of the virtual-memory conformance cases (see vmt.h). */
#include <string.h>
#include "vmt.h"

struct kernel_object_counts counts(void)
{
	kernel_object_counts_t raw;
	struct kernel_object_counts c;

	OK(kernel_object_counts(ct_host, &raw));
	memcpy(&c, raw, sizeof(c));
	return c;
}

vm_statistics_data_t stats(void)
{
	vm_statistics_data_t s;

	OK(vm_statistics(ct_task, &s));
	return s;
}

struct region region(vm_address_t addr)
{
	struct region r = { .addr = addr };
	mach_port_t object = MACH_PORT_DEAD;

	OK(vm_region(ct_task, &r.addr, &r.size, &r.prot, &r.max, &r.inherit, &r.shared, &object,
		     &r.offset));
	CHECK_EQ(object, MACH_PORT_NULL);
	return r;
}

void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 7 + seed);
}

bool filled(const unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(i * 7 + seed))
			return false;
	return true;
}

bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

vm_address_t free_range(size_t bytes)
{
	vm_address_t a = (vm_address_t)pages_alloc(bytes);

	pages_free((void *)a, bytes);
	return a;
}

unsigned char *read_self(vm_address_t addr, vm_size_t size)
{
	vm_offset_t data = 0;
	mach_msg_type_number_t count = 0;

	OK(vm_read(ct_task, addr, size, &data, &count));
	CHECK_EQ(count, size);
	return (unsigned char *)data;
}
