/*
 * Processes, without any guest's numbers: the process table (pids, the limit), parent
 * and child links, zombies and what wait may report, process groups and sessions,
 * credentials. No Mach call: the personality owns the tasks, threads and ports.
 *
 * A personality embeds a struct uproc at the very start of its own process struct
 * (its ports, registers, files, guest records), so that a struct uproc * and the
 * personality's pointer are the same address; it allocates that struct, gives it to
 * uproc_add, and frees it when the table calls its release hook (a zombie reaped, a
 * process that nobody will wait for). Signal numbers in wait statuses are the
 * personality's own (usignal.h). Errors are -U_Exxx.
 */
#ifndef _UPROC_H
#define _UPROC_H

#include "ucore.h"

enum ustate { UP_RUNNING, UP_STOPPED, UP_ZOMBIE };

/* A wait status in no guest's encoding (Linux and FreeBSD pack it the same way, but
   the signal numbers inside differ). */
enum uwhow { UW_EXITED, UW_KILLED, UW_STOPPED, UW_CONTINUED };
struct uwstatus {
	uint8_t how;		/* enum uwhow */
	uint8_t value;		/* UW_EXITED: the exit code (0..255); else the signal */
	bool core;		/* UW_KILLED: a core image was written */
};

/*
 * The fields, with T the type the links point to: struct uproc below. A personality
 * may declare the same fields again with T = its own struct, in an anonymous union
 * with its embedded struct uproc, so that its code reads p->pid and p->parent->comm
 * (see personalities/linux/lx.h). Every struct pointer has the same representation.
 */
#define UPROC_FIELDS(T)								\
	T *next;		/* the table's list: every process, zombies too */	\
	T *parent;		/* NULL: init, or an orphan whose init is gone */	\
	T *children;		/* first child */					\
	T *sibling;		/* next child of the same parent */			\
	int pid, pgid, sid;							\
	enum ustate state;							\
	struct uwstatus status;	/* how it ended (zombie); its stop signal (stopped) */	\
	bool wait_reportable;	/* a stop or continue wait has not reported yet */	\
	uint32_t uid, suid, gid, sgid;	/* real and saved ids */			\
	struct ucred cred;	/* effective ids and groups (what permission checks read) */

struct uproc {
	UPROC_FIELDS(struct uproc)
};

struct uproc_table {
	struct uproc *all;	/* every process, zombies included, newest first */
	int count;		/* processes in all */
	int limit;		/* at most this many at once (uproc_may_fork) */
	int pid_max;		/* pids are below it; numbering wraps to 2 */
	int next_pid;		/* where the search for a free pid starts */
	void (*release)(struct uproc *p);	/* frees a process the table let go */
};

/* An empty table: pids from 1 up to pid_max - 1, at most limit processes. */
void uproc_table_init(struct uproc_table *tab, int pid_max, int limit,
		      void (*release)(struct uproc *p));

/* Whether one more process may be made: 0, or -U_EAGAIN when the table holds limit
   processes or nproc_max (the caller's own limit, e.g. RLIMIT_NPROC) or more. */
int uproc_may_fork(const struct uproc_table *tab, uint64_t nproc_max);

/*
 * Gives p (zeroed by the caller) a pid and puts it in the table: 0, or -U_EAGAIN when
 * no pid is free. A pid is free when no process, zombies included, uses it as its pid,
 * its group or its session. With a parent, p becomes its child in its group and
 * session with its credentials (fork); without, p leads a new session and group
 * (init) with credentials 0.
 */
int uproc_add(struct uproc_table *tab, struct uproc *p, struct uproc *parent);
/* Takes p out of the table (and its parent's children) and releases it. For a process
   without children: a zombie being reaped, or one whose fork failed. */
void uproc_free(struct uproc_table *tab, struct uproc *p);

/* The process with pid (zombies too), or NULL. */
struct uproc *uproc_find(const struct uproc_table *tab, int pid);
/* The same, NULL for a zombie. */
struct uproc *uproc_find_live(const struct uproc_table *tab, int pid);

