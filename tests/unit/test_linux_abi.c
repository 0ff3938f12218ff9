/*
 * Unit tests of the Linux ABI definitions (personalities/linux/abi.h, abi.c): every
 * number and layout the host's own headers also define (glibc's, where its layout is
 * the kernel's, and the kernel's uapi headers) is compared with ours, so a typo in
 * abi.h fails here. The host is x86_64 Linux; that is what makes this a real check.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <asm/ioctls.h>
#include <asm/prctl.h>
#include <asm/termbits.h>
#include <asm/unistd_64.h>
#include <linux/futex.h>
#include "personalities/linux/abi.h"

#define EQ(ours, host)	assert_int_equal((int64_t)(ours), (int64_t)(host))
/* LINUX_X against the host's X. */
#define SAME(x)		EQ(LINUX_##x, x)
/* A field's offset and size in our struct and the host's. */
#define FIELD(ours, host, f, hf) do { \
	EQ(offsetof(struct ours, f), offsetof(host, hf)); \
	EQ(sizeof(((struct ours *)0)->f), sizeof(((host *)0)->hf)); \
} while (0)

/* Every system call of the list, by number and by name, against <asm/unistd_64.h>. */
static void test_syscall_numbers(void **state)
{
	(void)state;
#define CHECK_SYS(nr, name) do { \
	EQ(nr, __NR_##name); \
	EQ(LINUX_SYS_##name, __NR_##name); \
	assert_string_equal(linux_syscall_name(nr), #name); \
} while (0);
	LINUX_SYSCALLS(CHECK_SYS)
#undef CHECK_SYS
}

/* The table has no holes where Linux has none, and nothing where it has nothing. */
static void test_syscall_names(void **state)
{
	(void)state;
	for (uint64_t nr = 0; nr < LINUX_SYS_COUNT; nr++) {
		if (nr <= __NR_rseq || nr >= __NR_pidfd_send_signal)
			assert_non_null(linux_syscall_name(nr));
		else
			assert_null(linux_syscall_name(nr));
	}
	EQ(LINUX_SYS_COUNT, __NR_set_mempolicy_home_node + 1);
	assert_null(linux_syscall_name(LINUX_SYS_COUNT));
	assert_null(linux_syscall_name(~0ull));
	assert_null(linux_syscall_name(1ull << 32));	/* no truncation to 32 bits */
	assert_string_equal(linux_syscall_name(257), "openat");
	assert_string_equal(linux_syscall_name(262), "newfstatat");
	assert_string_equal(linux_syscall_name(0), "read");
	/* The calls GUESTS.md §2.1 and issue 7 name, as constants (this line would not
	 * compile without them) with Linux's numbers. */
	EQ(LINUX_SYS_getdents64 + LINUX_SYS_readlink + LINUX_SYS_faccessat + LINUX_SYS_pselect6 +
	   LINUX_SYS_clock_nanosleep + LINUX_SYS_prlimit64 + LINUX_SYS_tgkill + LINUX_SYS_sendfile,
	   217 + 89 + 269 + 270 + 230 + 302 + 234 + 40);
}

static void test_errno(void **state)
{
	(void)state;
#define CHECK_ERRNO(nr, name) EQ(nr, name); EQ(LINUX_##name, name);
	LINUX_ERRNOS(CHECK_ERRNO)
#undef CHECK_ERRNO
	SAME(EWOULDBLOCK);
	SAME(ENOTSUP);
}

static void test_signals(void **state)
{
	(void)state;
#define CHECK_SIG(nr, name) EQ(nr, name); EQ(LINUX_##name, name);
	LINUX_SIGNALS(CHECK_SIG)
#undef CHECK_SIG
	SAME(SIGIOT);
	EQ(LINUX_SIGRTMIN, __SIGRTMIN);
	EQ(LINUX_NSIG + 1, _NSIG);
	SAME(SA_NOCLDSTOP); SAME(SA_NOCLDWAIT); SAME(SA_SIGINFO); SAME(SA_ONSTACK);
	SAME(SA_RESTART); SAME(SA_NODEFER); SAME(SA_RESETHAND);
	SAME(SIG_BLOCK); SAME(SIG_UNBLOCK); SAME(SIG_SETMASK);
	EQ(LINUX_SIG_DFL, (intptr_t)SIG_DFL);
	EQ(LINUX_SIG_IGN, (intptr_t)SIG_IGN);
	SAME(SS_ONSTACK); SAME(SS_DISABLE);
	SAME(SI_USER); SAME(SI_KERNEL); SAME(SI_QUEUE); SAME(SI_TKILL);
	SAME(CLD_EXITED); SAME(CLD_KILLED); SAME(CLD_DUMPED); SAME(CLD_TRAPPED);
	SAME(CLD_STOPPED); SAME(CLD_CONTINUED); SAME(SEGV_MAPERR); SAME(SEGV_ACCERR);
	SAME(BUS_ADRERR); SAME(ILL_ILLOPC); SAME(FPE_INTDIV);
	EQ(LINUX_SIG_UNBLOCKABLE, (1u << 8) | (1u << 18));
}

/* glibc's stack_t and siginfo_t have the kernel's layout on x86_64. */
static void test_signal_structs(void **state)
{
	(void)state;
	EQ(sizeof(struct linux_stack), sizeof(stack_t));
	FIELD(linux_stack, stack_t, ss_sp, ss_sp);
	FIELD(linux_stack, stack_t, ss_flags, ss_flags);
	FIELD(linux_stack, stack_t, ss_size, ss_size);
	EQ(sizeof(struct linux_siginfo), sizeof(siginfo_t));
	FIELD(linux_siginfo, siginfo_t, si_signo, si_signo);
	FIELD(linux_siginfo, siginfo_t, si_errno, si_errno);
	FIELD(linux_siginfo, siginfo_t, si_code, si_code);
	FIELD(linux_siginfo, siginfo_t, u.kill.pid, si_pid);
	FIELD(linux_siginfo, siginfo_t, u.kill.uid, si_uid);
	FIELD(linux_siginfo, siginfo_t, u.chld.status, si_status);
	FIELD(linux_siginfo, siginfo_t, u.chld.utime, si_utime);
	FIELD(linux_siginfo, siginfo_t, u.chld.stime, si_stime);
	FIELD(linux_siginfo, siginfo_t, u.fault.addr, si_addr);
	/* The kernel's sigaction (GUESTS.md §3.5): no host header has it next to glibc's. */
	EQ(offsetof(struct linux_sigaction, handler), 0);
	EQ(offsetof(struct linux_sigaction, flags), 8);
	EQ(offsetof(struct linux_sigaction, restorer), 16);
	EQ(offsetof(struct linux_sigaction, mask), 24);
	EQ(sizeof(struct linux_sigaction), 32);
}

/* wait4 statuses decoded by the host's own macros. */
static void test_wait_status(void **state)
{
	int st;

	(void)state;
	SAME(WNOHANG); SAME(WUNTRACED); SAME(WEXITED); SAME(WCONTINUED); SAME(WNOWAIT);
	EQ(LINUX_WALL, __WALL);
	EQ(LINUX_WCLONE, __WCLONE);
	st = LINUX_W_EXITCODE(3);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 3);
	st = LINUX_W_EXITCODE(256 + 7);		/* only the low 8 bits survive */
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 7);
	st = LINUX_W_SIGNALED(LINUX_SIGINT, 0);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT && !WCOREDUMP(st));
	st = LINUX_W_SIGNALED(LINUX_SIGSEGV, 1);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV && WCOREDUMP(st));
	st = LINUX_W_STOPCODE(LINUX_SIGTSTP);
	assert_true(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP);
	st = LINUX_W_CONTINUED;
	assert_true(WIFCONTINUED(st));
}

