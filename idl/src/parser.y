/* Grammar of the MIG interface language.  Actions build the model of
   model.h; meaning is checked later, in check.c. */
%define api.prefix {idl_yy}
%define parse.error verbose

%code requires {
#include "model.h"
struct ipc_name { int in, out, bits; };
struct trans_mods;
}

%code {
#include <string.h>
#include "diag.h"
#include "parse.h"

int idl_yylex(void);
static void idl_yyerror(const char *msg);

/* Statement-level settings that apply to the routines that follow. */
static const char *cur_user_prefix = "", *cur_server_prefix = "";
static const char *cur_waittime, *cur_msgoption;
static struct routine **routine_tail;
static struct import **import_tail;

static struct loc here(void) { return diag_here; }
static void add_routine(struct routine *r);
static void add_skips(long n);
static struct type *apply_mods(struct type *t, struct type *mods);
static struct type *named_type(const char *name, struct loc loc);
static struct type *own_type(struct type *t);
static struct arg *flag_arg(struct arg *a, int flag);
}

%union {
	long num;
	char *str;
	struct ipc_name ipc;
	struct type *type;
	struct arg *arg;
	struct field *field;
	struct routine *routine;
	int flag;
}

/* Keywords print as written in messages such as "unexpected routine". */
%token ROUTINE "routine"
%token SIMPLEROUTINE "simpleroutine"
%token PROCEDURE "procedure"
%token SUBSYSTEM "subsystem"
%token KERNELUSER "KernelUser"
%token KERNELSERVER "KernelServer"
%token SKIP "skip"
%token TYPE "type"
%token ARRAY "array"
%token OF "of"
%token STRUCT "struct"
%token CSTRING "c_string"
%token POLYMORPHIC "polymorphic"
%token SERVERPREFIX "serverprefix"
%token USERPREFIX "userprefix"
%token SERVERDEMUX "serverdemux"
%token RCSID "rcsid"
%token MSGOPTION "msgoption"
%token MSGSEQNO "msgseqno"
%token WAITTIME "waittime"
%token NOWAITTIME "nowaittime"
%token ERROR_KW "error"
%token IN "in"
%token OUT "out"
%token INOUT "inout"
%token REQUESTPORT "requestport"
%token REPLYPORT "replyport"
%token SREPLYPORT "sreplyport"
%token UREPLYPORT "ureplyport"
%token DEALLOC "dealloc"
%token NOTDEALLOC "notdealloc"
%token SERVERCOPY "servercopy"
%token COUNTINOUT "countinout"
%token CTYPE "ctype"
%token CUSERTYPE "cusertype"
%token CSERVERTYPE "cservertype"
%token INTRAN "intran"
%token OUTTRAN "outtran"
%token DESTRUCTOR "destructor"
%token UINTRAN "uintran"
%token UOUTTRAN "uouttran"
%token UDESTRUCTOR "udestructor"
%token SINTRAN "sintran"
%token SOUTTRAN "souttran"
%token SDESTRUCTOR "sdestructor"
%token INTRANPAYLOAD "intranpayload"
%token <num> NUMBER "number"
%token <num> IMPORT_KW "import"
%token <str> IDENT "identifier"
%token <str> STRING "string"
%token <str> FILENAME "file name"
%token <ipc> IPCNAME "IPC type name"

%type <num> int_exp sub_mods
%type <ipc> prim_ipc ipc_type
%type <type> type_spec anon_type basic_type trans_mods trans_mod arg_type
%type <arg> arg arg_list args
%type <field> fields field
%type <str> ctype_name text_value
%type <flag> direction ipc_flag
%type <routine> routine_head

%left '+' '-'
%left '*' '/'

%%

statements
	: %empty
	| statements statement
	;

statement
	: subsystem ';'
	| WAITTIME text_value ';'	{ cur_waittime = $2; }
	| NOWAITTIME ';'		{ cur_waittime = NULL; }
	| MSGOPTION text_value ';'	{ cur_msgoption = $2; }
	| ERROR_KW IDENT ';'
	| SERVERPREFIX IDENT ';'	{ cur_server_prefix = $2; }
	| SERVERPREFIX ';'		{ cur_server_prefix = ""; }
	| USERPREFIX IDENT ';'		{ cur_user_prefix = $2; }
	| USERPREFIX ';'		{ cur_user_prefix = ""; }
	| SERVERDEMUX IDENT ';'		{ the_subsystem.server_demux = $2; }
	| RCSID STRING ';'		{ the_subsystem.rcsid = $2; }
	| type_decl ';'
	| routine_decl ';'
	| SKIP ';'			{ add_skips(1); }
	| SKIP int_exp ';'		{ add_skips($2); }
	| IMPORT_KW FILENAME ';'	{ parse_add_import($2, (int)$1); }
	| ';'
	| error ';'			{ yyerrok; }
	;

