/*
 * The terminal's line discipline, as pure code: bytes from the line go in, echo and
 * processed output come out through a callback, readers take lines (canonical mode) or
 * bytes (raw mode), and ISIG characters become signals through another callback. It
 * follows Linux's N_TTY for the termios flags listed in tty_ldisc.c. No Mach, no
 * processes: tty.c puts the device and job control around it, and the host unit test
 * (tests/unit/test_lx_tty.c) drives it directly.
 */
#ifndef _LX_TTY_LDISC_H_
#define _LX_TTY_LDISC_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "abi.h"

#define LD_BUF		4096	/* input ring; a canonical line holds at most LD_BUF - 1 bytes */

struct ldisc_ops {
	/* Echo bytes, already processed for output (ONLCR...); may drop what does not fit. */
	void (*echo)(void *arg, const char *buf, size_t n);
	/* An ISIG character: sig for the foreground process group. */
	void (*signal)(void *arg, int sig);
	/* An ISIG character without NOFLSH: queued output is dropped too. */
	void (*flush_output)(void *arg);
};

struct ldisc {
	struct linux_termios tio;
	const struct ldisc_ops *ops;
	void *arg;

	/* Input: bytes [head, head + len) of the ring. In canonical mode the first `canon`
	   of them are complete lines (each ends with a byte marked LD_DELIM) and the rest is
	   the line being edited. */
	unsigned char buf[LD_BUF];
	uint8_t mark[LD_BUF];		/* LD_DELIM, LD_EOF per byte */
	size_t head, len, canon;

	bool lnext;			/* the next byte is taken literally (VLNEXT) */
	bool stopped;			/* output held by VSTOP (IXON) until VSTART */
	unsigned col;			/* output column, for erasing tabs */
	unsigned line_col;		/* the column where the edited line's echo began */
};

#define LD_DELIM	0x1u		/* ends a line (a reader stops after it) */
#define LD_EOF		0x2u		/* VEOF's place: ends a line, never given to a reader */

/* Linux's defaults for a serial console: 38400 8N1, ICRNL, OPOST|ONLCR, ICANON, ECHO*,
   ISIG, IEXTEN, and the usual control characters (^C ^\ DEL ^U ^D ^Z ^W ^V ^R ^S ^Q). */
void ld_default_termios(struct linux_termios *tio);
void ld_init(struct ldisc *ld, const struct ldisc_ops *ops, void *arg);
/* TCSETS: switching to canonical mode makes what is already there a line (as Linux). */
void ld_set_termios(struct ldisc *ld, const struct linux_termios *tio);

/* Bytes received from the line. */
void ld_input(struct ldisc *ld, const void *buf, size_t n);

/* Whether a read would return now: a complete line (or VEOF), or in raw mode at least
   min bytes (min 0 counts as 1). */
bool ld_read_ready(const struct ldisc *ld, size_t min);
/* Bytes a reader could take now, without VEOF marks (FIONREAD). */
size_t ld_readable(const struct ldisc *ld);
/* Takes up to n bytes: in canonical mode at most one line, and 0 for a line ended by
   VEOF with nothing before it (end of file). Call only when ld_read_ready. */
size_t ld_read(struct ldisc *ld, void *buf, size_t n);
/* Drops all input (TCIFLUSH, TCSETSF). */
void ld_flush_input(struct ldisc *ld);

/*
 * Program output through OPOST: emits the processed bytes into out (at most room of
 * them) and returns how many bytes of buf it took; a byte whose expansion does not fit
 * ("\n" as "\r\n") is left for later. *out_len gets the bytes emitted.
 */
size_t ld_output(struct ldisc *ld, const void *buf, size_t n, char *out, size_t room,
		 size_t *out_len);

#endif /* _LX_TTY_LDISC_H_ */
