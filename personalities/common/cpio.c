/*
 * The newc cpio reader. Each entry is a 110-byte ASCII header (magic and thirteen
 * 8-digit hex fields), the NUL-terminated name, padding to 4 bytes, the data, and
 * padding to 4 bytes; "TRAILER!!!" ends the archive.
 */
#include <stdlib.h>
#include <string.h>
#include "cpio.h"

#define CPIO_HDR	110
#define CPIO_S_IFMT	0170000u	/* the file type bits, as cpio writes them */
#define CPIO_S_IFDIR	0040000u
#define CPIO_S_IFREG	0100000u
#define CPIO_S_IFLNK	0120000u
#define CPIO_S_IFCHR	0020000u
#define CPIO_S_IFIFO	0010000u

enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_DEVMAJOR, F_DEVMINOR,
       F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK, F_COUNT };

struct entry {
	uint32_t f[F_COUNT];
	const char *name;	/* normalised, NUL-terminated, inside the archive */
	const unsigned char *data;
};

struct link_rec {		/* the first name of each multiply linked inode */
	uint32_t ino, devmajor, devminor;
	char *path;
};

struct dir_time {		/* directory mtimes, set last: their contents change them */
	struct vnode *v;
	int64_t mtime;
};

struct unpack {
	struct vfs_ctx ctx;
	struct ucred cred;
	struct link_rec *links;
	size_t nlinks;
	struct dir_time *dirs;
	size_t ndirs;
};