static void test_files(void **state)
{
	(void)state;
	SAME(O_ACCMODE); SAME(O_RDONLY); SAME(O_WRONLY); SAME(O_RDWR); SAME(O_CREAT);
	SAME(O_EXCL); SAME(O_NOCTTY); SAME(O_TRUNC); SAME(O_APPEND); SAME(O_NONBLOCK);
	SAME(O_DSYNC); SAME(O_ASYNC); SAME(O_DIRECT); SAME(O_DIRECTORY); SAME(O_NOFOLLOW);
	SAME(O_NOATIME); SAME(O_CLOEXEC); SAME(O_SYNC); SAME(O_PATH); SAME(O_TMPFILE);
	/* glibc defines O_LARGEFILE as 0 on 64-bit; the kernel's bit is its __O_LARGEFILE's
	 * 32-bit value, which guests may still pass. */
	EQ(LINUX_O_LARGEFILE, 0100000);
	SAME(AT_FDCWD); SAME(AT_SYMLINK_NOFOLLOW); SAME(AT_EACCESS); SAME(AT_REMOVEDIR);
	SAME(AT_SYMLINK_FOLLOW); SAME(AT_EMPTY_PATH);
	SAME(SEEK_SET); SAME(SEEK_CUR); SAME(SEEK_END);
	SAME(F_OK); SAME(X_OK); SAME(W_OK); SAME(R_OK); SAME(PATH_MAX); SAME(NAME_MAX);
	SAME(F_DUPFD); SAME(F_GETFD); SAME(F_SETFD); SAME(F_GETFL); SAME(F_SETFL);
	SAME(F_GETLK); SAME(F_SETLK); SAME(F_SETLKW); SAME(F_SETOWN); SAME(F_GETOWN);
	SAME(F_DUPFD_CLOEXEC); SAME(F_SETPIPE_SZ); SAME(F_GETPIPE_SZ); SAME(FD_CLOEXEC);
	SAME(S_IFMT); SAME(S_IFSOCK); SAME(S_IFLNK); SAME(S_IFREG); SAME(S_IFBLK);
	SAME(S_IFDIR); SAME(S_IFCHR); SAME(S_IFIFO); SAME(S_ISUID); SAME(S_ISGID);
	SAME(S_ISVTX);
	SAME(DT_UNKNOWN); SAME(DT_FIFO); SAME(DT_CHR); SAME(DT_DIR); SAME(DT_BLK);
	SAME(DT_REG); SAME(DT_LNK); SAME(DT_SOCK);
}

