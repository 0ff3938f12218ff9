/* Server stub emitter, per routine: a handler that checks the request,
   translates and passes the arguments to the server function, then
   packs the out arguments into the reply the demux has started. */
#include <string.h>

#include "diag.h"
#include "emit.h"

/* Where each out argument waits in the reply while the server function
   runs: at its offset when every earlier item has its maximum size.
   Items are moved down to their real offsets afterwards. */
static unsigned long storage_offset(const struct routine *r, const struct arg *target)
{
	unsigned long off = 48;
	const struct arg *a;

	for (a = r->args; a != target; a = a->next)
		if (arg_in_reply(a))
			off += 8 + item_max_data(a->type);
	return off + 8;
}

/* Port names are 4 bytes in C and 8 on the wire in line; an out port
   array waits in the upper half of its slots so that widening it in
   place, first element first, never overwrites a name not yet read. */
static unsigned long port_shift(const struct type *t)
{
	if (!type_is_port(t) || t->kind != TK_VARRAY || t->ool)
		return 0;
	return t->indefinite ? INLINE_MAX_BYTES / 2 : 4UL * t->max;
}

static unsigned capacity(const struct type *t)
{
	return t->indefinite ? INLINE_MAX_BYTES / type_elem_bytes(t) : t->max;
}

static bool translated_in(const struct arg *a)
{
	return a->kind != AK_OUT && a->type->sintran.func;
}

static bool translated_out(const struct arg *a)
{
	return a->kind == AK_OUT && a->type->souttran.func;
}

static const char *wire_ctype(const struct arg *a)
{
	const struct type *t = a->type;

	return t->cservertype ? t->cservertype : t->ctype ? t->ctype : "mach_port_t";
}

static void declare_in(FILE *f, const struct arg *a)
{
	if (arg_in_request(a)) {
		out(f, "\tchar *%sData;\n\tuint32_t %sNum;\n", a->name, a->name);
		if (a->type->indefinite && a->kind != AK_OUT)
			out(f, "\tboolean_t %sInl;\n", a->name);
	}
}

/* Fetch an in argument into a C value or pointer; returns the call text. */
static const char *fetch_in(FILE *f, const struct arg *a)
{
	const struct type *t = a->type;
	const char *n = a->name, *d = xasprintf("%sData", n), *v;
	unsigned en = t->elem ? t->elem->number : 1;

	if (t->kind == TK_SCALAR && type_is_port(t)) {
		v = xasprintf("mig_get_port(%s)", d);
	} else if (t->kind == TK_SCALAR || t->kind == TK_STRUCT) {
		out(f, "\t%s %s;\n\t__builtin_memcpy(&%s, %s, %u);\n", wire_ctype(a), n, n, d, type_bytes(t));
		v = n;
	} else if (t->kind == TK_STRING) {
		if (t->varying)
			out(f, "\tif (%sNum == 0)\n\t\tgoto bad;\n\t%s[%sNum - 1] = 0;\n", n, d, n);
		else
			out(f, "\t%s[%u] = 0;\n", d, type_bytes(t) - 1);
		v = xasprintf("(void *)%s", d);
	} else if (t->kind == TK_ARRAY) {
		v = xasprintf("(void *)%s", d);
	} else {
		const char *ptr = xasprintf("(%s)(uintptr_t)mig_get_pointer(%s)", wire_ctype(a), d);
		const char *inl = xasprintf("(%s)(uintptr_t)%s", wire_ctype(a), d);

		if (type_is_port(t) && !t->ool) {
			out(f, "%s\tfor (Idx = 0; Idx < %sNum; Idx++)\t/* narrow the 8-byte slots */\n"
			       "\t\t((mach_port_t *)(void *)%s)[Idx] = mig_get_port(%s + 8 * Idx);\n",
			    t->indefinite ? xasprintf("\tif (%sInl)\n\t", n) : "", n, d, d);
		}
		v = t->ool ? ptr : t->indefinite ? xasprintf("%sInl ? %s : %s", n, inl, ptr) : inl;
		v = xasprintf("%s, %sNum / %u", v, n, en);
		if (a->servercopy)
			v = xasprintf("%s, %s", v, t->indefinite ? xasprintf("%sInl", n) : t->ool ? "FALSE" : "TRUE");
		return v;
	}
	if (translated_in(a)) {
		out(f, "\t%s %sTrans = %s(%s);\n", t->sintran.type, n, t->sintran.func, v);
		v = xasprintf("%sTrans", n);
	}
	if (arg_is_poly_out(a))
		v = xasprintf("%s, mig_type_word(%s - 8) & 0xff", v, d);
	return v;
}

