/* vm_statistics: 13 32-bit counters (abi/README.md section 11). */
#ifndef _MACH_VM_STATISTICS_H_
#define _MACH_VM_STATISTICS_H_

#include <mach/x86_64/vm_types.h>

struct vm_statistics {
	integer_t pagesize;
	integer_t free_count;
	integer_t active_count;
	integer_t inactive_count;
	integer_t wire_count;
	integer_t zero_fill_count;
	integer_t reactivations;
	integer_t pageins;
	integer_t pageouts;
	integer_t faults;
	integer_t cow_faults;
	integer_t lookups;
	integer_t hits;
};
typedef struct vm_statistics *vm_statistics_t;
typedef struct vm_statistics vm_statistics_data_t;

_Static_assert(sizeof(vm_statistics_data_t) == 52, "13 x INTEGER_32");

#endif
