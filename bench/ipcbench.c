/*
 * IPC and VM benchmarks, run by `make bench` under QEMU's icount mode, where a guest rdtsc
 * delta is the number of guest instructions executed (by every task and the kernel).
 *   ipcbench server          serves null RPCs on SERVER_PORT (echoing the payload)
 *   ipcbench client H S      H: host-priv name, S: the server's task port (boot script)
 * Prints `BENCH <name> <instructions per op>` per case, and the loop overhead that is
 * included in each figure so that the kernel's share can be read off.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mach/mach_traps.h>
#include <mach/message.h>
#include <mach/x86_64/thread_status.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/personality.h>
#include <mach/personality_user.h>
#include "mach_test.h"

#define SERVER_PORT	0x4242		/* the name the server receives on */
#ifndef WARMUP
#define WARMUP		200
#endif
#ifndef ITERATIONS
#define ITERATIONS	4000
#endif
#define MAX_PAYLOAD	1024

mach_msg_return_t mach_msg_trap(mach_msg_header_t *msg, mach_msg_option_t option,
				mach_msg_size_t send_size, mach_msg_size_t rcv_size,
				mach_port_t rcv_name, mach_msg_timeout_t timeout, mach_port_t notify);

struct msgbuf {
	mach_msg_header_t h;
	char payload[MAX_PAYLOAD];
};

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static void report(const char *name, uint64_t total, uint64_t n)
{
	printf("BENCH %s %lu\n", name, (unsigned long)(total / n));
}

static void fail(const char *what, int code)
{
	printf("BENCH-ERROR %s: 0x%x\n", what, code);
	exit(1);
}

/* ---------------------------------------------------------------- server */

static void server(void)
{
	static struct msgbuf m;
	mach_port_type_t type;
	mach_msg_return_t mr;

	while (mach_port_type(mach_task_self(), SERVER_PORT, &type) != KERN_SUCCESS)
		swtch();
	mr = mach_msg_trap(&m.h, MACH_RCV_MSG, 0, sizeof(m), SERVER_PORT, 0, MACH_PORT_NULL);
	for (;;) {
		if (mr != MACH_MSG_SUCCESS)
			fail("server receive", mr);
		/* Reply with the same payload, as a MIG server loop would: send, then receive. */
		m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(m.h.msgh_bits), 0);
		m.h.msgh_local_port = MACH_PORT_NULL;
		m.h.msgh_id += 100;
		mr = mach_msg_trap(&m.h, MACH_SEND_MSG | MACH_RCV_MSG, m.h.msgh_size, sizeof(m),
				   SERVER_PORT, 0, MACH_PORT_NULL);
	}
}

/* ---------------------------------------------------------------- client cases */

static long raw_trap(long number)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(number) : "rcx", "r11", "memory");
	return ret;
}

/* The cost of one timed iteration with nothing in it. */
static uint64_t loop_overhead(void)
{
	uint64_t t0 = rdtsc();

	for (int i = 0; i < ITERATIONS; i++)
		__asm__ volatile("" ::: "memory");
	return (rdtsc() - t0) / ITERATIONS;
}

static void bench_null_trap(void)
{
	uint64_t t0;

	for (int i = 0; i < WARMUP; i++)
		raw_trap(-1);
	t0 = rdtsc();
	for (int i = 0; i < ITERATIONS; i++)
		raw_trap(-1);		/* an unused slot: KERN_INVALID_ARGUMENT */
	report("null-trap", rdtsc() - t0, ITERATIONS);
}

