/* The table each u_<interface>.c provides: one call per vector case. */
#ifndef USER_CASES_H
#define USER_CASES_H

#include <mach/kern_return.h>

struct ucase {
	const char *file;	/* vector file name, e.g. "sc_wide_in.vec" */
	const char *name;	/* case name */
	kern_return_t (*call)(void);	/* calls the stub, checks the outs */
};

extern const struct ucase ucases[];

#endif
