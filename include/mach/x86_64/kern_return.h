/* kern_return_t lives in <mach/kern_return.h>; this keeps <mach/machine/...> paths working. */
#include <mach/kern_return.h>
