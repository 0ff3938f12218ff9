/*
 * Unit tests of Linux signal frames (personalities/linux/sigframe.c): the frame's
 * bytes at GUESTS.md §3.5's offsets (and struct sigcontext against the host's
 * <asm/sigcontext.h>), placement and alignment, alternate stacks, masks, and a round
 * trip through a handler that rewrites rip and rsp, as Go's preemption does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <asm/sigcontext.h>
#include "personalities/linux/sigframe.h"

#define RESTORER	0x401f00
#define HANDLER		0x402340
#define ALT_SP		0x7f0000010000ull
#define ALT_SIZE	0x8000ull

static struct linux_sigframe_image img;
static struct linux_sigaction act;
static struct linux_sigdelivery d;
static foreign_regs_t regs;
static uint8_t fx[LINUX_FXSAVE_SIZE];

/* Distinct register values; rsp deliberately misaligned; rflags with DF and TF. */
static int setup(void **state)
{
	(void)state;
	for (int r = 0; r < FOREIGN_REG_COUNT; r++)
		regs[r] = 0x1111000000000000ull + (uint64_t)r;
	regs[FOREIGN_REG_RSP] = 0x7ffffffde123;
	regs[FOREIGN_REG_RIP] = 0x401234;
	regs[FOREIGN_REG_RFLAGS] = 0x202 | 0x400 | 0x100 | 0x1;	/* IF DF TF CF */
	act = (struct linux_sigaction){ HANDLER, LINUX_SA_RESTORER | LINUX_SA_SIGINFO, RESTORER,
					LINUX_SIGBIT(LINUX_SIGUSR2) };
	memset(&d, 0, sizeof(d));
	d.sig = LINUX_SIGCHLD;
	d.act = &act;
	d.blocked = LINUX_SIGBIT(LINUX_SIGINT);
	d.altstack = LINUX_ALTSTACK_NONE;
	for (int i = 0; i < LINUX_FXSAVE_SIZE; i++)
		fx[i] = (uint8_t)(i * 7 + 1);
	d.fxsave = fx;
	return 0;
}

static uint64_t u64_at(uint64_t addr)
{
	uint64_t v;

	assert_true(addr >= img.addr && addr + 8 <= img.addr + img.size);
	memcpy(&v, img.buf + (addr - img.addr), 8);
	return v;
}

static void test_sigcontext_matches_host(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct linux_sigcontext), sizeof(struct sigcontext));
#define SAME(f) assert_int_equal(offsetof(struct linux_sigcontext, f), offsetof(struct sigcontext, f))
	SAME(r8); SAME(r15); SAME(rdi); SAME(rsi); SAME(rbp); SAME(rbx); SAME(rdx); SAME(rax);
	SAME(rcx); SAME(rsp); SAME(rip); SAME(eflags); SAME(cs); SAME(gs); SAME(fs); SAME(ss);
	SAME(err); SAME(trapno); SAME(oldmask); SAME(cr2); SAME(fpstate); SAME(reserved1);
#undef SAME
}

