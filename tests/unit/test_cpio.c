/*
 * Unit tests of the newc cpio reader (personalities/common/cpio.c): archives built
 * here entry by entry, unpacked into tmpfs and checked file by file; then every
 * truncation and thousands of random corruptions of a valid archive, each in an
 * exactly sized heap buffer so that AddressSanitizer sees any read past its end.
 */
#include "ucore_fixture.h"
#include "personalities/common/cpio.h"

#define R (&fx_root_ctx)

struct arc {
	unsigned char buf[16384];
	size_t len;
};

static void pad4(struct arc *a)
{
	while (a->len % 4)
		a->buf[a->len++] = 0;
}

static void add(struct arc *a, const char *name, uint32_t mode, uint32_t ino, uint32_t nlink,
		const char *data, uint32_t rdevmajor, uint32_t rdevminor)
{
	uint32_t size = data ? (uint32_t)strlen(data) : 0;
	char hdr[111];

	snprintf(hdr, sizeof(hdr), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 ino, mode, 1000 + ino, 100, nlink, 100000 + ino, size, 0, 0, rdevmajor,
		 rdevminor, (uint32_t)strlen(name) + 1, 0);
	memcpy(a->buf + a->len, hdr, 110);
	a->len += 110;
	memcpy(a->buf + a->len, name, strlen(name) + 1);
	a->len += strlen(name) + 1;
	pad4(a);
	if (size)
		memcpy(a->buf + a->len, data, size);
	a->len += size;
	pad4(a);
}

static void trailer(struct arc *a)
{
	add(a, "TRAILER!!!", 0, 0, 1, NULL, 0, 0);
}

/* A small root image: the kinds of entry busybox's root needs. */
static void sample(struct arc *a)
{
	a->len = 0;
	add(a, ".", 040755, 1, 2, NULL, 0, 0);
	add(a, "./bin", 040755, 2, 2, NULL, 0, 0);
	add(a, "bin/busybox", 0100755, 3, 1, "\177ELF...", 0, 0);
	add(a, "bin/sh", 0120777, 4, 1, "busybox", 0, 0);
	add(a, "etc/passwd", 0100644, 5, 1, "root:x:0:0::/root:/bin/sh\n", 0, 0);
	add(a, "/dev", 040755, 6, 2, NULL, 0, 0);
	add(a, "dev/null", 020666, 7, 1, NULL, 1, 3);
	add(a, "dev/pipe", 010600, 8, 1, NULL, 0, 0);
	/* GNU cpio's hard links: every name but the last has no data. */
	add(a, "bin/ls", 0100755, 9, 3, NULL, 0, 0);
	add(a, "bin/cat", 0100755, 9, 3, NULL, 0, 0);
	add(a, "bin/cp", 0100755, 9, 3, "shared", 0, 0);
	add(a, "tmp", 041777, 10, 2, NULL, 0, 0);
	add(a, "bin/setuid", 0104755, 11, 1, "s", 0, 0);
	trailer(a);
}

static int unpack(const struct arc *a, size_t len, struct cpio_error *err)
{
	unsigned char *copy = malloc(len ? len : 1);
	int r;

	memcpy(copy, a->buf, len);
	r = cpio_unpack(fx_mnt->root, copy, len, err);
	free(copy);
	return r;
}

