/*
 * task_read_memory / task_write_memory (personality.defs 5102, 5103): byte-granular
 * access to a task's memory with a user access's rules (docs/personality-forwarding.md):
 * page boundaries, holes and protections failing the whole call, a failed write
 * writing nothing, zero-fill, copy-on-write isolation of a child made with inherited
 * memory, device memory, bad tasks and the size limits.
 * Expected values: the brief's contract (Linux's copy_from_user/copy_to_user), written
 * down in docs/personality-forwarding.md; the codes are the VM's (ABI section 11).
 */
#include <device/device_caps.h>
#include <mach/personality.h>
#include <mach/personality_user.h>
#include "thr.h"
#include "vmt.h"

#define VGA_TEXT	0xB8000ul
#define VGA_SIZE	0x8000ul

static unsigned char buf[TASK_MEMORY_MAX + 1];
static unsigned char want[TASK_MEMORY_MAX];

/* task_read_memory of n bytes into buf (0xEE before); the count must be n on success. */
static kern_return_t rd(mach_port_t task, vm_address_t a, vm_size_t n)
{
	mach_msg_type_number_t cnt = TASK_MEMORY_MAX;
	kern_return_t kr;

	memset(buf, 0xEE, sizeof(buf));
	kr = task_read_memory(task, a, n, (char *)buf, &cnt);
	if (kr == KERN_SUCCESS)
		CHECK_EQ(cnt, n);
	else
		CHECK_EQ(buf[0], 0xEE);
	return kr;
}

static kern_return_t wr(mach_port_t task, vm_address_t a, const void *src, vm_size_t n)
{
	return task_write_memory(task, a, (const char *)src, (mach_msg_type_number_t)n);
}

CTEST(umem_read_across_pages)
{
	unsigned char *p = pages_alloc(4 * PAGE_SIZE);

	fill(p, 4 * PAGE_SIZE, 3);
	/* 8192 bytes from an odd address touch three pages. */
	OK(rd(ct_task, (vm_address_t)p + 123, TASK_MEMORY_MAX));
	CHECK(memcmp(buf, p + 123, TASK_MEMORY_MAX) == 0);
	CHECK_EQ(buf[TASK_MEMORY_MAX], 0xEE);		/* not one byte more */
	/* One byte, the last of a page; three bytes over a boundary. */
	OK(rd(ct_task, (vm_address_t)p + PAGE_SIZE - 1, 1));
	CHECK_EQ(buf[0], p[PAGE_SIZE - 1]);
	CHECK_EQ(buf[1], 0xEE);
	OK(rd(ct_task, (vm_address_t)p + 2 * PAGE_SIZE - 1, 3));
	CHECK(memcmp(buf, p + 2 * PAGE_SIZE - 1, 3) == 0);
	pages_free(p, 4 * PAGE_SIZE);
}

CTEST(umem_write_across_pages)
{
	unsigned char *p = pages_alloc(4 * PAGE_SIZE);

	fill(p, 4 * PAGE_SIZE, 4);
	fill(want, TASK_MEMORY_MAX, 5);
	OK(wr(ct_task, (vm_address_t)p + PAGE_SIZE - 7, want, TASK_MEMORY_MAX));
	CHECK(memcmp(p + PAGE_SIZE - 7, want, TASK_MEMORY_MAX) == 0);
	/* The bytes around it are untouched. */
	CHECK(filled(p, PAGE_SIZE - 7, 4));
	for (unsigned i = PAGE_SIZE - 7 + TASK_MEMORY_MAX; i < 4 * PAGE_SIZE; i++)
		CHECK_EQ(p[i], (unsigned char)(i * 7 + 4));
	pages_free(p, 4 * PAGE_SIZE);
}

CTEST(umem_write_leaves_neighbours)
{
	unsigned char *p = pages_alloc(2 * PAGE_SIZE);

	memset(p, 0x11, 2 * PAGE_SIZE);
	OK(wr(ct_task, (vm_address_t)p + PAGE_SIZE - 2, "abcd", 4));
	CHECK_EQ(p[PAGE_SIZE - 3], 0x11);
	CHECK(memcmp(p + PAGE_SIZE - 2, "abcd", 4) == 0);
	CHECK_EQ(p[PAGE_SIZE + 2], 0x11);
	pages_free(p, 2 * PAGE_SIZE);
}

