/* Open file descriptions, FIFOs and the character-device switch. */
#include <stdlib.h>
#include <string.h>
#include "file.h"

static struct {
	uint64_t rdev;
	const struct cdev_ops *ops;
} cdevs[CDEV_MAX];

int cdev_register(uint64_t rdev, const struct cdev_ops *ops)
{
	int free_slot = -1;

	for (int i = 0; i < CDEV_MAX; i++) {
		if (cdevs[i].ops && cdevs[i].rdev == rdev)
			return -U_EBUSY;
		if (!cdevs[i].ops && free_slot < 0)
			free_slot = i;
	}
	if (free_slot < 0)
		return -U_ENOSPC;
	cdevs[free_slot].rdev = rdev;
	cdevs[free_slot].ops = ops;
	return 0;
}

void cdev_unregister(uint64_t rdev)
{
	for (int i = 0; i < CDEV_MAX; i++)
		if (cdevs[i].ops && cdevs[i].rdev == rdev)
			cdevs[i].ops = NULL;
}

static const struct cdev_ops *cdev_find(uint64_t rdev)
{
	for (int i = 0; i < CDEV_MAX; i++)
		if (cdevs[i].ops && cdevs[i].rdev == rdev)
			return cdevs[i].ops;
	return NULL;
}

static struct file *file_new(enum file_kind kind, unsigned flags)
{
	struct file *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->refs = 1;
	f->kind = kind;
	f->flags = flags & (UO_ACCMODE | UO_SETFL_MASK | UO_PATH);
	return f;
}

/* Attaches f to its FIFO's pipe (made at the first open), one end per access bit. */
static int fifo_open(struct file *f)
{
	struct vnode *vp = f->vp;

	if ((f->flags & (UO_NONBLOCK | UO_ACCMODE)) == (UO_NONBLOCK | UO_WRITE) &&
	    (!vp->fifo || !vp->fifo->readers))
		return -U_ENXIO;
	if (!vp->fifo && !(vp->fifo = pipe_new()))
		return -U_ENOMEM;
	f->pipe = vp->fifo;
	if (f->flags & UO_READ)
		pipe_open_end(f->pipe, PIPE_READ);
	if (f->flags & UO_WRITE)
		pipe_open_end(f->pipe, PIPE_WRITE);
	return 0;
}

static void fifo_close(struct file *f)
{
	bool unused = false;

	if (f->flags & UO_READ)
		unused = pipe_close_end(f->pipe, PIPE_READ);
	if (f->flags & UO_WRITE)
		unused = pipe_close_end(f->pipe, PIPE_WRITE);
	/* The last close of a FIFO discards what was left in it. */
	if (unused || (!f->pipe->readers && !f->pipe->writers)) {
		pipe_free(f->pipe);
		f->vp->fifo = NULL;
	}
}

int file_from_vnode(struct vnode *vp, unsigned oflags, struct file **out)
{
	struct file *f = file_new(FILE_VNODE, oflags);
	int err = 0;

	if (!f)
		return -U_ENOMEM;
	f->vp = vnode_ref(vp);
	if (!(f->flags & UO_PATH)) {
		if (vp->attr.type == VFIFO) {
			err = fifo_open(f);
		} else if (vp->attr.type == VCHR) {
			if (!(f->cdev = cdev_find(vp->attr.rdev)))
				err = -U_ENXIO;
			else if (f->cdev->open)
				err = f->cdev->open(f);
		}
	}
	if (err) {
		vnode_rele(vp);
		free(f);
		return err;
	}
	*out = f;
	return 0;
}

int file_open(const struct vfs_ctx *ctx, struct vnode *at, const char *path, unsigned oflags,
	      uint32_t perm, struct file **out)
{
	struct vnode *vp;
	int err = vfs_open(ctx, at, path, oflags, perm, &vp);

	if (err < 0)
		return err;
	err = file_from_vnode(vp, oflags, out);
	vnode_rele(vp);
	return err;
}

int file_pipe(unsigned flags, struct file **rd, struct file **wr)
{
	struct pipe *p = pipe_new();
	struct file *r = file_new(FILE_PIPE, UO_READ | (flags & UO_NONBLOCK));
	struct file *w = file_new(FILE_PIPE, UO_WRITE | (flags & UO_NONBLOCK));

	if (!p || !r || !w) {
		pipe_free(p);
		free(r);
		free(w);
		return -U_ENOMEM;
	}
	r->pipe = w->pipe = p;
	r->end = PIPE_READ;
	w->end = PIPE_WRITE;
	pipe_open_end(p, PIPE_READ);
	pipe_open_end(p, PIPE_WRITE);
	*rd = r;
	*wr = w;
	return 0;
}

struct file *file_ref(struct file *f)
{
	f->refs++;
	return f;
}

