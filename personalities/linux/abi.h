/*
 * The Linux x86_64 user ABI as the Linux personality sees it: system-call, errno and
 * signal numbers, flag values and the layouts of the structures that cross the
 * boundary. Facts from the public Linux ABI (GUESTS.md §3); tests/unit/test_linux_abi.c
 * checks every number and offset the host's headers also define against them.
 *
 * Everything carries the LINUX_ prefix (structures linux_), so the personality can
 * include this next to its own and the common layer's definitions without clashes.
 */
#ifndef _LINUX_ABI_H_
#define _LINUX_ABI_H_

#include <stddef.h>
#include <stdint.h>

/*
 * System calls, as X(number, name): one list gives the LINUX_SYS_name constants, the
 * name table (linux_syscall_name) and the unit test's comparison with the host.
 */
#define LINUX_SYSCALLS(X) \
	X(0, read) X(1, write) X(2, open) X(3, close) X(4, stat) X(5, fstat) \
	X(6, lstat) X(7, poll) X(8, lseek) X(9, mmap) X(10, mprotect) X(11, munmap) \
	X(12, brk) X(13, rt_sigaction) X(14, rt_sigprocmask) X(15, rt_sigreturn) \
	X(16, ioctl) X(17, pread64) X(18, pwrite64) X(19, readv) X(20, writev) \
	X(21, access) X(22, pipe) X(23, select) X(24, sched_yield) X(25, mremap) \
	X(26, msync) X(27, mincore) X(28, madvise) X(29, shmget) X(30, shmat) \
	X(31, shmctl) X(32, dup) X(33, dup2) X(34, pause) X(35, nanosleep) \
	X(36, getitimer) X(37, alarm) X(38, setitimer) X(39, getpid) X(40, sendfile) \
	X(41, socket) X(42, connect) X(43, accept) X(44, sendto) X(45, recvfrom) \
	X(46, sendmsg) X(47, recvmsg) X(48, shutdown) X(49, bind) X(50, listen) \
	X(51, getsockname) X(52, getpeername) X(53, socketpair) X(54, setsockopt) \
	X(55, getsockopt) X(56, clone) X(57, fork) X(58, vfork) X(59, execve) \
	X(60, exit) X(61, wait4) X(62, kill) X(63, uname) X(64, semget) X(65, semop) \
	X(66, semctl) X(67, shmdt) X(68, msgget) X(69, msgsnd) X(70, msgrcv) \
	X(71, msgctl) X(72, fcntl) X(73, flock) X(74, fsync) X(75, fdatasync) \
	X(76, truncate) X(77, ftruncate) X(78, getdents) X(79, getcwd) X(80, chdir) \
	X(81, fchdir) X(82, rename) X(83, mkdir) X(84, rmdir) X(85, creat) X(86, link) \
	X(87, unlink) X(88, symlink) X(89, readlink) X(90, chmod) X(91, fchmod) \
	X(92, chown) X(93, fchown) X(94, lchown) X(95, umask) X(96, gettimeofday) \
	X(97, getrlimit) X(98, getrusage) X(99, sysinfo) X(100, times) X(101, ptrace) \
	X(102, getuid) X(103, syslog) X(104, getgid) X(105, setuid) X(106, setgid) \
	X(107, geteuid) X(108, getegid) X(109, setpgid) X(110, getppid) \
	X(111, getpgrp) X(112, setsid) X(113, setreuid) X(114, setregid) \
	X(115, getgroups) X(116, setgroups) X(117, setresuid) X(118, getresuid) \
	X(119, setresgid) X(120, getresgid) X(121, getpgid) X(122, setfsuid) \
	X(123, setfsgid) X(124, getsid) X(125, capget) X(126, capset) \
	X(127, rt_sigpending) X(128, rt_sigtimedwait) X(129, rt_sigqueueinfo) \
	X(130, rt_sigsuspend) X(131, sigaltstack) X(132, utime) X(133, mknod) \
	X(134, uselib) X(135, personality) X(136, ustat) X(137, statfs) \
	X(138, fstatfs) X(139, sysfs) X(140, getpriority) X(141, setpriority) \
	X(142, sched_setparam) X(143, sched_getparam) X(144, sched_setscheduler) \
	X(145, sched_getscheduler) X(146, sched_get_priority_max) \
	X(147, sched_get_priority_min) X(148, sched_rr_get_interval) X(149, mlock) \
	X(150, munlock) X(151, mlockall) X(152, munlockall) X(153, vhangup) \
	X(154, modify_ldt) X(155, pivot_root) X(156, _sysctl) X(157, prctl) \
	X(158, arch_prctl) X(159, adjtimex) X(160, setrlimit) X(161, chroot) \
	X(162, sync) X(163, acct) X(164, settimeofday) X(165, mount) X(166, umount2) \
	X(167, swapon) X(168, swapoff) X(169, reboot) X(170, sethostname) \
	X(171, setdomainname) X(172, iopl) X(173, ioperm) X(174, create_module) \
	X(175, init_module) X(176, delete_module) X(177, get_kernel_syms) \
	X(178, query_module) X(179, quotactl) X(180, nfsservctl) X(181, getpmsg) \
	X(182, putpmsg) X(183, afs_syscall) X(184, tuxcall) X(185, security) \
	X(186, gettid) X(187, readahead) X(188, setxattr) X(189, lsetxattr) \
	X(190, fsetxattr) X(191, getxattr) X(192, lgetxattr) X(193, fgetxattr) \
	X(194, listxattr) X(195, llistxattr) X(196, flistxattr) X(197, removexattr) \
	X(198, lremovexattr) X(199, fremovexattr) X(200, tkill) X(201, time) \
	X(202, futex) X(203, sched_setaffinity) X(204, sched_getaffinity) \
	X(205, set_thread_area) X(206, io_setup) X(207, io_destroy) \
	X(208, io_getevents) X(209, io_submit) X(210, io_cancel) \
	X(211, get_thread_area) X(212, lookup_dcookie) X(213, epoll_create) \
	X(214, epoll_ctl_old) X(215, epoll_wait_old) X(216, remap_file_pages) \
	X(217, getdents64) X(218, set_tid_address) X(219, restart_syscall) \
	X(220, semtimedop) X(221, fadvise64) X(222, timer_create) \
	X(223, timer_settime) X(224, timer_gettime) X(225, timer_getoverrun) \
	X(226, timer_delete) X(227, clock_settime) X(228, clock_gettime) \
	X(229, clock_getres) X(230, clock_nanosleep) X(231, exit_group) \
	X(232, epoll_wait) X(233, epoll_ctl) X(234, tgkill) X(235, utimes) \
	X(236, vserver) X(237, mbind) X(238, set_mempolicy) X(239, get_mempolicy) \
	X(240, mq_open) X(241, mq_unlink) X(242, mq_timedsend) \
	X(243, mq_timedreceive) X(244, mq_notify) X(245, mq_getsetattr) \
	X(246, kexec_load) X(247, waitid) X(248, add_key) X(249, request_key) \
	X(250, keyctl) X(251, ioprio_set) X(252, ioprio_get) X(253, inotify_init) \
	X(254, inotify_add_watch) X(255, inotify_rm_watch) X(256, migrate_pages) \
	X(257, openat) X(258, mkdirat) X(259, mknodat) X(260, fchownat) \
	X(261, futimesat) X(262, newfstatat) X(263, unlinkat) X(264, renameat) \
	X(265, linkat) X(266, symlinkat) X(267, readlinkat) X(268, fchmodat) \
	X(269, faccessat) X(270, pselect6) X(271, ppoll) X(272, unshare) \
	X(273, set_robust_list) X(274, get_robust_list) X(275, splice) X(276, tee) \
	X(277, sync_file_range) X(278, vmsplice) X(279, move_pages) \
	X(280, utimensat) X(281, epoll_pwait) X(282, signalfd) \
	X(283, timerfd_create) X(284, eventfd) X(285, fallocate) \
	X(286, timerfd_settime) X(287, timerfd_gettime) X(288, accept4) \
	X(289, signalfd4) X(290, eventfd2) X(291, epoll_create1) X(292, dup3) \
	X(293, pipe2) X(294, inotify_init1) X(295, preadv) X(296, pwritev) \
	X(297, rt_tgsigqueueinfo) X(298, perf_event_open) X(299, recvmmsg) \
	X(300, fanotify_init) X(301, fanotify_mark) X(302, prlimit64) \
	X(303, name_to_handle_at) X(304, open_by_handle_at) X(305, clock_adjtime) \
	X(306, syncfs) X(307, sendmmsg) X(308, setns) X(309, getcpu) \
	X(310, process_vm_readv) X(311, process_vm_writev) X(312, kcmp) \
	X(313, finit_module) X(314, sched_setattr) X(315, sched_getattr) \
	X(316, renameat2) X(317, seccomp) X(318, getrandom) X(319, memfd_create) \
	X(320, kexec_file_load) X(321, bpf) X(322, execveat) X(323, userfaultfd) \
	X(324, membarrier) X(325, mlock2) X(326, copy_file_range) X(327, preadv2) \
	X(328, pwritev2) X(329, pkey_mprotect) X(330, pkey_alloc) X(331, pkey_free) \
	X(332, statx) X(333, io_pgetevents) X(334, rseq) \
	X(424, pidfd_send_signal) X(425, io_uring_setup) X(426, io_uring_enter) \
	X(427, io_uring_register) X(428, open_tree) X(429, move_mount) \
	X(430, fsopen) X(431, fsconfig) X(432, fsmount) X(433, fspick) \
	X(434, pidfd_open) X(435, clone3) X(436, close_range) X(437, openat2) \
	X(438, pidfd_getfd) X(439, faccessat2) X(440, process_madvise) \
	X(441, epoll_pwait2) X(442, mount_setattr) X(443, quotactl_fd) \
	X(444, landlock_create_ruleset) X(445, landlock_add_rule) \
	X(446, landlock_restrict_self) X(447, memfd_secret) X(448, process_mrelease) \
	X(449, futex_waitv) X(450, set_mempolicy_home_node)

