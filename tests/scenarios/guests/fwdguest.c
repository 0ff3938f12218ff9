/*
 * A foreign guest: no libc and no Mach traps, only raw `syscall` instructions that
 * its personality (../progs/fwdserver.c) answers, following fwdproto.h. It reports
 * what it observed through FWD_REPORT calls; at the end, made native again, it prints
 * with mach_print and terminates itself with Mach traps.
 */
#include <stdint.h>
#include <mach/personality.h>
#include "fwdproto.h"

#define STACK_BYTES	8192

static uint64_t jump_stack[STACK_BYTES / 8] __attribute__((aligned(16)));
static uint64_t child_stack[STACK_BYTES / 8] __attribute__((aligned(16)));
uint64_t jumped_rcx, jumped_r11, jumped_rsp;

void regs_syscall(const uint64_t *in, uint64_t *out);
void jump_target(void);
void child_entry(void);
void jumped(uint64_t magic);
void guest_main(void);

/*
 * regs_syscall(in, out): loads every GPR but rsp from in[] (FOREIGN_REG_* order),
 * executes syscall, stores every GPR but rsp into out[]. jump_target: where FWD_JUMP
 * lands; keeps rcx, r11 and rsp as they arrived, then calls jumped(rdi).
 */
__asm__(
	".text\n"
	".globl _start\n"
	"_start:\n"
	"	and $-16, %rsp\n"
	"	call guest_main\n"
	"	ud2\n"
	".globl regs_syscall\n"
	"regs_syscall:\n"
	"	push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
	"	push %rsi\n"
	"	mov %rdi, %rax\n"
	"	mov 8(%rax), %rcx; mov 16(%rax), %rdx; mov 24(%rax), %rbx\n"
	"	mov 40(%rax), %rbp; mov 48(%rax), %rsi; mov 56(%rax), %rdi\n"
	"	mov 64(%rax), %r8; mov 72(%rax), %r9; mov 80(%rax), %r10; mov 88(%rax), %r11\n"
	"	mov 96(%rax), %r12; mov 104(%rax), %r13; mov 112(%rax), %r14; mov 120(%rax), %r15\n"
	"	mov 0(%rax), %rax\n"
	"	syscall\n"
	"	push %rax\n"
	"	mov 8(%rsp), %rax\n"
	"	mov %rcx, 8(%rax); mov %rdx, 16(%rax); mov %rbx, 24(%rax)\n"
	"	mov %rbp, 40(%rax); mov %rsi, 48(%rax); mov %rdi, 56(%rax)\n"
	"	mov %r8, 64(%rax); mov %r9, 72(%rax); mov %r10, 80(%rax); mov %r11, 88(%rax)\n"
	"	mov %r12, 96(%rax); mov %r13, 104(%rax); mov %r14, 112(%rax); mov %r15, 120(%rax)\n"
	"	pop %rcx\n"
	"	mov %rcx, 0(%rax)\n"
	"	add $8, %rsp\n"
	"	pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
	"	ret\n"
	".globl jump_target\n"
	"jump_target:\n"
	"	mov %rcx, jumped_rcx(%rip)\n"
	"	mov %r11, jumped_r11(%rip)\n"
	"	mov %rsp, jumped_rsp(%rip)\n"
	"	and $-16, %rsp\n"
	"	call jumped\n"
	"	ud2\n"
	".globl child_entry\n"
	"child_entry:\n"
	"	mov $7100, %eax\n"
	"	syscall\n"
	"	jmp child_entry\n");

static long sys3(long n, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
	return ret;
}

static long sys0(long n)
{
	return sys3(n, 0, 0, 0);
}

static void report(enum fwd_report id, int ok)
{
	sys3(FWD_REPORT, id, ok, 0);
}

static void load_patterns(uint64_t *in, long number)
{
	for (int r = 0; r < FOREIGN_REG_COUNT; r++)
		in[r] = FWD_PATTERN(r);
	in[FOREIGN_REG_RAX] = (uint64_t)number;
}

/* Registers other than rax, rcx, r11 (and those in `changed`) keep their values. */
static int others_kept(const uint64_t *in, const uint64_t *out, uint32_t changed)
{
	changed |= FOREIGN_MASK(FOREIGN_REG_RAX) | FOREIGN_MASK(FOREIGN_REG_RCX) |
		   FOREIGN_MASK(FOREIGN_REG_R11) | FOREIGN_MASK(FOREIGN_REG_RSP);
	for (int r = 0; r < 16; r++)
		if (!(changed & FOREIGN_MASK(r)) && in[r] != out[r])
			return 0;
	return 1;
}

