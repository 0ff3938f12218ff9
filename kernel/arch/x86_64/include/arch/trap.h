/*
 * The trap frame: the user (or interrupted kernel) state saved at the top of the
 * kernel stack by every entry path: interrupts, exceptions and syscall. Its layout
 * is shared with entry.S.
 */
#ifndef _ARCH_TRAP_H_
#define _ARCH_TRAP_H_

#define TF_R15		0
#define TF_RAX		112
#define TF_VECTOR	120
#define TF_ERROR	128
#define TF_RIP		136
#define TF_CS		144
#define TF_RFLAGS	152
#define TF_RSP		160
#define TF_SS		168
#define TF_SIZE		176

/* Vector numbers. */
#define T_DIVIDE	0
#define T_DEBUG		1
#define T_NMI		2
#define T_BREAKPOINT	3
#define T_OVERFLOW	4
#define T_BOUND		5
#define T_INVALID_OP	6
#define T_NO_FPU	7
#define T_DOUBLE_FAULT	8
#define T_FPU_OVERRUN	9
#define T_INVALID_TSS	10
#define T_SEG_NP	11
#define T_STACK		12
#define T_GPF		13
#define T_PAGE_FAULT	14
#define T_FPU_ERROR	16
#define T_ALIGNMENT	17
#define T_MACHINE_CHECK	18
#define T_SIMD		19
#define T_VIRT		20
#define T_CONTROL	21
#define T_EXCEPTIONS	32
#define T_TIMER		32	/* local APIC timer */
#define T_IRQ_BASE	48	/* the 8259 PICs' 16 lines (kern/intr.h) */
#define T_SPURIOUS	255	/* local APIC spurious */
/* Not a vector: the frame was built by the syscall entry, so sysret may return. */
#define T_SYSCALL	0x100
/* Not a vector: a frame written by the kernel (a new thread, thread_set_state); it is
 * left by iretq, so that every register it holds, rcx and r11 included, reaches user mode. */
#define T_USER_IRET	0x101

/* Page-fault error code bits. */
#define PF_PRESENT	0x1
#define PF_WRITE	0x2
#define PF_USER		0x4
#define PF_RSVD		0x8
#define PF_INSTR	0x10

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	/* As pushed by the CPU on an interrupt (and by the syscall entry). */
	uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(offsetof(struct trap_frame, rax) == TF_RAX, "trap frame layout");
_Static_assert(offsetof(struct trap_frame, vector) == TF_VECTOR, "trap frame layout");
_Static_assert(offsetof(struct trap_frame, rip) == TF_RIP, "trap frame layout");
_Static_assert(offsetof(struct trap_frame, cs) == TF_CS, "trap frame layout");
_Static_assert(offsetof(struct trap_frame, rsp) == TF_RSP, "trap frame layout");
_Static_assert(sizeof(struct trap_frame) == TF_SIZE, "trap frame layout");

static inline int frame_from_user(const struct trap_frame *f)
{
	return (f->cs & 3) == 3;
}

void idt_init(void);
void trap_dispatch(struct trap_frame *f);
void syscall_dispatch(struct trap_frame *f);
void return_to_user_prepare(struct trap_frame *f);
void frame_dump(const struct trap_frame *f);
const char *trap_name(uint64_t vector);
void syscall_init(void);

/* Entry points in entry.S. */
extern const uint64_t trap_vectors[256];
void trap_exit(void);
#endif

#endif /* _ARCH_TRAP_H_ */
