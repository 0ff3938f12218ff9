/*
 * Memory system calls: brk, mmap (anonymous, and private copies of regular files),
 * munmap, mprotect, mremap, madvise, msync, mincore, mlock*. Each one works on the
 * guest's task with the kernel's vm_* calls; nothing is cached here, the task's map
 * is the only record of what is mapped.
 *
 * Memory is zero-filled on demand, so a large allocation costs nothing until it is
 * touched. So that a guest that eats memory gets ENOMEM from the call instead of a
 * fault it cannot handle, every writable commitment is checked against the free
 * memory the kernel reports, keeping a reserve for everyone else (mm_room).
 */
#include <string.h>
#include <mach/mach_interface.h>
#include <mach/vm_inherit.h>
#include <mach/vm_prot.h>
#include <mach/vm_statistics.h>

#include "lx.h"
#include "personalities/common/file.h"

#define PG		((uint64_t)LINUX_PAGE_SIZE)
#define LX_USER_TOP	0x7ffffffff000ull	/* Linux's TASK_SIZE: the last page is never mapped */
#define PGMASK		(PG - 1)
#define LX_MMAP_MIN	0x10000ull	/* Linux's default vm.mmap_min_addr */
#define MM_RESERVE	(16ull << 20)	/* free memory a commitment must leave */
#define MM_SEARCH_MAX	4096		/* regions stepped over looking for a hole */
#define MM_COPY_CHUNK	65536		/* file bytes copied in per round */

/* Linux flags abi.h does not name. */
#define LINUX_MAP_TYPE		0x0f
#define LINUX_MAP_SHARED_VALIDATE 0x03
#define LINUX_MAP_HUGETLB	0x40000
#define LINUX_PROT_GROWSDOWN	0x01000000
#define LINUX_PROT_GROWSUP	0x02000000
#define LINUX_MREMAP_DONTUNMAP	4
#define LINUX_MADV_DONTNEED	4
#define LINUX_MADV_FREE		8
#define LINUX_MS_ASYNC		1
#define LINUX_MS_INVALIDATE	2
#define LINUX_MS_SYNC		4
#define LINUX_MCL_CURRENT	1
#define LINUX_MCL_FUTURE	2
#define LINUX_MCL_ONFAULT	4

/* The flags mmap understands (MAP_SHARED_VALIDATE refuses others). */
#define MM_KNOWN_FLAGS	(LINUX_MAP_TYPE | LINUX_MAP_FIXED | LINUX_MAP_ANONYMOUS | \
			 LINUX_MAP_GROWSDOWN | LINUX_MAP_DENYWRITE | 0x1000 /* EXECUTABLE */ | \
			 0x2000 /* LOCKED */ | LINUX_MAP_NORESERVE | LINUX_MAP_POPULATE | \
			 0x10000 /* NONBLOCK */ | LINUX_MAP_STACK | LINUX_MAP_FIXED_NOREPLACE)

static uint64_t page_up(uint64_t x)
{
	return (x + PGMASK) & ~PGMASK;
}

static long kr_err(kern_return_t kr)
{
	switch (kr) {
	case KERN_SUCCESS:
		return 0;
	case KERN_NO_SPACE:
	case KERN_RESOURCE_SHORTAGE:
	case KERN_INVALID_ADDRESS:
		return -LINUX_ENOMEM;
	case KERN_PROTECTION_FAILURE:
		return -LINUX_EACCES;
	default:
		return -LINUX_EINVAL;
	}
}

static vm_prot_t vm_prot_of(uint64_t prot)
{
	return ((prot & LINUX_PROT_READ) ? VM_PROT_READ : 0) |
	       ((prot & LINUX_PROT_WRITE) ? VM_PROT_WRITE : 0) |
	       ((prot & LINUX_PROT_EXEC) ? VM_PROT_EXECUTE : 0);
}

/* Whether [addr, addr + len) is a valid user range (len > 0, no wrap-around). */
static bool user_range(uint64_t addr, uint64_t len)
{
	return len && addr < LX_USER_TOP && len <= LX_USER_TOP - addr;
}

