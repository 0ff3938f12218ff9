/* Tasks: an address space, an IPC name space, and a set of threads. */
#ifndef _KERN_TASK_H_
#define _KERN_TASK_H_

#include <stdbool.h>
#include <kern/list.h>
#include <mach/kern_return.h>
#include <kern/vm_map.h>

struct pmap;
struct ipc_space;
struct ipc_port;
struct thread;

struct task {
	char name[32];
	struct pmap *pmap;		/* NULL for the kernel task (uses the kernel pmap) */
	struct vm_map map;		/* its address space */
	struct ipc_space *space;
	struct ipc_port *self;		/* the task's kernel port (task_self) */
	struct list threads;		/* struct thread.task_link */
	int thread_count;
	int priority;			/* base priority of new threads */
	bool active;			/* false once terminated */
	int refs;
	struct list all_link;		/* in the list of all tasks */
};

extern struct task kernel_task;
extern uint64_t tasks_live;

void task_init(void);
/* An empty user task (no threads, an empty address space). NULL when out of memory. */
struct task *task_new(const char *name);
/* Ends every thread of the task, then the task; may be the caller's own task. */
void task_terminate_task(struct task *t);
/* vm_allocate and vm_deallocate on a task (kern/task_server.c; also the shortcut traps). */
kern_return_t task_vm_allocate(struct task *t, uint64_t *address, uint64_t size, bool anywhere);
kern_return_t task_vm_deallocate(struct task *t, uint64_t address, uint64_t size);
void task_reference(struct task *t);
void task_release(struct task *t);
/* Number of user threads that could still run (TH_RUN or TH_WAIT). */
int task_live_user_threads(void);

#endif /* _KERN_TASK_H_ */
