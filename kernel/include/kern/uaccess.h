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
#include <kern/layout.h>
#include <kern/thread.h>

/* The raw copies (uaccess.S): 0, or -1 after a fault on the user side. */
long copy_user_bytes(void *dst, const void *src, size_t n);
long copy_user_qwords(void *dst, const void *src, size_t n);	/* n % 8 == 0 */
void copy_user_fault(void);
/* A forwarded system call's request (kern/foreign.h, no ports: 184 bytes) written to
   dst from its header and descriptor (head, 40 bytes) and the frame's registers. */
struct trap_frame;
long copy_foreign_request(void *dst, const uint64_t head[5], const struct trap_frame *f);

static inline bool user_range_ok(uint64_t uaddr, size_t n)
{
	return uaddr <= USER_LIMIT && n <= USER_LIMIT - uaddr;
}

/* Inline, as every message crosses here: a raw copy with th's (the current thread's)
 * recovery set. */
static inline __attribute__((always_inline)) kern_return_t
copy_guarded_by(struct thread *th, long (*raw)(void *, const void *, size_t), void *dst,
		const void *src, size_t n)
{
	long r;

	th->recover = (uint64_t)copy_user_fault;
	r = raw(dst, src, n);
	th->recover = 0;
	return r ? KERN_INVALID_ADDRESS : KERN_SUCCESS;
}

static inline __attribute__((always_inline)) kern_return_t
copy_guarded(long (*raw)(void *, const void *, size_t), void *dst, const void *src, size_t n)
{
	return copy_guarded_by(current_thread(), raw, dst, src, n);
}

static inline __attribute__((always_inline)) kern_return_t copyin(uint64_t uaddr, void *kaddr, size_t n)
{
	if (!user_range_ok(uaddr, n))
		return KERN_INVALID_ADDRESS;
	return copy_guarded(copy_user_bytes, kaddr, (const void *)uaddr, n);
}

static inline __attribute__((always_inline)) kern_return_t copyout(const void *kaddr, uint64_t uaddr, size_t n)
{
	if (!user_range_ok(uaddr, n))
		return KERN_INVALID_ADDRESS;
	return copy_guarded(copy_user_bytes, (void *)uaddr, kaddr, n);
}

/*
 * user_range_ok for 1 <= n <= 2^32, in fewer instructions: uaddr and the last byte
 * are both below USER_LIMIT (2^47). With such n, uaddr + n - 1 cannot wrap unless
 * uaddr's top bit is set, which fails the test anyway.
 */
static inline bool user_range_ok_small(uint64_t uaddr, size_t n)
{
	_Static_assert(USER_LIMIT == 1ull << 47, "USER_LIMIT is a power of two");
	return ((uaddr | (uaddr + n - 1)) >> 47) == 0;
}

/* The same for whole 8-byte words, 8 <= n <= 2^32 (messages: multiples of 8), by
 * self, the current thread. */
static inline __attribute__((always_inline)) kern_return_t
copyin_qwords(struct thread *self, uint64_t uaddr, void *kaddr, size_t n)
{
	if (!user_range_ok_small(uaddr, n))
		return KERN_INVALID_ADDRESS;
	return copy_guarded_by(self, copy_user_qwords, kaddr, (const void *)uaddr, n);
}

static inline __attribute__((always_inline)) kern_return_t
copyout_qwords(struct thread *self, const void *kaddr, uint64_t uaddr, size_t n)
{
	if (!user_range_ok_small(uaddr, n))
		return KERN_INVALID_ADDRESS;
	return copy_guarded_by(self, copy_user_qwords, (void *)uaddr, kaddr, n);
}

/*
 * Copies the NUL-terminated string at uaddr into buf (size bytes). *len gets its
 * length; if there is no NUL within size-1 bytes, buf holds the first size-1 bytes,
 * is terminated, and *truncated is set.
 */
kern_return_t copyinstr(uint64_t uaddr, char *buf, size_t size, size_t *len, bool *truncated);

#endif /* _KERN_UACCESS_H_ */
