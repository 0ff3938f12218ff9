/*
 * PS/2 keyboard translation: scan code set 1 bytes (what the i8042 gives with its
 * translation on, QEMU's and PCs' default) to the bytes a terminal sends, US layout,
 * plus the keys that switch virtual terminals. Pure logic, unit-tested on the host
 * (tests/unit/test_console_kbd.c).
 */
#ifndef _CONSOLE_KBD_H
#define _CONSOLE_KBD_H

#include <stdbool.h>
#include <stdint.h>

#define KBD_OUT_MAX	8	/* the longest translation: an escape sequence */
#define KBD_NO_SWITCH	(-1)

struct kbd {
	bool lshift, rshift, lctrl, rctrl, lalt, ralt;
	bool caps, num;		/* the lock keys' states */
	bool e0;		/* the previous byte was the 0xe0 prefix */
	int skip;		/* bytes of a Pause sequence (0xe1 ...) still to ignore */
};

/* Nothing held, the locks off. */
void kbd_init(struct kbd *k);
/*
 * One byte from the keyboard. Returns how many bytes it types into `out` (room for
 * KBD_OUT_MAX); sets *vt to the VT (from 0) that Alt-Fn or Ctrl-Alt-Fn asks for, or
 * KBD_NO_SWITCH.
 */
int kbd_scancode(struct kbd *k, uint8_t code, char *out, int *vt);

#endif
