/*
 * Scan code set 1 to terminal bytes. A key's make code is below 0x80 and its break
 * code is the same | 0x80; 0xe0 prefixes the keys a PC/AT keyboard lacked (arrows,
 * the right Ctrl and Alt, the editing block).
 */
#include <string.h>
#include "kbd.h"

#define SC_ESC		0x01
#define SC_BACKSPACE	0x0e
#define SC_ENTER	0x1c
#define SC_LCTRL	0x1d
#define SC_LSHIFT	0x2a
#define SC_RSHIFT	0x36
#define SC_KP_STAR	0x37
#define SC_LALT		0x38
#define SC_CAPS		0x3a
#define SC_F1		0x3b
#define SC_F10		0x44
#define SC_NUM		0x45
#define SC_KP_7		0x47
#define SC_KP_DOT	0x53
#define SC_F11		0x57
#define SC_F12		0x58
#define SC_BREAK	0x80

/* The US layout's printable keys, 0x00-0x39, without and with Shift (0: not printable). */
static const char keymap[2][0x3a] = {
	{
		0, 0, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', 0, '\t',
		'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', 0, 0, 'a', 's',
		'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0, '\\', 'z', 'x', 'c', 'v',
		'b', 'n', 'm', ',', '.', '/', 0, 0, 0, ' ',
	}, {
		0, 0, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', 0, '\t',
		'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', 0, 0, 'A', 'S',
		'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0, '|', 'Z', 'X', 'C', 'V',
		'B', 'N', 'M', '<', '>', '?', 0, 0, 0, ' ',
	},
};

/* The keypad 0x47-0x53 with Num Lock on; off, they are the editing keys (nav_keys). */
static const char keypad[] = "789-456+1230.";

/* What the editing and cursor keys send, as the Linux console and xterm do. */
static const char *nav_key(uint8_t code)
{
	switch (code) {
	case 0x48: return "\033[A";
	case 0x50: return "\033[B";
	case 0x4d: return "\033[C";
	case 0x4b: return "\033[D";
	case 0x47: return "\033[1~";	/* Home */
	case 0x4f: return "\033[4~";	/* End */
	case 0x52: return "\033[2~";	/* Insert */
	case 0x53: return "\033[3~";	/* Delete */
	case 0x49: return "\033[5~";	/* Page Up */
	case 0x51: return "\033[6~";	/* Page Down */
	default: return NULL;
	}
}

/* F1-F12, xterm's sequences. */
static const char *const fkeys[12] = {
	"\033OP", "\033OQ", "\033OR", "\033OS", "\033[15~", "\033[17~",
	"\033[18~", "\033[19~", "\033[20~", "\033[21~", "\033[23~", "\033[24~",
};

void kbd_init(struct kbd *k)
{
	memset(k, 0, sizeof(*k));
}

/* The function key number (0-11) of a make code, or -1. */
static int fkey(uint8_t code)
{
	if (code >= SC_F1 && code <= SC_F10)
		return code - SC_F1;
	if (code == SC_F11 || code == SC_F12)
		return 10 + code - SC_F11;
	return -1;
}

/* Tracks Shift, Ctrl, Alt and the locks; true if `code` was one of them. */
static bool modifier(struct kbd *k, uint8_t code, bool e0)
{
	bool down = !(code & SC_BREAK);

	switch (code & ~SC_BREAK) {
	case SC_LSHIFT:
		if (!e0)	/* e0 2a is a "fake shift" some keys send around themselves */
			k->lshift = down;
		return true;
	case SC_RSHIFT:
		if (!e0)
			k->rshift = down;
		return true;
	case SC_LCTRL:
		*(e0 ? &k->rctrl : &k->lctrl) = down;
		return true;
	case SC_LALT:
		*(e0 ? &k->ralt : &k->lalt) = down;
		return true;
	case SC_CAPS:
		if (down && !e0)
			k->caps = !k->caps;
		return !e0;
	case SC_NUM:
		if (down && !e0)
			k->num = !k->num;
		return !e0;
	default:
		return false;
	}
}

static int emit(char *out, const char *s, bool meta)
{
	int n = 0;

	if (meta)
		out[n++] = '\033';	/* Alt as Meta: ESC first, as xterm's metaSendsEscape */
	while (*s && n < KBD_OUT_MAX)
		out[n++] = *s++;
	return n;
}

/* A printable key's byte with Shift, Caps Lock and Ctrl applied. */
static int printable(struct kbd *k, uint8_t code, char *out, bool alt)
{
	bool shift = k->lshift || k->rshift, ctrl = k->lctrl || k->rctrl;
	char c = keymap[shift][code];

	if (!c)
		return 0;
	if (k->caps && c >= 'a' && c <= 'z')
		c = keymap[1][code];
	else if (k->caps && c >= 'A' && c <= 'Z')
		c = keymap[0][code];
	if (ctrl) {
		if (c >= '@' && c <= '~' && c != '`')
			c &= 0x1f;	/* ^A-^Z, ^[ ^\ ^] ^^ ^_ */
		else if (c == ' ' || c == '2' || c == '`')
			c = 0;		/* ^@ */
		else if (c == '/')
			c = 0x1f;
		else if (c == '8')
			c = 0x7f;
		else if (c == '6')
			c = 0x1e;
	}
	if (c == 0) {	/* ^@ is a real byte, which emit's strings cannot hold */
		int n = emit(out, "", alt);

		out[n] = 0;
		return n + 1;
	}
	return emit(out, (char[2]){ c, 0 }, alt);
}

int kbd_scancode(struct kbd *k, uint8_t code, char *out, int *vt)
{
	bool e0 = k->e0, alt = k->lalt || k->ralt, ctrl = k->lctrl || k->rctrl;
	uint8_t make = code & ~SC_BREAK;
	const char *seq = NULL;
	int f;

	*vt = KBD_NO_SWITCH;
	k->e0 = false;
	if (k->skip) {
		k->skip--;
		return 0;
	}
	if (code == 0xe0) {
		k->e0 = true;
		return 0;
	}
	if (code == 0xe1) {	/* Pause: e1 1d 45 e1 9d c5, nothing to type */
		k->skip = 2;
		return 0;
	}
	if (modifier(k, code, e0) || (code & SC_BREAK) || code == 0)
		return 0;
	if ((f = fkey(make)) >= 0) {
		if (alt) {
			*vt = f;
			return 0;
		}
		return emit(out, fkeys[f], false);
	}
	if (e0) {
		if (make == SC_ENTER)
			return emit(out, "\r", alt);
		if (make == 0x35)	/* the keypad's / */
			return emit(out, "/", alt);
		seq = nav_key(make);
		return seq ? emit(out, seq, alt) : 0;
	}
	if (make >= SC_KP_7 && make <= SC_KP_DOT) {
		if (k->num && keypad[make - SC_KP_7] != 0)
			return emit(out, (char[2]){ keypad[make - SC_KP_7], 0 }, alt);
		seq = nav_key(make);
		if (!seq)	/* the keypad's - and + and 5 without Num Lock */
			return make == 0x4a ? emit(out, "-", alt) : make == 0x4e ? emit(out, "+", alt) : 0;
		return emit(out, seq, alt);
	}
	switch (make) {
	case SC_ESC: return emit(out, "\033", alt);
	case SC_BACKSPACE: return emit(out, ctrl ? "\b" : "\177", alt);
	case SC_ENTER: return emit(out, "\r", alt);
	case SC_KP_STAR: return emit(out, "*", alt);
	}
	return make < sizeof(keymap[0]) ? printable(k, make, out, alt) : 0;
}
