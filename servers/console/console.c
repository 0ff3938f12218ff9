/*
 * console: VGA text mode and the PS/2 keyboard as CONSOLE_VT_COUNT virtual terminals,
 * served with lib/device. Devices "vt1".."vt6", and "console", which is whichever VT is
 * visible at each request. Each VT has its own screen (vt.c) and input (tty.c); the
 * visible one is on the display and gets the keyboard (kbd.c); Alt-F1..Alt-F6 switch.
 * Reads wait (DEVICE_PENDING) until the VT has input, unless the open or the read said
 * D_NOWAIT.
 * Status flavors: <device/console_status.h>. Hardware: hw.c.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <device/console_status.h>
#include <device/device_types.h>
#include "device_server.h"
#include "hw.h"
#include "kbd.h"
#include "tty.h"
#include "vt.h"

#define NVT		CONSOLE_VT_COUNT
#define CONSOLE_ANY	(-1)	/* the open of "console": the visible VT */
#define PENDING_MAX	16	/* reads waiting per VT */

struct con_open {
	bool in_use;
	int vt;			/* 0..NVT-1, or CONSOLE_ANY */
	dev_mode_t mode;
};

struct pending_read {
	struct device_io *io;
	struct con_open *open;
	char *buf;
	size_t count;
};

struct vterm {
	struct vt vt;
	struct tty tty;
	struct pending_read reads[PENDING_MAX];	/* oldest first */
	int nreads;
};

static struct vterm vts[NVT];
static int visible;
static struct kbd kbd;
static struct con_open opens[DEVICE_MAX_OPENS];

static const char *const names[] = { "console", "vt1", "vt2", "vt3", "vt4", "vt5", "vt6", NULL };
_Static_assert(sizeof(names) / sizeof(names[0]) == NVT + 2, "a name per VT, console, NULL");

static struct vterm *vterm_of(const struct con_open *o)
{
	return &vts[o->vt == CONSOLE_ANY ? visible : o->vt];
}

/* Puts the visible VT's changes on the display. */
static void refresh(void)
{
	hw_show(&vts[visible].vt);
}

/* Answers the VT's waiting reads, oldest first, while it has input. */
static void serve_reads(struct vterm *v)
{
	while (v->nreads > 0 && tty_readable(&v->tty)) {
		struct pending_read r = v->reads[0];

		memmove(&v->reads[0], &v->reads[1], (size_t)(v->nreads - 1) * sizeof(r));
		v->nreads--;
		device_io_done(r.io, D_SUCCESS, tty_read(&v->tty, r.buf, r.count));
	}
}

/* The terminal's own answers (cursor reports) become input. */
static void take_replies(struct vterm *v)
{
	if (v->vt.reply_len) {
		tty_answer(&v->tty, v->vt.reply, v->vt.reply_len);
		v->vt.reply_len = 0;
		serve_reads(v);
	}
}

static void switch_to(int n)
{
	if (n < 0 || n >= NVT || n == visible)
		return;
	visible = n;
	vt_dirty_all(&vts[n].vt);
	refresh();
}

/* One byte from the keyboard controller (IRQ 1): typed into the visible VT. */
static void key_byte(uint8_t code)
{
	char out[KBD_OUT_MAX];
	int vt, n = kbd_scancode(&kbd, code, out, &vt);
	struct vterm *v;

	if (vt != KBD_NO_SWITCH)
		switch_to(vt);
	v = &vts[visible];
	for (int i = 0; i < n; i++)
		tty_input(&v->tty, &v->vt, out[i]);
	if (n)
		serve_reads(v);
}

static void con_interrupt(int line)
{
	(void)line;
	hw_kbd_drain(key_byte);
	refresh();
}

static int con_open(const char *name, dev_mode_t mode, void **cookie)
{
	int vt = CONSOLE_ANY;

	for (int i = 1; i <= NVT; i++)
		if (strcmp(name, names[i]) == 0)
			vt = i - 1;
	for (int i = 0; i < DEVICE_MAX_OPENS; i++)
		if (!opens[i].in_use) {
			opens[i] = (struct con_open){ .in_use = true, .vt = vt, .mode = mode };
			*cookie = &opens[i];
			return D_SUCCESS;
		}
	return D_NO_MEMORY;
}

/* An open's waiting reads end with D_DEVICE_DOWN, so that they take no one's input. */
static void con_close(void *cookie)
{
	struct con_open *o = cookie;

	for (int n = 0; n < NVT; n++) {
		struct vterm *v = &vts[n];
		int kept = 0;

		for (int i = 0; i < v->nreads; i++) {
			if (v->reads[i].open == o)
				device_io_done(v->reads[i].io, D_DEVICE_DOWN, 0);
			else
				v->reads[kept++] = v->reads[i];
		}
		v->nreads = kept;
	}
	o->in_use = false;
}

