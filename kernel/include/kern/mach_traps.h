/* The Mach trap table (ABI section 2; numbers in mach/syscall_sw.h). */
#ifndef _KERN_MACH_TRAPS_H_
#define _KERN_MACH_TRAPS_H_

#include <stdint.h>

#define MACH_TRAP_MAX_ARGS	11

struct mach_trap {
	int nargs;
	uint64_t (*fn)(const uint64_t *args);	/* the result goes to eax (NULL: see fast) */
	const char *name;
	/*
	 * Simple traps (no arguments, never block, never look at the thread's saved
	 * state) also have `fast`, which entry.S calls without building a trap frame.
	 */
	uint64_t (*fast)(void);
};

/* Indexed by -number: the fast handler of each slot, or NULL (built by mach_traps_init). */
extern uint64_t (*mach_fast_traps[])(void);
void mach_traps_init(void);
/* mach_msg_trap from its registers; the 7th argument is read from the user stack at
 * `rsp + 8` only when an option needs it. */
uint64_t mach_trap_msg(uint64_t msg, uint64_t option, uint64_t send_size, uint64_t rcv_size,
		       uint64_t rcv_name, uint64_t timeout, uint64_t rsp, uint64_t rip);

/* The slot for a trap number, or NULL when the number is not a trap (positive, or
 * below the table): the caller raises the invalid-instruction fault then. */
const struct mach_trap *mach_trap_lookup(int number);

#endif /* _KERN_MACH_TRAPS_H_ */
