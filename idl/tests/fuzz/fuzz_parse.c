/* libFuzzer target: lex, parse and check one preprocessed interface, then
   run every emitter on it.  Must never crash, leak or hang. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "emit.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	struct options o = { .header_file = "fuzz.h" };

	if (!sink)
		sink = fopen("/dev/null", "w");
	diag_silent = true;
	if (parse_buffer((const char *)data, size, "fuzz.defs") == 0 && sink) {
		emit_user(sink, &the_subsystem, &o);
		emit_server(sink, &the_subsystem, &o);
		emit_header(sink, &the_subsystem, &o);
		emit_server_header(sink, &the_subsystem, &o);
	}
	arena_free_all();
	return 0;
}
