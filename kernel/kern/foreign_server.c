/*
 * The personality subsystem (5100) the kernel serves on task ports: marking a task
 * foreign (kern/foreign.h). Ports are kernel-space names (see kern/task_server.c).
 */
#include <mach/personality.h>
#include <arch/percpu.h>
#include <ipc/ipc_kobject.h>
#include <kern/kserver.h>
#include <kern/task.h>
#include <kern/thread.h>

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
