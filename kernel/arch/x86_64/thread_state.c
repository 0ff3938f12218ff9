/*
 * thread_get_state / thread_set_state flavors on x86_64 (ABI section 9).
 *
 * Nothing a caller writes can take a thread out of user mode: the code and stack
 * selectors are always the user pair, rflags loses IOPL, NT and RF (and VM and the
 * reserved bits) and keeps IF, rip, the user stack pointer and the FS/GS bases must be
 * canonical, and MXCSR keeps only the bits the processor accepts. A replaced frame is
 * left by iretq (T_USER_IRET), so that rcx and r11 arrive as set.
 */
#include <string.h>
#include <arch/io_perm.h>
#include <arch/cpu.h>
#include <arch/fpu.h>
#include <arch/gdt.h>
#include <arch/thread_state.h>
#include <arch/trap.h>
#include <kern/layout.h>
#include <kern/thread.h>

#define THREAD_STATE_WORDS	i386_THREAD_STATE_COUNT
#define FLOAT_STATE_WORDS	i386_FLOAT_STATE_COUNT
#define ISA_PORT_MAP_WORDS	i386_ISA_PORT_MAP_STATE_COUNT
#define DEBUG_STATE_WORDS	i386_DEBUG_STATE_COUNT
#define FSGS_STATE_WORDS	i386_FSGS_BASE_STATE_COUNT
#define XFLOAT_STATE_WORDS	((16 + FPU_STATE_SIZE) / 4)
#define FP_387FX		4	/* fpkind: FXSAVE/FXRSTOR */
#define FP_SAVE_FXSAVE		1	/* fp_save_kind */
#define RFLAGS_VM		(1ul << 17)
#define RFLAGS_USER_BITS	0x3F7FD7ul	/* CF..ID, minus the reserved 3, 5, 15 */
#define MXCSR_MASK_DEFAULT	0xFFBF

_Static_assert(XFLOAT_STATE_WORDS == THREAD_STATE_WORDS_MAX, "largest flavor");

_Static_assert(offsetof(struct i386_thread_state, rip) == 128, "thread state rip");
_Static_assert(offsetof(struct i386_thread_state, rfl) == 144, "thread state rfl");
_Static_assert(offsetof(struct i386_thread_state, ss) == 160, "thread state ss");

/* The FXSAVE image (64-bit format), as far as the conversions need it. */
struct fxsave {
	uint16_t fcw, fsw;
	uint8_t ftw, rsvd0;
	uint16_t fop;
	uint64_t fip, fdp;
	uint32_t mxcsr, mxcsr_mask;
	uint8_t st[8][16];
	uint8_t xmm_and_rest[FPU_STATE_SIZE - 160];
};
_Static_assert(sizeof(struct fxsave) == FPU_STATE_SIZE, "FXSAVE image");

/* The i386_float_state layout: an FNSAVE image between two words and one after. */
struct x86_float_state {
	int32_t fpkind, initialized;
	uint16_t fcw, pad0, fsw, pad1, ftw, pad2;
	uint32_t fip;
	uint16_t fcs, fop;
	uint32_t foo;
	uint16_t fos, pad3;
	uint8_t regs[8][10];
	int32_t exc_status;
} __attribute__((packed));
_Static_assert(sizeof(struct x86_float_state) == FLOAT_STATE_WORDS * 4, "float state");

static void frame_to_state(const struct trap_frame *f, struct i386_thread_state *s)
{
	*s = (struct i386_thread_state){
		.r8 = f->r8, .r9 = f->r9, .r10 = f->r10, .r11 = f->r11, .r12 = f->r12,
		.r13 = f->r13, .r14 = f->r14, .r15 = f->r15, .rdi = f->rdi, .rsi = f->rsi,
		.rbp = f->rbp, .rsp = 0, .rbx = f->rbx, .rdx = f->rdx, .rcx = f->rcx,
		.rax = f->rax, .rip = f->rip, .cs = (uint32_t)f->cs, .rfl = f->rflags,
		.ursp = f->rsp, .ss = (uint32_t)f->ss,
	};
}

uint64_t thread_state_user_rflags(uint64_t rflags)
{
	return (rflags & RFLAGS_USER_BITS & ~(RFLAGS_IOPL | RFLAGS_NT | RFLAGS_RF | RFLAGS_VM)) | RFLAGS_IF;
}

