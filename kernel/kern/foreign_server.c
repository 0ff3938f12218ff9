/*
 * The personality subsystem (5100) the kernel serves on task ports: marking a task
 * foreign (kern/foreign.h), and reading and writing its memory at byte granularity
 * (kern/vm_map.h: vm_map_read_user). Ports are kernel-space names (see
 * kern/task_server.c).
 */
#include <mach/personality.h>
#include <arch/percpu.h>
#include <ipc/ipc_kobject.h>
#include <kern/kserver.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/vm_map.h>

kern_return_t task_set_syscall_port(mach_port_t task, mach_port_t syscall_port, int flags)
{
	struct task *t = task_from_name(task);

	if (!t || t == &kernel_task || syscall_port == MACH_PORT_DEAD || (flags & ~FOREIGN_FLAGS_ALL))
		return KERN_INVALID_ARGUMENT;
	kserver_set_port(&t->syscall_port, syscall_port);
	t->syscall_flags = t->syscall_port ? (uint32_t)flags : 0;
	t->entry_flags &= ~TASK_ENTRY_FOREIGN;
	if (t->syscall_port)
		t->entry_flags |= TASK_ENTRY_FOREIGN;
	/* sched_load keeps the flag for the next switch; a task setting itself needs it now. */
	if (current_thread()->task == t)
		this_cpu()->entry_flags = t->entry_flags;
	return KERN_SUCCESS;
}

kern_return_t task_get_syscall_port(mach_port_t task, mach_port_t *syscall_port, int *flags)
{
	struct task *t = task_from_name(task);

	if (!t)
		return KERN_INVALID_ARGUMENT;
	*syscall_port = ipc_kobject_send_name(t->syscall_port);
	*flags = (int)t->syscall_flags;
	return KERN_SUCCESS;
}

/* The map of a live task other than the kernel's (task_from_name: live ones), or NULL. */
static struct vm_map *user_map(mach_port_t task)
{
	struct task *t = task_from_name(task);

	return t && t != &kernel_task ? &t->map : NULL;
}

/* data is the reply's room for TASK_MEMORY_MAX bytes; *dataCnt says how many go back. */
kern_return_t task_read_memory(mach_port_t task, vm_address_t address, vm_size_t size,
			       task_memory_data_t data, mach_msg_type_number_t *dataCnt)
{
	struct vm_map *map = user_map(task);
	kern_return_t kr;

	*dataCnt = 0;
	if (!map || size > TASK_MEMORY_MAX)
		return KERN_INVALID_ARGUMENT;
	kr = vm_map_read_user(map, address, data, size);
	if (kr == KERN_SUCCESS)
		*dataCnt = (mach_msg_type_number_t)size;
	return kr;
}

kern_return_t task_write_memory(mach_port_t task, vm_address_t address,
				const_task_memory_data_t data, mach_msg_type_number_t dataCnt)
{
	struct vm_map *map = user_map(task);

	if (!map || dataCnt > TASK_MEMORY_MAX)
		return KERN_INVALID_ARGUMENT;
	return vm_map_write_user(map, address, data, dataCnt);
}