/* Untouched pages read as zeroes and take a write, as the first user access would. */
CTEST(umem_zero_fill)
{
	unsigned char *p = pages_alloc(3 * PAGE_SIZE);
	vm_statistics_data_t before = stats(), after;

	OK(rd(ct_task, (vm_address_t)p + 100, TASK_MEMORY_MAX));
	CHECK(all_zero(buf, TASK_MEMORY_MAX));
	after = stats();
	CHECK(after.zero_fill_count >= before.zero_fill_count + 3);
	OK(wr(ct_task, (vm_address_t)p + 2 * PAGE_SIZE + 5, "zf", 2));
	CHECK_EQ(p[2 * PAGE_SIZE + 5], 'z');
	CHECK(all_zero(p, 2 * PAGE_SIZE + 5));
	pages_free(p, 3 * PAGE_SIZE);
}

/* A hole anywhere in the range fails the whole call; a write then writes nothing. */
CTEST(umem_unmapped_hole)
{
	unsigned char *p = pages_alloc(3 * PAGE_SIZE);

	memset(p, 0x22, PAGE_SIZE);
	OK(vm_deallocate(ct_task, (vm_address_t)p + PAGE_SIZE, PAGE_SIZE));
	CHECK_KR(rd(ct_task, (vm_address_t)p + PAGE_SIZE - 4, 8), KERN_INVALID_ADDRESS);
	CHECK_KR(rd(ct_task, (vm_address_t)p + 10, 2 * PAGE_SIZE), KERN_INVALID_ADDRESS);
	fill(want, TASK_MEMORY_MAX, 6);
	CHECK_KR(wr(ct_task, (vm_address_t)p + 16, want, 2 * PAGE_SIZE), KERN_INVALID_ADDRESS);
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		CHECK_EQ(p[i], 0x22);
	/* Both sides of the hole still work. */
	OK(rd(ct_task, (vm_address_t)p + 2 * PAGE_SIZE, PAGE_SIZE));
	CHECK(all_zero(buf, PAGE_SIZE));
	OK(vm_deallocate(ct_task, (vm_address_t)p, PAGE_SIZE));
	OK(vm_deallocate(ct_task, (vm_address_t)p + 2 * PAGE_SIZE, PAGE_SIZE));
}

CTEST(umem_bad_addresses)
{
	CHECK_KR(rd(ct_task, 0, 1), KERN_INVALID_ADDRESS);
	CHECK_KR(rd(ct_task, 0x800, 16), KERN_INVALID_ADDRESS);
	CHECK_KR(rd(ct_task, USER_TOP - 8, 16), KERN_INVALID_ADDRESS);
	CHECK_KR(rd(ct_task, KERNEL_ADDR, 16), KERN_INVALID_ADDRESS);
	CHECK_KR(rd(ct_task, ~0ul - 3, 8), KERN_INVALID_ADDRESS);	/* wraps around */
	CHECK_KR(wr(ct_task, KERNEL_ADDR, "x", 1), KERN_INVALID_ADDRESS);
	CHECK_KR(wr(ct_task, 0, "x", 1), KERN_INVALID_ADDRESS);
}

/* A read-only page refuses a write that touches it, and nothing is written anywhere. */
CTEST(umem_read_only_page)
{
	unsigned char *p = pages_alloc(2 * PAGE_SIZE);

	memset(p, 0x33, 2 * PAGE_SIZE);
	OK(vm_protect(ct_task, (vm_address_t)p + PAGE_SIZE, PAGE_SIZE, 0, VM_PROT_READ));
	CHECK_KR(wr(ct_task, (vm_address_t)p + PAGE_SIZE - 4, "12345678", 8),
		 KERN_PROTECTION_FAILURE);
	CHECK_KR(wr(ct_task, (vm_address_t)p + PAGE_SIZE + 4, "1", 1), KERN_PROTECTION_FAILURE);
	for (unsigned i = 0; i < 2 * PAGE_SIZE; i++)
		CHECK_EQ(p[i], 0x33);
	/* It reads. */
	OK(rd(ct_task, (vm_address_t)p + PAGE_SIZE - 4, 8));
	CHECK(memcmp(buf, "\x33\x33\x33\x33\x33\x33\x33\x33", 8) == 0);
	/* Without access at all, it neither reads nor takes a write. */
	OK(vm_protect(ct_task, (vm_address_t)p + PAGE_SIZE, PAGE_SIZE, 0, VM_PROT_NONE));
	CHECK_KR(rd(ct_task, (vm_address_t)p + PAGE_SIZE - 4, 8), KERN_PROTECTION_FAILURE);
	CHECK_KR(rd(ct_task, (vm_address_t)p + PAGE_SIZE, 1), KERN_PROTECTION_FAILURE);
	OK(rd(ct_task, (vm_address_t)p, PAGE_SIZE));
	pages_free(p, 2 * PAGE_SIZE);
}

/* A child made with inherited memory shares pages copy-on-write: writing into it
   through the call copies them, the parent keeps its bytes (and the other way). */
