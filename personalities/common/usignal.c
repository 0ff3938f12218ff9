/* Signals: actions, masks, pending sets and POSIX's rules for them, in the guest's numbers. */
#include <string.h>
#include "usignal.h"

void usig_abi_init(struct usig_abi *abi)
{
	abi->stop = abi->ignore = 0;
	for (int sig = 1; sig <= abi->nsig; sig++) {
		if (abi->dfl[sig] == USD_STOP)
			abi->stop |= USIG_BIT(sig);
		else if (abi->dfl[sig] == USD_IGNORE || abi->dfl[sig] == USD_CONT)
			abi->ignore |= USIG_BIT(sig);
	}
	abi->unblockable = USIG_BIT(abi->sigkill) | USIG_BIT(abi->sigstop);
}

bool usig_ignored(const struct usig_abi *abi, const struct usigproc *p, int sig)
{
	uint64_t h = p->act[sig].handler;

	return h == USIG_IGN || (h == USIG_DFL && (abi->ignore & USIG_BIT(sig)));
}

enum usig_act usig_action(const struct usig_abi *abi, const struct usigproc *p, int sig)
{
	uint64_t h = p->act[sig].handler;

	if (h == USIG_IGN)
		return UACT_NONE;
	if (h != USIG_DFL)
		return UACT_HANDLER;
	if (abi->ignore & USIG_BIT(sig))
		return UACT_NONE;
	if (abi->stop & USIG_BIT(sig))
		return UACT_STOP;
	return abi->dfl[sig] == USD_CORE ? UACT_CORE : UACT_TERM;
}

unsigned usig_send(const struct usig_abi *abi, struct usigproc *p, int sig)
{
	unsigned what = 0;

	if (!usig_valid(abi, sig))
		return 0;
	if (sig == abi->sigkill)
		return USEND_KILL;
	if (sig == abi->sigcont) {
		/* A continue cancels the stops not yet taken, and the other way round. */
		usig_discard_stops(abi, &p->pending);
		what |= USEND_CONT;
	}
	if (abi->stop & USIG_BIT(sig)) {
		p->pending &= ~USIG_BIT(abi->sigcont);
		if (sig == abi->sigstop)
			return what | USEND_STOP;
	}
	if (usig_ignored(abi, p, sig))
		return what;
	return what | USEND_QUEUE;
}

bool usig_set_action(const struct usig_abi *abi, struct usigproc *p, int sig,
		     const struct usigaction *act)
{
	p->act[sig] = *act;
	p->act[sig].mask &= ~abi->unblockable;
	/* Setting SIG_IGN (or SIG_DFL of an ignored-by-default signal) discards it. */
	if (!usig_ignored(abi, p, sig))
		return false;
	p->pending &= ~USIG_BIT(sig);
	return true;
}

int usig_procmask(const struct usig_abi *abi, struct usigthread *t, enum usig_how how,
		  usigset_t set)
{
	switch (how) {
	case USIG_BLOCK: t->blocked |= set; break;
	case USIG_UNBLOCK: t->blocked &= ~set; break;
	case USIG_SETMASK: t->blocked = set; break;
	default: return -U_EINVAL;
	}
	t->blocked &= ~abi->unblockable;
	return 0;
}

void usig_suspend(const struct usig_abi *abi, struct usigthread *t, usigset_t set)
{
	t->saved_blocked = t->blocked;
	t->sigsuspend = true;
	t->blocked = set & ~abi->unblockable;
}

void usig_handler_entered(const struct usig_abi *abi, struct usigproc *p, struct usigthread *t,
			  int sig, usigset_t blocked)
{
	struct usigaction *act = &p->act[sig];

	t->blocked = blocked;
	t->sigsuspend = false;
	if (act->flags & abi->sa_resethand)
		act->handler = USIG_DFL;
}

bool usig_nocldwait(const struct usig_abi *abi, const struct usigproc *parent)
{
	const struct usigaction *sa = &parent->act[abi->sigchld];

	return sa->handler == USIG_IGN || (sa->flags & abi->sa_nocldwait);
}

bool usig_nocldstop(const struct usig_abi *abi, const struct usigproc *parent)
{
	return (parent->act[abi->sigchld].flags & abi->sa_nocldstop) != 0;
}

void usig_fork(struct usigproc *child, const struct usigproc *parent)
{
	memcpy(child->act, parent->act, sizeof(child->act));
	child->pending = 0;
}

void usig_fork_thread(struct usigthread *child, const struct usigthread *parent)
{
	child->blocked = parent->blocked;
	child->pending = 0;
	child->saved_blocked = 0;
	child->sigsuspend = false;
}

void usig_exec(struct usigproc *p)
{
	for (int sig = 1; sig <= USIG_MAX; sig++) {
		bool ign = p->act[sig].handler == USIG_IGN;

		memset(&p->act[sig], 0, sizeof(p->act[sig]));
		if (ign)
			p->act[sig].handler = USIG_IGN;
	}
}
