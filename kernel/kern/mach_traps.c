/*
 * The Mach traps this stage implements, and the table that maps trap numbers to
 * them. Every slot of the table not implemented returns KERN_INVALID_ARGUMENT, as
 * the ABI specifies for slots it does not list.
 */
#include <mach/message.h>
#include <mach/syscall_sw.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <ipc/mach_msg.h>
#include <kern/host.h>
#include <kern/mach_traps.h>
#include <kern/printf.h>
#include <kern/sched.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/timer.h>
#include <kern/uaccess.h>

#define MACH_PRINT_CHUNK	256
#define MACH_PRINT_MAX		16384	/* longer strings are cut here */

static uint64_t trap_invalid(const uint64_t *args)
{
	(void)args;
	return KERN_INVALID_ARGUMENT;
}

static uint64_t trap_null_port(const uint64_t *args)
{
	(void)args;
	return 0;
}

/* Copies the user string a chunk at a time; a bad address stops the thread. */
static uint64_t trap_mach_print(const uint64_t *args)
{
	char buf[MACH_PRINT_CHUNK];
	uint64_t at = args[0];

	for (size_t done = 0; done < MACH_PRINT_MAX; done += sizeof(buf) - 1) {
		size_t len;
		bool more;

		if (copyinstr(at + done, buf, sizeof(buf), &len, &more) != KERN_SUCCESS)
			thread_fault_stop(current_thread(), "mach_print: bad string address",
					  at + done, current_thread()->frame->rip);
		console_write(buf, len);
		if (!more)
			break;
	}
	return 0;
}

/* A new send right to port, given to the caller's space; its name, or 0. */
static uint64_t copyout_send(struct ipc_port *port)
{
	mach_port_name_t name;
	struct ipc_space *space = current_thread()->task->space;

	if (!port || !space)
		return 0;
	if (ipc_right_copyout(space, ipc_port_make_send(port), MACH_MSG_TYPE_PORT_SEND, &name) != KERN_SUCCESS)
		return 0;
	return name == MACH_PORT_DEAD ? 0 : name;
}

static uint64_t trap_mach_task_self(const uint64_t *args)
{
	(void)args;
	return copyout_send(current_thread()->task->self);
}

static uint64_t trap_mach_thread_self(const uint64_t *args)
{
	(void)args;
	return copyout_send(current_thread()->self);
}

static uint64_t trap_mach_host_self(const uint64_t *args)
{
	(void)args;
	return copyout_send(host_port);
}

static uint64_t trap_mach_reply_port(const uint64_t *args)
{
	struct ipc_space *space = current_thread()->task->space;
	struct ipc_port *port = ipc_port_alloc_raw();
	mach_port_name_t name;

	(void)args;
	if (!port)
		return 0;
	if (!space || ipc_right_insert_receive(space, port, &name) != KERN_SUCCESS) {
		ipc_port_destroy(port);
		return 0;
	}
	return name;
}

static uint64_t trap_mach_msg(const uint64_t *a)
{
	return (uint32_t)ipc_mach_msg(a[0], (mach_msg_option_t)a[1], (mach_msg_size_t)a[2],
				       (mach_msg_size_t)a[3], (mach_port_name_t)a[4],
				       (mach_msg_timeout_t)a[5], (mach_port_name_t)a[6]);
}

/* swtch and swtch_pri: yield; true if another thread could run. (No priority depression yet.) */
static uint64_t trap_swtch(const uint64_t *args)
{
	(void)args;
	return sched_yield();
}

#define SWITCH_OPTION_NONE	0
#define SWITCH_OPTION_DEPRESS	1
#define SWITCH_OPTION_WAIT	2

static uint64_t trap_thread_switch(const uint64_t *args)
{
	int option = (int)args[1];
	uint32_t ms = (uint32_t)args[2];

	if (option < SWITCH_OPTION_NONE || option > SWITCH_OPTION_WAIT)
		return KERN_INVALID_ARGUMENT;
	if (option == SWITCH_OPTION_WAIT) {
		struct waitq wq;
		waitq_init(&wq);
		waitq_sleep_timeout(&wq, ms ? timer_ms_to_ticks(ms) : 1);
	} else {
		sched_yield();
	}
	return KERN_SUCCESS;
}

/* The task a name in the caller's space is a send right to, or NULL. */
static struct task *user_task(mach_port_name_t name)
{
	struct ipc_space *space = current_thread()->task->space;
	struct ipc_entry *e = space ? ipc_right_lookup(space, name) : NULL;
	struct ipc_port *port;

	if (!e || !(e->type & MACH_PORT_TYPE_SEND))
		return NULL;
	port = e->object;
	return port->active && port->kotype == IKOT_TASK ? port->kobject : NULL;
}

static uint64_t trap_task_terminate(const uint64_t *args)
{
	struct task *t = user_task((mach_port_name_t)args[0]);

	/* Not a task of this kernel: the ABI's answer, on which the caller uses the RPC. */
	if (!t)
		return MACH_SEND_INTERRUPTED;
	task_terminate_task(t);
	return KERN_SUCCESS;
}

#define TRAP(num, n, fn)	[-(num)] = { n, fn, #fn }

static const struct mach_trap trap_table[MACH_TRAP_COUNT] = {
	TRAP(-10, 0, trap_null_port),
	TRAP(-11, 0, trap_null_port),
	TRAP(-12, 0, trap_null_port),
	TRAP(-13, 0, trap_null_port),
	TRAP(-55, 0, trap_null_port),
	TRAP(-56, 0, trap_null_port),
	TRAP(MACH_TRAP_mach_msg_trap, 7, trap_mach_msg),
	TRAP(MACH_TRAP_mach_reply_port, 0, trap_mach_reply_port),
	TRAP(MACH_TRAP_mach_thread_self, 0, trap_mach_thread_self),
	TRAP(MACH_TRAP_mach_task_self, 0, trap_mach_task_self),
	TRAP(MACH_TRAP_mach_host_self, 0, trap_mach_host_self),
	TRAP(MACH_TRAP_thread_switch, 3, trap_thread_switch),
	TRAP(MACH_TRAP_mach_print, 1, trap_mach_print),
	TRAP(MACH_TRAP_swtch_pri, 1, trap_swtch),
	TRAP(MACH_TRAP_swtch, 0, trap_swtch),
	TRAP(MACH_TRAP_syscall_task_terminate, 1, trap_task_terminate),
};

static const struct mach_trap invalid_slot = { 0, trap_invalid, "invalid" };

const struct mach_trap *mach_trap_lookup(int number)
{
	if (number > 0 || number <= -MACH_TRAP_COUNT)
		return NULL;
	if (!trap_table[-number].fn)
		return &invalid_slot;
	return &trap_table[-number];
}
