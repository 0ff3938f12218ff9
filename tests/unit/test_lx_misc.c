/*
 * Unit tests of the Linux personality's memory, time, identity, limit and poll calls
 * (personalities/linux/sys_mm.c, sys_misc.c, sys_sched.c, sys_time.c, sys_poll.c,
 * timers.c), on the host. The Mach calls are faked by a small page-range map (fake
 * task), the server's functions by recorders (lx_block, signals, a settable clock);
 * guest pointers are host pointers, and address 1 faults. Descriptors are the
 * common core's real pipes and tmpfs files.
 */
#include "ucore_fixture.h"
#include <mach/mach_interface.h>
#include <mach/vm_inherit.h>
#include <mach/vm_prot.h>
#include <mach/x86_64/thread_status.h>
#include "personalities/common/fdtable.h"
#include "lx.h"

#define BAD	1ull			/* a guest address that faults */
#define MB	(1ull << 20)
#define X(name) LX_SYSCALL(name);
#include "sys_mm.tab"
#include "sys_misc.tab"
#undef X

#include "lx_misc_fixture.h"
/* --- brk --- */

static void test_brk_rules(void **state)
{
	(void)state;
	assert_int_equal(C(brk, 0, 0, 0, 0, 0, 0), 0x600000);		/* query */
	assert_int_equal(C(brk, 0x500000, 0, 0, 0, 0, 0), 0x600000);	/* below start */
	assert_int_equal(C(brk, 0x602345, 0, 0, 0, 0, 0), 0x602345);
	assert_non_null(at(0x602fff));
	assert_null(at(0x603000));
	assert_int_equal(C(brk, 0x601000, 0, 0, 0, 0, 0), 0x601000);	/* shrink frees pages */
	assert_null(at(0x601000));
	/* Growing into a mapping fails and leaves the break. */
	insert(0x700000, 0x701000, VM_PROT_DEFAULT, VM_INHERIT_COPY);
	assert_int_equal(C(brk, 0x800000, 0, 0, 0, 0, 0), 0x601000);
	/* RLIMIT_DATA bounds the heap. */
	proc.rlim[LINUX_RLIMIT_DATA].rlim_cur = 0x10000;
	assert_int_equal(C(brk, 0x620000, 0, 0, 0, 0, 0), 0x601000);
	/* No memory to spare: ENOMEM shows as the old break. */
	proc.rlim[LINUX_RLIMIT_DATA].rlim_cur = LINUX_RLIM_INFINITY;
	free_bytes = 8 * MB;
	assert_int_equal(C(brk, 0x602000, 0, 0, 0, 0, 0), 0x601000);
}

/* --- mmap and friends --- */

#define ANON	(LINUX_MAP_PRIVATE | LINUX_MAP_ANONYMOUS)
#define RW	(LINUX_PROT_READ | LINUX_PROT_WRITE)

static void test_mmap_flag_validation(void **state)
{
	(void)state;
	assert_int_equal(C(mmap, 0, 4096, RW, LINUX_MAP_ANONYMOUS, -1, 0), -LINUX_EINVAL);
	assert_int_equal(C(mmap, 0, 0, RW, ANON, -1, 0), -LINUX_EINVAL);
	assert_int_equal(C(mmap, 0, 4096, RW, ANON, -1, 100), -LINUX_EINVAL);
	assert_int_equal(C(mmap, 0x10000100, 4096, RW, ANON | LINUX_MAP_FIXED, -1, 0),
			 -LINUX_EINVAL);
	assert_int_equal(C(mmap, 0, 1ull << 47, RW, ANON, -1, 0), -LINUX_ENOMEM);
	assert_int_equal(C(mmap, 0x7ffffffff000, 8192, RW, ANON | LINUX_MAP_FIXED, -1, 0),
			 -LINUX_ENOMEM);
	assert_int_equal(C(mmap, 0x1000, 4096, RW, ANON | LINUX_MAP_FIXED, -1, 0), -LINUX_EPERM);
	assert_int_equal(C(mmap, 0, 4096, RW, 0x03 | LINUX_MAP_ANONYMOUS | 0x800000, -1, 0),
			 -LINUX_EOPNOTSUPP);		/* SHARED_VALIDATE with an unknown flag */
	assert_int_equal(C(mmap, 0, 4096, RW, LINUX_MAP_PRIVATE, 77, 0), -LINUX_EBADF);
	assert_int_equal(nreg, 1);			/* nothing was mapped */
}

