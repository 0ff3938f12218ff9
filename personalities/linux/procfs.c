/*
 * /proc: a synthetic filesystem with its own vnode operations. Nodes are made at
 * lookup and freed with their last reference; they name a kind and a pid (and fd),
 * and every operation looks the process up again, so a node outliving its process
 * answers ENOENT. File contents are generated at each read (procfs_text.c).
 *
 *   /proc/self -> <pid of the caller (lx_current)>
 *   /proc/{meminfo,uptime,version,mounts,cpuinfo,loadavg,filesystems}
 *   /proc/<pid>/{exe,cwd,root} (links), {cmdline,stat,status,statm,comm}, fd/<n> (links)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lxfs.h"
#include "procfs.h"

static const struct vnode_ops proc_ops;
static struct mount *proc_mnt;

/* Entries of /proc itself, and of /proc/<pid>: cookies 2.. follow this order. */
static const struct proc_entry {
	const char *name;
	enum proc_kind kind;
	enum vtype type;
} root_entries[] = {
	{ "self", PK_SELF, VLNK },
	{ "meminfo", PK_MEMINFO, VREG },
	{ "uptime", PK_UPTIME, VREG },
	{ "version", PK_VERSION, VREG },
	{ "mounts", PK_MOUNTS, VREG },
	{ "cpuinfo", PK_CPUINFO, VREG },
	{ "loadavg", PK_LOADAVG, VREG },
	{ "filesystems", PK_FILESYSTEMS, VREG },
}, pid_entries[] = {
	{ "exe", PK_EXE, VLNK },
	{ "cwd", PK_CWD, VLNK },
	{ "root", PK_ROOT_LINK, VLNK },
	{ "cmdline", PK_CMDLINE, VREG },
	{ "stat", PK_STAT, VREG },
	{ "status", PK_STATUS, VREG },
	{ "statm", PK_STATM, VREG },
	{ "comm", PK_COMM, VREG },
	{ "fd", PK_FD_DIR, VDIR },
};
#define NROOT	(sizeof(root_entries) / sizeof(root_entries[0]))
#define NPID	(sizeof(pid_entries) / sizeof(pid_entries[0]))

static struct proc_node *pn(struct vnode *v)
{
	return (struct proc_node *)v;
}

/* The process a node is about, if it still exists with its files. */
struct lx_proc *procfs_proc(struct proc_node *n)
{
	struct lx_proc *p = lx_proc_find(n->pid);

	return p && p->pid == n->pid ? p : NULL;
}

static uint64_t node_ino(enum proc_kind kind, int pid, int fd)
{
	return ((uint64_t)(uint32_t)pid << 32) | ((uint64_t)kind << 24) | ((uint32_t)fd & 0xffffff);
}

static int node_new(enum proc_kind kind, enum vtype type, int pid, int fd, struct vnode **out)
{
	struct proc_node *n = calloc(1, sizeof(*n));
	struct lx_proc *p;

	if (!n)
		return -U_ENOMEM;
	vnode_init(&n->v, proc_mnt, &proc_ops, type);
	n->kind = kind;
	n->pid = pid;
	n->fd = fd;
	n->v.attr.ino = node_ino(kind, pid, fd);
	n->v.attr.mode = type == VDIR ? 0555 : type == VLNK ? 0777 : 0444;
	if (kind == PK_FD_DIR)
		n->v.attr.mode = 0500;
	else if (kind == PK_FD)
		n->v.attr.mode = 0700;
	if (type == VDIR)
		n->v.attr.nlink = 2;
	/* Like Linux: what is about a process belongs to its effective user. */
	if (pid && (p = procfs_proc(n))) {
		n->v.attr.uid = p->cred.uid;
		n->v.attr.gid = p->cred.gid;
	}
	ucore_now(&n->v.attr.mtime);
	n->v.attr.atime = n->v.attr.ctime = n->v.attr.mtime;
	*out = &n->v;
	return 0;
}

/* A decimal name ("123"): its value, or -1. */
static int name_number(const char *name, size_t len)
{
	int v = 0;

	if (len == 0 || len > 9 || (len > 1 && name[0] == '0'))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		v = v * 10 + (name[i] - '0');
	}
	return v;
}

static const struct proc_entry *find_entry(const struct proc_entry *e, size_t count,
					   const char *name, size_t len)
{
	for (size_t i = 0; i < count; i++)
		if (strlen(e[i].name) == len && memcmp(e[i].name, name, len) == 0)
			return &e[i];
	return NULL;
}

static int proc_lookup(struct vnode *dv, const char *name, size_t len, struct vnode **out)
{
	struct proc_node *d = pn(dv);
	const struct proc_entry *e;
	struct lx_proc *p = d->pid ? procfs_proc(d) : NULL;
	int num;

	if (d->pid && !p)
		return -U_ENOENT;
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		if (d->kind == PK_FD_DIR)
			return node_new(PK_PID, VDIR, d->pid, 0, out);
		*out = vnode_ref(proc_mnt->root);
		return 0;
	}
	switch (d->kind) {
	case PK_ROOT:
		if ((e = find_entry(root_entries, NROOT, name, len)))
			return node_new(e->kind, e->type, 0, 0, out);
		if ((num = name_number(name, len)) > 0 && lx_proc_find(num))
			return node_new(PK_PID, VDIR, num, 0, out);
		return -U_ENOENT;
	case PK_PID:
		if ((e = find_entry(pid_entries, NPID, name, len)))
			return node_new(e->kind, e->type, d->pid, 0, out);
		return -U_ENOENT;
	case PK_FD_DIR:
		if ((num = name_number(name, len)) >= 0 && p->fdt && fdt_getfd(p->fdt, num) >= 0)
			return node_new(PK_FD, VLNK, d->pid, num, out);
		return -U_ENOENT;
	default:
		return -U_ENOTDIR;
	}
}

