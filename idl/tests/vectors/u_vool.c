/* User-side calls for the vool vectors, with the outs each case expects. */
#include "harness.h"
#include "user_cases.h"
#include "vool.h"


static kern_return_t send_basic(void)
{
	int32_t data[] = { 1, 2, 3, 4, 5 };

	return ool_send(0x1063, data, 5, 0x77);
}

static kern_return_t send_empty(void)
{
	int32_t data[1] = { 0 };

	return ool_send(0x1063, data, 0, 0);
}

static kern_return_t give(void)
{
	static char data[] = "give me away";

	return ool_give(0x1063, data, 12);
}

static kern_return_t maybe(boolean_t dealloc)
{
	static uint64_t data[] = { 0x1111111111111111ULL, 0x2222222222222222ULL, 0x8000000000000001ULL };

	return ool_maybe(0x1063, data, 3, dealloc);
}

static kern_return_t maybe_true(void) { return maybe(TRUE); }
static kern_return_t maybe_false(void) { return maybe(FALSE); }

static kern_return_t fetch_six(void)
{
	oolints_t data = NULL;
	mach_msg_type_number_t cnt = 0;
	kern_return_t kr = ool_fetch(0x1063, 6, &data, &cnt);

	EXPECT_EQ(cnt, 6);
	if (data)
		EXPECT_MEM(data, "000100000101000002010000030100000401000005010000");
	else
		hfail("data is NULL");
	return kr;
}

static kern_return_t fetch_zero(void)
{
	oolints_t data = (oolints_t)1;
	mach_msg_type_number_t cnt = 99;
	kern_return_t kr = ool_fetch(0x1063, 0, &data, &cnt);

	EXPECT_EQ(cnt, 0);
	EXPECT_EQ((uintptr_t)data, 0);
	return kr;
}

static kern_return_t fetch_gift(void)
{
	oolchars_t data = NULL;
	mach_msg_type_number_t cnt = 0;
	int32_t len = 0;
	kern_return_t kr = ool_fetch_gift(0x1063, &data, &cnt, &len);

	EXPECT_EQ(cnt, 18);
	EXPECT_EQ(len, 18);
	if (data)
		EXPECT_MEM(data, "7365727665722d6f776e6564207465787421");
	else
		hfail("data is NULL");
	return kr;
}

static kern_return_t both(void)
{
	static uint64_t input[] = { 1, 0x100, 0x10000, 0xff00000000000000ULL };
	oolquads_t output = NULL;
	mach_msg_type_number_t cnt = 0;
	kern_return_t kr = ool_both(0x1063, input, 4, &output, &cnt);

	EXPECT_EQ(cnt, 2);
	if (output)
		EXPECT_MEM(output, "01010100000000ff01010100000000ff");
	else
		hfail("output is NULL");
	return kr;
}

static kern_return_t post(void)
{
	static char data[] = "0123456789";

	return ool_post(0x1063, 9, (vm_offset_t)data, 10);
}

const struct ucase ucases[] = {
	{ "ool_send.vec", "basic", send_basic },
	{ "ool_send.vec", "empty", send_empty },
	{ "ool_give.vec", "basic", give },
	{ "ool_maybe.vec", "dealloc-true", maybe_true },
	{ "ool_maybe.vec", "dealloc-false", maybe_false },
	{ "ool_fetch.vec", "six", fetch_six },
	{ "ool_fetch.vec", "zero", fetch_zero },
	{ "ool_fetch_gift.vec", "basic", fetch_gift },
	{ "ool_both.vec", "basic", both },
	{ "ool_post.vec", "basic", post },
	{ NULL, NULL, NULL },
};
