/*
 * The terminal's line discipline (Linux's N_TTY semantics, for the flags people use):
 *   c_iflag ISTRIP, INLCR, IGNCR, ICRNL, IXON (VSTART/VSTOP hold output), IXANY, IUTF8
 *           (erasing a character erases its whole UTF-8 sequence);
 *   c_oflag OPOST with ONLCR, OCRNL, ONOCR, ONLRET;
 *   c_lflag ICANON (VERASE and ^H, VKILL, VEOF, VEOL, and with IEXTEN VWERASE, VLNEXT,
 *           VEOL2, VREPRINT), ECHO, ECHOE, ECHOK, ECHOKE, ECHONL, ECHOCTL, ISIG (VINTR,
 *           VQUIT, VSUSP), NOFLSH.
 * A control character set to 0 is disabled (_POSIX_VDISABLE). VMIN and VTIME are the
 * reader's business (tty.c): here a raw read takes what is there.
 */
#include <string.h>
#include "tty_ldisc.h"

#define CTRL(c)		((c) & 0x1f)

enum erase_kind { ERASE_CHAR, ERASE_WORD, ERASE_LINE };

void ld_default_termios(struct linux_termios *tio)
{
	memset(tio, 0, sizeof(*tio));
	tio->c_iflag = LINUX_ICRNL | LINUX_IXON;
	tio->c_oflag = LINUX_OPOST | LINUX_ONLCR;
	tio->c_cflag = LINUX_B38400 | LINUX_CS8 | LINUX_CREAD | LINUX_HUPCL;
	tio->c_lflag = LINUX_ISIG | LINUX_ICANON | LINUX_ECHO | LINUX_ECHOE | LINUX_ECHOK |
		       LINUX_ECHOCTL | LINUX_ECHOKE | LINUX_IEXTEN;
	tio->c_cc[LINUX_VINTR] = CTRL('C');
	tio->c_cc[LINUX_VQUIT] = CTRL('\\');
	tio->c_cc[LINUX_VERASE] = 0x7f;
	tio->c_cc[LINUX_VKILL] = CTRL('U');
	tio->c_cc[LINUX_VEOF] = CTRL('D');
	tio->c_cc[LINUX_VTIME] = 0;
	tio->c_cc[LINUX_VMIN] = 1;
	tio->c_cc[LINUX_VSTART] = CTRL('Q');
	tio->c_cc[LINUX_VSTOP] = CTRL('S');
	tio->c_cc[LINUX_VSUSP] = CTRL('Z');
	tio->c_cc[LINUX_VREPRINT] = CTRL('R');
	tio->c_cc[LINUX_VDISCARD] = CTRL('O');
	tio->c_cc[LINUX_VWERASE] = CTRL('W');
	tio->c_cc[LINUX_VLNEXT] = CTRL('V');
}

void ld_init(struct ldisc *ld, const struct ldisc_ops *ops, void *arg)
{
	memset(ld, 0, sizeof(*ld));
	ld->ops = ops;
	ld->arg = arg;
	ld_default_termios(&ld->tio);
}

static bool lflag(const struct ldisc *ld, uint32_t f)
{
	return (ld->tio.c_lflag & f) != 0;
}

static bool iflag(const struct ldisc *ld, uint32_t f)
{
	return (ld->tio.c_iflag & f) != 0;
}

static bool is_cc(const struct ldisc *ld, int idx, unsigned char c)
{
	return ld->tio.c_cc[idx] != 0 && ld->tio.c_cc[idx] == c;
}

static bool is_utf8_cont(const struct ldisc *ld, unsigned char c)
{
	return iflag(ld, LINUX_IUTF8) && (c & 0xc0) == 0x80;
}

/* The ring's i-th byte from head. */
static size_t at(const struct ldisc *ld, size_t i)
{
	return (ld->head + i) % LD_BUF;
}

static void append(struct ldisc *ld, unsigned char c, uint8_t mark)
{
	size_t i = at(ld, ld->len);

	ld->buf[i] = c;
	ld->mark[i] = mark;
	ld->len++;
}

/* --- output processing --- */

