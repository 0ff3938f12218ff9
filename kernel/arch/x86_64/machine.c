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
