/*
 * Path resolution: a path, a starting directory and credentials become a vnode (or
 * a directory and the name to create there). Components are at most U_NAME_MAX
 * bytes, a path at most U_PATH_MAX with its NUL; "." and ".." are handled here so
 * that ".." stops at the caller's root and climbs out of mounted filesystems;
 * symlinks are spliced into the remaining path, at most U_SYMLOOP_MAX per call.
 */
#include <stdlib.h>
#include <string.h>
#include "vfs.h"

/* A looked-up vnode, replaced by the root of whatever is mounted on it. */
static struct vnode *cross_mounts(struct vnode *v)
{
	while (v->mounted) {
		struct vnode *root = vnode_ref(v->mounted->root);

		vnode_rele(v);
		v = root;
	}
	return v;
}

int vfs_dotdot(const struct vfs_ctx *ctx, struct vnode *dir, struct vnode **out)
{
	struct vnode *parent;
	int err;

	/* The root of a mounted filesystem: its ".." is that of the directory it covers. */
	while (dir != ctx->root && dir->mnt && dir == dir->mnt->root && dir->mnt->covered)
		dir = dir->mnt->covered;
	if (dir == ctx->root || !dir->ops->lookup) {
		*out = vnode_ref(dir);
		return 0;
	}
	err = dir->ops->lookup(dir, "..", 2, &parent);
	if (err < 0)
		return err;
	*out = cross_mounts(parent);
	return 0;
}

static int lookup_one(struct vnode *dir, const char *name, size_t len, struct vnode **out)
{
	int err;

	if (!dir->ops->lookup)
		return -U_ENOENT;
	err = dir->ops->lookup(dir, name, len, out);
	if (err < 0)
		return err;
	*out = cross_mounts(*out);
	return 0;
}

/*
 * Replaces the path with link's target followed by rest (which may lie in *buf).
 * The working buffers are allocated on first use; the caller frees them.
 */
static int splice_link(struct vnode *link, const char *rest, char **buf, char **tmp)
{
	size_t restlen = strlen(rest);
	long tlen;

	if (!*buf)
		*buf = malloc(U_PATH_MAX);
	if (!*tmp)
		*tmp = malloc(U_PATH_MAX);
	if (!*buf || !*tmp)
		return -U_ENOMEM;
	tlen = vfs_readlink(link, *tmp, U_PATH_MAX);
	if (tlen < 0)
		return (int)tlen;
	if (tlen == 0)
		return -U_ENOENT;
	if ((size_t)tlen + restlen + 1 > U_PATH_MAX)
		return -U_ENAMETOOLONG;
	memmove(*buf + tlen, rest, restlen + 1);
	memcpy(*buf, *tmp, (size_t)tlen);
	return 0;
}

static bool follow_last(unsigned flags, bool trailing)
{
	return (flags & NI_FOLLOW) || (trailing && !(flags & NI_MODIFY));
}

int namei(const struct vfs_ctx *ctx, struct vnode *at, const char *path, unsigned flags,
	  struct nameidata *nd)
{
	struct vnode *cur, *next = NULL;
	char *buf = NULL, *tmp = NULL;
	const char *p = path;
	int links = 0, err = 0;

