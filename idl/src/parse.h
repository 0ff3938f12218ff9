/* Entry points of the lexer and parser (lexer.l, parser.y, parse.c). */
#ifndef IDL_PARSE_H
#define IDL_PARSE_H

#include <stddef.h>
#include <stdio.h>

#include "model.h"

void parse_reset(void);
int idl_yyparse(void);
void lexer_start(FILE *in);
void lexer_start_string(const char *buf, size_t len);
void lexer_finish(void);
struct routine *parse_new_routine(const char *name, bool simple, struct loc loc);
void parse_add_import(const char *text, int which);
void parse_merge_mods(struct type *t, const struct type *mods);

/* Parse and check one translation unit; returns the number of errors. */
int parse_file(FILE *in, const char *name);
int parse_buffer(const char *buf, size_t len, const char *name);

#endif
