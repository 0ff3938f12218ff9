/*
 * The input side of a virtual terminal: raw or line mode, echo, erase and kill, and
 * the end-of-input mark, in the spirit of a POSIX terminal's canonical mode.
 */
#include <string.h>
#include <device/console_status.h>
#include "tty.h"

#define CTRL(c)	((c) & 0x1f)

void tty_init(struct tty *t)
{
	memset(t, 0, sizeof(*t));
	t->mode = CONSOLE_MODE_ALL;
}

static void queue(struct tty *t, const char *s, size_t n)
{
	if (n > TTY_BUF_MAX - t->len)
		n = TTY_BUF_MAX - t->len;
	memcpy(t->buf + t->len, s, n);
	t->len += n;
}

void tty_answer(struct tty *t, const char *s, size_t n)
{
	queue(t, s, n);
}

static bool is_control(char c)
{
	return (unsigned char)c < 0x20 || c == 0x7f;
}

/* Echo of one byte: controls as ^X, except the ones that move the cursor usefully. */
static void echo(struct tty *t, struct vt *vt, char c)
{
	char caret[2] = { '^', (char)(c == 0x7f ? '?' : c + '@') };

	if (!(t->mode & CONSOLE_MODE_ECHO))
		return;
	if (c == '\n' || c == '\r')
		vt_write(vt, "\r\n", 2);
	else if (c == '\t' || !is_control(c))
		vt_write(vt, &c, 1);
	else
		vt_write(vt, caret, 2);
}

/* Removes the last character of the line being edited, and its echo. */
static void erase_char(struct tty *t, struct vt *vt)
{
	char c;

	if (t->line_len == 0)
		return;
	c = t->line[--t->line_len];
	if (!(t->mode & CONSOLE_MODE_ECHO))
		return;
	vt_write(vt, "\b \b", 3);
	if (is_control(c) && c != '\t')
		vt_write(vt, "\b \b", 3);	/* its echo was two cells, ^X */
}

static void line_done(struct tty *t)
{
	queue(t, t->line, t->line_len);
	t->line_len = 0;
}

static void line_input(struct tty *t, struct vt *vt, char c)
{
	switch (c) {
	case 0x7f: case '\b':
		erase_char(t, vt);
		return;
	case CTRL('U'):
		while (t->line_len)
			erase_char(t, vt);
		return;
	case CTRL('C'):
		/* No signals here: the line is dropped and whoever reads sees ^C at once. */
		t->line_len = 0;
		echo(t, vt, c);
		echo(t, vt, '\n');
		queue(t, &c, 1);
		return;
	case CTRL('D'):
		if (t->line_len == 0 && !t->eof) {
			t->eof = true;
			t->eof_at = t->len;
		}
		line_done(t);
		return;
	case '\n':
		if (t->line_len < TTY_LINE_MAX)
			t->line[t->line_len++] = c;
		echo(t, vt, c);
		line_done(t);
		return;
	default:
		if (t->line_len == TTY_LINE_MAX)
			return;
		t->line[t->line_len++] = c;
		echo(t, vt, c);
	}
}

void tty_input(struct tty *t, struct vt *vt, char c)
{
	if (c == '\r' && (t->mode & CONSOLE_MODE_ICRNL))
		c = '\n';
	if (t->mode & CONSOLE_MODE_LINE) {
		line_input(t, vt, c);
		return;
	}
	if (t->len < TTY_BUF_MAX) {
		queue(t, &c, 1);
		echo(t, vt, c);
	}
}

bool tty_readable(const struct tty *t)
{
	return t->len > 0 || t->eof;
}

size_t tty_ready(const struct tty *t)
{
	return t->eof ? t->eof_at : t->len;
}

size_t tty_read(struct tty *t, char *buf, size_t n)
{
	size_t have = tty_ready(t);

	if (t->eof && have == 0) {
		t->eof = false;
		return 0;
	}
	if (n > have)
		n = have;
	memcpy(buf, t->buf, n);
	memmove(t->buf, t->buf + n, t->len - n);
	t->len -= n;
	if (t->eof)
		t->eof_at -= n;
	return n;
}

void tty_set_mode(struct tty *t, struct vt *vt, unsigned mode)
{
	if ((t->mode & CONSOLE_MODE_LINE) && !(mode & CONSOLE_MODE_LINE))
		line_done(t);
	t->mode = mode & CONSOLE_MODE_ALL;
	vt->crlf = (t->mode & CONSOLE_MODE_ONLCR) != 0;
}
