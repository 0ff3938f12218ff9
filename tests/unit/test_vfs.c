/*
 * Unit tests of the VFS (personalities/common/vnode.c, namei.c, vfs.c) over tmpfs:
 * path resolution, symlinks, trailing slashes, limits, the namespace operations
 * with their POSIX rules, permissions, mounts and a callback filesystem, getcwd.
 */
#include "ucore_fixture.h"

#define R (&fx_root_ctx)
#define U (&fx_user_ctx)

static void test_resolution_dots_and_slashes(void **state)
{
	struct vnode *v;

	(void)state;
	assert_int_equal(vfs_mkdir(R, NULL, "/a", 0755), 0);
	assert_int_equal(vfs_mkdir(R, NULL, "/a/b", 0755), 0);
	fx_write("/a/b/f", "x");
	assert_int_equal(fx_lookup_err(R, "//a///b//f", 0), 0);
	assert_int_equal(fx_lookup_err(R, "/a/./b/../b/f", 0), 0);
	assert_int_equal(fx_lookup_err(R, "a/b/f", 0), 0);	/* relative to cwd = / */
	/* ".." at the root stays there, however many times. */
	assert_int_equal(vfs_lookup(R, NULL, "/../../..", 0, &v), 0);
	assert_ptr_equal(v, fx_mnt->root);
	vnode_rele(v);
	assert_int_equal(fx_lookup_err(R, "/../a/../../a/b/f", 0), 0);
	/* Relative to another directory; a process root below the real one holds too. */
	struct vnode *a;
	assert_int_equal(vfs_lookup(R, NULL, "/a", 0, &a), 0);
	assert_int_equal(vfs_lookup(R, a, "b/f", 0, &v), 0);
	vnode_rele(v);
	struct vfs_ctx jail = { a, a, &fx_root_cred };
	assert_int_equal(vfs_lookup(&jail, NULL, "/../..", 0, &v), 0);
	assert_ptr_equal(v, a);
	vnode_rele(v);
	assert_int_equal(fx_lookup_err(&jail, "/b/f", 0), 0);
	vnode_rele(a);
	/* Errors. */
	assert_int_equal(fx_lookup_err(R, "", 0), -U_ENOENT);
	assert_int_equal(fx_lookup_err(R, "/a/nope/f", 0), -U_ENOENT);
	assert_int_equal(fx_lookup_err(R, "/a/b/f/g", 0), -U_ENOTDIR);
	assert_int_equal(fx_lookup_err(R, "/a/b/f/..", 0), -U_ENOTDIR);
	assert_int_equal(fx_lookup_err(R, "/a/b/f/", 0), -U_ENOTDIR);
	assert_int_equal(fx_lookup_err(R, "/a/b/", 0), 0);
	assert_int_equal(fx_lookup_err(R, "", UAT_EMPTY_PATH), 0);
}

static void test_name_and_path_limits(void **state)
{
	char name[300], path[U_PATH_MAX + 10];

	(void)state;
	memset(name, 'n', sizeof(name));
	name[0] = '/';
	name[256] = '\0';	/* a 255-byte component */
	assert_int_equal(vfs_mkdir(R, NULL, name, 0755), 0);
	assert_int_equal(fx_lookup_err(R, name, 0), 0);
	name[256] = 'n';
	name[257] = '\0';	/* 256 bytes */
	assert_int_equal(vfs_mkdir(R, NULL, name, 0755), -U_ENAMETOOLONG);
	assert_int_equal(fx_lookup_err(R, name, 0), -U_ENAMETOOLONG);
	/* A whole path of U_PATH_MAX bytes (no room for the NUL) is too long. */
	for (size_t i = 0; i < U_PATH_MAX; i += 2)
		memcpy(path + i, "/.", 2);
	path[U_PATH_MAX - 1] = '\0';
	assert_int_equal(fx_lookup_err(R, path, 0), 0);
	path[U_PATH_MAX - 1] = '/';
	path[U_PATH_MAX] = '\0';
	assert_int_equal(fx_lookup_err(R, path, 0), -U_ENAMETOOLONG);
}

