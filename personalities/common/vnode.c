/* Vnodes: references, the mount table, permission checks and attribute changes. */
#include <stdlib.h>
#include <string.h>
#include "vfs.h"

static struct mount *mount_list;
static uint64_t mount_next_id = 1;

void vnode_init(struct vnode *v, struct mount *m, const struct vnode_ops *ops, enum vtype type)
{
	memset(v, 0, sizeof(*v));
	v->refs = 1;
	v->ops = ops;
	v->mnt = m;
	v->attr.type = type;
	v->attr.dev = m ? m->id : 0;
	v->attr.nlink = 1;
}

struct vnode *vnode_ref(struct vnode *v)
{
	v->refs++;
	return v;
}

void vnode_rele(struct vnode *v)
{
	if (!v)
		return;
	if (v->refs == 0)
		__builtin_trap();	/* a broken invariant of the caller, not input */
	if (--v->refs == 0 && v->ops->inactive)
		v->ops->inactive(v);
}

struct mount *vfs_mount_new(const char *fstype)
{
	struct mount *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->id = mount_next_id++;
	m->fstype = fstype;
	return m;
}

int vfs_mount(struct vnode *covered, struct mount *m)
{
	if (covered->attr.type != VDIR)
		return -U_ENOTDIR;
	if (covered->mounted || m->covered)
		return -U_EBUSY;
	m->covered = vnode_ref(covered);
	covered->mounted = m;
	m->next = mount_list;
	mount_list = m;
	return 0;
}

int vfs_unmount(struct mount *m)
{
	struct mount **link;

	if (!m->covered)
		return -U_EINVAL;
	for (struct mount *o = mount_list; o; o = o->next)
		if (o != m && o->covered && o->covered->mnt == m)
			return -U_EBUSY;	/* something is mounted inside it */
	for (link = &mount_list; *link && *link != m; link = &(*link)->next)
		;
	if (*link)
		*link = m->next;
	m->covered->mounted = NULL;
	vnode_rele(m->covered);
	m->covered = NULL;
	m->next = NULL;
	return 0;
}

struct mount *vfs_mounts(void)
{
	return mount_list;
}

bool vfs_cred_in_group(const struct ucred *cr, uint32_t gid)
{
	if (cr->gid == gid)
		return true;
	for (uint32_t i = 0; i < cr->ngroups && i < U_NGROUPS_MAX; i++)
		if (cr->groups[i] == gid)
			return true;
	return false;
}

/*
 * The owner's, the group's or the others' bits, whichever class cr falls in first.
 * Root may read and write anything, and execute what anyone may (or search a dir).
 */
int vfs_access(struct vnode *v, const struct ucred *cr, int want)
{
	uint32_t mode = v->attr.mode, bits;

	if (cr->uid == 0) {
		if (!(want & U_X_OK) || v->attr.type == VDIR || (mode & 0111))
			return 0;
		return -U_EACCES;
	}
	if (cr->uid == v->attr.uid)
		bits = mode >> 6;
	else if (vfs_cred_in_group(cr, v->attr.gid))
		bits = mode >> 3;
	else
		bits = mode;
	return ((int)(bits & 7) & want) == want ? 0 : -U_EACCES;
}

void vfs_getattr(struct vnode *v, struct vattr *va)
{
	*va = v->attr;
}

static int setattr(struct vnode *v, struct vattr *va)
{
	if (!v->ops->setattr)
		return -U_EPERM;
	ucore_now(&va->ctime);
	return v->ops->setattr(v, va);
}

static bool is_owner(const struct ucred *cr, struct vnode *v)
{
	return cr->uid == 0 || cr->uid == v->attr.uid;
}

int vfs_chmod(const struct vfs_ctx *ctx, struct vnode *v, uint32_t mode)
{
	struct vattr va = v->attr;

	mode &= U_S_IPERM;
	if (ctx) {
		if (!is_owner(ctx->cred, v))
			return -U_EPERM;
		/* Only members of the file's group may make it set-group-id. */
		if (ctx->cred->uid != 0 && !vfs_cred_in_group(ctx->cred, v->attr.gid))
			mode &= ~U_S_ISGID;
	}
	va.mode = mode;
	return setattr(v, &va);
}

int vfs_chown(const struct vfs_ctx *ctx, struct vnode *v, uint32_t uid, uint32_t gid)
{
	struct vattr va = v->attr;

	if (uid != (uint32_t)-1)
		va.uid = uid;
	if (gid != (uint32_t)-1)
		va.gid = gid;
	if (ctx && ctx->cred->uid != 0) {
		/* The owner may give the file to one of its own groups, nothing more. */
		if (ctx->cred->uid != v->attr.uid || va.uid != v->attr.uid ||
		    (va.gid != v->attr.gid && !vfs_cred_in_group(ctx->cred, va.gid)))
			return -U_EPERM;
	}
	/* A change of owner drops set-id bits, so nobody inherits a privilege. */
	if ((uid != (uint32_t)-1 || gid != (uint32_t)-1) && v->attr.type != VDIR)
		va.mode &= ~(U_S_ISUID | ((va.mode & 010) ? U_S_ISGID : 0));
	return setattr(v, &va);
}

static void set_time(struct utimespec *t, const struct utimespec *want,
		     const struct utimespec *now)
{
	if (want->nsec == U_UTIME_OMIT)
		return;
	*t = want->nsec == U_UTIME_NOW ? *now : *want;
}

int vfs_utimes(const struct vfs_ctx *ctx, struct vnode *v, const struct utimespec ts[2])
{
	struct vattr va = v->attr;
	struct utimespec now;
	bool only_now = !ts || (ts[0].nsec == U_UTIME_NOW && ts[1].nsec == U_UTIME_NOW);

	if (ts)
		for (int i = 0; i < 2; i++)
			if (ts[i].nsec != U_UTIME_NOW && ts[i].nsec != U_UTIME_OMIT &&
			    (ts[i].nsec < 0 || ts[i].nsec >= 1000000000))
				return -U_EINVAL;
	/* Setting "now" needs write access; setting a chosen time needs ownership. */
	if (ctx && !is_owner(ctx->cred, v) &&
	    (!only_now || vfs_access(v, ctx->cred, U_W_OK) < 0))
		return only_now ? -U_EACCES : -U_EPERM;
	ucore_now(&now);
	if (!ts) {
		va.atime = now;
		va.mtime = now;
	} else {
		set_time(&va.atime, &ts[0], &now);
		set_time(&va.mtime, &ts[1], &now);
	}
	return setattr(v, &va);
}
