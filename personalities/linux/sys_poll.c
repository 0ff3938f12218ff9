/*
 * poll, ppoll, select and pselect6 over the process's descriptors.
 *
 * A call scans every descriptor; when none is ready and the timeout has not run
 * out, it parks the thread on LX_EV_IO (any pipe, terminal or device change) until
 * the deadline and is run again from the start. What must survive the re-runs is in
 * t->scratch: [0] the deadline, [1] WAIT_* flags, [2] the signal mask to put back
 * (ppoll and pselect6 wait with the caller's mask in t->blocked).
 */
#include <stdlib.h>
#include <string.h>

#include "lx.h"
#include "personalities/common/file.h"

#define NS		1000000000ull
#define NO_TIMEOUT	UINT64_MAX

#define WAIT_DEADLINE	0x1u	/* scratch[0] is a deadline */
#define WAIT_NOW	0x2u	/* a zero timeout: never park */
#define WAIT_MASK	0x4u	/* scratch[2] holds the mask to restore */

#define POLLIN_SET	(LINUX_POLLIN | LINUX_POLLRDNORM)
#define POLLOUT_SET	(LINUX_POLLOUT | LINUX_POLLWRNORM)

/* The readiness of a description, in the core's UPOLL_* bits. */
static unsigned poll_file(struct file *f)
{
	return lx_file_tty(f) ? lx_tty_poll(f) : file_poll(f);
}

/* Linux's revents for a descriptor whose readiness is u, for events asked. */
static uint16_t linux_revents(unsigned u, uint16_t events)
{
	uint16_t mask = 0;

	if (u & UPOLL_IN)
		mask |= POLLIN_SET;
	if (u & UPOLL_OUT)
		mask |= POLLOUT_SET;
	if (u & UPOLL_HUP)
		mask |= LINUX_POLLHUP;
	if (u & UPOLL_ERR)
		mask |= LINUX_POLLERR;
	return mask & (events | LINUX_POLLERR | LINUX_POLLHUP);	/* these two always */
}

/* Fills in every revents; the number of entries with any. */
static int poll_scan(struct lx_proc *p, struct linux_pollfd *fds, size_t n)
{
	int ready = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		struct file *f;

		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;		/* ignored, as POSIX says */
		if (fdt_get(p->fdt, fds[i].fd, &f) < 0) {
			fds[i].revents = LINUX_POLLNVAL;
		} else {
			fds[i].revents = (int16_t)linux_revents(poll_file(f),
								(uint16_t)fds[i].events);
			file_rele(f);
		}
		if (fds[i].revents)
			ready++;
	}
	return ready;
}

/* --- the wait shared by the four calls --- */

/* First run: the deadline for timeout ns (NO_TIMEOUT: none) and the mask to wait
   with (NULL: the thread's own). */
static void wait_begin(struct lx_thread *t, uint64_t timeout, const linux_sigset_t *mask)
{
	uint64_t now = lx_now_ns();

	t->scratch[1] = 0;
	if (timeout == 0) {
		t->scratch[1] |= WAIT_NOW;
	} else if (timeout != NO_TIMEOUT) {
		t->scratch[0] = timeout > UINT64_MAX / 2 - now ? UINT64_MAX / 2 : now + timeout;
		t->scratch[1] |= WAIT_DEADLINE;
	}
	if (mask) {
		t->scratch[2] = t->blocked;
		t->scratch[1] |= WAIT_MASK;
		t->blocked = *mask & ~LINUX_SIG_UNBLOCKABLE;
	}
}

static bool wait_over(struct lx_thread *t)
{
	return (t->scratch[1] & WAIT_NOW) ||
	       ((t->scratch[1] & WAIT_DEADLINE) && lx_now_ns() >= t->scratch[0]);
}

/* The time left (0 once past the deadline); NO_TIMEOUT without one. */
static uint64_t wait_left(struct lx_thread *t)
{
	uint64_t now = lx_now_ns();

	if (t->scratch[1] & WAIT_NOW)
		return 0;
	if (!(t->scratch[1] & WAIT_DEADLINE))
		return NO_TIMEOUT;
	return t->scratch[0] > now ? t->scratch[0] - now : 0;
}

/* Ends the call with r; the caller's mask comes back now, or after the signal's
   delivery when r is EINTR (the handler runs with the mask waited with, as Linux). */
static long wait_end(struct lx_thread *t, long r)
{
	if (t->scratch[1] & WAIT_MASK) {
		if (r == -LINUX_EINTR) {
			t->saved_blocked = t->scratch[2];
			t->sigsuspend = true;
		} else {
			t->blocked = t->scratch[2];
		}
	}
	return r;
}

/* Nothing ready: EINTR if a signal is waiting, else park until a change or the
   deadline. */
