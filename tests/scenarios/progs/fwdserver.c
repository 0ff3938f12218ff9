/*
 * fwdserver: the personality of foreign.scn. It marks the guest task (fwdguest, no
 * libc, raw syscall instructions) foreign and answers its system calls following
 * ../guests/fwdproto.h: registers echoed and changed, write(1, ...) printed from the
 * guest's memory (vm_read, and task_read_memory/task_write_memory), -ENOSYS, Mach trap numbers forwarded, a jump to a new
 * state, 100,000 calls without a leak, every failure turned into an exception that
 * this program handles, and threads and tasks terminated while they wait.
 *   fwdserver GUEST      GUEST: the guest's task port (boot script), not yet resumed
 * Requests go through the server stubs generated from foreign_syscall.defs, so the
 * kernel's messages and the interface definition are checked against each other.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include <mach/message.h>
#include <mach/x86_64/thread_status.h>
#include <mach/mig_errors.h>
#include <mach/personality.h>
#include <mach/personality_user.h>
#include "../guests/fwdproto.h"
#include "mach_test.h"
#include "test.h"

#define TASK_EXCEPTION_PORT	3
#define EXC_SOFTWARE		5

boolean_t foreign_syscall_server(mach_msg_header_t *in, mach_msg_header_t *out);

union msgbuf {
	mach_msg_header_t h;
	foreign_syscall_reply_t reply;
	uint8_t bytes[1024];
};

static mach_port_t self, guest, syscall_port, exc_port, port_set;
static union msgbuf in, rep;		/* the message received, the reply being built */
static bool pending;			/* `in` holds a message not yet looked at */
static foreign_regs_t seen;		/* the registers of the last request */
static mach_port_t seen_thread, seen_task;

static void die(const char *what, long value)
{
	printf("fwdserver: %s (0x%lx)\n", what, value);
	test_fail("fwd-script", __FILE__, __LINE__, "%s", what);
	test_done();
	exit(1);
}

/* The server functions of the generated stubs: note the registers, answer nothing. */
kern_return_t foreign_syscall(mach_port_t port, foreign_regs_t regs, int *mask, foreign_regs_t new_regs)
{
	(void)port;
	memcpy(seen, regs, sizeof(seen));
	*mask = 0;
	memset(new_regs, 0, sizeof(foreign_regs_t));
	seen_thread = seen_task = MACH_PORT_NULL;
	return KERN_SUCCESS;
}

kern_return_t foreign_syscall_ports(mach_port_t port, mach_port_t thread, mach_port_t task,
				    foreign_regs_t regs, int *mask, foreign_regs_t new_regs)
{
	foreign_syscall(port, regs, mask, new_regs);
	seen_thread = thread;
	seen_task = task;
	return KERN_SUCCESS;
}

static void receive(void)
{
	mach_msg_return_t mr;

	if (pending) {
		pending = false;
		return;
	}
	mr = mach_msg_trap(&in.h, MACH_RCV_MSG, 0, sizeof(in), port_set, 0, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS)
		die("receive", mr);
}

/* The next message must be the guest's system call `number`; its registers go to seen. */
static void expect_call(long number)
{
	receive();
	if (in.h.msgh_id != FOREIGN_SYSCALL_ID && in.h.msgh_id != FOREIGN_SYSCALL_PORTS_ID)
		die("expected a system call, got message id", in.h.msgh_id);
	if (!foreign_syscall_server(&in.h, &rep.h) || rep.reply.RetCode != KERN_SUCCESS)
		die("the generated stub refused the request", rep.reply.RetCode);
	if (seen[FOREIGN_REG_RAX] != (uint64_t)number) {
		printf("fwdserver: expected system call %ld, got %ld\n", number, (long)seen[FOREIGN_REG_RAX]);
		die("wrong system call", (long)seen[FOREIGN_REG_RAX]);
	}
}

/* Answers the last call (the stub-built reply with mask and values); with `next`, also
 * receives the next message in the same mach_msg, as a server loop does. */
