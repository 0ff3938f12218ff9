/* Reader for mig-vector files: line oriented, one case at a time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vecfile.h"

static char *dup_after(const char *line, const char *key)
{
	const char *p = line + strlen(key);

	while (*p == ' ')
		p++;
	return strdup(p);
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* "    0010  RR RR .. 00 ..." into val/mark at the line's offset. */
static int hex_line(const char *line, unsigned char *val, char *mark, unsigned size)
{
	char *end;
	unsigned long off = strtoul(line, &end, 16);
	const char *p = end;
	unsigned char v;

	while (*p) {
		while (*p == ' ' || *p == '\n')
			p++;
		if (!p[0] || !p[1])
			break;
		if (off >= size)
			return -1;
		if (p[0] == p[1] && (p[0] == '.' || p[0] == 'R' || p[0] == 'P')) {
			mark[off] = p[0];
			val[off] = 0;
		} else {
			char hx[3] = { p[0], p[1], 0 };

			v = (unsigned char)strtoul(hx, NULL, 16);
			mark[off] = B_EXACT;
			val[off] = v;
		}
		off++;
		p += 2;
	}
	return 0;
}

static void mach_msg_line(struct vmsg *m, const char *l)
{
	const char *p;

	m->has_mach_msg = true;
	if ((p = strstr(l, "option=")))
		m->option = (uint32_t)strtoul(p + 7, NULL, 0);
	if ((p = strstr(l, "send_size=")))
		m->send_size = (uint32_t)strtoul(p + 10, NULL, 0);
	if ((p = strstr(l, "rcv_size=")))
		m->rcv_size = (uint32_t)strtoul(p + 9, NULL, 0);
	if ((p = strstr(l, "timeout=")))
		m->timeout = (uint32_t)strtoul(p + 8, NULL, 0);
	if ((p = strstr(l, "rcv_name=")))
		m->rcv_name = p[9] == '<' ? 0x00000b0bu : (uint32_t)strtoul(p + 9, NULL, 0);
	if ((p = strstr(l, "notify=")))
		m->notify = (uint32_t)strtoul(p + 7, NULL, 0);
}

static struct vool *ool_line(struct vmsg *m, const char *l)
{
	struct vool *o = &m->ool[m->nool++];
	const char *p;

	o->item = atoi(l + strlen("  ool: item "));
	p = strstr(l, "pointer at ");
	o->offset = p ? (unsigned)strtoul(p + 11, NULL, 0) : 0;
	p = strstr(l, ", ");
	p = p ? strstr(p + 2, ", ") : NULL;
	o->size = p ? (unsigned)strtoul(p + 2, NULL, 10) : 0;
	p = strstr(l, "deallocate=");
	o->dealloc = p ? atoi(p + 11) : 0;
	o->null = strstr(l, "pointer NULL") != NULL;
	o->data = calloc(1, o->size + 1);
	return o;
}

static int msg_kind(const char *l)
{
	const char *k = l + strlen("message: ");

	if (starts(k, "request-delivered")) return MSG_REQUEST_DELIVERED;
	if (starts(k, "request")) return MSG_REQUEST;
	if (starts(k, "reply-delivered")) return MSG_REPLY_DELIVERED;
	if (starts(k, "reply")) return MSG_REPLY;
	return -1;
}

int vec_load(const char *path, struct vfile *vf)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	struct vcase *c = NULL;
	struct vmsg *m = NULL;
	struct vool *o = NULL;
	char *mark = NULL;
	unsigned char *val = NULL;
	unsigned size = 0;
	int k;

	if (!f) {
		perror(path);
		return -1;
	}
	memset(vf, 0, sizeof *vf);
	vf->path = strdup(path);
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		if (line[0] == '#' || !line[0])
			continue;
		if (starts(line, "interface:")) vf->interface = dup_after(line, "interface:");
		else if (starts(line, "routine:")) vf->routine = dup_after(line, "routine:");
		else if (starts(line, "negative:")) vf->negative = dup_after(line, "negative:");
		else if (starts(line, "quirk:") && strstr(line, "REFERENCE BUG"))
			vf->reference_bug = true;
		else if (starts(line, "case:")) {
			if (vf->ncases == 16)
				break;
			c = &vf->cases[vf->ncases++];
			c->name = dup_after(line, "case:");
			m = NULL;
		} else if (!c) {
			continue;
		} else if (starts(line, "call:")) c->call = dup_after(line, "call:");
		else if (starts(line, "server-function:")) c->server_function = dup_after(line, "server-function:");
		else if (starts(line, "user-out:")) c->user_out = dup_after(line, "user-out:");
		else if (starts(line, "events:")) c->events = dup_after(line, "events:");
		else if (starts(line, "user-return:")) {
			c->has_user_return = true;
			c->user_return = (uint32_t)strtoul(line + 12, NULL, 0);
		} else if (starts(line, "message:")) {
			k = msg_kind(line);
			m = k >= 0 ? &c->msg[k] : NULL;
			if (m)
				m->present = true;
			o = NULL;
		} else if (m && starts(line, "  mach_msg:")) {
			mach_msg_line(m, line);
		} else if (m && starts(line, "  bytes:")) {
			m->size = size = (unsigned)strtoul(line + 8, NULL, 10);
			m->val = val = calloc(1, size + 1);
			m->mark = mark = calloc(1, size + 1);
			o = NULL;
		} else if (m && starts(line, "  ool:")) {
			o = ool_line(m, line);
			mark = NULL;
		} else if (m && starts(line, "    ")) {
			static char dummy[1 << 16];

			if (o) {
				if (o->size > sizeof dummy || hex_line(line, o->data, dummy, o->size) < 0)
					goto bad;
			} else if (mark && hex_line(line, val, mark, size) < 0) {
				goto bad;
			}
		}
	}
	fclose(f);
	return 0;
bad:
	fprintf(stderr, "%s: bad hex line: %s\n", path, line);
	fclose(f);
	return -1;
}
