/* boolean_t of the x86_64 ABI: a 32-bit int. */
#ifndef _MACH_X86_64_BOOLEAN_H_
#define _MACH_X86_64_BOOLEAN_H_

typedef int boolean_t;

#endif
