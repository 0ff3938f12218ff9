/*
 * What /proc's files say, in the formats Linux tools parse (busybox ps reads
 * /proc/<pid>/stat and cmdline, and stats /proc/<pid> for its owner), and where its
 * links point. Generated afresh at every read.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "procfs.h"

/* Values this server does not track are reported as Linux reports "nothing": 0. */
#define PROC_MEM_TOTAL_KB	262144ul	/* nominal: the server sees no machine total */

/* Appends to a text that may outgrow its buffer (the length keeps counting). */
struct text {
	char *buf;
	size_t size, len;
};

__attribute__((format(printf, 2, 3)))
static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(t->len < t->size ? t->buf + t->len : NULL,
		      t->len < t->size ? t->size - t->len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len += (size_t)n;
}

static void put_bytes(struct text *t, const void *p, size_t n)
{
	if (t->len < t->size)
		memcpy(t->buf + t->len, p, n < t->size - t->len ? n : t->size - t->len);
	t->len += n;
}

/* Linux's one-letter state: a process is sleeping while all its threads are parked. */
static char proc_state(struct lx_proc *p)
{
	if (p->state == LX_ZOMBIE)
		return 'Z';
	if (p->state == LX_STOPPED)
		return 'T';
	for (struct lx_thread *t = p->threads; t; t = t->next_in_proc)
		if (!t->parked)
			return 'R';
	return p->threads ? 'S' : 'R';
}

static const char *state_name(char s)
{
	switch (s) {
	case 'Z':
		return "zombie";
	case 'T':
		return "stopped";
	case 'S':
		return "sleeping";
	default:
		return "running";
	}
}

static void sig_sets(struct lx_proc *p, uint64_t *ign, uint64_t *catch)
{
	*ign = *catch = 0;
	for (int sig = 1; sig <= LINUX_NSIG; sig++) {
		if (p->act[sig].handler == LINUX_SIG_IGN)
			*ign |= LINUX_SIGBIT(sig);
		else if (p->act[sig].handler != LINUX_SIG_DFL)
			*catch |= LINUX_SIGBIT(sig);
	}
}

/* tty_nr: the console is the only terminal there is (ttyS0, 4:64). */
static unsigned tty_nr(struct lx_proc *p)
{
	return p->ctty ? (unsigned)lx_encode_dev(LX_DEV_TTYS0) : 0;
}

static void text_stat(struct text *t, struct lx_proc *p)
{
	uint64_t ign, catch, ticks = p->start_ns / (1000000000ull / LINUX_CLK_TCK);
	linux_sigset_t blocked = p->threads ? p->threads->blocked : 0;
	char state = proc_state(p);

	sig_sets(p, &ign, &catch);
	/* Fields 1-9: pid (comm) state ppid pgrp session tty_nr tpgid flags. */
	put(t, "%d (%s) %c %d %d %d %u %d %u ", p->pid, p->comm, state,
	    p->parent ? p->parent->pid : 0, p->pgid, p->sid, tty_nr(p), -1, 0u);
	/* 10-21: minflt cminflt majflt cmajflt utime stime cutime cstime priority nice
	   num_threads itrealvalue; times in clock ticks. */
	uint64_t user, sys, tick = 1000000000ull / LINUX_CLK_TCK;
	lx_proc_cpu_ns(p, &user, &sys);
	put(t, "0 0 0 0 %llu %llu %llu %llu 20 0 %d 0 ", (unsigned long long)(user / tick),
	    (unsigned long long)(sys / tick), (unsigned long long)(p->child_user_ns / tick),
	    (unsigned long long)(p->child_sys_ns / tick), p->nthreads);
	/* 22-25: starttime vsize rss rsslim. */
	put(t, "%llu 0 0 %llu ", (unsigned long long)ticks, (unsigned long long)LINUX_RLIM_INFINITY);
	/* 26-37: startcode endcode startstack kstkesp kstkeip signal blocked sigignore
	   sigcatch wchan nswap cnswap. */
	put(t, "0 0 0 0 0 %llu %llu %llu %llu 0 0 0 ", (unsigned long long)p->pending,
	    (unsigned long long)blocked, (unsigned long long)ign, (unsigned long long)catch);
	/* 38-52: exit_signal processor rt_priority policy delayacct_blkio_ticks
	   guest_time cguest_time start_data end_data start_brk arg_start arg_end
	   env_start env_end exit_code. */
	put(t, "%d 0 0 0 0 0 0 0 0 %llu 0 0 0 0 %d\n", LINUX_SIGCHLD,
	    (unsigned long long)p->brk_start, p->state == LX_ZOMBIE ? lx_wstatus(p->status) : 0);
}

