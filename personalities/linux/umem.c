/*
 * Guest memory (lx.h): copies between a guest's address space and the server's over
 * the kernel's task_read_memory / task_write_memory (personality.defs 5102, 5103), at
 * most TASK_MEMORY_MAX bytes a call. The kernel faults pages in as the guest's own
 * access would and fails a call on any byte not mapped or not accessible; every such
 * failure is EFAULT here.
 */
#include <string.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include <mach/personality_user.h>
#include <mach/vm_prot.h>
#include "lx.h"

#define LX_PAGE		4096ul

/* Whether [uaddr, uaddr + n) (n > 0) lies within user addresses without wrapping. */
static bool range_ok(uint64_t uaddr, size_t n)
{
	return uaddr + n >= uaddr;
}

int lx_copyin(struct lx_proc *p, uint64_t uaddr, void *buf, size_t n)
{
	char *d = buf;

	if (n && !range_ok(uaddr, n))
		return -LINUX_EFAULT;
	while (n) {
		size_t k = n < TASK_MEMORY_MAX ? n : TASK_MEMORY_MAX;
		mach_msg_type_number_t cnt = (mach_msg_type_number_t)k;

		if (task_read_memory(p->task, uaddr, k, d, &cnt) != KERN_SUCCESS || cnt != k)
			return -LINUX_EFAULT;
		uaddr += k;
		d += k;
		n -= k;
	}
	return 0;
}

/*
 * Whether every byte of [uaddr, uaddr + n) is mapped writable, from vm_region. Only
 * this server changes a guest's map (mmap, munmap, mprotect and brk are its system
 * calls), so what this finds holds until the copy that follows. Device memory passes
 * here and is refused by the kernel (guests are never given any).
 */
static bool writable(mach_port_t task, uint64_t uaddr, size_t n)
{
	uint64_t a = uaddr, end = uaddr + n;

	while (a < end) {
		vm_address_t ra = a;
		vm_size_t rs;
		vm_prot_t prot, max;
		vm_inherit_t inherit;
		boolean_t shared;
		mach_port_t object;
		vm_offset_t offset;

		if (vm_region(task, &ra, &rs, &prot, &max, &inherit, &shared, &object,
			      &offset) != KERN_SUCCESS)
			return false;
		if (object != MACH_PORT_NULL)
			mach_port_deallocate(mach_task_self(), object);
		if (ra > a || !(prot & VM_PROT_WRITE))
			return false;
		a = ra + rs;
	}
	return true;
}

/*
 * One call writes nothing when it fails (the kernel checks the whole range first); a
 * copy of more than one call's worth is checked with vm_region first, so that it too
 * writes nothing into a range it cannot finish.
 */
int lx_copyout(struct lx_proc *p, uint64_t uaddr, const void *buf, size_t n)
{
	const char *s = buf;

	if (n && !range_ok(uaddr, n))
		return -LINUX_EFAULT;
	if (n > TASK_MEMORY_MAX && !writable(p->task, uaddr, n))
		return -LINUX_EFAULT;
	while (n) {
		size_t k = n < TASK_MEMORY_MAX ? n : TASK_MEMORY_MAX;

		if (task_write_memory(p->task, uaddr, s, (mach_msg_type_number_t)k) != KERN_SUCCESS)
			return -LINUX_EFAULT;
		uaddr += k;
		s += k;
		n -= k;
	}
	return 0;
}

/*
 * Reads up to a page at a time (the first read at most 256 bytes: most strings are
 * short), each call ending at a page boundary: a string that ends
 * before an unmapped page is read without touching it, as Linux's
 * strncpy_from_user reads no further than it must.
 */
long lx_copyinstr(struct lx_proc *p, uint64_t uaddr, char *buf, size_t max)
{
	size_t got = 0;

	while (got < max) {
		uint64_t a = uaddr + got;
		size_t k = LX_PAGE - (a & (LX_PAGE - 1));
		mach_msg_type_number_t cnt;
		char *nul;

		if (a < uaddr)
			return -LINUX_EFAULT;	/* wrapped around */
		if (k > max - got)
			k = max - got;
		if (got == 0 && k > 256)
			k = 256;
		cnt = (mach_msg_type_number_t)k;
		if (task_read_memory(p->task, a, k, buf + got, &cnt) != KERN_SUCCESS || cnt != k)
			return -LINUX_EFAULT;
		nul = memchr(buf + got, 0, k);
		if (nul)
			return nul - buf;
		got += k;
	}
	return -LINUX_ENAMETOOLONG;
}