static void bench_msg_no_options(void)
{
	uint64_t t0;

	for (int i = 0; i < WARMUP; i++)
		mach_msg_trap(NULL, 0, 0, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
	t0 = rdtsc();
	for (int i = 0; i < ITERATIONS; i++)
		mach_msg_trap(NULL, 0, 0, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
	report("mach_msg-no-options", rdtsc() - t0, ITERATIONS);
}

/* Send-only and receive-only to an own port, timed call by call. */
static void bench_own_port(mach_port_t port)
{
	static struct msgbuf m, r;
	uint64_t send = 0, recv = 0, stamp = 0;

	for (int i = 0; i < WARMUP + ITERATIONS; i++) {
		uint64_t t0, t1, t2;

		m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
		m.h.msgh_remote_port = port;
		m.h.msgh_local_port = MACH_PORT_NULL;
		m.h.msgh_id = 1;
		t0 = rdtsc();
		mach_msg_trap(&m.h, MACH_SEND_MSG, sizeof(m.h), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
		t1 = rdtsc();
		mach_msg_trap(&r.h, MACH_RCV_MSG, 0, sizeof(r), port, 0, MACH_PORT_NULL);
		t2 = rdtsc();
		if (i >= WARMUP) {
			send += t1 - t0;
			recv += t2 - t1;
			t0 = rdtsc();
			stamp += rdtsc() - t0;
		}
	}
	report("send-only-own-port", send - stamp, ITERATIONS);
	report("receive-only-own-port", recv - stamp, ITERATIONS);
}

static void bench_rpc(const char *name, mach_port_t server_port, mach_port_t reply, uint32_t payload)
{
	static struct msgbuf m;
	uint64_t t0 = 0;
	mach_msg_return_t mr;

	for (int i = 0; i < WARMUP + ITERATIONS; i++) {
		if (i == WARMUP)
			t0 = rdtsc();
		m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
		m.h.msgh_remote_port = server_port;
		m.h.msgh_local_port = reply;
		m.h.msgh_id = 1000;
		mr = mach_msg_trap(&m.h, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(m.h) + payload,
				   sizeof(m), reply, 0, MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS || m.h.msgh_size != sizeof(m.h) + payload)
			fail(name, mr);
	}
	report(name, rdtsc() - t0, ITERATIONS);
}

static void bench_kernel_rpc(mach_port_t port)
{
	mach_port_t task = mach_task_self();
	mach_port_type_t type;
	uint64_t t0 = 0;

	for (int i = 0; i < WARMUP + ITERATIONS; i++) {
		if (i == WARMUP)
			t0 = rdtsc();
		mach_port_type(task, port, &type);
	}
	report("kernel-rpc-mach_port_type", rdtsc() - t0, ITERATIONS);
}

/* ---------------------------------------------------------------- tasks and threads */

#define THREAD_ITERATIONS	200
#define FORK_ITERATIONS		20
#define FORK_REGION		(1024 * 1024)
#define STACK_BYTES		16384

/* A thread that ends itself at once: thread_terminate(mach_thread_self()), one-way. */
static void exit_now(void)
{
	mach_msg_header_t h = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
		.msgh_size = sizeof(h),
		.msgh_remote_port = mach_thread_self(),
		.msgh_id = 2016,
	};

	mach_msg_trap(&h, MACH_SEND_MSG, sizeof(h), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
	for (;;)
		swtch();
}

static volatile uint8_t *fork_region;

/* In the forked task: write one byte in every page of its copy of the region. */
static void touch_region(void)
{
	for (uint64_t off = 0; off < FORK_REGION; off += 4096)
		fork_region[off] = 1;
	exit_now();
}

/* A suspended thread of task that will run fn on stack. */
static mach_port_t new_thread(mach_port_t task, void (*fn)(void), char *stack)
{
	uint64_t state[i386_THREAD_STATE_COUNT / 2];
	mach_msg_type_number_t n = i386_THREAD_STATE_COUNT;
	mach_port_t th;
	kern_return_t kr;

	if ((kr = thread_create(task, &th)) != KERN_SUCCESS)
		fail("thread_create", kr);
	if ((kr = thread_get_state(th, i386_THREAD_STATE, (natural_t *)state, &n)) != KERN_SUCCESS)
		fail("thread_get_state", kr);
	state[16] = (uint64_t)fn;				/* rip */
	state[19] = (uint64_t)stack + STACK_BYTES - 8;		/* ursp */
	if ((kr = thread_set_state(th, i386_THREAD_STATE, (natural_t *)state, n)) != KERN_SUCCESS)
		fail("thread_set_state", kr);
	return th;
}

static char *alloc(mach_port_t task, uint64_t bytes)
{
	vm_address_t a = 0;
	kern_return_t kr = vm_allocate(task, &a, bytes, 1);

	if (kr != KERN_SUCCESS)
		fail("vm_allocate", kr);
	return (char *)a;
}

/* thread_create + thread_set_state + thread_resume of a thread that ends itself. */
static void bench_thread_create(mach_port_t task)
{
	char *stack = alloc(task, STACK_BYTES);
	uint64_t t0 = 0;

	for (int i = 0; i < 10 + THREAD_ITERATIONS; i++) {
		if (i == 10)
			t0 = rdtsc();
		mach_port_t th = new_thread(task, exit_now, stack);
		thread_resume(th);
		test_wait_thread_gone(th);
		mach_port_destroy(task, th);
	}
	report("thread-create-terminate", rdtsc() - t0, THREAD_ITERATIONS);
}

/* task_create inheriting a 1 MiB region that a thread of the child then touches. */
static void bench_task_fork(mach_port_t task)
{
	char *stack = alloc(task, STACK_BYTES);
	uint64_t t0 = 0;

	fork_region = (volatile uint8_t *)alloc(task, FORK_REGION);
	for (uint64_t off = 0; off < FORK_REGION; off += 4096)
		fork_region[off] = 2;
	for (int i = 0; i < 2 + FORK_ITERATIONS; i++) {
		mach_port_t child, th;
		kern_return_t kr;

		if (i == 2)
			t0 = rdtsc();
		if ((kr = task_create(task, 1, &child)) != KERN_SUCCESS)
			fail("task_create", kr);
		th = new_thread(child, touch_region, stack);
		thread_resume(th);
		test_wait_thread_gone(th);
		task_terminate(child);
		mach_port_destroy(task, th);
		mach_port_destroy(task, child);
	}
	report("task-create-inherit-1MiB", rdtsc() - t0, FORK_ITERATIONS);
}

/* The first touch of a fresh anonymous page: the fault, zero-fill and mapping. */
static void bench_page_fault(void)
{
	const vm_size_t page = 4096, n = ITERATIONS;
	vm_address_t a = 0;
	kern_return_t kr;
	uint64_t t0;

	if ((kr = vm_allocate(mach_task_self(), &a, n * page, 1)) != KERN_SUCCESS)
		fail("vm_allocate", kr);
	t0 = rdtsc();
	for (vm_size_t i = 0; i < n; i++)
		((volatile char *)a)[i * page] = 1;
	report("page-fault-fresh-anon", rdtsc() - t0, n);
	if ((kr = vm_deallocate(mach_task_self(), a, n * page)) != KERN_SUCCESS)
		fail("vm_deallocate", kr);
}

/* ---------------------------------------------------------------- forwarded syscalls */

#define FWD_DONE	1	/* the child's last call: rdi = instructions of the timed loop */

static long fwd_syscall(long number, long arg)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(number), "D"(arg) : "rcx", "r11", "memory");
	return ret;
}

/* The foreign child's thread: null system calls (rax 0), timed, then the result. */
static void fwd_child(void)
{
	uint64_t t0;

	for (int i = 0; i < WARMUP; i++)
		fwd_syscall(0, 0);
	t0 = rdtsc();
	for (int i = 0; i < ITERATIONS; i++)
		fwd_syscall(0, 0);
	fwd_syscall(FWD_DONE, (long)(rdtsc() - t0));
	for (;;)
		fwd_syscall(FWD_DONE, 0);
}

/*
 * A foreign task (a copy of this one, running fwd_child) makes null system calls; this
 * thread is its personality: each reply (rax = 0) is sent with the receive of the next
 * request in one mach_msg, as a server loop does. The child times the round trips.
 */
static void bench_forwarded(mach_port_t task)
{
	static union {
		foreign_syscall_request_t req;
		foreign_syscall_reply_t rep;
	} m;
	foreign_syscall_reply_t tmpl = {
		.Head.msgh_size = sizeof(tmpl),
		.RetCodeType = { .msgt_name = MACH_MSG_TYPE_INTEGER_32, .msgt_size = 32, .msgt_number = 1, .msgt_inline = 1 },
		.maskType = { .msgt_name = MACH_MSG_TYPE_INTEGER_32, .msgt_size = 32, .msgt_number = 1, .msgt_inline = 1 },
		.mask = FOREIGN_MASK(FOREIGN_REG_RAX),
		.new_regsType = { .msgt_name = MACH_MSG_TYPE_INTEGER_64, .msgt_size = 64,
				  .msgt_number = FOREIGN_REG_COUNT, .msgt_inline = 1 },
	};
	char *stack = alloc(task, STACK_BYTES);
	mach_port_t port, child, th;
	mach_msg_return_t mr;
	kern_return_t kr;

	if ((kr = mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &port)) != KERN_SUCCESS ||
	    (kr = mach_port_insert_right(task, port, port, MACH_MSG_TYPE_MAKE_SEND)) != KERN_SUCCESS ||
	    (kr = task_create(task, 1, &child)) != KERN_SUCCESS ||
	    (kr = task_set_syscall_port(child, port, 0)) != KERN_SUCCESS)
		fail("forwarded-null-syscall set-up", kr);
	th = new_thread(child, fwd_child, stack);
	thread_resume(th);
	mr = mach_msg_trap(&m.req.Head, MACH_RCV_MSG, 0, sizeof(m), port, 0, MACH_PORT_NULL);
	while (mr == MACH_MSG_SUCCESS && m.req.regs[FOREIGN_REG_RAX] != FWD_DONE) {
		mach_port_t reply = m.req.Head.msgh_remote_port;

		tmpl.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		tmpl.Head.msgh_remote_port = reply;
		tmpl.Head.msgh_id = FOREIGN_REPLY_ID(m.req.Head.msgh_id);
		m.rep = tmpl;
		mr = mach_msg_trap(&m.rep.Head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(m.rep), sizeof(m), port, 0,
				   MACH_PORT_NULL);
	}
	if (mr != MACH_MSG_SUCCESS)
		fail("forwarded-null-syscall", mr);
	report("forwarded-null-syscall", m.req.regs[FOREIGN_REG_RDI], ITERATIONS);
	task_terminate(child);
	mach_port_deallocate(task, m.req.Head.msgh_remote_port);
	mach_port_destroy(task, th);
	mach_port_destroy(task, child);
	mach_port_destroy(task, port);
}

