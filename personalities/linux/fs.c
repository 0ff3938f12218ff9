/*
 * The file namespace of the Linux personality (a tmpfs root from the cpio image, /dev,
 * /proc) and the helpers its file system calls share: descriptors, guest paths, *at
 * directories, flag, type and device-number translation.
 */
#include <string.h>
#include "lxfs.h"
#include "personalities/common/cpio.h"
#include "personalities/common/tmpfs.h"

unsigned char lx_bounce[LX_BOUNCE_SIZE];

static struct mount *root_mnt;

struct vnode *lx_fs_root(void)
{
	return root_mnt ? root_mnt->root : NULL;
}

static void fs_clock(struct utimespec *ts)
{
	struct linux_timespec now;

	lx_realtime(&now);
	ts->sec = now.tv_sec;
	ts->nsec = now.tv_nsec;
}

/* Makes directory path (as root) with mode, or fixes the mode of the one there. */
static int ensure_dir(const struct vfs_ctx *ctx, const char *path, uint32_t mode)
{
	struct vnode *v;
	int err = vfs_mkdir(ctx, NULL, path, mode);

	if (err != -U_EEXIST)
		return err;
	if ((err = vfs_lookup(ctx, NULL, path, 0, &v)) < 0)
		return err;
	if (v->attr.type != VDIR)
		err = -U_ENOTDIR;
	else if ((v->attr.mode & U_S_IPERM) != mode)
		err = vfs_chmod(ctx, v, mode);
	vnode_rele(v);
	return err;
}

int lx_fs_init(const void *cpio, size_t cpio_size)
{
	static const struct ucred root_cred = { 0, 0, 0, { 0 } };
	struct cpio_error cerr = { 0, NULL };
	struct vfs_ctx ctx;
	int err;

	if (root_mnt)
		return -LINUX_EBUSY;
	ucore_set_clock(fs_clock);
	root_mnt = tmpfs_new(0755, 0, 0, LX_ROOT_MAX_BYTES, LX_ROOT_MAX_NODES);
	if (!root_mnt)
		return -LINUX_ENOMEM;
	if (cpio && cpio_size && (err = cpio_unpack(root_mnt->root, cpio, cpio_size, &cerr)) < 0)
		return (int)lx_err(err);
	ctx = (struct vfs_ctx){ root_mnt->root, root_mnt->root, &root_cred };
	/* The image may lack these; /tmp must be world-writable and sticky. */
	if ((err = ensure_dir(&ctx, "/tmp", 01777)) < 0 ||
	    (err = ensure_dir(&ctx, "/dev", 0755)) < 0 ||
	    (err = ensure_dir(&ctx, "/proc", 0555)) < 0)
		return (int)lx_err(err);
	if ((err = lx_dev_init(root_mnt->root)) < 0 || (err = lx_proc_mount(root_mnt->root)) < 0)
		return (int)lx_err(err);
	return 0;
}

long lx_fd_get(struct lx_thread *t, int fd, struct file **out)
{
	if (!t->proc->fdt || fdt_get(t->proc->fdt, fd, out) < 0)
		return -LINUX_EBADF;
	return 0;
}

long lx_path_in(struct lx_thread *t, uint64_t uaddr, char *buf)
{
	long r = lx_copyinstr(t->proc, uaddr, buf, U_PATH_MAX);

	return r < 0 ? r : 0;
}

long lx_at_dir(struct lx_thread *t, int dirfd, const char *path, struct vnode **held)
{
	struct file *f;

	*held = NULL;
	if (path[0] == '/' || dirfd == LINUX_AT_FDCWD)
		return 0;
	if (lx_fd_get(t, dirfd, &f) < 0)
		return -LINUX_EBADF;
	if (f->kind != FILE_VNODE || f->vp->attr.type != VDIR) {
		/* "" with AT_EMPTY_PATH names the file itself, whatever its type. */
		if (path[0] != '\0' || f->kind != FILE_VNODE) {
			file_rele(f);
			return path[0] ? -LINUX_ENOTDIR : -LINUX_EBADF;
		}
	}
	*held = vnode_ref(f->vp);
	file_rele(f);
	return 0;
}

/* Linux open flags with a core counterpart (the access mode aside). */
static const struct { uint64_t lx; unsigned core; } oflag_map[] = {
	{ LINUX_O_CREAT, UO_CREAT }, { LINUX_O_EXCL, UO_EXCL }, { LINUX_O_TRUNC, UO_TRUNC },
	{ LINUX_O_APPEND, UO_APPEND }, { LINUX_O_NONBLOCK, UO_NONBLOCK },
	{ LINUX_O_DIRECTORY, UO_DIRECTORY }, { LINUX_O_NOFOLLOW, UO_NOFOLLOW },
	{ LINUX_O_CLOEXEC, UO_CLOEXEC }, { LINUX_O_NOCTTY, UO_NOCTTY },
};

