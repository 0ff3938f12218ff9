/* Time values on the wire (abi/README.md section 1). */
#ifndef _MACH_TIME_VALUE_H_
#define _MACH_TIME_VALUE_H_

#include <stdint.h>
#include <mach/x86_64/vm_types.h>

/* seconds at 0, microseconds at 8, then 4 bytes of padding: 2 x INTEGER_64. */
typedef struct rpc_time_value {
	rpc_long_integer_t seconds;
	integer_t microseconds;
} rpc_time_value_t;
typedef rpc_time_value_t time_value_t;

typedef struct time_value64 {
	int64_t seconds;
	int64_t nanoseconds;
} time_value64_t;

#define TIME_MICROS_MAX	1000000

_Static_assert(sizeof(time_value_t) == 16, "time_value_t is 16 bytes");
_Static_assert(sizeof(time_value64_t) == 16, "time_value64_t is 16 bytes");

#endif