static void test_symlinks(void **state)
{
	char buf[64];
	struct vattr va;

	(void)state;
	assert_int_equal(vfs_mkdir(R, NULL, "/d", 0755), 0);
	fx_write("/d/f", "data");
	assert_int_equal(vfs_symlink(R, "d/f", NULL, "/rel"), 0);
	assert_int_equal(vfs_symlink(R, "/d", NULL, "/abs"), 0);
	assert_int_equal(vfs_symlink(R, "../d/./f", NULL, "/d/up"), 0);
	assert_int_equal(vfs_symlink(R, "rel", NULL, "/chain"), 0);
	assert_int_equal(vfs_symlink(R, "missing", NULL, "/dangling"), 0);
	assert_string_equal(fx_read("/rel", buf), "data");
	assert_string_equal(fx_read("/abs/f", buf), "data");
	assert_string_equal(fx_read("/d/up", buf), "data");
	assert_string_equal(fx_read("/chain", buf), "data");
	assert_int_equal(fx_lookup_err(R, "/dangling", 0), -U_ENOENT);
	/* lstat sees the link itself, with its target's length as size. */
	va = fx_stat("/rel", UAT_NOFOLLOW);
	assert_int_equal(va.type, VLNK);
	assert_int_equal(va.size, 3);
	va = fx_stat("/dangling", UAT_NOFOLLOW);
	assert_int_equal(va.type, VLNK);
	/* A trailing slash follows even a "nofollow" last component; to a file it fails. */
	va = fx_stat("/abs/", UAT_NOFOLLOW);
	assert_int_equal(va.type, VDIR);
	assert_int_equal(fx_lookup_err(R, "/rel/", 0), -U_ENOTDIR);
	/* Loops and overlong chains. */
	assert_int_equal(vfs_symlink(R, "loop2", NULL, "/loop1"), 0);
	assert_int_equal(vfs_symlink(R, "loop1", NULL, "/loop2"), 0);
	assert_int_equal(fx_lookup_err(R, "/loop1", 0), -U_ELOOP);
	assert_int_equal(fx_lookup_err(R, "/loop1/x", 0), -U_ELOOP);
	assert_int_equal(fx_lookup_err(R, "/loop1", UAT_NOFOLLOW), 0);
	assert_int_equal(vfs_symlink(R, "self/self", NULL, "/self"), 0);
	assert_int_equal(fx_lookup_err(R, "/self", 0), -U_ELOOP);
	assert_int_equal(vfs_symlink(R, "", NULL, "/empty"), -U_ENOENT);
	assert_int_equal(vfs_symlink(R, "x", NULL, "/rel"), -U_EEXIST);
	/* Forty links in a chain resolve; forty-one do not. */
	for (int i = 1; i <= 41; i++) {
		char name[16], target[16];

		snprintf(name, sizeof(name), "/c%d", i);
		snprintf(target, sizeof(target), i == 1 ? "d/f" : "c%d", i - 1);
		assert_int_equal(vfs_symlink(R, target, NULL, name), 0);
	}
	assert_string_equal(fx_read("/c40", buf), "data");
	assert_int_equal(fx_lookup_err(R, "/c41", 0), -U_ELOOP);
	assert_int_equal(vfs_readlink(fx_mnt->root, buf, sizeof(buf)), -U_EINVAL);
}

