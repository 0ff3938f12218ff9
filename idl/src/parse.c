/* One compilation: reset the tables, lex and parse the cpp output,
   then run the semantic checks. */
#include "diag.h"
#include "parse.h"

static int finish(void)
{
	int errors;

	idl_yyparse();
	lexer_finish();
	errors = diag_errors;
	if (!errors)
		errors = check_subsystem(&the_subsystem);
	return errors;
}

static void start(const char *name)
{
	diag_reset();
	diag_here.file = name;
	types_init();
	parse_reset();
}

int parse_file(FILE *in, const char *name)
{
	start(name);
	lexer_start(in);
	return finish();
}

int parse_buffer(const char *buf, size_t len, const char *name)
{
	start(name);
	lexer_start_string(buf, len);
	return finish();
}

/* Merge translation modifiers written after a type onto it. */
void parse_merge_mods(struct type *t, const struct type *m)
{
	if (m->ctype) t->ctype = m->ctype;
	if (m->cusertype) t->cusertype = m->cusertype;
	if (m->cservertype) t->cservertype = m->cservertype;
	if (m->uintran.func) t->uintran = m->uintran;
	if (m->sintran.func) t->sintran = m->sintran;
	if (m->uouttran.func) t->uouttran = m->uouttran;
	if (m->souttran.func) t->souttran = m->souttran;
	if (m->udestructor) t->udestructor = m->udestructor;
	if (m->sdestructor) t->sdestructor = m->sdestructor;
}