static void test_mmap_placement(void **state)
{
	long a, b;

	(void)state;
	/* No hint: top-down under mmap_base. */
	a = C(mmap, 0, 5000, RW, ANON, -1, 0);
	assert_int_equal(a, 0x7f0000000000 - 8192);
	b = C(mmap, 0, 4096, LINUX_PROT_READ, ANON, -1, 0);
	assert_int_equal(b, a - 4096);
	assert_int_equal(at((uint64_t)b)->prot, VM_PROT_READ);
	/* A free hint is honoured, a taken one is not. */
	assert_int_equal(C(mmap, 0x270000000000, 64 * MB, LINUX_PROT_NONE, ANON, -1, 0),
			 0x270000000000);
	assert_int_equal(at(0x270000000000)->prot, VM_PROT_NONE);
	assert_int_equal(C(mmap, 0x400000, 4096, RW, ANON, -1, 0), b - 4096);
	/* FIXED replaces; FIXED_NOREPLACE refuses. */
	assert_int_equal(C(mmap, 0x500000, 4096, RW, ANON | LINUX_MAP_FIXED, -1, 0), 0x500000);
	assert_int_equal(at(0x500000)->prot, VM_PROT_DEFAULT);
	assert_int_equal(at(0x4ff000)->prot, VM_PROT_ALL);
	assert_int_equal(C(mmap, 0x500000, 4096, RW, ANON | LINUX_MAP_FIXED_NOREPLACE, -1, 0),
			 -LINUX_EEXIST);
	assert_int_equal(C(mmap, 0x900000, 4096, RW, ANON | LINUX_MAP_FIXED_NOREPLACE, -1, 0),
			 0x900000);
	/* MAP_SHARED anonymous memory is shared with children. */
	a = C(mmap, 0, 4096, RW, LINUX_MAP_SHARED | LINUX_MAP_ANONYMOUS, -1, 0);
	assert_int_equal(at((uint64_t)a)->inh, VM_INHERIT_SHARE);
	/* Without a base, anywhere. */
	proc.mmap_base = 0;
	assert_int_equal(C(mmap, 0, 4096, RW, ANON, -1, 0), 0x1000000);
}

static void test_mmap_enomem_when_memory_runs_out(void **state)
{
	(void)state;
	free_bytes = 64 * MB;
	assert_int_equal(C(mmap, 0, 100 * MB, RW, ANON, -1, 0), -LINUX_ENOMEM);
	assert_int_equal(C(mmap, 0, 40 * MB, RW, ANON, -1, 0), 0x7f0000000000 - 40 * MB);
	/* Reservations without write access, or NORESERVE, are not commitments. */
	assert_true(C(mmap, 0, 512 * MB, LINUX_PROT_NONE, ANON, -1, 0) > 0);
	assert_true(C(mmap, 0, 512 * MB, RW, ANON | LINUX_MAP_NORESERVE, -1, 0) > 0);
}

static void test_mmap_private_file(void **state)
{
	struct file *f;
	int fd;
	long a;

	(void)state;
	fx_write("/tmp/data", "hello, mapped world");
	assert_int_equal(file_open(&fx_root_ctx, NULL, "/tmp/data", UO_READ, 0, &f), 0);
	fd = fdt_install(proc.fdt, f, 0, 0);
	file_rele(f);
	a = C(mmap, 0, 100, LINUX_PROT_READ, LINUX_MAP_PRIVATE, fd, 0);
	assert_true(a > 0);
	assert_int_equal(last_out_addr, a);
	assert_memory_equal(last_out, "hello, mapped world", 19);
	assert_int_equal(at((uint64_t)a)->prot, VM_PROT_READ);	/* after the copy */
	/* Read-only shared is a private copy; writable shared is refused. */
	assert_true(C(mmap, 0, 100, LINUX_PROT_READ, LINUX_MAP_SHARED, fd, 0) > 0);
	assert_int_equal(C(mmap, 0, 100, RW, LINUX_MAP_SHARED, fd, 0), -LINUX_ENODEV);
}