#define LINUX_SYS_ENUM_(nr, name)	LINUX_SYS_##name = nr,
enum linux_syscall { LINUX_SYSCALLS(LINUX_SYS_ENUM_) };
#define LINUX_SYS_COUNT		451	/* one past the highest number above */

/* The call's name ("openat"), or NULL for a number Linux does not define. */
const char *linux_syscall_name(uint64_t nr);

/* errno values (a failed call returns -errno in rax). */
#define LINUX_ERRNOS(X) \
	X(1, EPERM) X(2, ENOENT) X(3, ESRCH) X(4, EINTR) X(5, EIO) X(6, ENXIO) \
	X(7, E2BIG) X(8, ENOEXEC) X(9, EBADF) X(10, ECHILD) X(11, EAGAIN) \
	X(12, ENOMEM) X(13, EACCES) X(14, EFAULT) X(15, ENOTBLK) X(16, EBUSY) \
	X(17, EEXIST) X(18, EXDEV) X(19, ENODEV) X(20, ENOTDIR) X(21, EISDIR) \
	X(22, EINVAL) X(23, ENFILE) X(24, EMFILE) X(25, ENOTTY) X(26, ETXTBSY) \
	X(27, EFBIG) X(28, ENOSPC) X(29, ESPIPE) X(30, EROFS) X(31, EMLINK) \
	X(32, EPIPE) X(33, EDOM) X(34, ERANGE) X(35, EDEADLK) X(36, ENAMETOOLONG) \
	X(37, ENOLCK) X(38, ENOSYS) X(39, ENOTEMPTY) X(40, ELOOP) X(42, ENOMSG) \
	X(43, EIDRM) X(61, ENODATA) X(62, ETIME) X(71, EPROTO) X(75, EOVERFLOW) \
	X(84, EILSEQ) X(88, ENOTSOCK) X(95, EOPNOTSUPP) X(97, EAFNOSUPPORT) \
	X(98, EADDRINUSE) X(99, EADDRNOTAVAIL) X(104, ECONNRESET) X(106, EISCONN) \
	X(107, ENOTCONN) X(110, ETIMEDOUT) X(111, ECONNREFUSED) X(114, EALREADY) \
	X(115, EINPROGRESS) X(125, ECANCELED)

