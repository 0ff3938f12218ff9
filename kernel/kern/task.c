/* Tasks (see kern/task.h). */
#include <string.h>
#include <arch/io_perm.h>
#include <arch/pmap.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <kern/printf.h>
#include <kern/sched.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/zalloc.h>

struct task kernel_task;
static struct list all_tasks = LIST_INIT(all_tasks);
static struct zone task_zone;
uint64_t tasks_live;

void task_init(void)
{
	zone_init(&task_zone, "task", sizeof(struct task));
	strlcpy(kernel_task.name, "kernel", sizeof(kernel_task.name));
	list_init(&kernel_task.threads);
	kernel_task.priority = kernel_task.max_priority = BASEPRI_SYSTEM;
	kernel_task.active = true;
	kernel_task.refs = 1;
	kernel_task.self = ipc_port_alloc_kernel(IKOT_TASK, &kernel_task);
	if (!kernel_task.self)
		panic("task: no memory for the kernel task port");
	list_push_back(&all_tasks, &kernel_task.all_link);
}

struct task *task_new(const char *name)
{
	struct task *t = zalloc(&task_zone);

	if (!t)
		return NULL;
	memset(t, 0, sizeof(*t));
	strlcpy(t->name, name, sizeof(t->name));
	list_init(&t->threads);
	t->priority = t->max_priority = BASEPRI_USER;
	t->creation_ticks = sched_ticks;
	t->active = true;
	t->refs = 1;		/* dropped by task_terminate */
	t->pmap = pmap_create();
	t->space = ipc_space_create();
	t->self = ipc_port_alloc_kernel(IKOT_TASK, t);
	if (!t->pmap || !t->space || !t->self) {
		if (t->pmap)
			pmap_destroy(t->pmap);
		if (t->space)
			ipc_space_destroy(t->space);
		if (t->self) {
			ipc_port_disable(t->self);
			ipc_port_release(t->self);
		}
		zfree(&task_zone, t);
		return NULL;
	}
	vm_map_init(&t->map, t->pmap);
	list_push_back(&all_tasks, &t->all_link);
	tasks_live++;
	return t;
}

/* A copy of a send right the task holds, for another holder. */
static struct ipc_port *copy_send(struct ipc_port *port)
{
	return IP_VALID(port) ? ipc_port_copy_send(port) : port;
}

struct task *task_new_child(struct task *parent)
{
	struct task *t = task_new(parent->name);

	if (!t)
		return NULL;
	t->priority = parent->priority;
	t->max_priority = parent->max_priority;
	t->exc_port = copy_send(parent->exc_port);
	t->bootstrap_port = copy_send(parent->bootstrap_port);
	for (int i = 0; i < TASK_PORT_REGISTER_MAX; i++)
		t->registered[i] = copy_send(parent->registered[i]);
	return t;
}

void task_reference(struct task *t)
{
	t->refs++;
}

/* The last reference: no thread is left and the task has been terminated. */
static void task_free(struct task *t)
{
	list_remove(&t->all_link);
	vm_map_destroy(&t->map);
	pmap_destroy(t->pmap);
	io_perm_task_free(t);
	zfree(&task_zone, t);
	tasks_live--;
}

void task_release(struct task *t)
{
	assert(t->refs > 0);
	if (--t->refs == 0)
		task_free(t);
}

/*
 * Conditions: interrupts disabled. Threads end at their next return to user mode
 * (the caller's own thread included, when it terminates its own task).
 */
void task_terminate_task(struct task *t)
{
	struct list *n, *tmp;

	if (!t->active || t == &kernel_task)
		return;
	t->active = false;
	ipc_kobject_destroy(t->self);	/* its send rights become dead names */
	t->self = NULL;
	ipc_right_release(t->exc_port, MACH_MSG_TYPE_PORT_SEND);
	ipc_right_release(t->bootstrap_port, MACH_MSG_TYPE_PORT_SEND);
	ipc_right_release(t->syscall_port, MACH_MSG_TYPE_PORT_SEND);
	t->exc_port = t->bootstrap_port = t->syscall_port = NULL;
	for (int i = 0; i < TASK_PORT_REGISTER_MAX; i++) {
		ipc_right_release(t->registered[i], MACH_MSG_TYPE_PORT_SEND);
		t->registered[i] = NULL;
	}
	/* Its rights die with it: receivers of its send-once rights and senders to its
	 * ports learn now, not when the last thread is gone. */
	ipc_space_destroy(t->space);
	t->space = NULL;
	list_for_each_safe(n, tmp, &t->threads)	/* a stopped thread is freed at once */
		thread_request_terminate(list_entry(n, struct thread, task_link));
	task_release(t);
}

int task_live_user_threads(void)
{
	struct list *tn, *thn;
	int n = 0;

	list_for_each(tn, &all_tasks) {
		struct task *t = list_entry(tn, struct task, all_link);
		if (t == &kernel_task)
			continue;
		list_for_each(thn, &t->threads) {
			struct thread *th = list_entry(thn, struct thread, task_link);
			if (th->state == TH_RUN || th->state == TH_WAIT || th->terminate_requested)
				n++;
		}
	}
	return n;
}

void task_hold(struct task *t)
{
	t->suspend_count++;	/* each thread stops at its next return to user mode */
}