/* x86_64 struct stat: glibc's is the kernel's, field for field. */
static void test_stat_layout(void **state)
{
	(void)state;
	EQ(sizeof(struct linux_stat), sizeof(struct stat));
	FIELD(linux_stat, struct stat, st_dev, st_dev);
	FIELD(linux_stat, struct stat, st_ino, st_ino);
	FIELD(linux_stat, struct stat, st_nlink, st_nlink);
	FIELD(linux_stat, struct stat, st_mode, st_mode);
	FIELD(linux_stat, struct stat, st_uid, st_uid);
	FIELD(linux_stat, struct stat, st_gid, st_gid);
	FIELD(linux_stat, struct stat, st_rdev, st_rdev);
	FIELD(linux_stat, struct stat, st_size, st_size);
	FIELD(linux_stat, struct stat, st_blksize, st_blksize);
	FIELD(linux_stat, struct stat, st_blocks, st_blocks);
	FIELD(linux_stat, struct stat, st_atim, st_atim);
	FIELD(linux_stat, struct stat, st_mtim, st_mtim);
	FIELD(linux_stat, struct stat, st_ctim, st_ctim);
	FIELD(linux_stat, struct stat, st_atim.tv_nsec, st_atim.tv_nsec);
	FIELD(linux_stat, struct stat, st_ctim.tv_nsec, st_ctim.tv_nsec);
}