#define LINUX_ERRNO_ENUM_(nr, name)	LINUX_##name = nr,
enum linux_errno { LINUX_ERRNOS(LINUX_ERRNO_ENUM_) };
#define LINUX_EWOULDBLOCK	LINUX_EAGAIN
#define LINUX_ENOTSUP		LINUX_EOPNOTSUPP
/*
 * Kernel-internal codes a blocked call is interrupted with; the guest never sees them:
 * the call is restarted (ERESTARTSYS only with SA_RESTART) or fails with EINTR.
 */
#define LINUX_ERESTARTSYS	512
#define LINUX_ERESTARTNOINTR	513
#define LINUX_ERESTARTNOHAND	514
#define LINUX_ERESTART_RESTARTBLOCK 516

/* Signals. Linux numbers differ from FreeBSD's above 6 (GUESTS.md §3.5). */
#define LINUX_SIGNALS(X) \
	X(1, SIGHUP) X(2, SIGINT) X(3, SIGQUIT) X(4, SIGILL) X(5, SIGTRAP) \
	X(6, SIGABRT) X(7, SIGBUS) X(8, SIGFPE) X(9, SIGKILL) X(10, SIGUSR1) \
	X(11, SIGSEGV) X(12, SIGUSR2) X(13, SIGPIPE) X(14, SIGALRM) X(15, SIGTERM) \
	X(16, SIGSTKFLT) X(17, SIGCHLD) X(18, SIGCONT) X(19, SIGSTOP) X(20, SIGTSTP) \
	X(21, SIGTTIN) X(22, SIGTTOU) X(23, SIGURG) X(24, SIGXCPU) X(25, SIGXFSZ) \
	X(26, SIGVTALRM) X(27, SIGPROF) X(28, SIGWINCH) X(29, SIGIO) X(30, SIGPWR) \
	X(31, SIGSYS)

