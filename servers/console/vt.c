/*
 * The terminal emulator of one virtual terminal: printable characters, C0 controls and
 * the subset of VT100/ANSI escape sequences that shells' line editors and full-screen
 * editors use (the list is in servers/console/README.md).
 */
#include <string.h>
#include "vt.h"

/* ANSI colour order (black, red, green, yellow, blue, magenta, cyan, white) to VGA's. */
static const uint8_t ansi_to_vga[8] = { 0, 4, 2, 6, 1, 5, 3, 7 };

static void dirty(struct vt *vt, int lo, int hi)
{
	if (lo < vt->dirty_lo)
		vt->dirty_lo = lo;
	if (hi > vt->dirty_hi)
		vt->dirty_hi = hi;
}

void vt_clean(struct vt *vt)
{
	vt->dirty_lo = VT_ROWS;
	vt->dirty_hi = -1;
}

void vt_dirty_all(struct vt *vt)
{
	dirty(vt, 0, VT_ROWS - 1);
}

static void update_attr(struct vt *vt)
{
	uint8_t fg = ansi_to_vga[vt->fg] | (vt->bold ? 8 : 0), bg = ansi_to_vga[vt->bg];

	/* Bit 7 would be blink: a reversed bright colour keeps only its hue as background. */
	vt->attr = vt->reverse ? (uint8_t)((fg & 7) << 4 | bg) : (uint8_t)(bg << 4 | fg);
}

static void reset_rendition(struct vt *vt)
{
	vt->fg = 7;
	vt->bg = 0;
	vt->bold = vt->reverse = false;
	update_attr(vt);
}

/* Blanks `n` cells from `at` with the current colours (as the Linux console does). */
static void blank(struct vt *vt, int at, int n)
{
	uint16_t b = VT_CELL(' ', vt->attr);

	if (n <= 0)
		return;
	for (int i = 0; i < n; i++)
		vt->cell[at + i] = b;
	dirty(vt, at / VT_COLS, (at + n - 1) / VT_COLS);
}

void vt_init(struct vt *vt)
{
	bool crlf = vt->crlf;

	memset(vt, 0, sizeof(*vt));
	vt->crlf = crlf;
	vt->cursor_visible = true;
	vt->bottom = VT_ROWS - 1;
	reset_rendition(vt);
	vt->saved.fg = 7;
	vt_clean(vt);
	blank(vt, 0, VT_ROWS * VT_COLS);
}

/* Moves rows [top, bottom] up by n (n > 0) or down by -n, blanking what comes in. */
static void scroll(struct vt *vt, int top, int bottom, int n)
{
	int rows = bottom - top + 1;

	if (n > rows)
		n = rows;
	if (n < -rows)
		n = -rows;
	if (n > 0) {
		memmove(&vt->cell[top * VT_COLS], &vt->cell[(top + n) * VT_COLS],
			(size_t)(rows - n) * VT_COLS * sizeof(uint16_t));
		blank(vt, (bottom - n + 1) * VT_COLS, n * VT_COLS);
	} else if (n < 0) {
		n = -n;
		memmove(&vt->cell[(top + n) * VT_COLS], &vt->cell[top * VT_COLS],
			(size_t)(rows - n) * VT_COLS * sizeof(uint16_t));
		blank(vt, top * VT_COLS, n * VT_COLS);
	}
	dirty(vt, top, bottom);
}

static void line_feed(struct vt *vt)
{
	if (vt->row == vt->bottom)
		scroll(vt, vt->top, vt->bottom, 1);
	else if (vt->row < VT_ROWS - 1)
		vt->row++;
}

static void reverse_index(struct vt *vt)
{
	if (vt->row == vt->top)
		scroll(vt, vt->top, vt->bottom, -1);
	else if (vt->row > 0)
		vt->row--;
}

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void move_to(struct vt *vt, int row, int col)
{
	vt->row = clamp(row, 0, VT_ROWS - 1);
	vt->col = clamp(col, 0, VT_COLS - 1);
	vt->wrap_pending = false;
}

static void put_char(struct vt *vt, char c)
{
	if (vt->wrap_pending) {
		vt->col = 0;
		line_feed(vt);
		vt->wrap_pending = false;
	}
	vt->cell[vt->row * VT_COLS + vt->col] = VT_CELL(c, vt->attr);
	dirty(vt, vt->row, vt->row);
	if (vt->col == VT_COLS - 1)
		vt->wrap_pending = true;
	else
		vt->col++;
}

static void reply(struct vt *vt, const char *s)
{
	size_t n = strlen(s);

	if (n <= VT_REPLY_MAX - vt->reply_len) {
		memcpy(vt->reply + vt->reply_len, s, n);
		vt->reply_len += n;
	}
}

