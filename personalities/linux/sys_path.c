/*
 * Linux file system calls that take paths: the open, mkdir, unlink, rename, link,
 * symlink and readlink families, permissions, owners, times, truncation, the working
 * and root directories, and access. Each copies its path in, resolves its *at
 * directory and calls the core (vfs.h) with the process's context.
 */
#include <string.h>
#include "lxfs.h"

/* One request at a time: the paths of the call being served. */
static char path1[U_PATH_MAX], path2[U_PATH_MAX];

/* A path call's start: the path in buf, the context, the *at directory (vnode_rele). */
static long at_begin(struct lx_thread *t, int dirfd, uint64_t upath, char *buf,
		     struct vfs_ctx *ctx, struct vnode **dir)
{
	long r = lx_path_in(t, upath, buf);

	*dir = NULL;
	if (r < 0)
		return r;
	lx_proc_vfs_ctx(t->proc, ctx);
	return lx_at_dir(t, dirfd, buf, dir);
}

/* The vnode a path names (uat: UAT_*), with a reference. */
static long at_lookup(struct lx_thread *t, int dirfd, uint64_t upath, unsigned uat,
		      struct vfs_ctx *ctx, struct vnode **out)
{
	struct vnode *dir;
	long r = at_begin(t, dirfd, upath, path1, ctx, &dir);

	if (r < 0)
		return r;
	r = lx_err(vfs_lookup(ctx, dir, path1, uat, out));
	vnode_rele(dir);
	return r;
}

static unsigned at_flags(uint64_t flags)
{
	return ((flags & LINUX_AT_SYMLINK_NOFOLLOW) ? UAT_NOFOLLOW : 0) |
	       ((flags & LINUX_AT_EMPTY_PATH) ? UAT_EMPTY_PATH : 0);
}

static long do_open(struct lx_thread *t, int dirfd, uint64_t upath, uint64_t flags,
		    uint32_t mode)
{
	struct vfs_ctx ctx;
	struct vnode *dir;
	struct file *f;
	unsigned of = lx_oflags_in(flags);
	long r;

	if ((flags & LINUX_O_TMPFILE) == LINUX_O_TMPFILE)
		return -LINUX_EOPNOTSUPP;
	if ((r = at_begin(t, dirfd, upath, path1, &ctx, &dir)) < 0)
		return r;
	r = file_open(&ctx, dir, path1, of, mode & 07777 & ~t->proc->umask, &f);
	vnode_rele(dir);
	if (r < 0)
		return lx_err(r);
	lx_pipe_watch(f);
	r = fdt_install(t->proc->fdt, f, 0, (of & UO_CLOEXEC) ? FDT_CLOEXEC : 0);
	file_rele(f);
	return lx_err(r);
}

LX_SYSCALL(open)
{
	return do_open(t, LINUX_AT_FDCWD, a[0], a[1], (uint32_t)a[2]);
}

LX_SYSCALL(openat)
{
	return do_open(t, (int)a[0], a[1], a[2], (uint32_t)a[3]);
}

LX_SYSCALL(creat)
{
	return do_open(t, LINUX_AT_FDCWD, a[0], LINUX_O_CREAT | LINUX_O_WRONLY | LINUX_O_TRUNC,
		       (uint32_t)a[1]);
}

static long do_mkdir(struct lx_thread *t, int dirfd, uint64_t upath, uint32_t mode)
{
	struct vfs_ctx ctx;
	struct vnode *dir;
	long r = at_begin(t, dirfd, upath, path1, &ctx, &dir);

	if (r < 0)
		return r;
	r = lx_err(vfs_mkdir(&ctx, dir, path1, mode & 01777 & ~t->proc->umask));
	vnode_rele(dir);
	return r;
}

LX_SYSCALL(mkdir)
{
	return do_mkdir(t, LINUX_AT_FDCWD, a[0], (uint32_t)a[1]);
}

LX_SYSCALL(mkdirat)
{
	return do_mkdir(t, (int)a[0], a[1], (uint32_t)a[2]);
}