/* Arguments that come from the header rather than the body. */
static const char *fetch_header(FILE *f, const struct arg *a)
{
	const struct type *t = a->type;
	const char *v, *bits;

	if (a->kind == AK_MSGSEQNO)
		return "InHeadP->msgh_seqno";
	if (a->kind == AK_REQUESTPORT) {
		v = "InHeadP->msgh_local_port";
		bits = "MACH_MSGH_BITS_LOCAL(InHeadP->msgh_bits)";
	} else {
		v = "InHeadP->msgh_remote_port";
		bits = "MACH_MSGH_BITS_REMOTE(InHeadP->msgh_bits)";
	}
	if (t->sintran.func) {
		out(f, "\t%s %sTrans = %s(%s);\n", t->sintran.type, a->name, t->sintran.func, v);
		v = xasprintf("%sTrans", a->name);
	}
	return arg_is_poly_out(a) ? xasprintf("%s, %s", v, bits) : v;
}

/* Give an out (or inout) argument its place; returns the call text. */
static const char *prepare_out(FILE *f, const struct routine *r, const struct arg *a)
{
	const struct type *t = a->type;
	const char *n = a->name, *ct = wire_ctype(a);
	const char *s = xasprintf("(OutBuf + %lu)", storage_offset(r, a) + port_shift(t));
	bool port = type_is_port(t) && t->kind == TK_SCALAR;

	if (a->kind == AK_INOUT && t->kind != TK_VARRAY) {
		if (port)
			out(f, "\t*(mach_port_t *)(void *)%s = mig_get_port(%sData);\n", s, n);
		else
			out(f, "\t__builtin_memcpy(%s, %sData, %u);\n", s, n, type_bytes(t));
	}
	if (t->kind == TK_SCALAR || t->kind == TK_STRUCT) {
		const char *v = xasprintf("(%s *)(void *)%s", port ? "mach_port_t" : ct, s);

		if (translated_out(a)) {
			out(f, "\t%s %sTrans;\n", t->souttran.type, n);
			v = xasprintf("&%sTrans", n);
		}
		if (arg_is_poly_in(a)) {
			out(f, "\tmach_msg_type_name_t %sPoly = MACH_MSG_TYPE_MOVE_SEND;\n", n);
			v = xasprintf("%s, &%sPoly", v, n);
		}
		return v;
	}
	if (t->kind == TK_ARRAY || t->kind == TK_STRING)
		return xasprintf("(void *)%s", s);
	if (t->ool) {
		out(f, "\t%s %s = (%s)0;\n\tmach_msg_type_number_t %sCnt = 0;\n", ct, n, ct, n);
		return xasprintf("&%s, &%sCnt", n, n);
	}
	out(f, "\tmach_msg_type_number_t %sCnt = %u;\n", n, capacity(t));
	if (a->countinout)
		out(f, "\t__builtin_memcpy(&Num, %sData, 4);\n\tif (Num < %sCnt)\n\t\t%sCnt = Num;\n", n, n, n);
	if (a->kind == AK_INOUT) {
		out(f, "\t%sCnt = %sNum / %u;\n", n, n, t->elem->number);
		out(f, "\t__builtin_memcpy(%s, %sData, (unsigned long)%sCnt * %u);\n", s, n, n, type_elem_bytes(t));
	}
	if (t->indefinite) {
		out(f, "\t%s %s = (%s)(uintptr_t)%s;\n", ct, n, ct, s);
		return xasprintf("&%s, &%sCnt", n, n);
	}
	return xasprintf("(void *)%s, &%sCnt", s, n);
}

