/* kernel_main: bring the machine up, start the boot modules, become the idle thread. */
#include <string.h>
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/fpu.h>
#include <arch/gdt.h>
#include <arch/serial.h>
#include <arch/trap.h>
#include <kern/boot.h>
#include <kern/bootscript.h>
#include <kern/host.h>
#include <kern/printf.h>
#include <kern/sched.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/zalloc.h>

static void boot_options(void)
{
	char v[16];

	if (cmdline_value(boot_info.cmdline, "idle", v, sizeof(v)) == 0 && strcmp(v, "exit") == 0)
		kernel_exit_when_idle = true;
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
	task_init();
	thread_init();
	sched_init();
	host_init();
	syscall_init();
	apic_init();
	boot_modules_start();
	sched_start();
}