/* Whether committing size more bytes leaves the reserve free. */
static bool mm_room(struct lx_proc *p, uint64_t size)
{
	vm_statistics_data_t s;
	uint64_t free;

	if (vm_statistics(p->task, &s) != KERN_SUCCESS || s.pagesize <= 0 || s.free_count < 0)
		return true;	/* no answer: let the allocation itself decide */
	free = (uint64_t)s.free_count * (uint64_t)s.pagesize;
	return free >= MM_RESERVE && size <= free - MM_RESERVE;
}

/*
 * The first mapped region that ends above addr: true with its start, end and
 * protection, false if nothing is mapped at or above addr.
 */
static bool region_at(mach_port_t task, uint64_t addr, uint64_t *start, uint64_t *end,
		      vm_prot_t *prot)
{
	vm_address_t a = addr;
	vm_size_t size = 0;
	vm_prot_t cur = 0, max;
	vm_inherit_t inh;
	boolean_t shared;
	mach_port_t obj = MACH_PORT_NULL;
	vm_offset_t off;

	if (vm_region(task, &a, &size, &cur, &max, &inh, &shared, &obj, &off) != KERN_SUCCESS)
		return false;
	*start = a;
	*end = a + size;
	if (prot)
		*prot = cur;
	return true;
}

/* Whether every page of [addr, addr + len) is mapped. */
static bool range_mapped(mach_port_t task, uint64_t addr, uint64_t len)
{
	uint64_t end = addr + len, s, e;

	while (addr < end) {
		if (!region_at(task, addr, &s, &e, NULL) || s > addr)
			return false;
		addr = e;
	}
	return true;
}

/*
 * A hole of len bytes under the process's mmap base, searched top-down (where Linux
 * puts mappings): 0 if there is none, or no base was set.
 */
static uint64_t find_hole(struct lx_proc *p, uint64_t len)
{
	uint64_t top = p->mmap_base & ~PGMASK, s, e;
	int i;

	if (top > LX_USER_TOP)
		top = LX_USER_TOP;
	for (i = 0; i < MM_SEARCH_MAX && top >= len + LX_MMAP_MIN; i++) {
		uint64_t cand = top - len;
		if (!region_at(p->task, cand, &s, &e, NULL) || s >= top)
			return cand;
		top = s & ~PGMASK;	/* below the region in the way */
	}
	return 0;
}

enum mm_place { MM_HINT, MM_FIXED, MM_NOREPLACE };

/*
 * Allocates len zero-filled bytes (page multiple) as `how` says, at *addr or
 * wherever there is room: 0 with *addr set, or -errno.
 */
static long mm_allocate(struct lx_proc *p, uint64_t *addr, uint64_t len, enum mm_place how)
{
	vm_address_t a = *addr;
	kern_return_t kr;

	if (how == MM_FIXED)
		vm_deallocate(p->task, a, len);	/* MAP_FIXED replaces what was there */
	if (how != MM_HINT) {
		kr = vm_allocate(p->task, &a, len, FALSE);
		if (kr == KERN_SUCCESS)
			return 0;
		return how == MM_NOREPLACE && kr == KERN_NO_SPACE ? -LINUX_EEXIST : -LINUX_ENOMEM;
	}
	if (a && !(a & PGMASK) && a >= LX_MMAP_MIN && user_range(a, len) &&
	    vm_allocate(p->task, &a, len, FALSE) == KERN_SUCCESS) {
		*addr = a;
		return 0;
	}
	a = find_hole(p, len);
	if (a && vm_allocate(p->task, &a, len, FALSE) == KERN_SUCCESS) {
		*addr = a;
		return 0;
	}
	a = 0;
	kr = vm_allocate(p->task, &a, len, TRUE);
	if (kr != KERN_SUCCESS)
		return -LINUX_ENOMEM;
	if (!user_range(a, len)) {	/* above what Linux gives out */
		vm_deallocate(p->task, a, len);
		return -LINUX_ENOMEM;
	}
	*addr = a;
	return 0;
}

/* Copies the file's bytes from off into [addr, addr + len) (already writable). */
static long mm_fill_from_file(struct lx_proc *p, struct file *f, uint64_t addr, uint64_t len,
			      uint64_t off)
{
	static char buf[MM_COPY_CHUNK];
	uint64_t done = 0;

	while (done < len) {
		size_t want = len - done < sizeof(buf) ? (size_t)(len - done) : sizeof(buf);
		long n = file_pread(f, buf, want, off + done);
		int r;

		if (n < 0)
			return lx_err(n);
		if (n == 0)
			break;		/* past the end: the rest stays zero */
		r = lx_copyout(p, addr + done, buf, (size_t)n);
		if (r < 0)
			return r;
		done += (uint64_t)n;
	}
	return 0;
}

