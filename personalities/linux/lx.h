/*
 * The Linux personality server's internal contract: processes, threads, the system
 * call in progress, blocking and waking, guest memory, and the system-call table.
 * Every sys_*.c file works against this header only (plus abi.h and the common core).
 *
 * The server is one thread running one message loop (main.c). A guest thread's
 * `syscall` arrives as a foreign_syscall request; the server looks up the handler in
 * the table and calls it with the thread, whose `regs` hold the registers at the
 * syscall. A handler returns
 *   - a result (>= 0, or -LINUX_Exxx): the server replies with rax = result;
 *   - LX_BLOCK, after lx_block(): the thread is parked, its reply kept. When a wake
 *     event the thread waits for happens (or its deadline passes, or a signal comes),
 *     the server calls the same handler again with the same registers: a handler
 *     that blocks must have changed nothing visible before returning LX_BLOCK;
 *   - LX_NOREPLY: the handler answered already or the thread no longer exists (execve,
 *     exit, rt_sigreturn use lx_reply_regs or kill the thread themselves).
 * Before any reply, pending unblocked signals are delivered (signal.c): the reply
 * then jumps to the handler with the result saved in the frame.
 */
#ifndef _LX_H_
#define _LX_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mach/mach_types.h>
#include <mach/personality.h>

#include "abi.h"
#include "sigframe.h"
#include "personalities/common/fdtable.h"
#include "personalities/common/uproc.h"
#include "personalities/common/usignal.h"
#include "personalities/common/vfs.h"

#define LX_BLOCK	(-100000L)	/* parked: run me again on a wake */
#define LX_NOREPLY	(-100001L)	/* answered already, or the thread is gone */

#define LX_PID_MAX	32768
#define LX_PROC_LIMIT	256		/* processes at once: fork beyond it is EAGAIN */

/* What a parked thread waits for (lx_block's `events`), and lx_wake's argument. */
#define LX_EV_IO	0x1u	/* a pipe, terminal or device changed state */
#define LX_EV_CHILD	0x2u	/* a child exited, stopped or continued */
#define LX_EV_SIGNAL	0x4u	/* only a signal (pause, sigsuspend; always implied) */

struct lx_proc;

struct lx_thread {
	struct lx_proc *proc;
	struct lx_thread *next_in_proc;
	int tid;
	mach_port_t thread;		/* send right to the Mach thread */

	/* The system call in progress (reply != MACH_PORT_NULL while one is). */
	mach_port_t reply;		/* the send-once reply right */
	foreign_regs_t regs;		/* registers at the syscall */
	uint64_t nr;			/* regs[RAX] at the syscall */

	/* Parking (lx_block). */
	bool parked;
	unsigned events;		/* LX_EV_* it waits for */
	uint64_t deadline;		/* lx_now_ns() time, 0 = none */
	bool timed_out;			/* set on the re-run after the deadline passed */
	bool first;			/* true on the call's first run, false on re-runs */
	uint64_t scratch[4];		/* a handler's own state across re-runs */
	struct lx_thread *next_parked;

	/* Signals: the core's mask and pending set (usignal.h), also under their own
	   names (blocked, pending, saved_blocked, sigsuspend); Linux's sets are the same
	   64 bits. */
	union {
		struct usigthread usig;
		struct { USIGTHREAD_FIELDS };
	};
	struct linux_altstack altstack;

	/* The core's: a call interrupted by a signal, a reply held while stopped. */
	bool kicked;			/* a signal came: re-run it */
	bool held;			/* the process stopped before the reply went out */
	long held_result;

	uint64_t fs_base;		/* arch_prctl(ARCH_SET_FS) */
	uint64_t clear_child_tid;	/* set_tid_address */
};

/* Process states: the core's (uproc.h). */
#define LX_RUNNING	UP_RUNNING
#define LX_STOPPED	UP_STOPPED
#define LX_ZOMBIE	UP_ZOMBIE

struct lx_proc {
	/*
	 * The core's process (uproc.h: pid, parent, children, sibling, next, pgid, sid,
	 * state, status, wait_reportable, uid, suid, gid, sgid, cred), first, so that a
	 * struct uproc * is the lx_proc's address (lx_proc_of). Its fields are also
	 * declared here under their own names with links typed struct lx_proc *, so the
	 * server reads p->pid and p->parent->comm; every struct pointer has the same
	 * representation. The core writes through struct uproc and the server reads through
	 * the other member (or the reverse): two struct types, which gcc's type-based alias
	 * analysis may assume never overlap, so the server and everything compiled with it
	 * is built with -fno-strict-aliasing (linux.mk; without it lxtty.scn's probe read
	 * stale fields).
	 */
	union {
		struct uproc up;
		struct { UPROC_FIELDS(struct lx_proc) };
	};

	mach_port_t task;		/* send right */
	mach_port_t sysport;		/* receive right: its threads' system calls */
	struct lx_thread *threads;
	int nthreads;

	/* Files. */
	struct fdtable *fdt;
	struct vnode *cwd;		/* references */
	struct vnode *root;
	uint32_t umask;
	struct lx_tty *ctty;		/* controlling terminal, or NULL */
	struct lx_thread *vfork_parent;	/* waits in vfork until this one execs or exits */

