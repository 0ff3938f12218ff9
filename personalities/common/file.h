/*
 * Open file descriptions: what a descriptor points at (a vnode, or one end of a
 * pipe), with the offset and status flags that fork and dup share. Character
 * devices are routed to drivers the personality registers by device number;
 * FIFOs get a pipe while they are open. Results are counts or -U_E*; -U_EAGAIN
 * means "would block" (see pipe.h).
 */
#ifndef _FILE_H
#define _FILE_H

#include "pipe.h"
#include "vfs.h"

enum file_kind { FILE_VNODE, FILE_PIPE };

struct file {
	unsigned refs;		/* descriptors (in any table) and in-flight requests */
	enum file_kind kind;
	unsigned flags;		/* UO_READ, UO_WRITE, UO_APPEND, UO_NONBLOCK, UO_PATH */
	uint64_t offset;	/* a directory's: the readdir cookie */
	struct vnode *vp;	/* FILE_VNODE: a reference */
	struct pipe *pipe;	/* FILE_PIPE, or the FIFO's pipe */
	enum pipe_end end;	/* FILE_PIPE: which end (a FIFO opened UO_READ|UO_WRITE has both) */
	const struct cdev_ops *cdev;	/* VCHR: the driver */
	void *priv;		/* the driver's, per description */
};

/* A character device driver; any operation may be NULL. */
struct cdev_ops {
	int (*open)(struct file *f);		/* f->vp->attr.rdev says which device */
	void (*close)(struct file *f);
	long (*read)(struct file *f, void *buf, size_t n, uint64_t off);
	long (*write)(struct file *f, const void *buf, size_t n, uint64_t off);
	unsigned (*poll)(struct file *f);	/* NULL: always ready */
};

#define CDEV_MAX	32
/* Serves opens of device rdev with ops (-U_EBUSY if taken, -U_ENOSPC if full). */
int cdev_register(uint64_t rdev, const struct cdev_ops *ops);
void cdev_unregister(uint64_t rdev);

/* Opens path (vfs_open) and makes a description of it. */
int file_open(const struct vfs_ctx *ctx, struct vnode *at, const char *path, unsigned oflags,
	      uint32_t perm, struct file **out);
/* A description of an already opened (authorised) vnode. FIFOs: UO_NONBLOCK|UO_WRITE
   without a reader fails with -U_ENXIO; a blocking open does not wait (the server's
   business). Devices without a driver: -U_ENXIO. */
int file_from_vnode(struct vnode *vp, unsigned oflags, struct file **out);
/* A new pipe: rd reads, wr writes; flags may hold UO_NONBLOCK. */
int file_pipe(unsigned flags, struct file **rd, struct file **wr);
struct file *file_ref(struct file *f);
void file_rele(struct file *f);

long file_read(struct file *f, void *buf, size_t n);
long file_write(struct file *f, const void *buf, size_t n);
long file_pread(struct file *f, void *buf, size_t n, uint64_t off);
long file_pwrite(struct file *f, const void *buf, size_t n, uint64_t off);
/* The new offset in *out; -U_ESPIPE on pipes, -U_EINVAL for a negative result. */
int file_lseek(struct file *f, int64_t off, enum useek whence, uint64_t *out);
/* One entry at the description's cookie, advancing it: 1, 0 at the end, or -U_E*. */
int file_readdir(struct file *f, struct udirent *de);
int file_truncate(struct file *f, uint64_t size);
unsigned file_poll(struct file *f);
/* fcntl(F_SETFL): only UO_SETFL_MASK bits change. */
void file_setfl(struct file *f, unsigned flags);
/* The pipe and end a blocked request on f waits for, or NULL (not a pipe or FIFO). */
struct pipe *file_pipe_of(struct file *f);

#endif
