/* Forwarded system calls' messages (kern/foreign_msg.c): the request written from a
 * frame, and every way a reply can be refused before anything changes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include <kern/foreign.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <mach/mig_errors.h>
#include <mach/notify.h>

/* thread_state.c's rule, as the ABI states it (section 9). */
uint64_t thread_state_user_rflags(uint64_t rflags)
{
	return (rflags & 0x3F7FD7ul & ~(0x3000ul | 0x4000ul | 0x10000ul | 0x20000ul)) | 0x200;
}

static struct task task;
static struct thread th;
static struct trap_frame frame;

static int setup(void **state)
{
	(void)state;
	memset(&task, 0, sizeof(task));
	memset(&th, 0, sizeof(th));
	memset(&frame, 0, sizeof(frame));
	th.task = &task;
	th.frame = &frame;
	frame.rax = 39;
	frame.rdi = 0x1111;
	frame.rsp = 0x7fff0000;
	frame.rip = frame.rcx = 0x401000;
	frame.rflags = frame.r11 = 0x246;
	frame.r15 = 0xF15;
	frame.vector = T_SYSCALL;
	return 0;
}

static void put_type(mach_msg_type_t *t, int name, int bits, int number)
{
	*t = (mach_msg_type_t){ .msgt_name = name, .msgt_size = bits, .msgt_number = number, .msgt_inline = 1 };
}

/* A well-formed reply to a 5200 request. */
static foreign_syscall_reply_t good_reply(uint32_t mask)
{
	foreign_syscall_reply_t r;

	memset(&r, 0, sizeof(r));
	r.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	r.Head.msgh_size = sizeof(r);
	r.Head.msgh_id = FOREIGN_REPLY_ID(FOREIGN_SYSCALL_ID);
	put_type(&r.RetCodeType, MACH_MSG_TYPE_INTEGER_32, 32, 1);
	put_type(&r.maskType, MACH_MSG_TYPE_INTEGER_32, 32, 1);
	put_type(&r.new_regsType, MACH_MSG_TYPE_INTEGER_64, 64, FOREIGN_REG_COUNT);
	r.mask = mask;
	return r;
}

static void test_request_layout(void **state)
{
	uint8_t buf[FOREIGN_REQUEST_MAX];
	foreign_syscall_request_t *m = (void *)buf;

	(void)state;
	assert_int_equal(foreign_request_write(&th, buf), 184);
	assert_int_equal(th.fwd_id, FOREIGN_SYSCALL_ID);
	assert_int_equal(m->Head.msgh_id, FOREIGN_SYSCALL_ID);
	assert_int_equal(m->Head.msgh_size, 184);
	assert_int_equal(m->Head.msgh_bits, MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND));
	assert_int_equal(m->regsType.msgt_name, MACH_MSG_TYPE_INTEGER_64);
	assert_int_equal(m->regsType.msgt_size, 64);
	assert_int_equal(m->regsType.msgt_number, FOREIGN_REG_COUNT);
	assert_true(m->regsType.msgt_inline);
	assert_int_equal(m->regs[FOREIGN_REG_RAX], 39);
	assert_int_equal(m->regs[FOREIGN_REG_RDI], 0x1111);
	assert_int_equal(m->regs[FOREIGN_REG_RSP], 0x7fff0000);
	assert_int_equal(m->regs[FOREIGN_REG_R15], 0xF15);
	assert_int_equal(m->regs[FOREIGN_REG_RIP], 0x401000);
	assert_int_equal(m->regs[FOREIGN_REG_RFLAGS], 0x246);
}

static void test_request_with_ports(void **state)
{
	uint8_t buf[FOREIGN_REQUEST_MAX];
	foreign_syscall_ports_request_t *m = (void *)buf;

	(void)state;
	task.syscall_flags = FOREIGN_WANT_PORTS;
	assert_int_equal(foreign_request_write(&th, buf), 216);
	assert_int_equal(m->Head.msgh_id, FOREIGN_SYSCALL_PORTS_ID);
	assert_true(m->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX);
	assert_int_equal(m->threadType.msgt_name, MACH_MSG_TYPE_PORT_SEND);
	assert_int_equal(m->taskType.msgt_size, 64);
	assert_int_equal(m->thread, 0);		/* the caller's to fill */
	assert_int_equal(m->regs[FOREIGN_REG_RAX], 39);
}

static void test_reply_sets_masked_registers(void **state)
{
	foreign_syscall_reply_t r = good_reply(FOREIGN_MASK(FOREIGN_REG_RAX) | FOREIGN_MASK(FOREIGN_REG_RDX));
	uint8_t buf[FOREIGN_REQUEST_MAX];

	(void)state;
	foreign_request_write(&th, buf);
	r.new_regs[FOREIGN_REG_RAX] = (uint64_t)-38;
	r.new_regs[FOREIGN_REG_RDX] = 7;
	r.new_regs[FOREIGN_REG_RDI] = 99;	/* not in the mask */
	assert_int_equal(foreign_reply_apply(&th, &r, sizeof(r)), FOREIGN_DONE);
	assert_int_equal(frame.rax, (uint64_t)-38);
	assert_int_equal(frame.rdx, 7);
	assert_int_equal(frame.rdi, 0x1111);
	assert_int_equal(frame.vector, T_SYSCALL);	/* an ordinary return: sysret */
}

