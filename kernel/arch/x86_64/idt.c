/* The interrupt descriptor table: every vector gets an interrupt gate to its stub. */
#include <stdint.h>
#include <arch/gdt.h>
#include <arch/trap.h>

#define GATE_INTR	0xEull	/* 64-bit interrupt gate: clears IF */
#define GATE_P		(1ull << 15)
#define GATE_DPL3	(3ull << 13)

struct idt_entry {
	uint64_t lo, hi;
};
_Static_assert(sizeof(struct idt_entry) == 16, "IDT entry size");

static struct idt_entry idt[256] __attribute__((aligned(16)));

static void set_gate(int vector, uint64_t handler, int ist, int user)
{
	idt[vector].lo = (handler & 0xFFFF) | ((uint64_t)KERNEL_CS << 16) |
			 ((uint64_t)ist << 32) | ((GATE_INTR << 8 | GATE_P |
			 (user ? GATE_DPL3 : 0)) << 32) | ((handler >> 16 & 0xFFFF) << 48);
	idt[vector].hi = handler >> 32;
}

void idt_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) desc = { sizeof(idt) - 1, (uint64_t)idt };

	for (int v = 0; v < 256; v++)
		set_gate(v, trap_vectors[v], 0, 0);
	/* int3 and into may be used from user mode; everything else from user is #GP. */
	set_gate(T_BREAKPOINT, trap_vectors[T_BREAKPOINT], 0, 1);
	set_gate(T_OVERFLOW, trap_vectors[T_OVERFLOW], 0, 1);
	set_gate(T_DOUBLE_FAULT, trap_vectors[T_DOUBLE_FAULT], IST_DOUBLE_FAULT, 0);
	set_gate(T_NMI, trap_vectors[T_NMI], IST_NMI, 0);
	set_gate(T_MACHINE_CHECK, trap_vectors[T_MACHINE_CHECK], IST_MACHINE_CHECK, 0);
	__asm__ volatile("lidt %0" :: "m"(desc));
}
