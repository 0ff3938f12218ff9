/* Diagnostics: `file:line: message` on stderr, counted so main can fail. */
#ifndef IDL_DIAG_H
#define IDL_DIAG_H

#include "model.h"

extern int diag_errors;
extern struct loc diag_here;	/* current lexer position (cpp-mapped) */

void error_at(struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void warn_at(struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void *xmalloc(size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void diag_reset(void);
void arena_free_all(void);
extern bool diag_quiet_warnings;
extern bool diag_silent;

#endif