#define LINUX_SIGNAL_ENUM_(nr, name)	LINUX_##name = nr,
enum linux_signal { LINUX_SIGNALS(LINUX_SIGNAL_ENUM_) };
#define LINUX_SIGIOT		LINUX_SIGABRT
#define LINUX_SIGRTMIN		32	/* the kernel's; glibc keeps 32 and 33 for itself */
#define LINUX_NSIG		64	/* signals 1..64; sigset_t is 64 bits, signal n is bit n-1 */
#define LINUX_SIGBIT(sig)	(1ull << ((sig) - 1))
/* What no mask can block. */
#define LINUX_SIG_UNBLOCKABLE	(LINUX_SIGBIT(LINUX_SIGKILL) | LINUX_SIGBIT(LINUX_SIGSTOP))

typedef uint64_t linux_sigset_t;

/* sigaction: handlers, flags, rt_sigprocmask's how. */
#define LINUX_SIG_DFL		0
#define LINUX_SIG_IGN		1
#define LINUX_SA_NOCLDSTOP	0x00000001
#define LINUX_SA_NOCLDWAIT	0x00000002
#define LINUX_SA_SIGINFO	0x00000004
#define LINUX_SA_RESTORER	0x04000000
#define LINUX_SA_ONSTACK	0x08000000
#define LINUX_SA_RESTART	0x10000000
#define LINUX_SA_NODEFER	0x40000000
#define LINUX_SA_RESETHAND	0x80000000u
#define LINUX_SIG_BLOCK		0
#define LINUX_SIG_UNBLOCK	1
#define LINUX_SIG_SETMASK	2

/*
 * The kernel's struct sigaction (rt_sigaction with sigsetsize 8), not glibc's. The
 * fields lose their sa_ prefix: C libraries define sa_handler as a macro.
 */
struct linux_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	linux_sigset_t mask;
};

/* sigaltstack. The order differs from FreeBSD's: sp, flags, size. */
#define LINUX_SS_ONSTACK	1
#define LINUX_SS_DISABLE	2
#define LINUX_SS_AUTODISARM	(1u << 31)	/* disarm while a handler runs on it */
#define LINUX_MINSIGSTKSZ	2048
#define LINUX_SIGSTKSZ		8192

struct linux_stack {
	uint64_t ss_sp;
	int32_t ss_flags;
	uint32_t pad;
	uint64_t ss_size;
};

/* siginfo: 128 bytes; the union's members start at 16. si_code values. */
#define LINUX_SI_USER		0
#define LINUX_SI_KERNEL		0x80
#define LINUX_SI_QUEUE		(-1)
#define LINUX_SI_TKILL		(-6)
#define LINUX_CLD_EXITED	1
#define LINUX_CLD_KILLED	2
#define LINUX_CLD_DUMPED	3
#define LINUX_CLD_TRAPPED	4
#define LINUX_CLD_STOPPED	5
#define LINUX_CLD_CONTINUED	6
#define LINUX_SEGV_MAPERR	1
#define LINUX_SEGV_ACCERR	2
#define LINUX_BUS_ADRERR	2
#define LINUX_ILL_ILLOPC	1
#define LINUX_FPE_INTDIV	1

struct linux_siginfo {
	int32_t si_signo;
	int32_t si_errno;
	int32_t si_code;
	int32_t pad0;
	union {
		struct { int32_t pid; uint32_t uid; } kill;		/* SI_USER, SI_TKILL */
		struct { int32_t pid; uint32_t uid; int32_t status; int32_t pad;
			 int64_t utime; int64_t stime; } chld;		/* SIGCHLD */
		struct { uint64_t addr; } fault;			/* SEGV, BUS, ILL, FPE */
		uint8_t bytes[112];
	} u;
};