static void test_open_flags(void **state)
{
	struct vnode *v;

	(void)state;
	fx_write("/f", "hello");
	assert_int_equal(vfs_symlink(R, "f", NULL, "/l"), 0);
	assert_int_equal(vfs_open(R, NULL, "/l", UO_READ | UO_NOFOLLOW, 0, &v), -U_ELOOP);
	assert_int_equal(vfs_open(R, NULL, "/f", UO_READ | UO_CREAT | UO_EXCL, 0644, &v),
			 -U_EEXIST);
	/* O_EXCL does not follow: a dangling link counts as existing. */
	assert_int_equal(vfs_symlink(R, "newtarget", NULL, "/dl"), 0);
	assert_int_equal(vfs_open(R, NULL, "/dl", UO_WRITE | UO_CREAT | UO_EXCL, 0644, &v),
			 -U_EEXIST);
	/* Without O_EXCL a dangling link is followed and its target created. */
	assert_int_equal(vfs_open(R, NULL, "/dl", UO_WRITE | UO_CREAT, 0644, &v), 0);
	vnode_rele(v);
	assert_int_equal(fx_stat("/newtarget", 0).type, VREG);
	assert_int_equal(vfs_open(R, NULL, "/f", UO_READ | UO_DIRECTORY, 0, &v), -U_ENOTDIR);
	assert_int_equal(vfs_open(R, NULL, "/tmp", UO_WRITE, 0, &v), -U_EISDIR);
	assert_int_equal(vfs_open(R, NULL, "/tmp", UO_READ | UO_CREAT, 0644, &v), -U_EISDIR);
	assert_int_equal(vfs_open(R, NULL, "/tmp", UO_READ, 0, &v), 0);
	vnode_rele(v);
	assert_int_equal(vfs_open(R, NULL, "/nope", UO_READ, 0, &v), -U_ENOENT);
	assert_int_equal(vfs_open(R, NULL, "/new/", UO_WRITE | UO_CREAT, 0644, &v), -U_EISDIR);
	assert_int_equal(vfs_open(R, NULL, "/f/", UO_READ, 0, &v), -U_ENOTDIR);
	assert_int_equal(vfs_open(R, NULL, "/f", UO_WRITE | UO_TRUNC, 0, &v), 0);
	assert_int_equal(v->attr.size, 0);
	vnode_rele(v);
	/* The mode is the caller's (umask applied), the owner the creator's. */
	assert_int_equal(vfs_open(U, NULL, "/tmp/mine", UO_WRITE | UO_CREAT, 0640, &v), 0);
	assert_int_equal(v->attr.mode, 0640);
	assert_int_equal(v->attr.uid, 1000);
	assert_int_equal(v->attr.gid, 100);
	vnode_rele(v);
}

static void test_mkdir_rmdir(void **state)
{
	(void)state;
	assert_int_equal(vfs_mkdir(R, NULL, "/d/", 0755), 0);	/* a trailing slash is fine */
	assert_int_equal(vfs_mkdir(R, NULL, "/d", 0755), -U_EEXIST);
	assert_int_equal(vfs_mkdir(R, NULL, "/", 0755), -U_EEXIST);
	assert_int_equal(vfs_mkdir(R, NULL, "/nope/d", 0755), -U_ENOENT);
	assert_int_equal(fx_stat("/", 0).nlink, 4);	/* ".", "..", tmp/.., d/.. */
	assert_int_equal(vfs_mkdir(R, NULL, "/d/e", 0755), 0);
	assert_int_equal(fx_stat("/d", 0).nlink, 3);
	fx_write("/d/e/f", "x");
	assert_int_equal(vfs_rmdir(R, NULL, "/d"), -U_ENOTEMPTY);
	assert_int_equal(vfs_rmdir(R, NULL, "/d/e"), -U_ENOTEMPTY);
	assert_int_equal(vfs_rmdir(R, NULL, "/d/e/f"), -U_ENOTDIR);
	assert_int_equal(vfs_unlink(R, NULL, "/d/e"), -U_EISDIR);
	assert_int_equal(vfs_rmdir(R, NULL, "/d/."), -U_EINVAL);
	assert_int_equal(vfs_rmdir(R, NULL, "/d/e/.."), -U_ENOTEMPTY);
	assert_int_equal(vfs_rmdir(R, NULL, "/"), -U_EBUSY);
	assert_int_equal(vfs_unlink(R, NULL, "/d/e/f/"), -U_ENOTDIR);
	assert_int_equal(vfs_unlink(R, NULL, "/d/e/f"), 0);
	assert_int_equal(vfs_unlink(R, NULL, "/d/e/f"), -U_ENOENT);
	assert_int_equal(vfs_rmdir(R, NULL, "/d/e/"), 0);
	assert_int_equal(fx_stat("/d", 0).nlink, 2);
	assert_int_equal(vfs_rmdir(R, NULL, "/d"), 0);
	assert_int_equal(fx_stat("/", 0).nlink, 3);
	/* rmdir through a symlink is refused; the link is not a directory. */
	assert_int_equal(vfs_mkdir(R, NULL, "/t", 0755), 0);
	assert_int_equal(vfs_symlink(R, "t", NULL, "/lt"), 0);
	assert_int_equal(vfs_rmdir(R, NULL, "/lt"), -U_ENOTDIR);
	assert_int_equal(vfs_unlink(R, NULL, "/lt"), 0);
	assert_int_equal(fx_stat("/t", 0).type, VDIR);
}