/* One byte through OPOST into out (0 to 2 bytes), keeping the column. */
static size_t opost_byte(struct ldisc *ld, unsigned char c, char *out)
{
	uint32_t o = ld->tio.c_oflag;

	out[0] = (char)c;
	if (!(o & LINUX_OPOST))
		return 1;
	switch (c) {
	case '\n':
		if (o & LINUX_ONLRET)
			ld->col = 0;
		if (o & LINUX_ONLCR) {
			out[0] = '\r';
			out[1] = '\n';
			ld->col = 0;
			return 2;
		}
		return 1;
	case '\r':
		if ((o & LINUX_ONOCR) && ld->col == 0)
			return 0;
		if (o & LINUX_OCRNL) {
			out[0] = '\n';
			if (o & LINUX_ONLRET)
				ld->col = 0;
			return 1;
		}
		ld->col = 0;
		return 1;
	case '\t':
		ld->col = (ld->col | 7) + 1;
		return 1;
	case '\b':
		if (ld->col)
			ld->col--;
		return 1;
	default:
		if (c >= 0x20 && c != 0x7f && !is_utf8_cont(ld, c))
			ld->col++;
		return 1;
	}
}

size_t ld_output(struct ldisc *ld, const void *buf, size_t n, char *out, size_t room,
		 size_t *out_len)
{
	const unsigned char *s = buf;
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		unsigned col = ld->col;
		char tmp[2];
		size_t k = opost_byte(ld, s[i], tmp);

		if (o + k > room) {
			ld->col = col;
			break;
		}
		memcpy(out + o, tmp, k);
		o += k;
	}
	*out_len = o;
	return i;
}

/* Echo bytes, through OPOST like program output. */
static void echo_raw(struct ldisc *ld, const char *s, size_t n)
{
	char out[16];
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (o + 2 > sizeof(out)) {
			ld->ops->echo(ld->arg, out, o);
			o = 0;
		}
		o += opost_byte(ld, (unsigned char)s[i], out + o);
	}
	if (o)
		ld->ops->echo(ld->arg, out, o);
}

static bool echoed_as_caret(const struct ldisc *ld, unsigned char c)
{
	return lflag(ld, LINUX_ECHOCTL) && (c < 0x20 || c == 0x7f) && c != '\t' && c != '\n';
}

/* The echo of an input byte: controls as ^X with ECHOCTL. */
static void echo_char(struct ldisc *ld, unsigned char c)
{
	char s[2] = { (char)c };

	if (echoed_as_caret(ld, c)) {
		s[0] = '^';
		s[1] = (char)(c ^ 0x40);
		echo_raw(ld, s, 2);
	} else {
		echo_raw(ld, s, 1);
	}
}

/* --- canonical editing --- */

/* The column the echo of the edited line's first `upto` bytes ends at. */
static unsigned edit_col(const struct ldisc *ld, size_t upto)
{
	unsigned col = ld->line_col;

	for (size_t i = ld->canon; i < upto; i++) {
		unsigned char c = ld->buf[at(ld, i)];

		if (c == '\t')
			col = (col | 7) + 1;
		else if (echoed_as_caret(ld, c))
			col += 2;
		else if (c >= 0x20 && c != 0x7f && !is_utf8_cont(ld, c))
			col++;
	}
	return col;
}

/* Removes the edited line's last character (a whole UTF-8 sequence with IUTF8) and,
   with ECHO|ECHOE, its echo; returns the character's first byte. */
static unsigned char erase_one(struct ldisc *ld, bool visual)
{
	unsigned before = edit_col(ld, ld->len);
	unsigned char c;

	do
		c = ld->buf[at(ld, --ld->len)];
	while (is_utf8_cont(ld, c) && ld->len > ld->canon);
	if (visual) {
		unsigned after = edit_col(ld, ld->len);

		/* A tab's cells hold no characters: moving back is enough. */
		for (unsigned i = after; i < before; i++)
			echo_raw(ld, c == '\t' ? "\b" : "\b \b", c == '\t' ? 1 : 3);
	}
	return c;
}

static bool is_word_char(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '_' || c >= 0x80;
}

static void erase(struct ldisc *ld, enum erase_kind kind, unsigned char c)
{
	bool echo = lflag(ld, LINUX_ECHO);
	bool seen_word = false;

	if (ld->len == ld->canon)
		return;
	if (kind == ERASE_LINE && echo &&
	    (!lflag(ld, LINUX_ECHOK) || !lflag(ld, LINUX_ECHOKE) || !lflag(ld, LINUX_ECHOE))) {
		/* Without ECHOKE the line is not wiped on the screen: the kill character is
		   echoed, and with ECHOK a newline after it. */
		ld->len = ld->canon;
		echo_char(ld, c);
		if (lflag(ld, LINUX_ECHOK))
			echo_raw(ld, "\n", 1);
		ld->line_col = ld->col;
		return;
	}
	if (kind == ERASE_CHAR && echo && !lflag(ld, LINUX_ECHOE)) {
		erase_one(ld, false);
		echo_char(ld, c);
		return;
	}
	while (ld->len > ld->canon) {
		if (kind == ERASE_WORD) {
			unsigned char last = ld->buf[at(ld, ld->len - 1)];

			if (is_word_char(last))
				seen_word = true;
			else if (seen_word)
				break;
		}
		erase_one(ld, echo);
		if (kind == ERASE_CHAR)
			break;
	}
}

