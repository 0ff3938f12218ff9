/*
 * hello: prints through mach_print and checks what the kernel gave it: the argv of
 * its boot-script line (expected values are passed on the line itself after "--"),
 * and names from mach_task_self / mach_host_self.
 *   module hello hello <args...> -- <expected argv[1..]> $(task-create) $(task-resume)
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <mach/mach_traps.h>
#include "test.h"

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
	TEST_CHECK("hello-bad-trap-slot", syscall_task_suspend(0) != 0);
	test_done();
	return 0;
}
