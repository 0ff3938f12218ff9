/* C types of the mach_i386 interface. */
#ifndef _MACH_X86_64_MACH_I386_TYPES_H_
#define _MACH_X86_64_MACH_I386_TYPES_H_

#include <mach/std_types.h>

/* A segment descriptor: two 32-bit words. */
struct descriptor {
	uint32_t low_word;
	uint32_t high_word;
};
typedef struct descriptor descriptor_t;
typedef struct descriptor *descriptor_list_t;
typedef const struct descriptor *const_descriptor_list_t;

typedef unsigned short io_port_t;
typedef mach_port_t io_perm_t;

#endif