static void test_unlinked_open_file_stays_readable(void **state)
{
	struct vnode *v;
	char buf[16];

	(void)state;
	fx_write("/f", "still here");
	assert_int_equal(vfs_open(R, NULL, "/f", UO_READ | UO_WRITE, 0, &v), 0);
	assert_int_equal(vfs_unlink(R, NULL, "/f"), 0);
	assert_int_equal(fx_lookup_err(R, "/f", 0), -U_ENOENT);
	assert_int_equal(v->attr.nlink, 0);
	assert_int_equal(vfs_read(v, buf, sizeof(buf), 0), 10);
	assert_memory_equal(buf, "still here", 10);
	assert_int_equal(vfs_write(v, "!", 1, 10), 1);
	/* A new file of the same name is another file. */
	fx_write("/f", "new");
	assert_string_equal(fx_read("/f", buf), "new");
	vnode_rele(v);	/* now the old one goes (LeakSanitizer checks) */
}

static void test_link(void **state)
{
	char buf[16];

	(void)state;
	fx_write("/f", "one");
	assert_int_equal(vfs_link(R, NULL, "/f", NULL, "/g", UAT_NOFOLLOW), 0);
	assert_int_equal(fx_stat("/f", 0).nlink, 2);
	assert_int_equal(fx_stat("/f", 0).ino, fx_stat("/g", 0).ino);
	fx_write("/g", "two");
	assert_string_equal(fx_read("/f", buf), "two");
	assert_int_equal(vfs_link(R, NULL, "/f", NULL, "/g", UAT_NOFOLLOW), -U_EEXIST);
	assert_int_equal(vfs_link(R, NULL, "/tmp", NULL, "/t2", UAT_NOFOLLOW), -U_EPERM);
	assert_int_equal(vfs_link(R, NULL, "/nope", NULL, "/t3", UAT_NOFOLLOW), -U_ENOENT);
	assert_int_equal(vfs_link(R, NULL, "/f", NULL, "/nodir/x", UAT_NOFOLLOW), -U_ENOENT);
	/* A link to a symlink is a second name of the symlink, unless asked to follow. */
	assert_int_equal(vfs_symlink(R, "f", NULL, "/s"), 0);
	assert_int_equal(vfs_link(R, NULL, "/s", NULL, "/s2", UAT_NOFOLLOW), 0);
	assert_int_equal(fx_stat("/s2", UAT_NOFOLLOW).type, VLNK);
	assert_int_equal(vfs_link(R, NULL, "/s", NULL, "/s3", 0), 0);
	assert_int_equal(fx_stat("/s3", UAT_NOFOLLOW).type, VREG);
	assert_int_equal(vfs_unlink(R, NULL, "/f"), 0);
	assert_int_equal(fx_stat("/g", 0).nlink, 2);	/* g and s3 */
}

static void test_rename_files(void **state)
{
	struct vnode *victim;
	char buf[16];

	(void)state;
	fx_write("/a", "A");
	fx_write("/b", "B");
	assert_int_equal(vfs_open(R, NULL, "/b", UO_READ, 0, &victim), 0);
	assert_int_equal(vfs_rename(R, NULL, "/a", NULL, "/b"), 0);	/* over an existing file */
	assert_string_equal(fx_read("/b", buf), "A");
	assert_int_equal(fx_lookup_err(R, "/a", 0), -U_ENOENT);
	assert_int_equal(victim->attr.nlink, 0);	/* the replaced file lives while open */
	assert_int_equal(vfs_read(victim, buf, 1, 0), 1);
	assert_int_equal(buf[0], 'B');
	vnode_rele(victim);
	/* Two names of one file: nothing happens. */
	assert_int_equal(vfs_link(R, NULL, "/b", NULL, "/c", 0), 0);
	assert_int_equal(vfs_rename(R, NULL, "/b", NULL, "/c"), 0);
	assert_int_equal(fx_lookup_err(R, "/b", 0), 0);
	assert_int_equal(vfs_rename(R, NULL, "/b", NULL, "/b"), 0);
	assert_int_equal(vfs_rename(R, NULL, "/nope", NULL, "/x"), -U_ENOENT);
	assert_int_equal(vfs_rename(R, NULL, "/b", NULL, "/nodir/x"), -U_ENOENT);
	assert_int_equal(vfs_rename(R, NULL, "/b/", NULL, "/x"), -U_ENOTDIR);
	assert_int_equal(vfs_rename(R, NULL, "/b", NULL, "/x/"), -U_ENOTDIR);
	assert_int_equal(vfs_rename(R, NULL, "/b", NULL, "/tmp"), -U_EISDIR);
	/* A symlink is renamed, not its target. */
	assert_int_equal(vfs_symlink(R, "b", NULL, "/s"), 0);
	assert_int_equal(vfs_rename(R, NULL, "/s", NULL, "/tmp/s"), 0);
	assert_int_equal(fx_stat("/tmp/s", UAT_NOFOLLOW).type, VLNK);
	assert_int_equal(fx_stat("/b", 0).type, VREG);
}

