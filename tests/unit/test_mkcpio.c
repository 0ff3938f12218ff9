/*
 * Unit tests of tools/mkcpio.c, compiled here with its main renamed mkcpio_main: the exact
 * bytes of a small newc archive, GNU cpio's reading of it (a reader we did not write),
 * determinism, ${NAME} expansion, the depfile, and every refusal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

int mkcpio_main(int argc, char **argv);

static char dir[64];		/* a scratch folder per test */

static void put(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* The whole of DIR/NAME (malloc'd, NUL added), or NULL when it does not exist. */
static char *get(const char *name, size_t *size)
{
	char path[128];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (size)
		*size = (size_t)n;
	return buf;
}

/* Runs mkcpio with "-D DIR=<scratch>" then ARGS (NULL-ended), in DIR. */
static int run(const char *first, ...)
{
	char *argv[16] = { "mkcpio", "-D" };
	char def[80];
	int argc = 3, rc;
	char cwd[256];
	va_list ap;

	snprintf(def, sizeof(def), "DIR=%s", dir);
	argv[2] = def;
	va_start(ap, first);
	for (const char *a = first; a; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	rc = mkcpio_main(argc, argv);
	assert_int_equal(chdir(cwd), 0);
	return rc;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_mkcpio.XXXXXX");
	assert_non_null(mkdtemp(dir));
	put("f", "hi\n");
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

/* Entries deliberately out of order: the archive is sorted by path. */
static const char small_spec[] =
	"# a comment\n"
	"slink /l 0777 0 0 a/f\n"
	"\n"
	"file /a/f 0644 0 0 ${DIR}/f   # trailing comment\n"
	"dir / 0755 0 0\n"
	"dir /a 0750 1000 100\n";

/* Written out by hand from the newc layout: 6-byte magic, 13 fields of 8 hex digits. */
#define HDR(ino, mode, uid, gid, nlink, size, namesize) \
	"070701" ino mode uid gid nlink "00000000" size \
	"00000000" "00000000" "00000000" "00000000" namesize "00000000"
static const char small_archive[] =
	HDR("00000001", "000041ED", "00000000", "00000000", "00000003", "00000000", "00000002")
	".\0"					/* 110 + 2: aligned */
	HDR("00000002", "000041E8", "000003E8", "00000064", "00000002", "00000000", "00000002")
	"a\0"
	HDR("00000003", "000081A4", "00000000", "00000000", "00000001", "00000003", "00000004")
	"a/f\0" "\0\0"				/* 110 + 4, padded to 116 */
	"hi\n" "\0"				/* data padded to 4 */
	HDR("00000004", "0000A1FF", "00000000", "00000000", "00000001", "00000003", "00000002")
	"l\0"
	"a/f" "\0"				/* the target, no NUL of its own */
	HDR("00000000", "00000000", "00000000", "00000000", "00000001", "00000000", "0000000B")
	"TRAILER!!!\0" "\0\0\0";

static void test_exact_bytes(void **state)
{
	size_t size;
	char *got;

	(void)state;
	put("spec", small_spec);
	assert_int_equal(run("spec", "out.cpio", NULL), 0);
	got = get("out.cpio", &size);
	assert_non_null(got);
	assert_int_equal(size, sizeof(small_archive) - 1);
	assert_memory_equal(got, small_archive, size);
	assert_int_equal(size % 4, 0);
	free(got);
}

/* The same entries in another order, and a second run: the same bytes. */
static void test_deterministic(void **state)
{
	char *a, *b;
	size_t na, nb;

	(void)state;
	put("spec", small_spec);
	put("spec2", "dir /a 0750 1000 100\ndir / 0755 0 0\nslink /l 0777 0 0 a/f\n"
		     "file /a/f 0644 0 0 ${DIR}/f\n");
	assert_int_equal(run("spec", "1.cpio", NULL), 0);
	assert_int_equal(run("spec2", "2.cpio", NULL), 0);
	a = get("1.cpio", &na);
	b = get("2.cpio", &nb);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
	free(a);
	free(b);
}

/* Runs CMD (through sh, in DIR) and returns its stdout. */
static char *shell(const char *cmd)
{
	char full[512];

	snprintf(full, sizeof(full), "cd %s && { %s; } > shell.out 2>&1", dir, cmd);
	assert_int_equal(system(full), 0);
	return get("shell.out", NULL);
}

static void test_gnu_cpio_reads_it(void **state)
{
	char *out;

	(void)state;
	if (system("command -v cpio >/dev/null 2>&1"))
		fail_msg("GNU cpio is not installed (make deps-test installs it)");
	put("spec", small_spec);
	assert_int_equal(run("spec", "out.cpio", NULL), 0);

	out = shell("cpio --quiet -it < out.cpio");
	assert_string_equal(out, ".\na\na/f\nl\n");
	free(out);

	/* Type, permissions, links and owners as cpio sees them; names, link target. */
	out = shell("TZ=UTC LC_ALL=C cpio --quiet -itv --numeric-uid-gid < out.cpio | "
		    "awk '{ print $1, $2, $3, $4, $5, $9, $10, $11 }'");
	assert_string_equal(out,
		"drwxr-xr-x 3 0 0 0 .  \n"
		"drwxr-x--- 2 1000 100 0 a  \n"
		"-rw-r--r-- 1 0 0 3 a/f  \n"
		"lrwxrwxrwx 1 0 0 3 l -> a/f\n");
	free(out);

	out = shell("cpio --quiet -i --to-stdout a/f < out.cpio");
	assert_string_equal(out, "hi\n");
	free(out);
}

static void test_mtime_and_depfile(void **state)
{
	char *got;

	(void)state;
	put("spec", small_spec);
	assert_int_equal(run("-t", "1700000000", "-M", "out.d", "spec", "out.cpio", NULL), 0);
	got = get("out.cpio", NULL);
	/* The mtime field (the 7th, at 6 + 5 * 8) of the first entry: 1700000000. */
	assert_memory_equal(got + 46, "6553F100", 8);
	free(got);
	got = get("out.d", NULL);
	assert_non_null(strstr(got, "out.cpio: spec \\\n"));
	assert_non_null(strstr(got, "/f\n"));
	free(got);
}

/* Each spec must be refused, and no archive (not even a partial one) left behind. */
static void refused(const char *spec)
{
	char *out;

	put("spec", spec);
	assert_int_not_equal(run("spec", "bad.cpio", NULL), 0);
	out = get("bad.cpio", NULL);
	assert_null(out);
	out = get("bad.cpio.tmp", NULL);
	assert_null(out);
}

static void test_refusals(void **state)
{
	(void)state;
	refused("dir /a 0755 0 0\ndir /a 0755 0 0\n");		/* duplicate */
	refused("dir /a/b 0755 0 0\n");				/* no parent */
	refused("file /f 0644 0 0 ${DIR}/f\ndir /f/x 0755 0 0\n");	/* parent not a dir */
	refused("dir a 0755 0 0\n");				/* relative */
	refused("dir /a/ 0755 0 0\n");				/* trailing slash */
	refused("dir /a//b 0755 0 0\n");
	refused("dir /.. 0755 0 0\n");
	refused("file / 0644 0 0 ${DIR}/f\n");			/* "/" is a dir */
	refused("dir /a 0789 0 0\n");				/* not octal */
	refused("dir /a 010000 0 0\n");				/* beyond 07777 */
	refused("dir /a 0755 -1 0\n");
	refused("dir /a 0755 0\n");				/* a word short */
	refused("file /a 0644 0 0\n");
	refused("slink /a 0777 0 0 t extra\n");
	refused("fifo /a 0644 0 0\n");				/* unknown kind */
	refused("file /a 0644 0 0 ${NOPE}/f\n");		/* undefined */
	refused("file /a 0644 0 0 ${DIR/f\n");
	refused("file /a 0644 0 0 ${DIR}/missing\n");		/* no host file */
	refused("file /a 0644 0 0 ${DIR}\n");			/* not a regular file */
	assert_int_not_equal(run("spec", NULL), 0);		/* usage */
	assert_int_not_equal(run("-x", "1", "spec", "o", NULL), 0);
	assert_int_not_equal(run("-t", "soon", "spec", "o", NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exact_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deterministic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gnu_cpio_reads_it, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mtime_and_depfile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
