/*
 * The boot manifest parser (manifest.h). One directive per line; an entry with an
 * error is dropped whole, so a server never starts with less (or more) than its entry
 * says. Builds freestanding (bootstrap) and hosted (the unit tests).
 */
#include <stdio.h>
#include <string.h>
#include "manifest.h"

#define LINE_MAX	512
#define MAX_WORDS	(MF_MAX_ARGS + 2)
#define PAGE_SIZE	4096

struct parser {
	struct manifest *m;
	struct mf_entry *cur;	/* the entry being read, or NULL before the first */
	bool cur_bad;		/* it had an error: dropped at its end */
	struct mf_entry spare;	/* where a server line past MF_MAX_ENTRIES is read */
	int line, errors;
	mf_report_fn report;
	void *ctx;
};

/* Reports an error of the current line (its entry is dropped); returns false. */
static bool error(struct parser *p, const char *fmt, const char *arg)
{
	char msg[160];

	snprintf(msg, sizeof(msg), fmt, arg);
	p->errors++;
	p->cur_bad = true;
	if (p->report)
		p->report(p->ctx, p->line, msg);
	return false;
}

/* Decimal or 0x hex; with `sized`, a K or M suffix multiplies. False on junk or overflow. */
static bool parse_num(const char *s, bool sized, uint64_t *out)
{
	uint64_t v = 0, base = 10, mul = 1;
	const char *d = s;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		d = s + 2;
	}
	if (!*d)
		return false;
	for (; *d; d++) {
		int c = *d, digit;

		if (c >= '0' && c <= '9')
			digit = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			digit = c - 'a' + 10;
		else if (base == 16 && c >= 'A' && c <= 'F')
			digit = c - 'A' + 10;
		else if (sized && (c == 'K' || c == 'M') && d[1] == '\0') {
			mul = c == 'K' ? 1024 : 1024 * 1024;
			break;
		} else
			return false;
		if (v > (UINT64_MAX - digit) / base)
			return false;
		v = v * base + digit;
	}
	if (v > UINT64_MAX / mul)
		return false;
	*out = v * mul;
	return true;
}

/* Exactly four hex digits. */
static bool parse_hex16(const char *s, size_t len, uint64_t *out)
{
	char buf[8] = "0x";

	if (len != 4)
		return false;
	memcpy(buf + 2, s, 4);
	buf[6] = '\0';
	return parse_num(buf, false, out);
}

/* src fits (the callers checked): the host C library may have no strlcpy. */
static void copy_str(char *dst, const char *src)
{
	memcpy(dst, src, strlen(src) + 1);
}

static bool copy_name(struct parser *p, char *dst, const char *src, const char *what)
{
	if (strlen(src) >= MF_NAME_MAX) {
		error(p, "%s: name longer than 63 characters", what);
		return false;
	}
	copy_str(dst, src);
	return true;
}

static bool add_grant(struct parser *p, enum mf_kind kind, uint64_t a, uint64_t b)
{
	if (p->cur->ngrants == MF_MAX_GRANTS)
		return error(p, "too many io, irq, mem, dma and pci lines (at most %s)", "16");
	p->cur->grants[p->cur->ngrants++] = (struct mf_grant){ kind, a, b };
	return true;
}

/* Ends the current entry: kept unless it had an error. */
static void finish_entry(struct parser *p)
{
	if (p->cur && !p->cur_bad)
		p->m->n++;
	p->cur = NULL;
	p->cur_bad = false;
}

static bool do_server(struct parser *p, int argc, char **argv)
{
	struct mf_entry *e;

	finish_entry(p);
	/* Until the next server line, grant lines belong to this one, good or bad. */
	e = p->cur = p->m->n < MF_MAX_ENTRIES ? &p->m->e[p->m->n] : &p->spare;
	memset(e, 0, sizeof(*e));
	e->line = p->line;
	e->restart = e->wait = true;
	if (argc < 2 || argc > 3)
		return error(p, "server: expected NAME [MODULE]%s", "");
	if (p->m->n == MF_MAX_ENTRIES)
		return error(p, "server %s: too many servers (at most 32)", argv[1]);
	for (int i = 0; i < p->m->n; i++)
		if (strcmp(p->m->e[i].name, argv[1]) == 0)
			return error(p, "server %s: defined twice", argv[1]);
	return copy_name(p, e->name, argv[1], "server") &&
	       copy_name(p, e->module, argc == 3 ? argv[2] : argv[1], "server");
}