static long do_mknod(struct lx_thread *t, int dirfd, uint64_t upath, uint32_t mode,
		     uint64_t dev)
{
	struct vfs_ctx ctx;
	struct vnode *dir;
	enum vtype type;
	long r;

	switch (mode & LINUX_S_IFMT) {
	case 0:
	case LINUX_S_IFREG:
		type = VREG;
		break;
	case LINUX_S_IFIFO:
		type = VFIFO;
		break;
	case LINUX_S_IFCHR:
		type = VCHR;
		break;
	case LINUX_S_IFDIR:
		return -LINUX_EPERM;
	case LINUX_S_IFBLK:
		if (t->proc->cred.uid != 0)
			return -LINUX_EPERM;
		return -LINUX_EINVAL;		/* no block devices here */
	default:
		return -LINUX_EINVAL;		/* sockets: not in this filesystem */
	}
	if ((r = at_begin(t, dirfd, upath, path1, &ctx, &dir)) < 0)
		return r;
	r = lx_err(vfs_mknod(&ctx, dir, path1, type, mode & 07777 & ~t->proc->umask,
			     type == VCHR ? lx_decode_dev(dev) : 0));
	vnode_rele(dir);
	return r;
}

LX_SYSCALL(mknod)
{
	return do_mknod(t, LINUX_AT_FDCWD, a[0], (uint32_t)a[1], a[2]);
}

LX_SYSCALL(mknodat)
{
	return do_mknod(t, (int)a[0], a[1], (uint32_t)a[2], a[3]);
}

static long do_unlink(struct lx_thread *t, int dirfd, uint64_t upath, uint64_t flags)
{
	struct vfs_ctx ctx;
	struct vnode *dir;
	long r;

	if (flags & ~(uint64_t)LINUX_AT_REMOVEDIR)
		return -LINUX_EINVAL;
	if ((r = at_begin(t, dirfd, upath, path1, &ctx, &dir)) < 0)
		return r;
	if (flags & LINUX_AT_REMOVEDIR)
		r = lx_err(vfs_rmdir(&ctx, dir, path1));
	else
		r = lx_err(vfs_unlink(&ctx, dir, path1));
	vnode_rele(dir);
	return r;
}

LX_SYSCALL(unlink)
{
	return do_unlink(t, LINUX_AT_FDCWD, a[0], 0);
}

LX_SYSCALL(unlinkat)
{
	return do_unlink(t, (int)a[0], a[1], a[2]);
}

LX_SYSCALL(rmdir)
{
	return do_unlink(t, LINUX_AT_FDCWD, a[0], LINUX_AT_REMOVEDIR);
}

/* Two paths, each with its *at directory: the old in path1, the new in path2. */
static long two_paths(struct lx_thread *t, int odirfd, uint64_t opath, int ndirfd,
		      uint64_t npath, struct vfs_ctx *ctx, struct vnode **odir,
		      struct vnode **ndir)
{
	long r = at_begin(t, odirfd, opath, path1, ctx, odir);

	*ndir = NULL;
	if (r < 0)
		return r;
	if ((r = lx_path_in(t, npath, path2)) < 0 || (r = lx_at_dir(t, ndirfd, path2, ndir)) < 0) {
		vnode_rele(*odir);
		*odir = NULL;
	}
	return r;
}

static long do_rename(struct lx_thread *t, int odirfd, uint64_t opath, int ndirfd,
		      uint64_t npath, uint64_t flags)
{
	struct vfs_ctx ctx;
	struct vnode *odir, *ndir, *v;
	long r;

	if (flags & ~(uint64_t)LINUX_RENAME_NOREPLACE)
		return -LINUX_EINVAL;	/* exchange and whiteouts are not supported */
	if ((r = two_paths(t, odirfd, opath, ndirfd, npath, &ctx, &odir, &ndir)) < 0)
		return r;
	/* One server thread: nothing can appear between this check and the rename. */
	if ((flags & LINUX_RENAME_NOREPLACE) &&
	    vfs_lookup(&ctx, ndir, path2, UAT_NOFOLLOW, &v) == 0) {
		vnode_rele(v);
		r = -LINUX_EEXIST;
	} else {
		r = lx_err(vfs_rename(&ctx, odir, path1, ndir, path2));
	}
	vnode_rele(odir);
	vnode_rele(ndir);
	return r;
}

