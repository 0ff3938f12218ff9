/*
 * The script that the foreign guest (fwdguest.c) and its personality (../progs/
 * fwdserver.c) follow: system call numbers of this test, which are only meaningful
 * between the two, and the register patterns the guest loads.
 */
#ifndef FWDPROTO_H
#define FWDPROTO_H

#define FWD_LINUX_WRITE		1	/* write(fd, buf, n): the server prints buf */
#define FWD_ECHO		1000	/* rax = rdi + rsi, rdx = r8 ^ r9; nothing else changes */
#define FWD_CHANGE		1001	/* every GPR but rax, rcx, r11, rsp becomes ~pattern */
#define FWD_JUMP		1002	/* rip = rdi, rsp = rsi, rdi = FWD_MAGIC, rcx, r11 set */
#define FWD_LOOP_START		1003
#define FWD_NULL		1004	/* rax = rdi + 1 */
#define FWD_LOOP_END		1005
#define FWD_REPORT		2000	/* rdi = test id (below), rsi = 1 if it passed */
#define FWD_MALFORMED		5000	/* answered with a malformed reply */
#define FWD_DROP_REPLY		5001	/* the reply right is deallocated */
#define FWD_REFUSED		5002	/* answered RetCode MIG_BAD_ID */
#define FWD_BAD_STATE		5003	/* answered with a non-canonical rip */
#define FWD_KILL_PORT		5004	/* answered, then the syscall port is destroyed */
#define FWD_AFTER_KILL		5005	/* cannot be sent: the port is dead */
#define FWD_CHILDREN		7000	/* rdi = child entry, rsi = child stack top */
#define FWD_CHILD_WAIT		7100	/* a child's call, never answered */
#define FWD_GO_NATIVE		6000	/* the server makes the task native again */
#define FWD_UNKNOWN		9999	/* answered -ENOSYS */

#define FWD_LOOP_COUNT		100000
#define FWD_MAGIC		0x600DF00Dul
#define FWD_NEW_RCX		0xC0FFEEul
#define FWD_NEW_R11		0x202ul		/* a valid rflags value, seen in r11 */
#define FWD_ENOSYS		38
#define FWD_TRAP_ANSWER		0x7777ul	/* what forwarded Mach trap numbers get */

/* The value the guest loads into register r (FOREIGN_REG_* index). */
#define FWD_PATTERN(r)		(0x1000ul * ((r) + 1) + 0xA5)

/* Test ids for FWD_REPORT. */
enum fwd_report {
	FWD_R_ECHO,
	FWD_R_CHANGE,
	FWD_R_WRITE,
	FWD_R_ENOSYS,
	FWD_R_TRAPS,
	FWD_R_JUMP,
	FWD_R_LOOP,
	FWD_R_RESUMED,
	FWD_R_NEW_PORT,
	FWD_R_COUNT
};

#endif
