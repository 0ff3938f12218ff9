/* Inline access to x86_64 instructions, control registers and MSRs. */
#ifndef _ARCH_CPU_H_
#define _ARCH_CPU_H_

#include <stdint.h>
#include <stdbool.h>

#define MSR_EFER		0xC0000080
#define MSR_STAR		0xC0000081
#define MSR_LSTAR		0xC0000082
#define MSR_FMASK		0xC0000084
#define MSR_FS_BASE		0xC0000100
#define MSR_GS_BASE		0xC0000101
#define MSR_KERNEL_GS_BASE	0xC0000102
#define MSR_APIC_BASE		0x0000001B

#define EFER_SCE		(1u << 0)
#define EFER_LME		(1u << 8)
#define EFER_NXE		(1u << 11)

#define CR0_WP			(1ul << 16)
#define CR4_PGE			(1ul << 7)
#define CR4_OSFXSR		(1ul << 9)

#define RFLAGS_IF		(1ul << 9)
#define RFLAGS_DF		(1ul << 10)
#define RFLAGS_TF		(1ul << 8)
#define RFLAGS_AC		(1ul << 18)
#define RFLAGS_NT		(1ul << 14)
#define RFLAGS_IOPL		(3ul << 12)
#define RFLAGS_RF		(1ul << 16)

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" :: "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

static inline uint64_t read_cr0(void) { uint64_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr2(void) { uint64_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr3(void) { uint64_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr4(void) { uint64_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr0(uint64_t v) { __asm__ volatile("mov %0, %%cr0" :: "r"(v) : "memory"); }
static inline void write_cr3(uint64_t v) { __asm__ volatile("mov %0, %%cr3" :: "r"(v) : "memory"); }
static inline void write_cr4(uint64_t v) { __asm__ volatile("mov %0, %%cr4" :: "r"(v) : "memory"); }
static inline void invlpg(uint64_t va) { __asm__ volatile("invlpg (%0)" :: "r"(va) : "memory"); }
static inline uint64_t rdtsc(void) { uint32_t lo, hi; __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)); return ((uint64_t)hi << 32) | lo; }

static inline void cpu_halt(void) { __asm__ volatile("hlt"); }
static inline void intr_disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void intr_enable(void) { __asm__ volatile("sti" ::: "memory"); }
/* Enable interrupts and wait for one, atomically (sti shadows the following hlt). */
static inline void intr_enable_and_halt(void) { __asm__ volatile("sti; hlt; cli" ::: "memory"); }

static inline uint64_t read_rbp(void) { uint64_t v; __asm__ volatile("mov %%rbp, %0" : "=r"(v)); return v; }

/* A canonical address: bits 63..47 all equal. */
static inline bool is_canonical(uint64_t va)
{
	return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

/* Features the kernel checks for at boot (CPUID). */
struct cpu_features {
	bool nx;		/* no-execute page bit */
	bool apic;		/* local APIC */
	bool pge;		/* global pages */
	bool fxsr;		/* fxsave/fxrstor */
	bool syscall;		/* syscall/sysret in long mode */
	uint8_t phys_bits;	/* physical-address width (MAXPHYADDR) */
};
extern struct cpu_features cpu_features;
void cpu_features_detect(void);

#endif /* _ARCH_CPU_H_ */
