/* The Mach trap table (ABI section 2; numbers in mach/syscall_sw.h). */
#ifndef _KERN_MACH_TRAPS_H_
#define _KERN_MACH_TRAPS_H_

#include <stdint.h>

#define MACH_TRAP_MAX_ARGS	11

struct mach_trap {
	int nargs;
	uint64_t (*fn)(const uint64_t *args);	/* the result goes to eax */
	const char *name;
};

/* The slot for a trap number, or NULL when the number is not a trap (positive, or
 * below the table): the caller raises the invalid-instruction fault then. */
const struct mach_trap *mach_trap_lookup(int number);

#endif /* _KERN_MACH_TRAPS_H_ */