text_value
	: IDENT				{ $$ = $1; }
	| STRING			{ $$ = $1; }
	| NUMBER			{ $$ = xasprintf("%ld", $1); }
	;

subsystem
	: SUBSYSTEM sub_mods IDENT int_exp {
		if (the_subsystem.name)
			error_at(here(), "a second subsystem statement (the first was `%s')",
				 the_subsystem.name);
		the_subsystem.name = $3;
		the_subsystem.loc = here();
		the_subsystem.base = $4;
		the_subsystem.mode = (enum subsystem_mode)$2;
	}
	;

sub_mods
	: %empty			{ $$ = MODE_NORMAL; }
	| sub_mods KERNELUSER		{ $$ = MODE_KERNEL_USER; }
	| sub_mods KERNELSERVER		{ $$ = MODE_KERNEL_SERVER; }
	;

type_decl
	: TYPE IDENT '=' type_spec trans_mods {
		type_define($2, apply_mods(own_type($4), $5), here());
	}
	;

/* A named type is shared; anything written in place is new. */
type_spec
	: IDENT				{ $$ = named_type($1, here()); }
	| anon_type			{ $$ = $1; }
	;

anon_type
	: basic_type			{ $$ = $1; }
	| ARRAY '[' ']' OF type_spec	{ $$ = type_array(here(), $5, 0, true, false); }
	| ARRAY '[' '*' ']' OF type_spec { $$ = type_array(here(), $6, 0, true, false); }
	| ARRAY '[' int_exp ']' OF type_spec { $$ = type_array(here(), $6, $3, false, false); }
	| ARRAY '[' '*' ':' int_exp ']' OF type_spec {
		if ($5 < 1)
			error_at(here(), "array bound %ld is out of range (1 to 16777216)", $5);
		$$ = type_array(here(), $8, $5 < 1 ? 1 : $5, true, false);
	}
	| '^' type_spec			{ $$ = type_ool(here(), $2); }
	| STRUCT '[' int_exp ']' OF type_spec { $$ = type_struct_array(here(), $6, $3); }
	| STRUCT '{' fields '}'		{ $$ = type_struct_fields(here(), $3); }
	| CSTRING '[' int_exp ']'	{ $$ = type_cstring(here(), $3, false); }
	| CSTRING '[' '*' ':' int_exp ']' { $$ = type_cstring(here(), $5, true); }
	;

fields
	: %empty			{ $$ = NULL; }
	| field fields			{ $1->next = $2; $$ = $1; }
	;

field
	: IDENT IDENT ';' {
		$$ = xmalloc(sizeof *$$);
		$$->tname = $1;
		$$->name = $2;
		$$->count = 1;
		$$->loc = here();
	}
	| IDENT IDENT '[' int_exp ']' ';' {
		$$ = xmalloc(sizeof *$$);
		$$->tname = $1;
		$$->count = $4;
		$$->name = $2;
		$$->loc = here();
	}
	;

basic_type
	: ipc_type			{ $$ = type_ipc(here(), $1.in, $1.out, $1.bits, false); }
	| '(' ipc_type ',' int_exp ')'	{ $$ = type_ipc(here(), $2.in, $2.out, $4, true); }
	| '(' ipc_type ',' int_exp ',' DEALLOC ')' { $$ = type_ipc(here(), $2.in, $2.out, $4, true); }
	;

ipc_type
	: prim_ipc			{ $$ = $1; }
	| prim_ipc '|' prim_ipc {
		$$.in = $1.in;
		$$.out = $3.out;
		$$.bits = $1.bits ? $1.bits : $3.bits;
	}
	;

prim_ipc
	: IPCNAME			{ $$ = $1; }
	| POLYMORPHIC			{ $$.in = $$.out = MT_POLY; $$.bits = 64; }
	| NUMBER			{ $$.in = $$.out = (int)$1; $$.bits = 0; }
	;