static void test_munmap_mprotect(void **state)
{
	long a;

	(void)state;
	a = C(mmap, 0, 3 * 4096, RW, ANON, -1, 0);
	assert_int_equal(C(munmap, a + 1, 4096, 0, 0, 0, 0), -LINUX_EINVAL);
	assert_int_equal(C(munmap, a, 0, 0, 0, 0, 0), -LINUX_EINVAL);
	assert_int_equal(C(mprotect, a + 4096, 4096, LINUX_PROT_READ, 0, 0, 0), 0);
	assert_int_equal(at(a + 4096)->prot, VM_PROT_READ);
	assert_int_equal(at(a)->prot, VM_PROT_DEFAULT);
	assert_int_equal(C(mprotect, a, 4096, 0x40, 0, 0, 0), -LINUX_EINVAL);
	assert_int_equal(C(munmap, a + 4096, 4096, 0, 0, 0, 0), 0);
	assert_null(at(a + 4096));
	/* A hole in the range: ENOMEM, as Linux. */
	assert_int_equal(C(mprotect, a, 3 * 4096, LINUX_PROT_READ, 0, 0, 0), -LINUX_ENOMEM);
	assert_int_equal(C(mprotect, a, 0, LINUX_PROT_READ, 0, 0, 0), 0);	/* nothing to do */
}

static void test_mremap(void **state)
{
	long a;

	(void)state;
	a = C(mmap, 0x10000000, 4096, RW, ANON, -1, 0);
	assert_int_equal(a, 0x10000000);
	assert_int_equal(C(mremap, a, 4096, 8192, 0, 0, 0), a);		/* in place */
	assert_non_null(at(a + 4096));
	insert(a + 8192, a + 12288, VM_PROT_DEFAULT, VM_INHERIT_COPY);
	assert_int_equal(C(mremap, a, 8192, 16384, 0, 0, 0), -LINUX_ENOMEM);
	assert_int_equal(C(mremap, a, 8192, 16384, LINUX_MREMAP_MAYMOVE, 0, 0),
			 0x7f0000000000 - 16384);
	assert_null(at(a));						/* moved */
	assert_int_equal(C(mremap, 0x7f0000000000 - 16384, 16384, 4096, 0, 0, 0),
			 0x7f0000000000 - 16384);			/* shrink */
	assert_null(at(0x7f0000000000 - 12288));
	assert_int_equal(C(mremap, 0x30000000, 4096, 8192, LINUX_MREMAP_MAYMOVE, 0, 0),
			 -LINUX_EFAULT);				/* nothing there */
	assert_int_equal(C(mremap, a, 4096, 8192, LINUX_MREMAP_FIXED, 0, 0), -LINUX_EINVAL);
}

/* --- identity --- */

static void test_setresuid_rules(void **state)
{
	uint32_t r, e, s;

	(void)state;
	/* Unprivileged: only among the current three. */
	assert_int_equal(C(setresuid, -1, 0, -1, 0, 0, 0), -LINUX_EPERM);
	proc.suid = 2000;
	assert_int_equal(C(setresuid, -1, 2000, -1, 0, 0, 0), 0);
	assert_int_equal(proc.cred.uid, 2000);
	assert_int_equal(C(setresuid, 2000, 1000, 1000, 0, 0, 0), 0);
	assert_int_equal(C(getresuid, P(&r), P(&e), P(&s), 0, 0, 0), 0);
	assert_true(r == 2000 && e == 1000 && s == 1000);
	assert_int_equal(C(getresuid, BAD, P(&e), P(&s), 0, 0, 0), -LINUX_EFAULT);
	/* setuid: to the real or saved id only; root sets all three. */
	assert_int_equal(C(setuid, 3000, 0, 0, 0, 0, 0), -LINUX_EPERM);
	assert_int_equal(C(setuid, 2000, 0, 0, 0, 0, 0), 0);
	assert_true(proc.uid == 2000 && proc.cred.uid == 2000 && proc.suid == 1000);
	proc.cred.uid = 0;
	assert_int_equal(C(setuid, 5, 0, 0, 0, 0, 0), 0);
	assert_true(proc.uid == 5 && proc.cred.uid == 5 && proc.suid == 5);
	assert_int_equal(C(setuid, -1, 0, 0, 0, 0, 0), -LINUX_EINVAL);
	/* setreuid: a new effective id other than the old real one moves the saved id. */
	proc.uid = 1;
	proc.cred.uid = 2;
	proc.suid = 3;
	assert_int_equal(C(setreuid, -1, 3, 0, 0, 0, 0), 0);
	assert_true(proc.uid == 1 && proc.cred.uid == 3 && proc.suid == 3);
	assert_int_equal(C(setreuid, 9, -1, 0, 0, 0, 0), -LINUX_EPERM);
	assert_int_equal(C(setreuid, 3, -1, 0, 0, 0, 0), 0);		/* real <- effective */
	assert_true(proc.uid == 3 && proc.suid == 3);
	/* Groups follow the same rules, with privilege from the effective uid. */
	assert_int_equal(C(setresgid, 0, -1, -1, 0, 0, 0), -LINUX_EPERM);
	assert_int_equal(C(getgid, 0, 0, 0, 0, 0, 0), 100);
	assert_int_equal(C(setgroups, 0, 0, 0, 0, 0, 0), -LINUX_EPERM);
}

static void test_uname_fields(void **state)
{
	struct linux_utsname u;
	char name[] = "box";

	(void)state;
	assert_int_equal(C(uname, P(&u), 0, 0, 0, 0, 0), 0);
	assert_string_equal(u.sysname, "Linux");
	assert_string_equal(u.machine, "x86_64");
	assert_string_equal(u.nodename, "mach");
	assert_int_equal(strncmp(u.release, "6.", 2), 0);
	assert_int_equal(C(uname, BAD, 0, 0, 0, 0, 0), -LINUX_EFAULT);
	assert_int_equal(C(sethostname, P(name), 3, 0, 0, 0, 0), -LINUX_EPERM);
	proc.cred.uid = 0;
	assert_int_equal(C(sethostname, P(name), 65, 0, 0, 0, 0), -LINUX_EINVAL);
	assert_int_equal(C(sethostname, P(name), 3, 0, 0, 0, 0), 0);
	assert_int_equal(C(uname, P(&u), 0, 0, 0, 0, 0), 0);
	assert_string_equal(u.nodename, "box");
	C(sethostname, P("mach"), 4, 0, 0, 0, 0);			/* put it back */
}

/* --- limits --- */

static void test_rlimit_rules(void **state)
{
	struct linux_rlimit rl, old;

	(void)state;
	assert_int_equal(C(getrlimit, LINUX_RLIMIT_NOFILE, P(&rl), 0, 0, 0, 0), 0);
	assert_true(rl.rlim_cur == 1024 && rl.rlim_max == 4096);
	assert_int_equal(C(getrlimit, LINUX_RLIMIT_STACK, P(&rl), 0, 0, 0, 0), 0);
	assert_true(rl.rlim_cur == 8 * MB && rl.rlim_max == LINUX_RLIM_INFINITY);
	assert_int_equal(C(getrlimit, 16, P(&rl), 0, 0, 0, 0), -LINUX_EINVAL);
	rl = (struct linux_rlimit){ 200, 100 };
	assert_int_equal(C(setrlimit, LINUX_RLIMIT_NOFILE, P(&rl), 0, 0, 0, 0), -LINUX_EINVAL);
	rl = (struct linux_rlimit){ 100, 5000 };			/* raise max: root only */
	assert_int_equal(C(setrlimit, LINUX_RLIMIT_NOFILE, P(&rl), 0, 0, 0, 0), -LINUX_EPERM);
	rl = (struct linux_rlimit){ 100, 200 };
	assert_int_equal(C(prlimit64, 0, LINUX_RLIMIT_NOFILE, P(&rl), P(&old), 0, 0), 0);
	assert_true(old.rlim_cur == 1024 && old.rlim_max == 4096);
	assert_int_equal(proc.fdt->limit, 100);				/* the table follows */
	rl = (struct linux_rlimit){ 100, 300 };				/* lowered max sticks */
	assert_int_equal(C(setrlimit, LINUX_RLIMIT_NOFILE, P(&rl), 0, 0, 0, 0), -LINUX_EPERM);
	/* Another process: ESRCH if none, EPERM if another user's. */
	assert_int_equal(C(prlimit64, 99, LINUX_RLIMIT_CORE, 0, P(&old), 0, 0), -LINUX_ESRCH);
	assert_int_equal(C(prlimit64, 20, LINUX_RLIMIT_CORE, 0, P(&old), 0, 0), 0);
	assert_int_equal(C(prlimit64, 20, LINUX_RLIMIT_CORE, P(&rl), 0, 0, 0), -LINUX_EPERM);
	proc.cred.uid = 0;
	rl = (struct linux_rlimit){ LINUX_RLIM_INFINITY, LINUX_RLIM_INFINITY };
	assert_int_equal(C(setrlimit, LINUX_RLIMIT_NOFILE, P(&rl), 0, 0, 0, 0), -LINUX_EPERM);
}

