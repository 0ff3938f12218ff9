/* Unit tests of the console's scan code translation (servers/console/kbd.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "servers/console/kbd.h"

#define BREAK	0x80
#define LSHIFT	0x2a
#define RSHIFT	0x36
#define CTRL	0x1d
#define ALT	0x38
#define CAPS	0x3a
#define NUM	0x45
#define F1	0x3b

static struct kbd k;
static char typed[256];
static size_t ntyped;
static int last_vt;

static int setup(void **state)
{
	(void)state;
	kbd_init(&k);
	ntyped = 0;
	last_vt = KBD_NO_SWITCH;
	return 0;
}

/* Feeds scan code bytes; what they type collects in `typed`. */
static void feed(const uint8_t *codes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char out[KBD_OUT_MAX];
		int vt, got = kbd_scancode(&k, codes[i], out, &vt);

		assert_true(got >= 0 && got <= KBD_OUT_MAX);
		memcpy(typed + ntyped, out, (size_t)got);
		ntyped += (size_t)got;
		if (vt != KBD_NO_SWITCH)
			last_vt = vt;
	}
}
#define FEED(...)	feed((const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }))

/* A key pressed and released. */
#define TAP(code)	FEED(code, (code) | BREAK)

static void assert_typed(const char *want, size_t n)
{
	assert_int_equal(ntyped, n);
	assert_memory_equal(typed, want, n);
	ntyped = 0;
}

static void test_letters_and_digits(void **state)
{
	(void)state;
	TAP(0x23); TAP(0x12); TAP(0x26); TAP(0x26); TAP(0x18);	/* h e l l o */
	TAP(0x39); TAP(0x02); TAP(0x0b); TAP(0x0c); TAP(0x35);	/* space 1 0 - / */
	assert_typed("hello 10-/", 10);
	TAP(0x1c); TAP(0x0e); TAP(0x0f); TAP(0x01);	/* Enter, Backspace, Tab, Esc */
	assert_typed("\r\177\t\033", 4);
}

static void test_shift_and_caps(void **state)
{
	(void)state;
	FEED(LSHIFT); TAP(0x1e); TAP(0x02); FEED(LSHIFT | BREAK); TAP(0x1e);	/* A ! a */
	FEED(RSHIFT); TAP(0x28); FEED(RSHIFT | BREAK);	/* " */
	assert_typed("A!a\"", 4);
	TAP(CAPS); TAP(0x1e); TAP(0x02);	/* Caps Lock: letters only */
	FEED(LSHIFT); TAP(0x1e); FEED(LSHIFT | BREAK);	/* Shift undoes it */
	TAP(CAPS); TAP(0x1e);
	assert_typed("A1aa", 4);
}

static void test_ctrl(void **state)
{
	(void)state;
	FEED(CTRL); TAP(0x2e); TAP(0x20); TAP(0x1a); TAP(0x39); FEED(CTRL | BREAK);	/* c d [ space */
	assert_typed("\x03\x04\x1b\x00", 4);
	FEED(0xe0, CTRL); TAP(0x2e); FEED(0xe0, CTRL | BREAK); TAP(0x2e);	/* the right Ctrl too */
	assert_typed("\x03" "c", 2);
}

static void test_arrows_and_editing_keys(void **state)
{
	(void)state;
	FEED(0xe0, 0x48, 0xe0, 0xc8, 0xe0, 0x50, 0xe0, 0xd0);	/* up, down */
	FEED(0xe0, 0x4d, 0xe0, 0xcd, 0xe0, 0x4b, 0xe0, 0xcb);	/* right, left */
	assert_typed("\033[A\033[B\033[C\033[D", 12);
	FEED(0xe0, 0x47, 0xe0, 0xc7, 0xe0, 0x53, 0xe0, 0xd3);	/* Home, Delete */
	assert_typed("\033[1~\033[3~", 8);
	/* Arrow keys' fake shifts (e0 2a) are not Shift. */
	FEED(0xe0, 0x2a, 0xe0, 0x48, 0xe0, 0xc8, 0xe0, 0xaa);
	TAP(0x1e);
	assert_typed("\033[Aa", 4);
	FEED(0xe0, 0x1c, 0xe0, 0x9c, 0xe0, 0x35, 0xe0, 0xb5);	/* the keypad's Enter and / */
	assert_typed("\r/", 2);
}

static void test_keypad(void **state)
{
	(void)state;
	TAP(0x48); TAP(0x4a); TAP(0x4c);	/* Num Lock off: up, -, 5 is nothing */
	assert_typed("\033[A-", 4);
	TAP(NUM); TAP(0x48); TAP(0x53); TAP(0x37);
	assert_typed("8.*", 3);
}

static void test_function_keys_and_vt_switch(void **state)
{
	(void)state;
	TAP(F1); TAP(0x40); TAP(0x58);	/* F1, F6, F12 */
	assert_typed("\033OP\033[17~\033[24~", 13);
	FEED(ALT); TAP(0x3c); FEED(ALT | BREAK);	/* Alt-F2 */
	assert_int_equal(last_vt, 1);
	FEED(CTRL, 0xe0, ALT); TAP(0x40); FEED(0xe0, ALT | BREAK, CTRL | BREAK);	/* Ctrl-AltGr-F6 */
	assert_int_equal(last_vt, 5);
	assert_typed("", 0);
	last_vt = KBD_NO_SWITCH;
	TAP(0x3c);	/* Alt released: F2 types */
	assert_int_equal(last_vt, KBD_NO_SWITCH);
	assert_typed("\033OQ", 3);
}

static void test_alt_is_meta(void **state)
{
	(void)state;
	FEED(ALT); TAP(0x30); TAP(0x0e); FEED(ALT | BREAK);	/* Alt-b, Alt-Backspace */
	assert_typed("\033b\033\177", 4);
	FEED(ALT, CTRL); TAP(0x03); FEED(CTRL | BREAK, ALT | BREAK);	/* Ctrl-Alt-2: ESC NUL */
	assert_typed("\033\0", 2);
}

static void test_pause_and_unknown(void **state)
{
	(void)state;
	FEED(0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5);	/* Pause: nothing, Num Lock untouched */
	TAP(0x48);
	assert_typed("\033[A", 3);
	FEED(0x00, 0xff, 0x7f, 0x59, 0xe0, 0x7e, 0xfa, 0xee);	/* no key, acks, echoes */
	TAP(0x1e);
	assert_typed("a", 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_letters_and_digits, setup),
		cmocka_unit_test_setup(test_shift_and_caps, setup),
		cmocka_unit_test_setup(test_ctrl, setup),
		cmocka_unit_test_setup(test_arrows_and_editing_keys, setup),
		cmocka_unit_test_setup(test_keypad, setup),
		cmocka_unit_test_setup(test_function_keys_and_vt_switch, setup),
		cmocka_unit_test_setup(test_alt_is_meta, setup),
		cmocka_unit_test_setup(test_pause_and_unknown, setup),
	};
	return cmocka_run_group_tests_name("console_kbd", tests, NULL, NULL);
}
