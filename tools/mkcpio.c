/*
 * mkcpio: writes a cpio archive in the "newc" format (magic 070701) from a text spec,
 * byte-for-byte the same every time: entries sorted by path, inode numbers given in that
 * order from 1, every mtime the same (0 unless -t), no device numbers, and the host
 * files' own owners, modes and times ignored. The personalities' root images are built
 * with it (docs/guests.md); the format is described there too.
 *
 * usage: mkcpio [-D NAME=VALUE]... [-M DEPFILE] [-t MTIME] SPEC OUT
 *
 * Spec lines (# comments and blank lines ignored; ${NAME} is replaced by a -D value):
 *	dir   PATH MODE UID GID
 *	file  PATH MODE UID GID HOSTFILE
 *	slink PATH MODE UID GID TARGET
 * PATH is absolute and normal ("/" for the root itself); MODE is octal permission bits
 * (up to 07777). Every PATH's parent must be a dir in the spec, except "/".
 * -M writes a make rule: OUT depends on SPEC and every HOSTFILE.
 *
 * A host program (built with the host's C library), not part of the kernel or servers.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define LINE_MAX_LEN	4096
#define MAX_VARS	32
#define NEWC_HDR_LEN	110

enum kind { K_DIR, K_FILE, K_SLINK };

struct entry {
	enum kind kind;
	char *path;		/* absolute, normal */
	char *source;		/* host file (K_FILE) or link target (K_SLINK) */
	unsigned mode, uid, gid;
	unsigned nlink;
	int line;		/* spec line, for messages */
};

struct spec {
	const char *name;	/* the spec file's name */
	struct entry *e;
	size_t n, cap;
	const char *var_name[MAX_VARS];
	const char *var_value[MAX_VARS];
	size_t nvars;
};

