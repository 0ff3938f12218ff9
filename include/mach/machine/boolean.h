/* <mach/machine/boolean.h>: the x86_64 version. */
#include <mach/x86_64/boolean.h>
