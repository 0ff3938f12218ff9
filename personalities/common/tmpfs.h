/*
 * tmpfs: the writable in-memory filesystem (the root and /dev). Each node embeds its
 * vnode; directories are lists of entries in creation order, whose cookies never
 * change, so a readdir in progress survives removals; file data lives in 4 KiB pages
 * in a two-level table, where a missing page is a hole that reads as zeros.
 */
#ifndef _TMPFS_H
#define _TMPFS_H

#include "vfs.h"

#define TMPFS_PAGE		4096u
#define TMPFS_LEAF		512u		/* page pointers per second-level table */
#define TMPFS_MAX_FILE		((uint64_t)1 << 32)	/* bytes; beyond: U_EFBIG */

struct tmpfs_dirent {
	struct tmpfs_dirent *next, *prev;
	struct tmpfs_node *node;
	uint64_t cookie;		/* readdir position, >= 2 ("." is 0, ".." 1) */
	size_t len;
	char name[];			/* NUL-terminated */
};

struct tmpfs_node {
	struct vnode v;			/* first: a vnode pointer is a node pointer */
	union {
		struct {
			struct tmpfs_dirent *head, *tail;
			uint64_t next_cookie;
			struct tmpfs_node *parent;	/* a reference, except the root's (itself) */
			size_t entries;
		} dir;
		struct {
			void ***leaves;			/* leaves[i][j]: page i*TMPFS_LEAF+j */
			size_t nleaves;
		} reg;
		struct {
			char *target;
		} lnk;
	};
};

struct tmpfs_mount {
	uint64_t next_ino;
	uint64_t pages, max_pages;	/* file pages in use, and the limit (U_ENOSPC) */
	uint64_t nodes, max_nodes;
};

/*
 * A new tmpfs whose root directory has the given mode and owner, holding at most
 * max_bytes of file data and max_nodes nodes (0: no limit). Mount it with vfs_mount
 * or use its root as a namespace's root.
 */
struct mount *tmpfs_new(uint32_t mode, uint32_t uid, uint32_t gid, uint64_t max_bytes,
			uint64_t max_nodes);

/*
 * Frees an unmounted tmpfs and everything in it. Nothing outside may hold a
 * reference to any of its vnodes (a broken promise is caught as a trap).
 */
void tmpfs_destroy(struct mount *m);

/* tmpfs_data.c, for tmpfs.c */
long tmpfs_read(struct vnode *v, void *buf, size_t n, uint64_t off);
long tmpfs_write(struct vnode *v, const void *buf, size_t n, uint64_t off);
int tmpfs_truncate(struct vnode *v, uint64_t size);
void tmpfs_free_data(struct tmpfs_node *node);

#endif
