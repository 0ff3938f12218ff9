/*
 * The thread routines the kernel serves: mach (thread_create ... thread_abort,
 * states, info, special ports), mach_host's priorities and gnumach's names.
 * Ports are kernel-space names (see kern/task_server.c).
 */
#include <string.h>
#include <mach/mach_types.h>
#include <mach/thread_special_ports.h>
#include <mach_debug/mach_debug_types.h>
#include <arch/thread_state.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_right.h>
#include <kern/kserver.h>
#include <kern/sched.h>
#include <kern/task.h>
#include <kern/thread.h>

#define THREAD_BASIC_INFO	1
#define THREAD_SCHED_INFO	2
#define TH_STATE_RUNNING	1
#define TH_STATE_STOPPED	2
#define TH_STATE_WAITING	3
#define TH_STATE_HALTED		5
#define POLICY_TIMESHARE	1

struct thread *thread_from_name(mach_port_t name)
{
	struct thread *th = ipc_kobject_lookup(name, IKOT_THREAD);

	return th && th->state != TH_DEAD ? th : NULL;
}

/* A new thread of the task, suspended once, every register zero (ABI section 9). */
kern_return_t thread_create(mach_port_t parent_task, mach_port_t *child_thread)
{
	struct task *t = task_from_name(parent_task);
	struct thread *th;

	if (!t)
		return KERN_INVALID_ARGUMENT;
	th = thread_create_user(t, 0, 0);
	if (!th)
		return KERN_RESOURCE_SHORTAGE;
	th->suspend_count = 1;
	if (current_thread()->task == t)
		thread_state_inherit_fpu(th, current_thread());
	*child_thread = ipc_kobject_send_name(th->self);
	if (*child_thread == MACH_PORT_NULL) {
		thread_request_terminate(th);
		return KERN_RESOURCE_SHORTAGE;
	}
	return KERN_SUCCESS;
}

kern_return_t thread_terminate(mach_port_t target_thread)
{
	struct thread *th = thread_from_name(target_thread);

	if (!th)
		return KERN_INVALID_ARGUMENT;
	thread_request_terminate(th);
	return KERN_SUCCESS;
}

kern_return_t thread_suspend(mach_port_t target_thread)
{
	struct thread *th = thread_from_name(target_thread);

	if (!th)
		return KERN_INVALID_ARGUMENT;
	th->suspend_count++;	/* it stops at its next return to user mode */
	return KERN_SUCCESS;
}

kern_return_t thread_resume(mach_port_t target_thread)
{
	struct thread *th = thread_from_name(target_thread);

	if (!th)
		return KERN_INVALID_ARGUMENT;
	if (th->suspend_count == 0)
		return KERN_FAILURE;
	th->suspend_count--;
	thread_hold_changed(th);
	return KERN_SUCCESS;
}

/*
 * Breaks the thread out of a blocking wait in the kernel (a receive gets
 * MACH_RCV_INTERRUPTED, a send MACH_SEND_INTERRUPTED, gsync_wait KERN_INTERRUPTED, an
 * exception wait ends with the exception dropped). A running thread is unaffected.
 */
kern_return_t thread_abort(mach_port_t target_thread)
{
	struct thread *th = thread_from_name(target_thread);

	if (!th)
		return KERN_INVALID_ARGUMENT;
	if (th->state == TH_WAIT)
		thread_wakeup_with(th, THREAD_INTERRUPTED);
	return KERN_SUCCESS;
}

kern_return_t thread_get_state(mach_port_t target_thread, int flavor, thread_state_t state,
			       mach_msg_type_number_t *count)
{
	struct thread *th = thread_from_name(target_thread);

	if (!th)
		return KERN_INVALID_ARGUMENT;
	return thread_state_get(th, flavor, state, count);
}

kern_return_t thread_set_state(mach_port_t target_thread, int flavor, const_thread_state_t state,
			       mach_msg_type_number_t count)
{
	struct thread *th = thread_from_name(target_thread);

	if (!th)
		return KERN_INVALID_ARGUMENT;
	return thread_state_set(th, flavor, state, count);
}

static integer_t run_state(const struct thread *th)
{
	if (th->terminate_requested || th->state == TH_DEAD)
		return TH_STATE_HALTED;
	if (th->state == TH_STOPPED)
		return TH_STATE_STOPPED;
	return th->state == TH_WAIT ? TH_STATE_WAITING : TH_STATE_RUNNING;
}