/* Writes the decimal value of v (0 <= v < 1000) at p; returns the end. */
static char *put_num(char *p, int v)
{
	if (v >= 100)
		*p++ = (char)('0' + v / 100);
	if (v >= 10)
		*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

/* CSI n: 5 is "are you well" (yes), 6 the cursor position, both 1-based. */
static void status_report(struct vt *vt, int what)
{
	char buf[16], *p = buf;

	if (what == 5) {
		reply(vt, "\033[0n");
		return;
	}
	if (what != 6)
		return;
	*p++ = '\033';
	*p++ = '[';
	p = put_num(p, vt->row + 1);
	*p++ = ';';
	p = put_num(p, vt->col + 1);
	*p++ = 'R';
	*p = '\0';
	reply(vt, buf);
}

/* SGR: colours, bold, reverse; unknown attributes are ignored. */
static void rendition(struct vt *vt)
{
	if (vt->nparam == 0)
		vt->param[vt->nparam++] = 0;
	for (int i = 0; i < vt->nparam; i++) {
		int p = vt->param[i];

		if (p == 0)
			reset_rendition(vt);
		else if (p == 1)
			vt->bold = true;
		else if (p == 22)
			vt->bold = false;
		else if (p == 7)
			vt->reverse = true;
		else if (p == 27)
			vt->reverse = false;
		else if (p >= 30 && p <= 37)
			vt->fg = (uint8_t)(p - 30);
		else if (p == 39)
			vt->fg = 7;
		else if (p >= 40 && p <= 47)
			vt->bg = (uint8_t)(p - 40);
		else if (p == 49)
			vt->bg = 0;
		else if (p >= 90 && p <= 97) {
			vt->fg = (uint8_t)(p - 90);
			vt->bold = true;
		} else if (p >= 100 && p <= 107)
			vt->bg = (uint8_t)(p - 100);
		else if (p == 38 || p == 48)
			break;	/* 256-colour and RGB forms: their arguments are not ours */
	}
	update_attr(vt);
}

/* CSI J and K: 0 from the cursor on, 1 up to the cursor, 2 (and J's 3) all. */
static void erase(struct vt *vt, int how, bool line)
{
	int at = vt->row * VT_COLS + vt->col;
	int start = line ? vt->row * VT_COLS : 0;
	int end = line ? start + VT_COLS : VT_ROWS * VT_COLS;

	if (how == 0)
		blank(vt, at, end - at);
	else if (how == 1)
		blank(vt, start, at - start + 1);
	else if (how == 2 || (how == 3 && !line))
		blank(vt, start, end - start);
}

/* CSI @ and P: insert or delete n cells at the cursor, the rest of the row shifting. */
static void shift_row(struct vt *vt, int n, bool insert)
{
	uint16_t *row = &vt->cell[vt->row * VT_COLS];
	int room = VT_COLS - vt->col;

	n = clamp(n, 1, room);
	if (insert)
		memmove(row + vt->col + n, row + vt->col, (size_t)(room - n) * sizeof(uint16_t));
	else
		memmove(row + vt->col, row + vt->col + n, (size_t)(room - n) * sizeof(uint16_t));
	blank(vt, vt->row * VT_COLS + (insert ? vt->col : VT_COLS - n), n);
	vt->wrap_pending = false;
}

/* CSI r: the scrolling region; an invalid one is ignored. The cursor goes home. */
static void set_region(struct vt *vt, int top, int bottom)
{
	top = top ? top - 1 : 0;
	bottom = bottom ? bottom - 1 : VT_ROWS - 1;
	if (top >= bottom || bottom >= VT_ROWS)
		return;
	vt->top = top;
	vt->bottom = bottom;
	move_to(vt, 0, 0);
}

static void save_cursor(struct vt *vt)
{
	vt->saved.row = vt->row;
	vt->saved.col = vt->col;
	vt->saved.fg = vt->fg;
	vt->saved.bg = vt->bg;
	vt->saved.bold = vt->bold;
	vt->saved.reverse = vt->reverse;
}

static void restore_cursor(struct vt *vt)
{
	move_to(vt, vt->saved.row, vt->saved.col);
	vt->fg = vt->saved.fg;
	vt->bg = vt->saved.bg;
	vt->bold = vt->saved.bold;
	vt->reverse = vt->saved.reverse;
	update_attr(vt);
}

/* Runs the CSI sequence ending in `final`; missing or zero counts mean 1. */
static void csi(struct vt *vt, char final)
{
	int p0 = vt->nparam > 0 ? vt->param[0] : 0, p1 = vt->nparam > 1 ? vt->param[1] : 0;
	int n = p0 ? p0 : 1;

	if (vt->private) {
		if ((final == 'h' || final == 'l') && p0 == 25)
			vt->cursor_visible = final == 'h';
		return;
	}
	switch (final) {
	case 'A': move_to(vt, vt->row - n, vt->col); break;
	case 'B': case 'e': move_to(vt, vt->row + n, vt->col); break;
	case 'C': case 'a': move_to(vt, vt->row, vt->col + n); break;
	case 'D': move_to(vt, vt->row, vt->col - n); break;
	case 'E': move_to(vt, vt->row + n, 0); break;
	case 'F': move_to(vt, vt->row - n, 0); break;
	case 'G': case '`': move_to(vt, vt->row, n - 1); break;
	case 'd': move_to(vt, n - 1, vt->col); break;
	case 'H': case 'f': move_to(vt, (p0 ? p0 : 1) - 1, (p1 ? p1 : 1) - 1); break;
	case 'J': erase(vt, p0, false); break;
	case 'K': erase(vt, p0, true); break;
	case 'L': case 'M':
		if (vt->row >= vt->top && vt->row <= vt->bottom)
			scroll(vt, vt->row, vt->bottom, final == 'L' ? -n : n);
		vt->col = 0;
		vt->wrap_pending = false;
		break;
	case '@': shift_row(vt, n, true); break;
	case 'P': shift_row(vt, n, false); break;
	case 'X': blank(vt, vt->row * VT_COLS + vt->col, clamp(n, 1, VT_COLS - vt->col)); break;
	case 'S': scroll(vt, vt->top, vt->bottom, n); break;
	case 'T': scroll(vt, vt->top, vt->bottom, -n); break;
	case 'm': rendition(vt); break;
	case 'n': status_report(vt, p0); break;
	case 'c': if (p0 == 0) reply(vt, "\033[?6c"); break;	/* a VT102 */
	case 'r': set_region(vt, p0, p1); break;
	case 's': save_cursor(vt); break;
	case 'u': restore_cursor(vt); break;
	default: break;	/* not one of ours: ignored, as terminals do */
	}
}

/* C0 controls, also inside escape sequences (as on a VT100). True if `c` was one. */
static bool control(struct vt *vt, char c)
{
	switch (c) {
	case '\b':
		if (vt->col > 0)
			vt->col--;
		vt->wrap_pending = false;
		return true;
	case '\t':
		move_to(vt, vt->row, (vt->col + 8) & ~7);
		return true;
	case '\n': case '\v': case '\f':
		if (vt->crlf)
			vt->col = 0;
		vt->wrap_pending = false;
		line_feed(vt);
		return true;
	case '\r':
		vt->col = 0;
		vt->wrap_pending = false;
		return true;
	case 0x18: case 0x1a:	/* CAN, SUB: abandon a sequence */
		vt->state = VT_NORMAL;
		return true;
	case 0x1b:
		vt->state = VT_ESC;
		return true;
	default:
		return (unsigned char)c < 0x20 || c == 0x7f;	/* BEL and the rest: nothing */
	}
}

static void escape(struct vt *vt, char c)
{
	vt->state = VT_NORMAL;
	switch (c) {
	case '[':
		vt->state = VT_CSI;
		vt->nparam = 0;
		vt->private = false;
		memset(vt->param, 0, sizeof(vt->param));
		break;
	case '(': case ')': case '#': case '%':
		vt->state = VT_ESC_SKIP;	/* character sets: one more byte, ignored */
		break;
	case '7': save_cursor(vt); break;
	case '8': restore_cursor(vt); break;
	case 'D': line_feed(vt); break;
	case 'E': vt->col = 0; line_feed(vt); break;
	case 'M': reverse_index(vt); break;
	case 'c': vt_init(vt); break;
	default: break;
	}
}

/* One byte of a CSI sequence: parameters, '?', intermediates, then the final byte. */
static void csi_byte(struct vt *vt, char c)
{
	if (c >= '0' && c <= '9') {
		int *p;

		if (vt->nparam == 0)
			vt->nparam = 1;
		p = &vt->param[vt->nparam - 1];
		if (*p < 10000)	/* bounded: huge counts are clamped by the moves */
			*p = *p * 10 + (c - '0');
	} else if (c == ';') {
		if (vt->nparam == 0)
			vt->nparam = 1;
		if (vt->nparam < VT_MAX_PARAMS)
			vt->nparam++;
	} else if (c == '?' || c == '>' || c == '=') {
		vt->private = true;
	} else if (c >= 0x40 && c <= 0x7e) {
		vt->state = VT_NORMAL;
		csi(vt, c);
	} else if (!(c >= 0x20 && c <= 0x2f)) {
		vt->state = VT_NORMAL;	/* not a sequence after all */
	}
}

void vt_write(struct vt *vt, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = buf[i];

		if (control(vt, c))
			continue;
		switch (vt->state) {
		case VT_NORMAL: put_char(vt, c); break;
		case VT_ESC: escape(vt, c); break;
		case VT_CSI: csi_byte(vt, c); break;
		case VT_ESC_SKIP: vt->state = VT_NORMAL; break;
		}
	}
}
