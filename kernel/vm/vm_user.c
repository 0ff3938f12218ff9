/*
 * The virtual-memory routines of the mach (2000-2100) and gnumach (4200-4216)
 * subsystems, called by the generated server stubs; ports are kernel-space names.
 * Where the ABI documents are silent, errors follow GNU Mach (docs/vm.md).
 * Out-of-line data in and out is a kalloc'd block or a tagged virtual copy (IPC_OOL_COPY).
 */
#include <string.h>
#include <mach/mach_types.h>
#include <mach/vm_statistics.h>
#include <mach/vm_wire.h>
#include <arch/pmap.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <kern/device_caps.h>
#include <kern/layout.h>
#include <kern/pmm.h>
#include <kern/task.h>
#include <kern/vm_map.h>
#include <kern/vm_object.h>
#include <kern/vm_page.h>

#define PAGE_MASK	((uint64_t)PAGE_SIZE - 1)

/* The map of an active task's port, or NULL. */
static struct vm_map *map_of(mach_port_t name)
{
	struct task *t = ipc_kobject_lookup(name, IKOT_TASK);

	return t && t->active && t != &kernel_task ? &t->map : NULL;
}

/* Checks [address, address + size) for the range routines: overflow is an argument error. */
static kern_return_t range_end(vm_address_t address, vm_size_t size, uint64_t *end)
{
	if (address + size < address)
		return KERN_INVALID_ARGUMENT;
	*end = address + size;
	return *end > USER_LIMIT ? KERN_INVALID_ADDRESS : KERN_SUCCESS;
}

kern_return_t vm_protect(mach_port_t target_task, vm_address_t address, vm_size_t size,
			 boolean_t set_maximum, vm_prot_t new_protection)
{
	struct vm_map *map = map_of(target_task);
	uint64_t end;
	kern_return_t kr;

	if (!map || (new_protection & ~VM_PROT_ALL))
		return KERN_INVALID_ARGUMENT;
	kr = range_end(address, size, &end);
	if (kr != KERN_SUCCESS)
		return kr;
	return vm_map_protect(map, address, end, new_protection, set_maximum);
}

kern_return_t vm_inherit(mach_port_t target_task, vm_address_t address, vm_size_t size,
			 vm_inherit_t new_inheritance)
{
	struct vm_map *map = map_of(target_task);
	uint64_t end;
	kern_return_t kr;

	if (!map || new_inheritance < VM_INHERIT_SHARE || new_inheritance > VM_INHERIT_NONE)
		return KERN_INVALID_ARGUMENT;
	kr = range_end(address, size, &end);
	if (kr != KERN_SUCCESS)
		return kr;
	return vm_map_inherit(map, address, end, new_inheritance);
}

kern_return_t vm_read(mach_port_t target_task, vm_address_t address, vm_size_t size,
		      vm_offset_t *data, mach_msg_type_number_t *dataCnt)
{
	struct vm_map *map = map_of(target_task);
	struct vm_map_copy *copy;
	kern_return_t kr;

	if (!map)
		return KERN_INVALID_ARGUMENT;
	kr = vm_map_copyin(map, address, size, false, &copy);
	if (kr != KERN_SUCCESS)
		return kr;
	if (size > UINT32_MAX) {	/* the count is 32 bits */
		vm_map_copy_discard(copy);
		return KERN_INVALID_ARGUMENT;
	}
	*data = copy ? (uint64_t)copy | IPC_OOL_COPY : 0;
	*dataCnt = (mach_msg_type_number_t)size;
	return KERN_SUCCESS;
}

/* vm_write and vm_copy work on whole pages, as in GNU Mach. */
static bool page_aligned(uint64_t a, uint64_t b)
{
	return ((a | b) & PAGE_MASK) == 0;
}

kern_return_t vm_write(mach_port_t target_task, vm_address_t address, vm_offset_t data,
		       mach_msg_type_number_t dataCnt)
{
	struct vm_map *map = map_of(target_task);
	struct vm_map_copy *copy;
	kern_return_t kr;

	if (!map || !page_aligned(address, dataCnt))
		return KERN_INVALID_ARGUMENT;
	if (dataCnt == 0) {
		ipc_ool_free(data, 0);
		return KERN_SUCCESS;
	}
	if (data & IPC_OOL_COPY) {
		copy = (struct vm_map_copy *)(data & ~IPC_OOL_COPY);
		kr = vm_map_copy_overwrite(map, address, copy);
	} else {
		copy = vm_map_copy_kernel((const void *)data, dataCnt);
		kr = copy ? vm_map_copy_overwrite(map, address, copy) : KERN_RESOURCE_SHORTAGE;
		vm_map_copy_discard(copy);
	}
	/* On success the data is ours to free; on failure the request's destruction frees it. */
	if (kr == KERN_SUCCESS)
		ipc_ool_free(data, dataCnt);
	return kr;
}