/* Validates mmap's arguments: 0, or -errno (Linux's order of checks). */
static long mmap_check(uint64_t addr, uint64_t len, uint64_t prot, uint64_t flags, uint64_t off)
{
	uint64_t type = flags & LINUX_MAP_TYPE;

	(void)prot;
	if (type != LINUX_MAP_SHARED && type != LINUX_MAP_PRIVATE &&
	    type != LINUX_MAP_SHARED_VALIDATE)
		return -LINUX_EINVAL;
	if (type == LINUX_MAP_SHARED_VALIDATE && (flags & ~MM_KNOWN_FLAGS))
		return -LINUX_EOPNOTSUPP;
	if (len == 0 || (off & PGMASK))
		return -LINUX_EINVAL;
	if (len > LX_USER_TOP || off + page_up(len) < off)
		return -LINUX_ENOMEM;
	if (flags & LINUX_MAP_HUGETLB)
		return -LINUX_EINVAL;	/* no huge pages here */
	if (flags & (LINUX_MAP_FIXED | LINUX_MAP_FIXED_NOREPLACE)) {
		if (addr & PGMASK)
			return -LINUX_EINVAL;
		if (!user_range(addr, page_up(len)))
			return -LINUX_ENOMEM;
		if (addr < LX_MMAP_MIN)
			return -LINUX_EPERM;
	}
	return 0;
}

LX_SYSCALL(mmap)
{
	struct lx_proc *p = t->proc;
	uint64_t addr = a[0], len = a[1], prot = a[2], flags = a[3], off = a[5];
	bool shared = (flags & LINUX_MAP_TYPE) != LINUX_MAP_PRIVATE;
	bool anon = flags & LINUX_MAP_ANONYMOUS;
	enum mm_place how = MM_HINT;
	struct file *f = NULL;
	long r = mmap_check(addr, len, prot, flags, off);

	if (r < 0)
		return r;
	len = page_up(len);
	if (flags & LINUX_MAP_FIXED_NOREPLACE)
		how = MM_NOREPLACE;
	if (flags & LINUX_MAP_FIXED)
		how = MM_FIXED;		/* FIXED wins over FIXED_NOREPLACE, as in Linux */
	if (!anon) {
		r = lx_err(fdt_get(p->fdt, (int)a[4], &f));
		if (r < 0)
			return r;
		if (!(f->flags & UO_READ)) {
			r = -LINUX_EACCES;
		} else if (f->kind != FILE_VNODE || (f->vp->attr.type != VREG &&
						     f->vp->attr.type != VCHR)) {
			r = -LINUX_ENODEV;
		} else if (f->vp->attr.type == VCHR) {
			/* /dev/zero and the like: zero-filled memory. */
			file_rele(f);
			f = NULL;
		} else if (shared && (prot & LINUX_PROT_WRITE)) {
			r = -LINUX_ENODEV;	/* no write-back to files */
		} else {
			shared = false;	/* read-only shared: a private copy looks the same */
		}
		if (r < 0)
			goto out;
	}
	if ((prot & LINUX_PROT_WRITE) && !(flags & LINUX_MAP_NORESERVE) && !mm_room(p, len)) {
		r = -LINUX_ENOMEM;
		goto out;
	}
	r = mm_allocate(p, &addr, len, how);
	if (r < 0)
		goto out;
	if (f)
		r = mm_fill_from_file(p, f, addr, len, off);
	if (r == 0 && vm_prot_of(prot) != VM_PROT_DEFAULT)
		r = kr_err(vm_protect(p->task, addr, len, FALSE, vm_prot_of(prot)));
	if (r == 0 && shared)
		r = kr_err(vm_inherit(p->task, addr, len, VM_INHERIT_SHARE));
	if (r < 0)
		vm_deallocate(p->task, addr, len);
out:
	if (f)
		file_rele(f);
	return r < 0 ? r : (long)addr;
}

