/*
 * The VFS operations: each resolves its paths, checks types, permissions and the
 * POSIX rules that do not depend on the filesystem, then calls the filesystem.
 */
#include <string.h>
#include "vfs.h"

int vfs_lookup(const struct vfs_ctx *ctx, struct vnode *at, const char *path, unsigned uat,
	       struct vnode **out)
{
	struct nameidata nd;
	unsigned flags = (uat & UAT_NOFOLLOW) ? 0 : NI_FOLLOW;
	int err;

	if (uat & UAT_EMPTY_PATH)
		flags |= NI_EMPTY;
	if ((err = namei(ctx, at, path, flags, &nd)) < 0)
		return err;
	if (!nd.vp) {
		namei_done(&nd);
		return -U_ENOENT;
	}
	*out = vnode_ref(nd.vp);
	namei_done(&nd);
	return 0;
}

/* The sticky bit: only the owner of the file or of the directory (or root) may remove it. */
static int sticky_ok(const struct ucred *cr, struct vnode *dir, struct vnode *v)
{
	if (!(dir->attr.mode & U_S_ISVTX) || cr->uid == 0 || cr->uid == v->attr.uid ||
	    cr->uid == dir->attr.uid)
		return 0;
	return -U_EPERM;
}

/* May cr add or remove names in dir? */
static int dir_writable(const struct ucred *cr, struct vnode *dir)
{
	return vfs_access(dir, cr, U_W_OK | U_X_OK);
}

/* Creates nd's last component, which must not exist, as described by va. */
static int create_last(const struct vfs_ctx *ctx, struct nameidata *nd, struct vattr *va,
		       const char *target, struct vnode **out)
{
	struct vnode *dir = nd->dir;
	int err;

	if (!dir || nd->vp)
		return -U_EEXIST;
	if (dir->attr.nlink == 0)	/* removed while someone still had it */
		return -U_ENOENT;
	if ((err = dir_writable(ctx->cred, dir)) < 0)
		return err;
	if (!dir->ops->create)
		return -U_EROFS;
	va->uid = ctx->cred->uid;
	/* A set-group-id directory hands its group down (and the bit to subdirectories). */
	if (dir->attr.mode & U_S_ISGID) {
		va->gid = dir->attr.gid;
		if (va->type == VDIR)
			va->mode |= U_S_ISGID;
	} else {
		va->gid = ctx->cred->gid;
	}
	return dir->ops->create(dir, nd->name, nd->len, va, target, out);
}

static int open_existing(const struct vfs_ctx *ctx, struct vnode *v, unsigned oflags)
{
	int want = 0, err;

	if ((oflags & (UO_CREAT | UO_EXCL)) == (UO_CREAT | UO_EXCL))
		return -U_EEXIST;
	if (v->attr.type == VLNK)
		return -U_ELOOP;	/* UO_NOFOLLOW met a symlink */
	if ((oflags & UO_DIRECTORY) && v->attr.type != VDIR)
		return -U_ENOTDIR;
	if (oflags & UO_PATH)
		return 0;
	if (v->attr.type == VDIR && (oflags & (UO_WRITE | UO_TRUNC | UO_CREAT)))
		return -U_EISDIR;
	if (oflags & UO_READ)
		want |= U_R_OK;
	if (oflags & UO_WRITE)
		want |= U_W_OK;
	if ((err = vfs_access(v, ctx->cred, want)) < 0)
		return err;
	if ((oflags & UO_TRUNC) && (oflags & UO_WRITE) && v->attr.type == VREG)
		return vfs_truncate(NULL, v, 0);
	return 0;
}

int vfs_open(const struct vfs_ctx *ctx, struct vnode *at, const char *path, unsigned oflags,
	     uint32_t perm, struct vnode **out)
{
	struct nameidata nd;
	bool excl = (oflags & (UO_CREAT | UO_EXCL)) == (UO_CREAT | UO_EXCL);
	unsigned flags = (oflags & UO_NOFOLLOW) || excl ? 0 : NI_FOLLOW;
	int err;

	if ((err = namei(ctx, at, path, flags, &nd)) < 0)
		return err;
	if (nd.vp) {
		err = open_existing(ctx, nd.vp, oflags);
		if (!err)
			*out = vnode_ref(nd.vp);
	} else if (!(oflags & UO_CREAT)) {
		err = -U_ENOENT;
	} else if (nd.trailing_slash) {
		err = -U_EISDIR;
	} else {
		struct vattr va = { .type = VREG, .mode = perm & U_S_IPERM };

		err = create_last(ctx, &nd, &va, NULL, out);
	}
	namei_done(&nd);
	return err;
}

static int make_node(const struct vfs_ctx *ctx, struct vnode *at, const char *path,
		     struct vattr *va, const char *target)
{
	struct nameidata nd;
	struct vnode *v;
	int err;

	if ((err = namei(ctx, at, path, NI_MODIFY, &nd)) < 0)
		return err;
	if (!nd.vp && nd.trailing_slash && va->type != VDIR)
		err = -U_ENOENT;
	else
		err = create_last(ctx, &nd, va, target, &v);
	if (!err)
		vnode_rele(v);
	namei_done(&nd);
	return err;
}

