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

/*
 * Prints rip (if not 0) and the return addresses along the frame-pointer chain from
 * rbp (the kernel is built with frame pointers).
 */
static void backtrace(uint64_t rip, uint64_t rbp)
{
	int i = 0;

	kprintf("backtrace:\n");
	if (rip)
		kprintf("  #%d %016lx\n", i++, rip);
	for (; i < BACKTRACE_MAX; i++) {
		uint64_t *frame = (uint64_t *)rbp;

		if (rbp < KERNEL_BASE || rbp % 8)
			break;
		if (frame[1] < KERNEL_BASE)
			break;
		kprintf("  #%d %016lx\n", i, frame[1]);
		rbp = frame[0];
	}
}

static __attribute__((noreturn))
void vpanic(uint64_t rip, uint64_t rbp, const char *fmt, va_list ap)
{
	static int panicking;
	char buf[256];

	intr_disable();
	if (panicking++)
		machine_exit(QEMU_EXIT_FAILURE);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	kprintf("panic: %s\n", buf);
	backtrace(rip, rbp);
	machine_exit(QEMU_EXIT_FAILURE);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpanic(0, read_rbp(), fmt, ap);
}

void panic_at(uint64_t rip, uint64_t rbp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpanic(rip, rbp, fmt, ap);
}