static void test_reply_jump(void **state)
{
	foreign_syscall_reply_t r = good_reply(FOREIGN_MASK(FOREIGN_REG_RIP) | FOREIGN_MASK(FOREIGN_REG_RSP) |
					       FOREIGN_MASK(FOREIGN_REG_RFLAGS));
	uint8_t buf[FOREIGN_REQUEST_MAX];

	(void)state;
	foreign_request_write(&th, buf);
	r.new_regs[FOREIGN_REG_RIP] = 0x402000;
	r.new_regs[FOREIGN_REG_RSP] = 0x7ffe0000;
	r.new_regs[FOREIGN_REG_RFLAGS] = 0x3000 | 0x100 | 0x1;	/* IOPL, TF, CF */
	assert_int_equal(foreign_reply_apply(&th, &r, sizeof(r)), FOREIGN_DONE);
	assert_int_equal(frame.rip, 0x402000);
	assert_int_equal(frame.rsp, 0x7ffe0000);
	assert_int_equal(frame.rflags, 0x200 | 0x100 | 0x1);
	assert_int_equal(frame.vector, T_USER_IRET);
}

/* A bad reply changes nothing and says why. */
static void refused(foreign_syscall_reply_t *r, mach_msg_size_t size, int why)
{
	struct trap_frame before = frame;

	assert_int_equal(foreign_reply_apply(&th, r, size), why);
	assert_memory_equal(&before, &frame, sizeof(frame));
}

static void test_reply_refusals(void **state)
{
	uint8_t buf[FOREIGN_REQUEST_MAX];
	foreign_syscall_reply_t r;
	mach_msg_header_t notify = { .msgh_size = 32, .msgh_id = MACH_NOTIFY_SEND_ONCE };

	(void)state;
	foreign_request_write(&th, buf);
	r = good_reply(FOREIGN_MASK(FOREIGN_REG_RAX));
	refused(&r, sizeof(r) - 8, EXC_FOREIGN_BAD_REPLY);
	refused(&r, sizeof(mig_reply_header_t), EXC_FOREIGN_BAD_REPLY);	/* RetCode 0, no body */
	refused(&r, 40, EXC_FOREIGN_BAD_REPLY);
	refused((foreign_syscall_reply_t *)&notify, 32, EXC_FOREIGN_NO_REPLY);
	r.Head.msgh_id = FOREIGN_REPLY_ID(FOREIGN_SYSCALL_PORTS_ID);
	refused(&r, sizeof(r), EXC_FOREIGN_BAD_REPLY);
	r = good_reply(FOREIGN_MASK(FOREIGN_REG_RAX));
	r.Head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	refused(&r, sizeof(r), EXC_FOREIGN_BAD_REPLY);
	r = good_reply(FOREIGN_MASK(FOREIGN_REG_RAX));
	r.RetCodeType.msgt_longform = 1;
	refused(&r, sizeof(r), EXC_FOREIGN_BAD_REPLY);
	r = good_reply(FOREIGN_MASK(FOREIGN_REG_RAX));
	r.maskType.msgt_name = MACH_MSG_TYPE_INTEGER_64;
	refused(&r, sizeof(r), EXC_FOREIGN_BAD_REPLY);
	r = good_reply(FOREIGN_MASK(FOREIGN_REG_RAX));
	r.new_regsType.msgt_number = FOREIGN_REG_COUNT - 1;
	refused(&r, sizeof(r), EXC_FOREIGN_BAD_REPLY);
	r = good_reply(1u << FOREIGN_REG_COUNT);
	refused(&r, sizeof(r), EXC_FOREIGN_BAD_REPLY);
	r = good_reply(0);
	r.RetCode = MIG_BAD_ID;
	refused(&r, sizeof(mig_reply_header_t), EXC_FOREIGN_REFUSED);
	refused(&r, sizeof(r), EXC_FOREIGN_REFUSED);
	r = good_reply(FOREIGN_MASK(FOREIGN_REG_RIP));
	r.new_regs[FOREIGN_REG_RIP] = 0x800000000000ul;
	refused(&r, sizeof(r), EXC_FOREIGN_BAD_STATE);
	r = good_reply(FOREIGN_MASK(FOREIGN_REG_RSP));
	r.new_regs[FOREIGN_REG_RSP] = 0xffff7fff00000000ul;
	refused(&r, sizeof(r), EXC_FOREIGN_BAD_STATE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_request_layout, setup),
		cmocka_unit_test_setup(test_request_with_ports, setup),
		cmocka_unit_test_setup(test_reply_sets_masked_registers, setup),
		cmocka_unit_test_setup(test_reply_jump, setup),
		cmocka_unit_test_setup(test_reply_refusals, setup),
	};

	return cmocka_run_group_tests_name("foreign_msg", tests, NULL, NULL);
}
