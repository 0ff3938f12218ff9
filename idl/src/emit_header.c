/* Header emitters: the user header (<subsystem>.h) with the stubs'
   prototypes, and the server header (-sheader) with the demux and the
   server functions a server program must define. */
#include <ctype.h>
#include <string.h>

#include "diag.h"
#include "emit.h"

static const char *guard(const struct subsystem *s, const char *suffix)
{
	char *g = xasprintf("_%s%s_H_", s->name, suffix), *p;

	for (p = g; *p; p++)
		*p = (char)(isalnum((unsigned char)*p) ? toupper((unsigned char)*p) : '_');
	return g;
}

static void includes(FILE *f)
{
	out(f, "#include <mach/boolean.h>\n#include <mach/kern_return.h>\n#include <mach/port.h>\n"
	       "#include <mach/message.h>\n#include <mach/std_types.h>\n#include <mach/mig_errors.h>\n");
}

int emit_header(FILE *f, const struct subsystem *s, const struct options *o)
{
	const struct routine *r;
	const char *g = guard(s, "_user");

	emit_banner(f, s, "User interface");
	out(f, "#ifndef %s\n#define %s\n\n", g, g);
	includes(f);
	emit_imports(f, s, 1);
	out(f, "\n/* Message ids %ld-%ld; replies are request id + 100. */\n", s->base,
	    s->base + (s->nroutines ? s->nroutines - 1 : 0));
	out(f, "#define %s_BASE %ld\n", s->name, s->base);
	for (r = s->routines; r; r = r->next) {
		if (!r->name)
			continue;
		out(f, "\n/* %s %s (id %ld) */\nextern ", r->simple ? "Simpleroutine" : "Routine",
		    r->name, s->base + r->number);
		emit_user_prototype(f, r, o, ";\n");
	}
	out(f, "\n#endif /* %s */\n", g);
	return ferror(f) ? -1 : 0;
}

int emit_server_header(FILE *f, const struct subsystem *s, const struct options *o)
{
	const struct routine *r;
	const char *g = guard(s, "_server");
	const char *demux = demux_name(s);

	(void)o;
	emit_banner(f, s, "Server interface");
	out(f, "#ifndef %s\n#define %s\n\n", g, g);
	includes(f);
	emit_imports(f, s, 2);
	out(f, "\n/* Handle one request; FALSE (MIG_BAD_ID in the reply) for an unknown id. */\n");
	out(f, "extern boolean_t %s(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP);\n", demux);
	out(f, "/* The handler of a request, or NULL for an unknown id. */\n");
	out(f, "extern mig_routine_t %s_routine(mach_msg_header_t *InHeadP);\n", demux);
	for (r = s->routines; r; r = r->next) {
		if (!r->name)
			continue;
		out(f, "\n/* %s (id %ld) */\nextern ", r->name, s->base + r->number);
		emit_server_prototype(f, r, ";\n");
	}
	out(f, "\n#endif /* %s */\n", g);
	return ferror(f) ? -1 : 0;
}
