/* Linux x86_64 signal frames and alternate stacks (see sigframe.h). */
#include <string.h>
#include "sigframe.h"

#define RED_ZONE	128
#define USER_END	0x800000000000ull	/* the lower canonical half */
#define FPU_ALIGN	64

/* rflags bits a program may change itself (popf), which sigreturn takes from the
 * frame; everything else (IF, IOPL, NT, VM, RF, ...) stays the thread's. */
#define RFLAGS_CF	0x0001
#define RFLAGS_PF	0x0004
#define RFLAGS_AF	0x0010
#define RFLAGS_ZF	0x0040
#define RFLAGS_SF	0x0080
#define RFLAGS_TF	0x0100
#define RFLAGS_DF	0x0400
#define RFLAGS_OF	0x0800
#define RFLAGS_RF	0x10000
#define RFLAGS_AC	0x40000
#define RFLAGS_USER	(RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF | RFLAGS_SF | \
			 RFLAGS_TF | RFLAGS_DF | RFLAGS_OF | RFLAGS_AC)

/* Within the stack's bounds, ignoring SS_AUTODISARM (Linux's __on_sig_stack). */
static int within(const struct linux_altstack *a, uint64_t sp)
{
	/* The stack grows down: its top (sp + size) is on it, its base is not. */
	return sp > a->sp && sp - a->sp <= a->size;
}

int linux_altstack_on(const struct linux_altstack *a, uint64_t sp)
{
	if (a->flags & LINUX_SS_AUTODISARM)
		return 0;
	return within(a, sp);
}

/* SS_DISABLE (none), SS_ONSTACK or 0: whether a handler may switch to it. */
static int32_t altstack_state(const struct linux_altstack *a, uint64_t sp)
{
	if (a->size == 0)
		return LINUX_SS_DISABLE;
	return linux_altstack_on(a, sp) ? LINUX_SS_ONSTACK : 0;
}

void linux_altstack_get(const struct linux_altstack *a, uint64_t sp, struct linux_stack *ss)
{
	memset(ss, 0, sizeof(*ss));
	ss->ss_sp = a->sp;
	ss->ss_size = a->size;
	ss->ss_flags = altstack_state(a, sp) | (int32_t)(a->flags & LINUX_SS_AUTODISARM);
}

int linux_altstack_set(struct linux_altstack *a, uint64_t sp, const struct linux_stack *ss)
{
	uint32_t flags = (uint32_t)ss->ss_flags;
	uint32_t mode = flags & ~LINUX_SS_AUTODISARM;

	if (linux_altstack_on(a, sp))
		return -LINUX_EPERM;
	/* SS_ONSTACK is accepted and means the same as 0, as on Linux. */
	if (mode != 0 && mode != LINUX_SS_ONSTACK && mode != LINUX_SS_DISABLE)
		return -LINUX_EINVAL;
	if (mode == LINUX_SS_DISABLE) {
		*a = LINUX_ALTSTACK_NONE;
		return 0;
	}
	if (ss->ss_size < LINUX_MINSIGSTKSZ)
		return -LINUX_ENOMEM;
	a->sp = ss->ss_sp;
	a->size = ss->ss_size;
	a->flags = flags & LINUX_SS_AUTODISARM;
	return 0;
}

static void save_regs(struct linux_sigcontext *sc, const foreign_regs_t r)
{
	sc->r8 = r[FOREIGN_REG_R8];
	sc->r9 = r[FOREIGN_REG_R9];
	sc->r10 = r[FOREIGN_REG_R10];
	sc->r11 = r[FOREIGN_REG_R11];
	sc->r12 = r[FOREIGN_REG_R12];
	sc->r13 = r[FOREIGN_REG_R13];
	sc->r14 = r[FOREIGN_REG_R14];
	sc->r15 = r[FOREIGN_REG_R15];
	sc->rdi = r[FOREIGN_REG_RDI];
	sc->rsi = r[FOREIGN_REG_RSI];
	sc->rbp = r[FOREIGN_REG_RBP];
	sc->rbx = r[FOREIGN_REG_RBX];
	sc->rdx = r[FOREIGN_REG_RDX];
	sc->rax = r[FOREIGN_REG_RAX];
	sc->rcx = r[FOREIGN_REG_RCX];
	sc->rsp = r[FOREIGN_REG_RSP];
	sc->rip = r[FOREIGN_REG_RIP];
	sc->eflags = r[FOREIGN_REG_RFLAGS];
}

