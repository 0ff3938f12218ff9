/* Checked, fault-recovering copies of strings from user memory (the rest is inline). */
#include <kern/layout.h>
#include <kern/thread.h>
#include <kern/uaccess.h>

long copy_user_string(char *dst, const char *src, size_t max);

kern_return_t copyinstr(uint64_t uaddr, char *buf, size_t size, size_t *len, bool *truncated)
{
	size_t max = size - 1;
	long r;

	if (uaddr >= USER_LIMIT)
		return KERN_INVALID_ADDRESS;
	if (max > USER_LIMIT - uaddr)
		max = USER_LIMIT - uaddr;
	current_thread()->recover = (uint64_t)copy_user_fault;
	r = copy_user_string(buf, (const char *)uaddr, max);
	current_thread()->recover = 0;
	if (r < 0)
		return KERN_INVALID_ADDRESS;
	buf[r] = '\0';
	*len = (size_t)r;
	*truncated = (size_t)r == max;
	return KERN_SUCCESS;
}
