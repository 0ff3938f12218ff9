/* The reply half of a user stub: accept only a reply that matches the
   routine exactly (else MIG_TYPE_ERROR), then copy the out arguments. */
#include "diag.h"
#include "emit.h"

void user_reply_locals(FILE *f, const struct routine *r)
{
	const struct arg *a;
	bool own = false, alloc = false, items = false;

	for (a = r->args; a; a = a->next) {
		if (a->kind == AK_UREPLYPORT || a->kind == AK_REPLYPORT)
			own = true;
		if (!arg_in_reply(a))
			continue;
		items = true;
		out(f, "\tchar *%sData;\n\tuint32_t %sNum;\n", a->name, a->name);
		(void)a->type->kind;
		if (a->type->indefinite) {
			out(f, "\tboolean_t %sInl;\n", a->name);
			alloc = true;
		}
	}
	if (!own)
		out(f, "\tmach_port_t ReplyPort;\n");
	out(f, "\tchar *End;\n\tmach_msg_bits_t NeedComplex = 0;\n");
	if (items)
		out(f, "\tuint32_t Word;\n\tunsigned long Len;\n");
	if (alloc)
		out(f, "\tvm_address_t Addr;\n");
}

static unsigned c_elem_bytes(const struct type *t)
{
	return type_is_port(t) ? 4 : type_elem_bytes(t);
}

/* Check one received item at q: its descriptor must be exactly what this
   argument sends, and its data must fit before end.  Leaves <name>Data,
   <name>Num and q past the item; runs `fail` otherwise.  `cap` marks the
   count item a countinout array adds to the request. */
void emit_check_item(FILE *f, const struct arg *a, bool cap, const char *fail)
{
	const struct type *t = a->type;
	const char *n = a->name, *rn = recv_macro(t->out_name);
	unsigned en = t->elem ? t->elem->number : 1, eb = type_elem_bytes(t);

	out(f, "\n\t/* %s %s: %s */\n", cap ? "capacity of" : a->kind == AK_IN ? "in"
	    : a->kind == AK_OUT ? "out" : "inout", n, t->name ? t->name : "(in place)");
	out(f, "\tif (End - Pos < 8)\n\t\t%s;\n", fail);
	out(f, "\tWord = mig_type_word(Pos);\n\t%sNum = mig_type_number(Pos);\n\t%sData = Pos + 8;\n", n, n);
	if (cap) {
		out(f, "\tif (Word != %s || %sNum != 1)\n\t\t%s;\n",
		    word_expr("MACH_MSG_TYPE_INTEGER_32", 32, true, false, NULL), n, fail);
		out(f, "\tLen = 4;\n");
	} else if (arg_is_poly_out(a)) {
		out(f, "\tif ((Word & ~0xffu) != %s || %sNum != 1)\n\t\t%s;\n",
		    word_expr("0", 64, true, false, NULL), n, fail);
		out(f, "\tif (MACH_MSG_TYPE_PORT_ANY(Word & 0xff))\n\t\tNeedComplex = MACH_MSGH_BITS_COMPLEX;\n");
		out(f, "\tLen = 8;\n");
	} else if (t->ool) {
		out(f, "\tif ((Word & ~MIG_DEALLOC) != %s)\n\t\t%s;\n",
		    word_expr(rn, item_msgt_size(t, true), false, true, NULL), fail);
		out(f, "\tLen = 8;\n");
	} else if (t->indefinite) {
		out(f, "\t%sInl = (Word & MIG_INLINE) != 0;\n", n);
		out(f, "\tif (%sInl ? Word != %s : (Word & ~MIG_DEALLOC) != %s)\n\t\t%s;\n",
		    n, word_expr(rn, t->size, true, true, NULL),
		    word_expr(rn, item_msgt_size(t, true), false, true, NULL), fail);
		if (en > 1)
			out(f, "\tif (%sNum %% %u)\n\t\t%s;\n", n, en, fail);
		out(f, "\tLen = %sInl ? (unsigned long)%sNum / %u * %u : 8;\n", n, n, en, eb);
		out(f, "\tif (!%sInl)\n\t\tNeedComplex = MACH_MSGH_BITS_COMPLEX;\n", n);
	} else if (t->varying) {
		bool str = t->kind == TK_STRING;
		unsigned max = str ? t->max : t->max * en;

		out(f, "\tif (Word != %s || %sNum > %u%s)\n\t\t%s;\n",
		    word_expr(rn, t->size, true, item_longform(t), NULL), n, max,
		    en > 1 ? xasprintf(" || %sNum %% %u", n, en) : "", fail);
		out(f, "\tLen = (unsigned long)%sNum / %u * %u;\n", n, str ? 1 : en, str ? 1 : eb);
	} else {
		out(f, "\tif (Word != %s || %sNum != %u)\n\t\t%s;\n",
		    word_expr(rn, t->size, true, item_longform(t), NULL), n, t->number, fail);
		out(f, "\tLen = %u;\n", type_bytes(t));
	}
	out(f, "\tif ((unsigned long)(End - %sData) < Len)\n\t\t%s;\n", n, fail);
	out(f, "\tPos = %sData + ((Len + 7) & ~7ul);\n", n);
}

static void copy_elems(FILE *f, const struct type *t, const char *dst, const char *src, const char *n)
{
	if (type_is_port(t))
		out(f, "\tfor (Idx = 0; Idx < %s; Idx++)\n"
		       "\t\t((mach_port_t *)(uintptr_t)%s)[Idx] = mig_get_port(%s + 8 * Idx);\n",
		    n, dst, src);
	else
		out(f, "\t__builtin_memcpy((void *)(uintptr_t)%s, %s, (unsigned long)%s * %u);\n",
		    dst, src, n, c_elem_bytes(t));
}

