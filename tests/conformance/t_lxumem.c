/*
 * personalities/linux/umem.c (lx_copyin, lx_copyout, lx_copyinstr) over
 * task_read_memory/task_write_memory, against a child task standing in for a guest:
 * copies larger than one call, EFAULT for holes and read-only pages (a refused copyout
 * writes nothing, also past one call), and strings read no further than their page.
 * Expected values: lx.h's contract and Linux's copy_{from,to}_user/strncpy_from_user.
 */
#include <mach/personality.h>
#include "personalities/linux/lx.h"
#include "thr.h"
#include "vmt.h"

#define BIG	(3 * TASK_MEMORY_MAX + 100)	/* four calls */

static unsigned char src[BIG], dst[BIG];

/* A child with `pages` pages at *a (inherited from ours, then ours freed). */
static mach_port_t guest(struct lx_proc *p, vm_address_t *a, size_t pages)
{
	unsigned char *mem = pages_alloc(pages * PAGE_SIZE);

	memset(p, 0, sizeof(*p));
	OK(task_create(ct_task, 1, &p->task));
	*a = (vm_address_t)mem;
	pages_free(mem, pages * PAGE_SIZE);
	return p->task;
}

CTEST(lx_copy_in_and_out_over_several_calls)
{
	struct lx_proc p;
	vm_address_t a;

	guest(&p, &a, 8);
	fill(src, BIG, 9);
	CHECK_EQ(lx_copyout(&p, a + 5, src, BIG), 0);
	memset(dst, 0, BIG);
	CHECK_EQ(lx_copyin(&p, a + 5, dst, BIG), 0);
	CHECK(filled(dst, BIG, 9));
	CHECK_EQ(lx_copyin(&p, a, dst, 5), 0);
	CHECK(all_zero(dst, 5));
	CHECK_EQ(lx_copyin(&p, a, dst, 0), 0);
	task_kill(p.task);
}

CTEST(lx_copy_faults)
{
	struct lx_proc p;
	vm_address_t a;
	unsigned char b[16];

	guest(&p, &a, 8);
	memset(src, 0x5A, BIG);
	/* The last page read-only: a copyout reaching it writes nothing, even the calls'
	   worth before it. */
	OK(vm_protect(p.task, a + 7 * PAGE_SIZE, PAGE_SIZE, 0, VM_PROT_READ));
	CHECK_EQ(lx_copyout(&p, a, src, 7 * PAGE_SIZE + 1), -LINUX_EFAULT);
	CHECK_EQ(lx_copyout(&p, a + 7 * PAGE_SIZE - 8, src, 16), -LINUX_EFAULT);
	CHECK_EQ(lx_copyin(&p, a, dst, 7 * PAGE_SIZE + 1), 0);
	CHECK(all_zero(dst, 7 * PAGE_SIZE + 1));
	/* Holes, address 0, the end of user space, wrapping. */
	OK(vm_deallocate(p.task, a + 3 * PAGE_SIZE, PAGE_SIZE));
	CHECK_EQ(lx_copyin(&p, a, dst, BIG), -LINUX_EFAULT);
	CHECK_EQ(lx_copyout(&p, a, src, BIG), -LINUX_EFAULT);
	CHECK_EQ(lx_copyin(&p, a, dst, PAGE_SIZE), 0);
	CHECK(all_zero(dst, PAGE_SIZE));
	CHECK_EQ(lx_copyin(&p, 0, b, 1), -LINUX_EFAULT);
	CHECK_EQ(lx_copyin(&p, USER_TOP - 8, b, 16), -LINUX_EFAULT);
	CHECK_EQ(lx_copyin(&p, ~0ul - 3, b, 8), -LINUX_EFAULT);
	CHECK_EQ(lx_copyout(&p, ~0ul - 3, b, 8), -LINUX_EFAULT);
	task_kill(p.task);
}

CTEST(lx_copyinstr)
{
	struct lx_proc p;
	vm_address_t a;
	char s[64];

	guest(&p, &a, 2);
	/* A string ending at the last byte before a hole: read without touching it. */
	OK(vm_deallocate(p.task, a + PAGE_SIZE, PAGE_SIZE));
	CHECK_EQ(lx_copyout(&p, a + PAGE_SIZE - 6, "/bin", 5), 0);
	CHECK_EQ(lx_copyinstr(&p, a + PAGE_SIZE - 6, s, sizeof(s)), 4);
	CHECK(strcmp(s, "/bin") == 0);
	/* No NUL before the hole: EFAULT; none within max: ENAMETOOLONG. */
	CHECK_EQ(lx_copyout(&p, a + PAGE_SIZE - 1, "x", 1), 0);
	CHECK_EQ(lx_copyinstr(&p, a + PAGE_SIZE - 1, s, sizeof(s)), -LINUX_EFAULT);
	CHECK_EQ(lx_copyout(&p, a + 100, "abcdef", 7), 0);
	CHECK_EQ(lx_copyinstr(&p, a + 100, s, 6), -LINUX_ENAMETOOLONG);
	CHECK_EQ(lx_copyinstr(&p, a + 100, s, 7), 6);
	CHECK_EQ(lx_copyinstr(&p, a + 106, s, 1), 0);	/* the empty string */
	CHECK_EQ(lx_copyinstr(&p, 0, s, sizeof(s)), -LINUX_EFAULT);
	task_kill(p.task);
}
