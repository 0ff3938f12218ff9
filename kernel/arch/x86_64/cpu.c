/* CPU feature detection and per-CPU setup. */
#include <arch/cpu.h>
#include <arch/percpu.h>
#include <kern/printf.h>

struct cpu_features cpu_features;

void cpu_features_detect(void)
{
	uint32_t r[4], max_ext;

	cpuid(1, 0, r);
	cpu_features.apic = r[3] & (1u << 9);
	cpu_features.pge = r[3] & (1u << 13);
	cpu_features.fxsr = r[3] & (1u << 24);
	cpuid(0x80000000, 0, r);
	max_ext = r[0];
	if (max_ext >= 0x80000001) {
		cpuid(0x80000001, 0, r);
		cpu_features.nx = r[3] & (1u << 20);
		cpu_features.syscall = r[3] & (1u << 11);
	}
	cpu_features.phys_bits = 36;	/* without leaf 0x80000008 (SDM vol. 3, 4.1.4) */
	if (max_ext >= 0x80000008) {
		cpuid(0x80000008, 0, r);
		cpu_features.phys_bits = r[0] & 0xFF;
	}
	if (!cpu_features.syscall)
		panic("cpu: no syscall/sysret in long mode");
	if (!cpu_features.apic)
		panic("cpu: no local APIC");
	kprintf("cpu: nx=%d pge=%d fxsr=%d\n", cpu_features.nx, cpu_features.pge,
		cpu_features.fxsr);
}

void percpu_init(struct cpu *c)
{
	wrmsr(MSR_GS_BASE, (uint64_t)c);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}