/* A character device: recnum means nothing here. */
static int con_read(void *cookie, struct device_io *io, recnum_t recnum, char *buf, size_t *count)
{
	struct con_open *o = cookie;
	struct vterm *v = vterm_of(o);

	(void)recnum;
	if (*count == 0)
		return D_SUCCESS;
	if (tty_readable(&v->tty) && v->nreads == 0) {
		*count = tty_read(&v->tty, buf, *count);
		return D_SUCCESS;
	}
	if ((o->mode | device_io_mode(io)) & D_NOWAIT)
		return D_WOULD_BLOCK;
	if (v->nreads == PENDING_MAX)
		return D_NO_MEMORY;
	v->reads[v->nreads++] = (struct pending_read){ .io = io, .open = o, .buf = buf, .count = *count };
	return DEVICE_PENDING;
}

static int con_write(void *cookie, struct device_io *io, recnum_t recnum, const char *buf, size_t count,
		     size_t *written)
{
	struct vterm *v = vterm_of(cookie);

	(void)io, (void)recnum;
	vt_write(&v->vt, buf, count);
	take_replies(v);
	if (v == &vts[visible])
		refresh();
	*written = count;
	return D_SUCCESS;
}

/* Fills status with n words: the row of a VT buffer, or of the display. */
static int get_row(const struct vterm *v, dev_flavor_t flavor, int *status)
{
	uint16_t cells[VT_COLS];
	int r = (int)(flavor & 0xff);

	if (r >= VT_ROWS)
		return D_INVALID_OPERATION;
	if (flavor - (dev_flavor_t)r == CONSOLE_STATUS_SCREEN_ROW(0))
		hw_screen_row(r, cells);
	else
		memcpy(cells, &v->vt.cell[r * VT_COLS], sizeof(cells));
	for (int c = 0; c < VT_COLS; c++)
		status[c] = cells[c];
	return D_SUCCESS;
}

static int con_get_status(void *cookie, dev_flavor_t flavor, int *status, size_t *count)
{
	struct vterm *v = vterm_of(cookie);
	size_t want;

	switch (flavor) {
	case CONSOLE_STATUS_WINSIZE: want = CONSOLE_STATUS_WINSIZE_COUNT; break;
	case CONSOLE_STATUS_MODE: want = CONSOLE_STATUS_MODE_COUNT; break;
	case CONSOLE_STATUS_VISIBLE: want = CONSOLE_STATUS_VISIBLE_COUNT; break;
	case CONSOLE_STATUS_CURSOR: want = CONSOLE_STATUS_CURSOR_COUNT; break;
	case CONSOLE_STATUS_INPUT: want = CONSOLE_STATUS_INPUT_COUNT; break;
	default:
		if ((flavor & ~0xffu) != CONSOLE_STATUS_ROW(0) && (flavor & ~0xffu) != CONSOLE_STATUS_SCREEN_ROW(0))
			return D_INVALID_OPERATION;
		want = CONSOLE_STATUS_ROW_COUNT;
	}
	if (*count < want)
		return D_INVALID_SIZE;
	*count = want;
	switch (flavor) {
	case CONSOLE_STATUS_WINSIZE: status[0] = VT_ROWS; status[1] = VT_COLS; break;
	case CONSOLE_STATUS_MODE: status[0] = (int)v->tty.mode; break;
	case CONSOLE_STATUS_VISIBLE: status[0] = visible + 1; status[1] = NVT; break;
	case CONSOLE_STATUS_CURSOR: status[0] = v->vt.row; status[1] = v->vt.col; break;
	case CONSOLE_STATUS_INPUT: status[0] = (int)tty_ready(&v->tty); break;
	default: return get_row(v, flavor, status);
	}
	return D_SUCCESS;
}

static int con_set_status(void *cookie, dev_flavor_t flavor, const int *status, size_t count)
{
	struct vterm *v = vterm_of(cookie);

	if (flavor != CONSOLE_STATUS_MODE && flavor != CONSOLE_STATUS_VISIBLE)
		return D_INVALID_OPERATION;
	if (count != 1)
		return D_INVALID_SIZE;
	if (flavor == CONSOLE_STATUS_VISIBLE) {
		if (status[0] < 1 || status[0] > NVT)
			return D_INVALID_SIZE;
		switch_to(status[0] - 1);
		return D_SUCCESS;
	}
	if (status[0] & ~CONSOLE_MODE_ALL)
		return D_INVALID_OPERATION;
	tty_set_mode(&v->tty, &v->vt, (unsigned)status[0]);
	serve_reads(v);	/* leaving line mode may have made input ready */
	if (v == &vts[visible])
		refresh();
	return D_SUCCESS;
}

static const struct device_ops console_ops = {
	.names = names,
	.open = con_open,
	.close = con_close,
	.read = con_read,
	.write = con_write,
	.get_status = con_get_status,
	.set_status = con_set_status,
	.interrupt = con_interrupt,
};

int main(void)
{
	char status[64];
	kern_return_t kr;

	for (int i = 0; i < NVT; i++) {
		vts[i].vt.crlf = true;
		vt_init(&vts[i].vt);
		tty_init(&vts[i].tty);
	}
	kbd_init(&kbd);
	if (!hw_init())
		return 1;
	refresh();
	hw_kbd_drain(key_byte);	/* what came before IRQ 1 was ours raises no new interrupt */
	snprintf(status, sizeof(status), "vga %dx%d, %d VTs, ps/2 keyboard", VT_COLS, VT_ROWS, NVT);
	kr = device_server_main(&console_ops, status);
	printf("console: device_server_main: 0x%x\n", kr);
	return 1;
}
