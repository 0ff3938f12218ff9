/*
 * Kernel messages and panic. The kernel is not preemptible and runs with interrupts
 * disabled, so each kprintf reaches the console whole.
 */
#include <stdarg.h>
#include <arch/cpu.h>
#include <arch/qemu.h>
#include <arch/serial.h>
#include <kern/layout.h>
#include <kern/printf.h>

#define BACKTRACE_MAX	16

void console_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		serial_putc(s[i]);
}

void console_wait_return(void)
{
	int c;

	do
		c = serial_getc();
	while (c != '\r' && c != '\n');
}

void kprintf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* Follows the frame-pointer chain (the kernel is built with frame pointers). */
void panic_backtrace(uint64_t rbp)
{
	kprintf("backtrace:\n");
	for (int i = 0; i < BACKTRACE_MAX; i++) {
		uint64_t *frame = (uint64_t *)rbp;

		if (rbp < KERNEL_BASE || rbp % 8)
			break;
		if (frame[1] < KERNEL_BASE)
			break;
		kprintf("  #%d %016lx\n", i, frame[1]);
		rbp = frame[0];
	}
}

void panic(const char *fmt, ...)
{
	static int panicking;
	char buf[256];
	va_list ap;

	intr_disable();
	if (panicking++)
		machine_exit(QEMU_EXIT_FAILURE);
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kprintf("panic: %s\n", buf);
	panic_backtrace(read_rbp());
	machine_exit(QEMU_EXIT_FAILURE);
}
