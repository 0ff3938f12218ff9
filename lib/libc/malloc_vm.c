/*
 * malloc's page source for native tasks: anonymous memory from the task's own map,
 * through libmach's mig_allocate/mig_deallocate (vm_allocate on a cached task port).
 */
#include <stddef.h>
#include <mach/mig_support.h>

void *malloc_page_alloc(size_t size);
void malloc_page_free(void *addr, size_t size);

void *malloc_page_alloc(size_t size)
{
	vm_address_t addr = 0;

	mig_allocate(&addr, size);
	return (void *)addr;
}

void malloc_page_free(void *addr, size_t size)
{
	mig_deallocate((vm_address_t)addr, size);
}
