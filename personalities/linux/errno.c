/* The core's error codes (enum uerr) as Linux errno values. */
#include "lx.h"

/* Indexed by enum uerr; every entry of UERR_LIST has the Linux errno of the same name
   (test_lx_fs checks that none is missing). U_ENOTSUP is Linux's EOPNOTSUPP. */
static const int lx_errno[U_NERR] = {
	[U_OK] = 0,
#define LX_ERRNO_ENTRY(name) [U_##name] = LINUX_##name,
	UERR_LIST(LX_ERRNO_ENTRY)
#undef LX_ERRNO_ENTRY
};

long lx_err(long core_result)
{
	long e;

	if (core_result >= 0)
		return core_result;
	/* Results already in Linux's terms (the server's own codes) pass through. */
	if (core_result == LX_BLOCK || core_result == LX_NOREPLY)
		return core_result;
	e = -core_result;
	if (e >= U_NERR || lx_errno[e] == 0)
		return -LINUX_EIO;	/* not a core code: a bug, reported as an I/O error */
	return -lx_errno[e];
}