static void test_rename_directories(void **state)
{
	struct vnode *v;

	(void)state;
	assert_int_equal(vfs_mkdir(R, NULL, "/a", 0755), 0);
	assert_int_equal(vfs_mkdir(R, NULL, "/a/sub", 0755), 0);
	assert_int_equal(vfs_mkdir(R, NULL, "/empty", 0755), 0);
	assert_int_equal(vfs_mkdir(R, NULL, "/full", 0755), 0);
	fx_write("/full/f", "x");
	fx_write("/file", "x");
	assert_int_equal(vfs_rename(R, NULL, "/a", NULL, "/a/sub/x"), -U_EINVAL);
	assert_int_equal(vfs_rename(R, NULL, "/a", NULL, "/a/x"), -U_EINVAL);
	assert_int_equal(vfs_rename(R, NULL, "/a", NULL, "/full"), -U_ENOTEMPTY);
	assert_int_equal(vfs_rename(R, NULL, "/a", NULL, "/file"), -U_ENOTDIR);
	assert_int_equal(vfs_rename(R, NULL, "/", NULL, "/x"), -U_EBUSY);
	assert_int_equal(vfs_rename(R, NULL, "/a/.", NULL, "/x"), -U_EBUSY);
	/* Over an empty directory, into another parent: nlinks and ".." follow. */
	assert_int_equal(vfs_rename(R, NULL, "/a/sub", NULL, "/empty"), 0);
	assert_int_equal(fx_stat("/a", 0).nlink, 2);
	assert_int_equal(vfs_rename(R, NULL, "/empty", NULL, "/full/moved/"), 0);
	assert_int_equal(fx_stat("/full", 0).nlink, 3);
	assert_int_equal(vfs_lookup(R, NULL, "/full/moved/..", 0, &v), 0);
	assert_int_equal(v->attr.ino, fx_stat("/full", 0).ino);
	vnode_rele(v);
	assert_int_equal(fx_stat("/", 0).nlink, 5);	/* 2 + tmp, a, full */
}

