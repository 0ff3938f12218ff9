/*
 * Status flavors of terminal-like character devices (servers/serial), for
 * device_get_status / device_set_status. TTY_STATUS and TTY_FLUSH follow Mach's flavors
 * of the same names (speeds as B codes, parity flags); TTY_LOOPBACK and TTY_COUNTERS are
 * the project's own.
 */
#ifndef _DEVICE_TTY_STATUS_H
#define _DEVICE_TTY_STATUS_H

#include <device/device_types.h>

/* get/set: struct tty_status. A set changes the line at once (output still queued keeps going). */
#define TTY_STATUS		(('t' << 16) + 1)
struct tty_status {
	int tt_ispeed;		/* B code; the UART has one clock, so a set uses tt_ospeed for both */
	int tt_ospeed;
	int tt_breakc;		/* reserved: 0 */
	int tt_flags;		/* TF_*; 8 data bits and 1 stop bit always */
};
#define TTY_STATUS_COUNT	(sizeof(struct tty_status) / sizeof(int))

/* set: { D_READ and/or D_WRITE }: drops buffered input, or output not yet sent. */
#define TTY_FLUSH		(('t' << 16) + 3)
#define TTY_FLUSH_COUNT		1

/* get/set: { on }: the UART's internal loopback (its output comes back as its input). */
#define TTY_LOOPBACK		(('t' << 16) + 64)
#define TTY_LOOPBACK_COUNT	1

/* get: { bytes received, bytes sent, bytes dropped on receive, interrupts }, since start. */
#define TTY_COUNTERS		(('t' << 16) + 65)
#define TTY_COUNTERS_COUNT	4

/* Speeds (B codes). */
#define B0		0
#define B50		1
#define B75		2
#define B110		3
#define B134		4
#define B150		5
#define B200		6
#define B300		7
#define B600		8
#define B1200		9
#define B1800		10
#define B2400		11
#define B4800		12
#define B9600		13
#define B19200		14
#define B38400		15
#define B57600		16
#define B115200		17

/* tt_flags. */
#define TF_ODDP		0x00000002	/* odd parity */
#define TF_EVENP	0x00000004	/* even parity */
#define TF_ANYP		(TF_ODDP | TF_EVENP)	/* both: no parity bit (as none) */

#endif
