/*
 * Unit tests of open file descriptions and descriptor tables
 * (personalities/common/file.c, fdtable.c) over tmpfs and pipes: lowest-free
 * numbers, the dup family, close-on-exec, fork sharing, O_APPEND, lseek, FIFOs and
 * character devices.
 */
#include "ucore_fixture.h"
#include "personalities/common/fdtable.h"

#define R (&fx_root_ctx)

static int open_fd(struct fdtable *t, const char *path, unsigned oflags)
{
	struct file *f;
	int fd;

	assert_int_equal(file_open(R, NULL, path, oflags, 0644, &f), 0);
	fd = fdt_install(t, f, 0, (oflags & UO_CLOEXEC) ? FDT_CLOEXEC : 0);
	file_rele(f);
	return fd;
}

static struct file *get(struct fdtable *t, int fd)
{
	struct file *f;

	assert_int_equal(fdt_get(t, fd, &f), 0);
	file_rele(f);		/* the table still holds it: a borrowed pointer for the test */
	return f;
}

static void test_lowest_free_and_limit(void **state)
{
	struct fdtable *t = fdt_new(5);
	struct file *f;

	(void)state;
	fx_write("/f", "x");
	for (int i = 0; i < 5; i++)
		assert_int_equal(open_fd(t, "/f", UO_READ), i);
	assert_int_equal(file_open(R, NULL, "/f", UO_READ, 0, &f), 0);
	assert_int_equal(fdt_install(t, f, 0, 0), -U_EMFILE);
	assert_int_equal(fdt_close(t, 1), 0);
	assert_int_equal(fdt_close(t, 1), -U_EBADF);
	assert_int_equal(fdt_close(t, -1), -U_EBADF);
	assert_int_equal(fdt_close(t, 99), -U_EBADF);
	assert_int_equal(fdt_install(t, f, 0, 0), 1);
	assert_int_equal(fdt_close(t, 3), 0);
	assert_int_equal(fdt_install(t, f, 4, 0), -U_EMFILE);	/* 4 is taken, 5 is the limit */
	assert_int_equal(fdt_install(t, f, 5, 0), -U_EINVAL);
	assert_int_equal(fdt_install(t, f, 2, 0), 3);
	assert_int_equal(fdt_next(t, 0), 0);
	assert_int_equal(fdt_next(t, 5), -1);
	/* A lower limit keeps what is open, and stops new numbers above it. */
	assert_int_equal(fdt_set_limit(t, 2), 0);
	assert_int_equal(fdt_install(t, f, 0, 0), -U_EMFILE);
	assert_int_equal(fdt_getfd(t, 4), 0);
	assert_int_equal(fdt_set_limit(t, 0), -U_EINVAL);
	assert_int_equal(fdt_set_limit(t, FDT_LIMIT_MAX + 1), -U_EINVAL);
	assert_int_equal(fdt_set_limit(t, 100), 0);
	/* Big numbers grow the table. */
	assert_int_equal(fdt_install(t, f, 90, 0), 90);
	file_rele(f);
	fdt_free(t);
}

static void test_dup_family(void **state)
{
	struct fdtable *t = fdt_new(64);
	char buf[8];

	(void)state;
	fx_write("/f", "abcdef");
	assert_int_equal(open_fd(t, "/f", UO_READ | UO_CLOEXEC), 0);
	assert_int_equal(open_fd(t, "/f", UO_READ), 1);
	assert_int_equal(fdt_dup(t, 0, 0, 0), 2);
	assert_int_equal(fdt_getfd(t, 2), 0);		/* dup clears close-on-exec */
	assert_int_equal(fdt_getfd(t, 0), FDT_CLOEXEC);
	/* A duplicate shares the offset. */
	assert_int_equal(file_read(get(t, 0), buf, 2), 2);
	assert_int_equal(file_read(get(t, 2), buf, 2), 2);
	assert_memory_equal(buf, "cd", 2);
	assert_int_equal(file_read(get(t, 1), buf, 2), 2);	/* another open: its own */
	assert_memory_equal(buf, "ab", 2);
	assert_int_equal(fdt_dup(t, 0, 10, FDT_CLOEXEC), 10);	/* F_DUPFD_CLOEXEC */
	assert_int_equal(fdt_getfd(t, 10), FDT_CLOEXEC);
	assert_int_equal(fdt_dup(t, 7, 0, 0), -U_EBADF);
	assert_int_equal(fdt_dup(t, 0, 64, 0), -U_EINVAL);
	/* dup2 onto an open descriptor replaces it; onto itself only checks. */
	assert_int_equal(fdt_dup2(t, 1, 0), 0);
	assert_ptr_equal(get(t, 0), get(t, 1));
	assert_int_equal(fdt_getfd(t, 0), 0);
	assert_int_equal(fdt_dup2(t, 1, 1), 1);
	assert_int_equal(fdt_dup2(t, 5, 5), -U_EBADF);
	assert_int_equal(fdt_dup2(t, 5, 1), -U_EBADF);
	assert_int_equal(fdt_getfd(t, 1), 0);			/* a failed dup2 closes nothing */
	assert_int_equal(fdt_dup2(t, 1, 64), -U_EBADF);
	assert_int_equal(fdt_dup2(t, 1, -1), -U_EBADF);
	assert_int_equal(fdt_dup2(t, 1, 30), 30);
	/* dup2 of the only reference onto a descriptor of the same description. */
	assert_int_equal(fdt_dup2(t, 30, 0), 0);
	assert_int_equal(fdt_dup3(t, 1, 1, 0), -U_EINVAL);
	assert_int_equal(fdt_dup3(t, 1, 3, 0x80), -U_EINVAL);
	assert_int_equal(fdt_dup3(t, 1, 3, FDT_CLOEXEC), 3);
	assert_int_equal(fdt_getfd(t, 3), FDT_CLOEXEC);
	assert_int_equal(fdt_setfd(t, 3, 0), 0);
	assert_int_equal(fdt_getfd(t, 3), 0);
	assert_int_equal(fdt_setfd(t, 4, 0), -U_EBADF);
	fdt_free(t);
}