static void test_permissions(void **state)
{
	struct vnode *v;

	(void)state;
	assert_int_equal(vfs_mkdir(R, NULL, "/priv", 0700), 0);
	fx_write("/priv/f", "x");
	fx_write("/ro", "x");	/* 0644, root's */
	assert_int_equal(fx_lookup_err(U, "/priv/f", 0), -U_EACCES);
	assert_int_equal(fx_lookup_err(U, "/priv", 0), 0);	/* the dir itself is visible */
	assert_int_equal(vfs_open(U, NULL, "/ro", UO_READ, 0, &v), 0);
	vnode_rele(v);
	assert_int_equal(vfs_open(U, NULL, "/ro", UO_WRITE, 0, &v), -U_EACCES);
	assert_int_equal(vfs_open(U, NULL, "/new", UO_WRITE | UO_CREAT, 0644, &v), -U_EACCES);
	assert_int_equal(vfs_unlink(U, NULL, "/ro"), -U_EACCES);
	assert_int_equal(vfs_mkdir(U, NULL, "/priv/d", 0755), -U_EACCES);
	/* Root passes read and write checks, and execute where any x bit is set. */
	assert_int_equal(vfs_lookup(R, NULL, "/ro", 0, &v), 0);
	assert_int_equal(vfs_chmod(R, v, 0), 0);
	assert_int_equal(vfs_access(v, &fx_root_cred, U_R_OK | U_W_OK), 0);
	assert_int_equal(vfs_access(v, &fx_root_cred, U_X_OK), -U_EACCES);
	assert_int_equal(vfs_chmod(R, v, 0001), 0);
	assert_int_equal(vfs_access(v, &fx_root_cred, U_X_OK), 0);
	/* Group classes: the group's bits apply to members, even with an owner's 0. */
	assert_int_equal(vfs_chown(R, v, 0, 20), 0);
	assert_int_equal(vfs_chmod(R, v, 0040), 0);
	assert_int_equal(vfs_access(v, &fx_user_cred, U_R_OK), 0);
	assert_int_equal(vfs_access(v, &fx_user_cred, U_W_OK), -U_EACCES);
	/* Only the owner (or root) changes modes; ownership is root's to give. */
	assert_int_equal(vfs_chmod(U, v, 0777), -U_EPERM);
	assert_int_equal(vfs_chown(U, v, 1000, (uint32_t)-1), -U_EPERM);
	assert_int_equal(vfs_chown(R, v, 1000, 100), 0);
	assert_int_equal(vfs_chmod(U, v, 02755), 0);
	assert_int_equal(v->attr.mode, 02755);
	assert_int_equal(vfs_chown(U, v, (uint32_t)-1, 20), 0);	/* to one of its groups */
	assert_int_equal(v->attr.mode, 0755);			/* set-gid dropped */
	assert_int_equal(vfs_chown(U, v, (uint32_t)-1, 5), -U_EPERM);
	assert_int_equal(vfs_chmod(U, v, 02755), 0);	/* group 20 is one of its own */
	assert_int_equal(v->attr.mode, 02755);
	assert_int_equal(vfs_chown(R, v, 1000, 0), 0);
	assert_int_equal(vfs_chmod(U, v, 02755), 0);	/* not in group 0: no set-gid */
	assert_int_equal(v->attr.mode, 0755);
	vnode_rele(v);
}

static void test_sticky_directory(void **state)
{
	struct ucred other = { .uid = 2000, .gid = 200 };
	struct vfs_ctx O = { fx_mnt->root, fx_mnt->root, &other };
	struct vnode *v;

	(void)state;
	assert_int_equal(vfs_open(U, NULL, "/tmp/mine", UO_WRITE | UO_CREAT, 0666, &v), 0);
	vnode_rele(v);
	assert_int_equal(vfs_unlink(&O, NULL, "/tmp/mine"), -U_EPERM);
	assert_int_equal(vfs_rename(&O, NULL, "/tmp/mine", NULL, "/tmp/theirs"), -U_EPERM);
	assert_int_equal(vfs_open(&O, NULL, "/tmp/o", UO_WRITE | UO_CREAT, 0666, &v), 0);
	vnode_rele(v);
	assert_int_equal(vfs_rename(&O, NULL, "/tmp/o", NULL, "/tmp/mine"), -U_EPERM);
	assert_int_equal(vfs_unlink(U, NULL, "/tmp/mine"), 0);
	assert_int_equal(vfs_unlink(R, NULL, "/tmp/o"), 0);
}

/* A callback filesystem like a personality's /proc: nodes made at lookup, freed at release. */
static int proc_live;
static const struct vnode_ops proc_ops;

static struct vnode *proc_node(struct mount *m, enum vtype type, uint64_t ino)
{
	struct vnode *v = malloc(sizeof(*v));

	vnode_init(v, m, &proc_ops, type);
	v->attr.ino = ino;
	v->attr.mode = type == VDIR ? 0555 : 0444;
	proc_live++;
	return v;
}

