/*
 * The boot manifest parser (servers/bootstrap/manifest.c): a good manifest gives every
 * field, and each kind of error is reported as LINE: message with its entry dropped
 * while the entries around it are kept.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "servers/bootstrap/manifest.h"

static struct manifest m;
static char reports[4096];
static int nreports;

/* Collects "LINE: message\n" lines, as bootstrap prints them after "manifest:". */
static void collect(void *ctx, int line, const char *msg)
{
	size_t used = strlen(reports);

	(void)ctx;
	snprintf(reports + used, sizeof(reports) - used, "%d: %s\n", line, msg);
	nreports++;
}

static int parse(const char *text)
{
	reports[0] = '\0';
	nreports = 0;
	return manifest_parse(text, strlen(text), &m, collect, NULL);
}

static void test_good(void **state)
{
	static const char text[] =
		"# the default system, more or less\n"
		"\n"
		"server serial\n"
		"  args -v  COM1\t# two words\n"
		"  io 0x3f8 0x3ff\n"
		"  irq 4\n"
		"  io 760 767\n"
		"server block virtio-blk\n"
		"  pci 1af4:1001\n"
		"  pci 1AF4:1001 1\n"
		"  dma 1M\n"
		"  mem 0xfee00000 8K\n"
		"  port pci\n"
		"  task serial\n"
		"  module root.cpio\n"
		"  module extra\n"
		"  restart no\r\n"
		"  wait no\n"
		"server last";	/* no newline at the end */

	(void)state;
	assert_int_equal(parse(text), 0);
	assert_string_equal(reports, "");
	assert_int_equal(m.n, 3);

	const struct mf_entry *s = &m.e[0], *b = &m.e[1], *l = &m.e[2];
	assert_string_equal(s->name, "serial");
	assert_string_equal(s->module, "serial");
	assert_int_equal(s->line, 3);
	assert_int_equal(s->argc, 2);
	assert_string_equal(s->args[0], "-v");
	assert_string_equal(s->args[1], "COM1");
	assert_int_equal(s->ngrants, 3);
	assert_int_equal(s->grants[0].kind, MF_IO);
	assert_int_equal(s->grants[0].a, 0x3f8);
	assert_int_equal(s->grants[0].b, 0x3ff);
	assert_int_equal(s->grants[1].kind, MF_IRQ);
	assert_int_equal(s->grants[1].a, 4);
	assert_int_equal(s->grants[2].kind, MF_IO);
	assert_int_equal(s->grants[2].a, 760);
	assert_int_equal(s->grants[2].b, 767);
	assert_true(s->restart && s->wait);
	assert_int_equal(s->nports + s->ntasks, 0);
	assert_int_equal(s->nmodules, 0);

	assert_string_equal(b->name, "block");
	assert_string_equal(b->module, "virtio-blk");
	assert_int_equal(b->argc, 0);
	assert_int_equal(b->ngrants, 4);
	assert_int_equal(b->grants[0].kind, MF_PCI);
	assert_int_equal(b->grants[0].a, 0x1af41001);
	assert_int_equal(b->grants[0].b, 0);
	assert_int_equal(b->grants[1].b, 1);
	assert_int_equal(b->grants[2].kind, MF_DMA);
	assert_int_equal(b->grants[2].a, 1024 * 1024);
	assert_int_equal(b->grants[3].kind, MF_MEM);
	assert_int_equal(b->grants[3].a, 0xfee00000);
	assert_int_equal(b->grants[3].b, 8192);
	assert_int_equal(b->nports, 1);
	assert_string_equal(b->ports[0], "pci");
	assert_int_equal(b->ntasks, 1);
	assert_string_equal(b->tasks[0], "serial");
	assert_int_equal(b->nmodules, 2);
	assert_string_equal(b->modules[0], "root.cpio");
	assert_string_equal(b->modules[1], "extra");
	assert_false(b->restart);
	assert_false(b->wait);

	assert_string_equal(l->name, "last");
	assert_int_equal(l->line, 19);
}

