/* Formatted output (freestanding; shared by the kernel and native tasks). */
#ifndef _STDIO_H
#define _STDIO_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Formats: %d %i %u %x %X %o %p %s %c %%, the flags '-' '0' '+' ' ', a field width
 * and a precision (either may be '*'), and the length modifiers hh h l ll z j t.
 * Returns the length the whole output would have; writes at most size-1 characters
 * and always terminates when size > 0.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Native tasks only: formats into a buffer and prints it with mach_print. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