/* glibc's struct dirent on 64-bit has linux_dirent64's header. */
static void test_dirent64(void **state)
{
	(void)state;
	FIELD(linux_dirent64, struct dirent, d_ino, d_ino);
	FIELD(linux_dirent64, struct dirent, d_off, d_off);
	FIELD(linux_dirent64, struct dirent, d_reclen, d_reclen);
	FIELD(linux_dirent64, struct dirent, d_type, d_type);
	EQ(offsetof(struct linux_dirent64, d_name), offsetof(struct dirent, d_name));
	/* 19 header bytes + name + NUL, rounded up to 8. */
	EQ(LINUX_DIRENT64_RECLEN(1), 24);
	EQ(LINUX_DIRENT64_RECLEN(4), 24);
	EQ(LINUX_DIRENT64_RECLEN(5), 32);
	EQ(LINUX_DIRENT64_RECLEN(255), 280);
}

/* The kernel's termios from <asm/termbits.h>, the requests from <asm/ioctls.h>. */
static void test_terminal(void **state)
{
	(void)state;
	EQ(sizeof(struct linux_termios), sizeof(struct termios));
	FIELD(linux_termios, struct termios, c_iflag, c_iflag);
	FIELD(linux_termios, struct termios, c_oflag, c_oflag);
	FIELD(linux_termios, struct termios, c_cflag, c_cflag);
	FIELD(linux_termios, struct termios, c_lflag, c_lflag);
	FIELD(linux_termios, struct termios, c_line, c_line);
	FIELD(linux_termios, struct termios, c_cc, c_cc);
	SAME(NCCS);
	SAME(VINTR); SAME(VQUIT); SAME(VERASE); SAME(VKILL); SAME(VEOF); SAME(VTIME);
	SAME(VMIN); SAME(VSWTC); SAME(VSTART); SAME(VSTOP); SAME(VSUSP); SAME(VEOL);
	SAME(VREPRINT); SAME(VDISCARD); SAME(VWERASE); SAME(VLNEXT); SAME(VEOL2);
	SAME(IGNBRK); SAME(BRKINT); SAME(IGNPAR); SAME(PARMRK); SAME(INPCK); SAME(ISTRIP);
	SAME(INLCR); SAME(IGNCR); SAME(ICRNL); SAME(IXON); SAME(IXANY); SAME(IXOFF);
	SAME(IMAXBEL); SAME(IUTF8);
	SAME(OPOST); SAME(ONLCR); SAME(OCRNL); SAME(ONOCR); SAME(ONLRET);
	SAME(CBAUD); SAME(B9600); SAME(B38400); SAME(B115200); SAME(CSIZE); SAME(CS8);
	SAME(CSTOPB); SAME(CREAD); SAME(PARENB); SAME(HUPCL); SAME(CLOCAL);
	SAME(ISIG); SAME(ICANON); SAME(ECHO); SAME(ECHOE); SAME(ECHOK); SAME(ECHONL);
	SAME(NOFLSH); SAME(TOSTOP); SAME(ECHOCTL); SAME(ECHOKE); SAME(IEXTEN);
	SAME(TCIFLUSH); SAME(TCOFLUSH); SAME(TCIOFLUSH);
	SAME(TCGETS); SAME(TCSETS); SAME(TCSETSW); SAME(TCSETSF); SAME(TCSBRK); SAME(TCXONC);
	SAME(TCFLSH); SAME(TIOCSCTTY); SAME(TIOCGPGRP); SAME(TIOCSPGRP); SAME(TIOCOUTQ);
	SAME(TIOCGWINSZ); SAME(TIOCSWINSZ); SAME(FIONREAD); SAME(FIONBIO); SAME(TIOCNOTTY);
	SAME(TIOCGSID); SAME(FIONCLEX); SAME(FIOCLEX);
	/* The numbers GUESTS.md §3.7 saw busybox use. */
	EQ(LINUX_TCGETS, 0x5401);
	EQ(LINUX_TIOCGWINSZ, 0x5413);
	EQ(LINUX_TIOCGPGRP, 0x540F);
	EQ(LINUX_TIOCSPGRP, 0x5410);
	EQ(sizeof(struct linux_winsize), 8);
	EQ(offsetof(struct linux_winsize, ws_col), 2);
}

