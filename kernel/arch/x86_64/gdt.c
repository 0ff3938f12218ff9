/* The GDT, the LDT holding the user segments, and the TSS with its IST stacks. */
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <arch/gdt.h>
#include <arch/percpu.h>

/* Descriptor bits (Intel SDM vol. 3, 3.4.5). */
#define SEG_ACCESSED	(1ull << 40)
#define SEG_RW		(1ull << 41)	/* data: writable; code: readable */
#define SEG_CODE	(1ull << 43)
#define SEG_S		(1ull << 44)	/* code or data (not system) */
#define SEG_DPL3	(3ull << 45)
#define SEG_P		(1ull << 47)
#define SEG_L		(1ull << 53)	/* 64-bit code */
#define SEG_DB		(1ull << 54)	/* 32-bit default operand size */
#define SEG_G		(1ull << 55)	/* 4 KiB granularity */
#define SEG_LIMIT_4G	(0xFFFFull | (0xFull << 48))
#define SYS_TSS		(0x9ull << 40)	/* 64-bit available TSS */
#define SYS_LDT		(0x2ull << 40)


#define GDT_SLOTS	11
#define LDT_SLOTS	4
#define IST_STACK_SIZE	8192

static uint64_t gdt[GDT_SLOTS] __attribute__((aligned(16)));
static uint64_t ldt[LDT_SLOTS] __attribute__((aligned(16)));
struct tss_io tss_io __attribute__((aligned(16)));
static const uint8_t *tss_io_copied;	/* the bitmap tss_io.iomap holds a copy of */
static uint8_t ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));

struct cpu cpu0;

/* A 16-byte system descriptor (TSS or LDT) in two GDT slots. */
static void set_system_desc(int slot, uint64_t type, uint64_t base, uint32_t limit)
{
	gdt[slot] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | type | SEG_P |
		    ((uint64_t)(limit >> 16 & 0xF) << 48) | ((base >> 24 & 0xFF) << 56);
	gdt[slot + 1] = base >> 32;
}

void gdt_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) desc = { sizeof(gdt) - 1, (uint64_t)gdt };

	gdt[KERNEL_CS >> 3] = SEG_P | SEG_S | SEG_CODE | SEG_RW | SEG_L | SEG_ACCESSED;
	gdt[KERNEL_DS >> 3] = SEG_P | SEG_S | SEG_RW | SEG_ACCESSED;
	set_system_desc(TSS_SEL >> 3, SYS_TSS, (uint64_t)&tss_io, sizeof(tss_io) - 1);
	set_system_desc(LDT_SEL >> 3, SYS_LDT, (uint64_t)ldt, sizeof(ldt) - 1);

	ldt[USER_CS32 >> 3] = SEG_P | SEG_S | SEG_CODE | SEG_RW | SEG_DPL3 | SEG_DB | SEG_G |
			      SEG_LIMIT_4G | SEG_ACCESSED;
	ldt[USER_SS >> 3] = SEG_P | SEG_S | SEG_RW | SEG_DPL3 | SEG_DB | SEG_G | SEG_LIMIT_4G |
			    SEG_ACCESSED;
	ldt[USER_CS >> 3] = SEG_P | SEG_S | SEG_CODE | SEG_RW | SEG_DPL3 | SEG_L | SEG_ACCESSED;

	for (int i = 0; i < 3; i++)
		tss_io.tss.ist[i] = (uint64_t)&ist_stacks[i][IST_STACK_SIZE];
	/* No bitmap: past the limit, so that with IOPL 0 every user in/out faults. */
	tss_io.tss.iomap_base = sizeof(tss_io);
	tss_io.iomap_end = 0xff;

	__asm__ volatile(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movl %2, %%eax\n\t"
		"movl %%eax, %%ds\n\t"
		"movl %%eax, %%es\n\t"
		"movl %%eax, %%ss\n\t"
		"xorl %%eax, %%eax\n\t"
		"movl %%eax, %%fs\n\t"
		"movl %%eax, %%gs\n\t"
		"movw %3, %%ax\n\t"
		"ltr %%ax\n\t"
		"movw %4, %%ax\n\t"
		"lldt %%ax"
		:: "m"(desc), "i"(KERNEL_CS), "i"(KERNEL_DS), "i"(TSS_SEL), "i"(LDT_SEL)
		: "rax", "memory");

	/* Per-CPU data through GS (the kernel's GS base while in the kernel). */
	cpu0.self = &cpu0;
	percpu_init(&cpu0);
}


void tss_io_load(const uint8_t *iomap)
{
	if (!iomap) {
		tss_io.tss.iomap_base = sizeof(tss_io);
		return;
	}
	if (iomap != tss_io_copied) {
		memcpy(tss_io.iomap, iomap, IOMAP_BYTES);
		tss_io_copied = iomap;
	}
	tss_io.tss.iomap_base = offsetof(struct tss_io, iomap);
}

void tss_io_changed(void)
{
	tss_io_copied = NULL;
}