/* Exit statuses as wait4 reports them. */
#define LINUX_W_EXITCODE(code)	(((code) & 0xff) << 8)
#define LINUX_W_SIGNALED(sig, core) ((sig) | ((core) ? 0x80 : 0))
#define LINUX_W_STOPCODE(sig)	(((sig) << 8) | 0x7f)
#define LINUX_W_CONTINUED	0xffff
#define LINUX_WNOHANG		0x00000001
#define LINUX_WUNTRACED		0x00000002
#define LINUX_WEXITED		0x00000004
#define LINUX_WCONTINUED	0x00000008
#define LINUX_WNOWAIT		0x01000000
#define LINUX_WALL		0x40000000	/* __WALL */
#define LINUX_WCLONE		0x80000000u	/* __WCLONE */

/* open(2) flags (octal, as Linux writes them) and the *at() flags. */
#define LINUX_O_ACCMODE		00000003
#define LINUX_O_RDONLY		00000000
#define LINUX_O_WRONLY		00000001
#define LINUX_O_RDWR		00000002
#define LINUX_O_CREAT		00000100
#define LINUX_O_EXCL		00000200
#define LINUX_O_NOCTTY		00000400
#define LINUX_O_TRUNC		00001000
#define LINUX_O_APPEND		00002000
#define LINUX_O_NONBLOCK	00004000
#define LINUX_O_DSYNC		00010000
#define LINUX_O_ASYNC		00020000
#define LINUX_O_DIRECT		00040000
#define LINUX_O_LARGEFILE	00100000
#define LINUX_O_DIRECTORY	00200000
#define LINUX_O_NOFOLLOW	00400000
#define LINUX_O_NOATIME		01000000
#define LINUX_O_CLOEXEC		02000000
#define LINUX_O_SYNC		04010000
#define LINUX_O_PATH		010000000
#define LINUX_O_TMPFILE		020200000

#define LINUX_AT_FDCWD		(-100)
#define LINUX_AT_SYMLINK_NOFOLLOW 0x100
#define LINUX_AT_EACCESS	0x200		/* faccessat */
#define LINUX_AT_REMOVEDIR	0x200		/* unlinkat */
#define LINUX_AT_SYMLINK_FOLLOW	0x400		/* linkat */
#define LINUX_AT_EMPTY_PATH	0x1000

#define LINUX_SEEK_SET		0
#define LINUX_SEEK_CUR		1
#define LINUX_SEEK_END		2
#define LINUX_F_OK		0
#define LINUX_X_OK		1
#define LINUX_W_OK		2
#define LINUX_R_OK		4
#define LINUX_PATH_MAX		4096
#define LINUX_NAME_MAX		255

/* fcntl commands. */
#define LINUX_F_DUPFD		0
#define LINUX_F_GETFD		1
#define LINUX_F_SETFD		2
#define LINUX_F_GETFL		3
#define LINUX_F_SETFL		4
#define LINUX_F_GETLK		5
#define LINUX_F_SETLK		6
#define LINUX_F_SETLKW		7
#define LINUX_F_SETOWN		8
#define LINUX_F_GETOWN		9
#define LINUX_F_DUPFD_CLOEXEC	1030
#define LINUX_F_SETPIPE_SZ	1031
#define LINUX_F_GETPIPE_SZ	1032
#define LINUX_FD_CLOEXEC	1

/* ioctl requests: terminals and FIONREAD. Anything else on a tty is ENOTTY here too. */
#define LINUX_TCGETS		0x5401
#define LINUX_TCSETS		0x5402
#define LINUX_TCSETSW		0x5403	/* after output drains */
#define LINUX_TCSETSF		0x5404	/* after output drains, input flushed */
#define LINUX_TCSBRK		0x5409
#define LINUX_TCXONC		0x540A
#define LINUX_TCFLSH		0x540B
#define LINUX_TIOCSCTTY		0x540E
#define LINUX_TIOCGPGRP		0x540F
#define LINUX_TIOCSPGRP		0x5410
#define LINUX_TIOCOUTQ		0x5411
#define LINUX_TIOCGWINSZ	0x5413
#define LINUX_TIOCSWINSZ	0x5414
#define LINUX_FIONREAD		0x541B
#define LINUX_FIONBIO		0x5421
#define LINUX_TIOCNOTTY		0x5422
#define LINUX_TIOCGSID		0x5429
#define LINUX_FIONCLEX		0x5450
#define LINUX_FIOCLEX		0x5451