/* --- threads --- */

static void test_arch_prctl_and_tid(void **state)
{
	uint64_t v = 0;

	(void)state;
	fsgs[0] = fsgs[1] = 0;
	assert_int_equal(C(arch_prctl, LINUX_ARCH_SET_FS, 0x7000001000, 0, 0, 0, 0), 0);
	assert_true(fsgs[0] == 0x7000001000 && thr.fs_base == 0x7000001000 && fsgs[1] == 0);
	assert_int_equal(C(arch_prctl, LINUX_ARCH_SET_GS, 0x5000, 0, 0, 0, 0), 0);
	assert_true(fsgs[0] == 0x7000001000 && fsgs[1] == 0x5000);
	assert_int_equal(C(arch_prctl, LINUX_ARCH_GET_FS, P(&v), 0, 0, 0, 0), 0);
	assert_int_equal(v, 0x7000001000);
	assert_int_equal(C(arch_prctl, LINUX_ARCH_SET_FS, 0xffff800000000000, 0, 0, 0, 0),
			 -LINUX_EPERM);
	assert_int_equal(C(arch_prctl, 0x3001, 0, 0, 0, 0, 0), -LINUX_EINVAL);
	assert_int_equal(C(set_tid_address, 0x1234, 0, 0, 0, 0, 0), 10);
	assert_int_equal(thr.clear_child_tid, 0x1234);
	assert_int_equal(C(set_robust_list, 0x5000, 12, 0, 0, 0, 0), -LINUX_EINVAL);
}

/* --- poll and select --- */

/* A pipe in the process's table: *rd and *wr are its descriptors. */
static void make_pipe(int *rd, int *wr)
{
	struct file *r, *w;

	assert_int_equal(file_pipe(0, &r, &w), 0);
	*rd = fdt_install(proc.fdt, r, 0, 0);
	*wr = fdt_install(proc.fdt, w, 0, 0);
	file_rele(r);
	file_rele(w);
}

static void test_poll_translation(void **state)
{
	struct linux_pollfd fds[4];
	int rd, wr;

	(void)state;
	make_pipe(&rd, &wr);
	fds[0] = (struct linux_pollfd){ rd, LINUX_POLLIN, 0x7f };
	fds[1] = (struct linux_pollfd){ wr, LINUX_POLLOUT | LINUX_POLLIN, 0 };
	fds[2] = (struct linux_pollfd){ 55, LINUX_POLLIN, 0 };		/* not open */
	fds[3] = (struct linux_pollfd){ -1, LINUX_POLLIN, 0x7f };	/* ignored */
	assert_int_equal(C(poll, P(fds), 4, 0, 0, 0, 0), 2);
	assert_int_equal(fds[0].revents, 0);
	assert_int_equal(fds[1].revents, LINUX_POLLOUT);
	assert_int_equal(fds[2].revents, LINUX_POLLNVAL);
	assert_int_equal(fds[3].revents, 0);
	assert_int_equal(blocks, 0);					/* timeout 0 */
	/* Data: readable; the writer gone: POLLHUP even if not asked. */
	assert_int_equal(fdt_close(proc.fdt, wr), 0);
	fds[0].events = LINUX_POLLIN | LINUX_POLLRDNORM;
	assert_int_equal(C(poll, P(fds), 1, 0, 0, 0, 0), 1);
	assert_int_equal(fds[0].revents, LINUX_POLLHUP);
	assert_int_equal(C(poll, BAD, 1, 0, 0, 0, 0), -LINUX_EFAULT);
	assert_int_equal(C(poll, P(fds), 5000, 0, 0, 0, 0), -LINUX_EINVAL);	/* > NOFILE */
}