static void answer_msg(uint32_t mask, const foreign_regs_t regs, bool next)
{
	mach_msg_return_t mr;

	rep.reply.mask = mask;
	if (regs)
		memcpy(rep.reply.new_regs, regs, sizeof(foreign_regs_t));
	memcpy(&in, &rep, rep.h.msgh_size);
	mr = mach_msg_trap(&in.h, MACH_SEND_MSG | (next ? MACH_RCV_MSG : 0), in.h.msgh_size, sizeof(in),
			   port_set, 0, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS)
		die("reply", mr);
	pending = next;
}

static void answer(uint32_t mask, const foreign_regs_t regs)
{
	answer_msg(mask, regs, true);
}

/* Answers the last call with a mig_reply_header_t only (what MIG sends on errors). */
static void answer_short(kern_return_t rc)
{
	rep.reply.RetCode = rc;
	rep.h.msgh_size = sizeof(mig_reply_header_t);
	memcpy(&in, &rep, sizeof(mig_reply_header_t));
	if (mach_msg_trap(&in.h, MACH_SEND_MSG, sizeof(mig_reply_header_t), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL))
		die("short reply", rc);
}

static void answer_rax(uint64_t rax)
{
	foreign_regs_t r = { [FOREIGN_REG_RAX] = rax };

	answer(FOREIGN_MASK(FOREIGN_REG_RAX), r);
}

static void expect_report(enum fwd_report id, const char *name)
{
	expect_call(FWD_REPORT);
	if (seen[FOREIGN_REG_RDI] != (uint64_t)id)
		die("report of another test", (long)seen[FOREIGN_REG_RDI]);
	TEST_CHECK(name, seen[FOREIGN_REG_RSI] == 1);
	answer_rax(0);
}

static bool same_counts(const struct kernel_object_counts *a, const struct kernel_object_counts *b)
{
	bool same = a->ports == b->ports && a->entries == b->entries && a->messages == b->messages &&
		    a->threads == b->threads && a->tasks == b->tasks && a->spaces == b->spaces;

	if (!same)
		printf("fwdserver: counts ports %lu/%lu entries %lu/%lu messages %lu/%lu threads %lu/%lu tasks %lu/%lu\n",
		       a->ports, b->ports, a->entries, b->entries, a->messages, b->messages,
		       a->threads, b->threads, a->tasks, b->tasks);
	return same;
}

static mach_port_t new_port(void)
{
	mach_port_t p;

	if (mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &p) != KERN_SUCCESS ||
	    mach_port_insert_right(self, p, p, MACH_MSG_TYPE_MAKE_SEND) != KERN_SUCCESS ||
	    mach_port_move_member(self, p, port_set) != KERN_SUCCESS)
		die("new port", 0);
	return p;
}

/* The next message must be the exception: EXC_SOFTWARE, code, subcode the call number. */
static void expect_exception(int code, long number, const char *name)
{
	int32_t exc, got_code;
	int64_t subcode;
	uint64_t thread, task;

	receive();
	if (in.h.msgh_id != 2400 || in.h.msgh_local_port != exc_port)
		die("expected an exception, got message id", in.h.msgh_id);
	memcpy(&thread, in.bytes + 40, 8);
	memcpy(&task, in.bytes + 56, 8);
	memcpy(&exc, in.bytes + 72, 4);
	memcpy(&got_code, in.bytes + 88, 4);
	memcpy(&subcode, in.bytes + 104, 8);
	if (!TEST_CHECK(name, exc == EXC_SOFTWARE && got_code == code && subcode == number))
		printf("fwdserver: exception %d code 0x%x subcode %ld\n", exc, got_code, (long)subcode);
	mach_port_deallocate(self, (mach_port_t)thread);
	mach_port_deallocate(self, (mach_port_t)task);
}

