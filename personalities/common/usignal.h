/*
 * Signals, without any guest's numbers: sets of up to 64 signals, each process's
 * actions and pending set, each thread's mask and pending set, and the rules POSIX
 * gives them (what sending does to the pending sets, which signal goes next, what a
 * signal does by default, what exec keeps). No Mach call: stopping a task, building a
 * frame and replying are the personality's.
 *
 * Numbers are the guest's (Linux's SIGUSR1 is 10, FreeBSD's 30): the personality
 * describes its numbering once in a struct usig_abi (usig_abi_init), and the core
 * learns from it which signal kills, stops, continues or is ignored by default.
 * A set has signal n at bit n - 1 (as Linux's sigset_t; FreeBSD's 128-bit sigset_t
 * holds the same 64 in its first two words). Handler values are the guest's too:
 * USIG_DFL and USIG_IGN are 0 and 1 on every Unix, anything else is a handler's
 * address.
 */
#ifndef _USIGNAL_H
#define _USIGNAL_H

#include "ucore.h"

#define USIG_MAX	64
#define USIG_BIT(sig)	((usigset_t)1 << ((sig) - 1))
#define USIG_DFL	0
#define USIG_IGN	1

typedef uint64_t usigset_t;

/* What a signal does when its action is the default. Zero is "terminate". */
enum usig_default { USD_TERM, USD_CORE, USD_IGNORE, USD_STOP, USD_CONT };

/* A guest's numbering. The personality fills the first part; usig_abi_init the rest. */
struct usig_abi {
	int nsig;			/* signals are 1..nsig (at most USIG_MAX) */
	int sigkill, sigstop, sigcont, sigchld;
	uint8_t dfl[USIG_MAX + 1];	/* enum usig_default of each signal */
	/* The guest's sigaction flag bits the core acts on. */
	uint64_t sa_nocldstop, sa_nocldwait, sa_resethand;

	/* Derived, so that the rules are mask tests: */
	usigset_t stop;			/* USD_STOP signals */
	usigset_t ignore;		/* ignored by default: USD_IGNORE and USD_CONT */
	usigset_t unblockable;		/* sigkill and sigstop */
};
void usig_abi_init(struct usig_abi *abi);

/* An action, as sigaction gives it; flags are the guest's bits, kept as given. */
struct usigaction {
	uint64_t handler;		/* USIG_DFL, USIG_IGN or an address */
	uint64_t flags;
	uint64_t restorer;		/* for the personality (Linux's sa_restorer) */
	usigset_t mask;			/* also blocked while the handler runs */
};

/* A process's part and a thread's part; a personality embeds them (and may name the
   fields directly through an anonymous union, as personalities/linux/lx.h does). */
#define USIGPROC_FIELDS								\
	struct usigaction act[USIG_MAX + 1];	/* by signal number; [0] unused */	\
	usigset_t pending;			/* sent to the process: any thread takes them */
struct usigproc {
	USIGPROC_FIELDS
};

#define USIGTHREAD_FIELDS							\
	usigset_t blocked;							\
	usigset_t pending;		/* sent to this thread (faults, tkill) */	\
	usigset_t saved_blocked;	/* the mask sigsuspend replaced */		\
	bool sigsuspend;		/* put saved_blocked back after the next delivery */
struct usigthread {
	USIGTHREAD_FIELDS
};

static inline bool usig_valid(const struct usig_abi *abi, int sig)
{
	return sig >= 1 && sig <= abi->nsig;
}

/* Whether sig's action may be changed (not sigkill, not sigstop). */
static inline bool usig_catchable(const struct usig_abi *abi, int sig)
{
	return usig_valid(abi, sig) && !(abi->unblockable & USIG_BIT(sig));
}

/* The hot path (every reply asks): the signals t could take now. */
static inline usigset_t usig_deliverable(const struct usigthread *t, const struct usigproc *p)
{
	return (t->pending | p->pending) & ~t->blocked;
}

/* Takes the lowest-numbered deliverable signal off its pending set, the thread's
   first: its number, or 0 when there is none. */
static inline int usig_take(struct usigthread *t, struct usigproc *p)
{
	usigset_t set = usig_deliverable(t, p);

	if (!set)
		return 0;
	int sig = __builtin_ctzll(set) + 1;
	if (t->pending & USIG_BIT(sig))
		t->pending &= ~USIG_BIT(sig);
	else
		p->pending &= ~USIG_BIT(sig);
	return sig;
}

/* sigpending: what is pending for t but blocked. */
static inline usigset_t usig_blocked_pending(const struct usigthread *t, const struct usigproc *p)
{
	return (t->pending | p->pending) & t->blocked;
}

