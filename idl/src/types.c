/* The type table and the constructors for each form of type declaration.
   Sizes follow the x86_64 ABI: ports take 64-bit slots in line. */
#include <string.h>

#include "diag.h"
#include "model.h"

struct entry {
	const char *name;
	struct type *type;
	struct entry *next;
};

#define NBUCKETS 257
static struct entry *table[NBUCKETS];

static unsigned hash(const char *s)
{
	unsigned h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h % NBUCKETS;
}

struct type *type_lookup(const char *name)
{
	struct entry *e;

	for (e = table[hash(name)]; e; e = e->next)
		if (strcmp(e->name, name) == 0)
			return e->type;
	return NULL;
}

void type_define(const char *name, struct type *t, struct loc loc)
{
	struct entry *e;
	struct type *old = type_lookup(name);

	if (old && !old->is_builtin)
		error_at(loc, "type `%s' is already defined (at %s:%d)", name,
			 old->loc.file, old->loc.line);
	t->name = name;
	t->loc = loc;
	if (!t->ctype)
		t->ctype = name;
	e = xmalloc(sizeof *e);
	e->name = name;
	e->type = t;
	e->next = table[hash(name)];
	table[hash(name)] = e;
}

struct type *type_new(struct loc loc)
{
	struct type *t = xmalloc(sizeof *t);

	t->loc = loc;
	t->in_name = t->out_name = MT_UNSET;
	t->number = 1;
	return t;
}

struct type *type_copy(const struct type *t)
{
	struct type *c = xmalloc(sizeof *c);

	*c = *t;
	return c;
}

bool name_is_port(int n)
{
	return n == MT_POLY || (n >= MT_MOVE_RECEIVE && n <= MT_MAKE_SEND_ONCE);
}

bool type_is_port(const struct type *t)
{
	return name_is_port(t->in_name) || name_is_port(t->out_name);
}

/* An IPC name, maybe with an explicit size: `(MACH_MSG_TYPE_X, bits)`. */
struct type *type_ipc(struct loc loc, int in, int out, long bits, bool longform)
{
	struct type *t = type_new(loc);

	t->kind = TK_SCALAR;
	t->in_name = in;
	t->out_name = out;
	t->size = bits > 0 && bits < 65536 ? (unsigned)bits : 0;
	t->user_longform = longform;
	if (bits <= 0 || bits >= 65536)
		error_at(loc, "IPC type size %ld is not between 1 and 65535 bits", bits);
	if ((name_is_port(in) || name_is_port(out)) && bits != 64)
		error_at(loc, "a port type must be 64 bits in line, not %ld", bits);
	if (in == MT_STRING_C) {
		t->kind = TK_STRING;
		t->string = true;
		t->max = t->size / 8;
	}
	if (in < MT_POLY || in > 255 || out < MT_POLY || out > 255)
		error_at(loc, "IPC type name %d is not between 0 and 255", in < out ? in : out);
	return t;
}

static bool check_elem(struct loc loc, const struct type *elem)
{
	if (elem->kind == TK_VARRAY || (elem->kind == TK_STRING && elem->varying)) {
		error_at(loc, "array element type `%s' has a variable size",
			 elem->name ? elem->name : "(anonymous)");
		return false;
	}
	if (elem->ool) {
		error_at(loc, "array element type `%s' is out of line",
			 elem->name ? elem->name : "(anonymous)");
		return false;
	}
	return true;
}

struct type *type_array(struct loc loc, struct type *elem, long n, bool varying, bool ool)
{
	struct type *t = type_new(loc);

	t->elem = elem;
	t->in_name = elem->in_name;
	t->out_name = elem->out_name;
	t->size = elem->size;
	t->ool = ool;
	if (!check_elem(loc, elem))
		return t;
	if (n < 0 || (!varying && n == 0) || n > 0x1000000) {
		error_at(loc, "array bound %ld is out of range (1 to 16777216)", n);
		n = 1;
	}
	if ((unsigned long)n * elem->number > 0x1000000) {
		error_at(loc, "array of %ld elements of `%s' is too large", n,
			 elem->name ? elem->name : "(anonymous)");
		n = 1;
	}
	t->kind = varying ? TK_VARRAY : TK_ARRAY;
	t->varying = varying;
	t->max = (unsigned)n;
	t->number = (unsigned)n * elem->number;
	t->indefinite = varying && n == 0;
	t->string = false;
	return t;
}

struct type *type_ool(struct loc loc, const struct type *inner)
{
	struct type *t = type_copy(inner);

	t->loc = loc;
	t->name = NULL;
	if (t->kind != TK_VARRAY) {
		error_at(loc, "`^' needs a variable array (^array[] of T)");
		return t;
	}
	if (t->max)
		error_at(loc, "an out-of-line array cannot be bounded (^array[*:N])");
	t->ool = true;
	t->indefinite = false;
	return t;
}

struct type *type_cstring(struct loc loc, long max, bool varying)
{
	struct type *t = type_new(loc);

	if (max < 1 || max > 0x100000) {
		error_at(loc, "c_string bound %ld is out of range (1 to 1048576)", max);
		max = 1;
	}
	t->kind = TK_STRING;
	t->string = true;
	t->in_name = t->out_name = MT_STRING_C;
	t->size = 8;
	t->max = (unsigned)max;
	t->number = (unsigned)max;
	t->varying = varying;
	return t;
}

struct type *type_struct_array(struct loc loc, struct type *elem, long n)
{
	struct type *t = type_new(loc);

