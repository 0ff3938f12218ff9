/*
 * Linux file system calls that describe files: the stat family, statx, getdents64
 * (and the old getdents), statfs and fstatfs.
 */
#include <string.h>
#include "lxfs.h"
#include "personalities/common/tmpfs.h"

static void fill_stat(const struct vattr *va, struct linux_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = lx_encode_dev(UDEV(0, va->dev));
	st->st_ino = va->ino;
	st->st_nlink = va->nlink;
	st->st_mode = lx_mode_type(va->type) | (va->mode & U_S_IPERM);
	st->st_uid = va->uid;
	st->st_gid = va->gid;
	st->st_rdev = va->type == VCHR ? lx_encode_dev(va->rdev) : 0;
	st->st_size = (int64_t)va->size;
	st->st_blksize = 4096;
	st->st_blocks = (int64_t)va->blocks;
	st->st_atim = (struct linux_timespec){ va->atime.sec, va->atime.nsec };
	st->st_mtim = (struct linux_timespec){ va->mtime.sec, va->mtime.nsec };
	st->st_ctim = (struct linux_timespec){ va->ctime.sec, va->ctime.nsec };
}

/* The attributes of what dirfd/path names, or of dirfd itself for "" with
   AT_EMPTY_PATH (which works on pipes too). */
static long stat_at(struct lx_thread *t, int dirfd, uint64_t upath, uint64_t flags,
		    struct vattr *va)
{
	static char path[U_PATH_MAX];
	unsigned uat = (flags & LINUX_AT_SYMLINK_NOFOLLOW) ? UAT_NOFOLLOW : 0;
	struct vfs_ctx ctx;
	struct vnode *dir, *v;
	struct file *f;
	long r;

	if ((r = lx_path_in(t, upath, path)) < 0)
		return r;
	if (path[0] == '\0' && (flags & LINUX_AT_EMPTY_PATH) && dirfd != LINUX_AT_FDCWD) {
		if ((r = lx_fd_get(t, dirfd, &f)) < 0)
			return r;
		lx_file_attr(f, va);
		file_rele(f);
		return 0;
	}
	if (flags & LINUX_AT_EMPTY_PATH)
		uat |= UAT_EMPTY_PATH;
	lx_proc_vfs_ctx(t->proc, &ctx);
	if ((r = lx_at_dir(t, dirfd, path, &dir)) < 0)
		return r;
	r = lx_err(vfs_lookup(&ctx, dir, path, uat, &v));
	vnode_rele(dir);
	if (r < 0)
		return r;
	vfs_getattr(v, va);
	vnode_rele(v);
	return 0;
}

static long stat_out(struct lx_thread *t, const struct vattr *va, uint64_t ubuf)
{
	struct linux_stat st;

	fill_stat(va, &st);
	return lx_copyout(t->proc, ubuf, &st, sizeof(st)) < 0 ? -LINUX_EFAULT : 0;
}

static long do_stat(struct lx_thread *t, int dirfd, uint64_t upath, uint64_t ubuf,
		    uint64_t flags)
{
	struct vattr va;
	long r;

	if (flags & ~(uint64_t)(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH |
				LINUX_AT_NO_AUTOMOUNT))
		return -LINUX_EINVAL;
	if ((r = stat_at(t, dirfd, upath, flags, &va)) < 0)
		return r;
	return stat_out(t, &va, ubuf);
}

LX_SYSCALL(stat)
{
	return do_stat(t, LINUX_AT_FDCWD, a[0], a[1], 0);
}

LX_SYSCALL(lstat)
{
	return do_stat(t, LINUX_AT_FDCWD, a[0], a[1], LINUX_AT_SYMLINK_NOFOLLOW);
}

LX_SYSCALL(newfstatat)
{
	return do_stat(t, (int)a[0], a[1], a[2], a[3]);
}