/* The bytes where GUESTS.md §3.5 says they are, read by raw offset from rsp. */
static void test_frame_layout(void **state)
{
	struct linux_siginfo si = { .si_signo = LINUX_SIGCHLD, .si_code = LINUX_CLD_EXITED };
	uint64_t sp, mc;

	(void)state;
	si.u.chld.pid = 42;
	si.u.chld.status = 3;
	d.info = &si;
	d.cr2 = 0xdead000;
	d.trapno = 14;
	d.err = 6;
	assert_int_equal(linux_sigframe_build(regs, &d, &img), 0);
	sp = img.addr;
	assert_int_equal(sp % 16, 8);			/* as just after a call */
	assert_int_equal(u64_at(sp), RESTORER);		/* the handler's ret goes there */
	assert_int_equal(u64_at(sp + 8), LINUX_UC_SIGCONTEXT_SS | LINUX_UC_STRICT_RESTORE_SS);
	assert_int_equal(u64_at(sp + 16), 0);		/* uc_link */
	assert_int_equal(u64_at(sp + 24), 0);		/* uc_stack.ss_sp */
	assert_int_equal((int32_t)u64_at(sp + 32), LINUX_SS_DISABLE);
	assert_int_equal(u64_at(sp + 40), 0);		/* uc_stack.ss_size */
	mc = sp + 8 + 40;				/* uc_mcontext */
	for (int i = 0; i < 8; i++)
		assert_int_equal(u64_at(mc + 8 * i), regs[FOREIGN_REG_R8 + i]);
	assert_int_equal(u64_at(mc + 64), regs[FOREIGN_REG_RDI]);
	assert_int_equal(u64_at(mc + 72), regs[FOREIGN_REG_RSI]);
	assert_int_equal(u64_at(mc + 80), regs[FOREIGN_REG_RBP]);
	assert_int_equal(u64_at(mc + 88), regs[FOREIGN_REG_RBX]);
	assert_int_equal(u64_at(mc + 96), regs[FOREIGN_REG_RDX]);
	assert_int_equal(u64_at(mc + 104), regs[FOREIGN_REG_RAX]);
	assert_int_equal(u64_at(mc + 112), regs[FOREIGN_REG_RCX]);
	assert_int_equal(u64_at(mc + 120), regs[FOREIGN_REG_RSP]);
	assert_int_equal(u64_at(mc + 128), regs[FOREIGN_REG_RIP]);
	assert_int_equal(u64_at(mc + 136), regs[FOREIGN_REG_RFLAGS]);
	assert_int_equal(u64_at(mc + 144) & 0xffff, LINUX_USER_CS);
	assert_int_equal(u64_at(mc + 144) >> 48, LINUX_USER_DS);
	assert_int_equal(u64_at(mc + 152), 6);		/* err */
	assert_int_equal(u64_at(mc + 160), 14);		/* trapno */
	assert_int_equal(u64_at(mc + 168), LINUX_SIGBIT(LINUX_SIGINT));	/* oldmask */
	assert_int_equal(u64_at(mc + 176), 0xdead000);	/* cr2 */
	assert_int_equal(u64_at(sp + 8 + 296), LINUX_SIGBIT(LINUX_SIGINT));	/* uc_sigmask */
	/* siginfo at rsp+8+304 */
	assert_int_equal((int32_t)u64_at(sp + 312), LINUX_SIGCHLD);
	assert_int_equal((int32_t)u64_at(sp + 320), LINUX_CLD_EXITED);
	assert_int_equal((int32_t)u64_at(sp + 328), 42);
	assert_int_equal((int32_t)u64_at(sp + 336), 3);
}

static void test_entry_registers(void **state)
{
	(void)state;
	assert_int_equal(linux_sigframe_build(regs, &d, &img), 0);
	assert_int_equal(img.mask, FOREIGN_MASK_ALL);
	assert_int_equal(img.regs[FOREIGN_REG_RDI], LINUX_SIGCHLD);
	assert_int_equal(img.regs[FOREIGN_REG_RSI], img.addr + 8 + 304);
	assert_int_equal(img.regs[FOREIGN_REG_RDX], img.addr + 8);
	assert_int_equal(img.regs[FOREIGN_REG_RAX], 0);
	assert_int_equal(img.regs[FOREIGN_REG_RSP], img.addr);
	assert_int_equal(img.regs[FOREIGN_REG_RIP], HANDLER);
	assert_int_equal(img.regs[FOREIGN_REG_RFLAGS], 0x203);	/* DF and TF cleared */
	/* The others keep their values. */
	assert_int_equal(img.regs[FOREIGN_REG_RBX], regs[FOREIGN_REG_RBX]);
	assert_int_equal(img.regs[FOREIGN_REG_R12], regs[FOREIGN_REG_R12]);
	assert_int_equal(img.regs[FOREIGN_REG_RCX], regs[FOREIGN_REG_RCX]);
}

