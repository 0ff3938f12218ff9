/* Semantic checks: give every argument its final kind, then reject what
   cannot be generated, with the position of the offending declaration. */
#include <string.h>

#include "diag.h"
#include "model.h"

struct subsystem the_subsystem;

static const char *kind_word(enum arg_kind k)
{
	static const char *const words[] = {
		"requestport", "replyport", "sreplyport", "ureplyport", "in", "out",
		"inout", "waittime", "msgoption", "msgseqno", "(none)",
	};
	return words[k];
}

static void check_port_arg(const struct routine *r, const struct arg *a)
{
	if (!type_is_port(a->type) || a->type->kind != TK_SCALAR)
		error_at(a->loc, "%s argument `%s' of `%s' must be a single port, not `%s'",
			 kind_word(a->kind), a->name, r->name,
			 a->type->name ? a->type->name : "(anonymous)");
}

static void check_scalar_arg(const struct routine *r, const struct arg *a)
{
	const struct type *t = a->type;

	if (t->kind != TK_SCALAR || type_is_port(t) || t->size != 32)
		error_at(a->loc, "%s argument `%s' of `%s' must be a 32-bit integer",
			 kind_word(a->kind), a->name, r->name);
}

static void check_data_arg(const struct routine *r, struct arg *a)
{
	const struct type *t = a->type;
	bool sends = a->kind != AK_OUT, receives = a->kind != AK_IN;

	if (r->simple && receives)
		error_at(a->loc, "simpleroutine `%s' cannot have %s argument `%s'",
			 r->name, kind_word(a->kind), a->name);
	if ((t->in_name == MT_UNSET && sends) || (t->out_name == MT_UNSET && receives))
		error_at(a->loc, "argument `%s' has no IPC type name", a->name);
	/* dealloc on a port is old Mach 2.5 usage; it does not change the wire. */
	if (a->dealloc != DEALLOC_NO && type_is_port(t) && t->kind == TK_SCALAR)
		a->dealloc = DEALLOC_NO;
	if (a->dealloc != DEALLOC_NO && !t->ool && !t->indefinite)
		error_at(a->loc, "dealloc on `%s': only out-of-line data can be deallocated",
			 a->name);
	if (a->dealloc == DEALLOC_RUNTIME && a->kind != AK_IN)
		error_at(a->loc, "dealloc[] on `%s' is supported on in arguments only", a->name);
	if (a->countinout && (a->kind != AK_OUT || t->kind != TK_VARRAY || t->ool))
		error_at(a->loc, "countinout on `%s': only an out variable in-line array has a count to send",
			 a->name);
	if (t->kind == TK_VARRAY && a->kind == AK_INOUT && (t->ool || t->indefinite))
		error_at(a->loc, "inout `%s': an inout array must be bounded (array[*:N])", a->name);
	if (t->kind == TK_STRING && t->ool)
		error_at(a->loc, "string `%s' cannot be out of line", a->name);
	if (t->kind != TK_SCALAR && (t->out_name == MT_POLY || (t->in_name == MT_POLY && a->kind != AK_IN)))
		error_at(a->loc, "`%s': a polymorphic array can only be sent by the client (an in argument)",
			 a->name);
	if (t->kind == TK_ARRAY && type_is_port(t))
		error_at(a->loc, "`%s': fixed-size port arrays are not supported; use array[*:N] or array[]",
			 a->name);
}

/* The first argument without a direction is the request port, the rest are in. */
static void settle_kinds(struct routine *r)
{
	struct arg *a;
	bool first = true;

	for (a = r->args; a; a = a->next, first = false)
		if (a->kind == AK_NONE)
			a->kind = first ? AK_REQUESTPORT : AK_IN;
}

static void check_args(struct routine *r)
{
	struct arg *a, *b;
	int reqports = 0, replyports = 0, counts[AK_NONE] = { 0 };

	settle_kinds(r);
	for (a = r->args; a; a = a->next) {
		for (b = r->args; b != a; b = b->next)
			if (strcmp(a->name, b->name) == 0)
				error_at(a->loc, "duplicate argument `%s' in `%s'", a->name, r->name);
		counts[a->kind]++;
		switch (a->kind) {
		case AK_REQUESTPORT:
			if (a != r->args)
				error_at(a->loc, "request port `%s' of `%s' must be the first argument",
					 a->name, r->name);
			reqports++;
			check_port_arg(r, a);
			break;
		case AK_REPLYPORT: case AK_SREPLYPORT: case AK_UREPLYPORT:
			replyports++;
			check_port_arg(r, a);
			break;
		case AK_WAITTIME: case AK_MSGOPTION: case AK_MSGSEQNO:
			check_scalar_arg(r, a);
			break;
		default:
			check_data_arg(r, a);
		}
	}
	if (reqports != 1)
		error_at(r->loc, "routine `%s' needs exactly one request port (first argument), has %d",
			 r->name, reqports);
	if (counts[AK_REPLYPORT] + counts[AK_UREPLYPORT] > 1 || counts[AK_REPLYPORT] + counts[AK_SREPLYPORT] > 1)
		error_at(r->loc, "routine `%s' has more than one reply port", r->name);
	if (counts[AK_WAITTIME] > 1 || counts[AK_MSGOPTION] > 1 || counts[AK_MSGSEQNO] > 1)
		error_at(r->loc, "routine `%s' repeats a waittime, msgoption or msgseqno argument",
			 r->name);
	(void)replyports;
}

int check_subsystem(struct subsystem *s)
{
	struct routine *r, *q;
	int before = diag_errors;

	if (!s->name) {
		error_at(diag_here, "no subsystem statement");
		return diag_errors - before;
	}
	if (s->base < 0 || s->base + s->nroutines > 0x7fffff9b)
		error_at(s->loc, "subsystem base %ld is out of range", s->base);
	for (r = s->routines; r; r = r->next) {
		if (!r->name)
			continue;
		for (q = s->routines; q != r; q = q->next)
			if (q->name && strcmp(q->name, r->name) == 0)
				error_at(r->loc, "duplicate routine `%s' (first defined at %s:%d)",
					 r->name, q->loc.file, q->loc.line);
		check_args(r);
	}
	return diag_errors - before;
}