int vfs_mknod(const struct vfs_ctx *ctx, struct vnode *at, const char *path, enum vtype type,
	      uint32_t perm, uint64_t rdev)
{
	struct vattr va = { .type = type, .mode = perm & U_S_IPERM, .rdev = rdev };

	if (type != VREG && type != VCHR && type != VFIFO)
		return -U_EINVAL;
	if (type == VCHR && ctx->cred->uid != 0)
		return -U_EPERM;
	return make_node(ctx, at, path, &va, NULL);
}

int vfs_mkdir(const struct vfs_ctx *ctx, struct vnode *at, const char *path, uint32_t perm)
{
	struct vattr va = { .type = VDIR, .mode = perm & U_S_IPERM };

	return make_node(ctx, at, path, &va, NULL);
}

int vfs_symlink(const struct vfs_ctx *ctx, const char *target, struct vnode *at,
		const char *path)
{
	struct vattr va = { .type = VLNK, .mode = 0777 };
	size_t len = strnlen(target, U_PATH_MAX);

	if (len == 0)
		return -U_ENOENT;
	if (len >= U_PATH_MAX)
		return -U_ENAMETOOLONG;
	va.size = len;
	return make_node(ctx, at, path, &va, target);
}

int vfs_link(const struct vfs_ctx *ctx, struct vnode *oat, const char *opath,
	     struct vnode *nat, const char *npath, unsigned uat)
{
	struct nameidata nd;
	struct vnode *v;
	int err;

	/* link(2) does not follow a symlink (Linux's linkat without AT_SYMLINK_FOLLOW). */
	if ((err = vfs_lookup(ctx, oat, opath, uat, &v)) < 0)
		return err;
	if (v->attr.type == VDIR) {
		vnode_rele(v);
		return -U_EPERM;
	}
	if ((err = namei(ctx, nat, npath, NI_MODIFY, &nd)) < 0) {
		vnode_rele(v);
		return err;
	}
	if (!nd.dir || nd.vp)
		err = -U_EEXIST;
	else if (nd.trailing_slash)
		err = -U_ENOENT;
	else if (nd.dir->mnt != v->mnt)
		err = -U_EXDEV;
	else if (nd.dir->attr.nlink == 0 || v->attr.nlink == 0)
		err = -U_ENOENT;
	else if ((err = dir_writable(ctx->cred, nd.dir)) == 0)
		err = nd.dir->ops->link ? nd.dir->ops->link(nd.dir, nd.name, nd.len, v) : -U_EROFS;
	namei_done(&nd);
	vnode_rele(v);
	return err;
}

static bool is_mount_point(struct vnode *v)
{
	return v->mounted || (v->mnt && v == v->mnt->root);
}

/* Checks shared by unlink and rmdir once the last component is known to exist. */
static int remove_last(const struct vfs_ctx *ctx, struct nameidata *nd)
{
	int err;

	if ((err = dir_writable(ctx->cred, nd->dir)) < 0)
		return err;
	if ((err = sticky_ok(ctx->cred, nd->dir, nd->vp)) < 0)
		return err;
	if (is_mount_point(nd->vp))
		return -U_EBUSY;
	if (!nd->dir->ops->remove)
		return -U_EROFS;
	return nd->dir->ops->remove(nd->dir, nd->name, nd->len, nd->vp);
}

int vfs_unlink(const struct vfs_ctx *ctx, struct vnode *at, const char *path)
{
	struct nameidata nd;
	int err;

	if ((err = namei(ctx, at, path, NI_MODIFY, &nd)) < 0)
		return err;
	if (!nd.vp)
		err = -U_ENOENT;
	else if (!nd.dir || nd.vp->attr.type == VDIR)
		err = -U_EISDIR;
	else if (nd.trailing_slash)
		err = -U_ENOTDIR;
	else
		err = remove_last(ctx, &nd);
	namei_done(&nd);
	return err;
}

int vfs_rmdir(const struct vfs_ctx *ctx, struct vnode *at, const char *path)
{
	struct nameidata nd;
	int err;

	if ((err = namei(ctx, at, path, NI_MODIFY, &nd)) < 0)
		return err;
	if (!nd.vp)
		err = -U_ENOENT;
	else if (!nd.dir)	/* ".": invalid; "..": not empty (it holds us); "/": busy */
		err = nd.len == 1 ? -U_EINVAL : nd.len == 2 ? -U_ENOTEMPTY : -U_EBUSY;
	else if (nd.vp->attr.type != VDIR)
		err = -U_ENOTDIR;
	else if (nd.vp == ctx->root)
		err = -U_EBUSY;
	else
		err = remove_last(ctx, &nd);
	namei_done(&nd);
	return err;
}

