/* x87/SSE state of user threads (see arch/fpu.h). */
#include <string.h>
#include <arch/cpu.h>
#include <arch/fpu.h>
#include <kern/printf.h>
#include <kern/zalloc.h>

#define CR0_MP		(1ul << 1)
#define CR0_EM		(1ul << 2)
#define CR0_TS		(1ul << 3)
#define CR0_NE		(1ul << 5)
#define CR4_OSXMMEXCPT	(1ul << 10)
#define MXCSR_DEFAULT	0x1f80

static uint8_t initial_state[FPU_STATE_SIZE] __attribute__((aligned(16)));

void fpu_init(void)
{
	uint32_t mxcsr = MXCSR_DEFAULT;

	if (!cpu_features.fxsr)
		panic("fpu: no fxsave/fxrstor");
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	__asm__ volatile("fninit; ldmxcsr %0" :: "m"(mxcsr));
	fpu_save(initial_state);
}

void *fpu_state_alloc(void)
{
	void *s = kalloc(FPU_STATE_SIZE);	/* the 512-byte zone: 16-byte aligned */

	if (s)
		memcpy(s, initial_state, FPU_STATE_SIZE);
	return s;
}

void fpu_state_reset(void *state)
{
	memcpy(state, initial_state, FPU_STATE_SIZE);
}

void fpu_state_free(void *state)
{
	kfree(state, FPU_STATE_SIZE);
}