static void test_unpack_sample(void **state)
{
	static struct arc a;
	struct cpio_error err;
	struct vattr va;
	char buf[64];

	(void)state;
	sample(&a);
	assert_int_equal(unpack(&a, a.len, &err), 0);
	assert_null(err.what);
	va = fx_stat("/bin/busybox", 0);
	assert_int_equal(va.type, VREG);
	assert_int_equal(va.mode, 0755);
	assert_int_equal(va.uid, 1003);
	assert_int_equal(va.gid, 100);
	assert_int_equal(va.mtime.sec, 100003);
	assert_string_equal(fx_read("/bin/busybox", buf), "\177ELF...");
	va = fx_stat("/bin/sh", UAT_NOFOLLOW);
	assert_int_equal(va.type, VLNK);
	assert_int_equal(va.uid, 1004);
	assert_int_equal(fx_stat("/bin/sh", 0).ino, fx_stat("/bin/busybox", 0).ino);
	assert_string_equal(fx_read("/etc/passwd", buf), "root:x:0:0::/root:/bin/sh\n");
	assert_int_equal(fx_stat("/etc", 0).mode, 0755);	/* made as a missing parent */
	va = fx_stat("/dev/null", 0);
	assert_int_equal(va.type, VCHR);
	assert_int_equal(va.rdev, UDEV(1, 3));
	assert_int_equal(va.mode, 0666);
	assert_int_equal(fx_stat("/dev/pipe", 0).type, VFIFO);
	/* One inode, three names, the data from the last. */
	va = fx_stat("/bin/ls", 0);
	assert_int_equal(va.nlink, 3);
	assert_int_equal(va.ino, fx_stat("/bin/cat", 0).ino);
	assert_int_equal(va.ino, fx_stat("/bin/cp", 0).ino);
	assert_string_equal(fx_read("/bin/cat", buf), "shared");
	assert_int_equal(fx_stat("/tmp", 0).mode, 01777);
	assert_int_equal(fx_stat("/bin/setuid", 0).mode, 04755);	/* chown did not eat it */
	/* Directory attributes, and mtimes set after their contents were made. */
	va = fx_stat("/", 0);
	assert_int_equal(va.uid, 1001);
	assert_int_equal(va.mtime.sec, 100001);
	assert_int_equal(fx_stat("/bin", 0).mtime.sec, 100002);
	assert_int_equal(fx_stat("/dev", 0).mtime.sec, 100006);
}

/* A later entry replaces an earlier one of the same name. */
static void test_replacing_entries(void **state)
{
	static struct arc a;
	struct cpio_error err;
	char buf[16];

	(void)state;
	a.len = 0;
	add(&a, "x", 0100644, 1, 1, "first", 0, 0);
	add(&a, "x", 0100600, 2, 1, "second", 0, 0);
	add(&a, "d", 040755, 3, 2, NULL, 0, 0);
	add(&a, "d", 040700, 4, 2, NULL, 0, 0);
	add(&a, "y", 040755, 5, 2, NULL, 0, 0);
	add(&a, "y", 0120777, 6, 1, "x", 0, 0);
	trailer(&a);
	assert_int_equal(unpack(&a, a.len, &err), 0);
	assert_string_equal(fx_read("/x", buf), "second");
	assert_int_equal(fx_stat("/x", 0).mode, 0600);
	assert_int_equal(fx_stat("/d", 0).mode, 0700);
	assert_int_equal(fx_stat("/y", UAT_NOFOLLOW).type, VLNK);
}

static void expect_bad(const struct arc *a, const char *why)
{
	struct cpio_error err;

	assert_int_equal(unpack(a, a->len, &err), -U_EINVAL);
	assert_non_null(err.what);
	assert_non_null(strstr(err.what, why));
}

