/* <mach/machine/mach_i386_types.h>: the x86_64 version. */
#include <mach/x86_64/mach_i386_types.h>
