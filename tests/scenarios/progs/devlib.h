/*
 * The "pend" device of devlibsrv (devlib.scn), which tests lib/device's late replies and
 * interrupt hook. A read with nothing buffered waits (DEVICE_PENDING) for the next write,
 * by any open; with D_NOWAIT it answers D_WOULD_BLOCK. A write with recnum
 * PEND_RECNUM_WAIT waits for PEND_RELEASE. A close fails its open's waiting requests
 * with D_DEVICE_DOWN.
 */
#ifndef _DEVLIB_H
#define _DEVLIB_H

/* get: { reads waiting, writes waiting, closes so far, interrupts so far, irq line or -1 } */
#define PEND_STATUS		1
#define PEND_STATUS_COUNT	5
/* set: { rc } answers every waiting write with rc (and its byte count when D_SUCCESS). */
#define PEND_RELEASE		2
/* set: { on } the RTC's periodic interrupt (IRQ 8) on or off; D_INVALID_OPERATION without it. */
#define PEND_RTC		3
#define PEND_RECNUM_WAIT	1
#define PEND_BUF_MAX		64	/* bytes a write may leave for later reads */
#define PEND_MASTER_PORT	0x4e12	/* devlibsrv MASTER, without bootstrap */

#endif
