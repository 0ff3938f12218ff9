/*
 * Per-process descriptor tables: descriptor numbers to open file descriptions,
 * each with its close-on-exec flag. New descriptors take the lowest free number;
 * numbers stay below the table's limit (RLIMIT_NOFILE). fork copies a table, the
 * copies sharing descriptions (offsets and status flags).
 */
#ifndef _FDTABLE_H
#define _FDTABLE_H

#include "file.h"

#define FDT_CLOEXEC		0x1u		/* the only descriptor flag */
#define FDT_LIMIT_DEFAULT	1024
#define FDT_LIMIT_MAX		65536

struct fd_entry {
	struct file *file;	/* a reference; NULL: free */
	unsigned flags;		/* FDT_CLOEXEC */
};

struct fdtable {
	struct fd_entry *ents;
	int cap;		/* entries allocated (grows up to limit) */
	int limit;		/* descriptors are < limit */
	int used;		/* open descriptors */
};

struct fdtable *fdt_new(int limit);
/* A copy for a forked child: the same descriptors, sharing each description. */
struct fdtable *fdt_fork(const struct fdtable *t);
/* Closes every descriptor and frees t. */
void fdt_free(struct fdtable *t);

/* Installs f (taking a reference of its own) at the lowest free number >= minfd:
   the number, -U_EMFILE when none is free below the limit, -U_EINVAL if minfd is. */
int fdt_install(struct fdtable *t, struct file *f, int minfd, unsigned fdflags);
/* The description behind fd, with a reference for the caller; -U_EBADF. */
int fdt_get(struct fdtable *t, int fd, struct file **out);
int fdt_close(struct fdtable *t, int fd);
/* fcntl(F_DUPFD / F_DUPFD_CLOEXEC) and dup (minfd 0). */
int fdt_dup(struct fdtable *t, int fd, int minfd, unsigned fdflags);
/* dup2: newfd (closed first if open); oldfd == newfd just checks oldfd. */
int fdt_dup2(struct fdtable *t, int oldfd, int newfd);
/* dup3: as dup2 but oldfd == newfd is -U_EINVAL, and fdflags may set FDT_CLOEXEC. */
int fdt_dup3(struct fdtable *t, int oldfd, int newfd, unsigned fdflags);
int fdt_getfd(struct fdtable *t, int fd);		/* flags or -U_EBADF */
int fdt_setfd(struct fdtable *t, int fd, unsigned fdflags);
/* execve: closes the close-on-exec descriptors. */
void fdt_exec(struct fdtable *t);
/* Sets the limit (1..FDT_LIMIT_MAX); descriptors already above it stay open. */
int fdt_set_limit(struct fdtable *t, int limit);
/* The lowest open descriptor >= fd, or -1: for iterating (close_range, /proc/pid/fd). */
int fdt_next(const struct fdtable *t, int fd);

#endif
