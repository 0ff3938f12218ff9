/*
 * The task routines the kernel serves (mach 2000-2100, mach_host's task_priority,
 * gnumach's task_set_name and task_set_essential) and the anonymous-memory calls.
 * Ports are kernel-space names; `out` ports are send rights made in the kernel's
 * space that the reply moves to the client (ipc_kobject_send_name).
 */
#include <string.h>
#include <mach/mach_types.h>
#include <mach_debug/mach_debug_types.h>
#include <arch/apic.h>
#include <arch/pmap.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <kern/host.h>
#include <kern/kserver.h>
#include <kern/layout.h>
#include <kern/printf.h>
#include <kern/sched.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/vm_map.h>
#include <kern/zalloc.h>
#include <mach/task_special_ports.h>

#define TASK_BASIC_INFO		1
#define TASK_EVENTS_INFO	2
#define TASK_THREAD_TIMES_INFO	3

struct task *task_from_name(mach_port_t name)
{
	struct task *t = ipc_kobject_lookup(name, IKOT_TASK);

	return t && t->active ? t : NULL;
}

void ticks_to_date(uint64_t ticks, time_value_t *tv, time_value64_t *tv64)
{
	int64_t ns = host_boot_time_ns + (int64_t)ticks * (1000000000ll / TIMER_HZ);

	*tv = (time_value_t){ ns / 1000000000ll, (integer_t)(ns % 1000000000ll / 1000) };
	*tv64 = (time_value64_t){ ns / 1000000000ll, ns % 1000000000ll };
}

void ticks_to_time(uint64_t ticks, time_value_t *tv, time_value64_t *tv64)
{
	uint64_t us = ticks * (1000000 / TIMER_HZ);

	if (tv)
		*tv = (time_value_t){ (int64_t)(us / 1000000), (integer_t)(us % 1000000) };
	if (tv64)
		*tv64 = (time_value64_t){ (int64_t)(us / 1000000), (int64_t)(us % 1000000) * 1000 };
}

kern_return_t task_create(mach_port_t target_task, boolean_t inherit_memory, mach_port_t *child_task)
{
	struct task *parent = task_from_name(target_task), *child;

	if (!parent)
		return KERN_INVALID_ARGUMENT;
	child = task_new_child(parent);
	if (!child)
		return KERN_RESOURCE_SHORTAGE;
	/* Inherited memory: each region as its inheritance says (copy-on-write by default). */
	if (inherit_memory && vm_map_fork(&child->map, &parent->map) != KERN_SUCCESS) {
		task_terminate_task(child);
		return KERN_RESOURCE_SHORTAGE;
	}
	*child_task = ipc_kobject_send_name(child->self);
	if (*child_task == MACH_PORT_NULL) {
		task_terminate_task(child);
		return KERN_RESOURCE_SHORTAGE;
	}
	return KERN_SUCCESS;
}

kern_return_t task_terminate(mach_port_t target_task)
{
	struct task *t = task_from_name(target_task);

	if (!t)
		return KERN_INVALID_ARGUMENT;
	task_terminate_task(t);
	return KERN_SUCCESS;
}

kern_return_t task_suspend(mach_port_t target_task)
{
	struct task *t = task_from_name(target_task);

	if (!t)
		return KERN_INVALID_ARGUMENT;
	task_hold(t);
	return KERN_SUCCESS;
}

kern_return_t task_resume(mach_port_t target_task)
{
	struct task *t = task_from_name(target_task);
	struct list *n;

	if (!t)
		return KERN_INVALID_ARGUMENT;
	if (t->suspend_count == 0)
		return KERN_FAILURE;
	t->suspend_count--;
	list_for_each(n, &t->threads)
		thread_hold_changed(list_entry(n, struct thread, task_link));
	return KERN_SUCCESS;
}

/* Times of the task's live threads (and, with dead, of those that ended). */
static void task_times(struct task *t, bool dead, uint64_t *user, uint64_t *system)
{
	struct list *n;

	*user = dead ? t->dead_user_ticks : 0;
	*system = dead ? t->dead_system_ticks : 0;
	list_for_each(n, &t->threads) {
		struct thread *th = list_entry(n, struct thread, task_link);
		*user += th->user_ticks;
		*system += th->system_ticks;
	}
}