LX_SYSCALL(fstat)
{
	struct vattr va;
	struct file *f;
	long r = lx_fd_get(t, (int)a[0], &f);

	if (r < 0)
		return r;
	lx_file_attr(f, &va);
	file_rele(f);
	return stat_out(t, &va, a[1]);
}

static struct linux_statx_timestamp stx_time(const struct utimespec *ts)
{
	return (struct linux_statx_timestamp){ ts->sec, (uint32_t)ts->nsec, 0 };
}

/* statx(dirfd, path, flags, mask, buf): everything basic is always known here. */
LX_SYSCALL(statx)
{
	struct linux_statx stx;
	struct vattr va;
	uint64_t flags = a[2];
	long r;

	if (flags & ~(uint64_t)(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH |
				LINUX_AT_NO_AUTOMOUNT | LINUX_AT_STATX_SYNC_TYPE))
		return -LINUX_EINVAL;
	if ((flags & LINUX_AT_STATX_SYNC_TYPE) == LINUX_AT_STATX_SYNC_TYPE)
		return -LINUX_EINVAL;
	if (a[3] & 0x80000000u)		/* STATX__RESERVED */
		return -LINUX_EINVAL;
	if ((r = stat_at(t, (int)a[0], a[1], flags, &va)) < 0)
		return r;
	memset(&stx, 0, sizeof(stx));
	stx.stx_mask = LINUX_STATX_BASIC_STATS | LINUX_STATX_MNT_ID;
	stx.stx_blksize = 4096;
	stx.stx_nlink = va.nlink;
	stx.stx_uid = va.uid;
	stx.stx_gid = va.gid;
	stx.stx_mode = (uint16_t)(lx_mode_type(va.type) | (va.mode & U_S_IPERM));
	stx.stx_ino = va.ino;
	stx.stx_size = va.size;
	stx.stx_blocks = va.blocks;
	stx.stx_atime = stx_time(&va.atime);
	stx.stx_mtime = stx_time(&va.mtime);
	stx.stx_ctime = stx_time(&va.ctime);
	if (va.type == VCHR) {
		stx.stx_rdev_major = UDEV_MAJOR(va.rdev);
		stx.stx_rdev_minor = UDEV_MINOR(va.rdev);
	}
	stx.stx_dev_major = 0;
	stx.stx_dev_minor = (uint32_t)va.dev;
	stx.stx_mnt_id = va.dev;
	return lx_copyout(t->proc, a[4], &stx, sizeof(stx)) < 0 ? -LINUX_EFAULT : 0;
}

/* One record of the old getdents: d_ino, d_off, d_reclen, name, NUL, pad, d_type last. */
#define OLD_DIRENT_NAME	18
static size_t old_reclen(size_t namelen)
{
	return (OLD_DIRENT_NAME + namelen + 2 + 7) & ~(size_t)7;
}

/*
 * getdents64 and getdents: as many records as fit in count bytes, built in
 * lx_bounce. An entry that does not fit is given back (the cookie goes back to it).
 */