static void text_status(struct text *t, struct lx_proc *p)
{
	uint64_t ign, catch;
	char state = proc_state(p);

	sig_sets(p, &ign, &catch);
	put(t, "Name:\t%s\nUmask:\t%04o\nState:\t%c (%s)\n", p->comm, p->umask, state,
	    state_name(state));
	put(t, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", p->pid, p->pid,
	    p->parent ? p->parent->pid : 0);
	put(t, "Uid:\t%u\t%u\t%u\t%u\n", p->uid, p->cred.uid, p->suid, p->cred.uid);
	put(t, "Gid:\t%u\t%u\t%u\t%u\n", p->gid, p->cred.gid, p->sgid, p->cred.gid);
	put(t, "FDSize:\t%d\nGroups:\t", p->fdt ? p->fdt->cap : 0);
	for (uint32_t i = 0; i < p->cred.ngroups && i < U_NGROUPS_MAX; i++)
		put(t, "%u ", p->cred.groups[i]);
	put(t, "\n");
	if (p->state != LX_ZOMBIE)
		put(t, "VmSize:\t%8llu kB\nVmRSS:\t%8u kB\n",
		    (unsigned long long)((p->brk - p->brk_start) >> 10), 0u);
	put(t, "Threads:\t%d\nSigQ:\t0/0\n", p->nthreads);
	put(t, "SigPnd:\t%016llx\nShdPnd:\t%016llx\n",
	    (unsigned long long)(p->threads ? p->threads->pending : 0),
	    (unsigned long long)p->pending);
	put(t, "SigBlk:\t%016llx\nSigIgn:\t%016llx\nSigCgt:\t%016llx\n",
	    (unsigned long long)(p->threads ? p->threads->blocked : 0),
	    (unsigned long long)ign, (unsigned long long)catch);
}

static void text_mounts(struct text *t)
{
	static const struct ucred root_cred = { 0, 0, 0, { 0 } };
	struct mount *ms[16];
	char path[U_PATH_MAX];
	int n = 0;

	put(t, "rootfs / tmpfs rw 0 0\n");
	for (struct mount *m = vfs_mounts(); m && n < 16; m = m->next)
		ms[n++] = m;
	while (n-- > 0) {		/* oldest first, as mounted */
		struct vfs_ctx ctx = { lx_fs_root(), ms[n]->covered, &root_cred };

		if (!ctx.root || vfs_getcwd(&ctx, path, sizeof(path)) < 0)
			continue;
		put(t, "%s %s %s rw%s 0 0\n", ms[n]->fstype, path, ms[n]->fstype,
		    strcmp(ms[n]->fstype, "proc") == 0 ? ",nosuid,nodev,noexec" : "");
	}
}

static void cpuid(uint32_t leaf, uint32_t r[4])
{
#if defined(__x86_64__)
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(0));
#else
	(void)leaf;
	r[0] = r[1] = r[2] = r[3] = 0;
#endif
}

static void text_cpuinfo(struct text *t)
{
	uint32_t r[4];
	char vendor[13];

	cpuid(0, r);
	memcpy(vendor, &r[1], 4);
	memcpy(vendor + 4, &r[3], 4);
	memcpy(vendor + 8, &r[2], 4);
	vendor[12] = '\0';
	cpuid(1, r);
	put(t, "processor\t: 0\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n", vendor,
	    (r[0] >> 8) & 0xf, (r[0] >> 4) & 0xf);
	put(t, "flags\t\t: fpu tsc cx8 cmov mmx fxsr sse sse2 syscall lm\n\n");
}

static long text_of(struct proc_node *n, struct text *t)
{
	struct lx_proc *p = n->pid ? procfs_proc(n) : NULL;
	uint64_t now = lx_now_ns();
	int nprocs = 0, last = 0;

	if (n->pid && !p)
		return -U_ENOENT;
	switch (n->kind) {
	case PK_MEMINFO:
		put(t, "MemTotal:\t%lu kB\nMemFree:\t%lu kB\nMemAvailable:\t%lu kB\n"
		    "Buffers:\t0 kB\nCached:\t\t0 kB\nSwapTotal:\t0 kB\nSwapFree:\t0 kB\n",
		    PROC_MEM_TOTAL_KB, PROC_MEM_TOTAL_KB / 2, PROC_MEM_TOTAL_KB / 2);
		break;
	case PK_UPTIME:
		put(t, "%llu.%02llu 0.00\n", (unsigned long long)(now / 1000000000u),
		    (unsigned long long)(now / 10000000u % 100));
		break;
	case PK_VERSION:
		put(t, "Linux version 6.1.0 (personality@mach) (cc) #1 SMP\n");
		break;
	case PK_MOUNTS:
		text_mounts(t);
		break;
	case PK_CPUINFO:
		text_cpuinfo(t);
		break;
	case PK_LOADAVG:
		for (struct lx_proc *q = lx_proc_first(); q; q = q->next, nprocs++)
			last = q->pid > last ? q->pid : last;
		put(t, "0.00 0.00 0.00 1/%d %d\n", nprocs, last);
		break;
	case PK_FILESYSTEMS:
		put(t, "nodev\ttmpfs\nnodev\tproc\n");
		break;
	case PK_CMDLINE:
		if (p->state != LX_ZOMBIE && p->cmdline)
			put_bytes(t, p->cmdline, p->cmdline_len);
		break;
	case PK_STAT:
		text_stat(t, p);
		break;
	case PK_STATUS:
		text_status(t, p);
		break;
	case PK_STATM:
		put(t, "0 0 0 0 0 0 0\n");
		break;
	case PK_COMM:
		put(t, "%s\n", p->comm);
		break;
	default:
		return -U_EINVAL;
	}
	return 0;
}