/* THREAD_BASIC_INFO: 32 words, or the first 20 (without the 64-bit times). */
static void basic_info(const struct thread *th, integer_t *info, bool full)
{
	struct {
		time_value_t user_time, system_time;
		integer_t cpu_usage, base_priority, cur_priority, run_state, flags;
		integer_t suspend_count, sleep_time, pad;
		time_value_t creation_time;
		time_value64_t user_time64, system_time64, creation_time64;
	} b;
	_Static_assert(sizeof(b) == 32 * 4, "thread_basic_info");

	memset(&b, 0, sizeof(b));
	ticks_to_time(th->user_ticks, &b.user_time, &b.user_time64);
	ticks_to_time(th->system_ticks, &b.system_time, &b.system_time64);
	ticks_to_date(th->creation_ticks, &b.creation_time, &b.creation_time64);
	b.base_priority = th->base_priority;
	b.cur_priority = th->priority;
	b.run_state = run_state(th);
	b.suspend_count = th->suspend_count;
	memcpy(info, &b, full ? 32 * 4 : 20 * 4);
}

kern_return_t thread_info(mach_port_t target_thread, int flavor, thread_info_t info,
			  mach_msg_type_number_t *count)
{
	struct thread *th = thread_from_name(target_thread);

	if (!th)
		return KERN_INVALID_ARGUMENT;
	switch (flavor) {
	case THREAD_BASIC_INFO:
		if (*count < 20)
			return KERN_INVALID_ARGUMENT;
		*count = *count >= 32 ? 32 : 20;
		basic_info(th, info, *count == 32);
		return KERN_SUCCESS;
	case THREAD_SCHED_INFO: {
		integer_t s[8] = {
			POLICY_TIMESHARE, 0, th->base_priority, th->max_priority, th->priority,
			th->depressed, th->depressed ? th->base_priority : 0, 0 /* last_processor */
		};
		if (*count < 7)
			return KERN_INVALID_ARGUMENT;
		*count = *count >= 8 ? 8 : 7;
		memcpy(info, s, *count * 4);
		return KERN_SUCCESS;
	}
	default:
		return KERN_INVALID_ARGUMENT;
	}
}

kern_return_t thread_get_special_port(mach_port_t thread, int which, mach_port_t *port)
{
	struct thread *th = thread_from_name(thread);

	if (!th)
		return KERN_INVALID_ARGUMENT;
	if (which == THREAD_KERNEL_PORT)
		*port = ipc_kobject_send_name(th->self);
	else if (which == THREAD_EXCEPTION_PORT)
		*port = ipc_kobject_send_name(th->exc_port);
	else
		return KERN_INVALID_ARGUMENT;
	return KERN_SUCCESS;
}

/* The kernel port itself cannot be replaced (see docs/tasks-threads.md). */
kern_return_t thread_set_special_port(mach_port_t thread, int which, mach_port_t port)
{
	struct thread *th = thread_from_name(thread);

	if (!th || which != THREAD_EXCEPTION_PORT)
		return KERN_INVALID_ARGUMENT;
	kserver_set_port(&th->exc_port, port);
	return KERN_SUCCESS;
}

kern_return_t thread_priority_set(struct thread *th, int priority, bool set_max)
{
	kern_return_t kr = KERN_SUCCESS;

	if (priority < 0 || priority >= NRQS)
		return KERN_INVALID_ARGUMENT;
	if (set_max)
		th->max_priority = priority;
	if (priority < th->max_priority) {
		priority = th->max_priority;
		kr = KERN_FAILURE;
	}
	thread_set_priority(th, priority);
	return kr;
}

kern_return_t thread_priority(mach_port_t thread, int priority, boolean_t set_max)
{
	struct thread *th = thread_from_name(thread);

	return th ? thread_priority_set(th, priority, set_max) : KERN_INVALID_ARGUMENT;
}

/*
 * There are no processor sets yet: the privileged host port stands for the one
 * processor set's control port.
 */
kern_return_t thread_depress_abort(mach_port_t thread)
{
	struct thread *th = thread_from_name(thread);

	if (!th)
		return KERN_INVALID_ARGUMENT;
	thread_depress_end(th);
	return KERN_SUCCESS;
}

kern_return_t thread_max_priority(mach_port_t thread, mach_port_t processor_set, int max_priority)
{
	struct thread *th = thread_from_name(thread);

	if (!th || !ipc_kobject_lookup(processor_set, IKOT_HOST_PRIV))
		return KERN_INVALID_ARGUMENT;
	if (max_priority < 0 || max_priority >= NRQS)
		return KERN_INVALID_ARGUMENT;
	th->max_priority = max_priority;
	if (th->priority < max_priority)
		thread_set_priority(th, max_priority);
	return KERN_SUCCESS;
}

kern_return_t thread_set_name(mach_port_t thread, const_kernel_debug_name_t name)
{
	struct thread *th = thread_from_name(thread);

	if (!th)
		return KERN_INVALID_ARGUMENT;
	strlcpy(th->name, name, sizeof(th->name));
	return KERN_SUCCESS;
}

kern_return_t thread_get_name(mach_port_t thread, kernel_debug_name_t name)
{
	struct thread *th = thread_from_name(thread);

	if (!th)
		return KERN_INVALID_ARGUMENT;
	strlcpy(name, th->name, sizeof(kernel_debug_name_t));
	return KERN_SUCCESS;
}