/* The kernel's struct termios (TCGETS), 36 bytes; glibc's own is larger. */
#define LINUX_NCCS		19
struct linux_termios {
	uint32_t c_iflag;
	uint32_t c_oflag;
	uint32_t c_cflag;
	uint32_t c_lflag;
	uint8_t c_line;
	uint8_t c_cc[LINUX_NCCS];
};

/* c_cc indices. */
#define LINUX_VINTR		0
#define LINUX_VQUIT		1
#define LINUX_VERASE		2
#define LINUX_VKILL		3
#define LINUX_VEOF		4
#define LINUX_VTIME		5
#define LINUX_VMIN		6
#define LINUX_VSWTC		7
#define LINUX_VSTART		8
#define LINUX_VSTOP		9
#define LINUX_VSUSP		10
#define LINUX_VEOL		11
#define LINUX_VREPRINT		12
#define LINUX_VDISCARD		13
#define LINUX_VWERASE		14
#define LINUX_VLNEXT		15
#define LINUX_VEOL2		16

/* c_iflag */
#define LINUX_IGNBRK		0000001
#define LINUX_BRKINT		0000002
#define LINUX_IGNPAR		0000004
#define LINUX_PARMRK		0000010
#define LINUX_INPCK		0000020
#define LINUX_ISTRIP		0000040
#define LINUX_INLCR		0000100
#define LINUX_IGNCR		0000200
#define LINUX_ICRNL		0000400
#define LINUX_IXON		0002000
#define LINUX_IXANY		0004000
#define LINUX_IXOFF		0010000
#define LINUX_IMAXBEL		0020000
#define LINUX_IUTF8		0040000
/* c_oflag */
#define LINUX_OPOST		0000001
#define LINUX_ONLCR		0000004
#define LINUX_OCRNL		0000010
#define LINUX_ONOCR		0000020
#define LINUX_ONLRET		0000040
/* c_cflag */
#define LINUX_CBAUD		0010017
#define LINUX_B9600		0000015
#define LINUX_B38400		0000017
#define LINUX_B115200		0010002
#define LINUX_CSIZE		0000060
#define LINUX_CS8		0000060
#define LINUX_CSTOPB		0000100
#define LINUX_CREAD		0000200
#define LINUX_PARENB		0000400
#define LINUX_HUPCL		0002000
#define LINUX_CLOCAL		0004000
/* c_lflag */
#define LINUX_ISIG		0000001
#define LINUX_ICANON		0000002
#define LINUX_ECHO		0000010
#define LINUX_ECHOE		0000020
#define LINUX_ECHOK		0000040
#define LINUX_ECHONL		0000100
#define LINUX_NOFLSH		0000200
#define LINUX_TOSTOP		0000400
#define LINUX_ECHOCTL		0001000
#define LINUX_ECHOKE		0004000
#define LINUX_IEXTEN		0100000
/* TCFLSH */
#define LINUX_TCIFLUSH		0
#define LINUX_TCOFLUSH		1
#define LINUX_TCIOFLUSH		2

struct linux_winsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

/* Times. */
struct linux_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

struct linux_timeval {
	int64_t tv_sec;
	int64_t tv_usec;
};

#define LINUX_CLOCK_REALTIME		0
#define LINUX_CLOCK_MONOTONIC		1
#define LINUX_CLOCK_PROCESS_CPUTIME_ID	2
#define LINUX_CLOCK_THREAD_CPUTIME_ID	3
#define LINUX_CLOCK_MONOTONIC_RAW	4
#define LINUX_CLOCK_REALTIME_COARSE	5
#define LINUX_CLOCK_MONOTONIC_COARSE	6
#define LINUX_CLOCK_BOOTTIME		7
#define LINUX_TIMER_ABSTIME		1
#define LINUX_CLK_TCK			100	/* AT_CLKTCK, and the unit of /proc times */

/* x86_64 struct stat (newfstatat, fstat, stat, lstat), 144 bytes. */
struct linux_stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint64_t st_nlink;	/* 64-bit and before st_mode on x86_64, unlike most ports */
	uint32_t st_mode;
	uint32_t st_uid;
	uint32_t st_gid;
	uint32_t pad0;
	uint64_t st_rdev;
	int64_t st_size;
	int64_t st_blksize;
	int64_t st_blocks;	/* in 512-byte units */
	struct linux_timespec st_atim;
	struct linux_timespec st_mtim;
	struct linux_timespec st_ctim;
	int64_t unused[3];
};

