/* User-side calls for the vtrans vectors: translations are server-side
   only, so the user sees plain ports and handles. */
#include "harness.h"
#include "user_cases.h"
#include "vtrans.h"


static kern_return_t open_basic(void)
{
	vhandle_t handle = 0;
	kern_return_t kr = tr_open(0x6001, 0x80000001, 0755, &handle);

	EXPECT_EQ(handle, 0x705);
	return kr;
}

static kern_return_t lookup(void)
{
	mach_port_t obj = 0;
	vmode_c_t mode = 0;
	kern_return_t kr = tr_lookup(0x1068, 0x703, &obj, &mode);

	EXPECT_EQ(obj, 0x6002);
	EXPECT_EQ(mode, 0644);
	return kr;
}

static kern_return_t close_success(void) { return tr_close(0x6003, 0x704); }
static kern_return_t close_error(void) { return tr_close(0x6003, 0x706); }

const struct ucase ucases[] = {
	{ "tr_open.vec", "basic", open_basic },
	{ "tr_lookup.vec", "basic", lookup },
	{ "tr_close.vec", "success", close_success },
	{ "tr_close.vec", "error", close_error },
	{ NULL, NULL, NULL },
};