/* Answers the exception just received with KERN_SUCCESS: the thread goes on. */
static void exception_resume(void)
{
	mig_reply_header_t *r = (mig_reply_header_t *)&in.h;

	r->Head.msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(in.h.msgh_bits), 0);
	r->Head.msgh_local_port = MACH_PORT_NULL;
	r->Head.msgh_id = 2500;
	r->RetCodeType = (mach_msg_type_t){ .msgt_name = MACH_MSG_TYPE_INTEGER_32, .msgt_size = 32,
					    .msgt_number = 1, .msgt_inline = 1 };
	r->RetCode = KERN_SUCCESS;
	if (mach_msg_trap(&r->Head, MACH_SEND_MSG, sizeof(*r), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL))
		die("exception reply", 0);
}

static void check_registers(void)
{
	static const int same[] = { FOREIGN_REG_RDX, FOREIGN_REG_RBX, FOREIGN_REG_RBP, FOREIGN_REG_RSI,
				    FOREIGN_REG_RDI, FOREIGN_REG_R8, FOREIGN_REG_R9, FOREIGN_REG_R10,
				    FOREIGN_REG_R12, FOREIGN_REG_R13, FOREIGN_REG_R14, FOREIGN_REG_R15 };
	bool ok = seen[FOREIGN_REG_RCX] == seen[FOREIGN_REG_RIP] &&
		  seen[FOREIGN_REG_R11] == seen[FOREIGN_REG_RFLAGS] && (seen[FOREIGN_REG_RFLAGS] & 0x200) &&
		  seen[FOREIGN_REG_RSP] && seen[FOREIGN_REG_RSP] < 0x800000000000ul;

	for (unsigned i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		ok &= seen[same[i]] == FWD_PATTERN(same[i]);
	TEST_CHECK("fwd-request-registers", ok);
}

static void registers(void)
{
	foreign_regs_t r = { 0 };
	uint32_t mask = FOREIGN_MASK(FOREIGN_REG_RAX);

	expect_call(FWD_ECHO);
	check_registers();
	r[FOREIGN_REG_RAX] = seen[FOREIGN_REG_RDI] + seen[FOREIGN_REG_RSI];
	r[FOREIGN_REG_RDX] = seen[FOREIGN_REG_R8] ^ seen[FOREIGN_REG_R9];
	answer(FOREIGN_MASK(FOREIGN_REG_RAX) | FOREIGN_MASK(FOREIGN_REG_RDX), r);
	expect_report(FWD_R_ECHO, "fwd-echo");

	expect_call(FWD_CHANGE);
	r[FOREIGN_REG_RAX] = 0;
	for (int i = 0; i < 16; i++) {
		if (i == FOREIGN_REG_RAX || i == FOREIGN_REG_RCX || i == FOREIGN_REG_R11 || i == FOREIGN_REG_RSP)
			continue;
		mask |= FOREIGN_MASK(i);
		r[i] = ~FWD_PATTERN(i);
	}
	answer(mask, r);
	expect_report(FWD_R_CHANGE, "fwd-change-registers");
}

/*
 * While the guest waits in write(): task_read_memory gives the bytes vm_read gave; a
 * word of its stack written with task_write_memory reads back, then is restored; its
 * string (read-only data) refuses a write.
 */
static bool umem_while_waiting(const void *data, mach_msg_type_number_t n)
{
	char got[256], save[8], word[8] = "umem-ok", back[8];
	mach_msg_type_number_t cnt = sizeof(got), c8 = 8, b8 = 8;
	uint64_t sp = seen[FOREIGN_REG_RSP];

	return task_read_memory(guest, seen[FOREIGN_REG_RSI], n, got, &cnt) == KERN_SUCCESS &&
	       cnt == n && memcmp(got, data, n) == 0 &&
	       task_read_memory(guest, sp, 8, save, &c8) == KERN_SUCCESS &&
	       task_write_memory(guest, sp, word, 8) == KERN_SUCCESS &&
	       task_read_memory(guest, sp, 8, back, &b8) == KERN_SUCCESS &&
	       memcmp(back, word, 8) == 0 &&
	       task_write_memory(guest, sp, save, 8) == KERN_SUCCESS &&
	       task_write_memory(guest, seen[FOREIGN_REG_RSI], "x", 1) == KERN_PROTECTION_FAILURE;
}

/* write(fd, buf, n): the bytes come from the guest's memory. */
static void emulate_write(void)
{
	char text[256];
	vm_offset_t data;
	mach_msg_type_number_t n;
	uint64_t len = seen[FOREIGN_REG_RDX];

	if (len >= sizeof(text) || vm_read(guest, seen[FOREIGN_REG_RSI], len, &data, &n) != KERN_SUCCESS) {
		answer_rax((uint64_t)-14);	/* EFAULT */
		return;
	}
	memcpy(text, (void *)data, n);
	text[n] = 0;
	TEST_CHECK("fwd-umem-while-waiting", umem_while_waiting(text, n));
	vm_deallocate(self, data, n);
	printf("%s", text);
	answer_rax(n);
}

static void simple_calls(void)
{
	static const long traps[] = { -26, -25, -28, -30, -1 };
	foreign_regs_t r = { 0 };

	expect_call(FWD_LINUX_WRITE);
	emulate_write();
	expect_report(FWD_R_WRITE, "fwd-write");
	expect_call(FWD_UNKNOWN);
	answer_rax((uint64_t)-FWD_ENOSYS);
	expect_report(FWD_R_ENOSYS, "fwd-enosys");
	for (unsigned i = 0; i < sizeof(traps) / sizeof(traps[0]); i++) {
		expect_call(traps[i]);
		answer_rax(FWD_TRAP_ANSWER);
	}
	expect_report(FWD_R_TRAPS, "fwd-mach-trap-numbers-forwarded");

	expect_call(FWD_JUMP);
	r[FOREIGN_REG_RIP] = seen[FOREIGN_REG_RDI];
	r[FOREIGN_REG_RSP] = seen[FOREIGN_REG_RSI];
	r[FOREIGN_REG_RDI] = FWD_MAGIC;
	r[FOREIGN_REG_RCX] = FWD_NEW_RCX;
	r[FOREIGN_REG_R11] = FWD_NEW_R11;
	answer(FOREIGN_MASK(FOREIGN_REG_RIP) | FOREIGN_MASK(FOREIGN_REG_RSP) | FOREIGN_MASK(FOREIGN_REG_RDI) |
	       FOREIGN_MASK(FOREIGN_REG_RCX) | FOREIGN_MASK(FOREIGN_REG_R11), r);
	expect_report(FWD_R_JUMP, "fwd-jump-new-state");
}

static void loop(void)
{
	struct kernel_object_counts before, after;
	bool ok = true;

	expect_call(FWD_LOOP_START);
	ok = test_object_counts(&before);
	answer_rax(0);
	for (long i = 0; i < FWD_LOOP_COUNT; i++) {
		expect_call(FWD_NULL);
		ok &= seen[FOREIGN_REG_RDI] == (uint64_t)i;
		answer_rax(seen[FOREIGN_REG_RDI] + 1);
	}
	expect_call(FWD_LOOP_END);
	ok &= test_object_counts(&after);
	TEST_CHECK("fwd-100000-calls-no-leak", ok && same_counts(&before, &after));
	/*
	 * Both hops of the calls take the IPC fast path (ipc/ipc_fastpath.c), but for the
	 * few around a preemption (the quantum expires now and then in a loop this long,
	 * and the preempted side is not waiting when the other sends): 99% at least.
	 */
	TEST_CHECK("fwd-loop-fast-path",
		   ok && after.fast_sends - before.fast_sends >= 2 * FWD_LOOP_COUNT - FWD_LOOP_COUNT / 50);
	answer_rax(0);
	expect_report(FWD_R_LOOP, "fwd-loop-results");
}

static void failures(void)
{
	foreign_regs_t r = { [FOREIGN_REG_RIP] = 0x800000000000ul };

	/* A reply of the wrong size: the header and RetCode only, RetCode 0. */
	expect_call(FWD_MALFORMED);
	answer_short(KERN_SUCCESS);
	expect_exception(EXC_FOREIGN_BAD_REPLY, FWD_MALFORMED, "fwd-malformed-reply-exception");
	exception_resume();

	expect_call(FWD_DROP_REPLY);
	mach_port_deallocate(self, in.h.msgh_remote_port);
	expect_exception(EXC_FOREIGN_NO_REPLY, FWD_DROP_REPLY, "fwd-dropped-reply-exception");
	exception_resume();

	expect_call(FWD_REFUSED);
	answer_short(MIG_BAD_ID);
	expect_exception(EXC_FOREIGN_REFUSED, FWD_REFUSED, "fwd-refused-reply-exception");
	exception_resume();

	expect_call(FWD_BAD_STATE);
	answer_msg(FOREIGN_MASK(FOREIGN_REG_RIP), r, false);
	expect_exception(EXC_FOREIGN_BAD_STATE, FWD_BAD_STATE, "fwd-non-canonical-rip-exception");
	exception_resume();

	/* The port dies before the answer leaves (by the reply port): the next call fails. */
	expect_call(FWD_KILL_PORT);
	mach_port_mod_refs(self, syscall_port, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(self, syscall_port);
	answer_msg(FOREIGN_MASK(FOREIGN_REG_RAX), (foreign_regs_t){ 0 }, false);
	expect_exception(EXC_FOREIGN_SEND_FAILED, FWD_AFTER_KILL, "fwd-dead-port-exception");
	syscall_port = new_port();
	TEST_CHECK("fwd-set-new-port", task_set_syscall_port(guest, syscall_port, 0) == KERN_SUCCESS);
	exception_resume();
	expect_report(FWD_R_RESUMED, "fwd-resumed-after-exception");
	expect_report(FWD_R_NEW_PORT, "fwd-new-port-after-dead");
}

/* A new thread of task at entry on stack, running. */
static mach_port_t start_thread(mach_port_t task, uint64_t entry, uint64_t stack)
{
	uint64_t state[i386_THREAD_STATE_COUNT / 2];
	mach_msg_type_number_t n = i386_THREAD_STATE_COUNT;
	mach_port_t th;

	if (thread_create(task, &th) != KERN_SUCCESS ||
	    thread_get_state(th, i386_THREAD_STATE, (natural_t *)state, &n) != KERN_SUCCESS)
		die("thread_create", 0);
	state[16] = entry;		/* rip */
	state[19] = stack;		/* ursp */
	if (thread_set_state(th, i386_THREAD_STATE, (natural_t *)state, n) != KERN_SUCCESS ||
	    thread_resume(th) != KERN_SUCCESS)
		die("thread start", 0);
	return th;
}

/* Threads blocked in a forwarded call are terminated: nothing is left behind. */
static void children(void)
{
	static union msgbuf saved;	/* the answer to FWD_CHILDREN, sent last */
	struct kernel_object_counts before, after;
	uint64_t entry, stack;
	mach_port_t th, child, reply;
	mach_port_type_t type = 0;
	bool ok;

	expect_call(FWD_CHILDREN);
	saved = rep;
	entry = seen[FOREIGN_REG_RDI];
	stack = seen[FOREIGN_REG_RSI];
	ok = test_object_counts(&before);

	/* A second thread of the guest, whose requests carry the thread and task rights. */
	ok &= task_set_syscall_port(guest, syscall_port, FOREIGN_WANT_PORTS) == KERN_SUCCESS;
	th = start_thread(guest, entry, stack);
	expect_call(FWD_CHILD_WAIT);
	TEST_CHECK("fwd-want-ports-rights", in.h.msgh_id == FOREIGN_SYSCALL_PORTS_ID &&
		   seen_thread == th && seen_task == guest);
	reply = in.h.msgh_remote_port;
	mach_port_deallocate(self, seen_thread);
	mach_port_deallocate(self, seen_task);
	/* thread_abort abandons the call: the thread makes it again (child_entry loops),
	 * and the old reply right is dead. */
	ok &= thread_abort(th) == KERN_SUCCESS;
	expect_call(FWD_CHILD_WAIT);
	mach_port_deallocate(self, seen_thread);
	mach_port_deallocate(self, seen_task);
	TEST_CHECK("fwd-abort-abandons-call", in.h.msgh_remote_port != reply &&
		   mach_port_type(self, reply, &type) == KERN_SUCCESS && type == MACH_PORT_TYPE_DEAD_NAME);
	mach_port_deallocate(self, reply);
	reply = in.h.msgh_remote_port;
	ok &= thread_terminate(th) == KERN_SUCCESS;
	test_wait_thread_gone(th);
	mach_port_deallocate(self, th);
	mach_port_deallocate(self, reply);
	ok &= task_set_syscall_port(guest, syscall_port, 0) == KERN_SUCCESS && test_object_counts(&after);
	TEST_CHECK("fwd-thread-terminated-while-waiting", ok && same_counts(&before, &after));

	/* A forked guest whose only thread waits in a call when the task is terminated. */
	ok = task_create(guest, 1, &child) == KERN_SUCCESS &&
	     task_set_syscall_port(child, syscall_port, 0) == KERN_SUCCESS;
	th = start_thread(child, entry, stack);
	expect_call(FWD_CHILD_WAIT);
	reply = in.h.msgh_remote_port;
	ok &= in.h.msgh_id == FOREIGN_SYSCALL_ID && task_terminate(child) == KERN_SUCCESS;
	test_wait_thread_gone(th);
	mach_port_deallocate(self, th);
	mach_port_deallocate(self, child);
	mach_port_deallocate(self, reply);
	ok &= test_object_counts(&after);
	TEST_CHECK("fwd-task-terminated-while-waiting", ok && same_counts(&before, &after));
	rep = saved;
	answer_rax(0);
}

static void go_native(void)
{
	mach_port_type_t type = 0;
	mach_port_t port = MACH_PORT_DEAD;
	int flags = -1;

	expect_call(FWD_GO_NATIVE);
	TEST_CHECK("fwd-cleared", task_set_syscall_port(guest, MACH_PORT_NULL, 0) == KERN_SUCCESS &&
		   task_get_syscall_port(guest, &port, &flags) == KERN_SUCCESS &&
		   port == MACH_PORT_NULL && flags == 0);
	answer_msg(FOREIGN_MASK(FOREIGN_REG_RAX), (foreign_regs_t){ 0 }, false);
	/* The guest, native now, prints its own line and terminates itself. */
	while (mach_port_type(self, guest, &type) == KERN_SUCCESS && type != MACH_PORT_TYPE_DEAD_NAME)
		swtch();
}

static void setup(void)
{
	mach_port_t port = MACH_PORT_NULL;
	int flags = -1;

	if (mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &port_set) != KERN_SUCCESS)
		die("port set", 0);
	syscall_port = new_port();
	exc_port = new_port();
	TEST_CHECK("fwd-set-refuses-bad-flags",
		   task_set_syscall_port(guest, syscall_port, 0x80) == KERN_INVALID_ARGUMENT &&
		   task_set_syscall_port(self, syscall_port, 0x80) == KERN_INVALID_ARGUMENT);
	TEST_CHECK("fwd-set-syscall-port",
		   task_set_special_port(guest, TASK_EXCEPTION_PORT, exc_port) == KERN_SUCCESS &&
		   task_set_syscall_port(guest, syscall_port, 0) == KERN_SUCCESS &&
		   task_get_syscall_port(guest, &port, &flags) == KERN_SUCCESS &&
		   port == syscall_port && flags == 0);
	mach_port_deallocate(self, port);
	if (task_resume(guest) != KERN_SUCCESS)
		die("task_resume", 0);
}

int main(int argc, char **argv)
{
	self = mach_task_self();
	guest = argc > 1 ? (mach_port_t)strtol(argv[1], NULL, 10) : MACH_PORT_NULL;
	setup();
	registers();
	simple_calls();
	loop();
	failures();
	children();
	go_native();
	test_done();
	return 0;
}
