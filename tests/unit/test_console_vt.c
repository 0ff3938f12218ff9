/*
 * Unit tests of the console's terminal emulation (servers/console/vt.c) and its input
 * line discipline (servers/console/tty.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <device/console_status.h>
#include "servers/console/tty.h"
#include "servers/console/vt.h"

static struct vt vt;
static struct tty tty;

static int setup(void **state)
{
	(void)state;
	vt.crlf = true;
	vt_init(&vt);
	tty_init(&tty);
	return 0;
}

static void out(const char *s)
{
	vt_write(&vt, s, strlen(s));
}

/* Row r's characters without trailing blanks. */
static const char *row_text(int r)
{
	static char line[VT_COLS + 1];
	int n = VT_COLS;

	for (int c = 0; c < VT_COLS; c++)
		line[c] = (char)(vt_cell(&vt, r, c) & 0xff);
	while (n > 0 && line[n - 1] == ' ')
		n--;
	line[n] = '\0';
	return line;
}

static uint8_t attr_at(int r, int c)
{
	return (uint8_t)(vt_cell(&vt, r, c) >> 8);
}

static void assert_cursor(int row, int col)
{
	assert_int_equal(vt.row, row);
	assert_int_equal(vt.col, col);
}

static void test_init_blank(void **state)
{
	(void)state;
	for (int r = 0; r < VT_ROWS; r++)
		for (int c = 0; c < VT_COLS; c++)
			assert_int_equal(vt_cell(&vt, r, c), VT_CELL(' ', VT_ATTR_DEFAULT));
	assert_cursor(0, 0);
	assert_int_equal(vt.dirty_lo, 0);
	assert_int_equal(vt.dirty_hi, VT_ROWS - 1);
}

static void test_text_and_controls(void **state)
{
	(void)state;
	out("hello\nworld");
	assert_string_equal(row_text(0), "hello");
	assert_string_equal(row_text(1), "world");
	assert_cursor(1, 5);
	out("\rW\b\bX");	/* \b at column 1 goes to 0; at 0 it stays */
	assert_string_equal(row_text(1), "Xorld");
	out("\ta\tb");
	assert_string_equal(row_text(1), "Xorld   a       b");
	assert_cursor(1, 17);
	out("\a\x01\x7f");	/* BEL, other C0 controls and DEL print nothing */
	assert_cursor(1, 17);
	vt.crlf = false;
	out("\nz");
	assert_cursor(2, 18);
}

static void test_wrap_is_deferred(void **state)
{
	char line[VT_COLS + 1];

	(void)state;
	memset(line, 'x', VT_COLS);
	line[VT_COLS] = '\0';
	out(line);
	/* The cursor stays on the last column until the next printable character. */
	assert_cursor(0, VT_COLS - 1);
	out("\r");
	assert_cursor(0, 0);
	out(line);
	out("y");
	assert_cursor(1, 1);
	assert_string_equal(row_text(1), "y");
}

static void test_scrolls_at_bottom(void **state)
{
	char buf[32];

	(void)state;
	for (int i = 0; i < VT_ROWS + 2; i++) {
		snprintf(buf, sizeof(buf), "line%d\n", i);
		out(buf);
	}
	/* 27 lines and the last newline: the top shows line 3, the last row is empty. */
	assert_string_equal(row_text(0), "line3");
	assert_string_equal(row_text(VT_ROWS - 2), "line26");
	assert_string_equal(row_text(VT_ROWS - 1), "");
	assert_cursor(VT_ROWS - 1, 0);
}

static void test_cursor_movement(void **state)
{
	(void)state;
	out("\033[5;10H");
	assert_cursor(4, 9);
	out("\033[2A");
	assert_cursor(2, 9);
	out("\033[B");
	assert_cursor(3, 9);
	out("\033[3C");
	assert_cursor(3, 12);
	out("\033[20D");	/* clamped at the edge */
	assert_cursor(3, 0);
	out("\033[H");
	assert_cursor(0, 0);
	out("\033[999;999H");
	assert_cursor(VT_ROWS - 1, VT_COLS - 1);
	out("\033[7G");
	assert_cursor(VT_ROWS - 1, 6);
	out("\033[3d");
	assert_cursor(2, 6);
	out("\033[;5f");
	assert_cursor(0, 4);
	out("\0337\033[10;10H\0338");
	assert_cursor(0, 4);
	out("\033[12;3H\033[s\033[H\033[u");
	assert_cursor(11, 2);
}

