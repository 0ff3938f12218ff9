/* User-side calls for the vscalar vectors, with the outs each case expects. */
#include "harness.h"
#include "user_cases.h"
#include "vscalar.h"


static kern_return_t narrow_in(void)
{
	return sc_narrow_in(0x1061, -3, -1234, 0xfe, 0xbeef, 'Q');
}

static kern_return_t wide_in_basic(void)
{
	return sc_wide_in(0x1061, -100000, 0xdeadbeef, -78187493530LL, 0xfedcba9876543210ULL, TRUE);
}

static kern_return_t wide_in_zero(void)
{
	return sc_wide_in(0x1061, 0, 0, 0, 0, FALSE);
}

static kern_return_t wide_in_small(void)	/* negative vectors reuse this call */
{
	return sc_wide_in(0x1061, 1, 2, 3, 4, TRUE);
}

static kern_return_t all_out(void)
{
	int8_t a = 0;
	int16_t b = 0;
	int32_t c = 0;
	int64_t d = 0;
	boolean_t e = 0;
	kern_return_t kr = sc_all_out(0x1061, &a, &b, &c, &d, &e);

	EXPECT_EQ(a, -7);
	EXPECT_EQ(b, 0x7abc);
	EXPECT_EQ(c, -2);
	EXPECT_EQ(d, 0x0102030405060708LL);
	EXPECT_EQ(e, 1);
	return kr;
}

/* The reply was rejected: no out may have been written. */
static kern_return_t all_out_untouched(void)
{
	int8_t a = 0;
	int16_t b = 0;
	int32_t c = 0;
	int64_t d = 0;
	boolean_t e = 0;
	kern_return_t kr = sc_all_out(0x1061, &a, &b, &c, &d, &e);

	EXPECT_EQ(a, 0);
	EXPECT_EQ(b, 0);
	EXPECT_EQ(c, 0);
	EXPECT_EQ(d, 0);
	EXPECT_EQ(e, 0);
	return kr;
}

static kern_return_t inout_mix(void)
{
	int16_t a = 0x1111;
	boolean_t c = FALSE;
	uint64_t d = 0x1000000000ULL;
	uint8_t e = 0;
	char f = 'x';
	kern_return_t kr = sc_inout_mix(0x1061, &a, 0x7fffffffffffffffLL, &c, &d, &e, &f);

	EXPECT_EQ(a, 0x1112);
	EXPECT_EQ(c, 1);
	EXPECT_EQ(d, 0x2000000000ULL);
	EXPECT_EQ(e, 0x3c);
	EXPECT_EQ(f, 0x79);
	return kr;
}

static kern_return_t notify(void)
{
	return sc_notify(0x1061, 77, 0x1122334455667788ULL, '#');
}

static kern_return_t ping(void)
{
	return sc_ping(0x1061);
}

static kern_return_t poke(void)
{
	return sc_poke(0x1061);
}

static kern_return_t checked(int32_t request, int64_t want_result, boolean_t want_flag)
{
	int64_t result = 0x5555;
	boolean_t flag = 0x5555;
	kern_return_t kr = sc_checked(0x1061, request, &result, &flag);

	EXPECT_EQ(result, want_result);
	EXPECT_EQ(flag, want_flag);
	return kr;
}

static kern_return_t checked_success(void) { return checked(1, 0x100000002LL, 1); }
static kern_return_t checked_error(void) { return checked(2, 0x5555, 0x5555); }
static kern_return_t checked_custom(void) { return checked(3, 0x5555, 0x5555); }

static kern_return_t longform(void)
{
	uint32_t wout = 0;
	int64_t qout = 0;
	kern_return_t kr = sc_longform(0x1061, 0x89abcdef, -5, -32768, &wout, &qout);

	EXPECT_EQ(wout, 0x13579bdf);
	EXPECT_EQ(qout, 0x2468ace013579bdfLL);
	return kr;
}

static kern_return_t machine(void)
{
	natural_t nat = 0;
	integer_t integ = 0;
	uintptr_t ptr = 0;
	kern_return_t kr = sc_machine(0x1061, 0x7f0012345000, 0x3000, &nat, &integ, &ptr);

	EXPECT_EQ(nat, 0xfffffffe);
	EXPECT_EQ(integ, -42);
	EXPECT_EQ(ptr, 0x555566667777);
	return kr;
}

const struct ucase ucases[] = {
	{ "sc_narrow_in.vec", "basic", narrow_in },
	{ "sc_wide_in.vec", "basic", wide_in_basic },
	{ "sc_wide_in.vec", "zero", wide_in_zero },
	{ "sc_all_out.vec", "basic", all_out },
	{ "sc_inout_mix.vec", "basic", inout_mix },
	{ "sc_notify.vec", "basic", notify },
	{ "sc_ping.vec", "basic", ping },
	{ "sc_poke.vec", "basic", poke },
	{ "sc_checked.vec", "success", checked_success },
	{ "sc_checked.vec", "error", checked_error },
	{ "sc_checked.vec", "custom-error", checked_custom },
	{ "sc_longform.vec", "basic", longform },
	{ "sc_machine.vec", "basic", machine },
	{ "wrong_descriptor.vec", "wrong_descriptor", wide_in_small },
	{ "short_request.vec", "short_request", wide_in_small },
	{ "unexpected_complex.vec", "unexpected_complex", wide_in_small },
	{ "reply_wrong_descriptor.vec", "reply_wrong_descriptor", all_out_untouched },
	{ "reply_short.vec", "reply_short", all_out_untouched },
	{ "reply_wrong_id.vec", "reply_wrong_id", all_out_untouched },
	{ "reply_send_once_notification.vec", "reply_send_once_notification", all_out_untouched },
	{ NULL, NULL, NULL },
};
