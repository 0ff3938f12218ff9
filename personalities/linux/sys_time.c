/*
 * Time: the clocks (clock_gettime and friends), sleeping (nanosleep,
 * clock_nanosleep), alarm and the interval timers, times and getrusage.
 *
 * A sleep parks the thread with lx_block until its deadline; the deadline is
 * computed on the first run and kept in t->scratch[0], so a re-run after a wake that
 * was not for it sleeps on to the same point. A signal ends the sleep with EINTR and
 * the time left. CLOCK_MONOTONIC and BOOTTIME are lx_now_ns() (nothing is suspended
 * here, so they agree); CPU clocks read the task's and thread's times from Mach.
 */
#include <string.h>
#include <mach/mach_interface.h>

#include "lx.h"
#include "sys_misc.h"

#define NS		1000000000ull
#define LINUX_CLOCK_TAI		11
#define LINUX_ITIMER_REAL	0
#define LINUX_ITIMER_VIRTUAL	1
#define LINUX_ITIMER_PROF	2
#define LINUX_RUSAGE_THREAD	1
#define LINUX_CLK_TCK		100	/* AT_CLKTCK: times() counts in these */
#define MACH_TASK_BASIC_INFO	1	/* 30 words; user/system time64 at words 18, 22 */
#define MACH_THREAD_BASIC_INFO	1	/* 32 words; user/system time64 at words 20, 24 */

struct linux_itimerval {
	struct linux_timeval it_interval;
	struct linux_timeval it_value;
};

struct linux_tms {
	int64_t tms_utime, tms_stime, tms_cutime, tms_cstime;
};

static struct linux_timespec ns_to_ts(uint64_t ns)
{
	return (struct linux_timespec){ (int64_t)(ns / NS), (int64_t)(ns % NS) };
}

static struct linux_timeval ns_to_tv(uint64_t ns)
{
	return (struct linux_timeval){ (int64_t)(ns / NS), (int64_t)(ns % NS / 1000) };
}

/* A timespec as nanoseconds; false if it is not a valid duration or time. */
static bool ts_to_ns(const struct linux_timespec *ts, uint64_t *ns)
{
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= (int64_t)NS)
		return false;
	if ((uint64_t)ts->tv_sec > (UINT64_MAX - NS) / NS)
		*ns = UINT64_MAX / 2;	/* "for ever": far beyond any uptime */
	else
		*ns = (uint64_t)ts->tv_sec * NS + (uint64_t)ts->tv_nsec;
	return true;
}

static bool tv_to_ns(const struct linux_timeval *tv, uint64_t *ns)
{
	struct linux_timespec ts = { tv->tv_sec, tv->tv_usec * 1000 };

	if (tv->tv_usec < 0 || tv->tv_usec >= 1000000)
		return false;
	return ts_to_ns(&ts, ns);
}

static uint64_t realtime_ns(void)
{
	struct linux_timespec ts;

	lx_realtime(&ts);
	return ts.tv_sec < 0 ? 0 : (uint64_t)ts.tv_sec * NS + (uint64_t)ts.tv_nsec;
}

static uint64_t time64_ns(const integer_t *w)
{
	int64_t s, n;

	memcpy(&s, w, 8);
	memcpy(&n, w + 2, 8);
	return s < 0 || n < 0 ? 0 : (uint64_t)s * NS + (uint64_t)n;
}

/* CPU time (user + system) of the process, or the running time if Mach will not say. */
uint64_t lx_proc_cpu_ns(struct lx_proc *p, uint64_t *user, uint64_t *sys)
{
	integer_t info[30];
	mach_msg_type_number_t n = 30;

	if (p->state == LX_ZOMBIE || p->task == MACH_PORT_NULL) {
		*user = p->exit_user_ns;
		*sys = p->exit_sys_ns;
	} else if (task_info(p->task, MACH_TASK_BASIC_INFO, info, &n) == KERN_SUCCESS && n >= 30) {
		*user = time64_ns(info + 18);
		*sys = time64_ns(info + 22);
	} else {
		*user = lx_now_ns() - p->start_ns;
		*sys = 0;
	}
	return *user + *sys;
}

