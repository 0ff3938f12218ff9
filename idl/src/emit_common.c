/* Helpers shared by the emitters: argument classification, C types and
   parameter lists, and the size rules of message items (interfaces.md,
   wire rules 2-7). */
#include <stdarg.h>
#include <string.h>

#include "diag.h"
#include "emit.h"

void out(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
}

unsigned long round8(unsigned long n)
{
	return (n + 7) & ~7UL;
}

bool arg_user_param(const struct arg *a)
{
	return a->kind != AK_SREPLYPORT && a->kind != AK_MSGSEQNO;
}

bool arg_server_param(const struct arg *a)
{
	return a->kind != AK_UREPLYPORT && a->kind != AK_WAITTIME && a->kind != AK_MSGOPTION;
}

bool arg_in_request(const struct arg *a)
{
	return a->kind == AK_IN || a->kind == AK_INOUT || (a->kind == AK_OUT && a->countinout);
}

bool arg_in_reply(const struct arg *a)
{
	return a->kind == AK_OUT || a->kind == AK_INOUT;
}

bool arg_is_poly_in(const struct arg *a)
{
	return a->type->in_name == MT_POLY;
}

bool arg_is_poly_out(const struct arg *a)
{
	return a->type->out_name == MT_POLY;
}

static const char *base_ctype(const struct type *t)
{
	if (t->ctype)
		return t->ctype;
	if (type_is_port(t))
		return "mach_port_t";
	if (t->kind == TK_VARRAY || t->kind == TK_ARRAY)
		return xasprintf("%s *", base_ctype(t->elem));
	switch (t->size) {
	case 8: return "char";
	case 16: return "short";
	case 64: return "int64_t";
	}
	return "int";
}

/* In-only arrays and strings are passed as const_<type>, as GNU MIG does. */
bool arg_uses_const(const struct arg *a)
{
	const struct type *t = a->type;

	if (a->kind != AK_IN || !t->name || t->sintran.func)
		return false;
	return t->kind == TK_STRING || (t->kind == TK_VARRAY && !t->ool);
}

const char *user_type(const struct arg *a)
{
	const char *c = a->type->cusertype ? a->type->cusertype : base_ctype(a->type);

	return arg_uses_const(a) ? xasprintf("const_%s", c) : c;
}

const char *server_type(const struct arg *a)
{
	const struct type *t = a->type;
	const char *c = t->cservertype ? t->cservertype : base_ctype(t);

	if (t->sintran.func && a->kind != AK_OUT)
		return t->sintran.type;
	if (t->souttran.func && a->kind == AK_OUT)
		return t->souttran.type;
	return arg_uses_const(a) ? xasprintf("const_%s", c) : c;
}

/* Descriptor long form: variable out-of-line or maybe-out-of-line arrays,
   elements of 256 bits or more, 4096 elements or more (wire rule 4). */
bool item_longform(const struct type *t)
{
	return t->ool || t->indefinite || t->size >= 256 || t->number >= 4096;
}

/* Out-of-line port arrays carry 4-byte names (msgt_size 32). */
unsigned item_msgt_size(const struct type *t, bool ool)
{
	return ool && type_is_port(t) ? 32 : t->size;
}

unsigned item_elem_bytes(const struct type *t, bool ool)
{
	if (ool && type_is_port(t))
		return 4 * (t->elem ? t->elem->number : 1);
	return type_elem_bytes(t);
}

unsigned long item_max_data(const struct type *t)
{
	if (t->ool)
		return 8;
	if (t->indefinite)	/* floor(2048 / element) elements in line */
		return round8(INLINE_MAX_BYTES / type_elem_bytes(t) * type_elem_bytes(t));
	if (t->kind == TK_VARRAY)
		return round8((unsigned long)t->max * type_elem_bytes(t));
	return round8(type_bytes(t));
}

/* Whether an item always makes its message complex, as its sender
   (in_name) or its receiver (out_name) sees it. */
bool item_static_complex(const struct type *t, bool receiver)
{
	int n = receiver ? t->out_name : t->in_name;

	if (t->ool)
		return true;
	return n != MT_POLY && n >= MT_MOVE_RECEIVE && n <= MT_MAKE_SEND_ONCE;
}

/* GNU MIG's Reply structure gives a bounded in-line array whose maximum
   is not a multiple of 8 bytes 8 more bytes; rcv_size is sizeof(Reply),
   so the receive limit (not the layout) follows it. */
static unsigned long gnu_pad(const struct type *t)
{
	bool bounded = (t->kind == TK_VARRAY && !t->ool && !t->indefinite)
		|| (t->kind == TK_STRING && t->varying);

	return bounded && ((unsigned long)t->max * type_elem_bytes(t)) % 8 ? 8 : 0;
}

