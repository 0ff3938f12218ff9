/* Tasks: an address space, an IPC name space, and a set of threads. */
#ifndef _KERN_TASK_H_
#define _KERN_TASK_H_

#include <stdbool.h>
#include <kern/list.h>
#include <kern/thread.h>
#include <mach/kern_return.h>
#include <kern/vm_map.h>

struct pmap;
struct ipc_space;
struct ipc_port;
struct thread;

/* mach_ports_register / mach_ports_lookup (ABI section 10). */
#define TASK_PORT_REGISTER_MAX	4
#define TASK_ENTRY_FOREIGN	0x1
#define TASK_ENTRY_IOMAP	0x2
_Static_assert(TASK_ENTRY_FOREIGN == 1, "entry.S tests bit 0");

struct task {
	char name[64];			/* kernel_debug_name_t (task_set_name) */
	struct pmap *pmap;		/* NULL for the kernel task (uses the kernel pmap) */
	struct vm_map map;		/* its address space */
	struct ipc_space *space;
	struct ipc_port *self;		/* the task's kernel port (task_self) */
	struct list threads;		/* struct thread.task_link */
	int thread_count;
	int priority;			/* base priority of new threads */
	int max_priority;		/* max_priority of new threads */
	int suspend_count;		/* task_suspend minus task_resume */
	bool active;			/* false once terminated */
	bool essential;			/* task_set_essential (reported, not enforced) */
	/* Send rights the task holds as special and registered ports, or NULL. */
	struct ipc_port *exc_port, *bootstrap_port;
	struct ipc_port *registered[TASK_PORT_REGISTER_MAX];
	/*
	 * TASK_ENTRY_FOREIGN (kern/foreign.c): every syscall goes to syscall_port, a send
	 * right. TASK_ENTRY_IOMAP (arch/x86_64/io_perm.c): the task has an I/O bitmap, so
	 * its syscalls skip the IPC fast path, which therefore never leaves such a task.
	 */
	uint8_t entry_flags;
	uint8_t *iomap;			/* IOMAP_BYTES, a set bit denies the port; or NULL */
	uint32_t syscall_flags;		/* FOREIGN_WANT_PORTS */
	struct ipc_port *syscall_port;
	uint64_t messages_sent, messages_received;	/* by its threads (task_info) */
	uint64_t creation_ticks;
	uint64_t dead_user_ticks, dead_system_ticks;	/* of its threads that ended */
	int refs;
	struct list all_link;		/* in the list of all tasks */
};

extern struct task kernel_task;
extern uint64_t tasks_live;

void task_init(void);
/* An empty user task (no threads, an empty address space). NULL when out of memory. */
struct task *task_new(const char *name);
/* A child of parent for task_create: parent's priorities, special and registered
 * ports (no memory: the caller copies it if asked). NULL when out of memory. */
struct task *task_new_child(struct task *parent);
/* Ends every thread of the task, then the task; may be the caller's own task. */
void task_terminate_task(struct task *t);
/* vm_allocate and vm_deallocate on a task (kern/task_server.c; also the shortcut traps). */
kern_return_t task_vm_allocate(struct task *t, uint64_t *address, uint64_t size, bool anywhere);
kern_return_t task_vm_deallocate(struct task *t, uint64_t address, uint64_t size);
void task_reference(struct task *t);
void task_release(struct task *t);
/* Number of user threads that could still run (TH_RUN or TH_WAIT). */
int task_live_user_threads(void);

/* task_suspend: one more suspension of every thread of t, now and to come. */
void task_hold(struct task *t);

/* Must th stop at its return to user mode (termination or suspension)? */
static inline bool thread_stop_pending(const struct thread *th)
{
	return th->terminate_requested || th->suspend_count || th->task->suspend_count;
}

#endif /* _KERN_TASK_H_ */
