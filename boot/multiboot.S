/*
 * Multiboot (version 1) header and the 32-to-64-bit trampoline.
 *
 * GRUB enters _start in 32-bit protected mode with paging off, eax = the Multiboot
 * magic and ebx = the physical address of the Multiboot information. We build a
 * minimal set of page tables (identity map of the first 1 GiB, the kernel image at
 * -2 GiB, and a direct map of the first 4 GiB at the base of the kernel half),
 * enter long mode and jump to the higher-half kernel.  Everything here runs at its
 * physical address; the C kernel replaces these tables with its own in pmap_init.
 */
#include "kern/layout.h"

#define MB_MAGIC	0x1BADB002
#define MB_FLAGS	0x00010003	/* page-align modules, memory map, address fields */

#define CR0_PG		0x80000000
#define CR4_PAE		0x00000020
#define MSR_EFER	0xC0000080
#define EFER_LME	0x00000100
#define PTE_P_W		0x003		/* present, writable */
#define PTE_P_W_PS	0x083		/* present, writable, 2 MiB page */

#define PHYS(x)		((x) - KERNEL_BASE)

	.section .multiboot, "a"
	.code32
	.align 4
mb_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)
	.long mb_header			/* header_addr: .multiboot is linked at its physical address */
	.long mb_header			/* load_addr: the image starts with this header */
	.long PHYS(_edata)		/* load_end_addr */
	.long PHYS(_end)		/* bss_end_addr */
	.long _start			/* entry_addr */

	.section .boot.text, "ax"
	.code32
	.global _start
_start:
	cli
	cld
	mov	$PHYS(boot_stack_top), %esp
	mov	%eax, %edi		/* kept for the 64-bit side: magic ... */
	mov	%ebx, %esi		/* ... and the Multiboot info address */

	/* Zero .bss, which holds the boot tables: GRUB is asked to, but we do not rely on it. */
	mov	%edi, %ebp		/* not on the stack: the stack is being cleared */
	mov	$PHYS(_edata), %edi
	mov	$PHYS(_end), %ecx
	sub	%edi, %ecx
	xor	%eax, %eax
	rep stosb
	mov	%ebp, %edi

	/* Long mode is required: CPUID 0x80000001, EDX bit 29. */
	mov	$0x80000000, %eax
	cpuid
	cmp	$0x80000001, %eax
	jb	no_long_mode
	mov	$0x80000001, %eax
	cpuid
	test	$(1 << 29), %edx
	jz	no_long_mode

	/* PD: 512 x 2 MiB identity pages covering 0..1 GiB. */
	mov	$PHYS(boot_pd), %ebx
	xor	%ecx, %ecx
1:	mov	%ecx, %eax
	shl	$21, %eax
	or	$PTE_P_W_PS, %eax
	mov	%eax, (%ebx, %ecx, 8)
	movl	$0, 4(%ebx, %ecx, 8)
	inc	%ecx
	cmp	$512, %ecx
	jne	1b

	/* Direct-map PDs: 4 x 512 x 2 MiB pages covering 0..4 GiB. */
	mov	$PHYS(boot_dm_pd), %ebx
	xor	%ecx, %ecx
1:	mov	%ecx, %eax
	shl	$21, %eax
	or	$PTE_P_W_PS, %eax
	mov	%eax, (%ebx, %ecx, 8)
	mov	%ecx, %eax
	shr	$11, %eax		/* bits 32+ of the physical address */
	mov	%eax, 4(%ebx, %ecx, 8)
	inc	%ecx
	cmp	$2048, %ecx
	jne	1b

	/* Low PDPT[0] -> PD; high PDPT[510] -> the same PD (kernel at -2 GiB). */
	movl	$(PHYS(boot_pd) + PTE_P_W), PHYS(boot_pdpt_low)
	movl	$(PHYS(boot_pd) + PTE_P_W), PHYS(boot_pdpt_high) + 510 * 8
	/* Direct-map PDPT[0..3] -> the four direct-map PDs. */
	movl	$(PHYS(boot_dm_pd) + PTE_P_W), PHYS(boot_pdpt_dm)
	movl	$(PHYS(boot_dm_pd) + 0x1000 + PTE_P_W), PHYS(boot_pdpt_dm) + 8
	movl	$(PHYS(boot_dm_pd) + 0x2000 + PTE_P_W), PHYS(boot_pdpt_dm) + 16
	movl	$(PHYS(boot_dm_pd) + 0x3000 + PTE_P_W), PHYS(boot_pdpt_dm) + 24
	/* PML4: [0] low, [256] direct map, [511] kernel image. */
	movl	$(PHYS(boot_pdpt_low) + PTE_P_W), PHYS(boot_pml4)
	movl	$(PHYS(boot_pdpt_dm) + PTE_P_W), PHYS(boot_pml4) + 256 * 8
	movl	$(PHYS(boot_pdpt_high) + PTE_P_W), PHYS(boot_pml4) + 511 * 8

	mov	%cr4, %eax
	or	$CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$PHYS(boot_pml4), %eax
	mov	%eax, %cr3
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	mov	%cr0, %eax
	or	$CR0_PG, %eax
	mov	%eax, %cr0

	lgdt	boot_gdt_desc
	ljmp	$0x08, $long_mode_entry

no_long_mode:
	/* Say so on COM1 (no initialisation needed under QEMU or most BIOSes), then stop. */
	mov	$no_lm_msg, %esi
	mov	$0x3f8, %dx
1:	lodsb
	test	%al, %al
	jz	2f
	out	%al, %dx
	jmp	1b
2:	hlt
	jmp	2b

	.code64
long_mode_entry:
	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	xor	%eax, %eax
	mov	%eax, %fs
	mov	%eax, %gs
	movabs	$boot_stack_high_top, %rsp
	xor	%ebp, %ebp
	/* edi = magic, esi = info: already the first two C arguments. */
	movabs	$kernel_main, %rax
	call	*%rax
1:	hlt
	jmp	1b

	.section .boot.data, "aw"
	.align 8
boot_gdt:
	.quad	0
	.quad	0x00209A0000000000	/* 0x08: 64-bit code */
	.quad	0x0000920000000000	/* 0x10: data */
boot_gdt_desc:
	.word	boot_gdt_desc - boot_gdt - 1
	.long	boot_gdt
no_lm_msg:
	.asciz	"boot: this CPU has no long mode (x86_64); cannot start\r\n"

	/* Boot page tables and stack, in .bss: the trampoline reaches them by PHYS(). */
	.section .bss
	.align 4096
boot_pml4:	.space 4096
boot_pdpt_low:	.space 4096
boot_pdpt_high:	.space 4096
boot_pdpt_dm:	.space 4096
boot_pd:	.space 4096
boot_dm_pd:	.space 4 * 4096
boot_stack:	.space 4096
boot_stack_top:

	/* The first kernel stack (the boot thread, later the idle thread, runs on it). */
	.align 16
	.global boot_stack_high
boot_stack_high:
	.space	16384
boot_stack_high_top:
