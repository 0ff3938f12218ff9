/* User-side calls for the varray vectors, with the outs each case expects. */
#include <stdlib.h>

#include "harness.h"
#include "user_cases.h"
#include "varray.h"


static kern_return_t fixed_in(void)
{
	tri16_t a = { 1, -2, 0x7fff };
	name8_t b = { 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H' };
	pair64_t c = { 0x1122334455667788LL, -1 };
	bytes5_t d = { 0xde, 0xad, 0xbe, 0xef, 0x01 };

	return ar_fixed_in(0x1062, a, b, c, d);
}

static kern_return_t fixed_out(void)
{
	tri16_t a = { 0 };
	pair64_t b = { 0 };
	name8_t c = { 'i', 'n', 'o', 'u', 't', '-', 'i', 'n' };
	kern_return_t kr = ar_fixed_out(0x1062, a, b, c);

	EXPECT_EQ(a[0], 10);
	EXPECT_EQ(a[1], 20);
	EXPECT_EQ(a[2], 30);
	EXPECT_EQ(b[0], -10);
	EXPECT_EQ(b[1], 0xbadf00d0badf00dLL);
	EXPECT_MEM(c, "6e692d74756f6e69");
	return kr;
}

static kern_return_t var_in_typical(void)
{
	uint32_t a[] = { 1, 2, 3 };

	return ar_var_in(0x1062, a, 3, "xyz", 3, 0x12345678, "tail", 4);
}

static kern_return_t var_in_empty(void)
{
	uint32_t a[1] = { 0 };

	return ar_var_in(0x1062, a, 0, "", 0, -1, "", 0);
}

static kern_return_t var_in_max(void)
{
	uint32_t a[] = { 1, 2, 3, 4, 5, 6 };

	return ar_var_in(0x1062, a, 6, "abcdefghijklmnopqrstuvwx", 24, 7, "0123456789abc", 13);
}

static kern_return_t var_in_too_large(void)
{
	uint32_t a[] = { 1, 2, 3, 4, 5, 6, 7 };

	return ar_var_in(0x1062, a, 7, "xyz", 3, 0, "tail", 4);
}

static kern_return_t var_out(int32_t want, mach_msg_type_number_t cap, mach_msg_type_number_t want_cnt,
			     const char *want_a)
{
	int16_t s = 0;
	uint32_t a[6] = { 0 };
	mach_msg_type_number_t cnt = cap;
	kern_return_t kr = ar_var_out(0x1062, want, &s, a, &cnt);

	EXPECT_EQ(s, -5);
	EXPECT_EQ(cnt, want_cnt);
	EXPECT_MEM(a, want_a);
	return kr;
}

static kern_return_t var_out_three(void)
{
	return var_out(3, 6, 3, "000000a0010000a0020000a0000000000000000000000000");
}

static kern_return_t var_out_zero(void)
{
	return var_out(0, 6, 0, "000000000000000000000000000000000000000000000000");
}

static kern_return_t var_out_small(void)
{
	return var_out(5, 2, 5, "000000a0010000a0" "00000000000000000000000000000000");
}

static kern_return_t tail_out(int32_t want, const char *want_a)
{
	int16_t a[10] = { 0 };
	mach_msg_type_number_t cnt = 10;
	kern_return_t kr = ar_var_tail_out(0x1062, want, a, &cnt);

	EXPECT_EQ(cnt, want);
	EXPECT_MEM(a, want_a);
	return kr;
}

static kern_return_t tail_five(void)
{
	return tail_out(5, "9cff38ffd4fe70fe0cfe00000000000000000000");
}

static kern_return_t tail_max(void)
{
	return tail_out(10, "9cff38ffd4fe70fe0cfea8fd44fde0fc7cfc18fc");
}

static kern_return_t unbounded_in(mach_msg_type_number_t n, int32_t b)
{
	static int32_t a[600];
	mach_msg_type_number_t i;

	for (i = 0; i < 600; i++)
		a[i] = 0x10000 + (int32_t)i;
	return ar_unbounded_in(0x1062, a, n, b);
}

static kern_return_t unbounded_small(void) { return unbounded_in(3, -9); }
static kern_return_t unbounded_empty(void) { return unbounded_in(0, 1); }
static kern_return_t unbounded_edge(void) { return unbounded_in(512, 2); }
static kern_return_t unbounded_ool(void) { return unbounded_in(513, 3); }

static kern_return_t unbounded_out(int32_t want, mach_msg_type_number_t cap, bool same_buffer)
{
	int32_t buf[8] = { 0 }, *a = buf;
	mach_msg_type_number_t cnt = cap, i;
	kern_return_t kr = ar_unbounded_out(0x1062, want, &a, &cnt);

	EXPECT_EQ(a == buf, same_buffer);
	EXPECT_EQ(cnt, want);
	for (i = 0; i < cnt && kr == KERN_SUCCESS; i++)
		EXPECT_EQ(a[i], 0x20000 + (int32_t)i);
	return kr;
}

static kern_return_t unbounded_fits(void) { return unbounded_out(4, 8, true); }
static kern_return_t unbounded_allocates(void) { return unbounded_out(12, 2, false); }
static kern_return_t unbounded_out_ool(void) { return unbounded_out(600, 8, false); }

static kern_return_t structs(void)
{
	rec_t a, b;
	trio_t t = { { 7, 8, 9 } };
	kern_return_t kr;

	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	a.id = 0x0102030405060708LL;
	a.tag = -2;
	a.flag = 'z';
	kr = ar_struct(0x1062, a, t, &b);
	EXPECT_EQ(b.id, -1);
	EXPECT_EQ(b.tag, 0x1234);
	EXPECT_EQ(b.flag, 0x6b);
	return kr;
}

static kern_return_t countinout(mach_msg_type_number_t cap, mach_msg_type_number_t want, const char *hex)
{
	uint32_t a[6] = { 0 };
	mach_msg_type_number_t cnt = cap;
	kern_return_t kr = ar_countinout(0x1062, a, &cnt);

	EXPECT_EQ(cnt, want);
	EXPECT_MEM(a, hex);
	return kr;
}

static kern_return_t count_4(void)
{
	return countinout(4, 4, "c0000000c1000000c2000000c3000000" "0000000000000000");
}

static kern_return_t count_clamped(void)
{
	return countinout(9, 6, "c0000000c1000000c2000000c3000000c4000000c5000000");
}

/* The vector shows GNU MIG's broken layout; check the correct one. */
static kern_return_t odd_then_int(const char *a, mach_msg_type_number_t n)
{
	kern_return_t kr = ar_odd_then_int(0x1062, a, n, 0x0a0b0c0d);
	unsigned b_item = 32 + 8 + ((n + 7) & ~7u);
	uint32_t word, number, b;

	EXPECT_EQ(hsent_size, b_item + 16);
	memcpy(&word, hsent + 32, 4);
	memcpy(&number, hsent + 36, 4);
	EXPECT_EQ(word, 0x20000808);	/* CHAR, 8 bits, in line */
	EXPECT_EQ(number, n);
	EXPECT_MEM(hsent + 40, n == 3 ? "616263" : "4142434445464748494a4b4c4d4e4f5051525354");
	memcpy(&word, hsent + b_item, 4);
	memcpy(&b, hsent + b_item + 8, 4);
	EXPECT_EQ(word, 0x20002002);	/* INTEGER_32, 32 bits, in line */
	EXPECT_EQ(b, 0x0a0b0c0d);
	return kr;
}

static kern_return_t odd_short(void) { return odd_then_int("abc", 3); }
static kern_return_t odd_max(void) { return odd_then_int("ABCDEFGHIJKLMNOPQRST", 20); }

const struct ucase ucases[] = {
	{ "ar_fixed_in.vec", "basic", fixed_in },
	{ "ar_fixed_out.vec", "basic", fixed_out },
	{ "ar_var_in.vec", "typical", var_in_typical },
	{ "ar_var_in.vec", "empty", var_in_empty },
	{ "ar_var_in.vec", "max", var_in_max },
	{ "ar_var_in.vec", "too-large", var_in_too_large },
	{ "ar_var_out.vec", "three", var_out_three },
	{ "ar_var_out.vec", "zero", var_out_zero },
	{ "ar_var_out.vec", "small-buffer", var_out_small },
	{ "ar_var_tail_out.vec", "five", tail_five },
	{ "ar_var_tail_out.vec", "max", tail_max },
	{ "ar_unbounded_in.vec", "small", unbounded_small },
	{ "ar_unbounded_in.vec", "empty", unbounded_empty },
	{ "ar_unbounded_in.vec", "edge-inline", unbounded_edge },
	{ "ar_unbounded_in.vec", "out-of-line", unbounded_ool },
	{ "ar_unbounded_out.vec", "fits", unbounded_fits },
	{ "ar_unbounded_out.vec", "allocates", unbounded_allocates },
	{ "ar_unbounded_out.vec", "out-of-line", unbounded_out_ool },
	{ "ar_struct.vec", "basic", structs },
	{ "ar_countinout.vec", "capacity-4", count_4 },
	{ "ar_countinout.vec", "capacity-clamped", count_clamped },
	{ "ar_odd_then_int.vec", "short", odd_short },
	{ "ar_odd_then_int.vec", "max", odd_max },
	{ NULL, NULL, NULL },
};