/* Below the red zone: the FPU image 64-byte aligned, the frame under it. */
static void test_fpu_area(void **state)
{
	uint64_t fp;

	(void)state;
	memset(fx + LINUX_FXSAVE_SW_RESERVED, 0x46, 48);	/* as if XSAVE magic were there */
	assert_int_equal(linux_sigframe_build(regs, &d, &img), 0);
	fp = u64_at(img.addr + 8 + 40 + 184);
	assert_int_equal(fp % 64, 0);
	assert_true(fp >= img.addr + sizeof(struct linux_rt_sigframe));
	assert_true(fp + LINUX_FXSAVE_SIZE <= regs[FOREIGN_REG_RSP] - 128);
	assert_int_equal(img.size, fp + LINUX_FXSAVE_SIZE - img.addr);
	assert_memory_equal(img.buf + (fp - img.addr), fx, LINUX_FXSAVE_SW_RESERVED);
	for (int i = LINUX_FXSAVE_SW_RESERVED; i < LINUX_FXSAVE_SIZE; i++)
		assert_int_equal(img.buf[fp - img.addr + i], 0);
	/* Without an FPU image: no area, fpstate 0. */
	d.fxsave = NULL;
	assert_int_equal(linux_sigframe_build(regs, &d, &img), 0);
	assert_int_equal(u64_at(img.addr + 8 + 40 + 184), 0);
	assert_int_equal(img.size, sizeof(struct linux_rt_sigframe));
	assert_true(img.addr + img.size <= regs[FOREIGN_REG_RSP] - 128);
}

/* Any stack pointer: the alignment rules hold and the frame stays below the red zone. */
static void test_alignment_any_rsp(void **state)
{
	(void)state;
	srand(7);
	for (int i = 0; i < 5000; i++) {
		uint64_t fp;

		regs[FOREIGN_REG_RSP] = 0x7ff000000000ull + ((uint64_t)rand() << 4) + (rand() & 15);
		d.fxsave = i % 3 ? fx : NULL;
		assert_int_equal(linux_sigframe_build(regs, &d, &img), 0);
		assert_int_equal(img.addr % 16, 8);
		assert_true(img.addr + img.size <= regs[FOREIGN_REG_RSP] - 128);
		assert_true(img.size <= LINUX_SIGFRAME_BUF);
		fp = u64_at(img.addr + 8 + 40 + 184);
		if (d.fxsave)
			assert_true(fp % 64 == 0 && fp >= img.addr + sizeof(struct linux_rt_sigframe));
	}
}

static void test_masks(void **state)
{
	(void)state;
	act.mask |= LINUX_SIGBIT(LINUX_SIGKILL) | LINUX_SIGBIT(LINUX_SIGSTOP);
	assert_int_equal(linux_sigframe_build(regs, &d, &img), 0);
	assert_int_equal(img.blocked, LINUX_SIGBIT(LINUX_SIGINT) | LINUX_SIGBIT(LINUX_SIGUSR2) |
				      LINUX_SIGBIT(LINUX_SIGCHLD));
	act.flags |= LINUX_SA_NODEFER;
	assert_int_equal(linux_sigframe_build(regs, &d, &img), 0);
	assert_int_equal(img.blocked, LINUX_SIGBIT(LINUX_SIGINT) | LINUX_SIGBIT(LINUX_SIGUSR2));
	d.sig = 64;				/* the last real-time signal */
	act.flags &= ~(uint64_t)LINUX_SA_NODEFER;
	assert_int_equal(linux_sigframe_build(regs, &d, &img), 0);
	assert_true(img.blocked & (1ull << 63));
}

static void test_no_restorer(void **state)
{
	(void)state;
	act.flags &= ~(uint64_t)LINUX_SA_RESTORER;
	assert_int_equal(linux_sigframe_build(regs, &d, &img), -LINUX_EFAULT);
	/* A stack pointer that would put the frame in page 0, or wrap. */
	act.flags |= LINUX_SA_RESTORER;
	regs[FOREIGN_REG_RSP] = 0x500;
	assert_int_equal(linux_sigframe_build(regs, &d, &img), -LINUX_EFAULT);
	regs[FOREIGN_REG_RSP] = 0xffff800000000000ull;
	assert_int_equal(linux_sigframe_build(regs, &d, &img), -LINUX_EFAULT);
}

