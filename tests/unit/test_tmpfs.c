/*
 * Unit tests of tmpfs (personalities/common/tmpfs.c, tmpfs_data.c) through the VFS:
 * file data at offsets, holes, truncation, limits, timestamps, and readdir cookies
 * that survive removals during a listing.
 */
#include "ucore_fixture.h"

#define R (&fx_root_ctx)

static struct vnode *fx_new_file(const char *path)
{
	struct vnode *v;

	assert_int_equal(vfs_open(R, NULL, path, UO_READ | UO_WRITE | UO_CREAT, 0644, &v), 0);
	return v;
}

static void test_read_write_offsets(void **state)
{
	struct vnode *v = fx_new_file("/f");
	static char big[3 * TMPFS_PAGE + 100], back[sizeof(big)];

	(void)state;
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7 + 1);
	/* A write across page boundaries, read back in odd pieces. */
	assert_int_equal(vfs_write(v, big, sizeof(big), 10), (long)sizeof(big));
	assert_int_equal(v->attr.size, sizeof(big) + 10);
	for (size_t off = 0; off < sizeof(big); off += 1000) {
		size_t n = sizeof(big) - off < 1000 ? sizeof(big) - off : 1000;

		assert_int_equal(vfs_read(v, back, n, 10 + off), (long)n);
		assert_memory_equal(back, big + off, n);
	}
	/* The first 10 bytes were never written: zeros. Reads stop at the end. */
	assert_int_equal(vfs_read(v, back, 10, 0), 10);
	for (int i = 0; i < 10; i++)
		assert_int_equal(back[i], 0);
	assert_int_equal(vfs_read(v, back, 100, v->attr.size - 5), 5);
	assert_int_equal(vfs_read(v, back, 100, v->attr.size), 0);
	assert_int_equal(vfs_read(v, back, 100, v->attr.size + 1000), 0);
	assert_int_equal(vfs_write(v, "", 0, 0), 0);
	assert_int_equal(v->attr.blocks, 4 * TMPFS_PAGE / 512);
	/* Data calls on other types. */
	assert_int_equal(vfs_read(fx_mnt->root, back, 1, 0), -U_EISDIR);
	assert_int_equal(vfs_write(v, big, 1, (uint64_t)INT64_MAX), -U_EINVAL);
	vnode_rele(v);
}