static void test_time_and_system(void **state)
{
	(void)state;
	FIELD(linux_timespec, struct timespec, tv_sec, tv_sec);
	FIELD(linux_timespec, struct timespec, tv_nsec, tv_nsec);
	FIELD(linux_timeval, struct timeval, tv_sec, tv_sec);
	FIELD(linux_timeval, struct timeval, tv_usec, tv_usec);
	SAME(CLOCK_REALTIME); SAME(CLOCK_MONOTONIC); SAME(CLOCK_PROCESS_CPUTIME_ID);
	SAME(CLOCK_THREAD_CPUTIME_ID); SAME(CLOCK_MONOTONIC_RAW); SAME(CLOCK_REALTIME_COARSE);
	SAME(CLOCK_MONOTONIC_COARSE); SAME(CLOCK_BOOTTIME); SAME(TIMER_ABSTIME);
	EQ(sizeof(struct linux_utsname), sizeof(struct utsname));
	FIELD(linux_utsname, struct utsname, sysname, sysname);
	FIELD(linux_utsname, struct utsname, nodename, nodename);
	FIELD(linux_utsname, struct utsname, release, release);
	FIELD(linux_utsname, struct utsname, version, version);
	FIELD(linux_utsname, struct utsname, machine, machine);
	FIELD(linux_utsname, struct utsname, domainname, domainname);
	EQ(sizeof(struct linux_rusage), sizeof(struct rusage));
	FIELD(linux_rusage, struct rusage, ru_utime, ru_utime);
	FIELD(linux_rusage, struct rusage, ru_stime, ru_stime);
	FIELD(linux_rusage, struct rusage, ru_maxrss, ru_maxrss);
	FIELD(linux_rusage, struct rusage, ru_minflt, ru_minflt);
	FIELD(linux_rusage, struct rusage, ru_nivcsw, ru_nivcsw);
	SAME(RUSAGE_SELF); SAME(RUSAGE_CHILDREN);
	EQ(sizeof(struct linux_rlimit), sizeof(struct rlimit));
	FIELD(linux_rlimit, struct rlimit, rlim_cur, rlim_cur);
	FIELD(linux_rlimit, struct rlimit, rlim_max, rlim_max);
	SAME(RLIMIT_CPU); SAME(RLIMIT_FSIZE); SAME(RLIMIT_DATA); SAME(RLIMIT_STACK);
	SAME(RLIMIT_CORE); SAME(RLIMIT_RSS); SAME(RLIMIT_NPROC); SAME(RLIMIT_NOFILE);
	SAME(RLIMIT_MEMLOCK); SAME(RLIMIT_AS); SAME(RLIMIT_NLIMITS);
	assert_true(LINUX_RLIM_INFINITY == RLIM_INFINITY);
}

