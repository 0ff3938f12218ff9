/*
 * Unit tests of the Linux personality's line discipline (personalities/linux/tty_ldisc.c),
 * alone: canonical editing and its echo (erase, kill, werase, tabs, UTF-8, ECHOCTL),
 * VEOF, ISIG with NOFLSH and VLNEXT, input and output translation (ICRNL, INLCR, IGNCR,
 * ONLCR, OCRNL), raw mode, mode switches, IXON and a line filling the buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "personalities/linux/tty_ldisc.h"

/* ---------------- helpers ---------------- */

static char echoed[4096];
static size_t nechoed;
static int ld_sigs[8];
static int nld_sigs;
static int out_flushes;

static void t_echo(void *arg, const char *buf, size_t n)
{
	(void)arg;
	assert_true(nechoed + n < sizeof(echoed));
	memcpy(echoed + nechoed, buf, n);
	nechoed += n;
	echoed[nechoed] = 0;
}

static void t_signal(void *arg, int sig)
{
	(void)arg;
	ld_sigs[nld_sigs++] = sig;
}

static void t_flush(void *arg)
{
	(void)arg;
	out_flushes++;
}

static const struct ldisc_ops test_ops = { t_echo, t_signal, t_flush };
static struct ldisc ld;

static int ld_setup(void **state)
{
	(void)state;
	ld_init(&ld, &test_ops, NULL);
	nechoed = 0;
	echoed[0] = 0;
	nld_sigs = 0;
	out_flushes = 0;
	return 0;
}

static void type(const char *s)
{
	ld_input(&ld, s, strlen(s));
}

/* Reads one canonical line (or what raw mode has) as a string. */
static const char *take(size_t n)
{
	static char buf[LD_BUF + 1];
	size_t got;

	assert_true(n <= LD_BUF);
	got = ld_read(&ld, buf, n);
	buf[got] = 0;
	return buf;
}

static void set_lflag(uint32_t on, uint32_t off)
{
	struct linux_termios tio = ld.tio;

	tio.c_lflag = (tio.c_lflag | on) & ~off;
	ld_set_termios(&ld, &tio);
}

/* ---------------- the line discipline ---------------- */

static void test_defaults(void **state)
{
	struct linux_termios *t = &ld.tio;

	(void)state;
	assert_int_equal(t->c_iflag, LINUX_ICRNL | LINUX_IXON);
	assert_int_equal(t->c_oflag, LINUX_OPOST | LINUX_ONLCR);
	assert_int_equal(t->c_cflag & LINUX_CBAUD, LINUX_B38400);
	assert_int_equal(t->c_lflag, LINUX_ISIG | LINUX_ICANON | LINUX_ECHO | LINUX_ECHOE |
			 LINUX_ECHOK | LINUX_ECHOCTL | LINUX_ECHOKE | LINUX_IEXTEN);
	assert_int_equal(t->c_cc[LINUX_VINTR], 3);
	assert_int_equal(t->c_cc[LINUX_VERASE], 0x7f);
	assert_int_equal(t->c_cc[LINUX_VEOF], 4);
	assert_int_equal(t->c_cc[LINUX_VMIN], 1);
}

static void test_canonical_line_with_echo(void **state)
{
	(void)state;
	type("ls -l");
	assert_false(ld_read_ready(&ld, 0));		/* no line yet */
	assert_string_equal(echoed, "ls -l");
	type("\r");					/* Enter: ICRNL */
	assert_true(ld_read_ready(&ld, 0));
	assert_string_equal(echoed, "ls -l\r\n");	/* ONLCR on the echo */
	assert_int_equal(ld_readable(&ld), 6);
	assert_string_equal(take(100), "ls -l\n");
	assert_false(ld_read_ready(&ld, 0));
}

static void test_read_returns_one_line_at_most(void **state)
{
	(void)state;
	type("one\ntwo\nthr");
	assert_string_equal(take(100), "one\n");
	assert_string_equal(take(2), "tw");		/* a short buffer: the rest stays */
	assert_string_equal(take(100), "o\n");
	assert_false(ld_read_ready(&ld, 0));		/* "thr" is still being edited */
}

static void test_erase(void **state)
{
	(void)state;
	type("cax\x7f");
	assert_string_equal(echoed, "cax\b \b");
	type("t\b\bat\n");				/* ^H erases too */
	assert_string_equal(take(100), "cat\n");
	nechoed = 0;
	type("\x7f");					/* nothing to erase: no echo */
	assert_int_equal(nechoed, 0);
}

