/*
 * Linux x86_64 signal frames (GUESTS.md §3.5): building the rt_sigframe that delivers
 * a signal, reading it back for rt_sigreturn, and the alternate-stack rules both
 * share with sigaltstack. Register sets are foreign_regs_t (FOREIGN_REG_* order),
 * ready for the foreign_syscall reply. Pure logic: the caller reads and writes the
 * guest's memory and keeps the thread's state.
 */
#ifndef _LINUX_SIGFRAME_H_
#define _LINUX_SIGFRAME_H_

#include <stddef.h>
#include <stdint.h>
#include <mach/personality.h>
#include "abi.h"

/* struct sigcontext (uapi/asm/sigcontext.h, 64-bit), the frame's uc_mcontext. */
struct linux_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip;
	uint64_t eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno;
	uint64_t oldmask;	/* the blocked mask before delivery */
	uint64_t cr2;		/* the fault address */
	uint64_t fpstate;	/* guest address of the 512-byte fxsave image, or 0 */
	uint64_t reserved1[8];
};

struct linux_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct linux_stack uc_stack;	/* the alternate stack as it was */
	struct linux_sigcontext uc_mcontext;
	linux_sigset_t uc_sigmask;	/* restored by rt_sigreturn */
};

/* At handler entry rsp points at pretcode, so the handler's `ret` enters sa_restorer. */
struct linux_rt_sigframe {
	uint64_t pretcode;
	struct linux_ucontext uc;
	struct linux_siginfo info;
};

#define LINUX_UC_FP_XSTATE		1	/* never set: the FPU image is plain fxsave */
#define LINUX_UC_SIGCONTEXT_SS		2
#define LINUX_UC_STRICT_RESTORE_SS	4
#define LINUX_USER_CS			0x33	/* what Linux stores in sigcontext */
#define LINUX_USER_DS			0x2b
#define LINUX_FXSAVE_SIZE		512
#define LINUX_FXSAVE_SW_RESERVED	464	/* bytes 464-511: software's; cleared */

_Static_assert(sizeof(struct linux_sigcontext) == 256, "sigcontext");
_Static_assert(sizeof(struct linux_ucontext) == 304, "ucontext");
_Static_assert(offsetof(struct linux_rt_sigframe, info) == 8 + 304, "siginfo at rsp+8+304");
_Static_assert(sizeof(struct linux_rt_sigframe) == 440, "rt_sigframe");

/* A thread's alternate signal stack. size 0 = none (then flags is SS_DISABLE). */
struct linux_altstack {
	uint64_t sp;
	uint64_t size;
	uint32_t flags;		/* SS_DISABLE, or 0 / SS_AUTODISARM */
};

/* No alternate stack: how a thread starts, and what execve leaves. */
#define LINUX_ALTSTACK_NONE ((struct linux_altstack){ 0, 0, LINUX_SS_DISABLE })

/* Whether sp is on the alternate stack (never, with SS_AUTODISARM, as on Linux). */
int linux_altstack_on(const struct linux_altstack *a, uint64_t sp);
/* sigaltstack's view: ss_flags SS_DISABLE, SS_ONSTACK or 0, plus SS_AUTODISARM. */
void linux_altstack_get(const struct linux_altstack *a, uint64_t sp, struct linux_stack *ss);
/*
 * sigaltstack's change, for a thread at sp. Returns 0, -LINUX_EPERM (sp is on the
 * current alternate stack), -LINUX_EINVAL (bad flags) or -LINUX_ENOMEM (smaller than
 * MINSIGSTKSZ); *a changes only on success.
 */
int linux_altstack_set(struct linux_altstack *a, uint64_t sp, const struct linux_stack *ss);

/* What a delivery needs besides the thread's registers. */
struct linux_sigdelivery {
	int sig;
	const struct linux_sigaction *act;	/* the handler (not SIG_DFL/SIG_IGN) */
	const struct linux_siginfo *info;	/* copied into the frame; NULL = zeros */
	linux_sigset_t blocked;			/* the thread's mask now */
	struct linux_altstack altstack;		/* the thread's */
	const uint8_t *fxsave;			/* LINUX_FXSAVE_SIZE bytes, or NULL */
	uint64_t trapno, err, cr2;		/* for faults; else 0 */
};

/* Enough for the frame, its alignment and the 64-byte aligned FPU image. */
#define LINUX_SIGFRAME_BUF	1024

struct linux_sigframe_image {
	uint64_t addr;			/* the frame's guest address: the handler's rsp */
	size_t size;			/* write buf[0, size) at addr (frame, then FPU image) */
	uint8_t buf[LINUX_SIGFRAME_BUF];
	foreign_regs_t regs;		/* the handler's registers ... */
	uint32_t mask;			/* ... and the reply mask (all: a jump) */
	linux_sigset_t blocked;		/* the mask while the handler runs */
	struct linux_altstack altstack;	/* the thread's after delivery (SS_AUTODISARM) */
};

/*
 * Builds the frame for a thread interrupted with registers regs (after the caller set
 * rax to the system call's result or arranged a restart). Handler entry: rdi = sig,
 * rsi = &frame.info, rdx = &frame.uc, rax = 0, rsp = addr (≡ 8 mod 16), rip =
 * sa_handler, DF/TF/RF cleared; other registers as they were. SA_RESETHAND is the
 * caller's to apply. Returns 0, or -LINUX_EFAULT when Linux would kill the thread
 * with SIGSEGV instead: no SA_RESTORER, the frame would overflow the alternate stack
 * or leave user space.
 */
int linux_sigframe_build(const foreign_regs_t regs, const struct linux_sigdelivery *d,
			 struct linux_sigframe_image *out);

/* rt_sigreturn reads sizeof(struct linux_rt_sigframe) bytes here (rsp - 8). */
uint64_t linux_sigreturn_frame_addr(const foreign_regs_t regs);

struct linux_sigreturn {
	foreign_regs_t regs;		/* the registers to resume with ... */
	uint32_t mask;			/* ... and the reply mask (all: a jump) */
	linux_sigset_t blocked;		/* uc_sigmask without SIGKILL and SIGSTOP */
	uint64_t fpstate;		/* load LINUX_FXSAVE_SIZE bytes from here; 0: reset */
	struct linux_stack uc_stack;	/* pass to linux_altstack_set; ignore all but EFAULT */
};

/*
 * Reads back a frame (the bytes at linux_sigreturn_frame_addr) for a thread whose
 * registers at the rt_sigreturn call are regs: every GPR, rip and rsp as the handler
 * left them, only the user-changeable rflags bits (never IOPL, IF, NT, VM...) and no
 * segment. Returns 0, or -LINUX_EFAULT (short frame, non-canonical rip or rsp, a
 * misaligned FPU pointer): Linux's answer is SIGSEGV.
 */
int linux_sigreturn_parse(const foreign_regs_t regs, const void *frame, size_t len,
			  struct linux_sigreturn *out);

#endif /* _LINUX_SIGFRAME_H_ */