static void test_close_on_exec(void **state)
{
	struct fdtable *t = fdt_new(0);

	(void)state;
	fx_write("/f", "");
	assert_int_equal(t->limit, FDT_LIMIT_DEFAULT);
	assert_int_equal(open_fd(t, "/f", UO_READ), 0);
	assert_int_equal(open_fd(t, "/f", UO_READ | UO_CLOEXEC), 1);
	assert_int_equal(open_fd(t, "/f", UO_READ), 2);
	assert_int_equal(fdt_dup(t, 0, 5, FDT_CLOEXEC), 5);
	fdt_exec(t);
	assert_int_equal(fdt_getfd(t, 0), 0);
	assert_int_equal(fdt_getfd(t, 1), -U_EBADF);
	assert_int_equal(fdt_getfd(t, 2), 0);
	assert_int_equal(fdt_getfd(t, 5), -U_EBADF);
	assert_int_equal(t->used, 2);
	fdt_free(t);
}

static void test_fork_shares_descriptions(void **state)
{
	struct fdtable *parent = fdt_new(16), *child;
	struct file *rd, *wr;
	char buf[8];

	(void)state;
	fx_write("/f", "0123456789");
	assert_int_equal(open_fd(parent, "/f", UO_READ | UO_CLOEXEC), 0);
	assert_int_equal(file_pipe(0, &rd, &wr), 0);
	assert_int_equal(fdt_install(parent, rd, 0, 0), 1);
	assert_int_equal(fdt_install(parent, wr, 0, 0), 2);
	file_rele(rd);
	file_rele(wr);
	child = fdt_fork(parent);
	assert_int_equal(fdt_getfd(child, 0), FDT_CLOEXEC);
	assert_int_equal(child->used, 3);
	/* The offset is one for both. */
	assert_int_equal(file_read(get(child, 0), buf, 4), 4);
	assert_int_equal(file_read(get(parent, 0), buf, 2), 2);
	assert_memory_equal(buf, "45", 2);
	/* The parent closing its write end is not end of file while the child has one. */
	assert_int_equal(fdt_close(parent, 2), 0);
	assert_int_equal(file_read(get(parent, 1), buf, 1), -U_EAGAIN);
	assert_int_equal(file_write(get(child, 2), "z", 1), 1);
	assert_int_equal(file_read(get(parent, 1), buf, 8), 1);
	fdt_exec(child);
	assert_int_equal(fdt_getfd(child, 0), -U_EBADF);
	assert_int_equal(fdt_getfd(parent, 0), FDT_CLOEXEC);
	fdt_free(child);
	assert_int_equal(file_read(get(parent, 1), buf, 1), 0);	/* now it is */
	fdt_free(parent);
}