/* What taking sig does now. */
enum usig_act { UACT_NONE, UACT_HANDLER, UACT_STOP, UACT_TERM, UACT_CORE };
enum usig_act usig_action(const struct usig_abi *abi, const struct usigproc *p, int sig);
/* Whether sig, sent now, would do nothing at all (ignored, explicitly or by default). */
bool usig_ignored(const struct usig_abi *abi, const struct usigproc *p, int sig);

/*
 * Sending sig to process p, before it is queued: the effects on p's pending set, and
 * what the personality must do, as USEND_* bits:
 *   USEND_KILL   sigkill: end the process now; nothing else is done;
 *   USEND_CONT   sigcont: the stop signals were discarded from p->pending; discard
 *                them from every thread's (usig_discard_stops) and resume p if stopped;
 *   USEND_STOP   sigstop: stop p now (it is never queued). Any stop signal discards a
 *                pending sigcont from p->pending;
 *   USEND_QUEUE  queue it (usig_queue) on p's or one thread's pending set: it is not
 *                ignored. Without it the signal is dropped.
 * 0 for a number out of range. The personality checks that p is not a zombie.
 */
#define USEND_KILL	0x1u
#define USEND_CONT	0x2u
#define USEND_STOP	0x4u
#define USEND_QUEUE	0x8u
unsigned usig_send(const struct usig_abi *abi, struct usigproc *p, int sig);

static inline void usig_queue(usigset_t *pending, int sig)
{
	*pending |= USIG_BIT(sig);
}

static inline void usig_discard_stops(const struct usig_abi *abi, usigset_t *pending)
{
	*pending &= ~abi->stop;
}

/*
 * sigaction's change: sets sig's action (the caller checked usig_catchable), without
 * the unblockable signals in its mask. When sig is then ignored (USIG_IGN, or
 * USIG_DFL of a signal ignored by default) it is discarded from p->pending and true
 * is returned: the personality discards it from its threads' pending sets too.
 */
bool usig_set_action(const struct usig_abi *abi, struct usigproc *p, int sig,
		     const struct usigaction *act);

/* sigprocmask's how. */
enum usig_how { USIG_BLOCK, USIG_UNBLOCK, USIG_SETMASK };
/* Changes t's mask (the unblockable signals stay unblocked): 0, or -U_EINVAL for a bad
   how (nothing changed). */
int usig_procmask(const struct usig_abi *abi, struct usigthread *t, enum usig_how how,
		  usigset_t set);
/* Sets t's mask to set, without the unblockable signals (sigreturn, ppoll). */
static inline void usig_setmask(const struct usig_abi *abi, struct usigthread *t, usigset_t set)
{
	t->blocked = set & ~abi->unblockable;
}

/* sigsuspend: t waits with mask set; its own mask comes back after the next delivery
   (usig_handler_entered), or at usig_suspend_end if nothing was delivered. */
void usig_suspend(const struct usig_abi *abi, struct usigthread *t, usigset_t set);
static inline void usig_suspend_end(struct usigthread *t)
{
	if (t->sigsuspend) {
		t->blocked = t->saved_blocked;
		t->sigsuspend = false;
	}
}
/* The mask a handler's frame saves for sigreturn: the one before sigsuspend, if any. */
static inline usigset_t usig_frame_mask(const struct usigthread *t)
{
	return t->sigsuspend ? t->saved_blocked : t->blocked;
}
/* A handler for sig now runs on t with mask blocked (the personality's frame code
   computed it from the action): sigsuspend is over, and a one-shot action
   (sa_resethand) goes back to USIG_DFL. */
void usig_handler_entered(const struct usig_abi *abi, struct usigproc *p, struct usigthread *t,
			  int sig, usigset_t blocked);

/* The parent's wishes about its children: no zombies (sigchld ignored or
   sa_nocldwait), no sigchld when they stop or continue (sa_nocldstop). */
bool usig_nocldwait(const struct usig_abi *abi, const struct usigproc *parent);
bool usig_nocldstop(const struct usig_abi *abi, const struct usigproc *parent);

/* fork: the child has the parent's actions and nothing pending; its thread, the
   forking thread's mask and nothing pending. */
void usig_fork(struct usigproc *child, const struct usigproc *parent);
void usig_fork_thread(struct usigthread *child, const struct usigthread *parent);
/* exec: caught signals go back to USIG_DFL (flags and masks cleared), ignored ones
   stay ignored; the mask and the pending sets are kept. */
void usig_exec(struct usigproc *p);

#endif