static long do_getdents(struct lx_thread *t, int fd, uint64_t ubuf, uint64_t count, bool old)
{
	struct udirent de;
	struct file *f;
	size_t used = 0, max = count < LX_BOUNCE_SIZE ? (size_t)count : LX_BOUNCE_SIZE;
	uint64_t start;
	long r = lx_fd_get(t, fd, &f);

	if (r < 0)
		return r;
	if (f->kind != FILE_VNODE || f->vp->attr.type != VDIR) {
		file_rele(f);
		return -LINUX_ENOTDIR;
	}
	if (f->flags & UO_PATH) {
		file_rele(f);
		return -LINUX_EBADF;
	}
	start = f->offset;
	for (;;) {
		uint64_t before = f->offset;
		size_t len;

		if ((r = file_readdir(f, &de)) <= 0)
			break;
		len = old ? old_reclen(de.namelen) : LINUX_DIRENT64_RECLEN(de.namelen);
		if (used + len > max) {
			f->offset = before;
			break;
		}
		memset(lx_bounce + used, 0, len);
		if (old) {
			uint64_t ino = de.ino, off = de.next;
			uint16_t reclen = (uint16_t)len;

			memcpy(lx_bounce + used, &ino, 8);
			memcpy(lx_bounce + used + 8, &off, 8);
			memcpy(lx_bounce + used + 16, &reclen, 2);
			memcpy(lx_bounce + used + OLD_DIRENT_NAME, de.name, de.namelen);
			lx_bounce[used + len - 1] = lx_dtype(de.type);
		} else {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(lx_bounce + used);

			d->d_ino = de.ino;
			d->d_off = (int64_t)de.next;
			d->d_reclen = (uint16_t)len;
			d->d_type = lx_dtype(de.type);
			memcpy(d->d_name, de.name, de.namelen);
		}
		used += len;
	}
	if (r < 0 && used == 0) {
		r = lx_err(r);
	} else if (used == 0 && r > 0) {
		r = -LINUX_EINVAL;	/* the buffer holds not even one record */
	} else if (lx_copyout(t->proc, ubuf, lx_bounce, used) < 0) {
		f->offset = start;
		r = -LINUX_EFAULT;
	} else {
		r = (long)used;
	}
	file_rele(f);
	return r;
}

LX_SYSCALL(getdents64)
{
	return do_getdents(t, (int)a[0], a[1], a[2], false);
}

LX_SYSCALL(getdents)
{
	return do_getdents(t, (int)a[0], a[1], a[2], true);
}

static void fill_statfs(struct mount *m, struct linux_statfs *sf)
{
	memset(sf, 0, sizeof(*sf));
	sf->f_bsize = 4096;
	sf->f_frsize = 4096;
	sf->f_namelen = U_NAME_MAX;
	sf->f_fsid[0] = m ? (int32_t)m->id : 0;
	if (m && strcmp(m->fstype, "tmpfs") == 0) {
		struct tmpfs_mount *tm = m->data;

		sf->f_type = LINUX_TMPFS_MAGIC;
		/* Without a limit, the filesystem is as big as what it holds. */
		sf->f_blocks = tm->max_pages ? tm->max_pages : tm->pages;
		sf->f_bfree = sf->f_bavail = sf->f_blocks - tm->pages;
		sf->f_files = tm->max_nodes ? tm->max_nodes : tm->nodes;
		sf->f_ffree = sf->f_files - tm->nodes;
	} else if (m && strcmp(m->fstype, "proc") == 0) {
		sf->f_type = LINUX_PROC_SUPER_MAGIC;
	} else {
		sf->f_type = LINUX_PIPEFS_MAGIC;
	}
}

LX_SYSCALL(statfs)
{
	struct linux_statfs sf;
	struct vfs_ctx ctx;
	struct vnode *v;
	static char path[U_PATH_MAX];
	long r;

	if ((r = lx_path_in(t, a[0], path)) < 0)
		return r;
	lx_proc_vfs_ctx(t->proc, &ctx);
	if ((r = lx_err(vfs_lookup(&ctx, NULL, path, 0, &v))) < 0)
		return r;
	fill_statfs(v->mnt, &sf);
	vnode_rele(v);
	return lx_copyout(t->proc, a[1], &sf, sizeof(sf)) < 0 ? -LINUX_EFAULT : 0;
}

LX_SYSCALL(fstatfs)
{
	struct linux_statfs sf;
	struct file *f;
	long r = lx_fd_get(t, (int)a[0], &f);

	if (r < 0)
		return r;
	fill_statfs(f->kind == FILE_VNODE ? f->vp->mnt : NULL, &sf);
	file_rele(f);
	return lx_copyout(t->proc, a[1], &sf, sizeof(sf)) < 0 ? -LINUX_EFAULT : 0;
}
