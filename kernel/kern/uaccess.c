/* Checked, fault-recovering copies between the kernel and user memory. */
#include <kern/layout.h>
#include <kern/thread.h>
#include <kern/uaccess.h>

long copy_user_bytes(void *dst, const void *src, size_t n);
long copy_user_string(char *dst, const char *src, size_t max);
void copy_user_fault(void);

bool user_range_ok(uint64_t uaddr, size_t n)
{
	return uaddr <= USER_LIMIT && n <= USER_LIMIT - uaddr;
}

/* Runs a raw copy with the thread's recovery address set: a fault makes it return -1. */
static inline long guarded(long (*fn)(void *, const void *, size_t), void *dst, const void *src, size_t n)
{
	struct thread *th = current_thread();
	long r;

	th->recover = (uint64_t)copy_user_fault;
	r = fn(dst, src, n);
	th->recover = 0;
	return r;
}

/* copyin and copyout are on the IPC path: guarded() is inlined with its function. */
kern_return_t copyin(uint64_t uaddr, void *kaddr, size_t n)
{
	if (!user_range_ok(uaddr, n))
		return KERN_INVALID_ADDRESS;
	return guarded(copy_user_bytes, kaddr, (const void *)uaddr, n) ? KERN_INVALID_ADDRESS : KERN_SUCCESS;
}

kern_return_t copyout(const void *kaddr, uint64_t uaddr, size_t n)
{
	if (!user_range_ok(uaddr, n))
		return KERN_INVALID_ADDRESS;
	return guarded(copy_user_bytes, (void *)uaddr, kaddr, n) ? KERN_INVALID_ADDRESS : KERN_SUCCESS;
}

static long copy_string(void *dst, const void *src, size_t max)
{
	return copy_user_string(dst, src, max);
}

kern_return_t copyinstr(uint64_t uaddr, char *buf, size_t size, size_t *len, bool *truncated)
{
	size_t max = size - 1;
	long r;

	if (uaddr >= USER_LIMIT)
		return KERN_INVALID_ADDRESS;
	if (max > USER_LIMIT - uaddr)
		max = USER_LIMIT - uaddr;
	r = guarded(copy_string, buf, (const void *)uaddr, max);
	if (r < 0)
		return KERN_INVALID_ADDRESS;
	buf[r] = '\0';
	*len = (size_t)r;
	*truncated = (size_t)r == max;
	return KERN_SUCCESS;
}