static int proc_lookup(struct vnode *dir, const char *name, size_t len, struct vnode **out)
{
	if (len == 2 && memcmp(name, "..", 2) == 0)
		*out = vnode_ref(dir->mnt->root);
	else if (dir == dir->mnt->root && len == 4 && memcmp(name, "self", 4) == 0)
		*out = proc_node(dir->mnt, VLNK, 2);
	else if (dir == dir->mnt->root && len == 2 && memcmp(name, "42", 2) == 0)
		*out = proc_node(dir->mnt, VDIR, 3);
	else if (dir->attr.ino == 3 && len == 6 && memcmp(name, "status", 6) == 0)
		*out = proc_node(dir->mnt, VREG, 4);
	else
		return -U_ENOENT;
	return 0;
}

static long proc_readlink(struct vnode *v, char *buf, size_t n)
{
	(void)v;
	memcpy(buf, "42", n < 2 ? n : 2);
	return n < 2 ? (long)n : 2;
}

static long proc_read(struct vnode *v, void *buf, size_t n, uint64_t off)
{
	(void)v;
	if (off >= 3)
		return 0;
	n = n < 3 - off ? n : 3 - off;
	memcpy(buf, "ok\n" + off, n);
	return (long)n;
}

static void proc_inactive(struct vnode *v)
{
	if (v != v->mnt->root) {
		proc_live--;
		free(v);
	}
}

static const struct vnode_ops proc_ops = {
	.lookup = proc_lookup, .readlink = proc_readlink, .read = proc_read,
	.inactive = proc_inactive,
};

static void test_mounts(void **state)
{
	struct mount *dev, *pts, *proc;
	struct vnode *v;
	char buf[8];

	(void)state;
	assert_int_equal(vfs_mkdir(R, NULL, "/dev", 0755), 0);
	assert_int_equal(vfs_mkdir(R, NULL, "/proc", 0555), 0);
	fx_write("/dev/hidden", "under");
	dev = tmpfs_new(0755, 0, 0, 0, 0);
	assert_int_equal(vfs_lookup(R, NULL, "/dev", 0, &v), 0);
	assert_int_equal(vfs_mount(v, dev), 0);
	assert_int_equal(vfs_mount(v, dev), -U_EBUSY);
	vnode_rele(v);
	assert_int_equal(fx_lookup_err(R, "/dev/hidden", 0), -U_ENOENT);	/* covered */
	fx_write("/dev/null", "");
	assert_int_equal(fx_stat("/dev/null", 0).dev, dev->id);
	assert_int_not_equal(fx_stat("/tmp", 0).dev, dev->id);
	assert_int_equal(vfs_lookup(R, NULL, "/dev/..", 0, &v), 0);
	assert_ptr_equal(v, fx_mnt->root);
	vnode_rele(v);
	assert_int_equal(fx_lookup_err(R, "/dev/../tmp", 0), 0);
	assert_int_equal(vfs_rmdir(R, NULL, "/dev"), -U_EBUSY);
	assert_int_equal(vfs_rename(R, NULL, "/dev", NULL, "/dev2"), -U_EBUSY);
	assert_int_equal(vfs_rename(R, NULL, "/dev/null", NULL, "/tmp/null"), -U_EXDEV);
	assert_int_equal(vfs_link(R, NULL, "/dev/null", NULL, "/tmp/null", 0), -U_EXDEV);
	assert_int_equal(vfs_lookup(R, NULL, "/dev/null", 0, &v), 0);
	assert_int_equal(vfs_mount(v, dev), -U_ENOTDIR);
	vnode_rele(v);
	/* A mount inside a mount keeps the outer one mounted. */
	assert_int_equal(vfs_mkdir(R, NULL, "/dev/pts", 0755), 0);
	pts = tmpfs_new(0755, 0, 0, 0, 0);
	assert_int_equal(vfs_lookup(R, NULL, "/dev/pts", 0, &v), 0);
	assert_int_equal(vfs_mount(v, pts), 0);
	vnode_rele(v);
	assert_int_equal(vfs_unmount(dev), -U_EBUSY);
	assert_int_equal(fx_lookup_err(R, "/dev/pts/../../tmp", 0), 0);

	/* The callback filesystem on /proc. */
	proc = vfs_mount_new("proc");
	proc->root = proc_node(proc, VDIR, 1);
	assert_int_equal(vfs_lookup(R, NULL, "/proc", 0, &v), 0);
	assert_int_equal(vfs_mount(v, proc), 0);
	vnode_rele(v);
	assert_string_equal(fx_read("/proc/self/status", buf), "ok\n");
	assert_string_equal(fx_read("/proc/42/status", buf), "ok\n");
	assert_int_equal(vfs_lookup(R, NULL, "/proc/self", UAT_NOFOLLOW, &v), 0);
	assert_int_equal(vfs_readlink(v, buf, sizeof(buf)), 2);
	vnode_rele(v);
	assert_int_equal(proc_live, 1);		/* only the root is left */
	assert_int_equal(vfs_lookup(R, NULL, "/proc/self/../..", 0, &v), 0);
	assert_ptr_equal(v, fx_mnt->root);
	vnode_rele(v);
	assert_int_equal(fx_lookup_err(R, "/proc/1", 0), -U_ENOENT);
	assert_int_equal(vfs_mkdir(R, NULL, "/proc/x", 0755), -U_EROFS);
	assert_int_equal(vfs_unlink(R, NULL, "/proc/self"), -U_EROFS);
	assert_int_equal(proc_live, 1);
	assert_int_equal(vfs_unmount(proc), 0);
	assert_int_equal(fx_lookup_err(R, "/proc/self", 0), -U_ENOENT);
	free(proc->root);
	free(proc);
	proc_live = 0;
}

