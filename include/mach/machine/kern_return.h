/* <mach/machine/kern_return.h>: the x86_64 version. */
#include <mach/x86_64/kern_return.h>