static void load_regs(foreign_regs_t r, const struct linux_sigcontext *sc)
{
	r[FOREIGN_REG_R8] = sc->r8;
	r[FOREIGN_REG_R9] = sc->r9;
	r[FOREIGN_REG_R10] = sc->r10;
	r[FOREIGN_REG_R11] = sc->r11;
	r[FOREIGN_REG_R12] = sc->r12;
	r[FOREIGN_REG_R13] = sc->r13;
	r[FOREIGN_REG_R14] = sc->r14;
	r[FOREIGN_REG_R15] = sc->r15;
	r[FOREIGN_REG_RDI] = sc->rdi;
	r[FOREIGN_REG_RSI] = sc->rsi;
	r[FOREIGN_REG_RBP] = sc->rbp;
	r[FOREIGN_REG_RBX] = sc->rbx;
	r[FOREIGN_REG_RDX] = sc->rdx;
	r[FOREIGN_REG_RAX] = sc->rax;
	r[FOREIGN_REG_RCX] = sc->rcx;
	r[FOREIGN_REG_RSP] = sc->rsp;
	r[FOREIGN_REG_RIP] = sc->rip;
}

/*
 * Where the frame goes: below the red zone, or at the top of the alternate stack for
 * SA_ONSTACK when one is set and the thread is not on it; the FPU image below that,
 * 64-byte aligned; the frame below it with rsp ≡ 8 (mod 16), as just after a call.
 */
static int place(const foreign_regs_t regs, const struct linux_sigdelivery *d,
		 uint64_t *frame, uint64_t *fpu)
{
	uint64_t sp = regs[FOREIGN_REG_RSP] - RED_ZONE;
	int nested = linux_altstack_on(&d->altstack, regs[FOREIGN_REG_RSP]);
	int entering = 0;

	if ((d->act->flags & LINUX_SA_ONSTACK) && altstack_state(&d->altstack, sp) == 0) {
		sp = d->altstack.sp + d->altstack.size;
		entering = 1;
	}
	/* Everything below must stay in user space, above page 0, without wrapping. */
	if (sp > USER_END || sp < 4096 + LINUX_SIGFRAME_BUF)
		return -LINUX_EFAULT;
	if (d->fxsave)
		sp = (sp - LINUX_FXSAVE_SIZE) & ~(uint64_t)(FPU_ALIGN - 1);
	*fpu = d->fxsave ? sp : 0;
	sp = ((sp - sizeof(struct linux_rt_sigframe) + 8) & ~(uint64_t)15) - 8;
	/* A frame that would overflow the alternate stack kills, it does not corrupt. */
	if ((nested || entering) && !within(&d->altstack, sp))
		return -LINUX_EFAULT;
	*frame = sp;
	return 0;
}

int linux_sigframe_build(const foreign_regs_t regs, const struct linux_sigdelivery *d,
			 struct linux_sigframe_image *out)
{
	struct linux_rt_sigframe f;
	uint64_t frame, fpu;
	uint64_t rflags = regs[FOREIGN_REG_RFLAGS];
	int err;

	/* x86_64 Linux runs no handler without a restorer to return through. */
	if (!(d->act->flags & LINUX_SA_RESTORER))
		return -LINUX_EFAULT;
	if ((err = place(regs, d, &frame, &fpu)) != 0)
		return err;

