/* kernel_main: bring the machine up, start the boot modules, become the idle thread. */
#include <string.h>
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/fpu.h>
#include <arch/gdt.h>
#include <arch/serial.h>
#include <arch/trap.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_port.h>
#include <kern/boot.h>
#include <kern/bootscript.h>
#include <kern/host.h>
#include <kern/mach_traps.h>
#include <kern/printf.h>
#include <kern/sched.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/zalloc.h>

static bool crash_at_boot, crash_stack;

/* Recurses until the kernel stack overflows into its guard page (the limit is never met). */
static volatile int overflow_limit = -1;

static int overflow(int depth)
{
	volatile char frame[512];

	frame[0] = (char)depth;
	if (depth == overflow_limit)
		return 0;
	return overflow(depth + 1) + frame[0];
}

static void overflow_thread(void *arg)
{
	(void)arg;
	overflow(0);
}

static void boot_options(void)
{
	char v[16];

	if (cmdline_value(boot_info.cmdline, "idle", v, sizeof(v)) == 0 && strcmp(v, "exit") == 0)
		kernel_exit_when_idle = true;
	/* crash=boot: fault in kernel mode once up, to exercise the panic path. */
	if (cmdline_value(boot_info.cmdline, "crash", v, sizeof(v)) == 0 && strcmp(v, "boot") == 0)
		crash_at_boot = true;
	/* crash=stack: overflow a kernel stack, to exercise the guard page and #DF. */
	if (cmdline_value(boot_info.cmdline, "crash", v, sizeof(v)) == 0 && strcmp(v, "stack") == 0)
		crash_stack = true;
}

/* Called from boot/multiboot.S on the boot stack, interrupts disabled. */
void kernel_main(uint32_t magic, uint32_t info_pa)
{
	serial_init();
	kprintf("kernel: booting\n");
	gdt_init();
	idt_init();
	cpu_features_detect();
	fpu_init();
	multiboot_read(magic, info_pa);
	kprintf("kernel: command line '%s', %d modules\n", boot_info.cmdline, boot_info.nmods);
	boot_options();
	memory_init();
	kalloc_init();
	ipc_port_init();
	ipc_kobject_init();
	task_init();
	thread_init();
	sched_init();
	host_init();
	mach_traps_init();
	syscall_init();
	apic_init();
	boot_modules_start();
	if (crash_at_boot) {
		volatile uintptr_t page0 = 16;	/* page 0 is never mapped in the kernel */
		*(volatile int *)page0 = 0;
	}
	if (crash_stack)
		thread_create_kernel("overflow", overflow_thread, NULL, BASEPRI_SYSTEM);
	sched_start();
}
