/*
 * tmpfs nodes and directories. A node lives while it has a name (nlink > 0) or a
 * vnode reference; the last of the two to go frees it (tmpfs_inactive). Directory
 * entries do not hold references; a directory holds one on its parent, for "..",
 * so a removed directory someone is still in can climb out.
 */
#include <stdlib.h>
#include <string.h>
#include "tmpfs.h"

static const struct vnode_ops tmpfs_ops;

static struct tmpfs_node *tn(struct vnode *v)
{
	return (struct tmpfs_node *)v;
}

static struct tmpfs_mount *tm_of(struct vnode *v)
{
	return v->mnt->data;
}

static void touch(struct vnode *v, bool mtime)
{
	ucore_now(&v->attr.ctime);
	if (mtime)
		v->attr.mtime = v->attr.ctime;
}

static struct tmpfs_node *node_new(struct mount *m, const struct vattr *va)
{
	struct tmpfs_mount *tm = m->data;
	struct tmpfs_node *node;

	if (tm->max_nodes && tm->nodes >= tm->max_nodes)
		return NULL;
	if (!(node = calloc(1, sizeof(*node))))
		return NULL;
	vnode_init(&node->v, m, &tmpfs_ops, va->type);
	node->v.attr.mode = va->mode & U_S_IPERM;
	node->v.attr.uid = va->uid;
	node->v.attr.gid = va->gid;
	node->v.attr.rdev = va->type == VCHR ? va->rdev : 0;
	node->v.attr.ino = tm->next_ino++;
	touch(&node->v, true);
	node->v.attr.atime = node->v.attr.ctime;
	if (va->type == VDIR) {
		node->v.attr.nlink = 2;
		node->dir.next_cookie = 2;
	}
	tm->nodes++;
	return node;
}

static void node_free(struct tmpfs_node *node)
{
	switch (node->v.attr.type) {
	case VREG:
		tmpfs_free_data(node);
		break;
	case VLNK:
		free(node->lnk.target);
		break;
	case VDIR:
		if (node->dir.parent != node)
			vnode_rele(&node->dir.parent->v);
		break;
	default:
		break;
	}
	tm_of(&node->v)->nodes--;
	free(node);
}

static void tmpfs_inactive(struct vnode *v)
{
	if (v->attr.nlink == 0)
		node_free(tn(v));
}

static struct tmpfs_dirent *dirent_find(struct tmpfs_node *dir, const char *name, size_t len)
{
	for (struct tmpfs_dirent *e = dir->dir.head; e; e = e->next)
		if (e->len == len && memcmp(e->name, name, len) == 0)
			return e;
	return NULL;
}

static struct tmpfs_dirent *dirent_new(const char *name, size_t len, struct tmpfs_node *node)
{
	struct tmpfs_dirent *e = malloc(sizeof(*e) + len + 1);

	if (!e)
		return NULL;
	memcpy(e->name, name, len);
	e->name[len] = '\0';
	e->len = len;
	e->node = node;
	return e;
}

/* Appends e: cookies grow along the list, which readdir relies on. */
static void dirent_add(struct tmpfs_node *dir, struct tmpfs_dirent *e)
{
	e->cookie = dir->dir.next_cookie++;
	e->next = NULL;
	e->prev = dir->dir.tail;
	if (dir->dir.tail)
		dir->dir.tail->next = e;
	else
		dir->dir.head = e;
	dir->dir.tail = e;
	dir->dir.entries++;
	touch(&dir->v, true);
}

static void dirent_del(struct tmpfs_node *dir, struct tmpfs_dirent *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		dir->dir.head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		dir->dir.tail = e->prev;
	dir->dir.entries--;
	touch(&dir->v, true);
	free(e);
}

