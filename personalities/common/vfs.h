/*
 * The virtual filesystem: vnodes, the mount table, path resolution and the
 * operations the system calls need, over filesystems that fill in struct vnode_ops
 * (tmpfs.c; a personality's synthetic /proc). Personality-neutral: errors, flags and
 * types are ucore.h's.
 *
 * Conventions. Functions return 0 (or a count) or -U_Exxx. A vnode pointer that a
 * function hands out carries a reference the caller drops with vnode_rele; vnode
 * pointers passed in are borrowed. `ctx` says who asks (credentials, root, cwd);
 * functions that take a ctx check permissions, and a NULL ctx (where allowed) means
 * "already authorised" (an operation through an open file). `at` is the directory
 * relative paths start from (NULL: ctx->cwd). Not thread-safe: one server thread
 * runs the core at a time.
 */
#ifndef _VFS_H
#define _VFS_H

#include "ucore.h"

struct mount;
struct pipe;
struct vnode;

/* What getattr reports; the vnode keeps it and its filesystem keeps it current. */
struct vattr {
	enum vtype type;
	uint32_t mode;			/* permission bits (U_S_IPERM) */
	uint32_t nlink;
	uint32_t uid;
	uint32_t gid;
	uint64_t ino;
	uint64_t dev;			/* the mount's id */
	uint64_t rdev;			/* VCHR: UDEV(major, minor) */
	uint64_t size;			/* bytes; a symlink's target length */
	uint64_t blocks;		/* 512-byte units of storage in use */
	struct utimespec atime, mtime, ctime;
};

/* One directory entry; `next` is the cookie that continues after it. */
struct udirent {
	uint64_t ino;
	uint64_t next;
	enum vtype type;
	uint32_t namelen;
	char name[U_NAME_MAX + 1];	/* NUL-terminated */
};

/*
 * A filesystem's operations. Names are never "." or ".." except lookup(dir, "..");
 * 1 <= len <= U_NAME_MAX. The VFS has checked permissions, types and existence
 * before calling (see vfs.c for each); the filesystem updates attributes and times.
 * A NULL operation makes the VFS answer U_EROFS (namespace changes), U_EPERM
 * (setattr) or U_EINVAL (data).
 */
struct vnode_ops {
	/* The entry, with a reference; -U_ENOENT when absent. */
	int (*lookup)(struct vnode *dir, const char *name, size_t len, struct vnode **out);
	/* A new entry of type va->type with va's mode, uid, gid and rdev (VLNK: target). */
	int (*create)(struct vnode *dir, const char *name, size_t len, const struct vattr *va,
		      const char *target, struct vnode **out);
	int (*link)(struct vnode *dir, const char *name, size_t len, struct vnode *v);
	/* Removes entry name (which is v); -U_ENOTEMPTY for a directory with entries. */
	int (*remove)(struct vnode *dir, const char *name, size_t len, struct vnode *v);
	/* Moves v from odir/oname to ndir/nname, replacing victim (NULL if none). */
	int (*rename)(struct vnode *odir, const char *oname, size_t olen, struct vnode *v,
		      struct vnode *ndir, const char *nname, size_t nlen, struct vnode *victim);
	/* The first entry at or after cookie (0 = start): 1, 0 at the end, or -U_E*. */
	int (*readdir)(struct vnode *dir, uint64_t cookie, struct udirent *out);
	long (*read)(struct vnode *v, void *buf, size_t n, uint64_t off);
	long (*write)(struct vnode *v, const void *buf, size_t n, uint64_t off);
	int (*truncate)(struct vnode *v, uint64_t size);
	/* The target, truncated to n bytes, not NUL-terminated; returns its length. */
	long (*readlink)(struct vnode *v, char *buf, size_t n);
	/* Accepts new mode, uid, gid or times (already checked) by copying va in. */
	int (*setattr)(struct vnode *v, const struct vattr *va);
	/* The last reference is gone: free v unless the filesystem still names it. */
	void (*inactive)(struct vnode *v);
};

struct vnode {
	unsigned refs;
	struct vattr attr;
	const struct vnode_ops *ops;
	struct mount *mnt;		/* the filesystem v belongs to */
	struct mount *mounted;		/* a filesystem mounted on this directory */
	struct pipe *fifo;		/* VFIFO: the pipe while the FIFO is open */
	void *data;			/* the filesystem's own */
};

struct mount {
	struct vnode *root;		/* a reference */
	struct vnode *covered;		/* a reference; NULL for a filesystem not mounted */
	uint64_t id;			/* every vnode's attr.dev */
	const char *fstype;		/* "tmpfs", "proc", ... */
	void *data;			/* the filesystem's own */
	struct mount *next;		/* the mount table */
};