LX_SYSCALL(rename)
{
	return do_rename(t, LINUX_AT_FDCWD, a[0], LINUX_AT_FDCWD, a[1], 0);
}

LX_SYSCALL(renameat)
{
	return do_rename(t, (int)a[0], a[1], (int)a[2], a[3], 0);
}

LX_SYSCALL(renameat2)
{
	return do_rename(t, (int)a[0], a[1], (int)a[2], a[3], a[4]);
}

static long do_link(struct lx_thread *t, int odirfd, uint64_t opath, int ndirfd,
		    uint64_t npath, uint64_t flags)
{
	struct vfs_ctx ctx;
	struct vnode *odir, *ndir;
	unsigned uat = (flags & LINUX_AT_SYMLINK_FOLLOW) ? 0 : UAT_NOFOLLOW;
	long r;

	if (flags & ~(uint64_t)(LINUX_AT_SYMLINK_FOLLOW | LINUX_AT_EMPTY_PATH))
		return -LINUX_EINVAL;
	if (flags & LINUX_AT_EMPTY_PATH) {
		if (t->proc->cred.uid != 0)
			return -LINUX_ENOENT;	/* Linux needs CAP_DAC_READ_SEARCH */
		uat |= UAT_EMPTY_PATH;
	}
	if ((r = two_paths(t, odirfd, opath, ndirfd, npath, &ctx, &odir, &ndir)) < 0)
		return r;
	r = lx_err(vfs_link(&ctx, odir, path1, ndir, path2, uat));
	vnode_rele(odir);
	vnode_rele(ndir);
	return r;
}

LX_SYSCALL(link)
{
	return do_link(t, LINUX_AT_FDCWD, a[0], LINUX_AT_FDCWD, a[1], 0);
}

LX_SYSCALL(linkat)
{
	return do_link(t, (int)a[0], a[1], (int)a[2], a[3], a[4]);
}

static long do_symlink(struct lx_thread *t, uint64_t target, int dirfd, uint64_t upath)
{
	struct vfs_ctx ctx;
	struct vnode *dir;
	long r;

	if ((r = lx_path_in(t, target, path2)) < 0)
		return r;
	if ((r = at_begin(t, dirfd, upath, path1, &ctx, &dir)) < 0)
		return r;
	r = lx_err(vfs_symlink(&ctx, path2, dir, path1));
	vnode_rele(dir);
	return r;
}

LX_SYSCALL(symlink)
{
	return do_symlink(t, a[0], LINUX_AT_FDCWD, a[1]);
}

LX_SYSCALL(symlinkat)
{
	return do_symlink(t, a[0], (int)a[1], a[2]);
}

static long do_readlink(struct lx_thread *t, int dirfd, uint64_t upath, uint64_t ubuf,
			int64_t size)
{
	struct vfs_ctx ctx;
	struct vnode *v;
	unsigned uat;
	long r;

	if (size <= 0)
		return -LINUX_EINVAL;
	/* readlinkat(fd, "") reads the link an O_PATH descriptor holds. */
	uat = UAT_NOFOLLOW | (dirfd == LINUX_AT_FDCWD ? 0 : UAT_EMPTY_PATH);
	if ((r = at_lookup(t, dirfd, upath, uat, &ctx, &v)) < 0)
		return r;
	if (v->attr.type != VLNK) {
		vnode_rele(v);
		return -LINUX_EINVAL;
	}
	r = lx_err(vfs_readlink(v, path2, sizeof(path2)));
	vnode_rele(v);
	if (r < 0)
		return r;
	if (r > size)
		r = size;
	return lx_copyout(t->proc, ubuf, path2, (size_t)r) < 0 ? -LINUX_EFAULT : r;
}

LX_SYSCALL(readlink)
{
	return do_readlink(t, LINUX_AT_FDCWD, a[0], a[1], (int64_t)a[2]);
}

