/*
 * Machine-dependent thread state: the flavors of thread_get_state / thread_set_state
 * (ABI section 9), counts in 32-bit words.
 */
#ifndef _ARCH_THREAD_STATE_H_
#define _ARCH_THREAD_STATE_H_

#include <stdint.h>
#include <mach/kern_return.h>
#include <mach/x86_64/thread_status.h>

struct thread;

/* The largest flavor, in words (i386_XFLOAT_STATE: 16 bytes + the FXSAVE area). */
#define THREAD_STATE_WORDS_MAX		132

/*
 * Conditions (both): interrupts disabled; th is a user thread. *count is the caller's
 * capacity in words on entry and the flavor's size on success. A set on another
 * thread replaces its frame for its next return to user mode.
 */
kern_return_t thread_state_get(struct thread *th, int flavor, uint32_t *state, uint32_t *count);
kern_return_t thread_state_set(struct thread *th, int flavor, const uint32_t *state, uint32_t count);
/* rflags as user mode may have it: without IOPL, NT, RF, VM and reserved bits, with IF. */
uint64_t thread_state_user_rflags(uint64_t rflags);
/* A new thread of the creator's task starts with the creator's x87 control word. */
void thread_state_inherit_fpu(struct thread *child, struct thread *creator);

#endif
