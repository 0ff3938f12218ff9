/*
 * The Mach traps this stage implements, and the table that maps trap numbers to
 * them. Every slot of the table not implemented returns KERN_INVALID_ARGUMENT, as
 * the ABI specifies for slots it does not list.
 */
#include <mach/mach_traps.h>
#include <mach/message.h>
#include <mach/syscall_sw.h>
#include <arch/thread_state.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <ipc/mach_msg.h>
#include <kern/exception.h>
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

static uint64_t fast_invalid(void)
{
	return KERN_INVALID_ARGUMENT;
}

static uint64_t fast_null_port(void)
{
	return 0;
}

/*
 * A trap argument in memory that cannot be read: the thread takes EXC_BAD_ACCESS, and
 * the trap is not performed (its frame, rax included, stays as the handler left it).
 */
static void bad_argument(uint64_t addr)
{
	exception_raise_fault(current_thread(), EXC_BAD_ACCESS, KERN_INVALID_ADDRESS, (int64_t)addr);
	current_thread()->state_replaced = true;
}

/* Copies the user string a chunk at a time; a bad address is an exception. */
static uint64_t trap_mach_print(const uint64_t *args)
{
	char buf[MACH_PRINT_CHUNK];
	uint64_t at = args[0];

	for (size_t done = 0; done < MACH_PRINT_MAX; done += sizeof(buf) - 1) {
		size_t len;
		bool more;

		if (copyinstr(at + done, buf, sizeof(buf), &len, &more) != KERN_SUCCESS) {
			bad_argument(at + done);
			break;
		}
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

static uint64_t fast_task_self(void)
{
	return copyout_send(current_thread()->task->self);
}

static uint64_t fast_thread_self(void)
{
	return copyout_send(current_thread()->self);
}

static uint64_t fast_host_self(void)
{
	return copyout_send(host_port);
}

static uint64_t fast_reply_port(void)
{
	struct ipc_space *space = current_thread()->task->space;
	struct ipc_port *port = ipc_port_alloc_raw();
	mach_port_name_t name;

	if (!port)
		return 0;
	if (!space || ipc_right_insert_receive(space, port, &name) != KERN_SUCCESS) {
		ipc_port_destroy(port);
		return 0;
	}
	return name;
}

/* The notify argument matters only with these options. */
#define NOTIFY_OPTIONS	(MACH_SEND_NOTIFY | MACH_SEND_CANCEL | MACH_RCV_NOTIFY)

uint64_t mach_trap_msg(uint64_t msg, uint64_t option, uint64_t send_size, uint64_t rcv_size,
		       uint64_t rcv_name, uint64_t timeout, uint64_t rsp, uint64_t rip)
{
	uint64_t notify = 0;

	(void)rip;
	if ((option & NOTIFY_OPTIONS) && copyin(rsp + 8, &notify, sizeof(notify)) != KERN_SUCCESS) {
		bad_argument(rsp + 8);
		return 0;
	}
	return (uint32_t)ipc_mach_msg(msg, (mach_msg_option_t)option, (mach_msg_size_t)send_size,
				       (mach_msg_size_t)rcv_size, (mach_port_name_t)rcv_name,
				       (mach_msg_timeout_t)timeout, (mach_port_name_t)notify);
}

/* swtch: yield; true if another thread could run. */
static uint64_t trap_swtch(const uint64_t *args)
{
	(void)args;
	return sched_yield();
}

/* swtch_pri: the same at the lowest priority for one quantum (the argument is ignored,
 * as in GNU Mach). */
static uint64_t trap_swtch_pri(const uint64_t *args)
{
	thread_depress(current_thread(), SCHED_QUANTUM);
	return trap_swtch(args);
}


/*
 * The thread a thread_switch hint names (a send right of the caller's), if it waits
 * for the processor on a run queue; NULL otherwise (a bad hint is no hint, as in GNU
 * Mach).
 */
static struct thread *switch_hint(mach_port_name_t name)
{
	struct thread *self = current_thread(), *th;
	struct ipc_space *space = self->task->space;
	struct ipc_entry *e;
	struct ipc_port *port;

	if (name == MACH_PORT_NULL || !space || !(e = ipc_right_lookup(space, name)) ||
	    !(e->type & MACH_PORT_TYPE_SEND))
		return NULL;
	port = e->object;
	if (!port->active || port->kotype != IKOT_THREAD)
		return NULL;
	th = port->kobject;
	return th && th != self && th->state == TH_RUN ? th : NULL;
}

/*
 * thread_switch(hint, option, ms): hand the processor to the hinted thread if it can
 * run (whatever its priority), else yield; with SWITCH_OPTION_DEPRESS first drop to
 * the lowest priority for ms (0: until thread_depress_abort); with SWITCH_OPTION_WAIT
 * sleep ms (at least a tick), the hinted thread first in line.
 */
static uint64_t trap_thread_switch(const uint64_t *args)
{
	int option = (int)args[1];
	uint32_t ms = (uint32_t)args[2];
	struct thread *hint;

	if (option < SWITCH_OPTION_NONE || option > SWITCH_OPTION_WAIT)
		return KERN_INVALID_ARGUMENT;
	hint = switch_hint((mach_port_name_t)args[0]);
	if (option == SWITCH_OPTION_DEPRESS)
		thread_depress(current_thread(), timer_ms_to_ticks(ms));
	if (option == SWITCH_OPTION_WAIT) {
		struct waitq wq;

		if (hint) {
			sched_dequeue(hint);
			sched_enqueue_first(hint);
		}
		waitq_init(&wq);
		waitq_sleep_timeout(&wq, ms ? timer_ms_to_ticks(ms) : 1);
	} else if (hint) {
		sched_handoff(hint);
	} else {
		sched_yield();
	}
	return KERN_SUCCESS;
}

/* The task a name in the caller's space is a send right to, or NULL. */
/* The kernel object of kind `type` that a send right of the caller's names, or NULL. */
static void *user_kobject(mach_port_name_t name, enum ipc_kotype type)
{
	struct ipc_space *space = current_thread()->task->space;
	struct ipc_entry *e = space ? ipc_right_lookup(space, name) : NULL;
	struct ipc_port *port;

	if (!e || !(e->type & MACH_PORT_TYPE_SEND))
		return NULL;
	port = e->object;
	return port->active && port->kotype == type ? port->kobject : NULL;
}

static struct task *user_task(mach_port_name_t name)
{
	return user_kobject(name, IKOT_TASK);
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

/*
 * Shortcut traps (ABI section 2): the RPC's work without a message. An argument that is
 * not a task of this kernel gets MACH_SEND_INTERRUPTED, on which the caller uses the RPC.
 */
static uint64_t trap_vm_allocate(const uint64_t *a)
{
	struct task *t = user_task((mach_port_name_t)a[0]);
	uint64_t addr;
	kern_return_t kr;

	if (!t)
		return MACH_SEND_INTERRUPTED;
	if (copyin(a[1], &addr, sizeof(addr)) != KERN_SUCCESS)
		return KERN_INVALID_ADDRESS;
	kr = task_vm_allocate(t, &addr, a[2], (boolean_t)a[3]);
	if (kr == KERN_SUCCESS && copyout(&addr, a[1], sizeof(addr)) != KERN_SUCCESS)
		return KERN_INVALID_ADDRESS;
	return kr;
}

static uint64_t trap_vm_deallocate(const uint64_t *a)
{
	struct task *t = user_task((mach_port_name_t)a[0]);

	return t ? task_vm_deallocate(t, a[1], a[2]) : MACH_SEND_INTERRUPTED;
}

static uint64_t trap_port_allocate(const uint64_t *a)
{
	struct task *t = user_task((mach_port_name_t)a[0]);
	mach_port_name_t name;
	kern_return_t kr;

	if (!t)
		return MACH_SEND_INTERRUPTED;
	if (!user_range_ok(a[2], sizeof(name)))
		return KERN_INVALID_ADDRESS;
	kr = ipc_port_allocate_in(t->space, (mach_port_right_t)a[1], &name);
	if (kr == KERN_SUCCESS && copyout(&name, a[2], sizeof(name)) != KERN_SUCCESS) {
		ipc_right_destroy(t->space, name);
		return KERN_INVALID_ADDRESS;
	}
	return kr;
}

static uint64_t trap_port_allocate_name(const uint64_t *a)
{
	struct task *t = user_task((mach_port_name_t)a[0]);

	return t ? ipc_port_allocate_name_in(t->space, (mach_port_right_t)a[1], (mach_port_name_t)a[2])
		 : MACH_SEND_INTERRUPTED;
}

static uint64_t trap_port_deallocate(const uint64_t *a)
{
	struct task *t = user_task((mach_port_name_t)a[0]);

	return t ? ipc_right_dealloc(t->space, (mach_port_name_t)a[1]) : MACH_SEND_INTERRUPTED;
}

/* The right named right_name in the caller's space, by disposition, into the task. */
static uint64_t trap_port_insert_right(const uint64_t *a)
{
	struct task *t = user_task((mach_port_name_t)a[0]);
	mach_msg_type_name_t disp = (mach_msg_type_name_t)a[3], type;
	struct ipc_port *port;
	kern_return_t kr;

	if (!t)
		return MACH_SEND_INTERRUPTED;
	if (!MACH_PORT_VALID((mach_port_name_t)a[1]) || disp < MACH_MSG_TYPE_MOVE_RECEIVE ||
	    disp > MACH_MSG_TYPE_MAKE_SEND_ONCE)
		return KERN_INVALID_VALUE;
	if (!ipc_right_copyin_check(current_thread()->task->space, (mach_port_name_t)a[2], disp, 1))
		return KERN_INVALID_CAPABILITY;
	if (ipc_right_copyin(current_thread()->task->space, (mach_port_name_t)a[2], disp, &port) != KERN_SUCCESS ||
	    !IP_VALID(port))
		return KERN_INVALID_CAPABILITY;
	type = disp == MACH_MSG_TYPE_MOVE_RECEIVE ? MACH_MSG_TYPE_PORT_RECEIVE :
	       (disp == MACH_MSG_TYPE_MOVE_SEND_ONCE || disp == MACH_MSG_TYPE_MAKE_SEND_ONCE) ?
	       MACH_MSG_TYPE_PORT_SEND_ONCE : MACH_MSG_TYPE_PORT_SEND;
	kr = ipc_right_copyout_name(t->space, port, type, (mach_port_name_t)a[1]);
	if (kr != KERN_SUCCESS)
		ipc_right_release(port, type);
	return kr;
}

/* Shortcuts whose RPC this kernel does not serve yet: always the fallback. */
static uint64_t trap_task_suspend(const uint64_t *a)
{
	struct task *t = user_task((mach_port_name_t)a[0]);

	if (!t)
		return MACH_SEND_INTERRUPTED;
	task_hold(t);
	return KERN_SUCCESS;
}

static uint64_t trap_thread_depress_abort(const uint64_t *a)
{
	struct thread *th = user_kobject((mach_port_name_t)a[0], IKOT_THREAD);

	if (!th)
		return MACH_SEND_INTERRUPTED;
	thread_depress_end(th);
	return KERN_SUCCESS;
}

/* task_create, task_set_special_port and vm_map: the caller uses the RPC (ABI 2). */
static uint64_t trap_shortcut_declined(const uint64_t *a)
{
	(void)a;
	return MACH_SEND_INTERRUPTED;
}

#define SELF_STATE_MAX_WORDS	150	/* thread_set_self_state's count bound (ABI section 2) */

/* thread_set_self_state(flavor, state, count): as thread_set_state on the caller. */
static uint64_t trap_thread_set_self_state(const uint64_t *a)
{
	uint32_t state[SELF_STATE_MAX_WORDS];
	uint32_t count = (uint32_t)a[2];

	if (count < 1 || count > SELF_STATE_MAX_WORDS ||
	    copyin(a[1], state, (size_t)count * 4) != KERN_SUCCESS)
		return KERN_INVALID_ARGUMENT;
	/* On success with a flavor holding rax, the new frame is left as it is. */
	return thread_state_set(current_thread(), (int)a[0], state, count);
}

#define TRAP(num, n, fn)	[-(num)] = { n, fn, #fn, NULL }
#define FAST(num, fast)		[-(num)] = { 0, NULL, #fast, fast }

static const struct mach_trap trap_table[MACH_TRAP_COUNT] = {
	FAST(-10, fast_null_port),
	FAST(-11, fast_null_port),
	FAST(-12, fast_null_port),
	FAST(-13, fast_null_port),
	FAST(-55, fast_null_port),
	FAST(-56, fast_null_port),
	FAST(MACH_TRAP_mach_reply_port, fast_reply_port),
	FAST(MACH_TRAP_mach_thread_self, fast_thread_self),
	FAST(MACH_TRAP_mach_task_self, fast_task_self),
	FAST(MACH_TRAP_mach_host_self, fast_host_self),
	TRAP(MACH_TRAP_thread_switch, 3, trap_thread_switch),
	TRAP(MACH_TRAP_mach_print, 1, trap_mach_print),
	TRAP(MACH_TRAP_swtch_pri, 1, trap_swtch_pri),
	TRAP(MACH_TRAP_swtch, 0, trap_swtch),
	TRAP(MACH_TRAP_syscall_vm_map, 11, trap_shortcut_declined),
	TRAP(MACH_TRAP_syscall_vm_allocate, 4, trap_vm_allocate),
	TRAP(MACH_TRAP_syscall_vm_deallocate, 3, trap_vm_deallocate),
	TRAP(MACH_TRAP_syscall_task_create, 3, trap_shortcut_declined),
	TRAP(MACH_TRAP_syscall_task_terminate, 1, trap_task_terminate),
	TRAP(MACH_TRAP_syscall_task_suspend, 1, trap_task_suspend),
	TRAP(MACH_TRAP_syscall_task_set_special_port, 3, trap_shortcut_declined),
	TRAP(MACH_TRAP_syscall_mach_port_allocate, 3, trap_port_allocate),
	TRAP(MACH_TRAP_syscall_mach_port_deallocate, 2, trap_port_deallocate),
	TRAP(MACH_TRAP_syscall_mach_port_insert_right, 4, trap_port_insert_right),
	TRAP(MACH_TRAP_syscall_mach_port_allocate_name, 3, trap_port_allocate_name),
	TRAP(MACH_TRAP_syscall_thread_depress_abort, 1, trap_thread_depress_abort),
	TRAP(MACH_TRAP_thread_set_self_state, 3, trap_thread_set_self_state),
};

static const struct mach_trap invalid_slot = { 0, NULL, "invalid", fast_invalid };

uint64_t (*mach_fast_traps[MACH_TRAP_COUNT])(void);

void mach_traps_init(void)
{
	for (int i = 0; i < MACH_TRAP_COUNT; i++)
		mach_fast_traps[i] = trap_table[i].fast ? trap_table[i].fast :
				     trap_table[i].fn ? NULL : fast_invalid;
	mach_fast_traps[-MACH_TRAP_mach_msg_trap] = NULL;	/* syscall_dispatch's own */
}

/* mach_msg (slot 25) is dispatched by syscall_dispatch itself, from its registers. */
const struct mach_trap *mach_trap_lookup(int number)
{
	if (number > 0 || number <= -MACH_TRAP_COUNT)
		return NULL;
	/* A simple trap has only `fast`: syscall_dispatch runs it for a flagged task. */
	if (!trap_table[-number].fn && !trap_table[-number].fast)
		return &invalid_slot;
	return &trap_table[-number];
}
