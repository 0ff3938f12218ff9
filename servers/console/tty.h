/*
 * One virtual terminal's input: the bytes ready to read and, in line mode, the line
 * being edited, with echo to the VT's screen. Pure logic, unit-tested on the host
 * (tests/unit/test_console_vt.c). Modes: CONSOLE_MODE_* in <device/console_status.h>.
 */
#ifndef _CONSOLE_TTY_H
#define _CONSOLE_TTY_H

#include <stdbool.h>
#include <stddef.h>
#include "vt.h"

#define TTY_BUF_MAX	1024	/* input ready to read; more is dropped */
#define TTY_LINE_MAX	256	/* one line being edited; more is dropped */

struct tty {
	char buf[TTY_BUF_MAX];
	size_t len;
	char line[TTY_LINE_MAX];
	size_t line_len;
	/* ^D on an empty line: once the first eof_at bytes are read, one read gives 0. */
	bool eof;
	size_t eof_at;
	unsigned mode;
};

/* Empty, every mode bit set. */
void tty_init(struct tty *t);
/* One byte typed on this VT (keyboard translation done): edits, queues, echoes to vt. */
void tty_input(struct tty *t, struct vt *vt, char c);
/* Bytes the terminal itself answers (vt->reply): queued as they are, never echoed. */
void tty_answer(struct tty *t, const char *s, size_t n);
/* True when a read would not wait: bytes are ready, or the end of input is. */
bool tty_readable(const struct tty *t);
/* Takes up to n ready bytes; 0 at the end of input. Call only when readable. */
size_t tty_read(struct tty *t, char *buf, size_t n);
/* How many bytes are ready. */
size_t tty_ready(const struct tty *t);
/* New mode bits; leaving line mode makes the line being edited ready as it is. */
void tty_set_mode(struct tty *t, struct vt *vt, unsigned mode);

#endif