int main(int argc, char **argv)
{
	mach_port_t task, server_task, port, reply;
	kern_return_t kr;

	if (argc > 1 && strcmp(argv[1], "server") == 0)
		server();
	if (argc < 3)
		fail("usage: ipcbench client HOST SERVER-TASK", 0);
	task = mach_task_self();
	server_task = (mach_port_t)strtol(argv[2], NULL, 10);

	printf("BENCH loop-overhead %lu\n", (unsigned long)loop_overhead());
	bench_null_trap();
	bench_msg_no_options();

	if ((kr = mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &port)) != KERN_SUCCESS)
		fail("mach_port_allocate", kr);
	bench_own_port(port);
	bench_kernel_rpc(port);

	/* Hand the receive right to the server under SERVER_PORT; keep a send right. */
	if ((kr = mach_port_insert_right(task, port, port, MACH_MSG_TYPE_MAKE_SEND)) != KERN_SUCCESS ||
	    (kr = mach_port_insert_right(server_task, SERVER_PORT, port, MACH_MSG_TYPE_MOVE_RECEIVE)) != KERN_SUCCESS)
		fail("handing the port to the server", kr);
	reply = mach_reply_port();
	bench_rpc("null-rpc", port, reply, 0);
	bench_rpc("rpc-128-bytes", port, reply, 128);
	bench_rpc("rpc-1-KiB", port, reply, 1024);
	bench_thread_create(task);
	bench_task_fork(task);
	bench_page_fault();
	bench_forwarded(task);
	printf("BENCH done\n");
	syscall_task_terminate(server_task);
	return 0;
}