	memset(&f, 0, sizeof(f));
	f.pretcode = d->act->restorer;
	f.uc.uc_flags = LINUX_UC_SIGCONTEXT_SS | LINUX_UC_STRICT_RESTORE_SS;
	linux_altstack_get(&d->altstack, regs[FOREIGN_REG_RSP], &f.uc.uc_stack);
	save_regs(&f.uc.uc_mcontext, regs);
	f.uc.uc_mcontext.cs = LINUX_USER_CS;
	f.uc.uc_mcontext.ss = LINUX_USER_DS;
	f.uc.uc_mcontext.err = d->err;
	f.uc.uc_mcontext.trapno = d->trapno;
	f.uc.uc_mcontext.oldmask = d->blocked;
	f.uc.uc_mcontext.cr2 = d->cr2;
	f.uc.uc_mcontext.fpstate = fpu;
	f.uc.uc_sigmask = d->blocked;
	if (d->info)
		f.info = *d->info;

	memset(out->buf, 0, sizeof(out->buf));
	out->addr = frame;
	out->size = d->fxsave ? fpu + LINUX_FXSAVE_SIZE - frame : sizeof(f);
	memcpy(out->buf, &f, sizeof(f));
	if (d->fxsave) {
		/* Only the legacy area: no XSAVE magic may appear in the software bytes. */
		memcpy(out->buf + (fpu - frame), d->fxsave, LINUX_FXSAVE_SW_RESERVED);
	}

	memcpy(out->regs, regs, sizeof(foreign_regs_t));
	out->regs[FOREIGN_REG_RDI] = (uint64_t)d->sig;
	out->regs[FOREIGN_REG_RSI] = frame + offsetof(struct linux_rt_sigframe, info);
	out->regs[FOREIGN_REG_RDX] = frame + offsetof(struct linux_rt_sigframe, uc);
	out->regs[FOREIGN_REG_RAX] = 0;
	out->regs[FOREIGN_REG_RSP] = frame;
	out->regs[FOREIGN_REG_RIP] = d->act->handler;
	out->regs[FOREIGN_REG_RFLAGS] = rflags & ~(uint64_t)(RFLAGS_DF | RFLAGS_TF | RFLAGS_RF);
	out->mask = FOREIGN_MASK_ALL;

	out->blocked = d->blocked | d->act->mask;
	if (!(d->act->flags & LINUX_SA_NODEFER))
		out->blocked |= LINUX_SIGBIT(d->sig);
	out->blocked &= ~LINUX_SIG_UNBLOCKABLE;
	out->altstack = d->altstack;
	if (d->altstack.flags & LINUX_SS_AUTODISARM)
		out->altstack = LINUX_ALTSTACK_NONE;
	return 0;
}

uint64_t linux_sigreturn_frame_addr(const foreign_regs_t regs)
{
	/* The handler's ret popped pretcode: rsp is 8 above the frame. */
	return regs[FOREIGN_REG_RSP] - 8;
}

int linux_sigreturn_parse(const foreign_regs_t regs, const void *frame, size_t len,
			  struct linux_sigreturn *out)
{
	struct linux_rt_sigframe f;
	const struct linux_sigcontext *sc = &f.uc.uc_mcontext;

	if (len < sizeof(f))
		return -LINUX_EFAULT;
	memcpy(&f, frame, sizeof(f));
	/* A non-canonical rip or rsp would fault on the way out; Linux gives SIGSEGV. */
	if (sc->rip >= USER_END || sc->rsp >= USER_END)
		return -LINUX_EFAULT;
	if (sc->fpstate & 15)
		return -LINUX_EFAULT;	/* fxrstor needs 16-byte alignment */

	memcpy(out->regs, regs, sizeof(foreign_regs_t));
	load_regs(out->regs, sc);
	out->regs[FOREIGN_REG_RFLAGS] = (regs[FOREIGN_REG_RFLAGS] & ~(uint64_t)RFLAGS_USER) |
					(sc->eflags & RFLAGS_USER);
	out->mask = FOREIGN_MASK_ALL;
	out->blocked = f.uc.uc_sigmask & ~LINUX_SIG_UNBLOCKABLE;
	out->fpstate = sc->fpstate;
	out->uc_stack = f.uc.uc_stack;
	return 0;
}