static void test_empty(void **state)
{
	(void)state;
	assert_int_equal(parse(""), 0);
	assert_int_equal(m.n, 0);
	assert_int_equal(parse("\n# nothing\n   \n"), 0);
	assert_int_equal(m.n, 0);
}

/* One bad line in the middle entry: that entry goes, its neighbours stay. */
static void check_error(const char *bad_line, const char *message)
{
	char text[1024], want[512];

	snprintf(text, sizeof(text), "server a\n  irq 1\nserver b\n  io 1 2\n%s\n  irq 3\nserver c\n",
		 bad_line);
	snprintf(want, sizeof(want), "5: %s\n", message);
	assert_int_equal(parse(text), 1);
	assert_string_equal(reports, want);
	assert_int_equal(m.n, 2);
	assert_string_equal(m.e[0].name, "a");
	assert_int_equal(m.e[0].ngrants, 1);
	assert_string_equal(m.e[1].name, "c");
	assert_int_equal(m.e[1].line, 7);
}

static void test_errors(void **state)
{
	(void)state;
	check_error("  bogus 1", "unknown directive 'bogus'");
	check_error("  io 1", "io: expected FIRST LAST");
	check_error("  io 1 2 3", "io: expected FIRST LAST");
	check_error("  io 0x 2", "io: bad number");
	check_error("  io 12a 20", "io: bad number");
	check_error("  io 1K 2K", "io: bad number");
	check_error("  io 0x3f8 0x10000", "io: ports are 0 to 0xffff");
	check_error("  io 5 4", "io: FIRST is after LAST");
	check_error("  irq", "irq: expected LINE");
	check_error("  irq 16", "irq: LINE must be 0 to 15, not 2 (the cascade)");
	check_error("  irq 2", "irq: LINE must be 0 to 15, not 2 (the cascade)");
	check_error("  irq -1", "irq: bad number");
	check_error("  mem 0xb8000", "mem: expected ADDR SIZE");
	check_error("  mem 0xb8000 0", "mem: SIZE is 0");
	check_error("  mem 0xb8001 4096", "mem: ADDR and SIZE must be multiples of 4096");
	check_error("  mem 0xb8000 100", "mem: ADDR and SIZE must be multiples of 4096");
	check_error("  mem 0xfffffffffffff000 8K", "mem: the range wraps around");
	check_error("  mem 0x1000 99999999999999999999", "mem: bad number");
	check_error("  mem 0x1000 0xffffffffffffffffK", "mem: bad number");
	check_error("  dma 0", "dma: LIMIT is 0");
	check_error("  dma 1G", "dma: bad number");
	check_error("  dma", "dma: expected LIMIT");
	check_error("  pci 1af4", "pci: bad id '1af4' (want four hex digits:four hex digits)");
	check_error("  pci 1af4:100", "pci: bad id '1af4:100' (want four hex digits:four hex digits)");
	check_error("  pci 1af4:100g", "pci: bad id '1af4:100g' (want four hex digits:four hex digits)");
	check_error("  pci 1af4:1001 256", "pci: bad N '256' (0 to 255)");
	check_error("  pci", "pci: expected VENDOR:DEVICE [N]");
	check_error("  port", "port: expected NAME");
	check_error("  task a b", "task: expected NAME");
	check_error("  port 0123456789012345678901234567890123456789012345678901234567890123",
		    "port: name longer than 63 characters");
	check_error("  module", "module: expected NAME");
	check_error("  module a b", "module: expected NAME");
	check_error("  module 0123456789012345678901234567890123456789012345678901234567890123",
		    "module: name longer than 63 characters");
	check_error("  restart maybe", "restart: expected yes or no");
	check_error("  wait", "wait: expected yes or no");
	check_error("  args 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17",
		    "args: more than 16 arguments");
	check_error("  args 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18",
		    "more than 18 words on a line");
	check_error("  io 1\0012", "control character in the line");
	check_error("  args \"sh -c", "unterminated \"");
}

