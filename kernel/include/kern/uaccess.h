/*
 * Safe access to user memory from the kernel. Every user address is checked against
 * USER_LIMIT (with overflow) and a fault on it is recovered: the functions return
 * KERN_INVALID_ADDRESS instead of faulting the kernel.
 */
#ifndef _KERN_UACCESS_H_
#define _KERN_UACCESS_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mach/kern_return.h>

bool user_range_ok(uint64_t uaddr, size_t n);
kern_return_t copyin(uint64_t uaddr, void *kaddr, size_t n);
kern_return_t copyout(const void *kaddr, uint64_t uaddr, size_t n);
/*
 * Copies the NUL-terminated string at uaddr into buf (size bytes). *len gets its
 * length; if there is no NUL within size-1 bytes, buf holds the first size-1 bytes,
 * is terminated, and *truncated is set.
 */
kern_return_t copyinstr(uint64_t uaddr, char *buf, size_t size, size_t *len, bool *truncated);

#endif /* _KERN_UACCESS_H_ */