static void test_getcwd(void **state)
{
	struct vfs_ctx c = fx_root_ctx;
	char buf[64];
	struct mount *m;
	struct vnode *v;

	(void)state;
	assert_int_equal(vfs_getcwd(&c, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "/");
	assert_int_equal(vfs_mkdir(R, NULL, "/a", 0755), 0);
	assert_int_equal(vfs_mkdir(R, NULL, "/a/bb", 0755), 0);
	assert_int_equal(vfs_lookup(R, NULL, "/a/bb", 0, &c.cwd), 0);
	assert_int_equal(vfs_getcwd(&c, buf, sizeof(buf)), 5);
	assert_string_equal(buf, "/a/bb");
	assert_int_equal(vfs_getcwd(&c, buf, 5), -U_ERANGE);
	assert_int_equal(vfs_rename(R, NULL, "/a", NULL, "/tmp/z"), 0);
	assert_int_equal(vfs_getcwd(&c, buf, sizeof(buf)), 9);
	assert_string_equal(buf, "/tmp/z/bb");
	/* Removed while we are in it: no path, but ".." still leads out. */
	assert_int_equal(vfs_rmdir(R, NULL, "/tmp/z/bb"), 0);
	assert_int_equal(vfs_getcwd(&c, buf, sizeof(buf)), -U_ENOENT);
	assert_int_equal(fx_lookup_err(&c, "x", 0), -U_ENOENT);
	assert_int_equal(vfs_mkdir(&c, NULL, "x", 0755), -U_ENOENT);
	assert_int_equal(vfs_lookup(&c, NULL, "..", 0, &v), 0);
	assert_int_equal(v->attr.ino, fx_stat("/tmp/z", 0).ino);
	vnode_rele(v);
	vnode_rele(c.cwd);
	/* Inside a mounted filesystem. */
	m = tmpfs_new(0755, 0, 0, 0, 0);
	assert_int_equal(vfs_lookup(R, NULL, "/tmp/z", 0, &v), 0);
	assert_int_equal(vfs_mount(v, m), 0);
	vnode_rele(v);
	assert_int_equal(vfs_mkdir(R, NULL, "/tmp/z/in", 0755), 0);
	assert_int_equal(vfs_lookup(R, NULL, "/tmp/z/in", 0, &c.cwd), 0);
	assert_int_equal(vfs_getcwd(&c, buf, sizeof(buf)), 9);
	assert_string_equal(buf, "/tmp/z/in");
	vnode_rele(c.cwd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_resolution_dots_and_slashes),
		FX_TEST(test_name_and_path_limits),
		FX_TEST(test_symlinks),
		FX_TEST(test_open_flags),
		FX_TEST(test_mkdir_rmdir),
		FX_TEST(test_unlinked_open_file_stays_readable),
		FX_TEST(test_link),
		FX_TEST(test_rename_files),
		FX_TEST(test_rename_directories),
		FX_TEST(test_permissions),
		FX_TEST(test_sticky_directory),
		FX_TEST(test_mounts),
		FX_TEST(test_getcwd),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