static void test_altstack_delivery(void **state)
{
	struct linux_altstack alt = { ALT_SP, ALT_SIZE, 0 };

	(void)state;
	d.altstack = alt;
	/* Without SA_ONSTACK the alternate stack is not used. */
	assert_int_equal(linux_sigframe_build(regs, &d, &img), 0);
	assert_true(img.addr > ALT_SP + ALT_SIZE);
	/* With it: the frame near its top; uc_stack records it, flags 0 (not on it). */
	act.flags |= LINUX_SA_ONSTACK;
	assert_int_equal(linux_sigframe_build(regs, &d, &img), 0);
	assert_true(img.addr > ALT_SP && img.addr + img.size <= ALT_SP + ALT_SIZE);
	assert_true(ALT_SP + ALT_SIZE - img.addr < 1024);
	assert_int_equal(u64_at(img.addr + 24), ALT_SP);
	assert_int_equal((int32_t)u64_at(img.addr + 32), 0);
	assert_int_equal(u64_at(img.addr + 40), ALT_SIZE);
	assert_int_equal(img.altstack.size, ALT_SIZE);
	/* Nested, already on it: below the current rsp and its red zone; SS_ONSTACK saved. */
	regs[FOREIGN_REG_RSP] = ALT_SP + 0x4000;
	assert_int_equal(linux_sigframe_build(regs, &d, &img), 0);
	assert_true(img.addr + img.size <= ALT_SP + 0x4000 - 128 && img.addr > ALT_SP);
	assert_int_equal((int32_t)u64_at(img.addr + 32), LINUX_SS_ONSTACK);
	/* On it, near its bottom: the frame would overflow it, so the thread must die. */
	regs[FOREIGN_REG_RSP] = ALT_SP + 0x300;
	assert_int_equal(linux_sigframe_build(regs, &d, &img), -LINUX_EFAULT);
	/* Entering one too small for a frame. */
	regs[FOREIGN_REG_RSP] = 0x7ffffffde123;
	d.altstack.size = 0x200;
	assert_int_equal(linux_sigframe_build(regs, &d, &img), -LINUX_EFAULT);
}

/* SS_AUTODISARM: the stack is given up while the handler runs, and saved with the flag. */
static void test_altstack_autodisarm(void **state)
{
	(void)state;
	d.altstack = (struct linux_altstack){ ALT_SP, ALT_SIZE, LINUX_SS_AUTODISARM };
	act.flags |= LINUX_SA_ONSTACK;
	assert_int_equal(linux_sigframe_build(regs, &d, &img), 0);
	assert_true(img.addr > ALT_SP && img.addr < ALT_SP + ALT_SIZE);
	assert_int_equal((uint32_t)u64_at(img.addr + 32), LINUX_SS_AUTODISARM);
	assert_int_equal(img.altstack.size, 0);
	assert_int_equal(img.altstack.flags, LINUX_SS_DISABLE);
}

