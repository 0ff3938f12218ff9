/* Processes: the table, parents and children, exit and wait, groups and sessions. */
#include "uproc.h"

void uproc_table_init(struct uproc_table *tab, int pid_max, int limit,
		      void (*release)(struct uproc *p))
{
	tab->all = NULL;
	tab->count = 0;
	tab->limit = limit;
	tab->pid_max = pid_max;
	tab->next_pid = 1;
	tab->release = release;
}

int uproc_may_fork(const struct uproc_table *tab, uint64_t nproc_max)
{
	if (tab->count >= tab->limit || (uint64_t)tab->count >= nproc_max)
		return -U_EAGAIN;
	return 0;
}

static bool pid_used(const struct uproc_table *tab, int pid)
{
	for (struct uproc *p = tab->all; p; p = p->next)
		if (p->pid == pid || p->pgid == pid || p->sid == pid)
			return true;
	return false;
}

/* The next free pid after the last one given, wrapping to 2 (1 is init's for good);
   -1 when every one is taken. */
static int alloc_pid(struct uproc_table *tab)
{
	for (int tries = 0; tries < tab->pid_max; tries++) {
		int pid = tab->next_pid;

		tab->next_pid = pid + 1 >= tab->pid_max ? 2 : pid + 1;
		if (!pid_used(tab, pid))
			return pid;
	}
	return -1;
}

static void link_child(struct uproc *parent, struct uproc *c)
{
	c->parent = parent;
	c->sibling = parent->children;
	parent->children = c;
}

static void unlink_child(struct uproc *c)
{
	if (!c->parent)
		return;
	for (struct uproc **pp = &c->parent->children; *pp; pp = &(*pp)->sibling)
		if (*pp == c) {
			*pp = c->sibling;
			break;
		}
	c->parent = NULL;
}

int uproc_add(struct uproc_table *tab, struct uproc *p, struct uproc *parent)
{
	int pid = alloc_pid(tab);

	if (pid < 0)
		return -U_EAGAIN;
	p->pid = pid;
	p->state = UP_RUNNING;
	if (parent) {
		p->pgid = parent->pgid;
		p->sid = parent->sid;
		p->uid = parent->uid;
		p->suid = parent->suid;
		p->gid = parent->gid;
		p->sgid = parent->sgid;
		p->cred = parent->cred;
		link_child(parent, p);
	} else {
		p->pgid = p->sid = pid;
	}
	p->next = tab->all;
	tab->all = p;
	tab->count++;
	return 0;
}