CTEST(umem_cow_isolation)
{
	unsigned char *p = pages_alloc(3 * PAGE_SIZE);
	mach_port_t child;

	fill(p, 3 * PAGE_SIZE, 7);
	OK(task_create(ct_task, 1, &child));
	fill(want, TASK_MEMORY_MAX, 8);
	OK(wr(child, (vm_address_t)p + 50, want, TASK_MEMORY_MAX));
	CHECK(filled(p, 3 * PAGE_SIZE, 7));		/* the parent's bytes */
	OK(rd(child, (vm_address_t)p + 50, TASK_MEMORY_MAX));
	CHECK(memcmp(buf, want, TASK_MEMORY_MAX) == 0);
	OK(rd(child, (vm_address_t)p, 50));		/* the child's first bytes: inherited */
	CHECK(memcmp(buf, p, 50) == 0);
	/* The parent's own write does not reach the child either. */
	p[0] = (unsigned char)~p[0];
	OK(rd(child, (vm_address_t)p, 1));
	CHECK_EQ(buf[0], (unsigned char)~p[0]);
	task_kill(child);
	pages_free(p, 3 * PAGE_SIZE);
}

/* A child's region the parent had never touched: zero-filled in each, separately. */
CTEST(umem_cow_untouched_pages)
{
	unsigned char *p = pages_alloc(PAGE_SIZE);
	mach_port_t child;

	OK(task_create(ct_task, 1, &child));
	OK(wr(child, (vm_address_t)p + 9, "kid", 3));
	CHECK(all_zero(p, PAGE_SIZE));
	OK(rd(child, (vm_address_t)p + 8, 5));
	CHECK(memcmp(buf, "\0kid\0", 5) == 0);
	task_kill(child);
	pages_free(p, PAGE_SIZE);
}

CTEST(umem_device_memory_refused)
{
	mach_port_t cap;
	vm_address_t a = 0;

	OK(device_mem_create(ct_device_master, VGA_TEXT, VGA_SIZE, &cap));
	OK(vm_map(ct_task, &a, VGA_SIZE, 0, 1, cap, 0, 0, VM_PROT_DEFAULT, VM_PROT_ALL,
		  VM_INHERIT_NONE));
	CHECK_KR(rd(ct_task, a, 16), KERN_PROTECTION_FAILURE);
	CHECK_KR(wr(ct_task, a, "x", 1), KERN_PROTECTION_FAILURE);
	OK(vm_deallocate(ct_task, a, VGA_SIZE));
	OK(mach_port_deallocate(ct_task, cap));
}

CTEST(umem_bad_task)
{
	mach_port_t dead;

	CHECK_KR(rd(ct_thread, (vm_address_t)buf, 1), KERN_INVALID_ARGUMENT);
	CHECK_KR(rd(ct_host, (vm_address_t)buf, 1), KERN_INVALID_ARGUMENT);
	CHECK_KR(wr(ct_thread, (vm_address_t)buf, "x", 1), KERN_INVALID_ARGUMENT);
	CHECK_KR(rd(MACH_PORT_NULL, (vm_address_t)buf, 1), MACH_SEND_INVALID_DEST);
	/* A terminated task: its port is dead, the send never reaches the kernel. */
	OK(task_create(ct_task, 0, &dead));
	OK(task_terminate(dead));
	CHECK_KR(rd(dead, (vm_address_t)buf, 1), MACH_SEND_INVALID_DEST);
	OK(mach_port_deallocate(ct_task, dead));
}

CTEST(umem_size_limits)
{
	mach_msg_type_number_t cnt;
	unsigned char *p = pages_alloc(4 * PAGE_SIZE);

	/* Size 0 succeeds with no data, wherever it points. */
	OK(rd(ct_task, 0, 0));
	OK(rd(ct_task, KERNEL_ADDR, 0));
	OK(wr(ct_task, 0, "", 0));
	/* One byte past the limit: refused by the kernel (read) or the stub (write). */
	CHECK_KR(rd(ct_task, (vm_address_t)p, TASK_MEMORY_MAX + 1), KERN_INVALID_ARGUMENT);
	CHECK_KR(rd(ct_task, (vm_address_t)p, ~0ul), KERN_INVALID_ARGUMENT);
	CHECK_KR(wr(ct_task, (vm_address_t)p, p, TASK_MEMORY_MAX + 1), MIG_ARRAY_TOO_LARGE);
	/* A reply larger than the caller's buffer is refused by the stub. */
	cnt = 10;
	CHECK_KR(task_read_memory(ct_task, (vm_address_t)p, 100, (char *)buf, &cnt),
		 MIG_ARRAY_TOO_LARGE);
	CHECK_EQ(cnt, 100);
	pages_free(p, 4 * PAGE_SIZE);
}