static void pack_elems(FILE *f, const struct arg *a, const char *s, const char *cntv)
{
	const struct type *t = a->type;

	if (type_is_port(t))
		out(f, "\tfor (Idx = 0; Idx < %s; Idx++)\t/* widen to 8-byte slots */\n"
		       "\t\tmig_put_port(Pos + 8 + 8 * Idx, ((mach_port_t *)(void *)%s)[Idx]);\n", cntv, s);
	else
		out(f, "\t__builtin_memmove(Pos + 8, %s, (unsigned long)%s * %u);\n", s, cntv,
		    type_elem_bytes(t));
	if (!type_is_port(t) && type_elem_bytes(t) % 8)	/* no stale bytes in the padding */
		out(f, "\t__builtin_memset(Pos + 8 + (unsigned long)%s * %u, 0, "
		       "(8 - (unsigned long)%s * %u %% 8) %% 8);\n", cntv, type_elem_bytes(t), cntv,
		    type_elem_bytes(t));
	out(f, "\tPos += 8 + (((unsigned long)%s * %u + 7) & ~7ul);\n", cntv, type_elem_bytes(t));
}

static void pack_ool(FILE *f, const struct arg *a, const char *indent)
{
	const struct type *t = a->type;

	out(f, "%smig_put_type(Pos, %s, %sCnt * %u);\n", indent,
	    word_expr(name_macro(t->in_name), item_msgt_size(t, true), false, true,
		      a->dealloc == DEALLOC_YES ? "MIG_DEALLOC" : NULL), a->name, t->elem->number);
	out(f, "%smig_put_pointer(Pos + 8, (const void *)(uintptr_t)%s);\n", indent, a->name);
	out(f, "%sPos += 16;\n%sComplex = MACH_MSGH_BITS_COMPLEX;\n", indent, indent);
}

static void pack_varray(FILE *f, const struct routine *r, const struct arg *a, const char *s)
{
	const struct type *t = a->type;
	const char *n = a->name;

	if (t->ool) {
		pack_ool(f, a, "\t");
		return;
	}
	if (t->indefinite)
		out(f, "\tif (%s == (%s)(uintptr_t)%s) {\n", n, wire_ctype(a), s);
	out(f, "\tif (%sCnt > %u) {\n\t\tOutP->RetCode = MIG_ARRAY_TOO_LARGE;\n\t\treturn;\n\t}\n",
	    n, capacity(t));
	out(f, "\tmig_put_type(Pos, %s, %sCnt * %u);\n",
	    word_expr(name_macro(t->in_name), t->size, true, item_longform(t), NULL), n,
	    t->elem->number);
	pack_elems(f, a, s, xasprintf("%sCnt", n));
	if (t->indefinite) {
		out(f, "\t} else {\n");
		pack_ool(f, a, "\t\t");
		out(f, "\t}\n");
	}
	(void)r;
}