void uproc_free(struct uproc_table *tab, struct uproc *p)
{
	unlink_child(p);
	for (struct uproc **pp = &tab->all; *pp; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	tab->count--;
	tab->release(p);
}

struct uproc *uproc_find(const struct uproc_table *tab, int pid)
{
	for (struct uproc *p = tab->all; p; p = p->next)
		if (p->pid == pid)
			return p;
	return NULL;
}

struct uproc *uproc_find_live(const struct uproc_table *tab, int pid)
{
	struct uproc *p = uproc_find(tab, pid);

	return p && p->state != UP_ZOMBIE ? p : NULL;
}

/* ------------------------------------------------------------- exit and wait */

bool uproc_exit(struct uproc_table *tab, struct uproc *p, struct uwstatus st, bool reap)
{
	struct uproc *init = uproc_find(tab, 1);

	if (p->state == UP_ZOMBIE)
		return false;
	/* Children go to init (or, when init itself ends, nowhere). */
	while (p->children) {
		struct uproc *c = p->children;

		unlink_child(c);
		if (init && init != p)
			link_child(init, c);
		else if (c->state == UP_ZOMBIE)
			uproc_free(tab, c);
	}
	p->state = UP_ZOMBIE;
	p->status = st;
	if (!p->parent) {
		if (p->pid != 1)
			uproc_free(tab, p);
		return false;
	}
	if (reap) {
		uproc_free(tab, p);
		return false;
	}
	return true;
}

bool uproc_stop(struct uproc *p, int sig)
{
	if (p->state != UP_RUNNING)
		return false;
	p->state = UP_STOPPED;
	p->status = (struct uwstatus){ .how = UW_STOPPED, .value = (uint8_t)sig };
	return true;
}

bool uproc_cont(struct uproc *p)
{
	if (p->state != UP_STOPPED)
		return false;
	p->state = UP_RUNNING;
	return true;
}

bool uproc_report(struct uproc *p)
{
	if (!p->parent || p->parent->state == UP_ZOMBIE)
		return false;
	p->wait_reportable = true;
	return true;
}

static bool wait_match(const struct uproc *p, const struct uproc *c, int64_t which)
{
	if (which > 0)
		return c->pid == which;
	if (which == 0)
		return c->pgid == p->pgid;
	if (which == -1)
		return true;
	return c->pgid == -which;
}

struct uproc *uproc_wait_find(struct uproc *p, int64_t which, unsigned options, bool *any,
			      struct uwstatus *st)
{
	*any = false;
	for (struct uproc *c = p->children; c; c = c->sibling) {
		if (!wait_match(p, c, which))
			continue;
		*any = true;
		if (c->state == UP_ZOMBIE && (options & UWAIT_EXITED)) {
			*st = c->status;
			return c;
		}
		if (c->wait_reportable && c->state == UP_STOPPED && (options & UWAIT_STOPPED)) {
			*st = c->status;
			return c;
		}
		if (c->wait_reportable && c->state == UP_RUNNING && (options & UWAIT_CONTINUED)) {
			*st = (struct uwstatus){ .how = UW_CONTINUED };
			return c;
		}
	}
	return NULL;
}

void uproc_wait_consume(struct uproc_table *tab, struct uproc *c)
{
	if (c->state == UP_ZOMBIE)
		uproc_free(tab, c);
	else
		c->wait_reportable = false;
}

/* ------------------------------------------------------------- groups and sessions */

int uproc_getpgid(const struct uproc_table *tab, struct uproc *self, int pid)
{
	struct uproc *p = pid ? uproc_find_live(tab, pid) : self;

	return p ? p->pgid : -U_ESRCH;
}

int uproc_getsid(const struct uproc_table *tab, struct uproc *self, int pid)
{
	struct uproc *p = pid ? uproc_find_live(tab, pid) : self;

	return p ? p->sid : -U_ESRCH;
}

int uproc_setpgid(const struct uproc_table *tab, struct uproc *self, int pid, int pgid)
{
	struct uproc *p;

	if (pgid < 0)
		return -U_EINVAL;
	p = pid ? uproc_find_live(tab, pid) : self;
	if (!p || (p != self && p->parent != self))
		return -U_ESRCH;
	if (p->sid != self->sid)
		return -U_EPERM;
	if (p->sid == p->pid)
		return -U_EPERM;		/* a session leader */
	if (pgid == 0)
		pgid = p->pid;
	if (pgid != p->pid) {
		bool found = false;

		for (struct uproc *q = tab->all; q && !found; q = q->next)
			found = q->pgid == pgid && q->sid == self->sid;
		if (!found)
			return -U_EPERM;
	}
	p->pgid = pgid;
	return 0;
}

int uproc_setsid(const struct uproc_table *tab, struct uproc *p)
{
	for (struct uproc *q = tab->all; q; q = q->next)
		if (q->state != UP_ZOMBIE && q->pgid == p->pid)
			return -U_EPERM;
	p->sid = p->pgid = p->pid;
	return p->sid;
}

bool uproc_pgrp_orphaned(const struct uproc_table *tab, int pgid)
{
	for (struct uproc *p = tab->all; p; p = p->next) {
		struct uproc *parent = p->parent;

		if (p->pgid != pgid || p->state == UP_ZOMBIE || !parent || parent->pid == 1)
			continue;
		if (parent->pgid != pgid && parent->sid == p->sid)
			return false;
	}
	return true;
}

int uproc_pgrp_check(const struct uproc_table *tab, int pgid, int sid)
{
	bool found = false;

	for (struct uproc *p = tab->all; p; p = p->next) {
		if (p->pgid != pgid)
			continue;
		if (p->sid == sid)
			return 0;
		found = true;
	}
	return found ? -U_EPERM : -U_ESRCH;
}

int uproc_pgrp_members(const struct uproc_table *tab, int pgid, struct uproc **out, int max)
{
	int n = 0;

	for (struct uproc *p = tab->all; p && n < max; p = p->next)
		if (p->state != UP_ZOMBIE && p->pgid == pgid)
			out[n++] = p;
	return n;
}

int uproc_session_others(const struct uproc_table *tab, int sid, const struct uproc *except,
			 struct uproc **out, int max)
{
	int n = 0;

	for (struct uproc *p = tab->all; p && n < max; p = p->next)
		if (p != except && p->state != UP_ZOMBIE && p->sid == sid)
			out[n++] = p;
	return n;
}

int uproc_kill_targets(const struct uproc_table *tab, const struct uproc *self, int64_t which,
		       struct uproc **out, int max)
{
	int n = 0;

	if (which != -1)
		return uproc_pgrp_members(tab, which == 0 ? self->pgid : (int)-which, out, max);
	for (struct uproc *p = tab->all; p && n < max; p = p->next)
		if (p->state != UP_ZOMBIE && p->pid != 1 && p != self)
			out[n++] = p;
	return n;
}