static uint64_t thread_cpu_ns(struct lx_thread *t, uint64_t *user, uint64_t *sys)
{
	integer_t info[32];
	mach_msg_type_number_t n = 32;

	if (thread_info(t->thread, MACH_THREAD_BASIC_INFO, info, &n) == KERN_SUCCESS &&
	    n >= 32) {
		*user = time64_ns(info + 20);
		*sys = time64_ns(info + 24);
		return *user + *sys;
	}
	return lx_proc_cpu_ns(t->proc, user, sys);
}

/* The clock's time now in ns: 0 or -EINVAL for a clock that does not exist. */
static long clock_now(struct lx_thread *t, uint64_t id, uint64_t *ns)
{
	uint64_t u, s;

	switch (id) {
	case LINUX_CLOCK_REALTIME:
	case LINUX_CLOCK_REALTIME_COARSE:
	case LINUX_CLOCK_TAI:
		*ns = realtime_ns();
		return 0;
	case LINUX_CLOCK_MONOTONIC:
	case LINUX_CLOCK_MONOTONIC_RAW:
	case LINUX_CLOCK_MONOTONIC_COARSE:
	case LINUX_CLOCK_BOOTTIME:
		*ns = lx_now_ns();
		return 0;
	case LINUX_CLOCK_PROCESS_CPUTIME_ID:
		*ns = lx_proc_cpu_ns(t->proc, &u, &s);
		return 0;
	case LINUX_CLOCK_THREAD_CPUTIME_ID:
		*ns = thread_cpu_ns(t, &u, &s);
		return 0;
	default:
		return -LINUX_EINVAL;	/* other clocks, and per-pid CPU clocks (< 0) */
	}
}

LX_SYSCALL(clock_gettime)
{
	struct linux_timespec ts;
	uint64_t ns;
	long r = clock_now(t, a[0], &ns);

	if (r < 0)
		return r;
	ts = ns_to_ts(ns);
	return lx_copyout(t->proc, a[1], &ts, sizeof(ts));
}

LX_SYSCALL(clock_getres)
{
	struct linux_timespec res = { 0, 1 };
	uint64_t ns;
	long r = clock_now(t, a[0], &ns);

	if (r < 0)
		return r;
	if (a[0] == LINUX_CLOCK_REALTIME_COARSE || a[0] == LINUX_CLOCK_MONOTONIC_COARSE)
		res.tv_nsec = 4000000;	/* one tick at Linux's usual 250 Hz */
	return a[1] ? lx_copyout(t->proc, a[1], &res, sizeof(res)) : 0;
}

LX_SYSCALL(gettimeofday)
{
	struct linux_timeval tv = ns_to_tv(realtime_ns());
	uint32_t tz[2] = { 0, 0 };	/* UTC, no DST */
	int r = 0;

	if (a[0])
		r = lx_copyout(t->proc, a[0], &tv, sizeof(tv));
	if (r == 0 && a[1])
		r = lx_copyout(t->proc, a[1], tz, sizeof(tz));
	return r;
}

LX_SYSCALL(time)
{
	int64_t now = (int64_t)(realtime_ns() / NS);

	if (a[0]) {
		int r = lx_copyout(t->proc, a[0], &now, sizeof(now));
		if (r < 0)
			return r;
	}
	return now;
}

/* The wall clock belongs to the host: nobody here sets it. */
LX_SYSCALL(settimeofday)
{
	(void)t;
	(void)a;
	return -LINUX_EPERM;
}

LX_SYSCALL(clock_settime)
{
	uint64_t ns;

	if (clock_now(t, a[0], &ns) < 0)
		return -LINUX_EINVAL;
	return -LINUX_EPERM;
}

/*
 * Sleeps until deadline (lx_now_ns time): 0 when it has passed, LX_BLOCK while it
 * has not, -EINTR (with the time left at rem_addr, if given) when a signal comes.
 */
static long sleep_until(struct lx_thread *t, uint64_t deadline, uint64_t rem_addr)
{
	uint64_t now = lx_now_ns();

	if (now >= deadline)
		return 0;
	if (lx_signal_pending(t)) {
		if (rem_addr) {
			struct linux_timespec rem = ns_to_ts(deadline - now);
			int r = lx_copyout(t->proc, rem_addr, &rem, sizeof(rem));
			if (r < 0)
				return r;
		}
		return -LINUX_EINTR;
	}
	return lx_block(t, LX_EV_SIGNAL, deadline);
}