#define LINUX_S_IFMT		0170000
#define LINUX_S_IFSOCK		0140000
#define LINUX_S_IFLNK		0120000
#define LINUX_S_IFREG		0100000
#define LINUX_S_IFBLK		0060000
#define LINUX_S_IFDIR		0040000
#define LINUX_S_IFCHR		0020000
#define LINUX_S_IFIFO		0010000
#define LINUX_S_ISUID		0004000
#define LINUX_S_ISGID		0002000
#define LINUX_S_ISVTX		0001000

/* getdents64 records: 8-byte aligned, the name NUL-terminated. */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;		/* the offset of the next record, for lseek */
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];		/* at 19 */
};

#define LINUX_DIRENT64_RECLEN(namelen) \
	((offsetof(struct linux_dirent64, d_name) + (namelen) + 1 + 7) & ~(size_t)7)
#define LINUX_DT_UNKNOWN	0
#define LINUX_DT_FIFO		1
#define LINUX_DT_CHR		2
#define LINUX_DT_DIR		4
#define LINUX_DT_BLK		6
#define LINUX_DT_REG		8
#define LINUX_DT_LNK		10
#define LINUX_DT_SOCK		12

/* uname: six 65-byte fields. */
#define LINUX_UTSNAME_LEN	65
struct linux_utsname {
	char sysname[LINUX_UTSNAME_LEN];
	char nodename[LINUX_UTSNAME_LEN];
	char release[LINUX_UTSNAME_LEN];
	char version[LINUX_UTSNAME_LEN];
	char machine[LINUX_UTSNAME_LEN];
	char domainname[LINUX_UTSNAME_LEN];
};

/* getrusage / wait4 */
#define LINUX_RUSAGE_SELF	0
#define LINUX_RUSAGE_CHILDREN	(-1)
struct linux_rusage {
	struct linux_timeval ru_utime;
	struct linux_timeval ru_stime;
	int64_t ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap,
		ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};

/* prlimit64 / getrlimit / setrlimit */
#define LINUX_RLIMIT_CPU	0
#define LINUX_RLIMIT_FSIZE	1
#define LINUX_RLIMIT_DATA	2
#define LINUX_RLIMIT_STACK	3
#define LINUX_RLIMIT_CORE	4
#define LINUX_RLIMIT_RSS	5
#define LINUX_RLIMIT_NPROC	6
#define LINUX_RLIMIT_NOFILE	7
#define LINUX_RLIMIT_MEMLOCK	8
#define LINUX_RLIMIT_AS		9
#define LINUX_RLIMIT_NLIMITS	16
#define LINUX_RLIM_INFINITY	(~0ull)
struct linux_rlimit {
	uint64_t rlim_cur;
	uint64_t rlim_max;
};

/* poll and select */
#define LINUX_POLLIN		0x0001
#define LINUX_POLLPRI		0x0002
#define LINUX_POLLOUT		0x0004
#define LINUX_POLLERR		0x0008
#define LINUX_POLLHUP		0x0010
#define LINUX_POLLNVAL		0x0020
#define LINUX_POLLRDNORM	0x0040
#define LINUX_POLLWRNORM	0x0100
struct linux_pollfd {
	int32_t fd;
	int16_t events;
	int16_t revents;
};
#define LINUX_FD_SETSIZE	1024	/* fd_set: a bit array of unsigned longs */

/* Memory. */
#define LINUX_PAGE_SIZE		4096
#define LINUX_PROT_NONE		0
#define LINUX_PROT_READ		1
#define LINUX_PROT_WRITE	2
#define LINUX_PROT_EXEC		4
#define LINUX_MAP_SHARED	0x01
#define LINUX_MAP_PRIVATE	0x02
#define LINUX_MAP_FIXED		0x10
#define LINUX_MAP_ANONYMOUS	0x20
#define LINUX_MAP_GROWSDOWN	0x0100
#define LINUX_MAP_DENYWRITE	0x0800
#define LINUX_MAP_NORESERVE	0x4000
#define LINUX_MAP_POPULATE	0x8000
#define LINUX_MAP_STACK		0x20000
#define LINUX_MAP_FIXED_NOREPLACE 0x100000
#define LINUX_MREMAP_MAYMOVE	1
#define LINUX_MREMAP_FIXED	2