static int tmpfs_lookup(struct vnode *dv, const char *name, size_t len, struct vnode **out)
{
	struct tmpfs_node *dir = tn(dv);
	struct tmpfs_dirent *e;

	if (len == 2 && name[0] == '.' && name[1] == '.') {
		*out = vnode_ref(&dir->dir.parent->v);
		return 0;
	}
	if (!(e = dirent_find(dir, name, len)))
		return -U_ENOENT;
	*out = vnode_ref(&e->node->v);
	return 0;
}

static int tmpfs_create(struct vnode *dv, const char *name, size_t len, const struct vattr *va,
			const char *target, struct vnode **out)
{
	struct tmpfs_node *dir = tn(dv), *node;
	struct tmpfs_dirent *e;

	if (dirent_find(dir, name, len))
		return -U_EEXIST;
	if (!(node = node_new(dv->mnt, va)))
		return -U_ENOSPC;
	if (!(e = dirent_new(name, len, node)))
		goto nomem;
	if (va->type == VLNK) {
		size_t tlen = strlen(target);

		if (!(node->lnk.target = malloc(tlen + 1))) {
			free(e);
			goto nomem;
		}
		memcpy(node->lnk.target, target, tlen + 1);
		node->v.attr.size = tlen;
	}
	if (va->type == VDIR) {
		node->dir.parent = tn(vnode_ref(dv));
		dv->attr.nlink++;
	}
	dirent_add(dir, e);
	*out = &node->v;
	return 0;
nomem:
	node->v.attr.nlink = 0;
	node_free(node);
	return -U_ENOMEM;
}

static int tmpfs_link(struct vnode *dv, const char *name, size_t len, struct vnode *v)
{
	struct tmpfs_dirent *e;

	if (dirent_find(tn(dv), name, len))
		return -U_EEXIST;
	if (!(e = dirent_new(name, len, tn(v))))
		return -U_ENOMEM;
	dirent_add(tn(dv), e);
	v->attr.nlink++;
	touch(v, false);
	return 0;
}

/* Drops entry e of dir, naming v; v goes when its last reference does. */
static void unname(struct tmpfs_node *dir, struct tmpfs_dirent *e, struct vnode *v)
{
	dirent_del(dir, e);
	if (v->attr.type == VDIR) {
		v->attr.nlink = 0;
		dir->v.attr.nlink--;
	} else {
		v->attr.nlink--;
	}
	touch(v, false);
}

static int tmpfs_remove(struct vnode *dv, const char *name, size_t len, struct vnode *v)
{
	struct tmpfs_dirent *e = dirent_find(tn(dv), name, len);

	if (!e || &e->node->v != v)
		return -U_ENOENT;
	if (v->attr.type == VDIR && tn(v)->dir.entries)
		return -U_ENOTEMPTY;
	unname(tn(dv), e, v);
	return 0;
}

static int tmpfs_rename(struct vnode *odv, const char *oname, size_t olen, struct vnode *v,
			struct vnode *ndv, const char *nname, size_t nlen, struct vnode *victim)
{
	struct tmpfs_node *odir = tn(odv), *ndir = tn(ndv);
	struct tmpfs_dirent *oe = dirent_find(odir, oname, olen), *ve = NULL, *ne;

	if (!oe || &oe->node->v != v)
		return -U_ENOENT;
	if (victim) {
		ve = dirent_find(ndir, nname, nlen);
		if (!ve || &ve->node->v != victim)
			return -U_ENOENT;
		if (victim->attr.type == VDIR && tn(victim)->dir.entries)
			return -U_ENOTEMPTY;
	}
	/* Allocate first: nothing changes unless everything can. */
	if (!(ne = dirent_new(nname, nlen, tn(v))))
		return -U_ENOMEM;
	if (ve)
		unname(ndir, ve, victim);
	dirent_del(odir, oe);
	dirent_add(ndir, ne);
	if (v->attr.type == VDIR && odir != ndir) {
		odv->attr.nlink--;
		ndv->attr.nlink++;
		tn(v)->dir.parent = tn(vnode_ref(ndv));
		vnode_rele(odv);
	}
	touch(v, false);
	return 0;
}

