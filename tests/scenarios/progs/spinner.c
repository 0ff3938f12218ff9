/*
 * spinner <label> [wait]: spins without ever yielding and watches the time-stamp
 * counter. A jump far larger than one loop iteration means another thread ran in
 * between: the timer preempted us. After PREEMPTIONS such jumps it reports a pass.
 * With "wait", it then waits (swtch) until no other thread is runnable and prints
 * the scenario summary. Without preemption it spins forever and the run times out.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <mach/mach_traps.h>
#include "test.h"

#define PREEMPTIONS	3
#define GAP		2000000ull	/* cycles: far above an iteration, below a quantum */

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

int main(int argc, char **argv)
{
	const char *label = argc > 1 ? argv[1] : "?";
	char name[64];
	uint64_t last = rdtsc();
	int seen = 0;

	while (seen < PREEMPTIONS) {
		uint64_t now = rdtsc();
		if (now - last > GAP) {
			seen++;
			printf("spinner %s: preempted (%d)\n", label, seen);
		}
		last = now;
	}
	snprintf(name, sizeof(name), "spin-%s-preempted", label);
	test_pass(name);
	if (argc > 2 && strcmp(argv[2], "wait") == 0) {
		while (swtch())
			;
		test_done();
	}
	return 0;
}