static void test_erase(void **state)
{
	(void)state;
	out("abcdef\nghijkl\nmnopqr");
	out("\033[2;3H\033[K");
	assert_string_equal(row_text(1), "gh");
	out("\033[1;3H\033[1K");
	assert_string_equal(row_text(0), "   def");
	out("\033[2K");
	assert_string_equal(row_text(0), "");
	out("\033[3;2H\033[J");
	assert_string_equal(row_text(2), "m");
	assert_string_equal(row_text(1), "gh");
	out("\033[2;1H\033[1J");
	assert_string_equal(row_text(1), " h");
	out("\033[2J");
	for (int r = 0; r < VT_ROWS; r++)
		assert_string_equal(row_text(r), "");
	assert_cursor(1, 0);	/* erasing does not move the cursor */
}

static void test_colours(void **state)
{
	(void)state;
	out("\033[31mR\033[1;44mB\033[7mV\033[0mN\033[92mG\033[39;49mD");
	assert_int_equal(attr_at(0, 0), 0x04);	/* red on black */
	assert_int_equal(attr_at(0, 1), 0x1c);	/* bright red on blue */
	assert_int_equal(attr_at(0, 2), 0x41);	/* reversed: red (hue only) on blue */
	assert_int_equal(attr_at(0, 3), VT_ATTR_DEFAULT);
	assert_int_equal(attr_at(0, 4), 0x0a);	/* bright green */
	assert_int_equal(attr_at(0, 5), 0x0f);	/* default colours, still bold */
	out("\033[m\033[38;5;200mX");	/* 256-colour forms are skipped, not misread */
	assert_int_equal(attr_at(0, 6), VT_ATTR_DEFAULT);
	/* Erasing uses the current background. */
	out("\033[45m\033[K");
	assert_int_equal(attr_at(0, 10), 0x57);
}

static void test_insert_delete(void **state)
{
	(void)state;
	out("abcdef\r\n1\r\n2\r\n3");
	out("\033[1;2H\033[2P");
	assert_string_equal(row_text(0), "adef");
	out("\033[2@");
	assert_string_equal(row_text(0), "a  def");
	out("\033[3X");
	assert_string_equal(row_text(0), "a   ef");
	out("\033[2;1H\033[L");
	assert_string_equal(row_text(1), "");
	assert_string_equal(row_text(2), "1");
	assert_string_equal(row_text(4), "3");
	out("\033[2M");
	assert_string_equal(row_text(1), "2");
	assert_string_equal(row_text(2), "3");
}

static void test_region_and_index(void **state)
{
	(void)state;
	for (int i = 0; i < 5; i++)
		vt_write(&vt, (char[]){ (char)('a' + i), '\n' }, 2);
	out("\033[2;4r");	/* rows 1..3 (from 0) scroll; the cursor goes home */
	assert_cursor(0, 0);
	out("\033[4;1H\n");
	assert_string_equal(row_text(0), "a");
	assert_string_equal(row_text(1), "c");
	assert_string_equal(row_text(3), "");
	assert_string_equal(row_text(4), "e");
	out("\033[2;1H\033M");	/* reverse index at the top of the region */
	assert_string_equal(row_text(1), "");
	assert_string_equal(row_text(2), "c");
	out("\033[r\033[1;1H\033M");	/* whole screen again: scrolls everything down */
	assert_string_equal(row_text(0), "");
	assert_string_equal(row_text(1), "a");
}

static void test_reports_and_garbage(void **state)
{
	(void)state;
	out("\033[3;7H\033[6n");
	assert_int_equal(vt.reply_len, 6);
	assert_memory_equal(vt.reply, "\033[3;7R", 6);
	vt.reply_len = 0;
	out("\033[5n\033[c");
	assert_int_equal(vt.reply_len, 9);
	assert_memory_equal(vt.reply, "\033[0n\033[?6c", 9);
	/* Unknown and broken sequences print nothing and leave the parser sane. */
	out("\033[1;2;3;4;5;6;7;8;9;10;11z\033(B\033[?1049h\033[?25l\033[99999999999A\033Z\rok");
	assert_false(vt.cursor_visible);
	assert_int_equal(vt.row, 0);
	assert_string_equal(row_text(0), "ok");
	out("\033[\x18x");	/* CAN abandons the sequence: x is printed */
	assert_string_equal(row_text(0), "okx");
	out("\033c");
	assert_string_equal(row_text(0), "");
	assert_true(vt.cursor_visible);
}

static void test_dirty_rows(void **state)
{
	(void)state;
	vt_clean(&vt);
	assert_true(vt.dirty_lo > vt.dirty_hi);
	out("\033[5;1Hx\033[8;1Hy");
	assert_int_equal(vt.dirty_lo, 4);
	assert_int_equal(vt.dirty_hi, 7);
	vt_clean(&vt);
	out("\033[3;1H\033[L");
	assert_int_equal(vt.dirty_lo, 2);
	assert_int_equal(vt.dirty_hi, VT_ROWS - 1);
}

/* ---------------------------------------------------------------- input */

static void type(const char *s)
{
	while (*s)
		tty_input(&tty, &vt, *s++);
}

static size_t take(char *buf, size_t n)
{
	assert_true(tty_readable(&tty));
	return tty_read(&tty, buf, n);
}