static void test_sparse_holes(void **state)
{
	struct vnode *v = fx_new_file("/sparse");
	char buf[TMPFS_PAGE];
	uint64_t far = 3 * (uint64_t)TMPFS_PAGE * TMPFS_LEAF + 123;	/* in the fourth leaf */

	(void)state;
	assert_int_equal(vfs_write(v, "end", 3, far), 3);
	assert_int_equal(v->attr.size, far + 3);
	assert_int_equal(v->attr.blocks, TMPFS_PAGE / 512);	/* one page stored */
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(vfs_read(v, buf, sizeof(buf), TMPFS_PAGE * 700), (long)sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(vfs_read(v, buf, 10, far - 2), 5);
	assert_memory_equal(buf, "\0\0end", 5);
	/* Growing by truncate makes a hole too. */
	assert_int_equal(vfs_truncate(NULL, v, far + 3 + 5 * TMPFS_PAGE), 0);
	assert_int_equal(v->attr.blocks, TMPFS_PAGE / 512);
	assert_int_equal(vfs_read(v, buf, 8, far + 3 + 100), 8);
	assert_memory_equal(buf, "\0\0\0\0\0\0\0\0", 8);
	vnode_rele(v);
}

static void test_truncate(void **state)
{
	struct vnode *v = fx_new_file("/t");
	char buf[16];

	(void)state;
	assert_int_equal(vfs_write(v, "0123456789", 10, TMPFS_PAGE - 5), 10);
	assert_int_equal(vfs_truncate(NULL, v, TMPFS_PAGE - 2), 0);	/* cut inside a page */
	assert_int_equal(v->attr.size, TMPFS_PAGE - 2);
	assert_int_equal(v->attr.blocks, TMPFS_PAGE / 512);		/* the second page went */
	/* Growing again shows zeros, not the old bytes. */
	assert_int_equal(vfs_truncate(NULL, v, TMPFS_PAGE + 5), 0);
	assert_int_equal(vfs_read(v, buf, 10, TMPFS_PAGE - 5), 10);
	assert_memory_equal(buf, "012\0\0\0\0\0\0\0", 10);
	assert_int_equal(vfs_truncate(NULL, v, 0), 0);
	assert_int_equal(v->attr.blocks, 0);
	assert_int_equal(vfs_read(v, buf, 10, 0), 0);
	assert_int_equal(vfs_truncate(NULL, v, TMPFS_MAX_FILE + 1), -U_EFBIG);
	assert_int_equal(vfs_truncate(NULL, fx_mnt->root, 0), -U_EISDIR);
	/* Path truncation needs write permission; O_TRUNC empties. */
	assert_int_equal(vfs_write(v, "abc", 3, 0), 3);
	assert_int_equal(vfs_chmod(R, v, 0444), 0);
	assert_int_equal(vfs_truncate(&fx_user_ctx, v, 1), -U_EACCES);
	vnode_rele(v);
	fx_write("/t", "");
	assert_int_equal(fx_stat("/t", 0).size, 0);
}

static void test_file_size_limit(void **state)
{
	struct vnode *v = fx_new_file("/huge");
	char buf[8] = "abcdefgh";

	(void)state;
	assert_int_equal(vfs_write(v, buf, 8, TMPFS_MAX_FILE - 4), 4);	/* short write */
	assert_int_equal(v->attr.size, TMPFS_MAX_FILE);
	assert_int_equal(vfs_write(v, buf, 8, TMPFS_MAX_FILE), -U_EFBIG);
	vnode_rele(v);
}

static void test_space_and_node_limits(void **state)
{
	static char data[5 * TMPFS_PAGE];
	struct vnode *v;
	int made = 0;

	(void)state;
	fx_teardown(NULL);
	fx_setup_limits(4 * TMPFS_PAGE, 10);
	v = fx_new_file("/f");
	/* Four pages fit; the fifth does not: a short write, then ENOSPC. */
	assert_int_equal(vfs_write(v, data, sizeof(data), 0), 4 * TMPFS_PAGE);
	assert_int_equal(vfs_write(v, data, 1, 4 * TMPFS_PAGE), -U_ENOSPC);
	/* Freeing pages gives the space back. */
	assert_int_equal(vfs_truncate(NULL, v, TMPFS_PAGE), 0);
	assert_int_equal(vfs_write(v, data, 2 * TMPFS_PAGE, TMPFS_PAGE), 2 * TMPFS_PAGE);
	vnode_rele(v);
	/* Nodes: root, /tmp, /f, then 7 more. */
	for (int i = 0; i < 20; i++) {
		char name[16];

		snprintf(name, sizeof(name), "/d%d", i);
		if (vfs_mkdir(R, NULL, name, 0755) == 0)
			made++;
		else
			break;
	}
	assert_int_equal(made, 7);
	assert_int_equal(vfs_mkdir(R, NULL, "/more", 0755), -U_ENOSPC);
	assert_int_equal(vfs_rmdir(R, NULL, "/d0"), 0);
	assert_int_equal(vfs_mkdir(R, NULL, "/more", 0755), 0);
}

static void test_timestamps(void **state)
{
	struct vnode *v, *dir;
	struct utimespec ts[2] = { { 5, 0 }, { 6, 7 } };

	(void)state;
	fx_clock = 2000;
	v = fx_new_file("/f");
	assert_int_equal(v->attr.mtime.sec, 2000);
	assert_int_equal(v->attr.atime.sec, 2000);
	assert_int_equal(fx_stat("/", 0).mtime.sec, 2000);	/* the directory changed */
	fx_clock = 2001;
	assert_int_equal(vfs_write(v, "x", 1, 0), 1);
	assert_int_equal(v->attr.mtime.sec, 2001);
	assert_int_equal(v->attr.ctime.sec, 2001);
	assert_int_equal(v->attr.atime.sec, 2000);
	fx_clock = 2002;
	assert_int_equal(vfs_chmod(R, v, 0600), 0);
	assert_int_equal(v->attr.ctime.sec, 2002);
	assert_int_equal(v->attr.mtime.sec, 2001);
	assert_int_equal(vfs_utimes(R, v, ts), 0);
	assert_int_equal(v->attr.atime.sec, 5);
	assert_int_equal(v->attr.mtime.sec, 6);
	assert_int_equal(v->attr.mtime.nsec, 7);
	ts[0].nsec = U_UTIME_OMIT;
	ts[1].nsec = U_UTIME_NOW;
	fx_clock = 2003;
	assert_int_equal(vfs_utimes(R, v, ts), 0);
	assert_int_equal(v->attr.atime.sec, 5);
	assert_int_equal(v->attr.mtime.sec, 2003);
	ts[1].nsec = 1000000000;
	assert_int_equal(vfs_utimes(R, v, ts), -U_EINVAL);
	/* Others may set "now" only with write access, and never a chosen time. */
	assert_int_equal(vfs_utimes(&fx_user_ctx, v, NULL), -U_EACCES);
	assert_int_equal(vfs_chmod(R, v, 0666), 0);
	assert_int_equal(vfs_utimes(&fx_user_ctx, v, NULL), 0);
	ts[1].nsec = 0;
	assert_int_equal(vfs_utimes(&fx_user_ctx, v, ts), -U_EPERM);
	vnode_rele(v);
	/* Removing a name changes the directory's mtime and the file's ctime. */
	assert_int_equal(vfs_lookup(R, NULL, "/", 0, &dir), 0);
	fx_clock = 2010;
	assert_int_equal(vfs_unlink(R, NULL, "/f"), 0);
	assert_int_equal(dir->attr.mtime.sec, 2010);
	vnode_rele(dir);
}

/* Lists dir from cookie, appending names to out ("a,b,"); returns the final cookie. */
static uint64_t list(struct vnode *dir, uint64_t cookie, int max, char *out)
{
	struct udirent de;

	while (max-- && vfs_readdir(dir, cookie, &de) == 1) {
		strcat(out, de.name);
		strcat(out, ",");
		cookie = de.next;
	}
	return cookie;
}

static void test_readdir(void **state)
{
	struct vnode *d;
	struct udirent de;
	char out[256] = "";
	uint64_t c;

	(void)state;
	assert_int_equal(vfs_mkdir(R, NULL, "/d", 0755), 0);
	fx_write("/d/a", "");
	assert_int_equal(vfs_mkdir(R, NULL, "/d/b", 0755), 0);
	assert_int_equal(vfs_symlink(R, "a", NULL, "/d/c"), 0);
	assert_int_equal(vfs_lookup(R, NULL, "/d", 0, &d), 0);
	list(d, 0, 100, out);
	assert_string_equal(out, ".,..,a,b,c,");
	assert_int_equal(vfs_readdir(d, 0, &de), 1);
	assert_int_equal(de.ino, d->attr.ino);
	assert_int_equal(vfs_readdir(d, 1, &de), 1);
	assert_int_equal(de.ino, fx_stat("/", 0).ino);
	assert_int_equal(vfs_readdir(d, 3, &de), 1);
	assert_string_equal(de.name, "b");
	assert_int_equal(de.type, VDIR);
	assert_int_equal(vfs_readdir(d, de.next, &de), 1);
	assert_int_equal(de.type, VLNK);
	assert_int_equal(vfs_readdir(d, de.next, &de), 0);
	assert_int_equal(vfs_readdir(d, 1000, &de), 0);
	/* Stop after "a"; remove "a" and "b", add "e": the listing goes on with c and e. */
	out[0] = '\0';
	c = list(d, 0, 3, out);
	assert_int_equal(vfs_unlink(R, NULL, "/d/a"), 0);
	assert_int_equal(vfs_rmdir(R, NULL, "/d/b"), 0);
	fx_write("/d/e", "");
	list(d, c, 100, out);
	assert_string_equal(out, ".,..,a,c,e,");
	assert_int_equal(vfs_readdir(fx_mnt->root, 0, &de), 1);
	vnode_rele(d);
	assert_int_equal(vfs_lookup(R, NULL, "/d/e", 0, &d), 0);
	assert_int_equal(vfs_readdir(d, 0, &de), -U_ENOTDIR);	/* a file */
	vnode_rele(d);
}

/* "rm -r" as busybox does it: list, unlink each entry as it comes, list again. */
static void test_readdir_while_deleting_everything(void **state)
{
	struct vnode *d;
	struct udirent de;
	uint64_t c = 0;
	int seen = 0;

	(void)state;
	assert_int_equal(vfs_mkdir(R, NULL, "/many", 0755), 0);
	for (int i = 0; i < 300; i++) {
		char path[32];

		snprintf(path, sizeof(path), "/many/f%03d", i);
		fx_write(path, "x");
	}
	assert_int_equal(vfs_lookup(R, NULL, "/many", 0, &d), 0);
	while (vfs_readdir(d, c, &de) == 1) {
		c = de.next;
		if (de.name[0] == '.')
			continue;
		char path[300];

		snprintf(path, sizeof(path), "/many/%s", de.name);
		assert_int_equal(vfs_unlink(R, NULL, path), 0);
		seen++;
	}
	assert_int_equal(seen, 300);
	assert_int_equal(vfs_readdir(d, 2, &de), 0);
	vnode_rele(d);
	assert_int_equal(vfs_rmdir(R, NULL, "/many"), 0);
}

static void test_special_nodes(void **state)
{
	struct vattr va;

	(void)state;
	assert_int_equal(vfs_mknod(R, NULL, "/null", VCHR, 0666, UDEV(1, 3)), 0);
	assert_int_equal(vfs_mknod(R, NULL, "/fifo", VFIFO, 0600, 0), 0);
	assert_int_equal(vfs_mknod(&fx_user_ctx, NULL, "/tmp/dev", VCHR, 0666, UDEV(1, 3)),
			 -U_EPERM);
	assert_int_equal(vfs_mknod(&fx_user_ctx, NULL, "/tmp/fifo", VFIFO, 0666, 0), 0);
	assert_int_equal(vfs_mknod(R, NULL, "/dir", VDIR, 0666, 0), -U_EINVAL);
	va = fx_stat("/null", 0);
	assert_int_equal(va.type, VCHR);
	assert_int_equal(UDEV_MAJOR(va.rdev), 1);
	assert_int_equal(UDEV_MINOR(va.rdev), 3);
	assert_int_equal(fx_stat("/fifo", 0).type, VFIFO);
	assert_int_equal(fx_stat("/fifo", 0).rdev, 0);
}

static void test_error_names(void **state)
{
	(void)state;
	assert_string_equal(uerr_name(-U_ENOENT), "ENOENT");
	assert_string_equal(uerr_name(U_EXDEV), "EXDEV");
	assert_string_equal(uerr_name(0), "OK");
	assert_string_equal(uerr_name(U_NERR), "?");
	for (int e = 1; e < U_NERR; e++)
		assert_int_equal(uerr_name(e)[0], 'E');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_read_write_offsets),
		FX_TEST(test_sparse_holes),
		FX_TEST(test_truncate),
		FX_TEST(test_file_size_limit),
		FX_TEST(test_space_and_node_limits),
		FX_TEST(test_timestamps),
		FX_TEST(test_readdir),
		FX_TEST(test_readdir_while_deleting_everything),
		FX_TEST(test_special_nodes),
		FX_TEST(test_error_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
