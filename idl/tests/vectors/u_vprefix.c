/* User-side calls for the vprefix vectors: stub names carry the userprefix. */
#include "harness.h"
#include "user_cases.h"
#include "vprefix.h"


static kern_return_t first(void)
{
	int32_t b = 0;
	kern_return_t kr = call_pf_first(0x1066, 21, &b);

	EXPECT_EQ(b, 42);
	return kr;
}

static kern_return_t second(void) { return call_pf_second(0x1066, 0x0102030405060708LL); }

static kern_return_t third(void)
{
	int32_t v = 100;
	kern_return_t kr = ask_pf_third(0x1066, &v);

	EXPECT_EQ(v, -100);
	return kr;
}

static kern_return_t fourth(void) { return ask_pf_fourth(0x1066); }

const struct ucase ucases[] = {
	{ "pf_first.vec", "basic", first },
	{ "pf_second.vec", "basic", second },
	{ "pf_third.vec", "basic", third },
	{ "pf_fourth.vec", "basic", fourth },
	{ NULL, NULL, NULL },
};