/* VREPRINT: the edited line again, on a new line. */
static void reprint(struct ldisc *ld, unsigned char c)
{
	echo_char(ld, c);
	echo_raw(ld, "\n", 1);
	ld->line_col = ld->col;
	for (size_t i = ld->canon; i < ld->len; i++)
		echo_char(ld, ld->buf[at(ld, i)]);
}

/* A line delimiter ('\n', VEOL, VEOL2) or VEOF: the line becomes readable. */
static void end_line(struct ldisc *ld, unsigned char c, bool eof)
{
	if (ld->len == LD_BUF)
		return;
	if (eof)
		;	/* as Linux: VEOF is not echoed */
	else if (c == '\n' && (lflag(ld, LINUX_ECHO) || lflag(ld, LINUX_ECHONL)))
		echo_raw(ld, "\n", 1);
	else if (lflag(ld, LINUX_ECHO))
		echo_char(ld, c);
	append(ld, c, LD_DELIM | (eof ? LD_EOF : 0));
	ld->canon = ld->len;
	ld->line_col = ld->col;
}

/* An ordinary byte (or a literal one after VLNEXT). */
static void put_char(struct ldisc *ld, unsigned char c)
{
	if (lflag(ld, LINUX_ICANON)) {
		/* Keep the last place for the delimiter, so that a full line can end. */
		if (ld->len >= LD_BUF - 1)
			return;
		if (ld->len == ld->canon)
			ld->line_col = ld->col;
	} else if (ld->len == LD_BUF) {
		return;
	}
	if (lflag(ld, LINUX_ECHO))
		echo_char(ld, c);
	append(ld, c, 0);
}

static void isig(struct ldisc *ld, int sig, unsigned char c)
{
	if (!lflag(ld, LINUX_NOFLSH)) {
		ld_flush_input(ld);
		ld->ops->flush_output(ld->arg);
	}
	ld->stopped = false;
	ld->ops->signal(ld->arg, sig);
	if (lflag(ld, LINUX_ECHO))
		echo_char(ld, c);
	ld->line_col = ld->col;
}

/* The ISIG signal for c, or 0. */
static int sig_of(const struct ldisc *ld, unsigned char c)
{
	if (!lflag(ld, LINUX_ISIG))
		return 0;
	if (is_cc(ld, LINUX_VINTR, c))
		return LINUX_SIGINT;
	if (is_cc(ld, LINUX_VQUIT, c))
		return LINUX_SIGQUIT;
	if (is_cc(ld, LINUX_VSUSP, c))
		return LINUX_SIGTSTP;
	return 0;
}

/* Canonical mode's editing characters; true if c was one. */
static bool canon_special(struct ldisc *ld, unsigned char c)
{
	bool iexten = lflag(ld, LINUX_IEXTEN);

	if (is_cc(ld, LINUX_VERASE, c) || c == '\b') {
		erase(ld, ERASE_CHAR, c);
	} else if (is_cc(ld, LINUX_VKILL, c)) {
		erase(ld, ERASE_LINE, c);
	} else if (iexten && is_cc(ld, LINUX_VWERASE, c)) {
		erase(ld, ERASE_WORD, c);
	} else if (iexten && is_cc(ld, LINUX_VLNEXT, c)) {
		ld->lnext = true;
		/* A caret stands for the awaited byte; its own echo overwrites it. */
		if (lflag(ld, LINUX_ECHO) && lflag(ld, LINUX_ECHOCTL))
			echo_raw(ld, "^\b", 2);
	} else if (iexten && lflag(ld, LINUX_ECHO) && is_cc(ld, LINUX_VREPRINT, c)) {
		reprint(ld, c);
	} else if (c == '\n' || is_cc(ld, LINUX_VEOL, c) || (iexten && is_cc(ld, LINUX_VEOL2, c))) {
		end_line(ld, c, false);
	} else if (is_cc(ld, LINUX_VEOF, c)) {
		end_line(ld, c, true);
	} else {
		return false;
	}
	return true;
}

