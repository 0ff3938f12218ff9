/*
 * Shared set-up for the Unix core's unit tests (test_vfs.c, test_tmpfs.c, test_cpio.c,
 * test_fd.c): a tmpfs root, a context per credential, a fake clock, and helpers that
 * make and read files. Everything is torn down after each test, so LeakSanitizer
 * catches a vnode, node or page the core forgot to free.
 */
#ifndef UCORE_FIXTURE_H
#define UCORE_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "personalities/common/tmpfs.h"

static struct mount *fx_mnt;
static struct vfs_ctx fx_root_ctx, fx_user_ctx;
static struct ucred fx_root_cred = { .uid = 0, .gid = 0 };
static struct ucred fx_user_cred = { .uid = 1000, .gid = 100, .ngroups = 1, .groups = { 20 } };
static int64_t fx_clock;

static inline void fx_now(struct utimespec *ts)
{
	ts->sec = fx_clock;
	ts->nsec = 0;
}

/* A fresh tmpfs root (mode 0755, root's) with a 1777 /tmp; limits as given (0: none). */
static inline int fx_setup_limits(uint64_t max_bytes, uint64_t max_nodes)
{
	fx_clock = 1000;
	ucore_set_clock(fx_now);
	fx_mnt = tmpfs_new(0755, 0, 0, max_bytes, max_nodes);
	assert_non_null(fx_mnt);
	fx_root_ctx = (struct vfs_ctx){ fx_mnt->root, fx_mnt->root, &fx_root_cred };
	fx_user_ctx = (struct vfs_ctx){ fx_mnt->root, fx_mnt->root, &fx_user_cred };
	assert_int_equal(vfs_mkdir(&fx_root_ctx, NULL, "/tmp", 01777), 0);
	return 0;
}

static inline int fx_setup(void **state)
{
	(void)state;
	return fx_setup_limits(0, 0);
}

static inline int fx_teardown(void **state)
{
	(void)state;
	/* Undo any mounts made inside, newest first. */
	while (vfs_mounts()) {
		struct mount *m = vfs_mounts();

		assert_int_equal(vfs_unmount(m), 0);
		if (strcmp(m->fstype, "tmpfs") == 0)
			tmpfs_destroy(m);
	}
	tmpfs_destroy(fx_mnt);
	fx_mnt = NULL;
	return 0;
}

/* Creates (or truncates) path as root with the given contents. */
static inline void fx_write(const char *path, const char *text)
{
	struct vnode *v;

	assert_int_equal(vfs_open(&fx_root_ctx, NULL, path, UO_WRITE | UO_CREAT | UO_TRUNC, 0644,
				  &v), 0);
	assert_int_equal(vfs_write(v, text, strlen(text), 0), (long)strlen(text));
	vnode_rele(v);
}

/* The contents of path (at most 255 bytes), as a string in buf. */
static inline const char *fx_read(const char *path, char *buf)
{
	struct vnode *v;
	long n;

	assert_int_equal(vfs_lookup(&fx_root_ctx, NULL, path, 0, &v), 0);
	n = vfs_read(v, buf, 255, 0);
	assert_true(n >= 0);
	buf[n] = '\0';
	vnode_rele(v);
	return buf;
}

/* vfs_lookup's error (0 if found), dropping the vnode. */
static inline int fx_lookup_err(const struct vfs_ctx *ctx, const char *path, unsigned uat)
{
	struct vnode *v;
	int err = vfs_lookup(ctx, NULL, path, uat, &v);

	if (err == 0)
		vnode_rele(v);
	return err;
}

static inline struct vattr fx_stat(const char *path, unsigned uat)
{
	struct vnode *v;
	struct vattr va;

	assert_int_equal(vfs_lookup(&fx_root_ctx, NULL, path, uat, &v), 0);
	vfs_getattr(v, &va);
	vnode_rele(v);
	return va;
}

#define FX_TEST(f) cmocka_unit_test_setup_teardown(f, fx_setup, fx_teardown)

#endif
