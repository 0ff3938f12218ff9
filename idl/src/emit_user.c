/* User stub emitter: for each routine, a function that packs the request,
   calls mach_msg, checks the reply and unpacks the out arguments. */
#include <string.h>

#include "diag.h"
#include "emit.h"

static const struct arg *find_kind(const struct routine *r, enum arg_kind k)
{
	const struct arg *a;

	for (a = r->args; a; a = a->next)
		if (a->kind == k)
			return a;
	return NULL;
}

/* Expression for a value the stub received as a parameter. */
static const char *val(const struct arg *a)
{
	return a->kind == AK_INOUT ? xasprintf("(*%s)", a->name) : a->name;
}

static const char *cnt(const struct arg *a)
{
	return a->kind == AK_INOUT ? xasprintf("(*%sCnt)", a->name) : xasprintf("%sCnt", a->name);
}

/* Element copy loops for port arrays, which change width on the wire. */
static void put_elems(FILE *f, const struct arg *a, const char *dst, const char *n)
{
	const struct type *t = a->type;

	if (type_is_port(t))
		out(f, "\tfor (Idx = 0; Idx < %s; Idx++)\n\t\tmig_put_port(%s + 8 * Idx, ((const mach_port_t *)%s)[Idx]);\n",
		    n, dst, a->name);
	else
		out(f, "\t__builtin_memcpy(%s, %s, (unsigned long)%s * %u);\n", dst, a->name, n,
		    type_elem_bytes(t));
}

static void put_fixed(FILE *f, const struct arg *a)
{
	const struct type *t = a->type;
	bool poly = arg_is_poly_in(a);
	const char *name = poly ? xasprintf("%sPoly", val(a)) : name_macro(t->in_name);

	if (poly && a->kind == AK_INOUT)
		name = xasprintf("(*%sPoly)", a->name);
	out(f, "\tmig_put_type(Pos, %s, %u);\n", word_expr(name, t->size, true, item_longform(t), NULL),
	    t->number);
	if (type_is_port(t))
		out(f, "\tmig_put_port(Pos + 8, %s);\n", val(a));
	else if (t->kind == TK_STRING)
		out(f, "\tmig_put_string(Pos + 8, %s, %u);\n", a->name, type_bytes(t));
	else if (t->kind == TK_ARRAY || a->kind == AK_INOUT)
		out(f, "\t__builtin_memcpy(Pos + 8, %s, %u);\n", a->name, type_bytes(t));
	else
		out(f, "\t__builtin_memcpy(Pos + 8, &%s, %u);\n", a->name, type_bytes(t));
	if (poly)
		out(f, "\tif (MACH_MSG_TYPE_PORT_ANY(%s))\n\t\tComplex = MACH_MSGH_BITS_COMPLEX;\n", name);
	out(f, "\tPos += %lu;\n", 8 + round8(type_bytes(t)));
}

/* The name an array's descriptor carries: fixed, or the caller's Poly. */
static const char *array_name(FILE *f, const struct arg *a)
{
	if (!arg_is_poly_in(a))
		return name_macro(a->type->in_name);
	out(f, "\tif (MACH_MSG_TYPE_PORT_ANY(%sPoly))\n\t\tComplex = MACH_MSGH_BITS_COMPLEX;\n", a->name);
	return xasprintf("%sPoly", a->name);
}

static void put_varray(FILE *f, const struct arg *a)
{
	const struct type *t = a->type;
	unsigned en = t->elem->number, eb = type_elem_bytes(t);
	const char *n = cnt(a);

	out(f, "\tif (%s > %u)\n\t\treturn MIG_ARRAY_TOO_LARGE;\n", n, t->max);
	out(f, "\tmig_put_type(Pos, %s, %s * %u);\n",
	    word_expr(array_name(f, a), t->size, true, item_longform(t), NULL), n, en);
	put_elems(f, a, "Pos + 8", n);
	out(f, "\tPos += 8 + (((unsigned long)%s * %u + 7) & ~7ul);\n", n, eb);
}

static const char *dealloc_flag(const struct arg *a)
{
	if (a->dealloc == DEALLOC_YES)
		return "MIG_DEALLOC";
	if (a->dealloc == DEALLOC_RUNTIME)
		return xasprintf("(%sDealloc ? MIG_DEALLOC : 0)", a->name);
	return NULL;
}

static void put_ool(FILE *f, const struct arg *a, const char *indent)
{
	const struct type *t = a->type;

	out(f, "%smig_put_type(Pos, %s, %s * %u);\n", indent,
	    word_expr(arg_is_poly_in(a) ? xasprintf("%sPoly", a->name) : name_macro(t->in_name),
		      item_msgt_size(t, true), false, true, dealloc_flag(a)),
	    cnt(a), t->elem->number);
	out(f, "%smig_put_pointer(Pos + 8, (const void *)(uintptr_t)%s);\n", indent, a->name);
	out(f, "%sPos += 16;\n%sComplex = MACH_MSGH_BITS_COMPLEX;\n", indent, indent);
}