unsigned lx_oflags_in(uint64_t flags)
{
	unsigned u = 0;

	for (size_t i = 0; i < sizeof(oflag_map) / sizeof(oflag_map[0]); i++)
		if (flags & oflag_map[i].lx)
			u |= oflag_map[i].core;
	/* With O_PATH the access mode and all but these are ignored. */
	if (flags & LINUX_O_PATH)
		return UO_PATH | (u & (UO_DIRECTORY | UO_NOFOLLOW | UO_CLOEXEC));
	switch (flags & LINUX_O_ACCMODE) {
	case LINUX_O_RDONLY:
		return u | UO_READ;
	case LINUX_O_WRONLY:
		return u | UO_WRITE;
	default:		/* O_RDWR, and 3 ("ioctl only"), which needs both rights */
		return u | UO_READ | UO_WRITE;
	}
}

uint64_t lx_oflags_out(const struct file *f)
{
	uint64_t l;

	if (f->flags & UO_PATH)
		return LINUX_O_PATH;
	switch (f->flags & UO_ACCMODE) {
	case UO_READ:
		l = LINUX_O_RDONLY;
		break;
	case UO_WRITE:
		l = LINUX_O_WRONLY;
		break;
	default:
		l = LINUX_O_RDWR;
		break;
	}
	if (f->flags & UO_APPEND)
		l |= LINUX_O_APPEND;
	if (f->flags & UO_NONBLOCK)
		l |= LINUX_O_NONBLOCK;
	/* x86_64 Linux forces O_LARGEFILE on everything open() makes. */
	if (f->kind == FILE_VNODE)
		l |= LINUX_O_LARGEFILE;
	return l;
}

uint32_t lx_mode_type(enum vtype type)
{
	switch (type) {
	case VREG:
		return LINUX_S_IFREG;
	case VDIR:
		return LINUX_S_IFDIR;
	case VLNK:
		return LINUX_S_IFLNK;
	case VCHR:
		return LINUX_S_IFCHR;
	case VFIFO:
		return LINUX_S_IFIFO;
	default:
		return 0;
	}
}

uint8_t lx_dtype(enum vtype type)
{
	switch (type) {
	case VREG:
		return LINUX_DT_REG;
	case VDIR:
		return LINUX_DT_DIR;
	case VLNK:
		return LINUX_DT_LNK;
	case VCHR:
		return LINUX_DT_CHR;
	case VFIFO:
		return LINUX_DT_FIFO;
	default:
		return LINUX_DT_UNKNOWN;
	}
}

/* Linux's new_encode_dev: minor's low byte, then 12 bits of major, then the rest of minor. */
uint64_t lx_encode_dev(uint64_t udev)
{
	uint64_t major = UDEV_MAJOR(udev), minor = UDEV_MINOR(udev);

	return (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xffull) << 12);
}

uint64_t lx_decode_dev(uint64_t ldev)
{
	uint32_t major = (uint32_t)((ldev & 0xfff00) >> 8);
	uint32_t minor = (uint32_t)((ldev & 0xff) | ((ldev >> 12) & 0xfff00));

	return UDEV(major, minor);
}

void lx_file_attr(struct file *f, struct vattr *va)
{
	if (f->kind == FILE_VNODE) {
		vfs_getattr(f->vp, va);
		return;
	}
	/* A pipe: an inode of the (unmounted) pipe filesystem, as Linux reports it. */
	memset(va, 0, sizeof(*va));
	va->type = VFIFO;
	va->mode = 0600;
	va->nlink = 1;
	va->ino = ((uintptr_t)f->pipe >> 4) & 0xffffffffu;
	va->dev = UDEV(0, 12);
	if (lx_current) {
		va->uid = lx_current->proc->cred.uid;
		va->gid = lx_current->proc->cred.gid;
	}
}

static void pipe_woke(struct pipe *p, unsigned why, void *arg)
{
	(void)p;
	(void)why;
	(void)arg;
	lx_wake(LX_EV_IO);
}

void lx_pipe_watch(struct file *f)
{
	struct pipe *p = file_pipe_of(f);

	if (p)
		pipe_set_wake(p, pipe_woke, NULL);
}

long lx_io_block(struct lx_thread *t)
{
	if (lx_signal_pending(t))
		return -LINUX_EINTR;
	return lx_block(t, LX_EV_IO, 0);
}
