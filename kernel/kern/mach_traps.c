/*
 * The Mach traps this stage implements, and the table that maps trap numbers to
 * them. Every slot of the table not implemented returns KERN_INVALID_ARGUMENT, as
 * the ABI specifies for slots it does not list.
 */
#include <mach/message.h>
#include <mach/syscall_sw.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <kern/host.h>
#include <kern/mach_traps.h>
#include <kern/printf.h>
#include <kern/sched.h>
#include <kern/task.h>
#include <kern/thread.h>
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

static uint64_t copyout_send(struct ipc_port *port)
{
	uint32_t name;

	if (!port)
		return 0;
	ipc_port_make_send(port);
	if (ipc_space_copyout_send(current_thread()->task->space, port, &name) != KERN_SUCCESS) {
		port->srights--;
		return 0;
	}
	return name;
}

static uint64_t trap_mach_task_self(const uint64_t *args)
{
	(void)args;
	return copyout_send(current_thread()->task->self);
}

static uint64_t trap_mach_host_self(const uint64_t *args)
{
	(void)args;
	return copyout_send(host_port);
}

static uint64_t trap_swtch(const uint64_t *args)
{
	(void)args;
	return sched_yield();
}

static uint64_t trap_task_terminate(const uint64_t *args)
{
	struct task *t = ipc_space_kobject(current_thread()->task->space, (uint32_t)args[0], IKOT_TASK);

	/* Not a task of this kernel: the ABI's answer, on which the caller uses the RPC. */
	if (!t)
		return MACH_SEND_INTERRUPTED;
	task_terminate(t);
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
	TRAP(MACH_TRAP_mach_task_self, 0, trap_mach_task_self),
	TRAP(MACH_TRAP_mach_host_self, 0, trap_mach_host_self),
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