static int hex_field(const char *s, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		char c = s[i];
		uint32_t d;

		if (c >= '0' && c <= '9')
			d = (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (uint32_t)(c - 'A' + 10);
		else
			return -1;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

static size_t align4(size_t x)
{
	return (x + 3) & ~(size_t)3;
}

/* Parses the entry at off; sets *next. Returns NULL or what is wrong with it. */
static const char *parse(const unsigned char *buf, size_t size, size_t off, struct entry *e,
			 size_t *next)
{
	const char *h = (const char *)buf + off;
	size_t name_end, data_off;
	bool crc;

	if (size - off < CPIO_HDR)
		return "truncated header";
	if (memcmp(h, "07070", 5) != 0 || (h[5] != '1' && h[5] != '2'))
		return "bad magic (not newc)";
	crc = h[5] == '2';
	for (int i = 0; i < F_COUNT; i++)
		if (hex_field(h + 6 + 8 * i, &e->f[i]) < 0)
			return "bad hex digit in header";
	if (e->f[F_NAMESIZE] < 2 || e->f[F_NAMESIZE] > U_PATH_MAX)
		return "bad name size";
	if (size - off - CPIO_HDR < e->f[F_NAMESIZE])
		return "truncated name";
	name_end = off + CPIO_HDR + e->f[F_NAMESIZE];
	e->name = h + CPIO_HDR;
	if (strnlen(e->name, e->f[F_NAMESIZE]) != e->f[F_NAMESIZE] - 1)
		return "name not NUL-terminated at its size";
	data_off = align4(name_end);
	if (data_off > size || size - data_off < e->f[F_FILESIZE])
		return "truncated data";
	e->data = buf + data_off;
	*next = align4(data_off + e->f[F_FILESIZE]);
	if (crc) {
		uint32_t sum = 0;

		for (uint32_t i = 0; i < e->f[F_FILESIZE]; i++)
			sum += e->data[i];
		if (sum != e->f[F_CHECK])
			return "checksum mismatch";
	}
	return NULL;
}

/* Strips "./" and "/" prefixes; NULL for a name with a ".." component. */
static const char *normalise(const char *name)
{
	const char *p;

	for (;;) {
		if (name[0] == '/')
			name++;
		else if (name[0] == '.' && name[1] == '/')
			name += 2;
		else
			break;
	}
	for (p = name; *p; ) {
		const char *s = p;

		while (*p && *p != '/')
			p++;
		if (p - s == 2 && s[0] == '.' && s[1] == '.')
			return NULL;
		while (*p == '/')
			p++;
	}
	return name;
}

/* Makes every missing directory above path. */
static int make_parents(struct unpack *u, const char *path)
{
	size_t len = strlen(path);
	char *copy = malloc(len + 1);
	int err = 0;

	if (!copy)
		return -U_ENOMEM;
	memcpy(copy, path, len + 1);
	for (char *p = strchr(copy, '/'); p && !err; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (*copy) {
			err = vfs_mkdir(&u->ctx, NULL, copy, 0755);
			if (err == -U_EEXIST)
				err = 0;
		}
		*p = '/';
	}
	free(copy);
	return err;
}

/* Clears the way for a new entry at path: an old file goes; an old dir stays for a dir. */
static int clear_path(struct unpack *u, const char *path, bool is_dir)
{
	struct vnode *v;
	int err = vfs_lookup(&u->ctx, NULL, path, UAT_NOFOLLOW, &v);

	if (err == -U_ENOENT)
		return make_parents(u, path);
	if (err < 0)
		return err;
	if (v->attr.type == VDIR) {
		vnode_rele(v);
		return is_dir ? 0 : vfs_rmdir(&u->ctx, NULL, path);
	}
	vnode_rele(v);
	return vfs_unlink(&u->ctx, NULL, path);
}

static int set_attrs(struct unpack *u, const char *path, const struct entry *e, bool is_dir)
{
	struct utimespec ts[2] = { { e->f[F_MTIME], 0 }, { e->f[F_MTIME], 0 } };
	struct vnode *v;
	int err = vfs_lookup(&u->ctx, NULL, path, UAT_NOFOLLOW | UAT_EMPTY_PATH, &v);

	if (err < 0)
		return err;
	if ((err = vfs_chown(NULL, v, e->f[F_UID], e->f[F_GID])) == 0 &&
	    (v->attr.type == VLNK || (err = vfs_chmod(NULL, v, e->f[F_MODE])) == 0))
		err = vfs_utimes(NULL, v, ts);
	if (!err && is_dir) {
		struct dir_time *d = realloc(u->dirs, (u->ndirs + 1) * sizeof(*d));

		if (!d) {
			err = -U_ENOMEM;
		} else {
			u->dirs = d;
			d[u->ndirs].v = vnode_ref(v);
			d[u->ndirs++].mtime = e->f[F_MTIME];
		}
	}
	vnode_rele(v);
	return err;
}

static struct link_rec *link_find(struct unpack *u, const struct entry *e)
{
	for (size_t i = 0; i < u->nlinks; i++)
		if (u->links[i].ino == e->f[F_INO] && u->links[i].devmajor == e->f[F_DEVMAJOR] &&
		    u->links[i].devminor == e->f[F_DEVMINOR])
			return &u->links[i];
	return NULL;
}

static int link_add(struct unpack *u, const struct entry *e, const char *path)
{
	struct link_rec *l = realloc(u->links, (u->nlinks + 1) * sizeof(*l));

	if (!l)
		return -U_ENOMEM;
	u->links = l;
	l += u->nlinks;
	size_t len = strlen(path);

	if (!(l->path = malloc(len + 1)))
		return -U_ENOMEM;
	memcpy(l->path, path, len + 1);
	l->ino = e->f[F_INO];
	l->devmajor = e->f[F_DEVMAJOR];
	l->devminor = e->f[F_DEVMINOR];
	u->nlinks++;
	return 0;
}

static int unpack_file(struct unpack *u, const char *path, const struct entry *e)
{
	struct link_rec *l = e->f[F_NLINK] > 1 ? link_find(u, e) : NULL;
	struct vnode *v;
	long n;
	int err;

	if (l) {	/* another name of an inode already made: the data may come now */
		if ((err = vfs_link(&u->ctx, NULL, l->path, NULL, path, UAT_NOFOLLOW)) < 0)
			return err;
		if (e->f[F_FILESIZE] == 0)
			return 0;
		err = vfs_open(&u->ctx, NULL, path, UO_WRITE | UO_TRUNC, 0, &v);
	} else {
		err = vfs_open(&u->ctx, NULL, path, UO_WRITE | UO_CREAT | UO_EXCL, 0600, &v);
		if (!err && e->f[F_NLINK] > 1)
			err = link_add(u, e, path);
	}
	if (err < 0)
		return err;
	n = vfs_write(v, e->data, e->f[F_FILESIZE], 0);
	vnode_rele(v);
	if (n < 0)
		return (int)n;
	return (uint32_t)n == e->f[F_FILESIZE] ? 0 : -U_ENOSPC;
}

/* Makes one entry; a message for a bad field, else sets *err (0 or -U_E*). */
static const char *unpack_entry(struct unpack *u, const struct entry *e, int *err)
{
	uint32_t type = e->f[F_MODE] & CPIO_S_IFMT;
	const char *path = normalise(e->name);
	char target[U_PATH_MAX];

	*err = 0;
	if (!path)
		return "name with a \"..\" component";
	if (e->f[F_MODE] & ~(CPIO_S_IFMT | U_S_IPERM))
		return "bad mode bits";
	if (type != CPIO_S_IFREG && type != CPIO_S_IFLNK && e->f[F_FILESIZE] != 0)
		return "data on an entry that cannot have any";
	if (*path == '\0' || strcmp(path, ".") == 0) {
		if (type != CPIO_S_IFDIR)
			return "the root entry is not a directory";
		*err = set_attrs(u, "", e, true);
		return NULL;
	}
	switch (type) {
	case CPIO_S_IFDIR:
		if (!(*err = clear_path(u, path, true)) &&
		    (*err = vfs_mkdir(&u->ctx, NULL, path, 0700)) == -U_EEXIST)
			*err = 0;
		break;
	case CPIO_S_IFREG:
		if (!(*err = clear_path(u, path, false)))
			*err = unpack_file(u, path, e);
		break;
	case CPIO_S_IFLNK:
		if (e->f[F_FILESIZE] == 0 || e->f[F_FILESIZE] >= U_PATH_MAX ||
		    memchr(e->data, '\0', e->f[F_FILESIZE]))
			return "bad symlink target";
		memcpy(target, e->data, e->f[F_FILESIZE]);
		target[e->f[F_FILESIZE]] = '\0';
		if (!(*err = clear_path(u, path, false)))
			*err = vfs_symlink(&u->ctx, target, NULL, path);
		break;
	case CPIO_S_IFCHR:
	case CPIO_S_IFIFO:
		if (!(*err = clear_path(u, path, false)))
			*err = vfs_mknod(&u->ctx, NULL, path, type == CPIO_S_IFCHR ? VCHR : VFIFO,
					 0600, UDEV(e->f[F_RDEVMAJOR], e->f[F_RDEVMINOR]));
		break;
	default:
		return "unsupported file type";
	}
	if (!*err)
		*err = set_attrs(u, path, e, type == CPIO_S_IFDIR);
	return NULL;
}

static void finish(struct unpack *u, bool ok)
{
	for (size_t i = 0; i < u->ndirs; i++) {
		struct utimespec ts[2] = { { u->dirs[i].mtime, 0 }, { u->dirs[i].mtime, 0 } };

		if (ok)
			vfs_utimes(NULL, u->dirs[i].v, ts);
		vnode_rele(u->dirs[i].v);
	}
	for (size_t i = 0; i < u->nlinks; i++)
		free(u->links[i].path);
	free(u->links);
	free(u->dirs);
}

int cpio_unpack(struct vnode *root, const void *data, size_t size, struct cpio_error *cerr)
{
	struct unpack u = { .cred = { .uid = 0, .gid = 0 } };
	size_t off = 0, next;
	struct entry e;
	const char *bad = NULL;
	int err = 0;

	u.ctx = (struct vfs_ctx){ root, root, &u.cred };
	cerr->offset = 0;
	cerr->what = NULL;
	for (;;) {
		if (off >= size) {
			bad = "no TRAILER!!! entry";
			break;
		}
		if ((bad = parse(data, size, off, &e, &next)))
			break;
		if (strcmp(e.name, "TRAILER!!!") == 0)
			break;
		if ((bad = unpack_entry(&u, &e, &err)) || err)
			break;
		off = next;
	}
	if (bad) {
		cerr->offset = off < size ? off : size;
		cerr->what = bad;
		err = -U_EINVAL;
	} else if (err) {
		cerr->offset = off;
		cerr->what = "could not create the entry";
	}
	finish(&u, !err);
	return err;
}