static long wait_more(struct lx_thread *t)
{
	if (lx_signal_pending(t))
		return wait_end(t, -LINUX_EINTR);
	return lx_block(t, LX_EV_IO, (t->scratch[1] & WAIT_DEADLINE) ? t->scratch[0] : 0);
}

/* Writes the time left back to a timespec (ppoll, pselect6) or timeval (select),
   as Linux does; a failure to write is ignored, as Linux does too. */
static void put_left(struct lx_thread *t, uint64_t uaddr, bool timeval)
{
	uint64_t left = wait_left(t);

	if (!uaddr || left == NO_TIMEOUT)
		return;
	if (timeval) {
		struct linux_timeval tv = { (int64_t)(left / NS), (int64_t)(left % NS / 1000) };
		lx_copyout(t->proc, uaddr, &tv, sizeof(tv));
	} else {
		struct linux_timespec ts = { (int64_t)(left / NS), (int64_t)(left % NS) };
		lx_copyout(t->proc, uaddr, &ts, sizeof(ts));
	}
}

/* A timespec at uaddr as a timeout (NULL: none); -EFAULT or -EINVAL. */
static long get_timespec(struct lx_proc *p, uint64_t uaddr, uint64_t *ns)
{
	struct linux_timespec ts;
	int r;

	*ns = NO_TIMEOUT;
	if (!uaddr)
		return 0;
	r = lx_copyin(p, uaddr, &ts, sizeof(ts));
	if (r < 0)
		return r;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)NS)
		return -LINUX_EINVAL;
	*ns = (uint64_t)ts.tv_sec > UINT64_MAX / 2 / NS ? UINT64_MAX / 2 :
	      (uint64_t)ts.tv_sec * NS + (uint64_t)ts.tv_nsec;
	return 0;
}

/* A sigset argument (NULL: none): *has says whether there was one. */
static long get_sigmask(struct lx_proc *p, uint64_t uaddr, uint64_t size,
			linux_sigset_t *mask, bool *has)
{
	*has = false;
	if (!uaddr)
		return 0;
	if (size != sizeof(linux_sigset_t))
		return -LINUX_EINVAL;
	*has = true;
	return lx_copyin(p, uaddr, mask, sizeof(*mask));
}

/* --- poll, ppoll --- */

static long do_poll(struct lx_thread *t, uint64_t ufds, uint64_t nfds, uint64_t timeout,
		    const linux_sigset_t *mask, uint64_t tsp)
{
	struct lx_proc *p = t->proc;
	struct linux_pollfd *fds = NULL;
	size_t size = (size_t)nfds * sizeof(*fds);
	long r;

	if (nfds > p->rlim[LINUX_RLIMIT_NOFILE].rlim_cur || nfds > FDT_LIMIT_MAX)
		return -LINUX_EINVAL;
	if (nfds) {
		fds = malloc(size);
		if (!fds)
			return -LINUX_ENOMEM;
		r = lx_copyin(p, ufds, fds, size);
		if (r < 0) {
			if (!t->first)
				r = wait_end(t, r);	/* the memory went while we waited */
			goto out;
		}
	}
	if (t->first)
		wait_begin(t, timeout, mask);
	r = poll_scan(p, fds, (size_t)nfds);
	if (r > 0 || wait_over(t)) {
		int w = nfds ? lx_copyout(p, ufds, fds, size) : 0;
		put_left(t, tsp, false);
		r = wait_end(t, w < 0 ? w : r);
	} else {
		r = wait_more(t);
		if (r == -LINUX_EINTR)
			put_left(t, tsp, false);
	}
out:
	free(fds);
	return r;
}

LX_SYSCALL(poll)
{
	int timeout = (int)a[2];

	return do_poll(t, a[0], a[1], timeout < 0 ? NO_TIMEOUT : (uint64_t)timeout * 1000000u,
		       NULL, 0);
}

LX_SYSCALL(ppoll)
{
	linux_sigset_t mask;
	uint64_t timeout = NO_TIMEOUT;
	bool has_mask = false;
	long r = 0;

	if (t->first) {
		r = get_timespec(t->proc, a[2], &timeout);
		if (r == 0)
			r = get_sigmask(t->proc, a[3], a[4], &mask, &has_mask);
		if (r < 0)
			return r;
	}
	return do_poll(t, a[0], a[1], timeout, has_mask ? &mask : NULL, a[2]);
}

/* --- select, pselect6 --- */

#define SET_WORDS(n)	(((size_t)(n) + 63) / 64)

/*
 * Scans n descriptors of the in sets (any may be NULL) into the out sets (zeroed
 * here): the number of bits set, or -EBADF for a descriptor in a set that is not
 * open. Readable: data, end of file or error; writable: room or error; exceptional
 * conditions never happen here.
 */
