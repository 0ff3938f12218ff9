/*
 * I/O ports (mach_i386 3805-3806, ABI section 9 flavor 3): io_perm objects made from the
 * device master port, enabled in a child task's I/O bitmap; the child's thread runs
 * `inb` on COM2's scratch register (0x2ff: QEMU emulates it, a read has no side
 * effect) or faults with EXC_BAD_INSTRUCTION / EXC_I386_GPFLT.
 */
#include <mach/syscall_sw.h>
#include <mach/x86_64/mach_i386.h>
#include "ct.h"
#include "thr.h"

#define COM2_FIRST	0x2f8
#define COM2_SCRATCH	0x2ff

/* inb from port rdx, then ud2: EXC_I386_INVOP says the inb ran, GPFLT that it faulted. */
void io_probe(void);
__asm__(".text\n"
	".global io_probe\n"
	"io_probe:\n\t"
	"inb %dx, %al\n\t"
	"ud2\n");

#define IO_STR(x)	IO_STR2(x)
#define IO_STR2(x)	#x

/*
 * mach_task_self then mach_host_self, then ud2 if they gave different names, hlt (a
 * #GP in user mode) if the same: a task with an I/O bitmap takes the flagged syscall
 * path, where the simple traps once all answered KERN_INVALID_ARGUMENT.
 */
void io_trap_probe(void);
__asm__(".text\n"
	".global io_trap_probe\n"
	"io_trap_probe:\n\t"
	"movl $" IO_STR(MACH_TRAP_mach_task_self) ", %eax\n\t"
	"syscall\n\t"
	"movl %eax, %ebx\n\t"
	"movl $" IO_STR(MACH_TRAP_mach_host_self) ", %eax\n\t"
	"syscall\n\t"
	"cmpl %eax, %ebx\n\t"
	"jne 1f\n\t"
	"hlt\n"
	"1:\tud2\n");

/* Runs io_probe on port in a new thread of task; returns the exception code it raised. */
static int probe(mach_port_t task, unsigned port)
{
	return run_to_exception(task, io_probe, 0, 0, port);
}

/* A child with a copy of our memory (io_probe included). */
static mach_port_t child_task(void)
{
	mach_port_t t;

	OK(task_create(ct_task, 1, &t));
	return t;
}

static mach_port_t com2_perm(void)
{
	mach_port_t perm;

	OK(i386_io_perm_create(ct_device_master, COM2_FIRST, COM2_SCRATCH, &perm));
	CHECK(perm != MACH_PORT_NULL);
	return perm;
}

CTEST(io_perm_create_needs_device_master)
{
	mach_port_t perm = MACH_PORT_NULL;

	CHECK(ct_device_master != MACH_PORT_NULL);
	CHECK_KR(i386_io_perm_create(ct_host_priv, 0x80, 0x80, &perm), KERN_INVALID_ARGUMENT);
	CHECK_KR(i386_io_perm_create(ct_host, 0x80, 0x80, &perm), KERN_INVALID_ARGUMENT);
	CHECK_KR(i386_io_perm_create(ct_task, 0x80, 0x80, &perm), KERN_INVALID_ARGUMENT);
	perm = com2_perm();
	CHECK_EQ(ptype(perm), MACH_PORT_TYPE_SEND);
	OK(mach_port_deallocate(ct_task, perm));
}

CTEST(io_perm_create_bad_range)
{
	mach_port_t perm;

	CHECK_KR(i386_io_perm_create(ct_device_master, 0x81, 0x80, &perm), KERN_INVALID_ARGUMENT);
	CHECK_KR(i386_io_perm_create(ct_device_master, 0xffff, 0, &perm), KERN_INVALID_ARGUMENT);
	OK(i386_io_perm_create(ct_device_master, 0, 0xffff, &perm));
	OK(mach_port_deallocate(ct_task, perm));
}

CTEST(io_perm_modify_bad_arguments)
{
	mach_port_t perm = com2_perm(), t = child_task();

	/* Not an io_perm; not a task. */
	CHECK_KR(i386_io_perm_modify(t, ct_task, 1), KERN_INVALID_ARGUMENT);
	CHECK_KR(i386_io_perm_modify(ct_host, perm, 1), KERN_INVALID_ARGUMENT);
	task_kill(t);
	OK(mach_port_deallocate(ct_task, perm));
}

