/*
 * Per-process state of sys_misc.c and sys_time.c that struct lx_proc does not hold:
 * kept in a side list keyed by the process (and its pid and start time, so that a
 * reused structure is not mistaken for the old process).
 */
#ifndef _LX_SYS_MISC_H_
#define _LX_SYS_MISC_H_

#include "lx.h"

struct lx_itimer {
	uint64_t value_ns;		/* ITIMER_VIRTUAL/PROF: stored, never run */
	uint64_t interval_ns;
};

struct lx_pmisc {
	struct lx_pmisc *next;
	struct lx_proc *proc;
	int pid;
	uint64_t start_ns;
	int nice;			/* -20..19 */
	int pdeathsig;			/* prctl(PR_SET_PDEATHSIG) */
	struct lx_timer alarm;		/* ITIMER_REAL */
	uint64_t alarm_interval;	/* ns; 0: one-shot */
	struct lx_itimer virt, prof;
};

/* p's record; created (zeroed) if there is none. NULL only when out of memory with
   create set. */
struct lx_pmisc *lx_pmisc(struct lx_proc *p, bool create);

/* ITIMER_REAL's expiry: SIGALRM, then the next period (sys_time.c). */
void lx_alarm_fire(void *arg);

#endif
