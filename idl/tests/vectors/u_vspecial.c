/* User-side calls for the vspecial vectors: header ports, timeouts, options. */
#include "harness.h"
#include "user_cases.h"
#include "vspecial.h"


static kern_return_t seqno(void)
{
	int32_t b = 0;
	kern_return_t kr = sp_seqno(0x1067, 1, &b);

	EXPECT_EQ(b, 43);
	return kr;
}

static kern_return_t sreply(void)
{
	int32_t b = 0;
	kern_return_t kr = sp_sreply(0x1067, 2, &b);

	EXPECT_EQ(b, 3);
	return kr;
}

static kern_return_t ureply(void)
{
	int32_t b = 0;
	kern_return_t kr = sp_ureply(0x1067, 0xe01, 3, &b);

	EXPECT_EQ(b, 4);
	return kr;
}

static kern_return_t replyport(void) { return sp_replyport(0x1067, 0xe02, 4); }
static kern_return_t waitarg(void) { return sp_waitarg(0x1067, 1000, 5); }
static kern_return_t waitglobal(void) { return sp_waitglobal(0x1067, 6); }
static kern_return_t option(void) { return sp_option(0x1067, MACH_SEND_INTERRUPT | MACH_RCV_INTERRUPT, 7); }
static kern_return_t combo(void) { return sp_combo(0x1067, 0xe03, 8); }

const struct ucase ucases[] = {
	{ "sp_seqno.vec", "basic", seqno },
	{ "sp_sreply.vec", "basic", sreply },
	{ "sp_ureply.vec", "basic", ureply },
	{ "sp_replyport.vec", "basic", replyport },
	{ "sp_waitarg.vec", "basic", waitarg },
	{ "sp_waitglobal.vec", "basic", waitglobal },
	{ "sp_option.vec", "basic", option },
	{ "sp_combo.vec", "basic", combo },
	{ NULL, NULL, NULL },
};