LX_SYSCALL(munmap)
{
	uint64_t addr = a[0], len = a[1];

	if ((addr & PGMASK) || !user_range(addr, len) || page_up(len) > LX_USER_TOP - addr)
		return -LINUX_EINVAL;
	return kr_err(vm_deallocate(t->proc->task, addr, page_up(len)));
}

LX_SYSCALL(mprotect)
{
	struct lx_proc *p = t->proc;
	uint64_t addr = a[0], len = a[1], prot = a[2];

	if ((addr & PGMASK) ||
	    (prot & ~(uint64_t)(LINUX_PROT_READ | LINUX_PROT_WRITE | LINUX_PROT_EXEC | 0x8 |
				 LINUX_PROT_GROWSDOWN | LINUX_PROT_GROWSUP)) ||
	    (prot & LINUX_PROT_GROWSDOWN && prot & LINUX_PROT_GROWSUP))
		return -LINUX_EINVAL;
	if (len == 0)
		return 0;
	len = page_up(len);
	if (!user_range(addr, len))
		return -LINUX_ENOMEM;
	if (!range_mapped(p->task, addr, len))
		return -LINUX_ENOMEM;
	return kr_err(vm_protect(p->task, addr, len, FALSE, vm_prot_of(prot)));
}

LX_SYSCALL(mremap)
{
	struct lx_proc *p = t->proc;
	uint64_t old = a[0], old_len = page_up(a[1]), new_len = page_up(a[2]), flags = a[3];
	uint64_t s, e, addr;
	vm_prot_t prot;
	long r;

	if ((old & PGMASK) ||
	    (flags & ~(uint64_t)(LINUX_MREMAP_MAYMOVE | LINUX_MREMAP_FIXED | LINUX_MREMAP_DONTUNMAP)) ||
	    ((flags & LINUX_MREMAP_FIXED) && !(flags & LINUX_MREMAP_MAYMOVE)) ||
	    new_len == 0 || a[1] > LX_USER_TOP || a[2] > LX_USER_TOP)
		return -LINUX_EINVAL;
	if ((flags & (LINUX_MREMAP_FIXED | LINUX_MREMAP_DONTUNMAP)) || old_len == 0)
		return -LINUX_EINVAL;	/* not supported: nobody here asks for them */
	if (!user_range(old, old_len) || !range_mapped(p->task, old, old_len))
		return -LINUX_EFAULT;
	if (new_len <= old_len) {
		if (new_len < old_len)
			vm_deallocate(p->task, old + new_len, old_len - new_len);
		return (long)old;
	}
	region_at(p->task, old, &s, &e, &prot);
	if ((prot & VM_PROT_WRITE) && !mm_room(p, new_len - old_len))
		return -LINUX_ENOMEM;
	/* Grow in place when the pages after it are free. */
	addr = old + old_len;
	if (user_range(addr, new_len - old_len) &&
	    mm_allocate(p, &addr, new_len - old_len, MM_NOREPLACE) == 0) {
		if (prot != VM_PROT_DEFAULT)
			vm_protect(p->task, addr, new_len - old_len, FALSE, prot);
		return (long)old;
	}
	if (!(flags & LINUX_MREMAP_MAYMOVE))
		return -LINUX_ENOMEM;
	addr = 0;
	r = mm_allocate(p, &addr, new_len, MM_HINT);
	if (r < 0)
		return r;
	r = kr_err(vm_copy(p->task, old, old_len, addr));
	if (r == 0 && prot != VM_PROT_DEFAULT)
		r = kr_err(vm_protect(p->task, addr, new_len, FALSE, prot));
	if (r < 0) {
		vm_deallocate(p->task, addr, new_len);
		return r;
	}
	vm_deallocate(p->task, old, old_len);
	return (long)addr;
}

