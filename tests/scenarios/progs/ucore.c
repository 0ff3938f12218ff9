/*
 * ucore: the personality core (personalities/common) running freestanding on the C
 * library's heap, as a personality server will: the heap gives pages back to the
 * kernel, a cpio image unpacks into tmpfs, file data and pipes work. (The core's
 * logic is tested on the host, tests/unit; this checks the build and the heap.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mach/mach_interface.h>
#include <mach/mach_traps.h>
#include <mach/vm_statistics.h>
#include "personalities/common/cpio.h"
#include "personalities/common/fdtable.h"
#include "personalities/common/tmpfs.h"
#include "test.h"

static int free_pages(void)
{
	vm_statistics_data_t s;

	if (vm_statistics(mach_task_self(), &s) != KERN_SUCCESS)
		return -1;
	return s.free_count;
}

/* Small blocks of many sizes keep their contents; realloc moves them intact. */
static void heap_blocks(void)
{
	static unsigned char *p[500];
	bool ok = true;

	for (int i = 0; i < 500; i++) {
		size_t n = (size_t)(i * 37) % 9000 + 1;

		if (!(p[i] = malloc(n))) {
			ok = false;
			break;
		}
		memset(p[i], i & 0xff, n);
	}
	for (int i = 0; ok && i < 500; i++) {
		size_t n = (size_t)(i * 37) % 9000 + 1;

		if (p[i][0] != (i & 0xff) || p[i][n - 1] != (i & 0xff))
			ok = false;
		p[i] = realloc(p[i], n + 5000);
		if (!p[i] || p[i][n - 1] != (i & 0xff))
			ok = false;
	}
	for (int i = 0; i < 500; i++)
		free(p[i]);
	TEST_CHECK("ucore-heap-blocks", ok);
}

/* A touched 4 MiB block costs about 1024 pages, and free gives them back. */
static void heap_returns_pages(void)
{
	int before = free_pages(), during, after;
	char *big = malloc(4 << 20);

	if (!big) {
		test_fail("ucore-heap-returns-pages", __FILE__, __LINE__, "malloc(4 MiB) failed");
		return;
	}
	memset(big, 1, 4 << 20);
	during = free_pages();
	free(big);
	after = free_pages();
	if (!TEST_CHECK("ucore-heap-uses-pages", before - during >= 1000))
		printf("ucore: free pages %d -> %d\n", before, during);
	if (!TEST_CHECK("ucore-heap-returns-pages", after - during >= 1000))
		printf("ucore: free pages %d -> %d after free\n", during, after);
}

static size_t add(char *buf, size_t len, const char *name, unsigned mode, const char *data)
{
	size_t size = data ? strlen(data) : 0;

	len += (size_t)snprintf(buf + len, 111, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
				1u, mode, 0u, 0u, 1u, 0u, (unsigned)size, 0u, 0u, 0u, 0u,
				(unsigned)strlen(name) + 1, 0u);
	memcpy(buf + len, name, strlen(name) + 1);
	len += strlen(name) + 1;
	while (len % 4)
		buf[len++] = 0;
	memcpy(buf + len, data ? data : "", size);
	len += size;
	while (len % 4)
		buf[len++] = 0;
	return len;
}

static void core_in_guest(void)
{
	static char arc[1024], big[64 << 10];
	struct ucred root = { 0 };
	struct mount *m = tmpfs_new(0755, 0, 0, 0, 0);
	struct vfs_ctx ctx = { m->root, m->root, &root };
	struct cpio_error err;
	struct file *f, *rd, *wr;
	char buf[16] = "";
	size_t len = 0;
	int before, after;

	len = add(arc, len, "etc", 040755, NULL);
	len = add(arc, len, "etc/motd", 0100644, "hello, guest\n");
	len = add(arc, len, "motd", 0120777, "etc/motd");
	len = add(arc, len, "TRAILER!!!", 0, NULL);
	TEST_CHECK("ucore-cpio-unpack", cpio_unpack(m->root, arc, len, &err) == 0);
	TEST_CHECK("ucore-open-read", file_open(&ctx, NULL, "/motd", UO_READ, 0, &f) == 0 &&
		   file_read(f, buf, sizeof(buf) - 1) == 13 && strcmp(buf, "hello, guest\n") == 0);
	file_rele(f);
	/* 4 MiB of file data, then the pages go back when the file does. */
	memset(big, 'z', sizeof(big));
	before = free_pages();
	bool ok = file_open(&ctx, NULL, "/tmp-data", UO_WRITE | UO_CREAT, 0644, &f) == 0;
	for (int i = 0; ok && i < 64; i++)
		ok = file_write(f, big, sizeof(big)) == (long)sizeof(big);
	file_rele(f);
	ok = ok && vfs_unlink(&ctx, NULL, "/tmp-data") == 0;
	after = free_pages();
	TEST_CHECK("ucore-tmpfs-data-freed", ok && before - after < 100);
	TEST_CHECK("ucore-pipe", file_pipe(0, &rd, &wr) == 0 && file_write(wr, "ab", 2) == 2 &&
		   file_read(rd, buf, 2) == 2 && file_read(rd, buf, 2) == -U_EAGAIN);
	file_rele(rd);
	file_rele(wr);
}

int main(void)
{
	heap_blocks();
	heap_returns_pages();
	core_in_guest();
	test_done();
	return 0;
}