static bool do_args(struct parser *p, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (p->cur->argc == MF_MAX_ARGS)
			return error(p, "args: more than %s arguments", "16");
		if (strlen(argv[i]) >= MF_ARG_MAX)
			return error(p, "args: argument longer than %s characters", "127");
		copy_str(p->cur->args[p->cur->argc++], argv[i]);
	}
	return true;
}

static bool do_io(struct parser *p, int argc, char **argv)
{
	uint64_t first, last;

	if (argc != 3)
		return error(p, "io: expected FIRST LAST%s", "");
	if (!parse_num(argv[1], false, &first) || !parse_num(argv[2], false, &last))
		return error(p, "io: bad number%s", "");
	if (first > 0xffff || last > 0xffff)
		return error(p, "io: ports are 0 to 0xffff%s", "");
	if (first > last)
		return error(p, "io: FIRST is after LAST%s", "");
	return add_grant(p, MF_IO, first, last);
}

static bool do_irq(struct parser *p, int argc, char **argv)
{
	uint64_t line;

	if (argc != 2)
		return error(p, "irq: expected LINE%s", "");
	if (!parse_num(argv[1], false, &line))
		return error(p, "irq: bad number%s", "");
	if (line > 15 || line == 2)
		return error(p, "irq: LINE must be 0 to 15, not 2 (the cascade)%s", "");
	return add_grant(p, MF_IRQ, line, 0);
}

static bool do_mem(struct parser *p, int argc, char **argv)
{
	uint64_t addr, size;

	if (argc != 3)
		return error(p, "mem: expected ADDR SIZE%s", "");
	if (!parse_num(argv[1], false, &addr) || !parse_num(argv[2], true, &size))
		return error(p, "mem: bad number%s", "");
	if (size == 0)
		return error(p, "mem: SIZE is 0%s", "");
	if (addr % PAGE_SIZE || size % PAGE_SIZE)
		return error(p, "mem: ADDR and SIZE must be multiples of 4096%s", "");
	if (addr + size < addr)
		return error(p, "mem: the range wraps around%s", "");
	return add_grant(p, MF_MEM, addr, size);
}

static bool do_dma(struct parser *p, int argc, char **argv)
{
	uint64_t limit;

	if (argc != 2)
		return error(p, "dma: expected LIMIT%s", "");
	if (!parse_num(argv[1], true, &limit))
		return error(p, "dma: bad number%s", "");
	if (limit == 0)
		return error(p, "dma: LIMIT is 0%s", "");
	return add_grant(p, MF_DMA, limit, 0);
}

static bool do_pci(struct parser *p, int argc, char **argv)
{
	const char *colon;
	uint64_t vendor, device, n = 0;

	if (argc != 2 && argc != 3)
		return error(p, "pci: expected VENDOR:DEVICE [N]%s", "");
	colon = strchr(argv[1], ':');
	if (!colon || !parse_hex16(argv[1], colon - argv[1], &vendor) ||
	    !parse_hex16(colon + 1, strlen(colon + 1), &device))
		return error(p, "pci: bad id '%s' (want four hex digits:four hex digits)", argv[1]);
	if (argc == 3 && (!parse_num(argv[2], false, &n) || n > 255))
		return error(p, "pci: bad N '%s' (0 to 255)", argv[2]);
	return add_grant(p, MF_PCI, vendor << 16 | device, n);
}

static bool do_name(struct parser *p, int argc, char **argv, bool task)
{
	struct mf_entry *e = p->cur;

	if (argc != 2)
		return error(p, "%s: expected NAME", argv[0]);
	if (e->nports + e->ntasks == MF_MAX_NAMES)
		return error(p, "too many port and task lines (at most %s)", "16");
	if (task)
		return copy_name(p, e->tasks[e->ntasks++], argv[1], argv[0]);
	return copy_name(p, e->ports[e->nports++], argv[1], argv[0]);
}

