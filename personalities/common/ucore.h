/*
 * The Unix core's neutral contract: error codes, open flags, file types, permission
 * bits, credentials and times, in the core's own numbering. A personality translates
 * these to and from its guest ABI at the system-call boundary and nowhere else.
 *
 * Mapping contract:
 * - Errors. Every core function that can fail returns a negative `-U_Exxx` (or a
 *   non-negative result). The U_E* values are the core's own (alphabetical, not any
 *   OS's errno): a personality maps them with a table indexed by `enum uerr`, e.g.
 *   `static const int linux_errno[U_NERR] = { [U_ENOENT] = 2, ... }`, and must cover
 *   every entry (uerr_name() names them for logs and tests). U_EAGAIN means "would
 *   block": on a blocking descriptor the server parks the request and retries.
 * - Open flags (UO_*) are bits of the core's own; access is two bits (UO_READ,
 *   UO_WRITE), not the 0/1/2 field. A personality builds them from its O_* values.
 * - File types are `enum vtype`; a personality turns them into its S_IF* and DT_*
 *   values. Permission bits (07777: set-id, sticky, rwx for user, group, other) are
 *   POSIX's and the same on every guest, so `mode` fields carry them as they are.
 * - Device numbers are neutral (major, minor) pairs packed by UDEV(); a personality
 *   re-encodes them in its dev_t.
 * - Seek origins, poll bits and at-flags below are likewise the core's own.
 */
#ifndef _UCORE_H
#define _UCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UERR_LIST(X)								\
	X(E2BIG) X(EACCES) X(EAGAIN) X(EBADF) X(EBUSY) X(ECHILD) X(EEXIST)	\
	X(EFAULT) X(EFBIG) X(EINTR) X(EINVAL) X(EIO) X(EISDIR) X(ELOOP)		\
	X(EMFILE) X(EMLINK) X(ENAMETOOLONG) X(ENFILE) X(ENODEV) X(ENOENT)	\
	X(ENOEXEC) X(ENOMEM) X(ENOSPC) X(ENOSYS) X(ENOTDIR) X(ENOTEMPTY)	\
	X(ENOTSUP) X(ENOTTY) X(ENXIO) X(EOVERFLOW) X(EPERM) X(EPIPE) X(ERANGE)	\
	X(EROFS) X(ESPIPE) X(ESRCH) X(EXDEV)

enum uerr {
	U_OK = 0,
#define UERR_ENUM(name) U_##name,
	UERR_LIST(UERR_ENUM)
#undef UERR_ENUM
	U_NERR
};

/* "ENOENT" for -U_ENOENT or U_ENOENT, "OK" for 0, "?" for anything else. */
const char *uerr_name(long err);

/* Limits the core enforces. */
#define U_NAME_MAX	255		/* bytes in one path component */
#define U_PATH_MAX	4096		/* bytes in a path, with its NUL */
#define U_SYMLOOP_MAX	40		/* symbolic links followed in one resolution */
#define U_PIPE_BUF	4096		/* pipe writes up to this size are atomic */
#define U_PIPE_SIZE	65536		/* a pipe's buffer */

/* Open flags and file status flags. */
#define UO_READ		0x0001u
#define UO_WRITE	0x0002u
#define UO_ACCMODE	(UO_READ | UO_WRITE)
#define UO_CREAT	0x0010u
#define UO_EXCL		0x0020u
#define UO_TRUNC	0x0040u
#define UO_APPEND	0x0080u		/* status flag: each write goes to the end */
#define UO_NONBLOCK	0x0100u		/* status flag: U_EAGAIN instead of blocking */
#define UO_DIRECTORY	0x0200u		/* fail with U_ENOTDIR unless a directory */
#define UO_NOFOLLOW	0x0400u		/* fail with U_ELOOP if the last component is a symlink */
#define UO_CLOEXEC	0x0800u		/* descriptor flag, not kept in the description */
#define UO_NOCTTY	0x1000u		/* accepted; the core has no terminals */
#define UO_PATH		0x2000u		/* a description for fstat/fchdir only: no access */
/* The flags fcntl(F_SETFL) may change. */
#define UO_SETFL_MASK	(UO_APPEND | UO_NONBLOCK)

/* Flags of the *at calls, and of vfs_lookup. */
#define UAT_NOFOLLOW	0x1u		/* do not follow a symlink in the last component */
#define UAT_EMPTY_PATH	0x2u		/* "" names the starting directory itself */

enum vtype { VNON, VREG, VDIR, VLNK, VCHR, VFIFO };

/* Permission bits: the same numbers on every guest (POSIX). */
#define U_S_ISUID	04000u
#define U_S_ISGID	02000u
#define U_S_ISVTX	01000u
#define U_S_IPERM	07777u

/* Access wanted, for vfs_access. */
#define U_R_OK		4
#define U_W_OK		2
#define U_X_OK		1

/* Device numbers: 32-bit major, 32-bit minor. */
#define UDEV(major, minor)	(((uint64_t)(major) << 32) | (uint32_t)(minor))
#define UDEV_MAJOR(dev)		((uint32_t)((dev) >> 32))
#define UDEV_MINOR(dev)		((uint32_t)(dev))

/* lseek origins. */
enum useek { USEEK_SET, USEEK_CUR, USEEK_END };

/* poll readiness bits. */
#define UPOLL_IN	0x1u
#define UPOLL_OUT	0x2u
#define UPOLL_HUP	0x4u		/* the other end of a pipe is gone */
#define UPOLL_ERR	0x8u

struct utimespec {
	int64_t sec;
	int64_t nsec;
};

/* utimes: a nsec of UTIME_NOW means "now", UTIME_OMIT "leave as is" (values are the core's). */
#define U_UTIME_NOW	(-1)
#define U_UTIME_OMIT	(-2)

/* Who is asking: effective ids, as the permission checks use them. */
#define U_NGROUPS_MAX	32
struct ucred {
	uint32_t uid;
	uint32_t gid;
	uint32_t ngroups;
	uint32_t groups[U_NGROUPS_MAX];
};

/* The clock timestamps come from; the server sets it (default: always 0). */
void ucore_set_clock(void (*now)(struct utimespec *ts));
void ucore_now(struct utimespec *ts);

#endif
