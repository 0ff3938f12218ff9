/*
 * device_get_status / device_set_status flavors of the console server (servers/console):
 * its devices are "console" (whichever virtual terminal is visible at each request) and
 * "vt1".."vt6". Counts are in ints; a get with too little room answers D_INVALID_SIZE,
 * an unknown flavor D_INVALID_OPERATION.
 */
#ifndef _DEVICE_CONSOLE_STATUS_H_
#define _DEVICE_CONSOLE_STATUS_H_

#define CONSOLE_VT_COUNT	6	/* vt1..vt6 */

/* get: [rows, columns] of the screen. set: D_INVALID_OPERATION (the size is fixed). */
#define CONSOLE_STATUS_WINSIZE		0x636f0001
#define CONSOLE_STATUS_WINSIZE_COUNT	2

/* get and set: [flags], the CONSOLE_MODE_* bits of this VT (all set when it starts). */
#define CONSOLE_STATUS_MODE		0x636f0002
#define CONSOLE_STATUS_MODE_COUNT	1
#define CONSOLE_MODE_ECHO	0x1	/* input is echoed to the screen */
#define CONSOLE_MODE_LINE	0x2	/* reads wait for a whole line, edited with erase
					   (DEL, ^H), kill (^U); ^D ends the input (a read of
					   0 bytes); ^C drops the line and reads as 0x03 */
#define CONSOLE_MODE_ONLCR	0x4	/* output "\n" also returns the carriage */
#define CONSOLE_MODE_ICRNL	0x8	/* input "\r" (the Enter key) reads as "\n" */
#define CONSOLE_MODE_ALL	0xf

/*
 * get: [visible, count]: the visible VT's number (1..count) and how many there are.
 * set: [n] makes vt n visible (as Alt-Fn does); D_INVALID_SIZE past the count.
 */
#define CONSOLE_STATUS_VISIBLE		0x636f0003
#define CONSOLE_STATUS_VISIBLE_COUNT	2

/* get: [row, column] of this VT's cursor, from 0. */
#define CONSOLE_STATUS_CURSOR		0x636f0004
#define CONSOLE_STATUS_CURSOR_COUNT	2

/* get: [n], the input bytes this VT has ready to read. */
#define CONSOLE_STATUS_INPUT		0x636f0005
#define CONSOLE_STATUS_INPUT_COUNT	1

/*
 * get: row r (0..24) of this VT's own screen buffer, 80 words, each a VGA cell:
 * character | attribute << 8 (attribute = background << 4 | foreground).
 */
#define CONSOLE_STATUS_ROW(r)		(0x636f0100 + (r))
/*
 * get: row r of what the display shows, read back from VGA text memory; the same form.
 * On any open (it is the screen's, not the VT's).
 */
#define CONSOLE_STATUS_SCREEN_ROW(r)	(0x636f0200 + (r))
#define CONSOLE_STATUS_ROW_COUNT	80

#endif