static void pack_item(FILE *f, const struct routine *r, const struct arg *a)
{
	const struct type *t = a->type;
	const char *n = a->name, *s = xasprintf("(OutBuf + %lu)", storage_offset(r, a) + port_shift(t));
	const char *w = word_expr(arg_is_poly_in(a) ? xasprintf("%sPoly", n) : name_macro(t->in_name),
				  t->size, true, item_longform(t), NULL);

	out(f, "\n\t/* %s %s: %s */\n", a->kind == AK_OUT ? "out" : "inout", n,
	    t->name ? t->name : "(in place)");
	if (t->kind == TK_VARRAY) {
		pack_varray(f, r, a, s);
	} else if (t->kind == TK_STRING && t->varying) {
		out(f, "\tNum = mig_string_len(%s, %u);\n\tmig_put_type(Pos, %s, Num);\n", s, t->max, w);
		out(f, "\t__builtin_memmove(Pos + 8, %s, Num);\n", s);
		out(f, "\t__builtin_memset(Pos + 8 + Num, 0, (8 - Num %% 8) %% 8);\n");
		out(f, "\tPos += 8 + ((Num + 7) & ~7u);\n");
	} else if (type_is_port(t)) {
		out(f, "\tmig_put_type(Pos, %s, 1);\n", w);
		if (translated_out(a))
			out(f, "\tmig_put_port(Pos + 8, %s(%sTrans));\n", t->souttran.func, n);
		else
			out(f, "\tmig_put_port(Pos + 8, mig_get_port(%s));\n", s);
		if (arg_is_poly_in(a))
			out(f, "\tif (MACH_MSG_TYPE_PORT_ANY(%sPoly))\n\t\tComplex = MACH_MSGH_BITS_COMPLEX;\n", n);
		out(f, "\tPos += 16;\n");
	} else {
		out(f, "\tmig_put_type(Pos, %s, %u);\n", w, t->number);
		if (translated_out(a))
			out(f, "\t{\n\t\t%s Wire = %s(%sTrans);\n\n\t\t__builtin_memcpy(Pos + 8, &Wire, %u);\n\t}\n",
			    wire_ctype(a), t->souttran.func, n, type_bytes(t));
		else
			out(f, "\t__builtin_memmove(Pos + 8, %s, %u);\n", s, type_bytes(t));
		if (type_bytes(t) % 8)
			out(f, "\t__builtin_memset(Pos + 8 + %u, 0, %lu);\n", type_bytes(t),
			    round8(type_bytes(t)) - type_bytes(t));
		out(f, "\tPos += %lu;\n", 8 + round8(type_bytes(t)));
	}
}

static bool needs_num(const struct routine *r)
{
	const struct arg *a;

	for (a = r->args; a; a = a->next)
		if (a->countinout || (a->type->kind == TK_STRING && a->type->varying && arg_in_reply(a)))
			return true;
	return false;
}

bool needs_idx(const struct routine *r)
{
	const struct arg *a;

	for (a = r->args; a; a = a->next)
		if (type_is_port(a->type) && a->type->kind == TK_VARRAY && !a->type->ool)
			return true;
	return false;
}

static bool has_request_items(const struct routine *r)
{
	const struct arg *a;

	for (a = r->args; a; a = a->next)
		if (arg_in_request(a))
			return true;
	return false;
}

static bool static_complex(const struct routine *r, bool request)
{
	const struct arg *a;

	for (a = r->args; a; a = a->next)
		if ((request ? arg_in_request(a) && a->kind != AK_OUT : arg_in_reply(a))
		    && item_static_complex(a->type, request))
			return true;
	return false;
}

static void emit_checks(FILE *f, const struct routine *r)
{
	const struct arg *a;

	out(f, "\tif (InHeadP->msgh_size < sizeof *InHeadP || InHeadP->msgh_size > %lu)\n\t\tgoto bad;\n",
	    request_max_size(r));
	out(f, "\tEnd = InBuf + InHeadP->msgh_size;\n");
	for (a = r->args; a; a = a->next)
		if (arg_in_request(a))
			emit_check_item(f, a, a->kind == AK_OUT, "goto bad");
	out(f, "\n\tif (Pos != End || (InHeadP->msgh_bits & MACH_MSGH_BITS_COMPLEX) != NeedComplex)\n"
	       "\t\tgoto bad;\n\n");
}

