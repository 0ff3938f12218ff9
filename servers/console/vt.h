/*
 * One virtual terminal's screen: an 80x25 grid of VGA cells (character | attribute << 8)
 * and the VT100/ANSI interpreter that writes into it. Pure logic: no hardware, so the
 * host unit tests (tests/unit/test_console_vt.c) run it as it is.
 */
#ifndef _CONSOLE_VT_H
#define _CONSOLE_VT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VT_ROWS		25
#define VT_COLS		80
#define VT_MAX_PARAMS	8
#define VT_REPLY_MAX	32

/* VGA attributes: background << 4 | foreground; bit 3 of the foreground is "bright". */
#define VT_ATTR_DEFAULT	0x07
#define VT_CELL(ch, attr)	((uint16_t)((uint8_t)(ch) | (uint16_t)(attr) << 8))

enum vt_state { VT_NORMAL, VT_ESC, VT_CSI, VT_ESC_SKIP };

struct vt {
	uint16_t cell[VT_ROWS * VT_COLS];
	int row, col;
	/*
	 * A character written in the last column leaves the cursor there with a wrap
	 * pending; the next printable character wraps first (as VT100s and xterm do, which
	 * shells' line editors rely on).
	 */
	bool wrap_pending;
	bool cursor_visible;
	bool crlf;		/* "\n" also returns the carriage (CONSOLE_MODE_ONLCR) */
	int top, bottom;	/* the scrolling region, rows inclusive */

	/* Graphic rendition: ANSI colour numbers 0-7 and flags; attr is the VGA byte. */
	uint8_t fg, bg;
	bool bold, reverse;
	uint8_t attr;
	struct {
		int row, col;
		uint8_t fg, bg;
		bool bold, reverse;
	} saved;

	/* The escape sequence being read. */
	enum vt_state state;
	int param[VT_MAX_PARAMS];
	int nparam;
	bool private;		/* CSI ? ... */

	/* Rows changed since vt_clean: [dirty_lo, dirty_hi], empty when lo > hi. */
	int dirty_lo, dirty_hi;

	/* What the terminal answers (device status reports); the owner moves it to input. */
	char reply[VT_REPLY_MAX];
	size_t reply_len;
};

/* A blank screen, cursor home, default colours; every row dirty. */
void vt_init(struct vt *vt);
/* Interprets `n` bytes of output. */
void vt_write(struct vt *vt, const char *buf, size_t n);
/* The cell at (row, col). */
static inline uint16_t vt_cell(const struct vt *vt, int row, int col)
{
	return vt->cell[row * VT_COLS + col];
}
/* Marks every row clean (after the owner copied the dirty ones to the screen). */
void vt_clean(struct vt *vt);
/* Marks every row dirty (the VT became visible and must be repainted). */
void vt_dirty_all(struct vt *vt);

#endif