static void test_poll_timeout_and_eintr(void **state)
{
	struct linux_pollfd fd;
	struct linux_timespec ts = { 2, 0 };
	linux_sigset_t mask = 1u << 1, old = 0x55;
	int rd, wr;

	(void)state;
	make_pipe(&rd, &wr);
	fd = (struct linux_pollfd){ rd, LINUX_POLLIN, 0 };
	/* Nothing ready: park until now + 1.5 s; re-runs keep that deadline. */
	assert_int_equal(C(poll, P(&fd), 1, 1500, 0, 0, 0), LX_BLOCK);
	assert_int_equal(block_events, LX_EV_IO);
	assert_int_equal(block_deadline, now_ns + 1500000000ull);
	now_ns += 1000000000ull;
	assert_int_equal(rerun(sys_poll, P(&fd), 1, 1500, 0, 0, 0), LX_BLOCK);
	assert_int_equal(block_deadline, now_ns + 500000000ull);
	now_ns += 500000000ull;
	assert_int_equal(rerun(sys_poll, P(&fd), 1, 1500, 0, 0, 0), 0);	/* timed out */
	/* No timeout: no deadline. A signal: EINTR. */
	assert_int_equal(C(poll, P(&fd), 1, -1, 0, 0, 0), LX_BLOCK);
	assert_int_equal(block_deadline, 0);
	sig_pending = true;
	assert_int_equal(rerun(sys_poll, P(&fd), 1, -1, 0, 0, 0), -LINUX_EINTR);
	sig_pending = false;
	/* ppoll waits with its mask; the old one is back after the signal's delivery. */
	thr.blocked = old;
	assert_int_equal(C(ppoll, P(&fd), 1, P(&ts), P(&mask), 8, 0), LX_BLOCK);
	assert_int_equal(thr.blocked, mask);
	now_ns += 500000000ull;
	sig_pending = true;
	assert_int_equal(rerun(sys_ppoll, P(&fd), 1, P(&ts), P(&mask), 8, 0), -LINUX_EINTR);
	assert_true(thr.sigsuspend && thr.saved_blocked == old);
	assert_true(ts.tv_sec == 1 && ts.tv_nsec == 500000000);		/* time left */
	sig_pending = false;
	thr.sigsuspend = false;
	thr.blocked = old;
	/* Data arrives: the mask comes back at once. */
	assert_int_equal(C(ppoll, P(&fd), 1, P(&ts), P(&mask), 8, 0), LX_BLOCK);
	assert_int_equal(file_write(proc.fdt->ents[wr].file, "x", 1), 1);
	assert_int_equal(rerun(sys_ppoll, P(&fd), 1, P(&ts), P(&mask), 8, 0), 1);
	assert_int_equal(fd.revents, LINUX_POLLIN);
	assert_int_equal(thr.blocked, old);
	assert_int_equal(C(ppoll, P(&fd), 1, 0, P(&mask), 4, 0), -LINUX_EINVAL);
}

static void test_select(void **state)
{
	uint64_t rset, wset;
	struct linux_timeval tv = { 0, 250000 };
	int rd, wr;

	(void)state;
	make_pipe(&rd, &wr);
	rset = 1ull << rd;
	wset = 1ull << wr | 1ull << rd;
	assert_int_equal(C(select, 64, P(&rset), P(&wset), 0, P(&tv), 0), 1);
	assert_int_equal(rset, 0);
	assert_int_equal(wset, 1ull << wr);
	/* A closed descriptor in a set: EBADF. */
	rset = 1ull << 40;
	assert_int_equal(C(select, 64, P(&rset), 0, 0, 0, 0), -LINUX_EBADF);
	/* Bits at and past nfds are not looked at. */
	rset = 1ull << 40 | 1ull << rd;
	assert_int_equal(C(select, rd + 1, P(&rset), 0, 0, P(&tv), 0), LX_BLOCK);
	assert_int_equal(block_deadline, now_ns + 250000000ull);
	now_ns += 300000000ull;
	assert_int_equal(rerun(sys_select, rd + 1, P(&rset), 0, 0, P(&tv), 0), 0);
	assert_true(tv.tv_sec == 0 && tv.tv_usec == 0);			/* time left */
	tv = (struct linux_timeval){ 0, 1000000 };
	assert_int_equal(C(select, 1, 0, 0, 0, P(&tv), 0), -LINUX_EINVAL);
	assert_int_equal(C(select, -1, 0, 0, 0, 0, 0), -LINUX_EINVAL);
}