	t->kind = TK_STRUCT;
	t->in_name = elem->in_name;
	t->out_name = elem->out_name;
	t->size = elem->size;
	if (!check_elem(loc, elem))
		return t;
	if (type_is_port(elem))
		error_at(loc, "a struct cannot hold port rights");
	if (n < 1 || n > 0x1000000) {
		error_at(loc, "struct bound %ld is out of range (1 to 16777216)", n);
		n = 1;
	}
	if ((unsigned long)n * elem->number > 0x1000000) {
		error_at(loc, "struct of %ld elements is too large", n);
		n = 1;
	}
	t->number = (unsigned)n * elem->number;
	return t;
}

/* Alignment of a fixed datum in a C struct: its base unit, at most 8. */
static unsigned type_align(const struct type *t)
{
	unsigned a = t->string ? 1 : t->size / 8;

	return a == 2 || a == 4 || a == 8 ? a : 1;
}

/* struct { T1 f1; T2 f2[N]; ... }: sent as an array of its widest unit. */
struct type *type_struct_fields(struct loc loc, struct field *f)
{
	struct type *t = type_new(loc), *ft;
	unsigned long off = 0;
	unsigned unit = 1, a;

	t->kind = TK_STRUCT;
	for (; f; f = f->next) {
		ft = type_lookup(f->tname);
		if (!ft) {
			error_at(f->loc, "unknown type `%s' of struct field `%s'", f->tname, f->name);
			continue;
		}
		if (ft->varying || ft->ool || type_is_port(ft)) {
			error_at(f->loc, "struct field `%s' must be fixed-size data", f->name);
			continue;
		}
		if (f->count < 1 || f->count > 0x100000) {
			error_at(f->loc, "struct field bound %ld is out of range", f->count);
			continue;
		}
		a = type_align(ft);
		if (a > unit)
			unit = a;
		off = (off + a - 1) / a * a + type_bytes(ft) * (unsigned long)f->count;
		if (off > 0x1000000) {
			error_at(f->loc, "struct is too large");
			off = 8;
			break;
		}
	}
	off = (off + unit - 1) / unit * unit;
	t->size = unit * 8;
	t->number = off ? (unsigned)(off / unit) : 1;
	t->in_name = t->out_name = unit == 8 ? MT_INTEGER_64 : unit == 4 ? MT_INTEGER_32
		: unit == 2 ? MT_INTEGER_16 : MT_INTEGER_8;
	return t;
}

/* Bytes of one C element of an array (of the whole datum otherwise). */
unsigned type_elem_bytes(const struct type *t)
{
	const struct type *e = t->elem ? t->elem : t;

	if (t->kind == TK_STRING)
		return 1;
	return (e->size * e->number + 7) / 8;
}

/* Bytes of a fixed datum in line. */
unsigned type_bytes(const struct type *t)
{
	return (unsigned)(((unsigned long)t->size * t->number + 7) / 8);
}

const char *msgt_macro(int n)
{
	switch (n) {
	case MT_BOOLEAN: return "MACH_MSG_TYPE_BOOLEAN";
	case MT_INTEGER_16: return "MACH_MSG_TYPE_INTEGER_16";
	case MT_INTEGER_32: return "MACH_MSG_TYPE_INTEGER_32";
	case MT_CHAR: return "MACH_MSG_TYPE_CHAR";
	case MT_INTEGER_8: return "MACH_MSG_TYPE_INTEGER_8";
	case MT_REAL: return "MACH_MSG_TYPE_REAL";
	case MT_INTEGER_64: return "MACH_MSG_TYPE_INTEGER_64";
	case MT_STRING_C: return "MACH_MSG_TYPE_STRING_C";
	case MT_PORT_NAME: return "MACH_MSG_TYPE_PORT_NAME";
	case MT_MOVE_RECEIVE: return "MACH_MSG_TYPE_MOVE_RECEIVE";
	case MT_MOVE_SEND: return "MACH_MSG_TYPE_MOVE_SEND";
	case MT_MOVE_SEND_ONCE: return "MACH_MSG_TYPE_MOVE_SEND_ONCE";
	case MT_COPY_SEND: return "MACH_MSG_TYPE_COPY_SEND";
	case MT_MAKE_SEND: return "MACH_MSG_TYPE_MAKE_SEND";
	case MT_MAKE_SEND_ONCE: return "MACH_MSG_TYPE_MAKE_SEND_ONCE";
	}
	return NULL;
}

static void builtin(const char *name, int mt, unsigned bits)
{
	struct loc loc = { "<builtin>", 0 };
	struct type *t = type_new(loc);

	t->kind = TK_SCALAR;
	t->in_name = t->out_name = mt;
	t->size = bits;
	t->is_builtin = true;
	type_define(name, t, loc);
}

/* The generator's own types; everything else comes from .defs files. */
void types_init(void)
{
	memset(table, 0, sizeof table);
	builtin("char", MT_CHAR, 8);
	builtin("short", MT_INTEGER_16, 16);
	builtin("int", MT_INTEGER_32, 32);
	builtin("int64", MT_INTEGER_64, 64);
	builtin("uintptr_t", MT_INTEGER_64, 64);
	builtin("intptr_t", MT_INTEGER_64, 64);
	builtin("boolean", MT_BOOLEAN, 32);
	builtin("float", MT_REAL, 32);
	builtin("double", MT_REAL, 64);
	builtin("polymorphic", MT_POLY, 64);
	type_lookup("polymorphic")->ctype = "mach_port_t";
}
