/*
 * GNU Mach boot scripts (ABI section 13): each GRUB module's command line is one
 * line. Words are separated by blanks; the first word is argv[0]. `${var}` in a
 * word is replaced by the variable's value (text around it is kept); a word
 * `$(fn)` or `$(var=fn)` calls a function and is not an argument. Lines starting
 * with '#' are comments. Pure logic, so the parser is unit-tested on the host.
 */
#ifndef _KERN_BOOTSCRIPT_H_
#define _KERN_BOOTSCRIPT_H_

#include <stddef.h>

#define BS_MAX_ARGS	32
#define BS_MAX_FUNCS	8
#define BS_NAME_MAX	32
#define BS_BUF_SIZE	2048

struct bs_func {
	char var[BS_NAME_MAX];	/* empty when the result is not stored */
	char name[BS_NAME_MAX];
};

struct bs_line {
	int comment;		/* the whole line is a comment */
	int argc;
	char *argv[BS_MAX_ARGS];	/* raw words, ${...} not yet expanded */
	int nfuncs;
	struct bs_func funcs[BS_MAX_FUNCS];
	char buf[BS_BUF_SIZE];	/* storage for argv */
};

/* Splits a line into words and function calls. 0, or -1 with a message in err. */
int bootscript_parse(const char *line, struct bs_line *out, char *err, size_t errsz);

/*
 * Value of a variable: writes it to out and returns 0, or returns -1 if undefined.
 * Port-valued variables are resolved by the caller (which inserts the right).
 */
typedef int (*bs_lookup_t)(void *ctx, const char *name, char *out, size_t size);

/* Expands every ${var} of word into out. 0, or -1 with a message in err. */
int bootscript_expand(const char *word, bs_lookup_t lookup, void *ctx,
		      char *out, size_t size, char *err, size_t errsz);

/* The value of the first `key=value` word of a kernel command line; 0 if found. */
int cmdline_value(const char *cmdline, const char *key, char *out, size_t size);
/* ${boot-args}: "-" and the letters of every "-x" word ("-x" when there are none). */
void cmdline_boot_args(const char *cmdline, char *out, size_t size);
/* ${root-device}: root= without a leading "/dev/", or "UNKNOWN". */
void cmdline_root_device(const char *cmdline, char *out, size_t size);

#endif /* _KERN_BOOTSCRIPT_H_ */