/* TASK_BASIC_INFO: 30 words, or the first 18 (without the 64-bit times). */
static void basic_info(struct task *t, integer_t *info, bool full)
{
	struct {
		integer_t suspend_count, base_priority;
		uint64_t virtual_size, resident_size;
		time_value_t user_time, system_time, creation_time;
		time_value64_t user_time64, system_time64, creation_time64;
	} b;
	uint64_t user, system;
	_Static_assert(sizeof(b) == 30 * 4, "task_basic_info");

	memset(&b, 0, sizeof(b));
	task_times(t, true, &user, &system);
	b.suspend_count = t->suspend_count;
	b.base_priority = t->priority;
	b.virtual_size = t->map.size;
	b.resident_size = (uint64_t)t->pmap->resident * PAGE_SIZE;
	ticks_to_time(user, &b.user_time, &b.user_time64);
	ticks_to_time(system, &b.system_time, &b.system_time64);
	ticks_to_date(t->creation_ticks, &b.creation_time, &b.creation_time64);
	memcpy(info, &b, full ? 30 * 4 : 18 * 4);
}

kern_return_t task_info(mach_port_t target_task, int flavor, task_info_t info,
			mach_msg_type_number_t *count)
{
	struct task *t = task_from_name(target_task);
	uint64_t user, system;

	if (!t)
		return KERN_INVALID_ARGUMENT;
	switch (flavor) {
	case TASK_BASIC_INFO:
		if (*count < 18)
			return KERN_INVALID_ARGUMENT;
		*count = *count >= 30 ? 30 : 18;
		basic_info(t, info, *count == 30);
		return KERN_SUCCESS;
	case TASK_EVENTS_INFO:
		if (*count < 14)
			return KERN_INVALID_ARGUMENT;
	{
		/* u64 faults, zero_fills, reactivations, pageins, cow_faults, messages
		 * sent and received (ABI section 12); nothing is paged in or out here. */
		uint64_t ev[7] = { t->map.faults, t->map.zero_fills, 0, 0, t->map.cow_faults,
				   t->messages_sent, t->messages_received };

		memcpy(info, ev, sizeof(ev));
		*count = 14;
		return KERN_SUCCESS;
	}
	case TASK_THREAD_TIMES_INFO: {
		struct {
			time_value_t user_time, system_time;
			time_value64_t user_time64, system_time64;
		} tt;
		_Static_assert(sizeof(tt) == 16 * 4, "task_thread_times_info");
		if (*count < 8)
			return KERN_INVALID_ARGUMENT;
		task_times(t, false, &user, &system);
		ticks_to_time(user, &tt.user_time, &tt.user_time64);
		ticks_to_time(system, &tt.system_time, &tt.system_time64);
		*count = *count >= 16 ? 16 : 8;
		memcpy(info, &tt, *count * 4);
		return KERN_SUCCESS;
	}
	default:
		return KERN_INVALID_ARGUMENT;
	}
}

kern_return_t task_threads(mach_port_t target_task, thread_array_t *list, mach_msg_type_number_t *count)
{
	struct task *t = task_from_name(target_task);
	mach_port_t *names;
	struct list *n;
	uint32_t i = 0;

	if (!t)
		return KERN_INVALID_ARGUMENT;
	*list = NULL;
	*count = 0;
	if (t->thread_count == 0)
		return KERN_SUCCESS;
	names = kalloc((size_t)t->thread_count * sizeof(*names));
	if (!names)
		return KERN_RESOURCE_SHORTAGE;
	list_for_each(n, &t->threads) {
		struct thread *th = list_entry(n, struct thread, task_link);
		names[i++] = ipc_kobject_send_name(th->self);
	}
	*list = names;
	*count = i;
	return KERN_SUCCESS;
}

/* The special port `which` of t, as a slot. */
static struct ipc_port **special_slot(struct task *t, int which)
{
	switch (which) {
	case TASK_EXCEPTION_PORT:	return &t->exc_port;
	case TASK_BOOTSTRAP_PORT:	return &t->bootstrap_port;
	default:			return NULL;
	}
}

