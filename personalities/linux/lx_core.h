/*
 * Between the server's core files (main.c, proc.c, exec.c, signal.c): what they call of
 * each other beyond lx.h.
 */
#ifndef _LX_CORE_H_
#define _LX_CORE_H_

#include "lx.h"

/* proc.c */
/* Creates pid 1 running argv[0] (a path in the root image). 0 or -errno. */
long lx_start_init(int argc, char **argv);
bool lx_init_exited(void);
int lx_init_status(void);		/* pid 1's wait status once it exited */
void lx_signal_pgrp_session_hup(struct lx_proc *leader);
/* A thread's registers through thread_get_state / thread_set_state. */
kern_return_t lx_thread_get_regs(mach_port_t thread, foreign_regs_t r);
kern_return_t lx_thread_set_regs(mach_port_t thread, const foreign_regs_t r);

/* main.c */
/* Sends the held reply now (the loop would send it with its next receive): its
   thread's registers are then final, as a signal delivered to running code needs. */
void lx_flush_reply(void);
void lx_unpark(struct lx_thread *t);
extern mach_port_t lx_excport;

void lx_ucore_clock(struct utimespec *ts);

/* exec.c: replaces p's program (its only thread t) with path. On success t has been
   answered (a jump to the new entry) and the result is LX_NOREPLY; before the point of
   no return, -errno and nothing changed; after it, the process is killed. */
long lx_exec(struct lx_thread *t, const char *path, char *const argv[], int argc,
	     char *const envp[], int envc);

/* signal.c */
/* Linux's signal numbering for the core's rules (usignal.h); lx_signal_init (at the
   start of lx_start_init) derives its masks. */
extern struct usig_abi lx_sigabi;
void lx_signal_init(void);
/* At the reply of t's system call with result: delivers a pending signal if there is
   one. true if it answered the call (or ended or stopped the process). */
bool lx_signal_deliver(struct lx_thread *t, long result);
/* A guest thread's exception: KERN_SUCCESS to resume it (a handler frame was set up),
   MIG_NO_REPLY when the process was ended. */
kern_return_t lx_exception(mach_port_t task, mach_port_t thread, int exception, int code,
			   int64_t subcode);
/* Signal state for a new process or after exec. */
void lx_signal_exec(struct lx_proc *p);

#endif