/* Fetch every argument in server-parameter order; returns the call's arguments. */
static const char *emit_fetch(FILE *f, const struct routine *r)
{
	const struct arg *a;
	const char *call = "", *v;

	for (a = r->args; a; a = a->next)
		if (arg_in_reply(a)) {
			out(f, "\t/* Outs wait in the reply at their offsets when every array is full. */\n");
			break;
		}
	for (a = r->args; a; a = a->next) {
		if (!arg_server_param(a))
			continue;
		if (a->kind == AK_OUT || a->kind == AK_INOUT)
			v = prepare_out(f, r, a);
		else if (a->kind == AK_IN)
			v = fetch_in(f, a);
		else
			v = fetch_header(f, a);
		call = *call ? xasprintf("%s,\n\t\t\t%s", call, v) : v;
	}
	return call;
}

static void emit_after_call(FILE *f, const struct routine *r)
{
	const struct arg *a;

	for (a = r->args; a; a = a->next)
		if (a->kind != AK_OUT && a->type->sintran.func && a->type->sdestructor)
			out(f, "\t%s(%sTrans);\n", a->type->sdestructor, a->name);
	out(f, "\tif (OutP->RetCode != KERN_SUCCESS)\n\t\treturn;\n");
	for (a = r->args; a; a = a->next)
		if (a->kind == AK_IN && a->type->indefinite)
			out(f, "\tif (!%sInl && %sNum)\t/* the stub owns memory that came out of line */\n"
			       "\t\t%s((vm_offset_t)mig_get_pointer(%sData), (vm_size_t)%sNum * %u);\n",
			    a->name, a->name, subr("mig_deallocate"), a->name, a->name,
			    item_msgt_size(a->type, true) / 8);
}

static void emit_handler(FILE *f, const struct routine *r, const struct subsystem *s)
{
	const struct arg *a;
	const char *call;
	bool items = has_request_items(r);

	out(f, "\n/* %s (request id %ld): check the request, call %s, pack the reply. */\n",
	    r->name, s->base + r->number, server_name(r));
	out(f, "static void _X%s(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)\n{\n", r->name);
	out(f, "\tchar *InBuf = (char *)InHeadP, *OutBuf = (char *)OutHeadP;\n");
	out(f, "\tmig_reply_header_t *OutP = (mig_reply_header_t *)OutHeadP;\n");
	out(f, "\tchar *Pos = InBuf + sizeof *InHeadP, *End;\n");
	if (items)
		out(f, "\tuint32_t Word;\n\tunsigned long Len;\n");
	if (needs_num(r))
		out(f, "\tuint32_t Num;\n");
	if (needs_idx(r))
		out(f, "\tunsigned long Idx;\n");
	out(f, "\tmach_msg_bits_t NeedComplex = %s;\n",
	    static_complex(r, true) ? "MACH_MSGH_BITS_COMPLEX" : "0");
	if (!r->simple)
		out(f, "\tmach_msg_bits_t Complex = %s;\n",
		    static_complex(r, false) ? "MACH_MSGH_BITS_COMPLEX" : "0");
	for (a = r->args; a; a = a->next)
		declare_in(f, a);
	out(f, "\n");
	emit_checks(f, r);
	call = emit_fetch(f, r);
	out(f, "\n\tOutP->RetCode = %s(%s%s);\n", server_name(r), *call ? "\n\t\t\t" : "", call);
	emit_after_call(f, r);
	if (!r->simple) {
		out(f, "\n\tPos = OutBuf + sizeof *OutP;\n");
		for (a = r->args; a; a = a->next)
			if (arg_in_reply(a))
				pack_item(f, r, a);
		out(f, "\n\tOutHeadP->msgh_size = (mach_msg_size_t)(Pos - OutBuf);\n");
		out(f, "\tOutHeadP->msgh_bits |= Complex;\n");
	}
	else
		out(f, "\t(void)OutBuf;\t/* a simpleroutine's reply is the bare header */\n");
	out(f, "\treturn;\n\nbad:\n\tOutP->RetCode = MIG_BAD_ARGUMENTS;\n}\n");
}