static long select_scan(struct lx_proc *p, int n, uint64_t *const in[3], uint64_t *out[3])
{
	long count = 0;
	int fd, k;

	for (k = 0; k < 3; k++)
		if (out[k])
			memset(out[k], 0, SET_WORDS(n) * 8);
	for (fd = 0; fd < n; fd++) {
		uint64_t bit = 1ull << (fd % 64), want = 0;
		size_t w = (size_t)fd / 64;
		struct file *f;
		unsigned u;

		for (k = 0; k < 3; k++)
			if (in[k] && (in[k][w] & bit))
				want |= 1u << k;
		if (!want)
			continue;
		if (fdt_get(p->fdt, fd, &f) < 0)
			return -LINUX_EBADF;
		u = poll_file(f);
		file_rele(f);
		if ((want & 1) && (u & (UPOLL_IN | UPOLL_HUP | UPOLL_ERR))) {
			out[0][w] |= bit;
			count++;
		}
		if ((want & 2) && (u & (UPOLL_OUT | UPOLL_ERR))) {
			out[1][w] |= bit;
			count++;
		}
	}
	return count;
}

static long do_select(struct lx_thread *t, int64_t nfds, const uint64_t uset[3],
		      uint64_t timeout, const linux_sigset_t *mask, uint64_t tsp, bool timeval)
{
	struct lx_proc *p = t->proc;
	uint64_t *in[3] = { NULL, NULL, NULL }, *out[3] = { NULL, NULL, NULL };
	uint64_t *mem;
	size_t words, bytes;
	int n, k;
	long r = 0;

	if (nfds < 0)
		return -LINUX_EINVAL;
	/* Bits past the table's limit cannot name open descriptors: Linux ignores them. */
	n = nfds > p->fdt->limit ? p->fdt->limit : (int)nfds;
	/* Sets are read and written in whole longs, as Linux does. */
	words = SET_WORDS(n);
	bytes = words * 8;
	mem = calloc(6 * words + 1, 8);
	if (!mem)
		return -LINUX_ENOMEM;
	for (k = 0; k < 3 && r == 0; k++) {
		if (!uset[k])
			continue;
		in[k] = mem + 2 * k * words;
		out[k] = in[k] + words;
		r = lx_copyin(p, uset[k], in[k], bytes);
		if (n % 64)
			in[k][words - 1] &= (1ull << (n % 64)) - 1;
	}
	if (r < 0) {
		if (!t->first)
			r = wait_end(t, r);	/* the memory went while we waited */
		goto out;
	}
	if (t->first)
		wait_begin(t, timeout, mask);
	r = select_scan(p, n, in, out);
	if (r != 0 || wait_over(t)) {
		for (k = 0; k < 3 && r >= 0; k++) {
			int w = out[k] ? lx_copyout(p, uset[k], out[k], bytes) : 0;
			if (w < 0)
				r = w;
		}
		put_left(t, tsp, timeval);
		r = wait_end(t, r);
	} else {
		r = wait_more(t);
		if (r == -LINUX_EINTR)
			put_left(t, tsp, timeval);
	}
out:
	free(mem);
	return r;
}

LX_SYSCALL(select)
{
	uint64_t timeout = NO_TIMEOUT, uset[3] = { a[1], a[2], a[3] };

	if (t->first && a[4]) {
		struct linux_timeval tv;
		int r = lx_copyin(t->proc, a[4], &tv, sizeof(tv));
		if (r < 0)
			return r;
		if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			return -LINUX_EINVAL;
		timeout = (uint64_t)tv.tv_sec > UINT64_MAX / 2 / NS ? UINT64_MAX / 2 :
			  (uint64_t)tv.tv_sec * NS + (uint64_t)tv.tv_usec * 1000u;
	}
	return do_select(t, (int32_t)a[0], uset, timeout, NULL, a[4], true);
}

LX_SYSCALL(pselect6)
{
	uint64_t timeout = NO_TIMEOUT, uset[3] = { a[1], a[2], a[3] }, sig[2];
	linux_sigset_t mask;
	bool has_mask = false;
	long r = 0;

	if (t->first) {
		r = get_timespec(t->proc, a[4], &timeout);
		if (r == 0 && a[5]) {
			/* { const sigset_t *ss; size_t ss_len } */
			r = lx_copyin(t->proc, a[5], sig, sizeof(sig));
			if (r == 0)
				r = get_sigmask(t->proc, sig[0], sig[1], &mask, &has_mask);
		}
		if (r < 0)
			return r;
	}
	return do_select(t, (int32_t)a[0], uset, timeout, has_mask ? &mask : NULL, a[4], false);
}
