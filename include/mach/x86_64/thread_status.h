/*
 * Thread states of x86_64 (ABI section 9): the flavors of thread_get_state and
 * thread_set_state, their sizes in 32-bit words, and the general-register layout.
 */
#ifndef _MACH_X86_64_THREAD_STATUS_H_
#define _MACH_X86_64_THREAD_STATUS_H_

#include <stdint.h>

#define THREAD_STATE_FLAVOR_LIST	0	/* get only: the flavors below */
#define i386_THREAD_STATE		1
#define i386_FLOAT_STATE		2
#define i386_ISA_PORT_MAP_STATE		3
#define i386_V86_ASSIST_STATE		4	/* refused on x86_64 */
#define i386_REGS_SEGS_STATE		5
#define i386_DEBUG_STATE		6
#define i386_FSGS_BASE_STATE		7
#define i386_XFLOAT_STATE		8

#define i386_THREAD_STATE_COUNT		42	/* flavors 1 and 5: 168 bytes */
#define i386_FLOAT_STATE_COUNT		30	/* 120 bytes */
#define i386_ISA_PORT_MAP_STATE_COUNT	32
#define i386_DEBUG_STATE_COUNT		8
#define i386_FSGS_BASE_STATE_COUNT	4
/* i386_XFLOAT_STATE: i386_get_xstate_size / 4 (132 with a 512-byte FXSAVE area). */

/* i386_thread_state on x86_64: ursp is the stack pointer; rsp reads 0, is ignored. */
struct i386_thread_state {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rsp, rbx, rdx, rcx, rax;
	uint64_t rip;
	uint32_t cs, cs_pad;
	uint64_t rfl, ursp;
	uint32_t ss, ss_pad;
};

_Static_assert(sizeof(struct i386_thread_state) == i386_THREAD_STATE_COUNT * 4, "i386_thread_state");

#endif