static void test_memory_process_poll(void **state)
{
	(void)state;
	SAME(PROT_NONE); SAME(PROT_READ); SAME(PROT_WRITE); SAME(PROT_EXEC);
	SAME(MAP_SHARED); SAME(MAP_PRIVATE); SAME(MAP_FIXED); SAME(MAP_ANONYMOUS);
	SAME(MAP_GROWSDOWN); SAME(MAP_DENYWRITE); SAME(MAP_NORESERVE); SAME(MAP_POPULATE);
	SAME(MAP_STACK); SAME(MAP_FIXED_NOREPLACE); SAME(MREMAP_MAYMOVE); SAME(MREMAP_FIXED);
	SAME(ARCH_SET_GS); SAME(ARCH_SET_FS); SAME(ARCH_GET_FS); SAME(ARCH_GET_GS);
	SAME(CSIGNAL); SAME(CLONE_VM); SAME(CLONE_FS); SAME(CLONE_FILES); SAME(CLONE_SIGHAND);
	SAME(CLONE_VFORK); SAME(CLONE_PARENT); SAME(CLONE_THREAD); SAME(CLONE_SYSVSEM);
	SAME(CLONE_SETTLS); SAME(CLONE_PARENT_SETTID); SAME(CLONE_CHILD_CLEARTID);
	SAME(CLONE_CHILD_SETTID);
	/* The flag sets GUESTS.md §3.3 saw. */
	EQ(LINUX_CLONE_CHILD_CLEARTID | LINUX_CLONE_CHILD_SETTID | LINUX_SIGCHLD, 0x01200011);
	EQ(LINUX_CLONE_VM | LINUX_CLONE_FS | LINUX_CLONE_FILES | LINUX_CLONE_SIGHAND |
	   LINUX_CLONE_THREAD | LINUX_CLONE_SYSVSEM | LINUX_CLONE_SETTLS, 0xd0f00);
	SAME(FUTEX_WAIT); SAME(FUTEX_WAKE); SAME(FUTEX_PRIVATE_FLAG); SAME(FUTEX_CLOCK_REALTIME);
	SAME(POLLIN); SAME(POLLPRI); SAME(POLLOUT); SAME(POLLERR); SAME(POLLHUP);
	SAME(POLLNVAL); SAME(POLLRDNORM); SAME(POLLWRNORM);
	EQ(sizeof(struct linux_pollfd), sizeof(struct pollfd));
	FIELD(linux_pollfd, struct pollfd, fd, fd);
	FIELD(linux_pollfd, struct pollfd, events, events);
	FIELD(linux_pollfd, struct pollfd, revents, revents);
	SAME(FD_SETSIZE);
	SAME(GRND_NONBLOCK); SAME(GRND_RANDOM); SAME(PR_SET_NAME); SAME(PR_GET_NAME);
	SAME(EFD_SEMAPHORE); SAME(EFD_NONBLOCK); SAME(EFD_CLOEXEC);
	SAME(EPOLL_CLOEXEC); SAME(EPOLL_CTL_ADD); SAME(EPOLL_CTL_DEL); SAME(EPOLL_CTL_MOD);
	EQ(sizeof(struct linux_epoll_event), sizeof(struct epoll_event));
	FIELD(linux_epoll_event, struct epoll_event, data, data);
}

static void test_auxv_types(void **state)
{
	(void)state;
	SAME(AT_NULL); SAME(AT_PHDR); SAME(AT_PHENT); SAME(AT_PHNUM); SAME(AT_PAGESZ);
	SAME(AT_BASE); SAME(AT_FLAGS); SAME(AT_ENTRY); SAME(AT_UID); SAME(AT_EUID);
	SAME(AT_GID); SAME(AT_EGID); SAME(AT_PLATFORM); SAME(AT_HWCAP); SAME(AT_CLKTCK);
	SAME(AT_SECURE); SAME(AT_RANDOM); SAME(AT_HWCAP2); SAME(AT_EXECFN);
	SAME(AT_SYSINFO_EHDR);
	EQ(LINUX_PAGE_SIZE, sysconf(_SC_PAGESIZE));
	EQ(LINUX_CLK_TCK, sysconf(_SC_CLK_TCK));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syscall_numbers),
		cmocka_unit_test(test_syscall_names),
		cmocka_unit_test(test_errno),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_signal_structs),
		cmocka_unit_test(test_wait_status),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_stat_layout),
		cmocka_unit_test(test_dirent64),
		cmocka_unit_test(test_terminal),
		cmocka_unit_test(test_time_and_system),
		cmocka_unit_test(test_memory_process_poll),
		cmocka_unit_test(test_auxv_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