long procfs_text(struct proc_node *n, char *buf, size_t size)
{
	struct text t = { buf, size, 0 };
	long r = text_of(n, &t);

	return r < 0 ? r : (long)t.len;
}

/* --- links --- */

/*
 * The path of v below dir, found by walking the tree (vnodes do not know their
 * names): into path[len..], bounded in depth and in entries looked at. /proc is
 * skipped. Returns the new length, or -1 if not found.
 */
struct walk {
	struct vnode *want;
	char *path;
	size_t size;
	unsigned budget;
};

static long walk(struct walk *w, struct vnode *dir, size_t len, int depth)
{
	struct udirent de;
	uint64_t cookie = 2;	/* past "." and ".." */

	if (depth > 16)
		return -1;
	while (w->budget && vfs_readdir(dir, cookie, &de) > 0) {
		struct vnode *v;
		long r = -1;

		w->budget--;
		cookie = de.next;
		if (len + 1 + de.namelen >= w->size)
			continue;
		if (!dir->ops->lookup || dir->ops->lookup(dir, de.name, de.namelen, &v) < 0)
			continue;
		while (v->mounted) {
			struct vnode *root = vnode_ref(v->mounted->root);

			vnode_rele(v);
			v = root;
		}
		w->path[len] = '/';
		memcpy(w->path + len + 1, de.name, de.namelen);
		if (v == w->want)
			r = (long)(len + 1 + de.namelen);
		else if (v->attr.type == VDIR && strcmp(v->mnt->fstype, "proc") != 0)
			r = walk(w, v, len + 1 + de.namelen, depth + 1);
		vnode_rele(v);
		if (r >= 0)
			return r;
	}
	return -1;
}

static long vnode_path(struct lx_proc *p, struct vnode *v, char *buf, size_t size)
{
	struct vfs_ctx ctx = { p->root, v, &p->cred };
	struct walk w = { v, buf, size, 4096 };
	long len;

	if (v->attr.type == VDIR)
		return vfs_getcwd(&ctx, buf, size);
	if (v->attr.type == VCHR && lx_dev_name(v->attr.rdev))
		return snprintf(buf, size, "/dev/%s", lx_dev_name(v->attr.rdev));
	if (v->attr.nlink == 0 || (len = walk(&w, p->root, 0, 0)) < 0)
		return snprintf(buf, size, "/ (deleted)");
	return len;
}

long lx_proc_fd_link(struct lx_proc *p, int fd, char *buf, size_t size)
{
	struct file *f;
	long r;

	if (!p->fdt || fdt_get(p->fdt, fd, &f) < 0)
		return -U_ENOENT;
	if (f->kind == FILE_PIPE) {
		struct vattr va;

		lx_file_attr(f, &va);
		r = snprintf(buf, size, "pipe:[%llu]", (unsigned long long)va.ino);
	} else {
		r = vnode_path(p, f->vp, buf, size);
	}
	file_rele(f);
	if (r >= (long)size)
		r = (long)size - 1;
	return r;
}

long procfs_link(struct proc_node *n, char *buf, size_t size)
{
	struct lx_proc *p = n->pid ? procfs_proc(n) : NULL;
	long r;

	if (n->pid && !p)
		return -U_ENOENT;
	switch (n->kind) {
	case PK_SELF:
		if (!lx_current)
			return -U_ENOENT;
		r = snprintf(buf, size, "%d", lx_current->proc->pid);
		break;
	case PK_EXE:
		if (p->exe[0] == '\0')
			return -U_ENOENT;
		r = snprintf(buf, size, "%s", p->exe);
		break;
	case PK_CWD:
		if (!p->cwd || p->state == LX_ZOMBIE)
			return -U_ENOENT;
		return vnode_path(p, p->cwd, buf, size);
	case PK_ROOT_LINK:
		r = snprintf(buf, size, "/");
		break;
	case PK_FD:
		return lx_proc_fd_link(p, n->fd, buf, size);
	default:
		return -U_EINVAL;
	}
	if (r >= (long)size)
		r = (long)size - 1;
	return r;
}
