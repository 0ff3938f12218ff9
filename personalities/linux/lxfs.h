/*
 * The file part of the Linux personality (fs.c, sys_fs.c, sys_path.c, sys_stat.c,
 * dev.c, procfs.c): helpers the system-call files share, and the few Linux layouts
 * abi.h does not carry (statx, statfs, iovec, utimensat's special values).
 */
#ifndef _LXFS_H_
#define _LXFS_H_

#include "lx.h"
#include "personalities/common/file.h"

/* Limits of the root tmpfs: a guest that fills it gets ENOSPC, not a dead server. */
#define LX_ROOT_MAX_BYTES	(256ull << 20)
#define LX_ROOT_MAX_NODES	65536
#define LX_DEV_MAX_NODES	64

/* Guest buffers move through this many bytes at a time (lx_bounce). */
#define LX_BOUNCE_SIZE		65536
extern unsigned char lx_bounce[LX_BOUNCE_SIZE];

/* Linux's cap on one read or write (MAX_RW_COUNT: INT_MAX rounded down to a page). */
#define LX_MAX_RW		0x7ffff000ul
#define LX_IOV_MAX		1024

/* Device numbers (Linux's), for /dev and for stat. */
#define LX_DEV_NULL		UDEV(1, 3)
#define LX_DEV_ZERO		UDEV(1, 5)
#define LX_DEV_FULL		UDEV(1, 7)
#define LX_DEV_RANDOM		UDEV(1, 8)
#define LX_DEV_URANDOM		UDEV(1, 9)
#define LX_DEV_TTYS0		UDEV(4, 64)
#define LX_DEV_TTY		UDEV(5, 0)
#define LX_DEV_CONSOLE		UDEV(5, 1)

/* Linux's utimensat special nanosecond values. */
#define LINUX_UTIME_NOW		((1l << 30) - 1)
#define LINUX_UTIME_OMIT	((1l << 30) - 2)

/* Flags not in abi.h. */
#define LINUX_AT_NO_AUTOMOUNT	0x800
#define LINUX_AT_STATX_SYNC_TYPE 0x6000
#define LINUX_RENAME_NOREPLACE	1
#define LINUX_RENAME_EXCHANGE	2
#define LINUX_RENAME_WHITEOUT	4
#define LINUX_CLOSE_RANGE_UNSHARE 2
#define LINUX_CLOSE_RANGE_CLOEXEC 4
#define LINUX_SEEK_DATA		3
#define LINUX_SEEK_HOLE		4
#define LINUX_F_UNLCK		2
#define LINUX_FIOASYNC		0x5452
#define LINUX_TMPFS_MAGIC	0x01021994
#define LINUX_PROC_SUPER_MAGIC	0x9fa0
#define LINUX_PIPEFS_MAGIC	0x50495045

struct linux_iovec {
	uint64_t base;
	uint64_t len;
};

struct linux_statx_timestamp {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t reserved;
};

/* statx(2): 256 bytes. */
struct linux_statx {
	uint32_t stx_mask;
	uint32_t stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink;
	uint32_t stx_uid;
	uint32_t stx_gid;
	uint16_t stx_mode;
	uint16_t spare0;
	uint64_t stx_ino;
	uint64_t stx_size;
	uint64_t stx_blocks;
	uint64_t stx_attributes_mask;
	struct linux_statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor;
	uint32_t stx_dev_major, stx_dev_minor;
	uint64_t stx_mnt_id;
	uint32_t stx_dio_mem_align, stx_dio_offset_align;
	uint64_t spare3[12];
};
#define LINUX_STATX_BASIC_STATS	0x7ffu
#define LINUX_STATX_MNT_ID	0x1000u

/* x86_64 struct statfs: 120 bytes. */
struct linux_statfs {
	int64_t f_type, f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen, f_frsize, f_flags;
	int64_t f_spare[4];
};

_Static_assert(sizeof(struct linux_statx) == 256, "statx");
_Static_assert(offsetof(struct linux_statx, stx_atime) == 64, "statx times");
_Static_assert(offsetof(struct linux_statx, stx_rdev_major) == 128, "statx devs");
_Static_assert(sizeof(struct linux_statfs) == 120, "statfs");

/* fs.c: shared by the system-call files. */

/* The description behind fd, with a reference (file_rele when done); -LINUX_EBADF. */
long lx_fd_get(struct lx_thread *t, int fd, struct file **out);
/* A guest path into buf (U_PATH_MAX bytes): 0, -EFAULT, -ENAMETOOLONG. */
long lx_path_in(struct lx_thread *t, uint64_t uaddr, char *buf);
/*
 * The directory an *at call starts from: NULL for AT_FDCWD (the core then uses the
 * cwd), else dirfd's vnode with a reference in *held (vnode_rele it). An absolute
 * path ignores dirfd; an fd that is not a directory is -ENOTDIR once used.
 */
long lx_at_dir(struct lx_thread *t, int dirfd, const char *path, struct vnode **held);
/* Linux open flags -> UO_*, and back (F_GETFL). */
unsigned lx_oflags_in(uint64_t flags);
uint64_t lx_oflags_out(const struct file *f);
/* The file's type bits (S_IF*) for vtype, and the DT_* value. */
uint32_t lx_mode_type(enum vtype type);
uint8_t lx_dtype(enum vtype type);
/* Linux's new_encode_dev of a core device number, and its decode. */
uint64_t lx_encode_dev(uint64_t udev);
uint64_t lx_decode_dev(uint64_t ldev);
/* The attributes fstat reports for any description (pipes have no vnode). */
void lx_file_attr(struct file *f, struct vattr *va);
/* Registers the wake-up that re-runs parked readers and writers of f's pipe or FIFO. */
void lx_pipe_watch(struct file *f);
/*
 * A call that found nothing to do without blocking: -EINTR if a signal waits, else
 * parks t on LX_EV_IO (returns LX_BLOCK).
 */
long lx_io_block(struct lx_thread *t);

/* dev.c */
int lx_dev_init(struct vnode *root);
/* A name for a device number ("ttyS0"), or NULL. */
const char *lx_dev_name(uint64_t rdev);

/* procfs.c */
int lx_proc_mount(struct vnode *root);

#endif /* _LXFS_H_ */