static void emit_demux(FILE *f, const struct subsystem *s)
{
	const struct routine *r;
	const char *demux = demux_name(s);

	out(f, "\n/* Handlers by message id - %ld; a skip is a hole (MIG_BAD_ID). */\n", s->base);
	out(f, "static const mig_routine_t %s_routines[%d] = {\n", s->name, s->nroutines ? s->nroutines : 1);
	for (r = s->routines; r; r = r->next)
		out(f, r->name ? "\t_X%s,\n" : "\t0,\n", r->name);
	out(f, "};\n\n");
	out(f, "mig_routine_t %s_routine(mach_msg_header_t *InHeadP)\n{\n", demux);
	out(f, "\tif (InHeadP->msgh_id < %ld || InHeadP->msgh_id >= %ld)\n\t\treturn 0;\n",
	    s->base, s->base + s->nroutines);
	out(f, "\treturn %s_routines[InHeadP->msgh_id - %ld];\n}\n\n", s->name, s->base);
	out(f, "/* Start the reply (id + 100, to the request's reply port), then run\n"
	       "   the handler; FALSE with MIG_BAD_ID for an id this subsystem lacks. */\n");
	out(f, "boolean_t %s(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)\n{\n", demux);
	out(f, "\tmig_reply_header_t *OutP = (mig_reply_header_t *)OutHeadP;\n");
	out(f, "\tmig_routine_t routine;\n\n");
	out(f, "\tOutHeadP->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(InHeadP->msgh_bits), 0);\n");
	out(f, "\tOutHeadP->msgh_size = sizeof *OutP;\n");
	out(f, "\tOutHeadP->msgh_remote_port = InHeadP->msgh_remote_port;\n");
	out(f, "\tOutHeadP->msgh_local_port = MACH_PORT_NULL;\n");
	out(f, "\tOutHeadP->msgh_seqno = 0;\n");
	out(f, "\tOutHeadP->msgh_id = InHeadP->msgh_id + 100;\n");
	out(f, "\tOutP->RetCodePad = 0;\n");
	out(f, "\tmig_put_type((char *)&OutP->RetCodeType, %s, 1);\n",
	    word_expr("MACH_MSG_TYPE_INTEGER_32", 32, true, false, NULL));
	out(f, "\n\troutine = %s_routine(InHeadP);\n", demux);
	out(f, "\tif (!routine) {\n\t\tOutP->RetCode = MIG_BAD_ID;\n\t\treturn FALSE;\n\t}\n");
	out(f, "\troutine(InHeadP, OutHeadP);\n\treturn TRUE;\n}\n");
}

void emit_server_includes(FILE *f, const struct subsystem *s)
{
	out(f, "\n#include <stdint.h>\n#include <mach/boolean.h>\n#include <mach/kern_return.h>\n"
	       "#include <mach/port.h>\n#include <mach/message.h>\n#include <mach/mig_errors.h>\n"
	       "#include <mach/mig_support.h>\n");
	emit_imports(f, s, 2);
}

int emit_server(FILE *f, const struct subsystem *s, const struct options *o)
{
	const struct routine *r;

	(void)o;
	emit_banner(f, s, "Server stubs");
	emit_server_includes(f, s);
	out(f, "\n");
	emit_wire_helpers(f);
	emit_subr_decls(f);
	out(f, "/* The server functions this file calls; the server program defines them. */\n");
	for (r = s->routines; r; r = r->next)
		if (r->name) {
			out(f, "extern ");
			emit_server_prototype(f, r, ";\n");
		}
	for (r = s->routines; r; r = r->next)
		if (r->name)
			emit_handler(f, r, s);
	emit_demux(f, s);
	return ferror(f) ? -1 : 0;
}