static void test_line_mode(void **state)
{
	char buf[64];

	(void)state;
	type("ab");
	assert_false(tty_readable(&tty));
	assert_string_equal(row_text(0), "ab");	/* echoed */
	type("\x7f" "c\r");	/* erase, then Enter (CR reads as NL) */
	assert_int_equal(take(buf, sizeof(buf)), 3);
	assert_memory_equal(buf, "ac\n", 3);
	assert_string_equal(row_text(0), "ac");
	assert_cursor(1, 0);
	type("xyz\x15" "q\n");	/* ^U kills the line */
	assert_int_equal(take(buf, 1), 1);	/* short reads leave the rest */
	assert_int_equal(take(buf + 1, sizeof(buf)), 1);
	assert_memory_equal(buf, "q\n", 2);
	assert_string_equal(row_text(1), "q");
	assert_false(tty_readable(&tty));
}

static void test_line_mode_controls(void **state)
{
	char buf[64];

	(void)state;
	type("abc\x03");	/* ^C: the line goes, 0x03 is read at once */
	assert_int_equal(take(buf, sizeof(buf)), 1);
	assert_int_equal(buf[0], 0x03);
	assert_string_equal(row_text(0), "abc^C");
	type("hi\x04");	/* ^D ends a non-empty line without a newline */
	assert_int_equal(take(buf, sizeof(buf)), 2);
	assert_memory_equal(buf, "hi", 2);
	type("x\n\x04" "y\n");	/* ^D on an empty line: end of input, after what came first */
	assert_int_equal(take(buf, sizeof(buf)), 2);
	assert_int_equal(take(buf, sizeof(buf)), 0);
	assert_int_equal(take(buf, sizeof(buf)), 2);
	assert_memory_equal(buf, "y\n", 2);
	type("\x01\x7f");	/* a control character echoes as ^A and erases as two cells */
	assert_int_equal(vt.col, 0);
}

static void test_raw_mode(void **state)
{
	char buf[64];

	(void)state;
	type("ab");
	tty_set_mode(&tty, &vt, CONSOLE_MODE_ECHO);	/* leaving line mode: "ab" is ready */
	assert_int_equal(tty_ready(&tty), 2);
	type("\r\x03\033[A");
	assert_int_equal(take(buf, sizeof(buf)), 7);
	assert_memory_equal(buf, "ab\r\x03\033[A", 7);
	assert_string_equal(row_text(1), "^C^[[A");	/* raw echo shows controls */
	tty_set_mode(&tty, &vt, 0);
	type("q");
	assert_string_equal(row_text(2), "");
	assert_false(vt.crlf);
	tty_answer(&tty, "\033[1;1R", 6);
	assert_int_equal(take(buf, sizeof(buf)), 7);
	assert_memory_equal(buf, "q\033[1;1R", 7);
}

static void test_input_overflow(void **state)
{
	char buf[TTY_BUF_MAX];

	(void)state;
	tty_set_mode(&tty, &vt, 0);
	for (int i = 0; i < TTY_BUF_MAX + 10; i++)
		tty_input(&tty, &vt, (char)('a' + i % 26));
	assert_int_equal(tty_ready(&tty), TTY_BUF_MAX);
	assert_int_equal(take(buf, sizeof(buf)), TTY_BUF_MAX);
	assert_int_equal(buf[TTY_BUF_MAX - 1], 'a' + (TTY_BUF_MAX - 1) % 26);
	tty_set_mode(&tty, &vt, CONSOLE_MODE_LINE);
	for (int i = 0; i < TTY_LINE_MAX + 10; i++)
		tty_input(&tty, &vt, 'z');
	tty_input(&tty, &vt, '\n');
	assert_int_equal(tty_ready(&tty), TTY_LINE_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_init_blank, setup),
		cmocka_unit_test_setup(test_text_and_controls, setup),
		cmocka_unit_test_setup(test_wrap_is_deferred, setup),
		cmocka_unit_test_setup(test_scrolls_at_bottom, setup),
		cmocka_unit_test_setup(test_cursor_movement, setup),
		cmocka_unit_test_setup(test_erase, setup),
		cmocka_unit_test_setup(test_colours, setup),
		cmocka_unit_test_setup(test_insert_delete, setup),
		cmocka_unit_test_setup(test_region_and_index, setup),
		cmocka_unit_test_setup(test_reports_and_garbage, setup),
		cmocka_unit_test_setup(test_dirty_rows, setup),
		cmocka_unit_test_setup(test_line_mode, setup),
		cmocka_unit_test_setup(test_line_mode_controls, setup),
		cmocka_unit_test_setup(test_raw_mode, setup),
		cmocka_unit_test_setup(test_input_overflow, setup),
	};
	return cmocka_run_group_tests_name("console_vt", tests, NULL, NULL);
}