void file_rele(struct file *f)
{
	if (!f)
		return;
	if (f->refs == 0)
		__builtin_trap();
	if (--f->refs)
		return;
	if (f->kind == FILE_PIPE) {
		if (pipe_close_end(f->pipe, f->end))
			pipe_free(f->pipe);
	} else {
		if (f->pipe)
			fifo_close(f);
		if (f->cdev && f->cdev->close)
			f->cdev->close(f);
		vnode_rele(f->vp);
	}
	free(f);
}

struct pipe *file_pipe_of(struct file *f)
{
	return f->pipe;
}

/* Reads at off (regular files, devices, FIFOs and pipes), without touching f->offset. */
static long do_read(struct file *f, void *buf, size_t n, uint64_t off)
{
	if (!(f->flags & UO_READ) || (f->flags & UO_PATH))
		return -U_EBADF;
	if (f->pipe)
		return pipe_read(f->pipe, buf, n);
	if (f->cdev)
		return f->cdev->read ? f->cdev->read(f, buf, n, off) : -U_EINVAL;
	return vfs_read(f->vp, buf, n, off);
}

static long do_write(struct file *f, const void *buf, size_t n, uint64_t off)
{
	if (!(f->flags & UO_WRITE) || (f->flags & UO_PATH))
		return -U_EBADF;
	if (f->pipe)
		return pipe_write(f->pipe, buf, n);
	if (f->cdev)
		return f->cdev->write ? f->cdev->write(f, buf, n, off) : -U_EINVAL;
	return vfs_write(f->vp, buf, n, off);
}

static bool seekable(struct file *f)
{
	return !f->pipe;
}

long file_read(struct file *f, void *buf, size_t n)
{
	long r = do_read(f, buf, n, f->offset);

	if (r > 0 && seekable(f))
		f->offset += (uint64_t)r;
	return r;
}

long file_write(struct file *f, const void *buf, size_t n)
{
	long r;

	if (seekable(f) && (f->flags & UO_APPEND) && f->kind == FILE_VNODE &&
	    f->vp->attr.type == VREG)
		f->offset = f->vp->attr.size;
	r = do_write(f, buf, n, f->offset);
	if (r > 0 && seekable(f))
		f->offset += (uint64_t)r;
	return r;
}

long file_pread(struct file *f, void *buf, size_t n, uint64_t off)
{
	if (!seekable(f))
		return -U_ESPIPE;
	if (off > INT64_MAX)
		return -U_EINVAL;
	return do_read(f, buf, n, off);
}

long file_pwrite(struct file *f, const void *buf, size_t n, uint64_t off)
{
	if (!seekable(f))
		return -U_ESPIPE;
	if (off > INT64_MAX)
		return -U_EINVAL;
	/* Like Linux, O_APPEND wins over the offset. */
	if ((f->flags & UO_APPEND) && f->vp->attr.type == VREG)
		off = f->vp->attr.size;
	return do_write(f, buf, n, off);
}

int file_lseek(struct file *f, int64_t off, enum useek whence, uint64_t *out)
{
	int64_t base;

	if (!seekable(f))
		return -U_ESPIPE;
	switch (whence) {
	case USEEK_SET:
		base = 0;
		break;
	case USEEK_CUR:
		base = (int64_t)f->offset;
		break;
	case USEEK_END:
		if (f->vp->attr.type == VDIR)
			return -U_EINVAL;	/* a cookie has no end to count from */
		base = (int64_t)f->vp->attr.size;
		break;
	default:
		return -U_EINVAL;
	}
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return off > 0 ? -U_EOVERFLOW : -U_EINVAL;
	f->offset = (uint64_t)(base + off);
	*out = f->offset;
	return 0;
}

int file_readdir(struct file *f, struct udirent *de)
{
	int r;

	if (f->kind != FILE_VNODE)
		return -U_ENOTDIR;
	if ((r = vfs_readdir(f->vp, f->offset, de)) > 0)
		f->offset = de->next;
	return r;
}

int file_truncate(struct file *f, uint64_t size)
{
	if (f->kind != FILE_VNODE || !(f->flags & UO_WRITE) || (f->flags & UO_PATH))
		return -U_EINVAL;
	return vfs_truncate(NULL, f->vp, size);
}

unsigned file_poll(struct file *f)
{
	if (f->kind == FILE_PIPE)
		return pipe_poll(f->pipe, f->end);
	if (f->pipe) {
		unsigned r = 0;

		if (f->flags & UO_READ)
			r |= pipe_poll(f->pipe, PIPE_READ);
		if (f->flags & UO_WRITE)
			r |= pipe_poll(f->pipe, PIPE_WRITE);
		return r;
	}
	if (f->cdev && f->cdev->poll)
		return f->cdev->poll(f);
	return UPOLL_IN | UPOLL_OUT;
}

void file_setfl(struct file *f, unsigned flags)
{
	f->flags = (f->flags & ~UO_SETFL_MASK) | (flags & UO_SETFL_MASK);
}
