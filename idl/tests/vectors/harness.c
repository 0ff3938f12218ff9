/* Vector checker core: runs every case of one interface, reports one
   line per case, and keeps the bookkeeping both sides share. */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#ifndef IFACE
#error "build with -DIFACE=\"<interface>\""
#endif
const char *const iface = IFACE;
const struct vcase *hcase;
const struct vfile *hfile;
static int case_failures;
unsigned char hsent[8192];
unsigned hsent_size;
static char events[64][160];
static int nevents;

bool is_case(const char *routine, const char *name)
{
	return hfile && hfile->routine && !strcmp(hfile->routine, routine) && !strcmp(hcase->name, name);
}

void hfail(const char *fmt, ...)
{
	va_list ap;

	printf("    ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	case_failures++;
}

void hexpect(bool ok, const char *file, int line, const char *what, long long got, long long want)
{
	if (!ok)
		hfail("%s:%d: %s is %#llx (%lld), want %#llx (%lld)", file, line, what, got, got, want, want);
}

void hexpect_mem(const char *file, int line, const char *what, const void *got, const char *hex)
{
	const unsigned char *g = got;
	size_t i, n = strlen(hex) / 2;
	char byte[3] = { 0 };

	for (i = 0; i < n; i++) {
		byte[0] = hex[2 * i];
		byte[1] = hex[2 * i + 1];
		if (g[i] != (unsigned char)strtoul(byte, NULL, 16)) {
			hfail("%s:%d: %s differs at byte %zu: %02x, want %s (all: %s)", file, line, what, i,
			      g[i], byte, hex);
			return;
		}
	}
}

void hevent(const char *fmt, ...)
{
	va_list ap;

	if (nevents == 64)
		return;
	va_start(ap, fmt);
	vsnprintf(events[nevents++], sizeof events[0], fmt, ap);
	va_end(ap);
}

void hevents_reset(void)
{
	nevents = 0;
}

/* `mig_put_reply_port reply` and `mig_put_reply_port` are the same event. */
static void normalise(char *e)
{
	if (!strncmp(e, "mig_", 4) && strstr(e, "reply_port"))
		e[strcspn(e, " ")] = 0;
}

void hevents_check(bool (*keep)(const char *word))
{
	char want[64][160], *list, *tok, *save = NULL;
	int nwant = 0, i, j = 0;

	list = strdup(hcase->events ? hcase->events : "");
	for (tok = strtok_r(list, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		while (*tok == ' ')
			tok++;
		if (keep(tok) && nwant < 64) {
			snprintf(want[nwant], sizeof want[0], "%s", tok);
			normalise(want[nwant++]);
		}
	}
	free(list);
	for (i = 0; i < nevents; i++) {
		if (!keep(events[i]))
			continue;
		normalise(events[i]);
		if (j >= nwant || strcmp(events[i], want[j]) != 0) {
			hfail("event %d is `%s', want `%s'", j, events[i], j < nwant ? want[j] : "(none)");
			return;
		}
		j++;
	}
	if (j != nwant)
		hfail("missing event `%s'", want[j]);
}

static unsigned char port_byte(const struct vmsg *m, unsigned off)
{
	unsigned start = off;

	while (start > 0 && m->mark[start - 1] == B_REPLYPORT && off - start < 3)
		start--;
	return (unsigned char)(REPLY_PORT >> (8 * (off - start)));
}

void hbuild(const struct vmsg *m, unsigned char *buf, unsigned char fill)
{
	unsigned i;
	int k;

	for (i = 0; i < m->size; i++)
		buf[i] = m->mark[i] == B_DONTCARE ? fill : m->mark[i] == B_REPLYPORT ? port_byte(m, i)
			: m->val[i];
	for (k = 0; k < m->nool; k++) {
		const struct vool *o = &m->ool[k];
		void *p = NULL;

		if (!o->null) {
			p = malloc(o->size ? o->size : 1);
			memcpy(p, o->data, o->size);
		}
		memcpy(buf + o->offset, &p, sizeof p);
	}
}

void hcompare(const char *what, const struct vmsg *m, const unsigned char *buf, unsigned size)
{
	unsigned i;
	int k;

	if (size != m->size) {
		hfail("%s: %u bytes, want %u", what, size, m->size);
		if (size > m->size)
			size = m->size;
	}
	for (i = 0; i < size; i++) {
		unsigned char want = m->mark[i] == B_REPLYPORT ? port_byte(m, i) : m->val[i];

		if ((m->mark[i] == B_EXACT || m->mark[i] == B_REPLYPORT) && buf[i] != want) {
			hfail("%s: byte 0x%04x is %02x, want %02x", what, i, buf[i], want);
			return;
		}
	}
	for (k = 0; k < m->nool; k++) {
		const struct vool *o = &m->ool[k];
		void *p;

		if (o->offset + 8 > size)
			continue;
		memcpy(&p, buf + o->offset, sizeof p);
		if (o->null && p)
			hfail("%s: item %d: pointer %p, want NULL", what, o->item, p);
		else if (o->size && !p)
			hfail("%s: item %d: NULL pointer, want %u bytes", what, o->item, o->size);
		else if (o->size && memcmp(p, o->data, o->size) != 0)
			hfail("%s: item %d: out-of-line data differs", what, o->item);
	}
}

static int load_dir(const char *dir, struct vfile *files, int max)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	char path[4096];

	if (!d)
		return 0;
	while ((e = readdir(d)) && n < max) {
		if (!strstr(e->d_name, ".vec"))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (vec_load(path, &files[n]) == 0 && files[n].interface && !strcmp(files[n].interface, iface))
			n++;
	}
	closedir(d);
	return n;
}

int hrun_all(const char *vecdir, bool (*runnable)(const struct vfile *, const struct vcase *),
	     void (*run)(const struct vfile *, const struct vcase *))
{
	static struct vfile files[64];
	char dir[4096];
	int n, i, j, failed = 0, ran = 0;

	snprintf(dir, sizeof dir, "%s/vectors/%s", vecdir, iface);
	n = load_dir(dir, files, 48);
	snprintf(dir, sizeof dir, "%s/vectors/negative", vecdir);
	n += load_dir(dir, files + n, 64 - n);
	if (n == 0) {
		printf("no vector files for %s under %s\n", iface, vecdir);
		return 1;
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < files[i].ncases; j++) {
			hfile = &files[i];
			hcase = &files[i].cases[j];
			if (!runnable(hfile, hcase))
				continue;
			case_failures = 0;
			hevents_reset();
			run(hfile, hcase);
			ran++;
			printf("%s %s: %s\n", case_failures ? "FAIL" : "ok  ",
			       strrchr(hfile->path, '/') + 1, hcase->name);
			failed += case_failures != 0;
		}
	}
	printf("%s: %d cases, %d failed\n", iface, ran, failed);
	return failed != 0;
}
