/* Unit tests of boot-script and kernel command-line parsing (kernel/kern/bootscript.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <kern/bootscript.h>

static struct bs_line l;
static char err[128];

/* Variables for the tests: ports become "name:<n>" so the order is visible. */
static int lookups;

static int lookup(void *ctx, const char *name, char *out, size_t size)
{
	(void)ctx;
	if (strcmp(name, "host-port") == 0 || strcmp(name, "device-port") == 0) {
		snprintf(out, size, "%d", ++lookups);
		return 0;
	}
	if (strcmp(name, "root-device") == 0) {
		snprintf(out, size, "hd0s1");
		return 0;
	}
	return -1;
}

static void test_gnumach_test_line(void **state)
{
	(void)state;
	assert_int_equal(bootscript_parse("X ${host-port} ${device-port} $(task-create) $(task-resume)",
					  &l, err, sizeof(err)), 0);
	assert_int_equal(l.argc, 3);
	assert_string_equal(l.argv[0], "X");
	assert_string_equal(l.argv[1], "${host-port}");
	assert_int_equal(l.nfuncs, 2);
	assert_string_equal(l.funcs[0].name, "task-create");
	assert_string_equal(l.funcs[0].var, "");
	assert_string_equal(l.funcs[1].name, "task-resume");
}

static void test_expand_in_order_and_joined(void **state)
{
	char out[64];

	(void)state;
	lookups = 0;
	assert_int_equal(bootscript_expand("${host-port}", lookup, NULL, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, "1");
	assert_int_equal(bootscript_expand("--host=${device-port}", lookup, NULL, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, "--host=2");
	assert_int_equal(bootscript_expand("a${root-device}b${root-device}", lookup, NULL, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, "ahd0s1bhd0s1");
	assert_int_equal(bootscript_expand("plain", lookup, NULL, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, "plain");
}

static void test_expand_errors(void **state)
{
	char out[8];

	(void)state;
	assert_int_equal(bootscript_expand("${nope}", lookup, NULL, out, sizeof(out), err, sizeof(err)), -1);
	assert_string_equal(err, "undefined variable 'nope'");
	assert_int_equal(bootscript_expand("${host-port", lookup, NULL, out, sizeof(out), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unterminated"));
	assert_int_equal(bootscript_expand("${}", lookup, NULL, out, sizeof(out), err, sizeof(err)), -1);
	assert_int_equal(bootscript_expand("0123456789", lookup, NULL, out, sizeof(out), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "too long"));
}

static void test_var_function_and_comment(void **state)
{
	(void)state;
	assert_int_equal(bootscript_parse("ext2fs --x $(fs-task=task-create) $(prompt-task-resume)",
					  &l, err, sizeof(err)), 0);
	assert_string_equal(l.funcs[0].var, "fs-task");
	assert_string_equal(l.funcs[0].name, "task-create");
	assert_string_equal(l.funcs[1].name, "prompt-task-resume");
	assert_int_equal(bootscript_parse("  # a comment $(task-create)", &l, err, sizeof(err)), 0);
	assert_true(l.comment);
	assert_int_equal(l.nfuncs, 0);
	assert_int_equal(bootscript_parse("   ", &l, err, sizeof(err)), 0);
	assert_int_equal(l.argc, 0);
}

static void test_parse_errors(void **state)
{
	char big[4096];

	(void)state;
	assert_int_equal(bootscript_parse("x $(task-create", &l, err, sizeof(err)), -1);
	assert_int_equal(bootscript_parse("x $()", &l, err, sizeof(err)), -1);
	assert_int_equal(bootscript_parse("x $(=fn)", &l, err, sizeof(err)), -1);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(bootscript_parse(big, &l, err, sizeof(err)), -1);
	strcpy(big, "x");
	for (int i = 0; i < BS_MAX_ARGS; i++)
		strcat(big, " a");
	assert_int_equal(bootscript_parse(big, &l, err, sizeof(err)), -1);
}

static void test_cmdline(void **state)
{
	char v[32];

	(void)state;
	assert_int_equal(cmdline_value("idle=exit root=/dev/hd0s1 FOO=bar", "FOO", v, sizeof(v)), 0);
	assert_string_equal(v, "bar");
	assert_int_equal(cmdline_value("idle=exit", "idl", v, sizeof(v)), -1);
	assert_int_equal(cmdline_value("", "x", v, sizeof(v)), -1);
	assert_int_equal(cmdline_value("k=0123456789012345678901234567890123456789", "k", v, 8), 0);
	assert_string_equal(v, "0123456");
	cmdline_root_device("a root=/dev/hd0s1", v, sizeof(v));
	assert_string_equal(v, "hd0s1");
	cmdline_root_device("root=part:1:device:wd0", v, sizeof(v));
	assert_string_equal(v, "part:1:device:wd0");
	cmdline_root_device("quiet", v, sizeof(v));
	assert_string_equal(v, "UNKNOWN");
	cmdline_boot_args("-s root=x -d --long", v, sizeof(v));
	assert_string_equal(v, "-sd");
	cmdline_boot_args("root=x", v, sizeof(v));
	assert_string_equal(v, "-x");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gnumach_test_line),
		cmocka_unit_test(test_expand_in_order_and_joined),
		cmocka_unit_test(test_expand_errors),
		cmocka_unit_test(test_var_function_and_comment),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_cmdline),
	};
	return cmocka_run_group_tests_name("bootscript", tests, NULL, NULL);
}