kern_return_t task_get_special_port(mach_port_t task, int which, mach_port_t *port)
{
	struct task *t = task_from_name(task);
	struct ipc_port **slot;

	if (!t)
		return KERN_INVALID_ARGUMENT;
	if (which == TASK_KERNEL_PORT) {
		*port = ipc_kobject_send_name(t->self);
		return KERN_SUCCESS;
	}
	if (!(slot = special_slot(t, which)))
		return KERN_INVALID_ARGUMENT;
	*port = ipc_kobject_send_name(*slot);
	return KERN_SUCCESS;
}

/* Replaces a held send right with the one a request brought (name in the kernel space). */
void kserver_set_port(struct ipc_port **slot, mach_port_t name)
{
	struct ipc_port *old = *slot;

	*slot = ipc_kobject_take_right(name, MACH_MSG_TYPE_MOVE_SEND);
	ipc_right_release(old, MACH_MSG_TYPE_PORT_SEND);
}

/* The kernel port itself cannot be replaced (see docs/tasks-threads.md). */
kern_return_t task_set_special_port(mach_port_t task, int which, mach_port_t port)
{
	struct task *t = task_from_name(task);
	struct ipc_port **slot;

	if (!t)
		return KERN_INVALID_ARGUMENT;
	if (!(slot = special_slot(t, which)))
		return KERN_INVALID_ARGUMENT;
	kserver_set_port(slot, port);
	return KERN_SUCCESS;
}

kern_return_t mach_ports_register(mach_port_t target_task, mach_port_array_t ports,
				  mach_msg_type_number_t count)
{
	struct task *t = task_from_name(target_task);

	if (!t || count > TASK_PORT_REGISTER_MAX)
		return KERN_INVALID_ARGUMENT;
	for (uint32_t i = 0; i < TASK_PORT_REGISTER_MAX; i++) {
		if (i < count) {
			kserver_set_port(&t->registered[i], ports[i]);
		} else {
			ipc_right_release(t->registered[i], MACH_MSG_TYPE_PORT_SEND);
			t->registered[i] = NULL;
		}
	}
	kfree(ports, count * sizeof(*ports));	/* the request's array is ours on success */
	return KERN_SUCCESS;
}

kern_return_t mach_ports_lookup(mach_port_t target_task, mach_port_array_t *ports,
				mach_msg_type_number_t *count)
{
	struct task *t = task_from_name(target_task);
	mach_port_t *names;

	if (!t)
		return KERN_INVALID_ARGUMENT;
	names = kalloc(TASK_PORT_REGISTER_MAX * sizeof(*names));
	if (!names)
		return KERN_RESOURCE_SHORTAGE;
	for (int i = 0; i < TASK_PORT_REGISTER_MAX; i++)
		names[i] = ipc_kobject_send_name(t->registered[i]);
	*ports = names;
	*count = TASK_PORT_REGISTER_MAX;
	return KERN_SUCCESS;
}

kern_return_t task_priority(mach_port_t task, int priority, boolean_t change_threads)
{
	struct task *t = task_from_name(task);
	kern_return_t kr = KERN_SUCCESS;
	struct list *n;

	if (!t)
		return KERN_INVALID_ARGUMENT;
	if (priority < 0 || priority >= NRQS)
		return KERN_INVALID_ARGUMENT;
	t->priority = priority;
	if (change_threads) {
		list_for_each(n, &t->threads) {
			struct thread *th = list_entry(n, struct thread, task_link);
			if (thread_priority_set(th, priority, false) != KERN_SUCCESS)
				kr = KERN_FAILURE;
		}
	}
	return kr;
}

kern_return_t task_set_name(mach_port_t task, const_kernel_debug_name_t name)
{
	struct task *t = task_from_name(task);

	if (!t)
		return KERN_INVALID_ARGUMENT;
	strlcpy(t->name, name, sizeof(t->name));
	return KERN_SUCCESS;
}

kern_return_t task_set_essential(mach_port_t task, boolean_t essential)
{
	struct task *t = task_from_name(task);

	if (!t)
		return KERN_INVALID_ARGUMENT;
	t->essential = essential;
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
	struct task *t = task_from_name(target_task);
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
	struct task *t = task_from_name(target_task);

	if (!t)
		return KERN_INVALID_ARGUMENT;
	return task_vm_deallocate(t, address, size);
}
