/* C types behind <mach/std_types.defs>. */
#ifndef _MACH_STD_TYPES_H_
#define _MACH_STD_TYPES_H_

#include <stdint.h>
#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/port.h>
#include <mach/message.h>
#include <mach/x86_64/vm_types.h>

typedef vm_offset_t pointer_t;

#endif