static void test_append_and_offsets(void **state)
{
	struct file *a, *b, *ro;
	uint64_t off;
	char buf[32];

	(void)state;
	fx_write("/log", "start\n");
	assert_int_equal(file_open(R, NULL, "/log", UO_WRITE | UO_APPEND, 0, &a), 0);
	assert_int_equal(file_open(R, NULL, "/log", UO_WRITE | UO_APPEND, 0, &b), 0);
	assert_int_equal(file_write(a, "a1\n", 3), 3);
	assert_int_equal(file_write(b, "b1\n", 3), 3);	/* not over a1: at the end */
	assert_int_equal(file_write(a, "a2\n", 3), 3);
	assert_int_equal(a->offset, 15);
	assert_int_equal(file_lseek(a, 0, USEEK_SET, &off), 0);
	assert_int_equal(file_write(a, "a3\n", 3), 3);	/* seeking does not escape append */
	assert_int_equal(file_pwrite(b, "p\n", 2, 0), 2);	/* nor does pwrite, as on Linux */
	assert_string_equal(fx_read("/log", buf), "start\na1\nb1\na2\na3\np\n");
	assert_int_equal(file_read(a, buf, 1), -U_EBADF);	/* write-only */
	/* Seeks. */
	assert_int_equal(file_open(R, NULL, "/log", UO_READ, 0, &ro), 0);
	assert_int_equal(file_write(ro, "x", 1), -U_EBADF);
	assert_int_equal(file_lseek(ro, -3, USEEK_END, &off), 0);
	assert_int_equal(off, 17);
	assert_int_equal(file_read(ro, buf, 10), 3);
	assert_int_equal(file_lseek(ro, -1, USEEK_SET, &off), -U_EINVAL);
	assert_int_equal(ro->offset, 20);
	assert_int_equal(file_lseek(ro, 100, USEEK_CUR, &off), 0);
	assert_int_equal(off, 120);
	assert_int_equal(file_read(ro, buf, 10), 0);
	assert_int_equal(file_lseek(ro, INT64_MAX, USEEK_CUR, &off), -U_EOVERFLOW);
	assert_int_equal(file_lseek(ro, 0, (enum useek)7, &off), -U_EINVAL);
	assert_int_equal(file_pread(ro, buf, 5, 0), 5);
	assert_memory_equal(buf, "start", 5);
	assert_int_equal(ro->offset, 120);		/* pread leaves the offset alone */
	assert_int_equal(file_truncate(ro, 0), -U_EINVAL);	/* not open for writing */
	assert_int_equal(file_truncate(a, 5), 0);
	assert_int_equal(fx_stat("/log", 0).size, 5);
	/* An unlinked file stays readable through its descriptor. */
	assert_int_equal(vfs_unlink(R, NULL, "/log"), 0);
	assert_int_equal(file_pread(ro, buf, 5, 0), 5);
	file_rele(a);
	file_rele(b);
	file_rele(ro);
}

static void test_pipe_files(void **state)
{
	struct file *rd, *wr;
	uint64_t off;
	char c;

	(void)state;
	assert_int_equal(file_pipe(UO_NONBLOCK, &rd, &wr), 0);
	assert_int_equal(rd->flags & UO_NONBLOCK, UO_NONBLOCK);
	assert_int_equal(file_write(rd, "x", 1), -U_EBADF);
	assert_int_equal(file_read(wr, &c, 1), -U_EBADF);
	assert_int_equal(file_lseek(rd, 0, USEEK_CUR, &off), -U_ESPIPE);
	assert_int_equal(file_pread(rd, &c, 1, 0), -U_ESPIPE);
	assert_int_equal(file_pwrite(wr, &c, 1, 0), -U_ESPIPE);
	assert_int_equal(file_poll(wr), UPOLL_OUT);
	assert_int_equal(file_write(wr, "x", 1), 1);
	assert_int_equal(file_poll(rd), UPOLL_IN);
	assert_ptr_equal(file_pipe_of(rd), file_pipe_of(wr));
	assert_int_equal(file_readdir(rd, &(struct udirent){ 0 }), -U_ENOTDIR);
	file_setfl(rd, UO_READ | UO_WRITE);	/* only status flags change */
	assert_int_equal(rd->flags, UO_READ);
	file_rele(rd);
	assert_int_equal(file_write(wr, "x", 1), -U_EPIPE);
	file_rele(wr);
}

static void test_fifo(void **state)
{
	struct file *rd, *wr, *wr2;
	struct vnode *v;
	char buf[8];

	(void)state;
	assert_int_equal(vfs_mknod(R, NULL, "/fifo", VFIFO, 0666, 0), 0);
	assert_int_equal(file_open(R, NULL, "/fifo", UO_WRITE | UO_NONBLOCK, 0, &wr), -U_ENXIO);
	assert_int_equal(file_open(R, NULL, "/fifo", UO_READ | UO_NONBLOCK, 0, &rd), 0);
	assert_int_equal(file_open(R, NULL, "/fifo", UO_WRITE | UO_NONBLOCK, 0, &wr), 0);
	assert_int_equal(file_open(R, NULL, "/fifo", UO_WRITE, 0, &wr2), 0);
	assert_ptr_equal(file_pipe_of(rd), file_pipe_of(wr));
	assert_int_equal(file_write(wr, "abc", 3), 3);
	assert_int_equal(file_write(wr2, "d", 1), 1);
	assert_int_equal(file_read(rd, buf, sizeof(buf)), 4);
	assert_memory_equal(buf, "abcd", 4);
	file_rele(wr);
	assert_int_equal(file_read(rd, buf, 1), -U_EAGAIN);	/* wr2 is still open */
	assert_int_equal(file_write(wr2, "left", 4), 4);
	file_rele(wr2);
	file_rele(rd);
	/* The last close discards what was left, and the vnode lets go of the pipe. */
	assert_int_equal(vfs_lookup(R, NULL, "/fifo", 0, &v), 0);
	assert_null(v->fifo);
	vnode_rele(v);
	assert_int_equal(file_open(R, NULL, "/fifo", UO_READ | UO_WRITE, 0, &rd), 0);
	assert_int_equal(file_read(rd, buf, 4), -U_EAGAIN);
	assert_int_equal(file_poll(rd), UPOLL_OUT);
	file_rele(rd);
}