static kern_return_t state_to_frame(struct thread *th, const struct i386_thread_state *s,
				    bool keep_segments)
{
	struct trap_frame *f = th->frame;

	if (!is_canonical(s->rip) || !is_canonical(s->ursp))
		return KERN_INVALID_ARGUMENT;
	/* The only user selectors there are: anything else could not be returned to. */
	if (keep_segments && (s->cs != USER_CS || s->ss != USER_SS))
		return KERN_INVALID_ARGUMENT;
	f->r8 = s->r8, f->r9 = s->r9, f->r10 = s->r10, f->r11 = s->r11;
	f->r12 = s->r12, f->r13 = s->r13, f->r14 = s->r14, f->r15 = s->r15;
	f->rdi = s->rdi, f->rsi = s->rsi, f->rbp = s->rbp, f->rbx = s->rbx;
	f->rdx = s->rdx, f->rcx = s->rcx, f->rax = s->rax;
	f->rip = s->rip;
	f->rsp = s->ursp;
	f->cs = USER_CS;
	f->ss = USER_SS;
	f->rflags = thread_state_user_rflags(s->rfl);
	f->vector = T_USER_IRET;
	th->state_replaced = true;
	return KERN_SUCCESS;
}

/* The thread's FP area, current (the running thread's lives in the registers). */
static struct fxsave *fpu_area(struct thread *th)
{
	if (th == current_thread())
		fpu_save(th->fpu);
	return th->fpu;
}

static void fpu_area_changed(struct thread *th)
{
	struct fxsave *fx = th->fpu;
	uint32_t mask = fx->mxcsr_mask ? fx->mxcsr_mask : MXCSR_MASK_DEFAULT;

	fx->mxcsr &= mask;	/* fxrstor faults on reserved MXCSR bits */
	if (th == current_thread())
		fpu_restore(th->fpu);
}

/* The full x87 tag of physical register r, from the FXSAVE abridged tag and contents. */
static uint16_t x87_tag(const struct fxsave *fx, int r)
{
	int top = (fx->fsw >> 11) & 7;
	const uint8_t *reg = fx->st[(r - top) & 7];
	uint16_t exp;
	uint64_t mant;

	if (!(fx->ftw & (1 << r)))
		return 3;		/* empty */
	memcpy(&mant, reg, 8);
	memcpy(&exp, reg + 8, 2);
	exp &= 0x7FFF;
	if (exp == 0x7FFF)
		return 2;		/* special */
	if (exp == 0)
		return mant ? 2 : 1;	/* denormal / zero */
	return (mant >> 63) ? 0 : 2;	/* valid / unnormal */
}

static void float_get(struct thread *th, struct x86_float_state *s)
{
	const struct fxsave *fx = fpu_area(th);

	memset(s, 0, sizeof(*s));
	s->fpkind = FP_387FX;
	s->initialized = 1;
	s->fcw = fx->fcw;
	s->fsw = fx->fsw;
	for (int r = 0; r < 8; r++)
		s->ftw |= x87_tag(fx, r) << (2 * r);
	s->fip = (uint32_t)fx->fip;
	s->fop = fx->fop & 0x7FF;
	s->foo = (uint32_t)fx->fdp;
	for (int i = 0; i < 8; i++)
		memcpy(s->regs[i], fx->st[i], 10);
}

static void float_set(struct thread *th, const struct x86_float_state *s)
{
	struct fxsave *fx = fpu_area(th);

	if (!s->initialized) {
		fpu_state_reset(fx);
	} else {
		fx->fcw = s->fcw;
		fx->fsw = s->fsw;
		fx->ftw = 0;
		for (int r = 0; r < 8; r++)
			if (((s->ftw >> (2 * r)) & 3) != 3)
				fx->ftw |= 1 << r;
		fx->fop = s->fop & 0x7FF;
		fx->fip = s->fip;
		fx->fdp = s->foo;
		for (int i = 0; i < 8; i++) {
			memset(fx->st[i], 0, 16);
			memcpy(fx->st[i], s->regs[i], 10);
		}
	}
	fpu_area_changed(th);
}

static kern_return_t xfloat_set(struct thread *th, const uint32_t *state)
{
	struct fxsave *fx;

	if (state[3] != FP_SAVE_FXSAVE)
		return KERN_INVALID_ARGUMENT;
	fx = fpu_area(th);
	if (!state[1]) {
		fpu_state_reset(fx);
	} else {
		uint32_t mask = fx->mxcsr_mask;
		memcpy(fx, state + 4, FPU_STATE_SIZE);
		fx->mxcsr_mask = mask;
	}
	fpu_area_changed(th);
	return KERN_SUCCESS;
}