/* Is dir v itself or below it? Walks up from d within v's filesystem. */
static int is_within(const struct vfs_ctx *ctx, struct vnode *d, struct vnode *v, bool *within)
{
	struct vnode *cur = vnode_ref(d), *up;
	int err = 0;

	*within = false;
	while (cur != v && cur != cur->mnt->root && cur != ctx->root) {
		if ((err = cur->ops->lookup(cur, "..", 2, &up)) < 0)
			break;
		if (up == cur) {
			vnode_rele(up);
			break;
		}
		vnode_rele(cur);
		cur = up;
	}
	*within = cur == v;
	vnode_rele(cur);
	return err;
}

static int rename_checks(const struct vfs_ctx *ctx, struct nameidata *o, struct nameidata *n)
{
	struct vnode *v = o->vp, *victim = n->vp;
	bool within;
	int err;

	if (!o->dir || !n->dir)
		return -U_EBUSY;
	if (o->trailing_slash && v->attr.type != VDIR)
		return -U_ENOTDIR;
	if (n->trailing_slash && v->attr.type != VDIR)
		return -U_ENOTDIR;
	if (o->dir->mnt != n->dir->mnt)
		return -U_EXDEV;
	if ((err = dir_writable(ctx->cred, o->dir)) < 0 ||
	    (err = dir_writable(ctx->cred, n->dir)) < 0)
		return err;
	if ((err = sticky_ok(ctx->cred, o->dir, v)) < 0 ||
	    (victim && (err = sticky_ok(ctx->cred, n->dir, victim)) < 0))
		return err;
	if (n->dir->attr.nlink == 0)
		return -U_ENOENT;
	if (victim && v->attr.type == VDIR && victim->attr.type != VDIR)
		return -U_ENOTDIR;
	if (victim && v->attr.type != VDIR && victim->attr.type == VDIR)
		return -U_EISDIR;
	if (is_mount_point(v) || (victim && is_mount_point(victim)))
		return -U_EBUSY;
	if (v->attr.type == VDIR) {
		if ((err = is_within(ctx, n->dir, v, &within)) < 0)
			return err;
		if (within)
			return -U_EINVAL;	/* into its own subtree */
		/* Moving a directory rewrites its "..": that needs write access to it. */
		if (o->dir != n->dir && (err = vfs_access(v, ctx->cred, U_W_OK)) < 0)
			return err;
	}
	return 0;
}

int vfs_rename(const struct vfs_ctx *ctx, struct vnode *oat, const char *opath,
	       struct vnode *nat, const char *npath)
{
	struct nameidata o, n;
	int err;

	if ((err = namei(ctx, oat, opath, NI_MODIFY, &o)) < 0)
		return err;
	if (!o.vp) {
		namei_done(&o);
		return -U_ENOENT;
	}
	if ((err = namei(ctx, nat, npath, NI_MODIFY, &n)) < 0) {
		namei_done(&o);
		return err;
	}
	err = rename_checks(ctx, &o, &n);
	/* Two names of one file: POSIX says do nothing and succeed. */
	if (!err && o.vp != n.vp) {
		if (!o.dir->ops->rename)
			err = -U_EROFS;
		else
			err = o.dir->ops->rename(o.dir, o.name, o.len, o.vp, n.dir, n.name, n.len,
						 n.vp);
	}
	namei_done(&n);
	namei_done(&o);
	return err;
}

long vfs_readlink(struct vnode *v, char *buf, size_t n)
{
	if (v->attr.type != VLNK || !v->ops->readlink)
		return -U_EINVAL;
	return v->ops->readlink(v, buf, n);
}

/* Regular files only: the file layer routes devices and FIFOs itself. */
static int data_checks(struct vnode *v, size_t n, uint64_t off)
{
	if (v->attr.type == VDIR)
		return -U_EISDIR;
	if (v->attr.type != VREG)
		return -U_EINVAL;
	if (off > INT64_MAX || n > INT64_MAX - off)
		return -U_EINVAL;
	return 0;
}

long vfs_read(struct vnode *v, void *buf, size_t n, uint64_t off)
{
	int err = data_checks(v, n, off);

	if (err < 0)
		return err;
	if (!v->ops->read)
		return -U_EINVAL;
	return v->ops->read(v, buf, n, off);
}

long vfs_write(struct vnode *v, const void *buf, size_t n, uint64_t off)
{
	int err = data_checks(v, n, off);

	if (err < 0)
		return err;
	if (!v->ops->write)
		return -U_EINVAL;
	return v->ops->write(v, buf, n, off);
}

int vfs_truncate(const struct vfs_ctx *ctx, struct vnode *v, uint64_t size)
{
	int err;

	if (v->attr.type == VDIR)
		return -U_EISDIR;
	if (v->attr.type != VREG)
		return -U_EINVAL;
	if (size > INT64_MAX)
		return -U_EINVAL;
	if (ctx && (err = vfs_access(v, ctx->cred, U_W_OK)) < 0)
		return err;
	if (!v->ops->truncate)
		return -U_EINVAL;
	return v->ops->truncate(v, size);
}

int vfs_readdir(struct vnode *dir, uint64_t cookie, struct udirent *out)
{
	if (dir->attr.type != VDIR)
		return -U_ENOTDIR;
	if (!dir->ops->readdir)
		return 0;
	return dir->ops->readdir(dir, cookie, out);
}