/*
 * p has ended with status st (the personality has let go of its task and files). Its
 * children go to init (pid 1), or, when p is init or init is gone, zombies among them
 * are freed and the others have no parent. Then p is a zombie, unless nobody will wait
 * for it: it has no parent (freed, but init stays as a zombie for uproc_find(1) to
 * report), or `reap` says its parent will not wait (the personality's "SIGCHLD
 * ignored or SA_NOCLDWAIT": usig_nocldwait). Returns true when p is a zombie its
 * parent should be told about (SIGCHLD); p must not be used after false, unless it is
 * init.
 */
bool uproc_exit(struct uproc_table *tab, struct uproc *p, struct uwstatus st, bool reap);

/* Job control: p stops with sig (true if it was running), or continues (true if it
   was stopped). */
bool uproc_stop(struct uproc *p, int sig);
bool uproc_cont(struct uproc *p);
/* After a stop or continue: makes it reportable to the parent's wait; true when there
   is a living parent to tell (SIGCHLD, unless it said SA_NOCLDSTOP). */
bool uproc_report(struct uproc *p);

/* What wait asks for. */
#define UWAIT_EXITED	0x1u	/* children that ended */
#define UWAIT_STOPPED	0x2u	/* children that stopped (WUNTRACED) */
#define UWAIT_CONTINUED	0x4u	/* children that SIGCONT resumed */

/*
 * A child of p that a wait for `which` can report now (which > 0: that child; -1:
 * any; 0: one in p's group; < -1: one in group -which), with its status in *st; NULL
 * if none is ready. *any says whether any child matched (none: the wait fails with
 * ECHILD). Nothing changes: the personality copies the result out first, then calls
 * uproc_wait_consume unless it only peeks (WNOWAIT). Blocking (unless WNOHANG) is the
 * personality's too.
 */
struct uproc *uproc_wait_find(struct uproc *p, int64_t which, unsigned options, bool *any,
			      struct uwstatus *st);
/* Consumes what uproc_wait_find reported of c: a zombie is freed, a stop or continue
   is not reported again. */
void uproc_wait_consume(struct uproc_table *tab, struct uproc *c);

/* Groups and sessions. */

/* getpgid/getsid: of self (pid 0) or of a living process; -U_ESRCH if none. */
int uproc_getpgid(const struct uproc_table *tab, struct uproc *self, int pid);
int uproc_getsid(const struct uproc_table *tab, struct uproc *self, int pid);
/*
 * setpgid(pid, pgid) by self. pid 0 is self, pgid 0 is the target's pid. -U_EINVAL for
 * a negative pgid; -U_ESRCH when the target is neither self nor a living child of
 * self; -U_EPERM when it is in another session, leads a session, or pgid names a
 * group that does not exist in self's session (a zombie not yet reaped still counts
 * as a member, as on Linux).
 */
int uproc_setpgid(const struct uproc_table *tab, struct uproc *self, int pid, int pgid);
/* setsid: p leads a new session and group; its new sid, or -U_EPERM when a living
   process already has p's pid as its group. (The personality drops the controlling
   terminal.) */
int uproc_setsid(const struct uproc_table *tab, struct uproc *p);
/*
 * Whether group pgid is orphaned: no living member has a parent in another group of
 * the same session (POSIX), so that nobody could continue it if job control stopped
 * it. init does not count as such a parent (as on Linux).
 */
bool uproc_pgrp_orphaned(const struct uproc_table *tab, int pgid);
/* Whether pgid may become the foreground group of session sid's terminal: 0,
   -U_EPERM when it is another session's, -U_ESRCH when no process (zombies included)
   has it. */
int uproc_pgrp_check(const struct uproc_table *tab, int pgid, int sid);

/*
 * Sets of living processes a signal goes to, written to out (at most max; the count
 * is returned). The caller signals them afterwards: signalling may end a process and
 * change the table.
 *   uproc_pgrp_members: the members of group pgid;
 *   uproc_session_others: the members of session sid but except;
 *   uproc_kill_targets: kill(which) for which <= 0 by self: 0 is self's group, -1
 *   every process but init and self, < -1 group -which.
 */
int uproc_pgrp_members(const struct uproc_table *tab, int pgid, struct uproc **out, int max);
int uproc_session_others(const struct uproc_table *tab, int sid, const struct uproc *except,
			 struct uproc **out, int max);
int uproc_kill_targets(const struct uproc_table *tab, const struct uproc *self, int64_t which,
		       struct uproc **out, int max);

#endif
