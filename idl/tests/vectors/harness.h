/* Shared by the vector checkers: the case being run, expectations that
   name what differs, and the runtime-call event log. */
#ifndef HARNESS_H
#define HARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <mach/message.h>
#include <mach/mig_errors.h>

#include "vecfile.h"

#define REPLY_PORT 0x00000b0bu	/* what mig_get_reply_port returns */

extern const char *const iface;		/* set by the interface's test file */
extern const struct vcase *hcase;	/* the case being run */
extern const struct vfile *hfile;

bool is_case(const char *routine, const char *name);

void hexpect(bool ok, const char *file, int line, const char *what, long long got, long long want);
void hexpect_mem(const char *file, int line, const char *what, const void *got, const char *hex);
void hfail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define EXPECT_EQ(got, want) \
	hexpect((long long)(got) == (long long)(want), __FILE__, __LINE__, #got, \
		(long long)(got), (long long)(want))
/* Compare memory with a hex string such as "4142ff". */
#define EXPECT_MEM(got, hex) hexpect_mem(__FILE__, __LINE__, #got, (got), (hex))
#define EXPECT_STR(got, want) \
	do { if (strcmp((got), (want)) != 0) \
		hfail("%s:%d: %s is \"%s\", want \"%s\"", __FILE__, __LINE__, #got, (got), (want)); \
	} while (0)

void hevent(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void hevents_reset(void);
/* Compare logged events with the case's `events:` line, keeping only the
   events whose first word passes keep(). */
void hevents_check(bool (*keep)(const char *word));

/* Fill a message buffer from a vector message: don't-care bytes get
   `fill`, RR the reply port, PP a fresh copy of the out-of-line data. */
void hbuild(const struct vmsg *m, unsigned char *buf, unsigned char fill);
/* Compare a message we produced with the vector's (size included). */
void hcompare(const char *what, const struct vmsg *m, const unsigned char *buf, unsigned size);

/* For a REFERENCE BUG vector: the request our user stub sent (the bytes
   are checked by the case's driver against the correct layout). */
extern unsigned char hsent[8192];
extern unsigned hsent_size;

int hrun_all(const char *vecdir, bool (*runnable)(const struct vfile *, const struct vcase *),
	     void (*run)(const struct vfile *, const struct vcase *));

#endif