/* Deliver, let the "handler" rewrite the context, return: what it wrote comes back. */
static void test_round_trip(void **state)
{
	struct linux_sigreturn sr;
	foreign_regs_t at_sigreturn;
	struct linux_rt_sigframe f;
	uint64_t fp;

	(void)state;
	assert_int_equal(linux_sigframe_build(regs, &d, &img), 0);
	memcpy(&f, img.buf, sizeof(f));
	fp = f.uc.uc_mcontext.fpstate;
	/* The handler's view: rsp at the frame, a `ret` pops pretcode, then syscall 15. */
	memcpy(at_sigreturn, img.regs, sizeof(foreign_regs_t));
	at_sigreturn[FOREIGN_REG_RSP] = img.addr + 8;
	at_sigreturn[FOREIGN_REG_RAX] = LINUX_SYS_rt_sigreturn;
	at_sigreturn[FOREIGN_REG_RFLAGS] = 0x246;
	assert_int_equal(linux_sigreturn_frame_addr(at_sigreturn), img.addr);
	/* Unchanged frame: exactly the interrupted state (rflags' user bits included). */
	assert_int_equal(linux_sigreturn_parse(at_sigreturn, &f, sizeof(f), &sr), 0);
	assert_int_equal(sr.mask, FOREIGN_MASK_ALL);
	for (int r = 0; r < FOREIGN_REG_RFLAGS; r++)
		assert_int_equal(sr.regs[r], regs[r]);
	assert_int_equal(sr.regs[FOREIGN_REG_RFLAGS], 0x202 | 0x400 | 0x100 | 0x1);
	assert_int_equal(sr.blocked, LINUX_SIGBIT(LINUX_SIGINT));
	assert_int_equal(sr.fpstate, fp);
	assert_int_equal(sr.uc_stack.ss_flags, LINUX_SS_DISABLE);
	/* Go's preemption: new rip and rsp; a mask trying to block SIGKILL. */
	f.uc.uc_mcontext.rip = 0x45a000;
	f.uc.uc_mcontext.rsp = 0xc000123ff8;
	f.uc.uc_mcontext.r13 = 77;
	f.uc.uc_sigmask = ~0ull;
	assert_int_equal(linux_sigreturn_parse(at_sigreturn, &f, sizeof(f), &sr), 0);
	assert_int_equal(sr.regs[FOREIGN_REG_RIP], 0x45a000);
	assert_int_equal(sr.regs[FOREIGN_REG_RSP], 0xc000123ff8);
	assert_int_equal(sr.regs[FOREIGN_REG_R13], 77);
	assert_int_equal(sr.blocked, ~LINUX_SIG_UNBLOCKABLE);
}

/* Privileged rflags bits never come from the frame, whatever the frame says. */
static void test_sigreturn_rflags(void **state)
{
	struct linux_rt_sigframe f;
	struct linux_sigreturn sr;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.uc.uc_mcontext.rip = 0x401000;
	f.uc.uc_mcontext.rsp = 0x7ffffffde000;
	f.uc.uc_mcontext.eflags = ~0ull;		/* IOPL 3, NT, VM, ID, no IF... */
	regs[FOREIGN_REG_RFLAGS] = 0x202;
	assert_int_equal(linux_sigreturn_parse(regs, &f, sizeof(f), &sr), 0);
	/* CF PF AF ZF SF TF DF OF AC from the frame; IF and bit 1 stay. */
	assert_int_equal(sr.regs[FOREIGN_REG_RFLAGS], 0x202 | 0x40dd5);
	f.uc.uc_mcontext.eflags = 0;			/* clearing IF is refused too */
	assert_int_equal(linux_sigreturn_parse(regs, &f, sizeof(f), &sr), 0);
	assert_int_equal(sr.regs[FOREIGN_REG_RFLAGS], 0x202);
}

static void test_sigreturn_bad(void **state)
{
	struct linux_rt_sigframe f;
	struct linux_sigreturn sr;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.uc.uc_mcontext.rip = 0x401000;
	f.uc.uc_mcontext.rsp = 0x7ffffffde000;
	assert_int_equal(linux_sigreturn_parse(regs, &f, sizeof(f), &sr), 0);
	assert_int_equal(linux_sigreturn_parse(regs, &f, sizeof(f) - 1, &sr), -LINUX_EFAULT);
	f.uc.uc_mcontext.rip = 0x800000000000ull;	/* non-canonical */
	assert_int_equal(linux_sigreturn_parse(regs, &f, sizeof(f), &sr), -LINUX_EFAULT);
	f.uc.uc_mcontext.rip = 0x401000;
	f.uc.uc_mcontext.rsp = 0xffffffff81000000ull;	/* kernel half */
	assert_int_equal(linux_sigreturn_parse(regs, &f, sizeof(f), &sr), -LINUX_EFAULT);
	f.uc.uc_mcontext.rsp = 0x7ffffffde000;
	f.uc.uc_mcontext.fpstate = 0x7ffffffde008;	/* fxrstor needs 16-byte alignment */
	assert_int_equal(linux_sigreturn_parse(regs, &f, sizeof(f), &sr), -LINUX_EFAULT);
}

