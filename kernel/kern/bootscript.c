/* Boot-script and kernel command-line parsing (see kern/bootscript.h). */
#include <stdio.h>
#include <string.h>
#include <kern/bootscript.h>

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* "$(fn)" or "$(var=fn)": fills f; 0 if the word is such a call, -1 if malformed. */
static int parse_func(const char *w, size_t len, struct bs_func *f, char *err, size_t errsz)
{
	const char *body = w + 2, *eq;
	size_t blen = len - 3;

	if (len < 4 || w[len - 1] != ')') {
		snprintf(err, errsz, "unterminated function call '%.*s'", (int)len, w);
		return -1;
	}
	eq = memchr(body, '=', blen);
	if (eq) {
		size_t vlen = (size_t)(eq - body);
		if (vlen == 0 || vlen >= BS_NAME_MAX) {
			snprintf(err, errsz, "bad variable name in '%.*s'", (int)len, w);
			return -1;
		}
		memcpy(f->var, body, vlen);
		f->var[vlen] = '\0';
		blen -= vlen + 1;
		body = eq + 1;
	} else {
		f->var[0] = '\0';
	}
	if (blen == 0 || blen >= BS_NAME_MAX) {
		snprintf(err, errsz, "bad function name in '%.*s'", (int)len, w);
		return -1;
	}
	memcpy(f->name, body, blen);
	f->name[blen] = '\0';
	return 0;
}

int bootscript_parse(const char *line, struct bs_line *out, char *err, size_t errsz)
{
	size_t used = 0;
	const char *p = line;

	memset(out, 0, sizeof(*out));
	while (is_blank(*p))
		p++;
	if (*p == '#') {
		out->comment = 1;
		return 0;
	}
	while (*p) {
		const char *w = p;
		size_t len;

		while (*p && !is_blank(*p))
			p++;
		len = (size_t)(p - w);
		while (is_blank(*p))
			p++;
		if (len >= 2 && w[0] == '$' && w[1] == '(') {
			if (out->nfuncs == BS_MAX_FUNCS) {
				snprintf(err, errsz, "more than %d function calls", BS_MAX_FUNCS);
				return -1;
			}
			if (parse_func(w, len, &out->funcs[out->nfuncs++], err, errsz) < 0)
				return -1;
			continue;
		}
		if (out->argc == BS_MAX_ARGS || used + len + 1 > sizeof(out->buf)) {
			snprintf(err, errsz, "too many or too long arguments");
			return -1;
		}
		out->argv[out->argc++] = memcpy(out->buf + used, w, len);
		out->buf[used + len] = '\0';
		used += len + 1;
	}
	return 0;
}

int bootscript_expand(const char *word, bs_lookup_t lookup, void *ctx,
		      char *out, size_t size, char *err, size_t errsz)
{
	size_t n = 0;

	for (const char *p = word; *p; ) {
		char name[BS_NAME_MAX], value[256];
		const char *end;
		size_t vlen;

		if (p[0] != '$' || p[1] != '{') {
			if (n + 1 >= size)
				goto too_long;
			out[n++] = *p++;
			continue;
		}
		end = strchr(p + 2, '}');
		if (!end) {
			snprintf(err, errsz, "unterminated variable in '%s'", word);
			return -1;
		}
		if (end == p + 2 || (size_t)(end - p - 2) >= sizeof(name)) {
			snprintf(err, errsz, "bad variable name in '%s'", word);
			return -1;
		}
		memcpy(name, p + 2, (size_t)(end - p - 2));
		name[end - p - 2] = '\0';
		if (lookup(ctx, name, value, sizeof(value)) < 0) {
			snprintf(err, errsz, "undefined variable '%s'", name);
			return -1;
		}
		vlen = strlen(value);
		if (n + vlen + 1 > size)
			goto too_long;
		memcpy(out + n, value, vlen);
		n += vlen;
		p = end + 1;
	}
	out[n] = '\0';
	return 0;
too_long:
	snprintf(err, errsz, "argument too long: '%s'", word);
	return -1;
}

/* Calls fn on every blank-separated word of s until it returns nonzero. */
static int for_each_word(const char *s, int (*fn)(const char *w, size_t len, void *arg), void *arg)
{
	while (s && *s) {
		const char *w;

		while (is_blank(*s))
			s++;
		w = s;
		while (*s && !is_blank(*s))
			s++;
		if (s > w && fn(w, (size_t)(s - w), arg))
			return 1;
	}
	return 0;
}

struct kv_search {
	const char *key;
	char *out;
	size_t size;
};

static int match_key(const char *w, size_t len, void *arg)
{
	struct kv_search *k = arg;
	size_t klen = strlen(k->key), vlen;

	if (len <= klen || w[klen] != '=' || strncmp(w, k->key, klen) != 0)
		return 0;
	vlen = len - klen - 1;
	if (vlen >= k->size)
		vlen = k->size - 1;
	memcpy(k->out, w + klen + 1, vlen);
	k->out[vlen] = '\0';
	return 1;
}

int cmdline_value(const char *cmdline, const char *key, char *out, size_t size)
{
	struct kv_search k = { key, out, size };

	return for_each_word(cmdline, match_key, &k) ? 0 : -1;
}

struct flags {
	char *out;
	size_t size, n;
};

static int add_flags(const char *w, size_t len, void *arg)
{
	struct flags *f = arg;

	if (len < 2 || w[0] != '-' || w[1] == '-')
		return 0;
	for (size_t i = 1; i < len && f->n + 1 < f->size; i++)
		f->out[f->n++] = w[i];
	return 0;
}

void cmdline_boot_args(const char *cmdline, char *out, size_t size)
{
	struct flags f = { out, size, 1 };

	out[0] = '-';
	for_each_word(cmdline, add_flags, &f);
	if (f.n == 1 && size > 2)
		out[f.n++] = 'x';
	out[f.n] = '\0';
}

void cmdline_root_device(const char *cmdline, char *out, size_t size)
{
	char value[128];

	if (cmdline_value(cmdline, "root", value, sizeof(value)) < 0) {
		snprintf(out, size, "UNKNOWN");
		return;
	}
	snprintf(out, size, "%s", strncmp(value, "/dev/", 5) == 0 ? value + 5 : value);
}