static void test_erase_control_and_tab(void **state)
{
	(void)state;
	type("a\x01");					/* ECHOCTL: ^A takes two columns */
	assert_string_equal(echoed, "a^A");
	nechoed = 0;
	type("\x7f");
	assert_string_equal(echoed, "\b \b\b \b");
	nechoed = 0;
	type("\t\x7f");					/* a tab from column 1 to 8 */
	assert_string_equal(echoed, "\t\b\b\b\b\b\b\b");
	type("\n");
	assert_string_equal(take(100), "a\n");
}

static void test_utf8_erase(void **state)
{
	struct linux_termios tio = ld.tio;

	(void)state;
	tio.c_iflag |= LINUX_IUTF8;
	ld_set_termios(&ld, &tio);
	type("x\xc3\xa9");				/* é: one column */
	nechoed = 0;
	type("\x7f\n");
	assert_string_equal(echoed, "\b \b\r\n");
	assert_string_equal(take(100), "x\n");
}

static void test_kill_and_werase(void **state)
{
	(void)state;
	type("hello");
	nechoed = 0;
	type("\x15");					/* ^U wipes the line (ECHOKE) */
	assert_string_equal(echoed, "\b \b\b \b\b \b\b \b\b \b");
	type("echo foo bar  \x17");			/* ^W: blanks, then the word */
	type("baz\n");
	assert_string_equal(take(100), "echo foo baz\n");
	type("a/b\x17\n");				/* only word characters go */
	assert_string_equal(take(100), "a/\n");
}

static void test_kill_without_echoke(void **state)
{
	(void)state;
	set_lflag(0, LINUX_ECHOKE);
	type("abc");
	nechoed = 0;
	type("\x15");
	assert_string_equal(echoed, "^U\r\n");
	type("d\n");
	assert_string_equal(take(100), "d\n");
}

static void test_eof(void **state)
{
	(void)state;
	type("\x04");					/* ^D at the start of a line */
	assert_true(ld_read_ready(&ld, 0));
	assert_int_equal(ld_readable(&ld), 0);
	assert_string_equal(take(100), "");		/* end of file */
	assert_false(ld_read_ready(&ld, 0));
	type("abc\x04");				/* ^D after text: the text, no newline */
	assert_string_equal(echoed, "abc");		/* VEOF is not echoed */
	assert_string_equal(take(100), "abc");
	assert_false(ld_read_ready(&ld, 0));		/* and no end of file after it */
	type("xy\x04");
	assert_string_equal(take(2), "xy");		/* exactly filled: the mark goes too */
	assert_false(ld_read_ready(&ld, 0));
}

static void test_isig(void **state)
{
	(void)state;
	type("sleep 10");
	nechoed = 0;
	type("\x03");					/* ^C */
	assert_int_equal(nld_sigs, 1);
	assert_int_equal(ld_sigs[0], LINUX_SIGINT);
	assert_string_equal(echoed, "^C");
	assert_int_equal(out_flushes, 1);
	type("\n");
	assert_string_equal(take(100), "\n");		/* the line was dropped */
	type("\x1c\x1a");				/* ^\ and ^Z */
	assert_int_equal(nld_sigs, 3);
	assert_int_equal(ld_sigs[1], LINUX_SIGQUIT);
	assert_int_equal(ld_sigs[2], LINUX_SIGTSTP);
	set_lflag(0, LINUX_ISIG);
	type("\x03\n");
	assert_int_equal(nld_sigs, 3);
	assert_string_equal(take(100), "\x03\n");
}

static void test_noflsh_and_lnext(void **state)
{
	(void)state;
	set_lflag(LINUX_NOFLSH, 0);
	type("ab\x03");
	assert_int_equal(out_flushes, 0);
	type("\n");
	assert_string_equal(take(100), "ab\n");
	nechoed = 0;
	type("\x16\x03\n");				/* ^V^C: a literal ^C */
	assert_int_equal(nld_sigs, 1);
	assert_string_equal(echoed, "^\b^C\r\n");
	assert_string_equal(take(100), "\x03\n");
}

static void test_input_translation(void **state)
{
	struct linux_termios tio = ld.tio;

	(void)state;
	tio.c_iflag = LINUX_IGNCR;
	ld_set_termios(&ld, &tio);
	type("a\rb\n");
	assert_string_equal(take(100), "ab\n");
	tio.c_iflag = LINUX_INLCR;			/* \n becomes \r: not a delimiter */
	ld_set_termios(&ld, &tio);
	type("c\n\r");
	assert_false(ld_read_ready(&ld, 0));
	tio.c_iflag = 0;
	ld_set_termios(&ld, &tio);
	type("\n");
	assert_string_equal(take(100), "c\r\r\n");
}

static void test_echonl_and_no_echo(void **state)
{
	(void)state;
	set_lflag(LINUX_ECHONL, LINUX_ECHO);
	type("secret\n");
	assert_string_equal(echoed, "\r\n");
	assert_string_equal(take(100), "secret\n");
}