static int set_dirent(struct udirent *out, const char *name, enum vtype type, uint64_t ino,
		      uint64_t next)
{
	out->namelen = (uint32_t)strlen(name);
	memcpy(out->name, name, out->namelen + 1);
	out->type = type;
	out->ino = ino;
	out->next = next;
	return 1;
}

/* The live process with the smallest pid >= min, or NULL. */
static struct lx_proc *proc_at_least(int min)
{
	struct lx_proc *best = NULL;

	for (struct lx_proc *p = lx_proc_first(); p; p = p->next)
		if (p->pid >= min && (!best || p->pid < best->pid))
			best = p;
	return best;
}

static int proc_readdir(struct vnode *dv, uint64_t cookie, struct udirent *out)
{
	struct proc_node *d = pn(dv);
	struct lx_proc *p = d->pid ? procfs_proc(d) : NULL;
	char num[16];

	if (d->pid && !p)
		return -U_ENOENT;
	if (cookie == 0)
		return set_dirent(out, ".", VDIR, dv->attr.ino, 1);
	if (cookie == 1) {
		uint64_t up = d->kind == PK_FD_DIR ? node_ino(PK_PID, d->pid, 0) :
			      proc_mnt->root->attr.ino;

		return set_dirent(out, "..", VDIR, up, 2);
	}
	switch (d->kind) {
	case PK_ROOT:
		if (cookie < 2 + NROOT) {
			const struct proc_entry *e = &root_entries[cookie - 2];

			return set_dirent(out, e->name, e->type, node_ino(e->kind, 0, 0), cookie + 1);
		}
		if (cookie - (2 + NROOT) > LX_PID_MAX || !(p = proc_at_least((int)(cookie - (2 + NROOT)))))
			return 0;
		snprintf(num, sizeof(num), "%d", p->pid);
		return set_dirent(out, num, VDIR, node_ino(PK_PID, p->pid, 0),
				  2 + NROOT + (uint64_t)p->pid + 1);
	case PK_PID:
		if (cookie < 2 + NPID) {
			const struct proc_entry *e = &pid_entries[cookie - 2];

			return set_dirent(out, e->name, e->type, node_ino(e->kind, d->pid, 0),
					  cookie + 1);
		}
		return 0;
	case PK_FD_DIR: {
		int fd;

		if (!p->fdt || cookie - 2 > FDT_LIMIT_MAX || (fd = fdt_next(p->fdt, (int)(cookie - 2))) < 0)
			return 0;
		snprintf(num, sizeof(num), "%d", fd);
		return set_dirent(out, num, VLNK, node_ino(PK_FD, d->pid, fd), (uint64_t)fd + 3);
	}
	default:
		return -U_ENOTDIR;
	}
}

static long proc_read(struct vnode *v, void *buf, size_t n, uint64_t off)
{
	struct proc_node *node = pn(v);
	size_t cap = 4096;
	char *text = NULL;
	long len;

	/* Generate the whole text, growing the buffer until it fits, then take the part. */
	for (;;) {
		char *bigger = realloc(text, cap);

		if (!bigger) {
			free(text);
			return -U_ENOMEM;
		}
		text = bigger;
		len = procfs_text(node, text, cap);
		if (len < 0 || (size_t)len < cap)
			break;
		cap = (size_t)len + 1;
	}
	if (len >= 0) {
		if (off >= (uint64_t)len) {
			len = 0;
		} else {
			if (n > (size_t)len - off)
				n = (size_t)len - (size_t)off;
			memcpy(buf, text + off, n);
			len = (long)n;
		}
	}
	free(text);
	return len;
}

static long proc_readlink(struct vnode *v, char *buf, size_t n)
{
	char tmp[U_PATH_MAX];
	long len = procfs_link(pn(v), tmp, sizeof(tmp));

	if (len < 0)
		return len;
	if ((size_t)len > n)
		len = (long)n;
	memcpy(buf, tmp, (size_t)len);
	return len;
}

static void proc_inactive(struct vnode *v)
{
	if (v != proc_mnt->root)
		free(pn(v));
}

static const struct vnode_ops proc_ops = {
	.lookup = proc_lookup,
	.readdir = proc_readdir,
	.read = proc_read,
	.readlink = proc_readlink,
	.inactive = proc_inactive,
};

int lx_proc_mount(struct vnode *root)
{
	static const struct ucred root_cred = { 0, 0, 0, { 0 } };
	struct vfs_ctx ctx = { root, root, &root_cred };
	struct vnode *dir, *r;
	int err;

	if (!(proc_mnt = vfs_mount_new("proc")))
		return -U_ENOMEM;
	if ((err = node_new(PK_ROOT, VDIR, 0, 0, &r)) < 0)
		return err;
	pn(r)->v.attr.ino = 1;
	proc_mnt->root = r;
	if ((err = vfs_lookup(&ctx, NULL, "/proc", 0, &dir)) < 0)
		return err;
	err = vfs_mount(dir, proc_mnt);
	vnode_rele(dir);
	return err;
}
