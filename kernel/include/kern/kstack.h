/* Kernel stacks with guard pages (see KSTACK_REGION in kern/layout.h). */
#ifndef _KERN_KSTACK_H_
#define _KERN_KSTACK_H_

#include <stdint.h>

/* The lowest address of a new KSTACK_SIZE stack, or 0 when out of memory or slots. */
uint64_t kstack_alloc(void);
void kstack_free(uint64_t base);

#endif
