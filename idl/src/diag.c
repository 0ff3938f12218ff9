/* Diagnostics and allocation helpers shared by every stage. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

int diag_errors;
bool diag_quiet_warnings;
bool diag_silent;	/* count errors without printing (the fuzz harness) */
struct loc diag_here = { "<input>", 1 };

static void report(struct loc loc, const char *kind, const char *fmt, va_list ap)
{
	if (diag_silent)
		return;
	fprintf(stderr, "%s:%d: %s", loc.file ? loc.file : "<input>", loc.line, kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void error_at(struct loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(loc, "", fmt, ap);
	va_end(ap);
	diag_errors++;
}

void warn_at(struct loc loc, const char *fmt, ...)
{
	va_list ap;

	if (diag_quiet_warnings)
		return;
	va_start(ap, fmt);
	report(loc, "warning: ", fmt, ap);
	va_end(ap);
}

/* Every model allocation lives until arena_free_all(): a compiler run
   frees nothing early, and the fuzz harness frees all between inputs. */
struct block {
	struct block *next;
	max_align_t data[];
};
static struct block *arena;

void *xmalloc(size_t n)
{
	struct block *b = calloc(1, sizeof *b + (n ? n : 1));

	if (!b) {
		fputs("mig: out of memory\n", stderr);
		exit(2);
	}
	b->next = arena;
	arena = b;
	return b->data;
}

void arena_free_all(void)
{
	while (arena) {
		struct block *b = arena;

		arena = b->next;
		free(b);
	}
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void diag_reset(void)
{
	diag_errors = 0;
	diag_here.file = "<input>";
	diag_here.line = 1;
}
