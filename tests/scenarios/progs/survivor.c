/*
 * survivor: started before the faulters, it yields (swtch) until no other thread is
 * runnable, i.e. until every faulter has been stopped, then shows that it still runs.
 * It must have yielded at least once: otherwise it never ran alongside them.
 */
#include <stdio.h>
#include <mach/mach_traps.h>
#include "test.h"

int main(void)
{
	int rounds = 0;

	while (swtch())
		rounds++;
	printf("survivor: others done after %d yields\n", rounds);
	TEST_CHECK("survivor-runs-after-faults", rounds > 0);
	test_done();
	return 0;
}