struct vfs_ctx {
	struct vnode *root;		/* ".." never leaves it */
	struct vnode *cwd;
	const struct ucred *cred;
};

/* vnode.c: references, mounts, access, attributes. */
void vnode_init(struct vnode *v, struct mount *m, const struct vnode_ops *ops, enum vtype type);
struct vnode *vnode_ref(struct vnode *v);
void vnode_rele(struct vnode *v);
/* A new mount of fstype with a fresh id, for a filesystem to fill in (root, data). */
struct mount *vfs_mount_new(const char *fstype);
/* Mounts m on directory covered (-U_ENOTDIR, -U_EBUSY if something is mounted there). */
int vfs_mount(struct vnode *covered, struct mount *m);
/* Detaches m from the directory it covers (-U_EBUSY while another mount is inside). */
int vfs_unmount(struct mount *m);
struct mount *vfs_mounts(void);			/* the mount table, newest first */
bool vfs_cred_in_group(const struct ucred *cr, uint32_t gid);
int vfs_access(struct vnode *v, const struct ucred *cr, int want);	/* U_R_OK | ... */
void vfs_getattr(struct vnode *v, struct vattr *va);
int vfs_chmod(const struct vfs_ctx *ctx, struct vnode *v, uint32_t mode);
/* (uint32_t)-1 leaves an id as it is. */
int vfs_chown(const struct vfs_ctx *ctx, struct vnode *v, uint32_t uid, uint32_t gid);
/* ts NULL: both now; else atime, mtime, each possibly U_UTIME_NOW / U_UTIME_OMIT. */
int vfs_utimes(const struct vfs_ctx *ctx, struct vnode *v, const struct utimespec ts[2]);

/* namei.c: path resolution. */
#define NI_FOLLOW	0x1u	/* follow a symlink in the last component */
#define NI_MODIFY	0x2u	/* the caller changes the last name: a trailing slash neither
				   follows a last symlink nor is checked; the caller decides */
#define NI_EMPTY	0x4u	/* "" names the starting directory */
struct nameidata {
	struct vnode *dir;	/* the last component's directory; NULL when the path ends
				   without a name ("/", ".", "..", "a/..") */
	struct vnode *vp;	/* the last component, or NULL if it does not exist */
	char name[U_NAME_MAX + 1];
	size_t len;
	bool trailing_slash;
};
int namei(const struct vfs_ctx *ctx, struct vnode *at, const char *path, unsigned flags,
	  struct nameidata *nd);
void namei_done(struct nameidata *nd);
/* The absolute path of ctx->cwd: its length (without NUL), -U_ERANGE, -U_ENOENT. */
long vfs_getcwd(const struct vfs_ctx *ctx, char *buf, size_t size);
/* The parent of dir (a reference), staying at ctx->root and crossing mounts. */
int vfs_dotdot(const struct vfs_ctx *ctx, struct vnode *dir, struct vnode **out);

/* vfs.c: the operations. */
int vfs_lookup(const struct vfs_ctx *ctx, struct vnode *at, const char *path, unsigned uat,
	       struct vnode **out);
/* Opens (and with UO_CREAT creates, perm & U_S_IPERM, umask already applied) a file. */
int vfs_open(const struct vfs_ctx *ctx, struct vnode *at, const char *path, unsigned oflags,
	     uint32_t perm, struct vnode **out);
int vfs_mknod(const struct vfs_ctx *ctx, struct vnode *at, const char *path, enum vtype type,
	      uint32_t perm, uint64_t rdev);
int vfs_mkdir(const struct vfs_ctx *ctx, struct vnode *at, const char *path, uint32_t perm);
int vfs_symlink(const struct vfs_ctx *ctx, const char *target, struct vnode *at,
		const char *path);
int vfs_link(const struct vfs_ctx *ctx, struct vnode *oat, const char *opath,
	     struct vnode *nat, const char *npath, unsigned uat);
int vfs_unlink(const struct vfs_ctx *ctx, struct vnode *at, const char *path);
int vfs_rmdir(const struct vfs_ctx *ctx, struct vnode *at, const char *path);
int vfs_rename(const struct vfs_ctx *ctx, struct vnode *oat, const char *opath,
	       struct vnode *nat, const char *npath);
long vfs_readlink(struct vnode *v, char *buf, size_t n);
long vfs_read(struct vnode *v, void *buf, size_t n, uint64_t off);
long vfs_write(struct vnode *v, const void *buf, size_t n, uint64_t off);
int vfs_truncate(const struct vfs_ctx *ctx, struct vnode *v, uint64_t size);
int vfs_readdir(struct vnode *dir, uint64_t cookie, struct udirent *out);

#endif
