/*
 * Segments. The kernel uses GDT selectors 0x08 (code) and 0x10 (data). User code runs
 * with the LDT selectors the ABI fixes: CS = 0x1f and SS = 0x17 (RPL 3), which is the
 * pair sysret produces from STAR[63:48] = 0x0f. GDT slots 9 and 10 (selectors 0x4b,
 * 0x53) are reserved for i386_set_gdt.
 */
#ifndef _ARCH_GDT_H_
#define _ARCH_GDT_H_

#define KERNEL_CS	0x08
#define KERNEL_DS	0x10
#define TSS_SEL		0x18
#define LDT_SEL		0x28
#define USER_CS32	0x0f	/* LDT 1: 32-bit user code (only for sysret's base) */
#define USER_SS		0x17	/* LDT 2: user data */
#define USER_CS		0x1f	/* LDT 3: 64-bit user code */

/* Interrupt stack table slots used by the TSS. */
#define IST_DOUBLE_FAULT	1
#define IST_NMI			2
#define IST_MACHINE_CHECK	3

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <arch/percpu.h>

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "TSS layout");

/*
 * The TSS with room for a full I/O permission bitmap (one bit per port, set = denied)
 * and the byte of ones the CPU needs after it. iomap_base points at the bitmap only
 * while the current task has one (it is then a copy of task->iomap); otherwise past the
 * segment limit, so that every user in/out faults.
 */
#define IOMAP_BYTES	8192
struct tss_io {
	struct tss tss;
	uint8_t iomap[IOMAP_BYTES];
	uint8_t iomap_end;		/* 0xff */
} __attribute__((packed));
_Static_assert(sizeof(struct tss_io) == 104 + IOMAP_BYTES + 1, "TSS with its I/O bitmap");

extern struct tss_io tss_io;

/* Loads a task's bitmap into the TSS (NULL: no port allowed). Interrupts disabled. */
void tss_io_load(const uint8_t *iomap);
/* The bitmap last copied may have changed: the next tss_io_load copies again. */
void tss_io_changed(void);

void gdt_init(void);

/* The stack the CPU switches to on an interrupt, exception or syscall from user mode. */
static inline void tss_set_kernel_stack(uint64_t top)
{
	tss_io.tss.rsp[0] = top;
	cpu0.kernel_rsp = top;
}
#endif

#endif /* _ARCH_GDT_H_ */
