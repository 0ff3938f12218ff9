/*
 * Ending a run under QEMU: the isa-debug-exit device at I/O port 0xf4 makes QEMU
 * exit with status (value << 1) | 1. On a machine without it the write is ignored.
 */
#ifndef _ARCH_QEMU_H_
#define _ARCH_QEMU_H_

#define QEMU_EXIT_PORT		0xf4
#define QEMU_EXIT_SUCCESS	0	/* QEMU exits with status 1 */
#define QEMU_EXIT_FAILURE	1	/* QEMU exits with status 3 */

void machine_exit(int code) __attribute__((noreturn));
/* Resets the machine; under QEMU the exit device ends the run with the success status. */
void machine_reboot(void) __attribute__((noreturn));

#endif
