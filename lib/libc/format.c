/* vsnprintf: the formatter behind kernel messages and native tasks' printf. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct out {
	char *buf;
	size_t size;	/* capacity of buf, including the terminator */
	size_t len;	/* characters produced so far (may exceed size) */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	int left, zero, plus, space;
	int width, prec;	/* -1 when absent */
};

static void put_number(struct out *o, const struct spec *sp, uintmax_t v,
		       int negative, unsigned base, int upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, sign = negative || sp->plus || sp->space;
	int zeros, width;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (sp->prec == 0 && n == 1 && tmp[0] == '0')
		n = 0;
	zeros = sp->prec > n ? sp->prec - n : 0;
	width = sp->width - n - zeros - sign;
	if (sp->zero && !sp->left && sp->prec < 0) {
		zeros += width > 0 ? width : 0;
		width = 0;
	}
	if (!sp->left)
		pad(o, ' ', width);
	if (sign)
		put(o, negative ? '-' : sp->plus ? '+' : ' ');
	pad(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		pad(o, ' ', width);
}

static void put_string(struct out *o, const struct spec *sp, const char *s)
{
	size_t n;
	int width;

	if (!s)
		s = "(null)";
	n = sp->prec >= 0 ? strnlen(s, (size_t)sp->prec) : strlen(s);
	width = sp->width - (int)n;
	if (!sp->left)
		pad(o, ' ', width);
	while (n--)
		put(o, *s++);
	if (sp->left)
		pad(o, ' ', width);
}

/* Reads an argument of the given length modifier ('H' = hh, 'q' = ll). */
static uintmax_t get_unsigned(va_list *ap, char len)
{
	switch (len) {
	case 'H': return (unsigned char)va_arg(*ap, unsigned);
	case 'h': return (unsigned short)va_arg(*ap, unsigned);
	case 'l': return va_arg(*ap, unsigned long);
	case 'q': return va_arg(*ap, unsigned long long);
	case 'z': return va_arg(*ap, size_t);
	case 'j': return va_arg(*ap, uintmax_t);
	case 't': return (uintmax_t)va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, unsigned);
	}
}

static intmax_t get_signed(va_list *ap, char len)
{
	switch (len) {
	case 'H': return (signed char)va_arg(*ap, int);
	case 'h': return (short)va_arg(*ap, int);
	case 'l': return va_arg(*ap, long);
	case 'q': return va_arg(*ap, long long);
	case 'z': return (intmax_t)va_arg(*ap, size_t);
	case 'j': return va_arg(*ap, intmax_t);
	case 't': return va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, int);
	}
}

static const char *parse_spec(const char *f, struct spec *sp, char *len, va_list *ap)
{
	*sp = (struct spec){ .width = -1, .prec = -1 };
	for (;; f++) {
		if (*f == '-') sp->left = 1;
		else if (*f == '0') sp->zero = 1;
		else if (*f == '+') sp->plus = 1;
		else if (*f == ' ') sp->space = 1;
		else break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = 1;
			sp->width = -sp->width;
		}
		f++;
	} else {
		for (sp->width = 0; *f >= '0' && *f <= '9'; f++)
			sp->width = sp->width * 10 + (*f - '0');
	}
	if (*f == '.') {
		f++;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			f++;
		} else {
			for (sp->prec = 0; *f >= '0' && *f <= '9'; f++)
				sp->prec = sp->prec * 10 + (*f - '0');
		}
	}
	*len = 0;
	if (f[0] == 'h' && f[1] == 'h') { *len = 'H'; f += 2; }
	else if (f[0] == 'l' && f[1] == 'l') { *len = 'q'; f += 2; }
	else if (*f == 'h' || *f == 'l' || *f == 'z' || *f == 'j' || *f == 't') *len = *f++;
	return f;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct out o = { buf, size, 0 };
	struct spec sp;
	va_list ap;
	char len;

	va_copy(ap, ap_in);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		f = parse_spec(f + 1, &sp, &len, &ap);
		switch (*f) {
		case 'd': case 'i': {
			intmax_t v = get_signed(&ap, len);
			put_number(&o, &sp, v < 0 ? -(uintmax_t)v : (uintmax_t)v, v < 0, 10, 0);
			break;
		}
		case 'u': put_number(&o, &sp, get_unsigned(&ap, len), 0, 10, 0); break;
		case 'x': put_number(&o, &sp, get_unsigned(&ap, len), 0, 16, 0); break;
		case 'X': put_number(&o, &sp, get_unsigned(&ap, len), 0, 16, 1); break;
		case 'o': put_number(&o, &sp, get_unsigned(&ap, len), 0, 8, 0); break;
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_number(&o, &sp, (uintptr_t)va_arg(ap, void *), 0, 16, 0);
			break;
		case 's': put_string(&o, &sp, va_arg(ap, const char *)); break;
		case 'c': put(&o, (char)va_arg(ap, int)); break;
		case '%': put(&o, '%'); break;
		case '\0': f--; break;	/* a lone '%' at the end */
		default: put(&o, '%'); put(&o, *f); break;
		}
	}
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