static long null_read(struct file *f, void *buf, size_t n, uint64_t off)
{
	(void)f, (void)buf, (void)n, (void)off;
	return 0;
}

static long null_write(struct file *f, const void *buf, size_t n, uint64_t off)
{
	(void)f, (void)buf, (void)off;
	return (long)n;
}

static int opens, closes;

static int counting_open(struct file *f)
{
	opens++;
	f->priv = &opens;
	return UDEV_MINOR(f->vp->attr.rdev) == 99 ? -U_EIO : 0;
}

static void counting_close(struct file *f)
{
	assert_ptr_equal(f->priv, &opens);
	closes++;
}

static const struct cdev_ops null_ops = {
	.open = counting_open, .close = counting_close, .read = null_read, .write = null_write,
};

static void test_char_devices(void **state)
{
	struct file *f;
	char buf[4];

	(void)state;
	assert_int_equal(cdev_register(UDEV(1, 3), &null_ops), 0);
	assert_int_equal(cdev_register(UDEV(1, 3), &null_ops), -U_EBUSY);
	assert_int_equal(cdev_register(UDEV(1, 99), &null_ops), 0);
	assert_int_equal(vfs_mknod(R, NULL, "/null", VCHR, 0666, UDEV(1, 3)), 0);
	assert_int_equal(vfs_mknod(R, NULL, "/bad", VCHR, 0666, UDEV(1, 99)), 0);
	assert_int_equal(vfs_mknod(R, NULL, "/none", VCHR, 0666, UDEV(7, 7)), 0);
	assert_int_equal(file_open(R, NULL, "/null", UO_READ | UO_WRITE, 0, &f), 0);
	assert_int_equal(file_write(f, "abc", 3), 3);
	assert_int_equal(file_read(f, buf, 4), 0);
	assert_int_equal(file_poll(f), UPOLL_IN | UPOLL_OUT);
	file_rele(f);
	assert_int_equal(opens, 1);
	assert_int_equal(closes, 1);
	assert_int_equal(file_open(R, NULL, "/bad", UO_READ, 0, &f), -U_EIO);
	assert_int_equal(file_open(R, NULL, "/none", UO_READ, 0, &f), -U_ENXIO);
	/* O_PATH opens nothing behind the node. */
	assert_int_equal(file_open(R, NULL, "/none", UO_PATH, 0, &f), 0);
	assert_int_equal(file_read(f, buf, 1), -U_EBADF);
	file_rele(f);
	cdev_unregister(UDEV(1, 3));
	cdev_unregister(UDEV(1, 99));
	assert_int_equal(file_open(R, NULL, "/null", UO_READ, 0, &f), -U_ENXIO);
}

static void test_directory_descriptions(void **state)
{
	struct file *d;
	struct udirent de;
	uint64_t off;
	int n = 0;

	(void)state;
	fx_write("/tmp/a", "");
	fx_write("/tmp/b", "");
	assert_int_equal(file_open(R, NULL, "/tmp", UO_READ | UO_DIRECTORY, 0, &d), 0);
	while (file_readdir(d, &de) == 1)
		n++;
	assert_int_equal(n, 4);
	assert_int_equal(file_lseek(d, 0, USEEK_SET, &off), 0);	/* rewinddir */
	assert_int_equal(file_readdir(d, &de), 1);
	assert_string_equal(de.name, ".");
	assert_int_equal(file_lseek(d, 0, USEEK_END, &off), -U_EINVAL);
	assert_int_equal(file_read(d, &de, 1), -U_EISDIR);
	file_rele(d);
	assert_int_equal(file_open(R, NULL, "/tmp", UO_WRITE, 0, &d), -U_EISDIR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_lowest_free_and_limit),
		FX_TEST(test_dup_family),
		FX_TEST(test_close_on_exec),
		FX_TEST(test_fork_shares_descriptions),
		FX_TEST(test_append_and_offsets),
		FX_TEST(test_pipe_files),
		FX_TEST(test_fifo),
		FX_TEST(test_char_devices),
		FX_TEST(test_directory_descriptions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