static void receive(struct ldisc *ld, unsigned char c)
{
	int sig;

	if (iflag(ld, LINUX_ISTRIP))
		c &= 0x7f;
	if (ld->lnext) {
		ld->lnext = false;
		put_char(ld, c);
		return;
	}
	if (iflag(ld, LINUX_IXON)) {
		if (is_cc(ld, LINUX_VSTOP, c)) {
			ld->stopped = true;
			return;
		}
		if (is_cc(ld, LINUX_VSTART, c)) {
			ld->stopped = false;
			return;
		}
		if (iflag(ld, LINUX_IXANY))
			ld->stopped = false;
	}
	if (c == '\r') {
		if (iflag(ld, LINUX_IGNCR))
			return;
		if (iflag(ld, LINUX_ICRNL))
			c = '\n';
	} else if (c == '\n' && iflag(ld, LINUX_INLCR)) {
		c = '\r';
	}
	if ((sig = sig_of(ld, c))) {
		isig(ld, sig, c);
		return;
	}
	if (lflag(ld, LINUX_ICANON) && canon_special(ld, c))
		return;
	put_char(ld, c);
}

void ld_input(struct ldisc *ld, const void *buf, size_t n)
{
	const unsigned char *s = buf;

	for (size_t i = 0; i < n; i++)
		receive(ld, s[i]);
}

void ld_set_termios(struct ldisc *ld, const struct linux_termios *tio)
{
	bool was_canon = lflag(ld, LINUX_ICANON);

	ld->tio = *tio;
	if (!was_canon && lflag(ld, LINUX_ICANON) && ld->len > ld->canon) {
		/* What raw mode left unread is pushed as a line: a canonical reader gets it
		   without waiting for a newline (Linux does the same). */
		ld->mark[at(ld, ld->len - 1)] |= LD_DELIM;
		ld->canon = ld->len;
		ld->line_col = ld->col;
	}
	if (!iflag(ld, LINUX_IXON))
		ld->stopped = false;
	if (!lflag(ld, LINUX_ICANON))
		ld->lnext = false;
}

/* --- readers --- */

/* VEOF marks lie in the complete lines, [0, canon). */
static size_t eof_marks(const struct ldisc *ld)
{
	size_t n = 0;

	for (size_t i = 0; i < ld->canon; i++)
		if (ld->mark[at(ld, i)] & LD_EOF)
			n++;
	return n;
}

size_t ld_readable(const struct ldisc *ld)
{
	size_t upto = lflag(ld, LINUX_ICANON) ? ld->canon : ld->len;

	return upto - eof_marks(ld);
}

bool ld_read_ready(const struct ldisc *ld, size_t min)
{
	if (lflag(ld, LINUX_ICANON))
		return ld->canon > 0;
	return ld_readable(ld) >= (min ? min : 1);
}

/* Takes the byte at head; returns its mark. */
static uint8_t consume(struct ldisc *ld)
{
	uint8_t m = ld->mark[ld->head];

	ld->mark[ld->head] = 0;
	ld->head = (ld->head + 1) % LD_BUF;
	ld->len--;
	if (ld->canon)
		ld->canon--;
	return m;
}

size_t ld_read(struct ldisc *ld, void *buf, size_t n)
{
	unsigned char *out = buf;
	size_t got = 0;

	if (!lflag(ld, LINUX_ICANON)) {
		while (got < n && ld->len) {
			unsigned char c = ld->buf[ld->head];

			if (!(consume(ld) & LD_EOF))
				out[got++] = c;
		}
		return got;
	}
	while (got < n && ld->canon) {
		unsigned char c = ld->buf[ld->head];
		uint8_t m = consume(ld);

		if (m & LD_EOF)
			return got;
		out[got++] = c;
		if (m & LD_DELIM)
			return got;
	}
	/* A line that filled the buffer exactly before its VEOF: the mark goes too, or the
	   next read would see an end of file that was never typed alone. */
	if (got && ld->canon && (ld->mark[ld->head] & LD_EOF))
		consume(ld);
	return got;
}

void ld_flush_input(struct ldisc *ld)
{
	memset(ld->mark, 0, sizeof(ld->mark));
	ld->head = ld->len = ld->canon = 0;
	ld->lnext = false;
}