/* The deadline of a relative sleep of req, from now (clamped, never 0). */
static uint64_t after(uint64_t req)
{
	uint64_t now = lx_now_ns();

	return req > UINT64_MAX / 2 - now ? UINT64_MAX / 2 : now + req;
}

LX_SYSCALL(nanosleep)
{
	struct linux_timespec req;
	uint64_t ns;

	if (t->first) {
		int r = lx_copyin(t->proc, a[0], &req, sizeof(req));
		if (r < 0)
			return r;
		if (!ts_to_ns(&req, &ns))
			return -LINUX_EINVAL;
		t->scratch[0] = after(ns);
	}
	return sleep_until(t, t->scratch[0], a[1]);
}

LX_SYSCALL(clock_nanosleep)
{
	uint64_t id = a[0], flags = a[1], ns, now;
	struct linux_timespec req;

	if (t->first) {
		int r;

		if (id == LINUX_CLOCK_THREAD_CPUTIME_ID || id == LINUX_CLOCK_PROCESS_CPUTIME_ID)
			return -LINUX_EOPNOTSUPP;	/* no sleeping on CPU time */
		if (clock_now(t, id, &now) < 0)
			return -LINUX_EINVAL;
		r = lx_copyin(t->proc, a[2], &req, sizeof(req));
		if (r < 0)
			return r;
		if (!ts_to_ns(&req, &ns))
			return -LINUX_EINVAL;
		if (!(flags & LINUX_TIMER_ABSTIME)) {
			t->scratch[0] = after(ns);
		} else if (ns <= now) {
			return 0;
		} else {
			/* The same distance on the monotonic clock. */
			t->scratch[0] = after(ns - now);
		}
	}
	return sleep_until(t, t->scratch[0], (flags & LINUX_TIMER_ABSTIME) ? 0 : a[3]);
}

/* --- alarm and the interval timers --- */

void lx_alarm_fire(void *arg)
{
	struct lx_pmisc *m = arg;
	struct lx_proc *p = lx_proc_find(m->pid);
	uint64_t now, next;

	if (p != m->proc || !p || p->start_ns != m->start_ns || p->state == LX_ZOMBIE)
		return;		/* the process is gone (lx_misc_exit was not told) */
	lx_signal_proc(p, LINUX_SIGALRM, NULL);
	if (m->alarm_interval) {
		/* The next period after the one that just ended, skipping any missed. */
		now = lx_now_ns();
		next = m->alarm.deadline + m->alarm_interval;
		if (next <= now)
			next = now + m->alarm_interval - (now - m->alarm.deadline) % m->alarm_interval;
		lx_timer_set(&m->alarm, next, lx_alarm_fire, m);
	}
}

static struct linux_itimerval itimer_get(struct lx_proc *p, int which)
{
	struct lx_pmisc *m = lx_pmisc(p, false);
	struct linux_itimerval v;
	uint64_t now = lx_now_ns();

	memset(&v, 0, sizeof(v));
	if (!m)
		return v;
	if (which == LINUX_ITIMER_REAL) {
		if (m->alarm.armed) {
			/* Linux never reports 0 left for a running timer. */
			uint64_t left = m->alarm.deadline > now ? m->alarm.deadline - now : 1000;
			v.it_value = ns_to_tv(left < 1000 ? 1000 : left);
		}
		v.it_interval = ns_to_tv(m->alarm_interval);
	} else {
		struct lx_itimer *it = which == LINUX_ITIMER_VIRTUAL ? &m->virt : &m->prof;
		v.it_value = ns_to_tv(it->value_ns);
		v.it_interval = ns_to_tv(it->interval_ns);
	}
	return v;
}

