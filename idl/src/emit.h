/* What the three emitters share: output helpers, C names and types of
   arguments, and the wire layout of each message item. */
#ifndef IDL_EMIT_H
#define IDL_EMIT_H

#include <stdio.h>

#include "model.h"

#define INLINE_MAX_BYTES 2048	/* array[] goes out of line above this */

struct options {
	const char *user_file, *server_file, *header_file, *sheader_file, *iheader_file;
	const char *subrprefix;	/* -subrprefix: before mach_msg and the mig_* runtime */
	const char *prefix;	/* -prefix: before the routine names of both sides */
};

void out(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Which side sees an argument, and in which message it travels. */
bool arg_user_param(const struct arg *a);
bool arg_server_param(const struct arg *a);
bool arg_in_request(const struct arg *a);
bool arg_in_reply(const struct arg *a);
bool arg_is_poly_in(const struct arg *a);	/* sender chooses the right */
bool arg_is_poly_out(const struct arg *a);	/* receiver learns the right */

/* C types of an argument on each side (translations applied). */
const char *user_type(const struct arg *a);
const char *server_type(const struct arg *a);
bool arg_uses_const(const struct arg *a);

/* Wire facts about one item. */
bool item_longform(const struct type *t);
unsigned item_msgt_size(const struct type *t, bool ool);
unsigned item_elem_bytes(const struct type *t, bool ool);
unsigned long item_max_data(const struct type *t);	/* bytes after the descriptor */
bool item_static_complex(const struct type *t, bool receiver);
unsigned long round8(unsigned long n);

unsigned long request_max_size(const struct routine *r);
unsigned long reply_max_size(const struct routine *r);	/* GNU's sizeof(Reply) */
unsigned long request_min_size(const struct routine *r);
unsigned long reply_min_size(const struct routine *r);
unsigned long reply_gnu_padding(const struct routine *r);

const char *user_name(const struct routine *r, const struct options *o);
const char *server_name(const struct routine *r);
void emit_set_options(const struct options *o);
const char *subr(const char *name);
void emit_subr_decls(FILE *f);
const char *demux_name(const struct subsystem *s);

void emit_user_prototype(FILE *f, const struct routine *r, const struct options *o, const char *end);
void emit_server_prototype(FILE *f, const struct routine *r, const char *end);
void emit_wire_helpers(FILE *f);
void emit_imports(FILE *f, const struct subsystem *s, int side);
void emit_banner(FILE *f, const struct subsystem *s, const char *what);

int emit_user(FILE *f, const struct subsystem *s, const struct options *o);
int emit_server(FILE *f, const struct subsystem *s, const struct options *o);
int emit_header(FILE *f, const struct subsystem *s, const struct options *o);
int emit_server_header(FILE *f, const struct subsystem *s, const struct options *o);



const char *recv_macro(int n);
const char *name_macro(int n);
const char *word_expr(const char *name, unsigned bits, bool inl, bool longform, const char *dealloc);
#endif
#ifndef IDL_EMIT_H2
#define IDL_EMIT_H2
/* user_reply.c */
void user_reply_locals(FILE *f, const struct routine *r);
bool needs_idx(const struct routine *r);
void emit_server_includes(FILE *f, const struct subsystem *s);
void emit_check_item(FILE *f, const struct arg *a, bool cap, const char *fail);
void emit_user_reply(FILE *f, const struct routine *r, const struct subsystem *s, bool own_reply_port);
#endif
