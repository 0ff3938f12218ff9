/*
 * Identity and odds and ends: uname and the host name, the uid/gid calls with
 * POSIX's rules, groups, capabilities, resource limits, getrandom and sysinfo; and
 * the per-process side records (sys_misc.h) this part keeps.
 */
#include <stdlib.h>
#include <string.h>
#include <mach/mach_interface.h>
#include <mach/vm_statistics.h>

#include "lx.h"
#include "sys_misc.h"

/* Linux values abi.h does not name. */
#define LINUX_GRND_INSECURE	4
#define LINUX_CAP_V1		0x19980330u
#define LINUX_CAP_V2		0x20071026u
#define LINUX_CAP_V3		0x20080522u
#define LINUX_NR_OPEN		FDT_LIMIT_MAX	/* the most descriptors a table takes */
#define LINUX_HOST_NAME_MAX	64
#define NO_ID			0xffffffffu	/* "-1": leave that id as it is */

/* --- per-process side records --- */

static struct lx_pmisc *pmiscs;

struct lx_pmisc *lx_pmisc(struct lx_proc *p, bool create)
{
	struct lx_pmisc *m;

	for (m = pmiscs; m; m = m->next) {
		if (m->proc != p)
			continue;
		if (m->pid != p->pid || m->start_ns != p->start_ns)
			break;		/* a record of a dead process at the same address */
		return m;
	}
	if (!create)
		return NULL;
	if (!m) {
		m = malloc(sizeof(*m));
		if (!m)
			return NULL;
		memset(m, 0, sizeof(*m));
		m->next = pmiscs;
		pmiscs = m;
	} else {
		struct lx_pmisc *next = m->next;
		lx_timer_cancel(&m->alarm);
		memset(m, 0, sizeof(*m));
		m->next = next;
	}
	m->proc = p;
	m->pid = p->pid;
	m->start_ns = p->start_ns;
	return m;
}

void lx_misc_fork(struct lx_proc *parent, struct lx_proc *child)
{
	struct lx_pmisc *pm = lx_pmisc(parent, false), *cm;

	if (pm && pm->nice && (cm = lx_pmisc(child, true)))
		cm->nice = pm->nice;
}

void lx_misc_exit(struct lx_proc *p)
{
	struct lx_pmisc **pp, *m;

	for (pp = &pmiscs; (m = *pp); pp = &m->next) {
		if (m->proc == p) {
			*pp = m->next;
			lx_timer_cancel(&m->alarm);
			free(m);
			return;
		}
	}
}

/* --- uname and the host name --- */

static char hostname[LINUX_HOST_NAME_MAX + 1] = "mach";
static char domainname[LINUX_HOST_NAME_MAX + 1] = "(none)";

