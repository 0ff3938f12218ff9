/*
 * spinner <label> [wait]: spins without ever yielding and watches the time-stamp
 * counter. Run under QEMU's icount mode, where rdtsc counts guest instructions, a jump
 * of GAP or more in this tight loop means that many instructions ran elsewhere: the
 * timer preempted us for another thread's quantum (a tick alone costs far fewer).
 * After PREEMPTIONS such jumps it reports a pass, then keeps the processor busy for
 * LINGER more instructions (a few quanta), so that the other spinner, still counting,
 * is preempted by it in turn.
 * With "wait", it then waits (swtch) until no other thread is runnable and prints
 * the scenario summary. Without preemption it spins forever and the run times out.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <mach/mach_traps.h>
#include "test.h"

#define PREEMPTIONS	3
#define GAP		2000000ull	/* instructions: ~1000 ticks' worth, a tenth of a quantum */
#define LINGER		100000000ull	/* instructions: about five 20 ms quanta at 1 GHz */

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
	for (uint64_t start = rdtsc(); rdtsc() - start < LINGER; )
		;
	if (argc > 2 && strcmp(argv[2], "wait") == 0) {
		while (swtch())
			;
		test_done();
	}
	return 0;
}
