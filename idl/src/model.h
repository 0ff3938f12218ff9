/* The typed model of one interface: types, arguments, routines, subsystem.
   The parser builds it, check.c completes and validates it, emitters read it. */
#ifndef IDL_MODEL_H
#define IDL_MODEL_H

#include <stdbool.h>
#include <stdio.h>

/* msgt_name values used by the generator (abi/README.md section 3.4). */
enum {
	MT_BOOLEAN = 0, MT_INTEGER_16 = 1, MT_INTEGER_32 = 2, MT_CHAR = 8,
	MT_INTEGER_8 = 9, MT_REAL = 10, MT_INTEGER_64 = 11, MT_STRING_C = 12,
	MT_PORT_NAME = 15, MT_MOVE_RECEIVE = 16, MT_MOVE_SEND = 17,
	MT_MOVE_SEND_ONCE = 18, MT_COPY_SEND = 19, MT_MAKE_SEND = 20,
	MT_MAKE_SEND_ONCE = 21,
	MT_POLY = -1,		/* chosen at run time: the C API adds <arg>Poly */
	MT_UNSET = -2,
};

/* Source position after cpp line mapping. */
struct loc {
	const char *file;
	int line;
};

/* What a type is in C and on the wire. */
enum type_kind {
	TK_SCALAR,		/* one base element or a (name, bits) long form */
	TK_STRUCT,		/* struct {...} / struct[N] of T: fixed, by value */
	TK_ARRAY,		/* fixed array[N]: passed as a C array */
	TK_VARRAY,		/* array[*:N], array[], ^array[] */
	TK_STRING,		/* c_string[N], c_string[*:N], STRING_C long form */
};

struct translation {
	const char *type;	/* C type the function produces */
	const char *func;
};

struct type {
	const char *name;	/* NULL for a type written in place */
	struct loc loc;
	enum type_kind kind;
	int in_name;		/* msgt_name the sender writes */
	int out_name;		/* msgt_name the receiver sees */
	unsigned size;		/* msgt_size: bits of one base element */
	unsigned number;	/* base elements in the whole (fixed) datum */
	unsigned max;		/* TK_VARRAY/TK_STRING: max C elements, 0 = none */
	bool varying;		/* element count chosen at run time */
	bool ool;		/* always out of line (^) */
	bool indefinite;	/* array[] / array[*]: in line up to 2048 bytes */
	bool longform;		/* declared (name, bits): descriptor stays short */
	bool string;		/* STRING_C data copied as a NUL-terminated string */
	bool user_longform;	/* explicit long form declaration */
	struct type *elem;	/* element type of arrays */
	/* C side */
	const char *ctype, *cusertype, *cservertype;
	struct translation uintran, sintran, uouttran, souttran;
	const char *udestructor, *sdestructor;
	bool is_builtin;
};

enum arg_kind {
	AK_REQUESTPORT, AK_REPLYPORT, AK_SREPLYPORT, AK_UREPLYPORT,
	AK_IN, AK_OUT, AK_INOUT, AK_WAITTIME, AK_MSGOPTION, AK_MSGSEQNO,
	AK_NONE,		/* written without a direction: decided by check.c */
};

enum dealloc_mode { DEALLOC_NO, DEALLOC_YES, DEALLOC_RUNTIME };

struct arg {
	const char *name;
	struct loc loc;
	enum arg_kind kind;
	struct type *type;
	enum dealloc_mode dealloc;
	bool countinout;
	bool servercopy;
	struct arg *next;
};

struct routine {
	const char *name;	/* NULL for a skip */
	struct loc loc;
	bool simple;
	int number;		/* position in the subsystem: id = base + number */
	struct arg *args;
	const char *user_prefix, *server_prefix;
	const char *waittime;	/* global waittime in force, NULL if none */
	const char *msgoption;	/* global msgoption in force */
	struct routine *next;
};

enum subsystem_mode { MODE_NORMAL, MODE_KERNEL_USER, MODE_KERNEL_SERVER };

struct import {
	const char *text;	/* "file.h" or <file.h>, quotes included */
	int which;		/* 0 both sides, 1 user only, 2 server only */
	struct import *next;
};

struct subsystem {
	const char *name;
	struct loc loc;
	long base;
	enum subsystem_mode mode;
	const char *rcsid;
	const char *server_demux;	/* NULL: <name>_server */
	struct routine *routines;
	struct import *imports;
	int nroutines;		/* positions used, skips included */
};

extern struct subsystem the_subsystem;

/* Types: types.c */
void types_init(void);
struct type *type_lookup(const char *name);
void type_define(const char *name, struct type *t, struct loc loc);
struct type *type_new(struct loc loc);
struct type *type_copy(const struct type *t);
struct type *type_ool(struct loc loc, const struct type *t);
struct type *type_ipc(struct loc loc, int in_name, int out_name, long bits, bool longform);
struct type *type_array(struct loc loc, struct type *elem, long max, bool varying, bool ool);
struct type *type_cstring(struct loc loc, long max, bool varying);
struct type *type_struct_array(struct loc loc, struct type *elem, long n);
struct field { const char *tname; const char *name; long count; struct loc loc; struct field *next; };
struct type *type_struct_fields(struct loc loc, struct field *fields);
unsigned type_elem_bytes(const struct type *t);
unsigned type_bytes(const struct type *t);
bool type_is_port(const struct type *t);
bool name_is_port(int msgt_name);
const char *msgt_macro(int msgt_name);

/* Semantic checks: check.c.  Returns the number of errors. */
int check_subsystem(struct subsystem *s);

#endif
