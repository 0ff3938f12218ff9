/*
 * The initial stack and registers of a Linux x86_64 process after execve (GUESTS.md
 * §3.1). The image is built in a local buffer for a given top-of-stack guest address;
 * the personality then copies it into the new address space. Pure logic.
 */
#ifndef _LINUX_STACK_H_
#define _LINUX_STACK_H_

#include <stddef.h>
#include <stdint.h>
#include <mach/personality.h>

/* What the auxiliary vector says; all addresses are guest addresses. */
struct linux_exec_info {
	size_t argc;
	const char *const *argv;	/* argc strings (the caller copied them in already) */
	size_t envc;
	const char *const *envp;
	const char *execfn;		/* AT_EXECFN: the path given to execve */
	uint64_t phdr;			/* AT_PHDR; 0 when the headers are not mapped (below) */
	uint64_t phnum;			/* AT_PHNUM */
	uint64_t base;			/* AT_BASE: the interpreter's load address, or 0 */
	uint64_t entry;			/* AT_ENTRY: the program's entry (not the interpreter's) */
	uint32_t uid, euid, gid, egid;
	int secure;			/* AT_SECURE */
	uint64_t hwcap, hwcap2;		/* AT_HWCAP (CPUID 1 edx), AT_HWCAP2 */
	const uint8_t *random;		/* AT_RANDOM: 16 bytes */
};

/* The bytes [rsp, top) to copy to the guest's stack, and where rsp ends up. */
struct linux_stack_image {
	uint64_t rsp;			/* 16-byte aligned, pointing at argc */
	size_t size;			/* top - rsp: the bytes at the start of the buffer */
	uint64_t argv;			/* guest address of argv[0]'s pointer (rsp + 8) */
	uint64_t auxv;			/* guest address of the first auxv pair */
};

/* The number of auxv pairs emitted, AT_NULL included (with AT_PHDR/PHENT/PHNUM). */
#define LINUX_AUXV_PAIRS	19

/*
 * Builds the image for a stack whose highest address (exclusive) is top, 16-byte
 * aligned. From top down: 8 zero bytes, the execfn string, the environment strings,
 * the argument strings, "x86_64", the 16 AT_RANDOM bytes, padding, then the auxv
 * pairs, envp[] and NULL, argv[] and NULL, argc at rsp.
 *
 * The auxv is GUESTS.md §3.1's list. When phdr is 0, AT_PHDR, AT_PHENT and AT_PHNUM
 * are all left out: static glibc then finds its headers itself, whereas AT_PHDR
 * without AT_PHNUM (or a wrong one) makes it crash.
 *
 * Returns 0, or -LINUX_E2BIG when a string is longer than LINUX_MAX_ARG_STRLEN or the
 * image would be larger than limit or than bufsize, -LINUX_EFAULT when it would not
 * fit below top, -LINUX_EINVAL without the random bytes. buf receives the image at buf[0, out->size).
 */
int linux_stack_build(const struct linux_exec_info *info, uint64_t top, size_t limit,
		      uint8_t *buf, size_t bufsize, struct linux_stack_image *out);

/* The size linux_stack_build needs (for allocating buf), or 0 on overflow. */
size_t linux_stack_size(const struct linux_exec_info *info);

/*
 * The registers at entry: every GPR 0 (rdx included: static glibc registers a
 * non-zero rdx with atexit), rsp and rip as given, rflags IF. Returns the reply
 * mask: all of them (a jump, so rcx and r11 arrive as 0 too).
 */
uint32_t linux_exec_regs(foreign_regs_t regs, uint64_t rsp, uint64_t rip);

#endif /* _LINUX_STACK_H_ */