static int tmpfs_readdir(struct vnode *dv, uint64_t cookie, struct udirent *out)
{
	struct tmpfs_node *dir = tn(dv);
	struct tmpfs_dirent *e;

	if (cookie < 2) {
		struct tmpfs_node *n = cookie == 0 ? dir : dir->dir.parent;

		out->ino = n->v.attr.ino;
		out->type = VDIR;
		out->namelen = (uint32_t)cookie + 1;
		memcpy(out->name, "..", out->namelen);
		out->name[out->namelen] = '\0';
		out->next = cookie + 1;
		return 1;
	}
	for (e = dir->dir.head; e && e->cookie < cookie; e = e->next)
		;
	if (!e)
		return 0;
	out->ino = e->node->v.attr.ino;
	out->type = e->node->v.attr.type;
	out->namelen = (uint32_t)e->len;
	memcpy(out->name, e->name, e->len + 1);
	out->next = e->cookie + 1;
	return 1;
}

static long tmpfs_readlink(struct vnode *v, char *buf, size_t n)
{
	size_t len = (size_t)v->attr.size;

	if (n > len)
		n = len;
	memcpy(buf, tn(v)->lnk.target, n);
	return (long)n;
}

static int tmpfs_setattr(struct vnode *v, const struct vattr *va)
{
	v->attr.mode = va->mode & U_S_IPERM;
	v->attr.uid = va->uid;
	v->attr.gid = va->gid;
	v->attr.atime = va->atime;
	v->attr.mtime = va->mtime;
	v->attr.ctime = va->ctime;
	return 0;
}

static const struct vnode_ops tmpfs_ops = {
	.lookup = tmpfs_lookup,
	.create = tmpfs_create,
	.link = tmpfs_link,
	.remove = tmpfs_remove,
	.rename = tmpfs_rename,
	.readdir = tmpfs_readdir,
	.read = tmpfs_read,
	.write = tmpfs_write,
	.truncate = tmpfs_truncate,
	.readlink = tmpfs_readlink,
	.setattr = tmpfs_setattr,
	.inactive = tmpfs_inactive,
};

struct mount *tmpfs_new(uint32_t mode, uint32_t uid, uint32_t gid, uint64_t max_bytes,
			uint64_t max_nodes)
{
	struct mount *m = vfs_mount_new("tmpfs");
	struct tmpfs_mount *tm = calloc(1, sizeof(*tm));
	struct vattr va = { .type = VDIR, .mode = mode, .uid = uid, .gid = gid };
	struct tmpfs_node *root;

	if (!m || !tm)
		goto fail;
	tm->next_ino = 1;
	tm->max_pages = (max_bytes + TMPFS_PAGE - 1) / TMPFS_PAGE;
	tm->max_nodes = max_nodes;
	m->data = tm;
	if (!(root = node_new(m, &va)))
		goto fail;
	root->dir.parent = root;
	m->root = &root->v;		/* the mount's reference */
	return m;
fail:
	free(tm);
	free(m);
	return NULL;
}

/* Empties dir depth first; a node goes with its last name. */
static void destroy_dir(struct tmpfs_node *dir)
{
	struct tmpfs_dirent *e;

	while ((e = dir->dir.head)) {
		struct tmpfs_node *n = e->node;

		if (n->v.attr.type == VDIR)
			destroy_dir(n);
		unname(dir, e, &n->v);
		if (n->v.attr.nlink == 0) {
			if (n->v.refs)
				__builtin_trap();
			node_free(n);
		}
	}
}

void tmpfs_destroy(struct mount *m)
{
	struct tmpfs_node *root = tn(m->root);

	if (m->covered)
		__builtin_trap();
	destroy_dir(root);
	if (root->v.refs != 1)		/* the mount's, now that subdirectories are gone */
		__builtin_trap();
	root->v.attr.nlink = 0;
	node_free(root);
	free(m->data);
	free(m);
}