static bool do_module(struct parser *p, int argc, char **argv)
{
	struct mf_entry *e = p->cur;

	if (argc != 2)
		return error(p, "module: expected NAME%s", "");
	if (e->nmodules == MF_MAX_MODULES)
		return error(p, "too many module lines (at most %s)", "8");
	return copy_name(p, e->modules[e->nmodules++], argv[1], argv[0]);
}

static bool do_switch(struct parser *p, int argc, char **argv, bool *out)
{
	if (argc != 2 || (strcmp(argv[1], "yes") != 0 && strcmp(argv[1], "no") != 0))
		return error(p, "%s: expected yes or no", argv[0]);
	*out = strcmp(argv[1], "yes") == 0;
	return true;
}

/* Splits a line into words in place; a word starting with '#' begins a comment. */
static int split(struct parser *p, char *s, char **argv)
{
	int argc = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\r')
			s++;
		if (!*s || *s == '#')
			return argc;
		if (argc == MAX_WORDS) {
			error(p, "more than %s words on a line", "18");
			return -1;
		}
		if (*s == '"') {
			/* A quoted word: everything up to the next double quote, spaces included. */
			char *end = strchr(++s, '"');

			if (!end) {
				error(p, "%s", "unterminated \"");
				return -1;
			}
			*end = '\0';
			argv[argc++] = s;
			s = end + 1;
			continue;
		}
		argv[argc++] = s;
		while (*s && *s != ' ' && *s != '\t' && *s != '\r')
			s++;
		if (*s)
			*s++ = '\0';
	}
}

static bool do_line(struct parser *p, char *s)
{
	char *argv[MAX_WORDS];
	int argc = split(p, s, argv);
	const char *d;

	if (argc <= 0)
		return argc == 0;
	d = argv[0];
	if (strcmp(d, "server") == 0)
		return do_server(p, argc, argv);
	if (!p->cur) {
		/* Nothing to drop: the line alone is ignored. */
		error(p, "'%s' before the first server line", d);
		p->cur_bad = false;
		return false;
	}
	if (strcmp(d, "args") == 0)
		return do_args(p, argc, argv);
	if (strcmp(d, "io") == 0)
		return do_io(p, argc, argv);
	if (strcmp(d, "irq") == 0)
		return do_irq(p, argc, argv);
	if (strcmp(d, "mem") == 0)
		return do_mem(p, argc, argv);
	if (strcmp(d, "dma") == 0)
		return do_dma(p, argc, argv);
	if (strcmp(d, "pci") == 0)
		return do_pci(p, argc, argv);
	if (strcmp(d, "port") == 0)
		return do_name(p, argc, argv, false);
	if (strcmp(d, "task") == 0)
		return do_name(p, argc, argv, true);
	if (strcmp(d, "module") == 0)
		return do_module(p, argc, argv);
	if (strcmp(d, "restart") == 0)
		return do_switch(p, argc, argv, &p->cur->restart);
	if (strcmp(d, "wait") == 0)
		return do_switch(p, argc, argv, &p->cur->wait);
	return error(p, "unknown directive '%s'", d);
}

int manifest_parse(const char *text, size_t len, struct manifest *m, mf_report_fn report, void *ctx)
{
	struct parser p = { .m = m, .report = report, .ctx = ctx };
	char line[LINE_MAX];
	size_t i = 0;

	m->n = 0;
	while (i < len) {
		size_t n = 0;
		bool bad = false;

		p.line++;
		for (; i < len && text[i] != '\n'; i++) {
			unsigned char c = text[i];

			if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f)
				bad = true;
			if (n < LINE_MAX - 1)
				line[n] = c;
			n++;
		}
		i++;	/* the newline */
		if (bad)
			error(&p, "control character in the line%s", "");
		else if (n >= LINE_MAX)
			error(&p, "line longer than %s characters", "511");
		if (bad || n >= LINE_MAX) {
			if (!p.cur)
				p.cur_bad = false;
			continue;
		}
		line[n] = '\0';
		do_line(&p, line);
	}
	finish_entry(&p);
	return p.errors;
}