static void set_field(char *dst, const char *src)
{
	size_t n = strnlen(src, LINUX_UTSNAME_LEN - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

LX_SYSCALL(uname)
{
	struct linux_utsname u;

	memset(&u, 0, sizeof(u));
	set_field(u.sysname, "Linux");
	set_field(u.nodename, hostname);
	set_field(u.release, "6.1.0");
	set_field(u.version, "#1 SMP Mach personality");
	set_field(u.machine, "x86_64");
	set_field(u.domainname, domainname);
	return lx_copyout(t->proc, a[0], &u, sizeof(u));
}

static long set_name(struct lx_thread *t, char *dst, uint64_t uaddr, uint64_t len)
{
	char buf[LINUX_HOST_NAME_MAX + 1];
	int r;

	if (t->proc->cred.uid != 0)
		return -LINUX_EPERM;
	if (len > LINUX_HOST_NAME_MAX)
		return -LINUX_EINVAL;
	r = lx_copyin(t->proc, uaddr, buf, (size_t)len);
	if (r < 0)
		return r;
	buf[len] = '\0';
	memcpy(dst, buf, (size_t)len + 1);
	return 0;
}

LX_SYSCALL(sethostname)
{
	return set_name(t, hostname, a[0], a[1]);
}

LX_SYSCALL(setdomainname)
{
	return set_name(t, domainname, a[0], a[1]);
}

/* --- user and group ids --- */

LX_SYSCALL(getuid)  { (void)a; return t->proc->uid; }
LX_SYSCALL(geteuid) { (void)a; return t->proc->cred.uid; }
LX_SYSCALL(getgid)  { (void)a; return t->proc->gid; }
LX_SYSCALL(getegid) { (void)a; return t->proc->cred.gid; }

/*
 * The three ids of one kind (real, effective, saved) and the rules for changing
 * them; uid and gid share the code. Privilege is an effective uid of 0 for both
 * kinds, as with Linux's CAP_SETUID/CAP_SETGID in a root process.
 */
struct ids {
	uint32_t *r, *e, *s;
};

static struct ids uids(struct lx_proc *p)
{
	return (struct ids){ &p->uid, &p->cred.uid, &p->suid };
}

static struct ids gids(struct lx_proc *p)
{
	return (struct ids){ &p->gid, &p->cred.gid, &p->sgid };
}

static bool one_of(uint32_t id, struct ids ids)
{
	return id == *ids.r || id == *ids.e || id == *ids.s;
}

/* setresuid/setresgid: each id given (not -1) must be one of the current three. */
static long set_res(struct lx_proc *p, struct ids ids, uint32_t r, uint32_t e, uint32_t s)
{
	if (p->cred.uid != 0 && ((r != NO_ID && !one_of(r, ids)) ||
				 (e != NO_ID && !one_of(e, ids)) ||
				 (s != NO_ID && !one_of(s, ids))))
		return -LINUX_EPERM;
	if (r != NO_ID)
		*ids.r = r;
	if (e != NO_ID)
		*ids.e = e;
	if (s != NO_ID)
		*ids.s = s;
	return 0;
}

/* setreuid/setregid: the real id may become the real or effective one, the effective
   any of the three; the saved id follows the effective one when the real one is set
   or the effective one becomes other than the old real id. */
static long set_re(struct lx_proc *p, struct ids ids, uint32_t r, uint32_t e)
{
	uint32_t old_r = *ids.r;

	if (p->cred.uid != 0 && ((r != NO_ID && r != *ids.r && r != *ids.e) ||
				 (e != NO_ID && !one_of(e, ids))))
		return -LINUX_EPERM;
	if (r != NO_ID)
		*ids.r = r;
	if (e != NO_ID)
		*ids.e = e;
	if (r != NO_ID || (e != NO_ID && e != old_r))
		*ids.s = *ids.e;
	return 0;
}

/* setuid/setgid: privileged sets all three, otherwise only the effective id, to the
   real or saved one. */
static long set_one(struct lx_proc *p, struct ids ids, uint32_t id)
{
	if (id == NO_ID)
		return -LINUX_EINVAL;
	if (p->cred.uid == 0) {
		*ids.r = *ids.e = *ids.s = id;
		return 0;
	}
	if (id != *ids.r && id != *ids.s)
		return -LINUX_EPERM;
	*ids.e = id;
	return 0;
}

static long get_res(struct lx_proc *p, struct ids ids, const uint64_t a[6])
{
	int r = lx_copyout(p, a[0], ids.r, 4);

	if (r == 0)
		r = lx_copyout(p, a[1], ids.e, 4);
	if (r == 0)
		r = lx_copyout(p, a[2], ids.s, 4);
	return r;
}

LX_SYSCALL(setuid)    { return set_one(t->proc, uids(t->proc), (uint32_t)a[0]); }
LX_SYSCALL(setgid)    { return set_one(t->proc, gids(t->proc), (uint32_t)a[0]); }
LX_SYSCALL(setreuid)  { return set_re(t->proc, uids(t->proc), (uint32_t)a[0], (uint32_t)a[1]); }
LX_SYSCALL(setregid)  { return set_re(t->proc, gids(t->proc), (uint32_t)a[0], (uint32_t)a[1]); }
LX_SYSCALL(getresuid) { return get_res(t->proc, uids(t->proc), a); }
LX_SYSCALL(getresgid) { return get_res(t->proc, gids(t->proc), a); }

LX_SYSCALL(setresuid)
{
	return set_res(t->proc, uids(t->proc), (uint32_t)a[0], (uint32_t)a[1], (uint32_t)a[2]);
}

LX_SYSCALL(setresgid)
{
	return set_res(t->proc, gids(t->proc), (uint32_t)a[0], (uint32_t)a[1], (uint32_t)a[2]);
}

/* The file-system ids are the effective ones here: the call reports them and changes
   nothing (no separate fsuid is kept). */
LX_SYSCALL(setfsuid) { (void)a; return t->proc->cred.uid; }
LX_SYSCALL(setfsgid) { (void)a; return t->proc->cred.gid; }

LX_SYSCALL(getgroups)
{
	struct lx_proc *p = t->proc;
	int64_t size = (int32_t)a[0];
	uint32_t n = p->cred.ngroups;
	int r;

	if (size < 0)
		return -LINUX_EINVAL;
	if (size == 0)
		return n;
	if ((uint64_t)size < n)
		return -LINUX_EINVAL;
	r = lx_copyout(p, a[1], p->cred.groups, n * sizeof(uint32_t));
	return r < 0 ? r : (long)n;
}

LX_SYSCALL(setgroups)
{
	struct lx_proc *p = t->proc;
	uint32_t groups[U_NGROUPS_MAX];
	int64_t n = (int32_t)a[0];
	int r;

	if (n < 0 || n > U_NGROUPS_MAX)
		return -LINUX_EINVAL;
	if (p->cred.uid != 0)
		return -LINUX_EPERM;
	r = lx_copyin(p, a[1], groups, (size_t)n * sizeof(uint32_t));
	if (r < 0)
		return r;
	memcpy(p->cred.groups, groups, (size_t)n * sizeof(uint32_t));
	p->cred.ngroups = (uint32_t)n;
	return 0;
}

/* Capabilities: none are reported (root's powers come from uid 0 here). */
LX_SYSCALL(capget)
{
	struct lx_proc *p = t->proc;
	uint32_t hdr[2], zero[6] = { 0 };
	int r = lx_copyin(p, a[0], hdr, sizeof(hdr));

	if (r < 0)
		return r;
	if (hdr[0] != LINUX_CAP_V1 && hdr[0] != LINUX_CAP_V2 && hdr[0] != LINUX_CAP_V3) {
		hdr[0] = LINUX_CAP_V3;
		r = lx_copyout(p, a[0], hdr, 4);
		return r < 0 ? r : (a[1] ? -LINUX_EINVAL : 0);
	}
	if ((int32_t)hdr[1] < 0)
		return -LINUX_EINVAL;
	if (hdr[1] && !lx_proc_find((int)hdr[1]))
		return -LINUX_ESRCH;
	if (!a[1])
		return 0;
	return lx_copyout(p, a[1], zero, hdr[0] == LINUX_CAP_V1 ? 12 : 24);
}

LX_SYSCALL(capset)
{
	(void)a;
	return t->proc->cred.uid == 0 ? 0 : -LINUX_EPERM;
}

/* --- resource limits --- */

void lx_rlimit_defaults(struct lx_proc *p)
{
	int i;

	for (i = 0; i < LINUX_RLIMIT_NLIMITS; i++)
		p->rlim[i] = (struct linux_rlimit){ LINUX_RLIM_INFINITY, LINUX_RLIM_INFINITY };
	p->rlim[LINUX_RLIMIT_NOFILE] = (struct linux_rlimit){ FDT_LIMIT_DEFAULT, 4096 };
	p->rlim[LINUX_RLIMIT_STACK] = (struct linux_rlimit){ 8u << 20, LINUX_RLIM_INFINITY };
	p->rlim[LINUX_RLIMIT_NPROC] = (struct linux_rlimit){ LX_PROC_LIMIT, LX_PROC_LIMIT };
}

/* Whether the caller may change target's limits (prlimit64's rule). */
static bool may_limit(struct lx_proc *caller, struct lx_proc *target)
{
	uint32_t u = caller->uid, g = caller->gid;

	if (caller == target || caller->cred.uid == 0)
		return true;
	return u == target->uid && u == target->cred.uid && u == target->suid &&
	       g == target->gid && g == target->cred.gid && g == target->sgid;
}

/* Sets one limit of p by Linux's rules; cred is who asks. */
static long rlimit_set(struct lx_proc *p, const struct lx_proc *asker, unsigned res,
		       struct linux_rlimit nl)
{
	struct linux_rlimit *ol = &p->rlim[res];

	if (nl.rlim_cur > nl.rlim_max)
		return -LINUX_EINVAL;
	if (nl.rlim_max > ol->rlim_max && asker->cred.uid != 0)
		return -LINUX_EPERM;
	if (res == LINUX_RLIMIT_NOFILE) {
		if (nl.rlim_max > LINUX_NR_OPEN)
			return -LINUX_EPERM;
		if (p->fdt)
			fdt_set_limit(p->fdt, nl.rlim_cur ? (int)nl.rlim_cur : 1);
	}
	*ol = nl;
	return 0;
}

static long prlimit(struct lx_thread *t, int pid, uint64_t res, uint64_t new_addr,
		    uint64_t old_addr)
{
	struct lx_proc *p = t->proc, *target = pid ? lx_proc_find(pid) : p;
	struct linux_rlimit nl, old;
	long r;

	if (res >= LINUX_RLIMIT_NLIMITS)
		return -LINUX_EINVAL;
	if (pid < 0 || !target || target->state == LX_ZOMBIE)
		return -LINUX_ESRCH;
	if (new_addr) {
		r = lx_copyin(p, new_addr, &nl, sizeof(nl));
		if (r < 0)
			return r;
		if (!may_limit(p, target))
			return -LINUX_EPERM;
	}
	old = target->rlim[res];
	if (new_addr) {
		r = rlimit_set(target, p, (unsigned)res, nl);
		if (r < 0)
			return r;
	}
	if (old_addr)
		return lx_copyout(p, old_addr, &old, sizeof(old));
	return 0;
}

LX_SYSCALL(prlimit64) { return prlimit(t, (int)a[0], a[1], a[2], a[3]); }
LX_SYSCALL(getrlimit) { return prlimit(t, 0, a[0], 0, a[1]); }

LX_SYSCALL(setrlimit)
{
	if (!a[1])
		return -LINUX_EFAULT;
	return prlimit(t, 0, a[0], a[1], 0);
}

/* --- getrandom --- */

/* getrandom draws from /dev/urandom's generator (dev.c, lx_random_bytes). */

LX_SYSCALL(getrandom)
{
	uint64_t buf[512];
	uint64_t len = a[1], done = 0;

	if (a[2] & ~(uint64_t)(LINUX_GRND_NONBLOCK | LINUX_GRND_RANDOM | LINUX_GRND_INSECURE) ||
	    (a[2] & LINUX_GRND_RANDOM && a[2] & LINUX_GRND_INSECURE))
		return -LINUX_EINVAL;
	if (len > 0x1ffffff)		/* Linux's cap on one call (32 MiB - 1) */
		len = 0x1ffffff;
	while (done < len) {
		size_t k = len - done < sizeof(buf) ? (size_t)(len - done) : sizeof(buf);
		int r;

		lx_random_bytes(buf, k);
		r = lx_copyout(t->proc, a[0] + done, buf, k);
		if (r < 0)
			return done ? (long)done : r;
		done += k;
	}
	return (long)done;
}

/* --- sysinfo --- */

struct linux_sysinfo {
	int64_t uptime;
	uint64_t loads[3];
	uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;
};
_Static_assert(sizeof(struct linux_sysinfo) == 112, "struct sysinfo");

LX_SYSCALL(sysinfo)
{
	struct linux_sysinfo si;
	vm_statistics_data_t vs;
	struct lx_proc *p;

	(void)a;
	memset(&si, 0, sizeof(si));
	si.uptime = (int64_t)(lx_now_ns() / 1000000000u);
	if (vm_statistics(t->proc->task, &vs) == KERN_SUCCESS && vs.pagesize > 0) {
		si.freeram = (uint64_t)(uint32_t)vs.free_count * (uint64_t)vs.pagesize;
		si.totalram = si.freeram + ((uint64_t)(uint32_t)vs.active_count +
					    (uint64_t)(uint32_t)vs.inactive_count +
					    (uint64_t)(uint32_t)vs.wire_count) * (uint64_t)vs.pagesize;
	}
	for (p = lx_proc_first(); p; p = p->next)
		si.procs++;
	si.mem_unit = 1;
	return lx_copyout(t->proc, a[0], &si, sizeof(si));
}