/* --- time --- */

static void test_nanosleep(void **state)
{
	struct linux_timespec req = { 1, 500000000 }, rem = { 9, 9 }, now;

	(void)state;
	assert_int_equal(C(nanosleep, P(&req), P(&rem), 0, 0, 0, 0), LX_BLOCK);
	assert_int_equal(block_events, LX_EV_SIGNAL);
	assert_int_equal(block_deadline, now_ns + 1500000000ull);
	now_ns += 1000000000ull;
	sig_pending = true;
	assert_int_equal(rerun(sys_nanosleep, P(&req), P(&rem), 0, 0, 0, 0), -LINUX_EINTR);
	assert_true(rem.tv_sec == 0 && rem.tv_nsec == 500000000);
	sig_pending = false;
	assert_int_equal(C(nanosleep, P(&req), 0, 0, 0, 0, 0), LX_BLOCK);
	now_ns += 1500000000ull;
	assert_int_equal(rerun(sys_nanosleep, P(&req), 0, 0, 0, 0, 0), 0);
	req.tv_nsec = 1000000000;
	assert_int_equal(C(nanosleep, P(&req), 0, 0, 0, 0, 0), -LINUX_EINVAL);
	/* clock_nanosleep to an absolute time on the monotonic clock. */
	req = (struct linux_timespec){ (int64_t)(now_ns / 1000000000u) + 2, 0 };
	assert_int_equal(C(clock_nanosleep, LINUX_CLOCK_MONOTONIC, LINUX_TIMER_ABSTIME, P(&req),
			   0, 0, 0), LX_BLOCK);
	assert_int_equal(block_deadline, (uint64_t)req.tv_sec * 1000000000u);
	req.tv_sec -= 3;						/* already past */
	assert_int_equal(C(clock_nanosleep, LINUX_CLOCK_MONOTONIC, LINUX_TIMER_ABSTIME, P(&req),
			   0, 0, 0), 0);
	assert_int_equal(C(clock_gettime, LINUX_CLOCK_MONOTONIC, P(&now), 0, 0, 0, 0), 0);
	assert_int_equal((uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec, now_ns);
	assert_int_equal(C(clock_gettime, 99, P(&now), 0, 0, 0, 0), -LINUX_EINVAL);
	assert_int_equal(C(clock_gettime, LINUX_CLOCK_REALTIME, BAD, 0, 0, 0, 0), -LINUX_EFAULT);
}

static void test_timers_and_alarm(void **state)
{
	(void)state;
	assert_int_equal(lx_timers_next(), 0);
	assert_int_equal(C(alarm, 3, 0, 0, 0, 0, 0), 0);
	assert_int_equal(lx_timers_next(), now_ns + 3000000000ull);
	now_ns += 1400000000ull;
	assert_int_equal(C(alarm, 10, 0, 0, 0, 0, 0), 2);		/* 1.6 s left: rounds */
	lx_timers_run(now_ns + 9000000000ull);
	assert_int_equal(last_signal, 0);
	lx_timers_run(now_ns + 10000000000ull);
	assert_int_equal(last_signal, LINUX_SIGALRM);
	assert_int_equal(lx_timers_next(), 0);				/* one-shot */
	assert_int_equal(C(alarm, 0, 0, 0, 0, 0, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_brk_rules),
		T(test_mmap_flag_validation),
		T(test_mmap_placement),
		T(test_mmap_enomem_when_memory_runs_out),
		T(test_mmap_private_file),
		T(test_munmap_mprotect),
		T(test_mremap),
		T(test_setresuid_rules),
		T(test_uname_fields),
		T(test_rlimit_rules),
		T(test_arch_prctl_and_tid),
		T(test_poll_translation),
		T(test_poll_timeout_and_eintr),
		T(test_select),
		T(test_nanosleep),
		T(test_timers_and_alarm),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