kern_return_t vm_copy(mach_port_t target_task, vm_address_t source_address, vm_size_t size,
		      vm_address_t dest_address)
{
	struct vm_map *map = map_of(target_task);
	struct vm_map_copy *copy;
	kern_return_t kr;

	if (!map || !page_aligned(source_address | dest_address, size))
		return KERN_INVALID_ARGUMENT;
	if (dest_address + size < dest_address || dest_address + size > USER_LIMIT)
		return KERN_INVALID_ADDRESS;
	kr = vm_map_copyin(map, source_address, size, false, &copy);
	if (kr == KERN_SUCCESS && copy)
		kr = vm_map_copy_overwrite(map, dest_address, copy);
	vm_map_copy_discard(copy);
	return kr;
}

/* Whether an object is mapped in more than one map (shared inheritance). */
static bool shared(const struct vm_entry *e)
{
	struct list *n;

	list_for_each(n, &e->object->mappings)
		if (list_entry(n, struct vm_entry, obj_link)->map != e->map)
			return true;
	return false;
}

kern_return_t vm_region(mach_port_t target_task, vm_address_t *address, vm_size_t *size,
			vm_prot_t *protection, vm_prot_t *max_protection,
			vm_inherit_t *inheritance, boolean_t *is_shared, mach_port_t *object_name,
			vm_offset_t *offset)
{
	struct vm_map *map = map_of(target_task);
	struct vm_entry *e;

	if (!map)
		return KERN_INVALID_ARGUMENT;
	e = vm_map_lookup_next(map, *address);
	if (!e)
		return KERN_NO_SPACE;
	*address = e->start;
	*size = e->end - e->start;
	*protection = e->prot;
	*max_protection = e->max_prot;
	*inheritance = e->inherit;
	*is_shared = shared(e);
	*object_name = MACH_PORT_NULL;
	*offset = e->offset;
	return KERN_SUCCESS;
}

kern_return_t vm_statistics(mach_port_t target_task, vm_statistics_data_t *s)
{
	if (!map_of(target_task))
		return KERN_INVALID_ARGUMENT;
	*s = (vm_statistics_data_t){
		.pagesize = PAGE_SIZE,
		.free_count = (integer_t)kernel_pmm.free_pages,
		.active_count = (integer_t)vm_counters.active,
		.wire_count = (integer_t)vm_counters.wired,
		.zero_fill_count = (integer_t)vm_counters.zero_fill,
		.faults = (integer_t)vm_counters.faults,
		.cow_faults = (integer_t)vm_counters.cow_faults,
		.lookups = (integer_t)vm_counters.lookups,
		.hits = (integer_t)vm_counters.hits,
	};
	return KERN_SUCCESS;
}

/*
 * vm_map of device memory: the memory object is a device-memory capability
 * (kern/device_caps.c); the range [offset, offset + size) must lie within it, and copy
 * must be FALSE (the pages are the device's; they cannot be copied). The pages map
 * uncached and are shared with children whatever the inheritance.
 */
static kern_return_t map_device(struct vm_map *map, uint64_t *addr, vm_size_t size,
				vm_address_t mask, boolean_t anywhere, struct devcap *mem,
				vm_offset_t offset, boolean_t copy, vm_prot_t cur_protection,
				vm_prot_t max_protection, vm_inherit_t inheritance)
{
	uint64_t npages = (size + PAGE_MASK) / PAGE_SIZE;
	struct vm_object *o;
	kern_return_t kr;

	if (copy || (offset & PAGE_MASK) || offset > mem->mem.size ||
	    npages > (mem->mem.size - offset) / PAGE_SIZE)
		return KERN_INVALID_ARGUMENT;
	o = vm_object_device(mem->mem.paddr + offset, npages);
	if (!o)
		return KERN_RESOURCE_SHORTAGE;
	kr = vm_map_enter_object(map, addr, size, mask, anywhere, o, 0, cur_protection,
				 max_protection, inheritance);
	if (kr != KERN_SUCCESS)
		vm_object_release(o);
	return kr;
}

