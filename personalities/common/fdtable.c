/* Descriptor tables: lowest-free allocation, dup family, close-on-exec, fork copies. */
#include <stdlib.h>
#include <string.h>
#include "fdtable.h"

struct fdtable *fdt_new(int limit)
{
	struct fdtable *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->limit = limit > 0 && limit <= FDT_LIMIT_MAX ? limit : FDT_LIMIT_DEFAULT;
	return t;
}

/* Makes entries up to index fd exist. */
static int grow(struct fdtable *t, int fd)
{
	int cap = t->cap ? t->cap : 16;
	struct fd_entry *e;

	if (fd < t->cap)
		return 0;
	while (cap <= fd)
		cap *= 2;
	if (cap > FDT_LIMIT_MAX)
		cap = FDT_LIMIT_MAX;
	if (!(e = realloc(t->ents, (size_t)cap * sizeof(*e))))
		return -U_ENOMEM;
	memset(e + t->cap, 0, (size_t)(cap - t->cap) * sizeof(*e));
	t->ents = e;
	t->cap = cap;
	return 0;
}

struct fdtable *fdt_fork(const struct fdtable *t)
{
	struct fdtable *c = fdt_new(t->limit);

	if (!c)
		return NULL;
	if (t->cap && grow(c, t->cap - 1) < 0) {
		free(c);
		return NULL;
	}
	for (int fd = 0; fd < t->cap; fd++) {
		if (!t->ents[fd].file)
			continue;
		c->ents[fd].file = file_ref(t->ents[fd].file);
		c->ents[fd].flags = t->ents[fd].flags;
	}
	c->used = t->used;
	return c;
}

void fdt_free(struct fdtable *t)
{
	if (!t)
		return;
	for (int fd = 0; fd < t->cap; fd++)
		file_rele(t->ents[fd].file);
	free(t->ents);
	free(t);
}

static bool valid(const struct fdtable *t, int fd)
{
	return fd >= 0 && fd < t->cap && t->ents[fd].file;
}

/* Puts f (a new reference) at fd, which is free and below the limit. */
static int place(struct fdtable *t, int fd, struct file *f, unsigned fdflags)
{
	int err = grow(t, fd);

	if (err < 0)
		return err;
	t->ents[fd].file = file_ref(f);
	t->ents[fd].flags = fdflags & FDT_CLOEXEC;
	t->used++;
	return fd;
}

int fdt_install(struct fdtable *t, struct file *f, int minfd, unsigned fdflags)
{
	int fd;

	if (minfd < 0 || minfd >= t->limit)
		return -U_EINVAL;
	for (fd = minfd; fd < t->limit && valid(t, fd); fd++)
		;
	if (fd >= t->limit)
		return -U_EMFILE;
	return place(t, fd, f, fdflags);
}

int fdt_get(struct fdtable *t, int fd, struct file **out)
{
	if (!valid(t, fd))
		return -U_EBADF;
	*out = file_ref(t->ents[fd].file);
	return 0;
}

int fdt_close(struct fdtable *t, int fd)
{
	struct file *f;

	if (!valid(t, fd))
		return -U_EBADF;
	f = t->ents[fd].file;
	t->ents[fd].file = NULL;
	t->ents[fd].flags = 0;
	t->used--;
	file_rele(f);
	return 0;
}

int fdt_dup(struct fdtable *t, int fd, int minfd, unsigned fdflags)
{
	if (!valid(t, fd))
		return -U_EBADF;
	return fdt_install(t, t->ents[fd].file, minfd, fdflags);
}

static int dup_to(struct fdtable *t, int oldfd, int newfd, unsigned fdflags)
{
	struct file *f;
	int r;

	if (!valid(t, oldfd) || newfd < 0 || newfd >= t->limit)
		return -U_EBADF;
	/* Hold the description: closing newfd must not free it if it is the same. */
	f = file_ref(t->ents[oldfd].file);
	if (valid(t, newfd))
		fdt_close(t, newfd);
	r = place(t, newfd, f, fdflags);
	file_rele(f);
	return r;
}

int fdt_dup2(struct fdtable *t, int oldfd, int newfd)
{
	if (oldfd == newfd)
		return valid(t, oldfd) ? newfd : -U_EBADF;
	return dup_to(t, oldfd, newfd, 0);
}

int fdt_dup3(struct fdtable *t, int oldfd, int newfd, unsigned fdflags)
{
	if (oldfd == newfd || (fdflags & ~FDT_CLOEXEC))
		return -U_EINVAL;
	return dup_to(t, oldfd, newfd, fdflags);
}

int fdt_getfd(struct fdtable *t, int fd)
{
	if (!valid(t, fd))
		return -U_EBADF;
	return (int)t->ents[fd].flags;
}

int fdt_setfd(struct fdtable *t, int fd, unsigned fdflags)
{
	if (!valid(t, fd))
		return -U_EBADF;
	t->ents[fd].flags = fdflags & FDT_CLOEXEC;
	return 0;
}

void fdt_exec(struct fdtable *t)
{
	for (int fd = 0; fd < t->cap; fd++)
		if (t->ents[fd].file && (t->ents[fd].flags & FDT_CLOEXEC))
			fdt_close(t, fd);
}

int fdt_set_limit(struct fdtable *t, int limit)
{
	if (limit < 1 || limit > FDT_LIMIT_MAX)
		return -U_EINVAL;
	t->limit = limit;
	return 0;
}

int fdt_next(const struct fdtable *t, int fd)
{
	for (fd = fd < 0 ? 0 : fd; fd < t->cap; fd++)
		if (t->ents[fd].file)
			return fd;
	return -1;
}