static unsigned long item_min_data(const struct type *t)
{
	if (t->ool)
		return 8;
	if (t->varying)
		return 0;
	return round8(type_bytes(t));
}

/* The request's bytes: a header, then each item's descriptor and data as `data` sizes them. */
static unsigned long request_size(const struct routine *r, unsigned long (*data)(const struct type *))
{
	unsigned long n = 32;
	const struct arg *a;

	for (a = r->args; a; a = a->next) {
		if (a->kind == AK_OUT && a->countinout)
			n += 16;
		else if (arg_in_request(a))
			n += 8 + data(a->type);
	}
	return n;
}

unsigned long request_max_size(const struct routine *r)
{
	return request_size(r, item_max_data);
}

unsigned long request_min_size(const struct routine *r)
{
	return request_size(r, item_min_data);
}

/* The sum of `measure` over the items of the reply. */
static unsigned long reply_sum(const struct routine *r, unsigned long (*measure)(const struct type *))
{
	unsigned long n = 0;
	const struct arg *a;

	for (a = r->args; a; a = a->next)
		if (arg_in_reply(a))
			n += measure(a->type);
	return n;
}

static unsigned long reply_item_min(const struct type *t)
{
	return 8 + item_min_data(t);
}

static unsigned long reply_item_max(const struct type *t)
{
	return 8 + item_max_data(t) + gnu_pad(t);
}

unsigned long reply_min_size(const struct routine *r)
{
	return 48 + reply_sum(r, reply_item_min);
}

unsigned long reply_gnu_padding(const struct routine *r)
{
	return reply_sum(r, gnu_pad);
}

unsigned long reply_max_size(const struct routine *r)
{
	return 48 + reply_sum(r, reply_item_max);
}

static const struct options *opts;

void emit_set_options(const struct options *o)
{
	opts = o;
}

/* -prefix goes before the routine names of both sides. */
const char *user_name(const struct routine *r, const struct options *o)
{
	return xasprintf("%s%s%s", o->prefix ? o->prefix : "", r->user_prefix, r->name);
}

const char *server_name(const struct routine *r)
{
	return xasprintf("%s%s%s", opts && opts->prefix ? opts->prefix : "", r->server_prefix, r->name);
}

/* -subrprefix goes before the runtime routines the stubs call. */
const char *subr(const char *name)
{
	return opts && opts->subrprefix ? xasprintf("%s%s", opts->subrprefix, name) : name;
}

/* Declarations of the prefixed runtime routines (the headers have the plain ones). */
void emit_subr_decls(FILE *f)
{
	const char *p = opts ? opts->subrprefix : NULL;

	if (!p || !*p)
		return;
	out(f, "extern mach_msg_return_t %smach_msg(mach_msg_header_t *, mach_msg_option_t, mach_msg_size_t,\n"
	       "\tmach_msg_size_t, mach_port_t, mach_msg_timeout_t, mach_port_t);\n", p);
	out(f, "extern mach_port_t %smig_get_reply_port(void);\n", p);
	out(f, "extern void %smig_put_reply_port(mach_port_t);\n", p);
	out(f, "extern void %smig_dealloc_reply_port(mach_port_t);\n", p);
	out(f, "extern void %smig_allocate(vm_address_t *, vm_size_t);\n", p);
	out(f, "extern void %smig_deallocate(vm_address_t, vm_size_t);\n\n", p);
}

const char *demux_name(const struct subsystem *s)
{
	return s->server_demux ? s->server_demux : xasprintf("%s_server", s->name);
}

/* Received names read better as PORT_* (16-18 are the same numbers). */
const char *recv_macro(int n)
{
	switch (n) {
	case MT_MOVE_RECEIVE: return "MACH_MSG_TYPE_PORT_RECEIVE";
	case MT_MOVE_SEND: return "MACH_MSG_TYPE_PORT_SEND";
	case MT_MOVE_SEND_ONCE: return "MACH_MSG_TYPE_PORT_SEND_ONCE";
	}
	return name_macro(n);
}

const char *name_macro(int n)
{
	const char *m = msgt_macro(n);

	return m ? m : xasprintf("%d", n);
}

/* `mig_word(NAME, bits, flags)` for a descriptor's first word. */
const char *word_expr(const char *name, unsigned bits, bool inl, bool longform, const char *dealloc)
{
	const char *flags;

	if (inl)
		flags = longform ? "MIG_INLINE | MIG_LONGFORM" : "MIG_INLINE";
	else
		flags = longform ? "MIG_LONGFORM" : "0";
	if (dealloc)
		flags = xasprintf("%s | %s", flags, dealloc);
	return xasprintf("mig_word(%s, %u, %s)", name, bits, flags);
}