static void test_malformed_fields(void **state)
{
	static struct arc a;

	(void)state;
	a.len = 0;
	add(&a, "f", 0100644, 1, 1, "x", 0, 0);
	expect_bad(&a, "TRAILER");				/* no trailer */
	a.buf[0] = '1';
	expect_bad(&a, "magic");
	a.buf[0] = '0';
	a.buf[6 + 8 + 3] = 'g';					/* the mode field */
	expect_bad(&a, "hex");
	a.len = 0;
	add(&a, "../escape", 0100644, 1, 1, "x", 0, 0);
	trailer(&a);
	expect_bad(&a, "..");
	a.len = 0;
	add(&a, "a/../b", 0100644, 1, 1, "x", 0, 0);
	trailer(&a);
	expect_bad(&a, "..");
	a.len = 0;
	add(&a, "sock", 0140644, 1, 1, NULL, 0, 0);
	trailer(&a);
	expect_bad(&a, "type");
	a.len = 0;
	add(&a, "dir", 040755, 1, 1, "data", 0, 0);
	trailer(&a);
	expect_bad(&a, "data");
	a.len = 0;
	add(&a, "l", 0120777, 1, 1, NULL, 0, 0);		/* empty target */
	trailer(&a);
	expect_bad(&a, "symlink");
	a.len = 0;
	add(&a, "f", 0300644, 1, 1, NULL, 0, 0);		/* bits above the type */
	trailer(&a);
	expect_bad(&a, "mode");
	a.len = 0;
	add(&a, "root", 0100644, 1, 1, NULL, 0, 0);
	memcpy(a.buf + 110, ".\0\0\0", 4);			/* "." must be a directory */
	memcpy(a.buf + 6 + 8 * 11, "00000002", 8);
	a.len = 116;
	trailer(&a);
	expect_bad(&a, "root");
	/* A name size that disagrees with where the NUL is. */
	a.len = 0;
	add(&a, "name", 0100644, 1, 1, NULL, 0, 0);
	memcpy(a.buf + 6 + 8 * 11, "00000003", 8);
	trailer(&a);
	expect_bad(&a, "NUL");
	memcpy(a.buf + 6 + 8 * 11, "FFFFFFFF", 8);
	expect_bad(&a, "name size");
	/* A file size running past the end. */
	a.len = 0;
	add(&a, "f", 0100644, 1, 1, "abc", 0, 0);
	memcpy(a.buf + 6 + 8 * 6, "7FFFFFFF", 8);
	expect_bad(&a, "truncated data");
}

static void test_checksums(void **state)
{
	static struct arc a;
	struct cpio_error err;

	(void)state;
	a.len = 0;
	add(&a, "f", 0100644, 1, 1, "ab", 0, 0);
	trailer(&a);
	a.buf[5] = '2';						/* 070702: checked */
	memcpy(a.buf + 6 + 8 * 12, "000000C3", 8);		/* 'a' + 'b' */
	assert_int_equal(unpack(&a, a.len, &err), 0);
	memcpy(a.buf + 6 + 8 * 12, "000000C4", 8);
	expect_bad(&a, "checksum");
}

/* Every proper prefix of a valid archive is refused cleanly. */
static void test_every_truncation(void **state)
{
	static struct arc a;
	struct cpio_error err;

	(void)state;
	sample(&a);
	for (size_t len = 0; len < a.len; len++) {
		fx_teardown(NULL);
		fx_setup(NULL);
		assert_int_equal(unpack(&a, len, &err), -U_EINVAL);
		assert_true(err.offset <= len);
	}
	/* Zeros after the trailer (cpio pads to 512-byte blocks) are fine. */
	fx_teardown(NULL);
	fx_setup(NULL);
	memset(a.buf + a.len, 0, 512);
	assert_int_equal(unpack(&a, a.len + 512, &err), 0);
}

/* Random byte changes: any answer will do, but no overrun, crash or leak. */
static void test_random_corruption(void **state)
{
	static struct arc a, m;
	struct cpio_error err;
	unsigned seed = 42;
	int ok = 0, bad = 0;

	(void)state;
	sample(&a);
	for (int round = 0; round < 3000; round++) {
		m = a;
		for (int k = 0; k < 1 + round % 4; k++) {
			seed = seed * 1103515245 + 12345;
			size_t pos = (seed >> 8) % a.len;
			/* Half the time a plausible character, so fields still parse. */
			const char *alphabet = "0123456789ABCDEF/.\0x";

			seed = seed * 1103515245 + 12345;
			m.buf[pos] = (seed >> 16) & 1 ? (unsigned char)alphabet[(seed >> 8) % 20]
						      : (unsigned char)(seed >> 8);
		}
		fx_teardown(NULL);
		fx_setup(NULL);
		int r = unpack(&m, m.len, &err);

		if (r == 0)
			ok++;
		else
			bad++;
		assert_true(r == 0 || err.what != NULL);
	}
	/* Both outcomes happen, or the mutations were not testing anything. */
	assert_true(ok > 0);
	assert_true(bad > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_unpack_sample),
		FX_TEST(test_replacing_entries),
		FX_TEST(test_malformed_fields),
		FX_TEST(test_checksums),
		FX_TEST(test_every_truncation),
		FX_TEST(test_random_corruption),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