LX_SYSCALL(readlinkat)
{
	return do_readlink(t, (int)a[0], a[1], a[2], (int64_t)a[3]);
}

/* The vnode behind a descriptor for fchmod, fchown, fchdir and the like. */
static long fd_vnode(struct lx_thread *t, int fd, bool path_ok, struct vnode **out)
{
	struct file *f;
	long r = lx_fd_get(t, fd, &f);

	if (r < 0)
		return r;
	if (f->kind != FILE_VNODE || (!path_ok && (f->flags & UO_PATH))) {
		r = f->kind != FILE_VNODE ? -LINUX_EINVAL : -LINUX_EBADF;
		file_rele(f);
		return r;
	}
	*out = vnode_ref(f->vp);
	file_rele(f);
	return 0;
}

LX_SYSCALL(chmod)
{
	struct vfs_ctx ctx;
	struct vnode *v;
	long r = at_lookup(t, LINUX_AT_FDCWD, a[0], 0, &ctx, &v);

	if (r < 0)
		return r;
	r = lx_err(vfs_chmod(&ctx, v, (uint32_t)a[1]));
	vnode_rele(v);
	return r;
}

LX_SYSCALL(fchmodat)
{
	struct vfs_ctx ctx;
	struct vnode *v;
	long r = at_lookup(t, (int)a[0], a[1], 0, &ctx, &v);

	if (r < 0)
		return r;
	r = lx_err(vfs_chmod(&ctx, v, (uint32_t)a[2]));
	vnode_rele(v);
	return r;
}

LX_SYSCALL(fchmod)
{
	struct vfs_ctx ctx;
	struct vnode *v;
	long r = fd_vnode(t, (int)a[0], false, &v);

	if (r == -LINUX_EINVAL)
		return 0;		/* a pipe: its inode's mode is nobody's business */
	if (r < 0)
		return r;
	lx_proc_vfs_ctx(t->proc, &ctx);
	r = lx_err(vfs_chmod(&ctx, v, (uint32_t)a[1]));
	vnode_rele(v);
	return r;
}

static long chown_at(struct lx_thread *t, int dirfd, uint64_t upath, uint64_t uid,
		     uint64_t gid, uint64_t flags)
{
	struct vfs_ctx ctx;
	struct vnode *v;
	long r;

	if (flags & ~(uint64_t)(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH))
		return -LINUX_EINVAL;
	if ((r = at_lookup(t, dirfd, upath, at_flags(flags), &ctx, &v)) < 0)
		return r;
	r = lx_err(vfs_chown(&ctx, v, (uint32_t)uid, (uint32_t)gid));
	vnode_rele(v);
	return r;
}

LX_SYSCALL(chown)
{
	return chown_at(t, LINUX_AT_FDCWD, a[0], a[1], a[2], 0);
}

LX_SYSCALL(lchown)
{
	return chown_at(t, LINUX_AT_FDCWD, a[0], a[1], a[2], LINUX_AT_SYMLINK_NOFOLLOW);
}

LX_SYSCALL(fchownat)
{
	return chown_at(t, (int)a[0], a[1], a[2], a[3], a[4]);
}

LX_SYSCALL(fchown)
{
	struct vfs_ctx ctx;
	struct vnode *v;
	long r = fd_vnode(t, (int)a[0], false, &v);

	if (r == -LINUX_EINVAL)
		return 0;
	if (r < 0)
		return r;
	lx_proc_vfs_ctx(t->proc, &ctx);
	r = lx_err(vfs_chown(&ctx, v, (uint32_t)a[1], (uint32_t)a[2]));
	vnode_rele(v);
	return r;
}

LX_SYSCALL(umask)
{
	uint32_t old = t->proc->umask;

	t->proc->umask = (uint32_t)a[0] & 0777;
	return old;
}

LX_SYSCALL(truncate)
{
	struct vfs_ctx ctx;
	struct vnode *v;
	long r;

	if ((int64_t)a[1] < 0)
		return -LINUX_EINVAL;
	if ((r = at_lookup(t, LINUX_AT_FDCWD, a[0], 0, &ctx, &v)) < 0)
		return r;
	r = lx_err(vfs_truncate(&ctx, v, a[1]));
	vnode_rele(v);
	return r;
}

