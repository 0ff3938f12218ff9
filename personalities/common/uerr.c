/* Names of the core's error codes, and the clock timestamps come from. */
#include "ucore.h"

static const char *const uerr_names[U_NERR] = {
	[U_OK] = "OK",
#define UERR_NAME(name) [U_##name] = #name,
	UERR_LIST(UERR_NAME)
#undef UERR_NAME
};

const char *uerr_name(long err)
{
	if (err < 0)
		err = -err;
	if (err >= U_NERR)
		return "?";
	return uerr_names[err];
}

static void (*clock_fn)(struct utimespec *ts);

void ucore_set_clock(void (*now)(struct utimespec *ts))
{
	clock_fn = now;
}

void ucore_now(struct utimespec *ts)
{
	ts->sec = 0;
	ts->nsec = 0;
	if (clock_fn)
		clock_fn(ts);
}