trans_mods
	: %empty			{ $$ = NULL; }
	| trans_mods trans_mod {
		$$ = $1 ? $1 : type_new(here());
		parse_merge_mods($$, $2);
	}
	;

trans_mod
	: CTYPE ':' ctype_name		{ $$ = type_new(here()); $$->ctype = $3; }
	| CUSERTYPE ':' ctype_name	{ $$ = type_new(here()); $$->cusertype = $3; }
	| CSERVERTYPE ':' ctype_name	{ $$ = type_new(here()); $$->cservertype = $3; }
	| INTRAN ':' ctype_name IDENT '(' ctype_name ')' {
		$$ = type_new(here());
		$$->sintran.type = $3; $$->sintran.func = $4;
		$$->uintran = $$->sintran;
	}
	| OUTTRAN ':' ctype_name IDENT '(' ctype_name ')' {
		$$ = type_new(here());
		$$->souttran.type = $6; $$->souttran.func = $4;
		$$->uouttran = $$->souttran;
	}
	| DESTRUCTOR ':' IDENT '(' ctype_name ')' {
		$$ = type_new(here());
		$$->sdestructor = $$->udestructor = $3;
	}
	| UINTRAN ':' ctype_name IDENT '(' ctype_name ')' {
		$$ = type_new(here()); $$->uintran.type = $3; $$->uintran.func = $4;
	}
	| SINTRAN ':' ctype_name IDENT '(' ctype_name ')' {
		$$ = type_new(here()); $$->sintran.type = $3; $$->sintran.func = $4;
	}
	| UOUTTRAN ':' ctype_name IDENT '(' ctype_name ')' {
		$$ = type_new(here()); $$->uouttran.type = $6; $$->uouttran.func = $4;
	}
	| SOUTTRAN ':' ctype_name IDENT '(' ctype_name ')' {
		$$ = type_new(here()); $$->souttran.type = $6; $$->souttran.func = $4;
	}
	| UDESTRUCTOR ':' IDENT '(' ctype_name ')' {
		$$ = type_new(here()); $$->udestructor = $3;
	}
	| SDESTRUCTOR ':' IDENT '(' ctype_name ')' {
		$$ = type_new(here()); $$->sdestructor = $3;
	}
	| INTRANPAYLOAD ':' ctype_name IDENT {
		/* Protected payloads are a kernel matter; the wire is unchanged. */
		$$ = type_new(here());
	}
	;

ctype_name
	: IDENT				{ $$ = $1; }
	| STRUCT IDENT			{ $$ = xasprintf("struct %s", $2); }
	| ctype_name '*'		{ $$ = xasprintf("%s *", $1); }
	;

routine_decl
	: routine_head '(' args ')' {
		$1->args = $3;
		add_routine($1);
	}
	;

routine_head
	: ROUTINE IDENT			{ $$ = parse_new_routine($2, false, here()); }
	| SIMPLEROUTINE IDENT		{ $$ = parse_new_routine($2, true, here()); }
	| PROCEDURE IDENT {
		error_at(here(), "`%s': procedures and functions are obsolete; use routine or simpleroutine", $2);
		$$ = parse_new_routine($2, false, here());
	}
	;

args
	: %empty			{ $$ = NULL; }
	| arg_list			{ $$ = $1; }
	| arg_list ';'			{ $$ = $1; }
	;

arg_list
	: arg				{ $$ = $1; }
	| arg_list ';' arg {
		struct arg *a = $1;
		while (a->next)
			a = a->next;
		a->next = $3;
		$$ = $1;
	}
	;

arg
	: direction IDENT ':' arg_type {
		$$ = xmalloc(sizeof *$$);
		$$->kind = (enum arg_kind)$1;
		$$->name = $2;
		$$->type = $4;
		$$->loc = here();
	}
	| arg ',' ipc_flag		{ $$ = flag_arg($1, $3); }
	;

direction
	: %empty			{ $$ = AK_NONE; }
	| IN				{ $$ = AK_IN; }
	| OUT				{ $$ = AK_OUT; }
	| INOUT				{ $$ = AK_INOUT; }
	| REQUESTPORT			{ $$ = AK_REQUESTPORT; }
	| REPLYPORT			{ $$ = AK_REPLYPORT; }
	| SREPLYPORT			{ $$ = AK_SREPLYPORT; }
	| UREPLYPORT			{ $$ = AK_UREPLYPORT; }
	| WAITTIME			{ $$ = AK_WAITTIME; }
	| MSGOPTION			{ $$ = AK_MSGOPTION; }
	| MSGSEQNO			{ $$ = AK_MSGSEQNO; }
	;