	/* Memory. */
	uint64_t brk_start, brk;	/* the heap: [brk_start, brk) is allocated up to page */
	uint64_t mmap_base;		/* next address mmap hands out when no hint fits */

	/* Signals shared by the threads: the core's actions (handler, flags and mask as
	   rt_sigaction gave them) and pending set (usignal.h), also under their own names
	   (act, pending). */
	union {
		struct usigproc usig;
		struct { USIGPROC_FIELDS };
	};

	/* What exec recorded, for /proc. */
	char exe[U_PATH_MAX];		/* the resolved path of the program */
	char comm[16];			/* its last path component, truncated */
	char *cmdline;			/* argv strings, NUL-separated (malloc'd) */
	size_t cmdline_len;
	uint64_t start_ns;		/* lx_now_ns() at fork */
	/* CPU time in ns: its own, read when it exited; and its reaped children's (theirs
	   and their reaped children's), as times(), getrusage and wait4 report them. */
	uint64_t exit_user_ns, exit_sys_ns;
	uint64_t child_user_ns, child_sys_ns;

	struct linux_rlimit rlim[LINUX_RLIMIT_NLIMITS];

	/* The core's (signal.c): the siginfo of each pending signal. */
	struct linux_siginfo siginfo[LINUX_NSIG + 1];
};

/* The process whose core part is u (NULL for NULL). */
static inline struct lx_proc *lx_proc_of(struct uproc *u)
{
	return (struct lx_proc *)u;
}

/* A wait status in Linux's encoding (wait4, /proc/PID/stat). */
static inline int lx_wstatus(struct uwstatus st)
{
	switch (st.how) {
	case UW_EXITED: return LINUX_W_EXITCODE(st.value);
	case UW_KILLED: return LINUX_W_SIGNALED(st.value, st.core);
	case UW_STOPPED: return LINUX_W_STOPCODE(st.value);
	default: return LINUX_W_CONTINUED;
	}
}

/* --- the server (main.c) --- */

/* The server's ports and rights. */
extern mach_port_t lx_host;		/* host (for time); priv if given */
extern mach_port_t lx_portset;		/* everything the loop receives on */

/* The thread whose system call is being handled (NULL between calls): /proc/self,
   /dev/tty and the like ask it who is asking. */
extern struct lx_thread *lx_current;

/* Nanoseconds since boot (monotonic), and the wall clock. */
uint64_t lx_now_ns(void);
void lx_realtime(struct linux_timespec *ts);

/* Parks t until one of events happens or deadline (lx_now_ns time; 0: none) passes;
   returns LX_BLOCK for the handler to return. */
long lx_block(struct lx_thread *t, unsigned events, uint64_t deadline);
/* Re-runs every thread parked on one of events (from the main loop, after the current
   message; safe to call from anywhere, e.g. a pipe's wake callback). */
void lx_wake(unsigned events);
/* Re-runs one parked thread (a signal came for it). */
void lx_wake_thread(struct lx_thread *t);

/* Replies to t's system call with rax = result (ordinary return). */
void lx_reply(struct lx_thread *t, long result);
/* Replies with registers (mask: FOREIGN_MASK bits; a jump when it includes any of
   FOREIGN_MASK_JUMP). Used by execve, rt_sigreturn and signal delivery. */
void lx_reply_regs(struct lx_thread *t, const foreign_regs_t regs, uint32_t mask);

/* Logs an unimplemented system call once per number. */
void lx_log_enosys(struct lx_thread *t);

/* --- guest memory (umem.c) --- */

/* Copies between the guest's address space and the server's. 0, or -LINUX_EFAULT
   for any unmapped or inaccessible byte (nothing is written on failure of copyout). */
int lx_copyin(struct lx_proc *p, uint64_t uaddr, void *buf, size_t n);
int lx_copyout(struct lx_proc *p, uint64_t uaddr, const void *buf, size_t n);
/* A NUL-terminated string of at most max bytes with its NUL: its length, or
   -LINUX_EFAULT, or -LINUX_ENAMETOOLONG when no NUL is found in max bytes. */
long lx_copyinstr(struct lx_proc *p, uint64_t uaddr, char *buf, size_t max);

/* --- processes (proc.c) --- */

/* The process table: the core's (uproc.h), whose rules (groups, sessions, orphaned
   groups, wait) take &lx_procs and &p->up. */
extern struct uproc_table lx_procs;
struct lx_proc *lx_proc_find(int pid);
struct lx_proc *lx_proc_first(void);		/* iterate with p->next */
struct lx_thread *lx_thread_find(int tid);
/* Ends the whole process with wait status wstatus (exit: code << 8; signal: sig). */
void lx_proc_exit(struct lx_proc *p, int wstatus);
/* p's CPU time so far (user and system, ns; a process that exited: what it had then);
   returns their sum. */
