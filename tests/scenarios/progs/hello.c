/*
 * hello: prints through mach_print and checks what the kernel gave it: the argv of
 * its boot-script line (expected values are passed on the line itself after "--"),
 * and names from mach_task_self / mach_host_self.
 *   module hello hello <args...> -- <expected argv[1..]> $(task-create) $(task-resume)
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include <mach/message.h>
#include "test.h"

/*
 * trap_preserves(number, arg): makes trap `number` with rdi = arg and every other
 * register set to a known value; returns 0 if all that the ABI preserves (all but rax,
 * rcx and r11) came back unchanged, rsp included, and 1 otherwise.
 */
long trap_preserves(long number, long arg);
uint64_t saved_rsp;	/* used by trap_preserves */
__asm__(
	".text\n"
	".globl trap_preserves\n"
	"trap_preserves:\n"
	"	pushq %rbx; pushq %rbp; pushq %r12; pushq %r13; pushq %r14; pushq %r15\n"
	"	movq %rdi, %rax\n"
	"	movq %rsi, %rdi\n"
	"	pushq %rdi\n"
	"	movq $0x1111, %rsi; movq $0x2222, %rdx; movq $0x3333, %r10\n"
	"	movq $0x4444, %r8; movq $0x5555, %r9; movq $0x6666, %rbx\n"
	"	movq $0x7777, %rbp; movq $0x8888, %r12; movq $0x9999, %r13\n"
	"	movq $0xaaaa, %r14; movq $0xbbbb, %r15\n"
	"	movq %rsp, saved_rsp(%rip)\n"
	"	syscall\n"
	"	cmpq saved_rsp(%rip), %rsp; jne 1f\n"
	"	cmpq (%rsp), %rdi; jne 1f\n"
	"	cmpq $0x1111, %rsi; jne 1f\n"
	"	cmpq $0x2222, %rdx; jne 1f\n"
	"	cmpq $0x3333, %r10; jne 1f\n"
	"	cmpq $0x4444, %r8; jne 1f\n"
	"	cmpq $0x5555, %r9; jne 1f\n"
	"	cmpq $0x6666, %rbx; jne 1f\n"
	"	cmpq $0x7777, %rbp; jne 1f\n"
	"	cmpq $0x8888, %r12; jne 1f\n"
	"	cmpq $0x9999, %r13; jne 1f\n"
	"	cmpq $0xaaaa, %r14; jne 1f\n"
	"	cmpq $0xbbbb, %r15; jne 1f\n"
	"	xorl %eax, %eax; jmp 2f\n"
	"1:	movl $1, %eax\n"
	"2:	popq %rdi\n"
	"	popq %r15; popq %r14; popq %r13; popq %r12; popq %rbp; popq %rbx\n"
	"	ret\n");

static long raw_trap(long number)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(number) : "rcx", "r11", "memory");
	return (int)ret;
}

/* The shortcut traps do what their RPCs do, or decline for a name that is not a task. */
static void shortcuts(mach_port_t task)
{
	vm_address_t addr = 0;
	mach_port_name_t name = 0;
	mach_port_type_t type = 0;
	kern_return_t kr;

	kr = syscall_vm_allocate(task, &addr, 8192, 1);
	if (kr == KERN_SUCCESS && addr) {
		((volatile char *)addr)[8191] = 1;	/* mapped and writable */
		kr = syscall_vm_deallocate(task, addr, 8192);
	}
	TEST_CHECK("hello-shortcut-vm", kr == KERN_SUCCESS && addr != 0);
	kr = syscall_mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &name);
	if (kr == KERN_SUCCESS)
		kr = syscall_mach_port_insert_right(task, name, name, MACH_MSG_TYPE_MAKE_SEND);
	if (kr == KERN_SUCCESS)
		kr = mach_port_type(task, name, &type);
	TEST_CHECK("hello-shortcut-ports", kr == KERN_SUCCESS && type == MACH_PORT_TYPE_SEND_RECEIVE &&
		   syscall_mach_port_deallocate(task, name) == KERN_SUCCESS &&
		   mach_port_destroy(task, name) == KERN_SUCCESS &&
		   syscall_mach_port_allocate_name(task, MACH_PORT_RIGHT_DEAD_NAME, 0x777) == KERN_SUCCESS &&
		   mach_port_destroy(task, 0x777) == KERN_SUCCESS);
	/* name is gone by now: not a task, not a thread. */
	TEST_CHECK("hello-shortcut-declines", syscall_vm_deallocate(name, 0, 0) == MACH_SEND_INTERRUPTED &&
		   syscall_task_suspend(name) == MACH_SEND_INTERRUPTED &&
		   syscall_thread_depress_abort(name) == MACH_SEND_INTERRUPTED);
}

int main(int argc, char **argv, char **envp)
{
	int sep = 0;
	uint32_t task, task2, host;

	printf("hello from %s\n", argv[0]);
	TEST_CHECK("hello-print", 1);
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0)
			sep = i;
	/* Everything before "--" must equal, in order, what follows it. */
	if (sep && argc - sep - 1 == sep - 1) {
		int same = 1;
		for (int i = 1; i < sep; i++)
			if (strcmp(argv[i], argv[sep + i]) != 0) {
				printf("argv[%d] = '%s', expected '%s'\n", i, argv[i], argv[sep + i]);
				same = 0;
			}
		TEST_CHECK("hello-argv", same);
	} else {
		test_fail("hello-argv", __FILE__, __LINE__, "argc %d: no matching '--' half", argc);
	}
	TEST_CHECK("hello-envp-empty", envp[0] == NULL);
	TEST_CHECK("hello-stack-aligned", ((uintptr_t)__builtin_frame_address(0) & 7) == 0);
	task = mach_task_self();
	task2 = mach_task_self();
	host = mach_host_self();
	TEST_CHECK("hello-task-self", task != 0 && task != 0xFFFFFFFF && task == task2);
	TEST_CHECK("hello-host-self", host != 0 && host != task);
	TEST_CHECK("hello-bad-trap-slot", raw_trap(-1) == KERN_INVALID_ARGUMENT &&
		   raw_trap(-129) == KERN_INVALID_ARGUMENT);
	shortcuts(task);
	/* A simple trap (fast entry), an unused slot, a trap on the full path, mach_msg. */
	TEST_CHECK("hello-trap-preserves-registers",
		   trap_preserves(-28, 0) == 0 && trap_preserves(-1, 0) == 0 &&
		   trap_preserves(-30, (long)"") == 0 && trap_preserves(-25, 0) == 0);
	test_done();
	return 0;
}
