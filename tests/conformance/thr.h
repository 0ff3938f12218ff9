/*
 * Threads for the tests: extra threads of this task running a C function, threads of
 * empty child tasks, exception messages and their replies. A spawned thread must not
 * use the MIG stubs (the reply port they cache is the main thread's): it uses traps
 * and the raw calls below, with its own reply port.
 */
#ifndef _THR_H
#define _THR_H

#include <mach/task_special_ports.h>
#include <mach/x86_64/thread_status.h>
#include <mach/thread_special_ports.h>
#include "util.h"

/* Values the headers do not name (ABI sections 8-12). */
#define THREAD_STATE_COUNT	i386_THREAD_STATE_COUNT
#define FLOAT_STATE_COUNT	i386_FLOAT_STATE_COUNT
#define XFLOAT_STATE_COUNT	132	/* 16 bytes + the 512-byte FXSAVE area */
#define USER_CS			0x1f
#define USER_SS			0x17
#define TASK_BASIC_INFO		1
#define TASK_EVENTS_INFO	2
#define TASK_THREAD_TIMES_INFO	3
#define THREAD_BASIC_INFO	1
#define THREAD_SCHED_INFO	2
#define TH_STATE_RUNNING	1
#define TH_STATE_STOPPED	2
#define TH_STATE_WAITING	3
#define EXC_BAD_ACCESS		1
#define EXC_BAD_INSTRUCTION	2
#define EXC_ARITHMETIC		3
#define EXC_BREAKPOINT		6
#define EXC_I386_INVOP		1
#define EXC_I386_GPFLT		13
#define EXC_I386_DIV		1
#define EXC_I386_BPT		2
#define GSYNC_SHARED		0x01
#define GSYNC_QUAD		0x02
#define GSYNC_TIMED		0x04
#define GSYNC_BROADCAST		0x08
#define GSYNC_MUTATE		0x10


/* A thread of this task running fn(c); it ends itself when fn returns. */
struct child {
	void (*fn)(struct child *);
	mach_port_t thread;		/* our name for it */
	void *stack;
	volatile uint64_t arg, arg2;	/* for fn */
	volatile int64_t result;	/* fn's report */
	volatile uint64_t counter;	/* progress, for suspension tests */
	volatile int started, done;
};

/* Creates the thread (suspended once); then child_start resumes it. */
void child_create(struct child *c, void (*fn)(struct child *));
void child_start(struct child *c);
/* Waits (bounded) until the thread is gone, then drops our name for it and its stack. */
void child_join(struct child *c);
/* Yields until cond() or about 2 s have passed; returns cond(). */
bool wait_until(bool (*cond)(struct child *), struct child *c);
/* thread_info's run_state and suspend_count. */
int thread_run_state(mach_port_t th);
int thread_suspend_count(mach_port_t th);

/* In a spawned thread: a kernel RPC with a private reply port (its reply code), and
   ending the calling thread. */
int child_rpc(mach_port_t dest, mach_msg_id_t id, const void *body, uint32_t body_len);
__attribute__((noreturn)) void child_exit(void);
/* In a spawned thread: mach_port_mod_refs(self, port, RECEIVE, -1), one way. */
void child_destroy_port(mach_port_t port);

/* A new empty task (no memory, no threads) and one suspended thread in it. */
mach_port_t new_task(void);
mach_port_t new_thread_in(mach_port_t task);
/* Terminates a task and waits (bounded) until its port is dead; drops our name. */
void task_kill(mach_port_t task);

/* An exception message as received (ABI section 8): checks its layout. */
struct exc_msg {
	mach_port_t reply, thread, task;
	int exception, code;
	int64_t subcode;
};
/* Receives one exception message from port (within 2 s) into e; fails the test if it is
   missing or malformed. The thread and task rights it brought are released. */
void exc_receive(mach_port_t port, struct exc_msg *e);
/* Answers an exception with the ABI's reply shape and the given RetCode. */
void exc_reply(const struct exc_msg *e, kern_return_t rc);

void state_get(mach_port_t th, struct i386_thread_state *s);
void state_set(mach_port_t th, const struct i386_thread_state *s);

/* Child bodies: count until arg is set, yielding; receive once on arg2 (result in
 * result). Conditions for wait_until: done; started and blocked (waiting). */
void child_spin(struct child *c);
void child_receive_forever(struct child *c);
bool child_is_done(struct child *c);
bool child_is_waiting(struct child *c);

/* Runs fn (ending in an instruction that faults, ud2 or a refused one) in a new thread
 * of task with rbx, rcx and rdx set; returns the EXC_BAD_INSTRUCTION code it raised. */
int run_to_exception(mach_port_t task, void (*fn)(void), uint64_t rbx, uint64_t rcx, uint64_t rdx);

#endif