/* array[]: in line up to INLINE_MAX_BYTES, out of line above. */
static void put_indefinite(FILE *f, const struct arg *a)
{
	const struct type *t = a->type;
	unsigned eb = type_elem_bytes(t);
	const char *n = cnt(a);

	out(f, "\tif ((unsigned long)%s * %u <= %d) {\n", n, eb, INLINE_MAX_BYTES);
	out(f, "\tmig_put_type(Pos, %s, %s * %u);\n",
	    word_expr(array_name(f, a), t->size, true, true, NULL), n, t->elem->number);
	put_elems(f, a, "Pos + 8", n);
	out(f, "\tPos += 8 + (((unsigned long)%s * %u + 7) & ~7ul);\n", n, eb);
	out(f, "\t} else {\n");
	put_ool(f, a, "\t\t");
	out(f, "\t}\n");
}

static void put_item(FILE *f, const struct arg *a)
{
	const struct type *t = a->type;

	out(f, "\n\t/* %s %s: %s */\n", a->kind == AK_INOUT ? "inout" : "in", a->name,
	    t->name ? t->name : "(in place)");
	if (a->kind == AK_OUT) {	/* countinout: the caller's capacity */
		unsigned cap = t->indefinite ? INLINE_MAX_BYTES / type_elem_bytes(t) : t->max;

		out(f, "\tmig_put_type(Pos, %s, 1);\n",
		    word_expr("MACH_MSG_TYPE_INTEGER_32", 32, true, false, NULL));
		out(f, "\tNum = *%sCnt < %u ? *%sCnt : %u;\n", a->name, cap, a->name, cap);
		out(f, "\t__builtin_memcpy(Pos + 8, &Num, 4);\n\tPos += 16;\n");
	} else if (t->kind == TK_STRING && t->varying) {
		out(f, "\tNum = mig_put_string(Pos + 8, %s, %u);\n", a->name, t->max);
		out(f, "\tmig_put_type(Pos, %s, Num);\n",
		    word_expr("MACH_MSG_TYPE_STRING_C", 8, true, item_longform(t), NULL));
		out(f, "\tPos += 8 + ((Num + 7) & ~7u);\n");
	} else if (t->kind != TK_VARRAY) {
		put_fixed(f, a);
	} else if (t->ool) {
		put_ool(f, a, "\t");
	} else if (t->indefinite) {
		put_indefinite(f, a);
	} else {
		put_varray(f, a);
	}
}

static bool static_complex(const struct routine *r, bool request)
{
	const struct arg *a;

	for (a = r->args; a; a = a->next)
		if ((request ? arg_in_request(a) && a->kind != AK_OUT : arg_in_reply(a))
		    && item_static_complex(a->type, !request))
			return true;
	return false;
}


static void declare_locals(FILE *f, const struct routine *r, unsigned long bufsize)
{
	const struct arg *a;
	bool num = false;

	for (a = r->args; a; a = a->next)
		if (a->countinout || (a->type->kind == TK_STRING && a->type->varying && arg_in_request(a)))
			num = true;
	out(f, "\tunion {\n\t\tmach_msg_header_t head;\n\t\tmig_reply_header_t reply;\n"
	       "\t\tchar buf[%lu];\n\t} Mess;\n", bufsize);
	out(f, "\tchar *Pos = Mess.buf + sizeof Mess.head;\n");
	out(f, "\tmach_msg_bits_t Complex = %s;\n",
	    static_complex(r, true) ? "MACH_MSGH_BITS_COMPLEX" : "0");
	out(f, "\tmach_msg_return_t MsgResult;\n");
	if (needs_idx(r))
		out(f, "\tunsigned long Idx;\n");
	if (num)
		out(f, "\tuint32_t Num;\n");
	if (!r->simple)
		user_reply_locals(f, r);
}

static const char *disposition(const struct arg *a)
{
	if (arg_is_poly_in(a))
		return xasprintf("%sPoly", a->name);
	return name_macro(a->type->in_name);
}