/* Anonymous memory (no memory object), or device memory (a device-memory capability). */
kern_return_t vm_map(mach_port_t target_task, vm_address_t *address, vm_size_t size,
		     vm_address_t mask, boolean_t anywhere, mach_port_t memory_object,
		     vm_offset_t offset, boolean_t copy, vm_prot_t cur_protection,
		     vm_prot_t max_protection, vm_inherit_t inheritance)
{
	struct vm_map *map = map_of(target_task);
	struct devcap *mem = NULL;
	struct vm_object *o;
	uint64_t addr = *address;
	kern_return_t kr;

	if (memory_object != MACH_PORT_NULL &&
	    !(mem = ipc_kobject_lookup(memory_object, IKOT_DEVICE_MEM)))
		return KERN_INVALID_ARGUMENT;	/* no other memory object (pager) yet */
	if (!map || ((cur_protection | max_protection) & ~VM_PROT_ALL) ||
	    (cur_protection & ~max_protection) || inheritance < VM_INHERIT_SHARE ||
	    inheritance > VM_INHERIT_NONE || size == 0 || size > USER_LIMIT)
		return KERN_INVALID_ARGUMENT;
	if (mem) {
		kr = map_device(map, &addr, size, mask, anywhere, mem, offset, copy,
				cur_protection, max_protection, inheritance);
		if (kr != KERN_SUCCESS)
			return kr;
		/* On success the request's rights are ours: the capability's send right goes. */
		ipc_right_dealloc(ipc_space_kernel, memory_object);
		*address = addr;
		return KERN_SUCCESS;
	}
	/* copy does not matter: a fresh zero-fill object is private either way. */
	o = vm_object_anon((size + PAGE_MASK) / PAGE_SIZE);
	if (!o)
		return KERN_RESOURCE_SHORTAGE;
	kr = vm_map_enter_object(map, &addr, size, mask, anywhere, o, 0, cur_protection,
				 max_protection, inheritance);
	if (kr != KERN_SUCCESS) {
		vm_object_release(o);
		return kr;
	}
	*address = addr;
	return KERN_SUCCESS;
}

kern_return_t vm_wire_all(mach_port_t host, mach_port_t task, vm_wire_t flags)
{
	struct vm_map *map = map_of(task);

	if (!ipc_kobject_lookup(host, IKOT_HOST_PRIV))
		return KERN_INVALID_HOST;
	if (!map)
		return KERN_INVALID_TASK;
	if (flags & ~VM_WIRE_ALL)
		return KERN_INVALID_ARGUMENT;
	return vm_map_wire_all(map, flags);
}

/*
 * The request port is the privileged host port, or a dma capability (kern/device_caps.c)
 * whose limit bounds the bytes (whole pages) allocated through it over its life.
 */
kern_return_t vm_allocate_contiguous(mach_port_t host_priv, mach_port_t target_task,
				     vm_address_t *vaddr, rpc_phys_addr_t *paddr, vm_size_t size,
				     rpc_phys_addr_t pmin, rpc_phys_addr_t pmax,
				     rpc_phys_addr_t palign)
{
	struct vm_map *map = map_of(target_task);
	struct devcap *dma = NULL;
	struct vm_object *o;
	uint64_t addr = 0, pa;
	kern_return_t kr;

	if (!ipc_kobject_lookup(host_priv, IKOT_HOST_PRIV) &&
	    !(dma = ipc_kobject_lookup(host_priv, IKOT_DMA)))
		return KERN_INVALID_HOST;
	if (!map)
		return KERN_INVALID_TASK;
	if (palign == 0)
		palign = PAGE_SIZE;
	if (pmax == 0)
		pmax = UINT64_MAX;	/* no limit */
	if (size == 0 || size > USER_LIMIT || (palign & (palign - 1)) || pmin >= pmax)
		return KERN_INVALID_ARGUMENT;
	if (dma && ((size + PAGE_MASK) & ~PAGE_MASK) > dma->dma.limit - dma->dma.used)
		return KERN_RESOURCE_SHORTAGE;
	o = vm_object_contiguous((size + PAGE_MASK) / PAGE_SIZE, pmin, pmax, palign, &pa);
	if (!o)
		return KERN_RESOURCE_SHORTAGE;
	kr = vm_map_enter_object(map, &addr, size, 0, true, o, 0, VM_PROT_DEFAULT, VM_PROT_ALL,
				 VM_INHERIT_COPY);
	if (kr != KERN_SUCCESS) {
		vm_object_release(o);
		return kr;
	}
	if (dma)
		dma->dma.used += (size + PAGE_MASK) & ~PAGE_MASK;
	*vaddr = addr;
	*paddr = pa;
	return KERN_SUCCESS;
}

kern_return_t vm_set_size_limit(mach_port_t host_port, mach_port_t map_port,
				vm_size_t current_limit, vm_size_t max_limit)
{
	struct vm_map *map = map_of(map_port);
	bool priv = ipc_kobject_lookup(host_port, IKOT_HOST_PRIV) != NULL;

	if (!map)
		return KERN_INVALID_TASK;
	if (!priv && !ipc_kobject_lookup(host_port, IKOT_HOST))
		return KERN_INVALID_HOST;
	if (current_limit > max_limit)
		return KERN_INVALID_ARGUMENT;
	/* Only the privileged host port may raise the maximum. */
	if (max_limit > map->size_max && !priv)
		return KERN_NO_ACCESS;
	map->size_limit = current_limit;
	map->size_max = max_limit;
	return KERN_SUCCESS;
}

kern_return_t vm_get_size_limit(mach_port_t map_port, vm_size_t *current_limit,
				vm_size_t *max_limit)
{
	struct vm_map *map = map_of(map_port);

	if (!map)
		return KERN_INVALID_TASK;
	*current_limit = map->size_limit;
	*max_limit = map->size_max;
	return KERN_SUCCESS;
}