/* Sets a timer to value (0: off) with interval: 0 or -ENOMEM. */
static long itimer_set(struct lx_proc *p, int which, uint64_t value, uint64_t interval)
{
	struct lx_pmisc *m = lx_pmisc(p, value != 0);

	if (!m)
		return value ? -LINUX_ENOMEM : 0;
	if (which == LINUX_ITIMER_REAL) {
		lx_timer_cancel(&m->alarm);
		m->alarm_interval = value ? interval : 0;
		if (value)
			lx_timer_set(&m->alarm, after(value), lx_alarm_fire, m);
	} else {
		struct lx_itimer *it = which == LINUX_ITIMER_VIRTUAL ? &m->virt : &m->prof;
		it->value_ns = value;
		it->interval_ns = value ? interval : 0;
	}
	return 0;
}

LX_SYSCALL(getitimer)
{
	struct linux_itimerval v;

	if (a[0] > LINUX_ITIMER_PROF)
		return -LINUX_EINVAL;
	v = itimer_get(t->proc, (int)a[0]);
	return lx_copyout(t->proc, a[1], &v, sizeof(v));
}

LX_SYSCALL(setitimer)
{
	struct linux_itimerval nv, ov;
	uint64_t value, interval;
	long r;

	if (a[0] > LINUX_ITIMER_PROF)
		return -LINUX_EINVAL;
	memset(&nv, 0, sizeof(nv));
	if (a[1]) {
		r = lx_copyin(t->proc, a[1], &nv, sizeof(nv));
		if (r < 0)
			return r;
	}
	if (!tv_to_ns(&nv.it_value, &value) || !tv_to_ns(&nv.it_interval, &interval))
		return -LINUX_EINVAL;
	ov = itimer_get(t->proc, (int)a[0]);
	r = itimer_set(t->proc, (int)a[0], value, interval);
	if (r == 0 && a[2])
		r = lx_copyout(t->proc, a[2], &ov, sizeof(ov));
	return r;
}

LX_SYSCALL(alarm)
{
	struct linux_itimerval ov = itimer_get(t->proc, LINUX_ITIMER_REAL);
	long left = (long)ov.it_value.tv_sec;

	/* The seconds left, rounded to nearest, and at least 1 if any remain. */
	if (ov.it_value.tv_usec >= 500000 || (left == 0 && ov.it_value.tv_usec))
		left++;
	itimer_set(t->proc, LINUX_ITIMER_REAL, (uint64_t)(uint32_t)a[0] * NS, 0);
	return left;
}

/* --- times and getrusage --- */

static int64_t ticks(uint64_t ns)
{
	return (int64_t)(ns / (NS / LINUX_CLK_TCK));
}

LX_SYSCALL(times)
{
	struct linux_tms tms;
	uint64_t u, s;

	memset(&tms, 0, sizeof(tms));
	lx_proc_cpu_ns(t->proc, &u, &s);
	tms.tms_utime = ticks(u);
	tms.tms_stime = ticks(s);
	tms.tms_cutime = ticks(t->proc->child_user_ns);
	tms.tms_cstime = ticks(t->proc->child_sys_ns);
	if (a[0]) {
		int r = lx_copyout(t->proc, a[0], &tms, sizeof(tms));
		if (r < 0)
			return r;
	}
	return ticks(lx_now_ns());
}

void lx_child_rusage(const struct lx_proc *c, struct linux_rusage *ru)
{
	ru->ru_utime = ns_to_tv(c->exit_user_ns + c->child_user_ns);
	ru->ru_stime = ns_to_tv(c->exit_sys_ns + c->child_sys_ns);
}

LX_SYSCALL(getrusage)
{
	struct linux_rusage ru;
	int64_t who = (int64_t)a[0];
	uint64_t u = 0, s = 0;

	if (who != LINUX_RUSAGE_SELF && who != LINUX_RUSAGE_CHILDREN &&
	    who != LINUX_RUSAGE_THREAD)
		return -LINUX_EINVAL;
	memset(&ru, 0, sizeof(ru));
	if (who == LINUX_RUSAGE_SELF) {
		lx_proc_cpu_ns(t->proc, &u, &s);
	} else if (who == LINUX_RUSAGE_CHILDREN) {
		u = t->proc->child_user_ns;
		s = t->proc->child_sys_ns;
	} else if (who == LINUX_RUSAGE_THREAD)
		thread_cpu_ns(t, &u, &s);
	ru.ru_utime = ns_to_tv(u);
	ru.ru_stime = ns_to_tv(s);
	return lx_copyout(t->proc, a[1], &ru, sizeof(ru));
}