static void emit_header_fill(FILE *f, const struct routine *r, const struct subsystem *s)
{
	const struct arg *req = find_kind(r, AK_REQUESTPORT);
	const struct arg *rep = find_kind(r, AK_UREPLYPORT);
	const char *local = "MACH_PORT_NULL", *ldisp = "0";

	if (!rep)
		rep = find_kind(r, AK_REPLYPORT);
	if (rep) {
		local = rep->name;
		ldisp = disposition(rep);
	} else if (!r->simple) {
		local = "ReplyPort";
		ldisp = "MACH_MSG_TYPE_MAKE_SEND_ONCE";
		out(f, "\n\tReplyPort = %s();\n", subr("mig_get_reply_port"));
	}
	out(f, "\n\tMess.head.msgh_bits = MACH_MSGH_BITS(%s, %s) | Complex;\n",
	    req ? disposition(req) : "0", ldisp);
	out(f, "\tMess.head.msgh_size = (mach_msg_size_t)(Pos - Mess.buf);\n");
	out(f, "\tMess.head.msgh_remote_port = %s;\n", req ? req->name : "MACH_PORT_NULL");
	out(f, "\tMess.head.msgh_local_port = %s;\n", local);
	out(f, "\tMess.head.msgh_seqno = 0;\n");
	out(f, "\tMess.head.msgh_id = %ld;\n", s->base + r->number);
}

/* The options and timeout of the mach_msg call. */
static void emit_send(FILE *f, const struct routine *r, const struct subsystem *s)
{
	const struct arg *wt = find_kind(r, AK_WAITTIME), *mo = find_kind(r, AK_MSGOPTION);
	const struct arg *rep = find_kind(r, AK_UREPLYPORT);
	const char *timeout = wt ? wt->name : r->waittime;
	const char *opts = r->simple ? "MACH_SEND_MSG" : "MACH_SEND_MSG | MACH_RCV_MSG";

	if (!rep)
		rep = find_kind(r, AK_REPLYPORT);
	if (timeout)
		opts = xasprintf("%s | %s", opts, r->simple ? "MACH_SEND_TIMEOUT" : "MACH_RCV_TIMEOUT");
	if (mo)
		opts = xasprintf("%s | %s", opts, mo->name);
	else if (r->msgoption)
		opts = xasprintf("%s | %s", opts, r->msgoption);
	if (s->mode == MODE_KERNEL_USER && r->simple) {
		out(f, "\tMsgResult = mach_msg_send_from_kernel(&Mess.head, Mess.head.msgh_size);\n");
		return;
	}
	if (s->mode == MODE_KERNEL_USER) {
		out(f, "\tMsgResult = mach_msg_rpc_from_kernel(&Mess.head, Mess.head.msgh_size, %lu);\n",
		    reply_max_size(r));
		return;
	}
	out(f, "\tMsgResult = %s(&Mess.head, %s, Mess.head.msgh_size, %lu, %s, %s, MACH_PORT_NULL);\n",
	    subr("mach_msg"), opts, r->simple ? 0UL : reply_max_size(r),
	    r->simple ? "MACH_PORT_NULL" : rep ? rep->name : "ReplyPort",
	    timeout ? timeout : "MACH_MSG_TIMEOUT_NONE");
}

static void emit_stub(FILE *f, const struct routine *r, const struct subsystem *s,
		      const struct options *o)
{
	const struct arg *a;
	unsigned long req = request_max_size(r), rep = reply_max_size(r);

	out(f, "\n/* %s %s: request id %ld", r->simple ? "Simpleroutine" : "Routine", r->name,
	    s->base + r->number);
	if (!r->simple)
		out(f, ", reply id %ld", s->base + r->number + 100);
	out(f, ". */\n");
	emit_user_prototype(f, r, o, "\n{\n");
	declare_locals(f, r, req > rep ? req : rep);
	for (a = r->args; a; a = a->next)
		if (arg_in_request(a))
			put_item(f, a);
	emit_header_fill(f, r, s);
	out(f, "\n");
	emit_send(f, r, s);
	if (r->simple) {
		out(f, "\treturn MsgResult;\n}\n");
		return;
	}
	emit_user_reply(f, r, s, find_kind(r, AK_UREPLYPORT) || find_kind(r, AK_REPLYPORT));
	out(f, "}\n");
}

int emit_user(FILE *f, const struct subsystem *s, const struct options *o)
{
	const struct routine *r;

	emit_banner(f, s, "User stubs");
	out(f, "\n#include <stdint.h>\n#include <mach/boolean.h>\n#include <mach/kern_return.h>\n"
	       "#include <mach/port.h>\n#include <mach/message.h>\n#include <mach/notify.h>\n"
	       "#include <mach/mig_errors.h>\n#include <mach/mig_support.h>\n");
	emit_imports(f, s, 1);
	if (o->header_file)
		out(f, "#include \"%s\"\n", o->header_file);
	out(f, "\n");
	emit_wire_helpers(f);
	emit_subr_decls(f);
	for (r = s->routines; r; r = r->next)
		if (r->name)
			emit_stub(f, r, s, o);
	return ferror(f) ? -1 : 0;
}
