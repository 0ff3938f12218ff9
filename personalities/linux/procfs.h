/* /proc's nodes, shared by procfs.c (the vnode operations) and procfs_text.c (contents). */
#ifndef _LX_PROCFS_H_
#define _LX_PROCFS_H_

#include "lxfs.h"

enum proc_kind {
	PK_ROOT = 1, PK_SELF, PK_MEMINFO, PK_UPTIME, PK_VERSION, PK_MOUNTS, PK_CPUINFO,
	PK_LOADAVG, PK_FILESYSTEMS,
	PK_PID, PK_EXE, PK_CWD, PK_ROOT_LINK, PK_CMDLINE, PK_STAT, PK_STATUS, PK_STATM,
	PK_COMM, PK_FD_DIR, PK_FD,
};

struct proc_node {
	struct vnode v;		/* first: a vnode pointer is a node pointer */
	enum proc_kind kind;
	int pid;		/* 0: not about a process */
	int fd;			/* PK_FD */
};

/* The process n is about, or NULL once it is gone. */
struct lx_proc *procfs_proc(struct proc_node *n);
/* A file's whole text into buf: its length (buf holds it if < n), or -U_E*. */
long procfs_text(struct proc_node *n, char *buf, size_t size);
/* A link's target (not NUL-terminated): its length (<= n), or -U_E*. */
long procfs_link(struct proc_node *n, char *buf, size_t size);

/* What /proc/<pid>/fd/<fd> reads as: its length, or -U_E*. */
long lx_proc_fd_link(struct lx_proc *p, int fd, char *buf, size_t size);

#endif