LX_SYSCALL(ftruncate)
{
	struct file *f;
	long r;

	if ((int64_t)a[1] < 0)
		return -LINUX_EINVAL;
	if ((r = lx_fd_get(t, (int)a[0], &f)) < 0)
		return r;
	r = (f->flags & UO_PATH) ? -LINUX_EBADF : lx_err(file_truncate(f, a[1]));
	file_rele(f);
	return r;
}

/* Sets times on what dirfd/path names (upath 0: dirfd itself, as futimens). */
static long set_times(struct lx_thread *t, int dirfd, uint64_t upath, unsigned uat,
		      const struct utimespec *ts)
{
	struct vfs_ctx ctx;
	struct vnode *v;
	long r;

	if (upath == 0) {
		if (dirfd == LINUX_AT_FDCWD)
			return -LINUX_EFAULT;
		if ((r = fd_vnode(t, dirfd, true, &v)) < 0)
			return r == -LINUX_EINVAL ? 0 : r;
		lx_proc_vfs_ctx(t->proc, &ctx);
	} else if ((r = at_lookup(t, dirfd, upath, uat, &ctx, &v)) < 0) {
		return r;
	}
	r = lx_err(vfs_utimes(&ctx, v, ts));
	vnode_rele(v);
	return r;
}

static long timespec_in(const struct linux_timespec *l, struct utimespec *u)
{
	u->sec = l->tv_sec;
	if (l->tv_nsec == LINUX_UTIME_NOW)
		u->nsec = U_UTIME_NOW;
	else if (l->tv_nsec == LINUX_UTIME_OMIT)
		u->nsec = U_UTIME_OMIT;
	else if (l->tv_nsec < 0 || l->tv_nsec >= 1000000000)
		return -LINUX_EINVAL;
	else
		u->nsec = l->tv_nsec;
	return 0;
}

LX_SYSCALL(utimensat)
{
	struct linux_timespec lts[2];
	struct utimespec ts[2];
	uint64_t flags = a[3];

	if (flags & ~(uint64_t)(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH))
		return -LINUX_EINVAL;
	if (a[2] == 0)
		return set_times(t, (int)a[0], a[1], at_flags(flags), NULL);
	if (lx_copyin(t->proc, a[2], lts, sizeof(lts)) < 0)
		return -LINUX_EFAULT;
	if (timespec_in(&lts[0], &ts[0]) < 0 || timespec_in(&lts[1], &ts[1]) < 0)
		return -LINUX_EINVAL;
	if (ts[0].nsec == U_UTIME_OMIT && ts[1].nsec == U_UTIME_OMIT)
		return 0;
	return set_times(t, (int)a[0], a[1], at_flags(flags), ts);
}

/* utimes and futimesat: microsecond times, or NULL for now. */
static long timeval_times(struct lx_thread *t, int dirfd, uint64_t upath, uint64_t utv)
{
	struct linux_timeval tv[2];
	struct utimespec ts[2];

	if (utv == 0)
		return set_times(t, dirfd, upath, 0, NULL);
	if (lx_copyin(t->proc, utv, tv, sizeof(tv)) < 0)
		return -LINUX_EFAULT;
	for (int i = 0; i < 2; i++) {
		if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
			return -LINUX_EINVAL;
		ts[i].sec = tv[i].tv_sec;
		ts[i].nsec = tv[i].tv_usec * 1000;
	}
	return set_times(t, dirfd, upath, 0, ts);
}

LX_SYSCALL(utimes)
{
	return timeval_times(t, LINUX_AT_FDCWD, a[0], a[1]);
}

LX_SYSCALL(futimesat)
{
	return timeval_times(t, (int)a[0], a[1], a[2]);
}

