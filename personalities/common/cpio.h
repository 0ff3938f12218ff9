/*
 * Reading a cpio archive in the "newc" format (magic 070701, or 070702 with
 * checksums) into a directory tree, typically a fresh tmpfs: directories, regular
 * files, symlinks, FIFOs and character devices, with modes, owners and mtimes, and
 * hard links (entries sharing an inode number, the data on any one of them).
 */
#ifndef _CPIO_H
#define _CPIO_H

#include "vfs.h"

/* Where and why an archive was refused. */
struct cpio_error {
	size_t offset;		/* of the entry's header */
	const char *what;	/* a constant string */
};

/*
 * Unpacks the archive in data[0..size) below root, as root. Every field is checked
 * against the buffer before it is used: a malformed archive returns -U_EINVAL (and
 * says where in *err), never reads outside the buffer; the tree keeps what was
 * unpacked before the bad entry. Missing parent directories are made (0755). Names
 * may start with "./" or "/"; "." sets the root's attributes; ".." is refused.
 */
int cpio_unpack(struct vnode *root, const void *data, size_t size, struct cpio_error *err);

#endif