static void test_output_processing(void **state)
{
	char out[16];
	size_t len, took;
	struct linux_termios tio = ld.tio;

	(void)state;
	took = ld_output(&ld, "a\nb", 3, out, sizeof(out), &len);
	assert_int_equal(took, 3);
	assert_int_equal(len, 4);
	assert_memory_equal(out, "a\r\nb", 4);
	took = ld_output(&ld, "x\ny", 3, out, 2, &len);	/* "\r\n" does not fit */
	assert_int_equal(took, 1);
	assert_int_equal(len, 1);
	tio.c_oflag = 0;				/* no OPOST: as it is */
	ld_set_termios(&ld, &tio);
	took = ld_output(&ld, "a\nb", 3, out, sizeof(out), &len);
	assert_int_equal(len, 3);
	assert_memory_equal(out, "a\nb", 3);
	tio.c_oflag = LINUX_OPOST | LINUX_OCRNL;
	ld_set_termios(&ld, &tio);
	ld_output(&ld, "\r", 1, out, sizeof(out), &len);
	assert_int_equal(len, 1);
	assert_int_equal(out[0], '\n');
	(void)took;
}

static void test_raw_mode(void **state)
{
	(void)state;
	set_lflag(0, LINUX_ICANON | LINUX_ECHO);
	type("q");
	assert_true(ld_read_ready(&ld, 1));
	assert_false(ld_read_ready(&ld, 2));		/* VMIN 2 wants two */
	assert_int_equal(nechoed, 0);
	type("\x7f\x15\x04\r");				/* nothing is special; ICRNL still applies */
	assert_int_equal(ld_readable(&ld), 5);
	assert_memory_equal(take(100), "q\x7f\x15\x04\n", 5);
	type("\x03");					/* ISIG is still on */
	assert_int_equal(nld_sigs, 1);
}

static void test_mode_switches(void **state)
{
	(void)state;
	type("par");					/* being edited */
	set_lflag(0, LINUX_ICANON);			/* raw: readable at once */
	assert_string_equal(take(2), "pa");
	set_lflag(LINUX_ICANON, 0);			/* canonical: the rest is pushed */
	assert_true(ld_read_ready(&ld, 0));
	assert_string_equal(take(100), "r");
	type("x");
	ld_flush_input(&ld);
	assert_int_equal(ld.len, 0);
	type("\n");
	assert_string_equal(take(100), "\n");
}

static void test_ixon(void **state)
{
	(void)state;
	type("\x13");
	assert_true(ld.stopped);
	type("\x11");
	assert_false(ld.stopped);
	assert_int_equal(ld.len, 0);			/* neither is input */
}

static void test_long_line(void **state)
{
	char line[LD_BUF + 10];

	(void)state;
	set_lflag(0, LINUX_ECHO);
	memset(line, 'x', sizeof(line));
	ld_input(&ld, line, sizeof(line));
	assert_false(ld_read_ready(&ld, 0));
	type("\n");					/* the delimiter always fits */
	assert_int_equal(ld_readable(&ld), LD_BUF);
	assert_int_equal(strlen(take(LD_BUF)), LD_BUF);
}

int main(void)
{
	const struct CMUnitTest ld_tests[] = {
		cmocka_unit_test_setup(test_defaults, ld_setup),
		cmocka_unit_test_setup(test_canonical_line_with_echo, ld_setup),
		cmocka_unit_test_setup(test_read_returns_one_line_at_most, ld_setup),
		cmocka_unit_test_setup(test_erase, ld_setup),
		cmocka_unit_test_setup(test_erase_control_and_tab, ld_setup),
		cmocka_unit_test_setup(test_utf8_erase, ld_setup),
		cmocka_unit_test_setup(test_kill_and_werase, ld_setup),
		cmocka_unit_test_setup(test_kill_without_echoke, ld_setup),
		cmocka_unit_test_setup(test_eof, ld_setup),
		cmocka_unit_test_setup(test_isig, ld_setup),
		cmocka_unit_test_setup(test_noflsh_and_lnext, ld_setup),
		cmocka_unit_test_setup(test_input_translation, ld_setup),
		cmocka_unit_test_setup(test_echonl_and_no_echo, ld_setup),
		cmocka_unit_test_setup(test_output_processing, ld_setup),
		cmocka_unit_test_setup(test_raw_mode, ld_setup),
		cmocka_unit_test_setup(test_mode_switches, ld_setup),
		cmocka_unit_test_setup(test_ixon, ld_setup),
		cmocka_unit_test_setup(test_long_line, ld_setup),
	};

	return cmocka_run_group_tests_name("lx_tty line discipline", ld_tests, NULL, NULL);
}