/* A double-quoted word keeps its spaces (a shell command line as one argument). */
static void test_quoted_args(void **state)
{
	(void)state;
	assert_int_equal(parse("server linux\n  args -- sh -c \"echo hello  there\" \"\" x\n"), 0);
	assert_int_equal(m.e[0].argc, 6);
	assert_string_equal(m.e[0].args[2], "-c");
	assert_string_equal(m.e[0].args[3], "echo hello  there");
	assert_string_equal(m.e[0].args[4], "");
	assert_string_equal(m.e[0].args[5], "x");
}

/* An entry's errors past the first are all reported; the entry still goes once. */
static void test_entry_level_errors(void **state)
{
	static char longline[600];

	(void)state;
	assert_int_equal(parse("io 1 2\nserver a\n"), 1);
	assert_string_equal(reports, "1: 'io' before the first server line\n");
	assert_int_equal(m.n, 1);

	assert_int_equal(parse("server a\nserver a b\n  irq 1\nserver c\n"), 1);
	assert_string_equal(reports, "2: server a: defined twice\n");
	assert_int_equal(m.n, 2);
	assert_string_equal(m.e[1].name, "c");

	assert_int_equal(parse("server\nserver a b c\nserver d\n"), 2);
	assert_string_equal(reports, "1: server: expected NAME [MODULE]\n2: server: expected NAME [MODULE]\n");
	assert_int_equal(m.n, 1);

	assert_int_equal(parse("server a\n  irq 77\n  dma 0\nserver b\n"), 2);
	assert_int_equal(m.n, 1);
	assert_string_equal(m.e[0].name, "b");

	memset(longline, 'x', sizeof(longline) - 1);
	memcpy(longline, "server ", 7);
	assert_int_equal(parse(longline), 1);
	assert_string_equal(reports, "1: line longer than 511 characters\n");
	assert_int_equal(m.n, 0);
}

static void test_limits(void **state)
{
	static char text[8192];
	size_t used = 0;

	(void)state;
	for (int i = 0; i < MF_MAX_ENTRIES + 1; i++)
		used += snprintf(text + used, sizeof(text) - used, "server s%d\n  irq 1\n", i);
	assert_int_equal(parse(text), 1);
	assert_string_equal(reports, "65: server s32: too many servers (at most 32)\n");
	assert_int_equal(m.n, MF_MAX_ENTRIES);

	used = snprintf(text, sizeof(text), "server g\n");
	for (int i = 0; i < MF_MAX_GRANTS + 1; i++)
		used += snprintf(text + used, sizeof(text) - used, "  io %d %d\n", i, i);
	assert_int_equal(parse(text), 1);
	assert_string_equal(reports, "18: too many io, irq, mem, dma and pci lines (at most 16)\n");
	assert_int_equal(m.n, 0);

	used = snprintf(text, sizeof(text), "server g\n");
	for (int i = 0; i < MF_MAX_NAMES + 1; i++)
		used += snprintf(text + used, sizeof(text) - used, "  %s n%d\n", i % 2 ? "task" : "port", i);
	assert_int_equal(parse(text), 1);
	assert_string_equal(reports, "18: too many port and task lines (at most 16)\n");

	/* Module lines have their own limit, apart from the names'. */
	used = snprintf(text, sizeof(text), "server g\n  port p\n");
	for (int i = 0; i < MF_MAX_MODULES + 1; i++)
		used += snprintf(text + used, sizeof(text) - used, "  module m%d\n", i);
	assert_int_equal(parse(text), 1);
	assert_string_equal(reports, "11: too many module lines (at most 8)\n");
	assert_int_equal(m.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_quoted_args),
		cmocka_unit_test(test_entry_level_errors),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}