static int error(const char *fmt, ...)
{
	va_list ap;

	fputs("mkcpio: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* Replaces each ${NAME} in IN by its -D value; an unknown NAME is an error. */
static int expand(struct spec *s, int lineno, const char *in, char *out, size_t size)
{
	size_t o = 0;

	while (*in) {
		const char *v = in;
		size_t len = 1;

		if (in[0] == '$' && in[1] == '{') {
			const char *end = strchr(in + 2, '}');

			if (!end)
				return error("%s:%d: unterminated ${", s->name, lineno);
			v = NULL;
			for (size_t i = 0; i < s->nvars; i++)
				if (strlen(s->var_name[i]) == (size_t)(end - (in + 2)) &&
				    !strncmp(s->var_name[i], in + 2, (size_t)(end - (in + 2))))
					v = s->var_value[i];
			if (!v)
				return error("%s:%d: ${%.*s} is not defined (-D)", s->name, lineno,
					     (int)(end - (in + 2)), in + 2);
			len = strlen(v);
			in = end + 1;
		} else {
			in++;
		}
		if (o + len >= size)
			return error("%s:%d: line too long", s->name, lineno);
		memcpy(out + o, v, len);
		o += len;
	}
	out[o] = '\0';
	return 0;
}

/* Absolute, no empty, "." or ".." components, no trailing slash ("/" alone is fine). */
static int path_ok(const char *p)
{
	if (p[0] != '/')
		return 0;
	if (!strcmp(p, "/"))
		return 1;
	for (const char *c = p; *c; ) {
		const char *next;
		size_t len;

		c++;	/* past the '/' */
		next = strchr(c, '/');
		len = next ? (size_t)(next - c) : strlen(c);
		if (len == 0 || (len == 1 && c[0] == '.') ||
		    (len == 2 && c[0] == '.' && c[1] == '.'))
			return 0;
		if (!next)
			break;
		c = next;
	}
	return 1;
}

static int parse_num(const char *w, int base, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(w, &end, base);
	if (errno || *end || end == w || w[0] == '-' || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int add_line(struct spec *s, int lineno, char *line)
{
	char *w[7];
	int n = 0;
	struct entry e = { .line = lineno };

	for (char *t = strtok(line, " \t\r\n"); t; t = strtok(NULL, " \t\r\n")) {
		if (n == 7)
			return error("%s:%d: too many words", s->name, lineno);
		w[n++] = t;
	}
	if (n == 0)
		return 0;
	if (!strcmp(w[0], "dir"))
		e.kind = K_DIR;
	else if (!strcmp(w[0], "file"))
		e.kind = K_FILE;
	else if (!strcmp(w[0], "slink"))
		e.kind = K_SLINK;
	else
		return error("%s:%d: unknown entry kind '%s'", s->name, lineno, w[0]);
	if (n != (e.kind == K_DIR ? 5 : 6))
		return error("%s:%d: %s needs %s", s->name, lineno, w[0],
			     e.kind == K_DIR ? "PATH MODE UID GID" :
			     e.kind == K_FILE ? "PATH MODE UID GID HOSTFILE" :
			     "PATH MODE UID GID TARGET");
	if (!path_ok(w[1]) || (e.kind != K_DIR && !strcmp(w[1], "/")))
		return error("%s:%d: bad path '%s' (absolute, no . .. // or trailing /)",
			     s->name, lineno, w[1]);
	if (parse_num(w[2], 8, 07777, &e.mode))
		return error("%s:%d: bad mode '%s' (octal, at most 07777)", s->name, lineno, w[2]);
	if (parse_num(w[3], 10, 0xffffffffu, &e.uid) || parse_num(w[4], 10, 0xffffffffu, &e.gid))
		return error("%s:%d: bad uid or gid", s->name, lineno);
	e.path = strdup(w[1]);
	e.source = n == 6 ? strdup(w[5]) : NULL;
	if (!e.path || (n == 6 && !e.source))
		return error("out of memory");
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct entry *ne = realloc(s->e, cap * sizeof(*ne));

		if (!ne)
			return error("out of memory");
		s->e = ne;
		s->cap = cap;
	}
	s->e[s->n++] = e;
	return 0;
}

static int read_spec(struct spec *s)
{
	FILE *f = fopen(s->name, "r");
	char raw[LINE_MAX_LEN], line[LINE_MAX_LEN];
	int lineno = 0, rc = 0;

	if (!f)
		return error("%s: %s", s->name, strerror(errno));
	while (rc == 0 && fgets(raw, sizeof(raw), f)) {
		char *hash;

		lineno++;
		if (!strchr(raw, '\n') && !feof(f)) {
			rc = error("%s:%d: line too long", s->name, lineno);
			break;
		}
		hash = strchr(raw, '#');
		if (hash)
			*hash = '\0';
		rc = expand(s, lineno, raw, line, sizeof(line));
		if (rc == 0)
			rc = add_line(s, lineno, line);
	}
	fclose(f);
	return rc;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->path, ((const struct entry *)b)->path);
}

/* The entry for PATH in the sorted spec, or NULL. */
static struct entry *find(struct spec *s, const char *path)
{
	struct entry key = { .path = (char *)path };

	return bsearch(&key, s->e, s->n, sizeof(key), by_path);
}

/*
 * Sorts the entries (a path sorts before every path it is a prefix of, so parents come
 * before their children), rejects duplicates and orphans, and counts directory links.
 */
static int check_tree(struct spec *s)
{
	qsort(s->e, s->n, sizeof(*s->e), by_path);
	for (size_t i = 0; i < s->n; i++)
		s->e[i].nlink = s->e[i].kind == K_DIR ? 2 : 1;
	for (size_t i = 0; i < s->n; i++) {
		struct entry *e = &s->e[i], *parent;
		char dir[LINE_MAX_LEN];
		char *slash;

		if (i > 0 && !strcmp(e->path, s->e[i - 1].path))
			return error("%s:%d: %s already listed on line %d", s->name, e->line,
				     e->path, s->e[i - 1].line);
		if (!strcmp(e->path, "/"))
			continue;
		snprintf(dir, sizeof(dir), "%s", e->path);
		slash = strrchr(dir, '/');
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
		parent = find(s, dir);
		if (!parent && strcmp(dir, "/"))
			return error("%s:%d: %s: parent %s is not listed", s->name, e->line,
				     e->path, dir);
		if (parent && parent->kind != K_DIR)
			return error("%s:%d: %s: parent %s is not a dir", s->name, e->line,
				     e->path, dir);
		if (parent && e->kind == K_DIR)
			parent->nlink++;	/* the child's ".." */
	}
	return 0;
}

/* One header, the name and its padding to a multiple of 4 bytes. */
static void put_header(FILE *out, unsigned ino, unsigned mode, unsigned uid, unsigned gid,
		       unsigned nlink, unsigned mtime, unsigned size, const char *name)
{
	size_t namesize = strlen(name) + 1;

	fprintf(out, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08zX%08X",
		ino, mode, uid, gid, nlink, mtime, size, 0u, 0u, 0u, 0u, namesize, 0u);
	fwrite(name, 1, namesize, out);
	for (size_t n = NEWC_HDR_LEN + namesize; n % 4; n++)
		fputc(0, out);
}

static void put_data(FILE *out, const void *data, size_t size)
{
	fwrite(data, 1, size, out);
	for (size_t n = size; n % 4; n++)
		fputc(0, out);
}

/* The whole content of a regular host file (malloc'd), or NULL after a message. */
static char *slurp(struct spec *s, struct entry *e, size_t *size)
{
	FILE *f = fopen(e->source, "rb");
	struct stat st;
	char *buf;

	if (!f) {
		error("%s:%d: %s: %s", s->name, e->line, e->source, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) || st.st_size > 0xffffffffLL) {
		error("%s:%d: %s: not a regular file under 4 GiB", s->name, e->line, e->source);
		fclose(f);
		return NULL;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf || fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		error("%s:%d: %s: read failed", s->name, e->line, e->source);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*size = (size_t)st.st_size;
	return buf;
}

static int write_archive(struct spec *s, const char *path, unsigned mtime)
{
	char tmp[LINE_MAX_LEN];
	FILE *out;
	int rc = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	out = fopen(tmp, "wb");
	if (!out)
		return error("%s: %s", tmp, strerror(errno));
	for (size_t i = 0; i < s->n && rc == 0; i++) {
		struct entry *e = &s->e[i];
		/* Names are relative, as the kernel's initramfs and GNU cpio write them. */
		const char *name = strcmp(e->path, "/") ? e->path + 1 : ".";
		unsigned ino = (unsigned)i + 1;

		if (e->kind == K_DIR) {
			put_header(out, ino, S_IFDIR | e->mode, e->uid, e->gid, e->nlink, mtime,
				   0, name);
		} else if (e->kind == K_SLINK) {
			size_t len = strlen(e->source);

			put_header(out, ino, S_IFLNK | e->mode, e->uid, e->gid, 1, mtime,
				   (unsigned)len, name);
			put_data(out, e->source, len);	/* no NUL */
		} else {
			size_t size;
			char *data = slurp(s, e, &size);

			if (!data) {
				rc = -1;
				break;
			}
			put_header(out, ino, S_IFREG | e->mode, e->uid, e->gid, 1, mtime,
				   (unsigned)size, name);
			put_data(out, data, size);
			free(data);
		}
	}
	if (rc == 0)
		put_header(out, 0, 0, 0, 0, 1, 0, 0, "TRAILER!!!");
	if (rc == 0 && ferror(out))
		rc = error("%s: write failed", tmp);
	if (fclose(out) && rc == 0)
		rc = error("%s: %s", tmp, strerror(errno));
	if (rc == 0 && rename(tmp, path))
		rc = error("%s: %s", path, strerror(errno));
	if (rc)
		remove(tmp);
	return rc;
}

static int write_depfile(struct spec *s, const char *depfile, const char *out_path)
{
	FILE *f = fopen(depfile, "w");

	if (!f)
		return error("%s: %s", depfile, strerror(errno));
	fprintf(f, "%s: %s", out_path, s->name);
	for (size_t i = 0; i < s->n; i++)
		if (s->e[i].kind == K_FILE)
			fprintf(f, " \\\n  %s", s->e[i].source);
	fprintf(f, "\n%s:\n", s->name);
	/* An empty rule per input, so that a removed input does not break the build. */
	for (size_t i = 0; i < s->n; i++)
		if (s->e[i].kind == K_FILE)
			fprintf(f, "%s:\n", s->e[i].source);
	if (fclose(f))
		return error("%s: %s", depfile, strerror(errno));
	return 0;
}

static int usage(void)
{
	return error("usage: mkcpio [-D NAME=VALUE]... [-M DEPFILE] [-t MTIME] SPEC OUT");
}

int main(int argc, char **argv)
{
	struct spec s = { 0 };
	const char *depfile = NULL, *out;
	unsigned mtime = 0;
	int i, rc;

	/* No getopt: the unit test calls this function several times in one process. */
	for (i = 1; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		const char *arg = argv[i + 1];

		if (!strcmp(argv[i], "-D") && strchr(arg, '=') && s.nvars < MAX_VARS) {
			char *eq = strchr(arg, '=');

			s.var_name[s.nvars] = strndup(arg, (size_t)(eq - arg));
			s.var_value[s.nvars++] = eq + 1;
		} else if (!strcmp(argv[i], "-M")) {
			depfile = arg;
		} else if (strcmp(argv[i], "-t") || parse_num(arg, 10, 0xffffffffu, &mtime)) {
			rc = usage();
			goto done;
		}
	}
	if (argc - i != 2) {
		rc = usage();
		goto done;
	}
	s.name = argv[i];
	out = argv[i + 1];
	rc = read_spec(&s);
	if (rc == 0)
		rc = check_tree(&s);
	if (rc == 0)
		rc = write_archive(&s, out, mtime);
	if (rc == 0 && depfile)
		rc = write_depfile(&s, depfile, out);
done:
	for (size_t k = 0; k < s.n; k++) {
		free(s.e[k].path);
		free(s.e[k].source);
	}
	free(s.e);
	for (size_t k = 0; k < s.nvars; k++)
		free((char *)s.var_name[k]);
	return rc ? 1 : 0;
}
