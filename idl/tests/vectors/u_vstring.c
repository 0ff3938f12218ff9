/* User-side calls for the vstring vectors, with the outs each case expects. */
#include "harness.h"
#include "user_cases.h"
#include "vstring.h"


static kern_return_t in_fixed_short(void) { return str_in_fixed(0x1064, "device0", 5); }
static kern_return_t in_fixed_full(void) { return str_in_fixed(0x1064, "abcdefghijklmnopqrstuvwxyz01234", -1); }
static kern_return_t in_var_hello(void) { return str_in_var(0x1064, "hello"); }
static kern_return_t in_var_empty(void) { return str_in_var(0x1064, ""); }
static kern_return_t in_var_max(void) { return str_in_var(0x1064, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abc"); }

static kern_return_t in_var_truncated(void)
{
	return str_in_var(0x1064, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmn");
}

static kern_return_t out(void)
{
	label_t fixed = "";
	vstr_t var = "";
	kern_return_t kr = str_out(0x1064, 1, fixed, var);

	EXPECT_STR(fixed, "out-fixed");
	EXPECT_STR(var, "variable-out");
	return kr;
}

static kern_return_t inout(void)
{
	label_t s = "in-string";
	kern_return_t kr = str_inout(0x1064, s);

	EXPECT_STR(s, "OUT-STRING-LONGER");
	return kr;
}

static kern_return_t old(void)
{
	oldname_t t = "";
	kern_return_t kr = str_old(0x1064, "old-style", t);

	EXPECT_STR(t, "reply-old");
	return kr;
}

static kern_return_t mixed(void)
{
	tag12_t tag = { 'T', 'A', 'G', '-', '1', '2', '-', 'C', 'H', 'A', 'R', 'S' };

	return str_mixed(0x1064, -1, "mixed", 0x0123456789abcdefLL, tag, "trailing");
}

const struct ucase ucases[] = {
	{ "str_in_fixed.vec", "short", in_fixed_short },
	{ "str_in_fixed.vec", "full", in_fixed_full },
	{ "str_in_var.vec", "hello", in_var_hello },
	{ "str_in_var.vec", "empty", in_var_empty },
	{ "str_in_var.vec", "max", in_var_max },
	{ "str_in_var.vec", "truncated", in_var_truncated },
	{ "str_out.vec", "basic", out },
	{ "str_inout.vec", "basic", inout },
	{ "str_old.vec", "basic", old },
	{ "str_mixed.vec", "basic", mixed },
	{ NULL, NULL, NULL },
};
