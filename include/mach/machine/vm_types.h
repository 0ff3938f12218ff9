/* <mach/machine/vm_types.h>: the x86_64 version. */
#include <mach/x86_64/vm_types.h>
