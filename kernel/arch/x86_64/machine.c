/* Ending the run: QEMU's isa-debug-exit device, then halt forever. */
#include <arch/cpu.h>
#include <arch/qemu.h>

void machine_exit(int code)
{
	intr_disable();
	outb(QEMU_EXIT_PORT, (uint8_t)code);
	for (;;)
		cpu_halt();
}

void machine_reboot(void)
{
	intr_disable();
	outb(QEMU_EXIT_PORT, QEMU_EXIT_SUCCESS);
	outb(0x64, 0xFE);			/* pulse reset through the keyboard controller */
	__asm__ volatile("lidt %0; int3" :: "m"((struct { uint16_t l; uint64_t b; } __attribute__((packed))){ 0, 0 }));
	for (;;)
		cpu_halt();
}
