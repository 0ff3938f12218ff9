/*
 * The routines of the mach subsystem (2000-2100) the kernel serves so far: task
 * termination and the anonymous-memory calls. Ports are kernel-space names.
 */
#include <arch/pmap.h>
#include <ipc/ipc_kobject.h>
#include <kern/task.h>
#include <kern/vm_map.h>

static struct task *task_of(mach_port_t name)
{
	struct task *t = ipc_kobject_lookup(name, IKOT_TASK);

	return t && t->active ? t : NULL;
}

kern_return_t task_terminate(mach_port_t target_task)
{
	struct task *t = task_of(target_task);

	if (!t)
		return KERN_INVALID_ARGUMENT;
	task_terminate_task(t);
	return KERN_SUCCESS;
}

kern_return_t task_vm_allocate(struct task *t, uint64_t *address, uint64_t size, bool anywhere)
{
	uint64_t addr = *address;
	kern_return_t kr;

	if (size == 0) {
		*address = 0;
		return KERN_SUCCESS;
	}
	kr = vm_map_enter(&t->map, &addr, size, anywhere, VM_PROT_READ | VM_PROT_WRITE);
	if (kr == KERN_SUCCESS)
		*address = addr;
	return kr;
}

kern_return_t vm_allocate(mach_port_t target_task, vm_address_t *address, vm_size_t size,
			  boolean_t anywhere)
{
	struct task *t = task_of(target_task);
	uint64_t addr = *address;
	kern_return_t kr;

	if (!t)
		return KERN_INVALID_ARGUMENT;
	kr = task_vm_allocate(t, &addr, size, anywhere);
	*address = addr;
	return kr;
}

kern_return_t task_vm_deallocate(struct task *t, uint64_t address, uint64_t size)
{
	if (size == 0)
		return KERN_SUCCESS;
	if (address + size < address)
		return KERN_INVALID_ARGUMENT;
	return vm_map_remove(&t->map, address, address + size);
}

kern_return_t vm_deallocate(mach_port_t target_task, vm_address_t address, vm_size_t size)
{
	struct task *t = task_of(target_task);

	if (!t)
		return KERN_INVALID_ARGUMENT;
	return task_vm_deallocate(t, address, size);
}
