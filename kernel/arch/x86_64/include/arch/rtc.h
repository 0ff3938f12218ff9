/* The battery-backed real-time clock (arch/x86_64/rtc.c). */
#ifndef _ARCH_RTC_H_
#define _ARCH_RTC_H_

#include <stdint.h>

/* Seconds since 1970-01-01 00:00 UTC now (the clock is taken to keep UTC), or 0 if the
 * clock reads as nonsense. Conditions: interrupts disabled; it may wait up to ~2 ms. */
int64_t rtc_read_unix_time(void);

#endif