CTEST(io_perm_enable_disable)
{
	mach_port_t perm = com2_perm(), t = child_task();

	CHECK_EQ(probe(t, COM2_SCRATCH), EXC_I386_GPFLT);	/* no bitmap */
	OK(i386_io_perm_modify(t, perm, 1));
	CHECK_EQ(probe(t, COM2_SCRATCH), EXC_I386_INVOP);	/* inb ran */
	CHECK_EQ(probe(t, COM2_FIRST - 1), EXC_I386_GPFLT);	/* outside the range */
	CHECK_EQ(probe(t, 0x80), EXC_I386_GPFLT);
	CHECK_EQ(probe(ct_task, COM2_SCRATCH), EXC_I386_GPFLT);	/* another task */
	OK(i386_io_perm_modify(t, perm, 0));
	CHECK_EQ(probe(t, COM2_SCRATCH), EXC_I386_GPFLT);
	task_kill(t);
	OK(mach_port_deallocate(ct_task, perm));
}

CTEST(io_perm_isa_port_map_state)
{
	mach_port_t perm, t = child_task(), th = new_thread_in(t);
	uint8_t map[i386_ISA_PORT_MAP_STATE_COUNT * 4];
	mach_msg_type_number_t n = i386_ISA_PORT_MAP_STATE_COUNT;

	OK(thread_get_state(th, i386_ISA_PORT_MAP_STATE, (thread_state_t)map, &n));
	CHECK_EQ(n, i386_ISA_PORT_MAP_STATE_COUNT);
	for (unsigned i = 0; i < sizeof(map); i++)
		CHECK_EQ(map[i], 0xff);
	OK(i386_io_perm_create(ct_device_master, 0x80, 0x87, &perm));
	OK(i386_io_perm_modify(t, perm, 1));
	n = i386_ISA_PORT_MAP_STATE_COUNT;
	OK(thread_get_state(th, i386_ISA_PORT_MAP_STATE, (thread_state_t)map, &n));
	CHECK_EQ(map[0x80 / 8], 0);
	CHECK_EQ(map[0x88 / 8], 0xff);
	CHECK_EQ(map[0x78 / 8], 0xff);
	/* Set stays accepted and ignored. */
	memset(map, 0, sizeof(map));
	OK(thread_set_state(th, i386_ISA_PORT_MAP_STATE, (thread_state_t)map, i386_ISA_PORT_MAP_STATE_COUNT));
	n = i386_ISA_PORT_MAP_STATE_COUNT;
	OK(thread_get_state(th, i386_ISA_PORT_MAP_STATE, (thread_state_t)map, &n));
	CHECK_EQ(map[0], 0xff);
	OK(mach_port_deallocate(ct_task, th));
	task_kill(t);
	OK(mach_port_deallocate(ct_task, perm));
}

/*
 * The io_perm's port goes with its last send right (the leak check around every test
 * counts ports); the task keeps what it enabled.
 */
CTEST(io_perm_dies_with_last_send_right)
{
	mach_port_t perm = com2_perm(), t = child_task();

	OK(i386_io_perm_modify(t, perm, 1));
	OK(mach_port_mod_refs(ct_task, perm, MACH_PORT_RIGHT_SEND, 1));
	OK(mach_port_deallocate(ct_task, perm));
	CHECK_EQ(ptype(perm), MACH_PORT_TYPE_SEND);	/* one reference left */
	OK(mach_port_deallocate(ct_task, perm));
	CHECK_EQ(probe(t, COM2_SCRATCH), EXC_I386_INVOP);
	task_kill(t);
}

/* The simple traps (mach_task_self, mach_host_self, ...) work in a task with a bitmap. */
CTEST(io_perm_simple_traps_still_work)
{
	mach_port_t perm = com2_perm(), t = child_task();

	CHECK_EQ(run_to_exception(t, io_trap_probe, 0, 0, 0), EXC_I386_INVOP);
	OK(i386_io_perm_modify(t, perm, 1));
	CHECK_EQ(run_to_exception(t, io_trap_probe, 0, 0, 0), EXC_I386_INVOP);
	task_kill(t);
	OK(mach_port_deallocate(ct_task, perm));
}