/* The flavor's size in words, or 0 for a flavor that does not exist here. */
static uint32_t flavor_words(int flavor)
{
	switch (flavor) {
	case THREAD_STATE_FLAVOR_LIST:	return 3;
	case i386_THREAD_STATE:
	case i386_REGS_SEGS_STATE:	return THREAD_STATE_WORDS;
	case i386_FLOAT_STATE:		return FLOAT_STATE_WORDS;
	case i386_ISA_PORT_MAP_STATE:	return ISA_PORT_MAP_WORDS;
	case i386_DEBUG_STATE:		return DEBUG_STATE_WORDS;
	case i386_FSGS_BASE_STATE:	return FSGS_STATE_WORDS;
	case i386_XFLOAT_STATE:		return XFLOAT_STATE_WORDS;
	default:			return 0;
	}
}

kern_return_t thread_state_get(struct thread *th, int flavor, uint32_t *state, uint32_t *count)
{
	uint32_t words = flavor_words(flavor);

	if (!words || *count < words)
		return KERN_INVALID_ARGUMENT;
	switch (flavor) {
	case THREAD_STATE_FLAVOR_LIST:
		state[0] = i386_THREAD_STATE;
		state[1] = i386_FLOAT_STATE;
		state[2] = i386_ISA_PORT_MAP_STATE;
		break;
	case i386_THREAD_STATE:
	case i386_REGS_SEGS_STATE:
		frame_to_state(th->frame, (struct i386_thread_state *)state);
		break;
	case i386_FLOAT_STATE:
		float_get(th, (struct x86_float_state *)state);
		break;
	case i386_ISA_PORT_MAP_STATE:
		io_perm_isa_map(th->task, (uint8_t *)state, ISA_PORT_MAP_WORDS * 4);
		break;
	case i386_DEBUG_STATE:
		memcpy(state, th->debug_regs, sizeof(th->debug_regs));
		break;
	case i386_FSGS_BASE_STATE:
		memcpy(state, &th->fs_base, 8);
		memcpy(state + 2, &th->gs_base, 8);
		break;
	case i386_XFLOAT_STATE:
		state[0] = FP_387FX;
		state[1] = 1;
		state[2] = 0;
		state[3] = FP_SAVE_FXSAVE;
		memcpy(state + 4, fpu_area(th), FPU_STATE_SIZE);
		break;
	}
	*count = words;
	return KERN_SUCCESS;
}

kern_return_t thread_state_set(struct thread *th, int flavor, const uint32_t *state, uint32_t count)
{
	uint32_t words = flavor_words(flavor);
	uint64_t fs, gs;

	if (!words || flavor == THREAD_STATE_FLAVOR_LIST || count < words)
		return KERN_INVALID_ARGUMENT;
	switch (flavor) {
	case i386_THREAD_STATE:
	case i386_REGS_SEGS_STATE: {
		struct i386_thread_state s;
		memcpy(&s, state, sizeof(s));
		return state_to_frame(th, &s, flavor == i386_REGS_SEGS_STATE);
	}
	case i386_FLOAT_STATE: {
		struct x86_float_state s;
		memcpy(&s, state, sizeof(s));
		float_set(th, &s);
		return KERN_SUCCESS;
	}
	case i386_ISA_PORT_MAP_STATE:
		return KERN_SUCCESS;	/* accepted and ignored */
	case i386_DEBUG_STATE:
		/* dr0-dr3 are 32-bit words here: always user addresses. */
		memcpy(th->debug_regs, state, sizeof(th->debug_regs));
		return KERN_SUCCESS;
	case i386_FSGS_BASE_STATE:
		memcpy(&fs, state, 8);
		memcpy(&gs, state + 2, 8);
		/* wrmsr faults on a non-canonical base; a kernel address is no use either. */
		if (fs >= USER_LIMIT || gs >= USER_LIMIT)
			return KERN_INVALID_ARGUMENT;
		th->fs_base = fs;
		th->gs_base = gs;
		if (th == current_thread()) {
			wrmsr(MSR_FS_BASE, fs);
			wrmsr(MSR_KERNEL_GS_BASE, gs);
		}
		return KERN_SUCCESS;
	case i386_XFLOAT_STATE:
		return xfloat_set(th, state);
	}
	return KERN_INVALID_ARGUMENT;
}

void thread_state_inherit_fpu(struct thread *child, struct thread *creator)
{
	if (creator->fpu && child->fpu)
		((struct fxsave *)child->fpu)->fcw = fpu_area(creator)->fcw;
}