static void test_registers(void)
{
	uint64_t in[FOREIGN_REG_COUNT], out[FOREIGN_REG_COUNT];
	uint32_t all = 0;
	int ok = 1;

	load_patterns(in, FWD_ECHO);
	regs_syscall(in, out);
	report(FWD_R_ECHO, out[FOREIGN_REG_RAX] == in[FOREIGN_REG_RDI] + in[FOREIGN_REG_RSI] &&
			   out[FOREIGN_REG_RDX] == (in[FOREIGN_REG_R8] ^ in[FOREIGN_REG_R9]) &&
			   others_kept(in, out, FOREIGN_MASK(FOREIGN_REG_RDX)));

	load_patterns(in, FWD_CHANGE);
	regs_syscall(in, out);
	for (int r = 0; r < 16; r++) {
		if (r == FOREIGN_REG_RAX || r == FOREIGN_REG_RCX || r == FOREIGN_REG_R11 || r == FOREIGN_REG_RSP)
			continue;
		all |= FOREIGN_MASK(r);
		ok &= out[r] == ~FWD_PATTERN(r);
	}
	report(FWD_R_CHANGE, ok && out[FOREIGN_REG_RAX] == 0 && others_kept(in, out, all));
}

static void test_simple_calls(void)
{
	static const char msg[] = "fwd: hello from a foreign task\n";
	static const long traps[] = { -26, -25, -28, -30, -1 };
	int ok = 1;

	report(FWD_R_WRITE, sys3(FWD_LINUX_WRITE, 1, (long)msg, sizeof(msg) - 1) == sizeof(msg) - 1);
	report(FWD_R_ENOSYS, sys0(FWD_UNKNOWN) == -FWD_ENOSYS);
	for (unsigned i = 0; i < sizeof(traps) / sizeof(traps[0]); i++)
		ok &= sys0(traps[i]) == (long)FWD_TRAP_ANSWER;
	report(FWD_R_TRAPS, ok);
}

static void test_loop(void)
{
	int ok = 1;

	sys0(FWD_LOOP_START);
	for (long i = 0; i < FWD_LOOP_COUNT; i++)
		ok &= sys3(FWD_NULL, i, 0, 0) == i + 1;
	sys0(FWD_LOOP_END);
	report(FWD_R_LOOP, ok);
}

static void test_failures(void)
{
	/* Each one raises an exception; the handler resumes us with rax unchanged. */
	int ok = sys0(FWD_MALFORMED) == FWD_MALFORMED;

	ok &= sys0(FWD_DROP_REPLY) == FWD_DROP_REPLY;
	ok &= sys0(FWD_REFUSED) == FWD_REFUSED;
	ok &= sys0(FWD_BAD_STATE) == FWD_BAD_STATE;
	sys0(FWD_KILL_PORT);
	ok &= sys0(FWD_AFTER_KILL) == FWD_AFTER_KILL;
	report(FWD_R_RESUMED, ok);
	report(FWD_R_NEW_PORT, 1);	/* reaching the server proves the new port works */
}

static void native_end(void)
{
	static const char done[] = "TEST PASS fwd-native-again\n";
	long task;

	sys0(FWD_GO_NATIVE);
	/* Mach traps now: mach_print(done), then task_terminate(mach_task_self()). */
	sys3(-30, (long)done, 0, 0);
	task = sys0(-28);
	sys3(-69, task, 0, 0);
	for (;;)
		;
}

/* FWD_JUMP lands here, on jump_stack, with rdi = FWD_MAGIC; the script goes on. */
void jumped(uint64_t magic)
{
	report(FWD_R_JUMP, magic == FWD_MAGIC && jumped_rcx == FWD_NEW_RCX && jumped_r11 == FWD_NEW_R11 &&
		   jumped_rsp == (uint64_t)&jump_stack[STACK_BYTES / 8]);
	test_loop();
	test_failures();
	sys3(FWD_CHILDREN, (long)child_entry, (long)&child_stack[STACK_BYTES / 8], 0);
	native_end();
}

void guest_main(void)
{
	test_registers();
	test_simple_calls();
	sys3(FWD_JUMP, (long)jump_target, (long)&jump_stack[STACK_BYTES / 8], 0);
	for (;;)
		;	/* not reached: the jump does not come back */
}