/* sigaltstack's rules, shared with rt_sigreturn's restore of uc_stack. */
static void test_altstack_set_get(void **state)
{
	struct linux_altstack a = LINUX_ALTSTACK_NONE;
	struct linux_stack ss = { ALT_SP, 0, 0, ALT_SIZE }, got;

	(void)state;
	linux_altstack_get(&a, 0x7ffffffde000, &got);
	assert_int_equal(got.ss_flags, LINUX_SS_DISABLE);
	assert_int_equal(linux_altstack_set(&a, 0x7ffffffde000, &ss), 0);
	linux_altstack_get(&a, 0x7ffffffde000, &got);
	assert_int_equal(got.ss_sp, ALT_SP);
	assert_int_equal(got.ss_size, ALT_SIZE);
	assert_int_equal(got.ss_flags, 0);
	/* Its top counts as on it, its base does not (the stack grows down). */
	assert_true(linux_altstack_on(&a, ALT_SP + ALT_SIZE));
	assert_false(linux_altstack_on(&a, ALT_SP));
	linux_altstack_get(&a, ALT_SP + 0x100, &got);
	assert_int_equal(got.ss_flags, LINUX_SS_ONSTACK);
	/* No change while running on it. */
	assert_int_equal(linux_altstack_set(&a, ALT_SP + 0x100, &ss), -LINUX_EPERM);
	ss.ss_flags = 5;
	assert_int_equal(linux_altstack_set(&a, 0x7ffffffde000, &ss), -LINUX_EINVAL);
	ss.ss_flags = LINUX_SS_ONSTACK;			/* accepted, means 0 */
	ss.ss_size = LINUX_MINSIGSTKSZ - 1;
	assert_int_equal(linux_altstack_set(&a, 0x7ffffffde000, &ss), -LINUX_ENOMEM);
	assert_int_equal(a.size, ALT_SIZE);		/* unchanged by failures */
	ss.ss_size = LINUX_MINSIGSTKSZ;
	assert_int_equal(linux_altstack_set(&a, 0x7ffffffde000, &ss), 0);
	assert_int_equal(a.flags, 0);
	ss.ss_flags = (int32_t)LINUX_SS_AUTODISARM;
	assert_int_equal(linux_altstack_set(&a, 0x7ffffffde000, &ss), 0);
	assert_false(linux_altstack_on(&a, ALT_SP + 0x100));	/* never "on" it */
	linux_altstack_get(&a, ALT_SP + 0x100, &got);
	assert_int_equal((uint32_t)got.ss_flags, LINUX_SS_AUTODISARM);
	ss.ss_flags = LINUX_SS_DISABLE;
	ss.ss_size = 0;					/* the size is ignored */
	assert_int_equal(linux_altstack_set(&a, 0x7ffffffde000, &ss), 0);
	assert_int_equal(a.size, 0);
	assert_int_equal(a.sp, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sigcontext_matches_host),
		cmocka_unit_test_setup(test_frame_layout, setup),
		cmocka_unit_test_setup(test_entry_registers, setup),
		cmocka_unit_test_setup(test_fpu_area, setup),
		cmocka_unit_test_setup(test_alignment_any_rsp, setup),
		cmocka_unit_test_setup(test_masks, setup),
		cmocka_unit_test_setup(test_no_restorer, setup),
		cmocka_unit_test_setup(test_altstack_delivery, setup),
		cmocka_unit_test_setup(test_altstack_autodisarm, setup),
		cmocka_unit_test_setup(test_round_trip, setup),
		cmocka_unit_test_setup(test_sigreturn_rflags, setup),
		cmocka_unit_test_setup(test_sigreturn_bad, setup),
		cmocka_unit_test(test_altstack_set_get),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