static void copy_item(FILE *f, const struct arg *a)
{
	const struct type *t = a->type;
	const char *n = a->name, *ct = user_type(a);
	unsigned en = t->elem ? t->elem->number : 1;
	const char *data = xasprintf("%sData", n);

	if (arg_is_poly_out(a)) {
		out(f, "\t*%s = mig_get_port(%s);\n", n, data);
		out(f, "\t*%sPoly = mig_type_word(%s - 8) & 0xff;\n", n, data);
	} else if (t->kind == TK_SCALAR && type_is_port(t)) {
		out(f, "\t*%s = mig_get_port(%s);\n", n, data);
	} else if (t->ool || t->indefinite) {
		if (t->indefinite) {
			out(f, "\tif (%sInl) {\n\tif (%sNum / %u > *%sCnt) {\n", n, n, en, n);
			out(f, "\t\t%s(&Addr, (vm_size_t)%sNum / %u * %u);\n", subr("mig_allocate"), n, en,
			    c_elem_bytes(t));
			out(f, "\t\t*%s = (%s)Addr;\n\t}\n", n, ct);
			copy_elems(f, t, xasprintf("*%s", n), data, xasprintf("%sNum / %u", n, en));
			out(f, "\t} else\n\t");
		}
		out(f, "\t*%s = (%s)(uintptr_t)mig_get_pointer(%s);\n", n, ct, data);
		out(f, "\t*%sCnt = %sNum / %u;\n", n, n, en);
	} else if (t->kind == TK_VARRAY) {
		out(f, "\tif (%sNum / %u > *%sCnt) {\n", n, en, n);
		copy_elems(f, t, n, data, xasprintf("*%sCnt", n));
		out(f, "\t\t*%sCnt = %sNum / %u;\n\t\treturn MIG_ARRAY_TOO_LARGE;\n\t}\n", n, n, en);
		copy_elems(f, t, n, data, xasprintf("%sNum / %u", n, en));
		out(f, "\t*%sCnt = %sNum / %u;\n", n, n, en);
	} else if (t->kind == TK_STRING && t->varying) {
		out(f, "\t__builtin_memcpy(%s, %s, %sNum);\n", n, data, n);
		out(f, "\tif (%sNum == 0)\n\t\t%s[0] = 0;\n", n, n);
	} else {
		out(f, "\t__builtin_memcpy(%s, %s, %u);\n", n, data, type_bytes(t));
	}
}

static bool reply_static_complex(const struct routine *r)
{
	const struct arg *a;

	for (a = r->args; a; a = a->next)
		if (arg_in_reply(a) && item_static_complex(a->type, true))
			return true;
	return false;
}

void emit_user_reply(FILE *f, const struct routine *r, const struct subsystem *s, bool own)
{
	const struct arg *a;

	const char *dealloc = own ? "" : xasprintf("\t\t%s(ReplyPort);\n", subr("mig_dealloc_reply_port"));

	out(f, "\tif (MsgResult != MACH_MSG_SUCCESS) {\n%s\t\treturn MsgResult;\n\t}\n", dealloc);
	if (!own)
		out(f, "\t%s(ReplyPort);\n", subr("mig_put_reply_port"));
	out(f, "\tif (Mess.head.msgh_id != %ld) {\n", s->base + r->number + 100);
	out(f, "\t\tif (Mess.head.msgh_id == MACH_NOTIFY_SEND_ONCE)\n\t\t\treturn MIG_SERVER_DIED;\n");
	out(f, "%s\t\treturn MIG_REPLY_MISMATCH;\n\t}\n", dealloc);
	out(f, "\tif (Mess.head.msgh_size < sizeof Mess.reply || Mess.head.msgh_size > sizeof Mess.buf\n"
	       "\t    || mig_type_word(Mess.buf + 32) != %s\n"
	       "\t    || mig_type_number(Mess.buf + 32) != 1)\n\t\treturn MIG_TYPE_ERROR;\n",
	    word_expr("MACH_MSG_TYPE_INTEGER_32", 32, true, false, NULL));
	out(f, "\t/* A failed call answers with the bare 48-byte reply. */\n");
	out(f, "\tif (Mess.reply.RetCode != KERN_SUCCESS && Mess.head.msgh_size == sizeof Mess.reply\n"
	       "\t    && !(Mess.head.msgh_bits & MACH_MSGH_BITS_COMPLEX))\n\t\treturn Mess.reply.RetCode;\n");
	out(f, "\tPos = Mess.buf + sizeof Mess.reply;\n\tEnd = Mess.buf + Mess.head.msgh_size;\n");
	if (reply_static_complex(r))
		out(f, "\tNeedComplex = MACH_MSGH_BITS_COMPLEX;\n");
	for (a = r->args; a; a = a->next)
		if (arg_in_reply(a))
			emit_check_item(f, a, false, "return MIG_TYPE_ERROR");
	out(f, "\n\tif (Pos != End || (Mess.head.msgh_bits & MACH_MSGH_BITS_COMPLEX) != NeedComplex)\n"
	       "\t\treturn MIG_TYPE_ERROR;\n");
	out(f, "\tif (Mess.reply.RetCode != KERN_SUCCESS)\n\t\treturn Mess.reply.RetCode;\n\n");
	for (a = r->args; a; a = a->next)
		if (arg_in_reply(a))
			copy_item(f, a);
	out(f, "\treturn KERN_SUCCESS;\n");
}
