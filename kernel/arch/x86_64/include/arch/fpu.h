/*
 * x87/SSE state of user threads: saved and restored eagerly at every switch between
 * user threads (the kernel itself never touches the FPU). The area is the 512-byte
 * FXSAVE image; a new thread starts from the state after FNINIT with MXCSR 0x1f80.
 */
#ifndef _ARCH_FPU_H_
#define _ARCH_FPU_H_

#define FPU_STATE_SIZE	512

void fpu_init(void);
/* A fresh area holding the initial state, or NULL when out of memory. */
void *fpu_state_alloc(void);
void fpu_state_free(void *state);
/* Back to the initial state (FNINIT, MXCSR 0x1f80). */
void fpu_state_reset(void *state);
static inline void fpu_save(void *state)
{
	__asm__ volatile("fxsave64 (%0)" :: "r"(state) : "memory");
}

static inline void fpu_restore(const void *state)
{
	__asm__ volatile("fxrstor64 (%0)" :: "r"(state) : "memory");
}

#endif
