/*
 * enosys: system call numbers that no x86_64 kernel implements each return -ENOSYS
 * (-38), twice in a row (the personality logs an unknown number once; the second call
 * must still answer). 400 is in the gap 335..423 that x86_64 never fills (new calls start
 * at 424 on every architecture), 1000 is past the table's end. (Not 335: the build
 * machine's sandbox kernel answers 335 with SIGILL.)
 */
#include "sys.h"

int main(int argc, char **argv, char **envp)
{
	static const long nrs[] = { 400, 1000 };

	(void)argc, (void)argv, (void)envp;
	for (int i = 0; i < 2; i++)
		for (int k = 0; k < 2; k++)
			pr("syscall %ld: %ld\n", nrs[i], sc0(nrs[i]));
	pr("enosys done\n");
	return 0;
}