LX_SYSCALL(madvise)
{
	struct lx_proc *p = t->proc;
	uint64_t addr = a[0], len = page_up(a[1]), advice = a[2];
	uint64_t s, e, pos, end;
	vm_prot_t prot;

	if ((addr & PGMASK) || a[1] > LX_USER_TOP)
		return -LINUX_EINVAL;
	if (len == 0)
		return 0;
	if (!user_range(addr, len) || !range_mapped(p->task, addr, len))
		return -LINUX_ENOMEM;
	if (advice != LINUX_MADV_DONTNEED && advice != LINUX_MADV_FREE)
		return 0;	/* hints: nothing to do */
	/*
	 * The pages read as zero afterwards: replace them region by region with fresh
	 * zero-fill memory of the same protection.
	 */
	for (pos = addr, end = addr + len; pos < end; pos = e) {
		vm_address_t at = pos;
		uint64_t n;

		if (!region_at(p->task, pos, &s, &e, &prot))
			break;
		n = (e < end ? e : end) - pos;
		vm_deallocate(p->task, pos, n);
		if (vm_allocate(p->task, &at, n, FALSE) != KERN_SUCCESS)
			return -LINUX_ENOMEM;
		if (prot != VM_PROT_DEFAULT)
			vm_protect(p->task, pos, n, FALSE, prot);
	}
	return 0;
}

LX_SYSCALL(msync)
{
	uint64_t addr = a[0], len = page_up(a[1]), flags = a[2];

	if ((addr & PGMASK) || (flags & ~(uint64_t)(LINUX_MS_ASYNC | LINUX_MS_INVALIDATE |
						     LINUX_MS_SYNC)) ||
	    ((flags & LINUX_MS_ASYNC) && (flags & LINUX_MS_SYNC)))
		return -LINUX_EINVAL;
	if (len && (!user_range(addr, len) || !range_mapped(t->proc->task, addr, len)))
		return -LINUX_ENOMEM;
	return 0;	/* private memory only: nothing to write back */
}

/* mincore: every mapped page counts as resident (they are, once touched). */
LX_SYSCALL(mincore)
{
	static uint8_t ones[256];
	uint64_t addr = a[0], len = page_up(a[1]), vec = a[2], pages, done;

	if (addr & PGMASK)
		return -LINUX_EINVAL;
	if (!user_range(addr, len) || !range_mapped(t->proc->task, addr, len))
		return -LINUX_ENOMEM;
	memset(ones, 1, sizeof(ones));
	for (pages = len / PG, done = 0; done < pages; ) {
		size_t n = pages - done < sizeof(ones) ? (size_t)(pages - done) : sizeof(ones);
		int r = lx_copyout(t->proc, vec + done, ones, n);
		if (r < 0)
			return r;
		done += n;
	}
	return 0;
}

/* Nothing is paged out here, so locking memory changes nothing. */
LX_SYSCALL(mlock)
{
	(void)t;
	return (a[0] + a[1] < a[0]) ? -LINUX_ENOMEM : 0;
}

LX_SYSCALL(munlock)
{
	(void)t;
	return (a[0] + a[1] < a[0]) ? -LINUX_ENOMEM : 0;
}

LX_SYSCALL(mlockall)
{
	(void)t;
	if (a[0] == 0 || (a[0] & ~(uint64_t)(LINUX_MCL_CURRENT | LINUX_MCL_FUTURE |
					       LINUX_MCL_ONFAULT)))
		return -LINUX_EINVAL;
	return 0;
}

LX_SYSCALL(munlockall)
{
	(void)t;
	(void)a;
	return 0;
}

/*
 * brk: [brk_start, brk) is the heap, its pages allocated up to page_up(brk). A
 * request below brk_start, or one that cannot be met, leaves the break where it
 * was; the result is always the break afterwards (glibc compares it).
 */
LX_SYSCALL(brk)
{
	struct lx_proc *p = t->proc;
	uint64_t want = a[0], old_end = page_up(p->brk), new_end;
	uint64_t limit = p->rlim[LINUX_RLIMIT_DATA].rlim_cur;

	if (want < p->brk_start || want > LX_USER_TOP)
		return (long)p->brk;
	if (limit != LINUX_RLIM_INFINITY && want - p->brk_start > limit)
		return (long)p->brk;
	new_end = page_up(want);
	if (new_end > old_end) {
		vm_address_t at = old_end;
		if (!mm_room(p, new_end - old_end) ||
		    vm_allocate(p->task, &at, new_end - old_end, FALSE) != KERN_SUCCESS)
			return (long)p->brk;	/* ran into a mapping, or no memory */
	} else if (new_end < old_end) {
		vm_deallocate(p->task, new_end, old_end - new_end);
	}
	p->brk = want;
	return (long)p->brk;
}