/* arch_prctl (GUESTS.md §3.2) */
#define LINUX_ARCH_SET_GS	0x1001
#define LINUX_ARCH_SET_FS	0x1002
#define LINUX_ARCH_GET_FS	0x1003
#define LINUX_ARCH_GET_GS	0x1004

/* clone flags; the low byte is the signal sent to the parent at exit. */
#define LINUX_CSIGNAL		0x000000ff
#define LINUX_CLONE_VM		0x00000100
#define LINUX_CLONE_FS		0x00000200
#define LINUX_CLONE_FILES	0x00000400
#define LINUX_CLONE_SIGHAND	0x00000800
#define LINUX_CLONE_VFORK	0x00004000
#define LINUX_CLONE_PARENT	0x00008000
#define LINUX_CLONE_THREAD	0x00010000
#define LINUX_CLONE_SYSVSEM	0x00040000
#define LINUX_CLONE_SETTLS	0x00080000
#define LINUX_CLONE_PARENT_SETTID 0x00100000
#define LINUX_CLONE_CHILD_CLEARTID 0x00200000
#define LINUX_CLONE_CHILD_SETTID 0x01000000

/* futex (GUESTS.md §3.4) */
#define LINUX_FUTEX_WAIT	0
#define LINUX_FUTEX_WAKE	1
#define LINUX_FUTEX_PRIVATE_FLAG 128
#define LINUX_FUTEX_CLOCK_REALTIME 256

/* getrandom, prctl, eventfd, epoll */
#define LINUX_GRND_NONBLOCK	1
#define LINUX_GRND_RANDOM	2
#define LINUX_PR_SET_NAME	15
#define LINUX_PR_GET_NAME	16
#define LINUX_EFD_SEMAPHORE	1
#define LINUX_EFD_NONBLOCK	LINUX_O_NONBLOCK
#define LINUX_EFD_CLOEXEC	LINUX_O_CLOEXEC
#define LINUX_EPOLL_CLOEXEC	LINUX_O_CLOEXEC
#define LINUX_EPOLL_CTL_ADD	1
#define LINUX_EPOLL_CTL_DEL	2
#define LINUX_EPOLL_CTL_MOD	3
/* struct epoll_event is packed on x86_64: 12 bytes. */
struct linux_epoll_event {
	uint32_t events;
	uint64_t data;
} __attribute__((packed));

/* Auxiliary vector types (the ones the personality emits, GUESTS.md §3.1). */
#define LINUX_AT_NULL		0
#define LINUX_AT_PHDR		3
#define LINUX_AT_PHENT		4
#define LINUX_AT_PHNUM		5
#define LINUX_AT_PAGESZ		6
#define LINUX_AT_BASE		7
#define LINUX_AT_FLAGS		8
#define LINUX_AT_ENTRY		9
#define LINUX_AT_UID		11
#define LINUX_AT_EUID		12
#define LINUX_AT_GID		13
#define LINUX_AT_EGID		14
#define LINUX_AT_PLATFORM	15
#define LINUX_AT_HWCAP		16
#define LINUX_AT_CLKTCK		17
#define LINUX_AT_SECURE		23
#define LINUX_AT_RANDOM		25
#define LINUX_AT_HWCAP2		26
#define LINUX_AT_EXECFN		31
#define LINUX_AT_SYSINFO_EHDR	33	/* never emitted: there is no vDSO */

/* execve limits: one string, and every string together (with the default 8 MiB stack). */
#define LINUX_MAX_ARG_STRLEN	(32 * LINUX_PAGE_SIZE)
#define LINUX_ARG_MAX		(2 * 1024 * 1024)

_Static_assert(sizeof(struct linux_sigaction) == 32, "kernel sigaction");
_Static_assert(sizeof(struct linux_stack) == 24, "stack_t");
_Static_assert(sizeof(struct linux_siginfo) == 128, "siginfo");
_Static_assert(sizeof(struct linux_termios) == 36, "kernel termios");
_Static_assert(sizeof(struct linux_winsize) == 8, "winsize");
_Static_assert(sizeof(struct linux_stat) == 144, "x86_64 stat");
_Static_assert(offsetof(struct linux_dirent64, d_name) == 19, "dirent64 name");
_Static_assert(sizeof(struct linux_utsname) == 390, "utsname");
_Static_assert(sizeof(struct linux_rusage) == 144, "rusage");
_Static_assert(sizeof(struct linux_pollfd) == 8, "pollfd");
_Static_assert(sizeof(struct linux_epoll_event) == 12, "epoll_event");

#endif /* _LINUX_ABI_H_ */