uint64_t lx_proc_cpu_ns(struct lx_proc *p, uint64_t *user, uint64_t *sys);
/* wait4's rusage times for an exited child c: its own and its reaped children's. */
struct linux_rusage;
void lx_child_rusage(const struct lx_proc *c, struct linux_rusage *ru);
/* p has execed or is exiting: the parent waiting in vfork for it goes on. */
void lx_vfork_done(struct lx_proc *p);
/* The core context (credentials, root, cwd) for path lookups. */
void lx_proc_vfs_ctx(struct lx_proc *p, struct vfs_ctx *ctx);

/* --- signals (signal.c) --- */

/* Sends sig to a process (one of its threads that does not block it takes it), or to
   one thread. info may be NULL (SI_USER from the server). */
void lx_signal_proc(struct lx_proc *p, int sig, const struct linux_siginfo *info);
void lx_signal_thread(struct lx_thread *t, int sig, const struct linux_siginfo *info);
/* Sends sig to every process of process group pgid: 0, or -LINUX_ESRCH if none. */
int lx_signal_pgrp(int pgid, int sig);
/* Whether t has a pending signal it does not block (a blocking call then stops). */
bool lx_signal_pending(struct lx_thread *t);

/* --- errors --- */

/* The Linux errno for a core error (-U_Exxx -> -LINUX_Exxx; >= 0 unchanged). */
long lx_err(long core_result);

/* --- files (sys_fs.c, dev.c, procfs.c) --- */

/* Mounts the root (tmpfs filled from the cpio image), /dev and /proc. 0 or -errno. */
int lx_fs_init(const void *cpio, size_t cpio_size);

/* --- lxfs: added by branch lxfs --- */
/* The root directory lx_fs_init made (borrowed: vnode_ref it for a process's root/cwd). */
struct vnode *lx_fs_root(void);
/* n bytes from /dev/urandom's generator (xoshiro256** seeded from rdtsc; not
   cryptographic). getrandom and AT_RANDOM may use it. */
void lx_random_bytes(void *buf, size_t n);
/* --- end lxfs --- */

/* --- terminal (tty.c) --- */

struct lx_tty;
/* Opens the serial device name through the device master and registers /dev/ttyS0,
   /dev/console and /dev/tty. 0 or -errno. */
int lx_tty_init(mach_port_t device_master, const char *name);
/* A device_read/device_write reply for the terminal: true if it was one. */
bool lx_tty_message(mach_msg_header_t *msg);
/* The terminal the process would get as its controlling terminal. */
struct lx_tty *lx_tty_console(void);
/* Whether all the terminal's output has been handed to the serial server. */
bool lx_tty_flushed(void);
/* Called when a session leader exits: the terminal forgets the session. */
void lx_tty_session_gone(struct lx_tty *tty, int sid);
/* The file layer's entries for a description of a terminal (sys_fs.c calls these
   instead of file_read/file_write/its own ioctl when lx_file_tty(f) is not NULL).
   They may return LX_BLOCK (after lx_block) and apply job control (SIGTTIN/SIGTTOU). */
struct lx_tty *lx_file_tty(struct file *f);
long lx_tty_read(struct lx_thread *t, struct file *f, void *buf, size_t n);
long lx_tty_write(struct lx_thread *t, struct file *f, const void *buf, size_t n);
long lx_tty_ioctl(struct lx_thread *t, struct file *f, unsigned cmd, uint64_t arg);
unsigned lx_tty_poll(struct file *f);	/* UPOLL_* */

/* --- the system-call table (syscalls.c) --- */

/* A handler: a[0..5] are rdi, rsi, rdx, r10, r8, r9. */
typedef long (*lx_syscall_fn)(struct lx_thread *t, const uint64_t a[6]);
extern const lx_syscall_fn lx_syscalls[LINUX_SYS_COUNT];

#define LX_SYSCALL(name) \
	long sys_##name(struct lx_thread *t __attribute__((unused)), \
			const uint64_t a[6] __attribute__((unused)))

/* --- lxmisc: limits, timers, per-process odds and ends (sys_misc.c, sys_time.c,
       timers.c) --- */

/* The boot defaults of a process's limits (the core calls it for init; fork copies). */
void lx_rlimit_defaults(struct lx_proc *p);

/*
 * One-shot timers on lx_now_ns() time, kept by their owner (no allocation). The main
 * loop calls lx_timers_run(lx_now_ns()) after each message and after a receive
 * timeout, and uses lx_timers_next() (0: none) for the receive timeout.
 */
struct lx_timer {
	uint64_t deadline;
	void (*fn)(void *arg);		/* called once at the deadline; may re-arm */
	void *arg;
	struct lx_timer *next;
	bool armed;
};
void lx_timer_set(struct lx_timer *tm, uint64_t deadline, void (*fn)(void *), void *arg);
void lx_timer_cancel(struct lx_timer *tm);
void lx_timers_run(uint64_t now);
uint64_t lx_timers_next(void);

/* What the core tells sys_misc.c about processes: the child inherits the nice value
   (not the alarm, nor the parent-death signal); at exit the alarm stops. */
void lx_misc_fork(struct lx_proc *parent, struct lx_proc *child);
void lx_misc_exit(struct lx_proc *p);

/* --- end lxmisc --- */

#endif /* _LX_H_ */
