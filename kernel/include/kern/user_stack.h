/*
 * The initial user stack of a module task (ABI section 13): at rsp, u64 argc, the
 * argv pointers, NULL, the environment pointers, NULL, then the strings; rsp is
 * the stack top minus the whole area rounded up to 16.
 */
#ifndef _KERN_USER_STACK_H_
#define _KERN_USER_STACK_H_

#include <stddef.h>
#include <stdint.h>

/*
 * Builds the area in buf, which stands for the memory [*sp, top). Returns its size
 * in bytes (a multiple of 16), or 0 if it does not fit in bufsize.
 */
size_t user_stack_build(uint64_t top, int argc, char *const argv[], int envc,
			char *const envp[], uint8_t *buf, size_t bufsize, uint64_t *sp);

#endif
