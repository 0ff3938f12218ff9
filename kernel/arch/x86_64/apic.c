/*
 * Local APIC: the periodic timer that drives scheduling (TIMER_HZ), calibrated
 * against the PIT. The two 8259 PICs are remapped past the timer's vector, fully
 * masked, and reach the CPU through LINT0 (ExtINT): intr.c opens the lines that user
 * device servers registered.
 */
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/pmap.h>
#include <arch/trap.h>
#include <kern/layout.h>
#include <kern/printf.h>

#define APIC_ID		0x020
#define APIC_EOI	0x0B0
#define APIC_SVR	0x0F0
#define APIC_LVT_TIMER	0x320
#define APIC_LVT_LINT0	0x350
#define APIC_TIMER_INIT	0x380
#define APIC_TIMER_CUR	0x390
#define APIC_TIMER_DIV	0x3E0
#define SVR_ENABLE	0x100
#define LVT_MASKED	0x10000
#define LVT_PERIODIC	0x20000
#define LVT_EXTINT	0x700
#define APIC_BASE_ENABLE 0x800
#define DIVIDE_BY_16	0x3

#define PIT_HZ		1193182
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PIT_GATE	0x61
#define CALIBRATE_MS	10

static volatile uint32_t *apic;

static inline uint32_t apic_read(uint32_t reg) { return apic[reg / 4]; }
static inline void apic_write(uint32_t reg, uint32_t v) { apic[reg / 4] = v; }

static void pic_disable(void)
{
	/* ICW1..ICW4: remap to T_IRQ_BASE.. so an IRQ is neither an exception nor the timer. */
	outb(0x20, 0x11); outb(0xA0, 0x11);
	outb(0x21, T_IRQ_BASE); outb(0xA1, T_IRQ_BASE + 8);
	outb(0x21, 4);    outb(0xA1, 2);
	outb(0x21, 1);    outb(0xA1, 1);
	outb(0x21, 0xFF); outb(0xA1, 0xFF);
}

/* APIC timer ticks (divide by 16) in CALIBRATE_MS, measured with PIT channel 2. */
static uint32_t calibrate(void)
{
	uint16_t count = PIT_HZ * CALIBRATE_MS / 1000;

	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01);	/* gate on, speaker off */
	outb(PIT_CMD, 0xB0);				/* ch2, lo/hi, mode 0 */
	outb(PIT_CH2, count & 0xFF);
	outb(PIT_CH2, count >> 8);
	apic_write(APIC_TIMER_DIV, DIVIDE_BY_16);
	apic_write(APIC_TIMER_INIT, 0xFFFFFFFF);
	while (!(inb(PIT_GATE) & 0x20))
		;
	apic_write(APIC_LVT_TIMER, LVT_MASKED);
	return 0xFFFFFFFF - apic_read(APIC_TIMER_CUR);
}

void apic_init(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);
	uint32_t ticks;

	pic_disable();
	wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	apic = pmap_map_device(base & ~0xFFFull, PAGE_SIZE);
	apic_write(APIC_SVR, SVR_ENABLE | T_SPURIOUS);
	apic_write(APIC_LVT_LINT0, LVT_EXTINT);	/* the 8259s' output */
	ticks = calibrate() * (1000 / CALIBRATE_MS) / TIMER_HZ;
	if (ticks == 0)
		ticks = 1;
	apic_write(APIC_TIMER_DIV, DIVIDE_BY_16);
	apic_write(APIC_LVT_TIMER, LVT_PERIODIC | T_TIMER);
	apic_write(APIC_TIMER_INIT, ticks);
	kprintf("apic: id %u, timer %u Hz (%u ticks)\n", apic_read(APIC_ID) >> 24, TIMER_HZ, ticks);
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}
