/* Kernel console output and panic. */
#ifndef _KERN_PRINTF_H_
#define _KERN_PRINTF_H_

#include <stddef.h>
#include <stdio.h>	/* vsnprintf, snprintf (lib/libc/format.c) */

/* Formats with vsnprintf and writes to the console; lines are not interleaved. */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_write(const char *s, size_t len);
/* Polls the console until Return is pressed (boot scripts' prompt-task-resume). */
void console_wait_return(void);

/* A broken kernel invariant: print, dump state, end the run with the failure status. */
__attribute__((noreturn, format(printf, 1, 2)))
void panic(const char *fmt, ...);

#include <stdint.h>
/* panic, with the backtrace of an interrupted context (rip, rbp) instead of the caller's. */
__attribute__((noreturn, format(printf, 3, 4)))
void panic_at(uint64_t rip, uint64_t rbp, const char *fmt, ...);

#define assert(cond) \
	do { if (!(cond)) panic("assertion failed: %s at %s:%d", #cond, __FILE__, __LINE__); } while (0)

#endif /* _KERN_PRINTF_H_ */