	memset(nd, 0, sizeof(*nd));
	if (!at)
		at = ctx->cwd;
	if (strnlen(path, U_PATH_MAX) >= U_PATH_MAX)
		return -U_ENAMETOOLONG;
	if (*path == '\0') {
		if (!(flags & NI_EMPTY))
			return -U_ENOENT;
		nd->vp = vnode_ref(at);
		return 0;
	}
	cur = vnode_ref(*p == '/' ? ctx->root : at);
	for (;;) {
		const char *s, *q;
		size_t len;
		bool last, trailing;

		while (*p == '/')
			p++;
		if (*p == '\0') {		/* "/", or a link to "/" */
			nd->vp = cur;
			goto out;
		}
		for (s = p; *p && *p != '/'; p++)
			;
		len = (size_t)(p - s);
		for (q = p; *q == '/'; q++)
			;
		last = *q == '\0';
		trailing = last && q != p;
		if (len > U_NAME_MAX) {
			err = -U_ENAMETOOLONG;
			break;
		}
		if (cur->attr.type != VDIR) {
			err = -U_ENOTDIR;
			break;
		}
		if ((err = vfs_access(cur, ctx->cred, U_X_OK)) < 0)
			break;
		if (s[0] == '.' && (len == 1 || (len == 2 && s[1] == '.'))) {
			if (len == 1)
				next = vnode_ref(cur);
			else if ((err = vfs_dotdot(ctx, cur, &next)) < 0)
				break;
			vnode_rele(cur);
			cur = next;
			if (last) {
				nd->vp = cur;
				memcpy(nd->name, s, len);
				nd->len = len;
				nd->trailing_slash = trailing;
				goto out;
			}
			continue;
		}
		err = lookup_one(cur, s, len, &next);
		if (err == -U_ENOENT && last) {
			err = 0;
			next = NULL;
		} else if (err < 0) {
			break;
		}
		if (next && next->attr.type == VLNK && (!last || follow_last(flags, trailing))) {
			if (++links > U_SYMLOOP_MAX)
				err = -U_ELOOP;
			else
				err = splice_link(next, p, &buf, &tmp);
			vnode_rele(next);
			if (err < 0)
				break;
			p = buf;
			if (*p == '/') {
				vnode_rele(cur);
				cur = vnode_ref(ctx->root);
			}
			continue;
		}
		if (!last) {
			vnode_rele(cur);
			cur = next;
			continue;
		}
		if (next && trailing && next->attr.type != VDIR && !(flags & NI_MODIFY)) {
			vnode_rele(next);
			err = -U_ENOTDIR;
			break;
		}
		nd->dir = cur;
		nd->vp = next;
		memcpy(nd->name, s, len);
		nd->len = len;
		nd->trailing_slash = trailing;
		goto out;
	}
	vnode_rele(cur);
out:
	free(buf);
	free(tmp);
	return err;
}

void namei_done(struct nameidata *nd)
{
	vnode_rele(nd->dir);
	vnode_rele(nd->vp);
	nd->dir = nd->vp = NULL;
}

/* The name under which dir lists v, into name; -U_ENOENT if it lists none. */
static int name_in_dir(struct vnode *dir, struct vnode *v, struct udirent *de)
{
	uint64_t cookie = 0;
	int r;

	while ((r = vfs_readdir(dir, cookie, de)) > 0) {
		cookie = de->next;
		if (de->ino != v->attr.ino)
			continue;
		if (de->name[0] == '.' && (de->namelen == 1 || (de->namelen == 2 && de->name[1] == '.')))
			continue;
		return 0;
	}
	return r < 0 ? r : -U_ENOENT;
}

long vfs_getcwd(const struct vfs_ctx *ctx, char *buf, size_t size)
{
	struct vnode *v = vnode_ref(ctx->cwd), *parent;
	struct udirent *de = malloc(sizeof(*de));
	size_t pos = U_PATH_MAX - 1;	/* the path is built backwards in a scratch buffer */
	char *path = malloc(U_PATH_MAX);
	long err = 0;

	if (!de || !path) {
		err = -U_ENOMEM;
		goto out;
	}
	path[pos] = '\0';
	if (v->attr.nlink == 0)
		err = -U_ENOENT;
	while (!err && v != ctx->root) {
		while (v != ctx->root && v == v->mnt->root && v->mnt->covered) {
			parent = vnode_ref(v->mnt->covered);
			vnode_rele(v);
			v = parent;
		}
		if (v == ctx->root)
			break;
		if ((err = vfs_dotdot(ctx, v, &parent)) < 0)
			break;
		if (parent == v) {		/* a root that is not ours: stop there */
			vnode_rele(parent);
			break;
		}
		err = name_in_dir(parent, v, de);
		vnode_rele(v);
		v = parent;
		if (err < 0)
			break;
		if (de->namelen + 1 > pos) {
			err = -U_ENAMETOOLONG;
			break;
		}
		pos -= de->namelen;
		memcpy(path + pos, de->name, de->namelen);
		path[--pos] = '/';
	}
	if (!err && pos == U_PATH_MAX - 1)
		path[--pos] = '/';
	if (!err) {
		size_t len = U_PATH_MAX - 1 - pos;

		if (len + 1 > size)
			err = -U_ERANGE;
		else {
			memcpy(buf, path + pos, len + 1);
			err = (long)len;
		}
	}
out:
	vnode_rele(v);
	free(de);
	free(path);
	return err;
}