LX_SYSCALL(utime)
{
	int64_t ub[2];		/* struct utimbuf: actime, modtime */
	struct utimespec ts[2];

	if (a[1] == 0)
		return set_times(t, LINUX_AT_FDCWD, a[0], 0, NULL);
	if (lx_copyin(t->proc, a[1], ub, sizeof(ub)) < 0)
		return -LINUX_EFAULT;
	ts[0] = (struct utimespec){ ub[0], 0 };
	ts[1] = (struct utimespec){ ub[1], 0 };
	return set_times(t, LINUX_AT_FDCWD, a[0], 0, ts);
}

/* Makes v (a reference, consumed) the process's cwd or root after the checks. */
static long set_dir(struct lx_thread *t, struct vnode *v, struct vnode **slot)
{
	long r = 0;

	if (v->attr.type != VDIR)
		r = -LINUX_ENOTDIR;
	else
		r = lx_err(vfs_access(v, &t->proc->cred, U_X_OK));
	if (r < 0) {
		vnode_rele(v);
		return r;
	}
	vnode_rele(*slot);
	*slot = v;
	return 0;
}

LX_SYSCALL(chdir)
{
	struct vfs_ctx ctx;
	struct vnode *v;
	long r = at_lookup(t, LINUX_AT_FDCWD, a[0], 0, &ctx, &v);

	return r < 0 ? r : set_dir(t, v, &t->proc->cwd);
}

LX_SYSCALL(fchdir)
{
	struct vnode *v;
	long r = fd_vnode(t, (int)a[0], true, &v);

	if (r == -LINUX_EINVAL)
		return -LINUX_ENOTDIR;
	return r < 0 ? r : set_dir(t, v, &t->proc->cwd);
}

LX_SYSCALL(chroot)
{
	struct vfs_ctx ctx;
	struct vnode *v;
	long r;

	if (t->proc->cred.uid != 0)
		return -LINUX_EPERM;
	if ((r = at_lookup(t, LINUX_AT_FDCWD, a[0], 0, &ctx, &v)) < 0)
		return r;
	return set_dir(t, v, &t->proc->root);
}

LX_SYSCALL(getcwd)
{
	struct vfs_ctx ctx;
	size_t size = a[1] < sizeof(path1) ? (size_t)a[1] : sizeof(path1);
	long r;

	lx_proc_vfs_ctx(t->proc, &ctx);
	if ((r = lx_err(vfs_getcwd(&ctx, path1, size))) < 0)
		return r;
	if (lx_copyout(t->proc, a[0], path1, (size_t)r + 1) < 0)
		return -LINUX_EFAULT;
	return r + 1;		/* the system call counts the NUL */
}

/* access and faccessat: with the real ids unless AT_EACCESS. */
static long do_access(struct lx_thread *t, int dirfd, uint64_t upath, uint64_t mode,
		      uint64_t flags)
{
	struct lx_proc *p = t->proc;
	struct ucred real = p->cred;
	struct vfs_ctx ctx;
	struct vnode *dir, *v;
	long r;

	if (mode & ~(uint64_t)(LINUX_R_OK | LINUX_W_OK | LINUX_X_OK))
		return -LINUX_EINVAL;
	if (flags & ~(uint64_t)(LINUX_AT_EACCESS | LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH))
		return -LINUX_EINVAL;
	if ((r = at_begin(t, dirfd, upath, path1, &ctx, &dir)) < 0)
		return r;
	if (!(flags & LINUX_AT_EACCESS)) {
		real.uid = p->uid;
		real.gid = p->gid;
		ctx.cred = &real;
	}
	r = lx_err(vfs_lookup(&ctx, dir, path1, at_flags(flags), &v));
	vnode_rele(dir);
	if (r < 0)
		return r;
	if (mode)
		r = lx_err(vfs_access(v, ctx.cred, (int)mode));
	vnode_rele(v);
	return r;
}

LX_SYSCALL(access)
{
	return do_access(t, LINUX_AT_FDCWD, a[0], a[1], 0);
}

LX_SYSCALL(faccessat)
{
	return do_access(t, (int)a[0], a[1], a[2], 0);
}

LX_SYSCALL(faccessat2)
{
	return do_access(t, (int)a[0], a[1], a[2], a[3]);
}