arg_type
	: IDENT				{ $$ = named_type($1, here()); }
	| IDENT '=' type_spec trans_mods {
		$$ = apply_mods(own_type($3), $4);
		$$->name = $1;
		if (!$$->ctype)
			$$->ctype = $1;
	}
	| anon_type trans_mods		{ $$ = apply_mods($1, $2); }
	;

ipc_flag
	: DEALLOC			{ $$ = 1; }
	| DEALLOC '[' ']'		{ $$ = 2; }
	| NOTDEALLOC			{ $$ = 3; }
	| SERVERCOPY			{ $$ = 4; }
	| COUNTINOUT			{ $$ = 5; }
	| IDENT {
		error_at(here(), "unknown argument flag `%s'", $1);
		$$ = 0;
	}
	;

int_exp
	: NUMBER			{ $$ = $1; }
	| int_exp '+' int_exp		{ $$ = $1 + $3; }
	| int_exp '-' int_exp		{ $$ = $1 - $3; }
	| int_exp '*' int_exp {
		$$ = ($1 > 0x7fffffffL || $3 > 0x7fffffffL || $1 < -0x7fffffffL || $3 < -0x7fffffffL)
			? 0x7fffffffffL : $1 * $3;
	}
	| int_exp '/' int_exp {
		if ($3 == 0) {
			error_at(here(), "division by zero");
			$$ = 0;
		} else {
			$$ = $1 / $3;
		}
	}
	| '(' int_exp ')'		{ $$ = $2; }
	;

%%

static void idl_yyerror(const char *msg)
{
	error_at(diag_here, "%s", msg);
}

static struct type *named_type(const char *name, struct loc loc)
{
	struct type *t = type_lookup(name);

	if (!t) {
		error_at(loc, "unknown type `%s'", name);
		t = type_lookup("int");
	}
	return t;
}

/* `type X = Y`: X starts as a copy of Y with its own C name. */
static struct type *own_type(struct type *t)
{
	if (!t->name)
		return t;
	t = type_copy(t);
	t->ctype = t->cusertype = t->cservertype = NULL;
	memset(&t->uintran, 0, sizeof t->uintran);
	t->sintran = t->uouttran = t->souttran = t->uintran;
	t->udestructor = t->sdestructor = NULL;
	t->is_builtin = false;
	return t;
}

/* Translation modifiers live in a scratch type merged onto the real one. */
static struct type *apply_mods(struct type *t, struct type *mods)
{
	if (mods)
		parse_merge_mods(t, mods);
	return t;
}

static struct arg *flag_arg(struct arg *a, int flag)
{
	switch (flag) {
	case 1: a->dealloc = DEALLOC_YES; break;
	case 2: a->dealloc = DEALLOC_RUNTIME; break;
	case 3: a->dealloc = DEALLOC_NO; break;
	case 4: a->servercopy = true; break;
	case 5: a->countinout = true; break;
	}
	return a;
}

struct routine *parse_new_routine(const char *name, bool simple, struct loc loc)
{
	struct routine *r = xmalloc(sizeof *r);

	r->name = name;
	r->simple = simple;
	r->loc = loc;
	return r;
}

static void add_routine(struct routine *r)
{
	r->number = the_subsystem.nroutines++;
	r->user_prefix = cur_user_prefix;
	r->server_prefix = cur_server_prefix;
	r->waittime = cur_waittime;
	r->msgoption = cur_msgoption;
	*routine_tail = r;
	routine_tail = &r->next;
}

static void add_skips(long n)
{
	if (n < 1 || n > 10000) {
		error_at(here(), "skip count %ld is out of range (1 to 10000)", n);
		return;
	}
	while (n-- > 0)
		add_routine(parse_new_routine(NULL, false, here()));
}

void parse_add_import(const char *text, int which)
{
	struct import *i = xmalloc(sizeof *i);

	i->text = text;
	i->which = which;
	*import_tail = i;
	import_tail = &i->next;
}

void parse_reset(void)
{
	memset(&the_subsystem, 0, sizeof the_subsystem);
	cur_user_prefix = cur_server_prefix = "";
	cur_waittime = cur_msgoption = NULL;
	routine_tail = &the_subsystem.routines;
	import_tail = &the_subsystem.imports;
}
