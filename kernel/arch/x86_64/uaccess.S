/*
 * Raw copies to and from user memory. The C callers (kern/uaccess.c) check the
 * range and set the thread's recovery address to copy_user_fault: a page fault on a
 * user address inside these routines resumes there, and the routine returns -1.
 * None of them pushes anything, so copy_user_fault's ret goes back to the caller.
 */
#include <arch/trap.h>

	.text
/* long copy_user_bytes(void *dst, const void *src, size_t n): 0, or -1 on a fault. */
	.global copy_user_bytes
copy_user_bytes:
	movq	%rdx, %rcx
	shrq	$3, %rcx
	rep movsq
	movq	%rdx, %rcx
	andq	$7, %rcx
	rep movsb
	xorl	%eax, %eax
	ret

/* long copy_user_qwords(void *dst, const void *src, size_t n): the same for n % 8 == 0. */
	.global copy_user_qwords
copy_user_qwords:
	movq	%rdx, %rcx
	shrq	$3, %rcx
	rep movsq
	xorl	%eax, %eax
	ret

/*
 * long copy_user_string(char *dst, const char *src, size_t max): copies up to and
 * including the NUL, at most max bytes. Returns the length without the NUL, max if
 * there was no NUL within max bytes, or -1 on a fault.
 */
	.global copy_user_string
copy_user_string:
	xorl	%eax, %eax
1:	cmpq	%rdx, %rax
	jae	2f
	movb	(%rsi, %rax), %cl
	movb	%cl, (%rdi, %rax)
	testb	%cl, %cl
	jz	2f
	incq	%rax
	jmp	1b
2:	ret

/*
 * long copy_foreign_request(void *dst, const uint64_t head[5], const struct trap_frame *f):
 * writes a forwarded system call's request (kern/foreign.h, without ports) into the
 * receiver's buffer at dst: the header and the registers' descriptor (head), then the
 * 18 registers in the wire order of <mach/personality.h>, straight from the frame
 * (arch/trap.h offsets). 0, or -1 on a fault.
 */
#define REQ_REG(i, off)	movq off(%rdx), %rax; movq %rax, 40 + 8 * i(%rdi)
	.global copy_foreign_request
copy_foreign_request:
	movq	0(%rsi), %rax
	movq	%rax, 0(%rdi)
	movq	8(%rsi), %rax
	movq	%rax, 8(%rdi)
	movq	16(%rsi), %rax
	movq	%rax, 16(%rdi)
	movq	24(%rsi), %rax
	movq	%rax, 24(%rdi)
	movq	32(%rsi), %rax
	movq	%rax, 32(%rdi)
	REQ_REG(0, TF_RAX)
	REQ_REG(1, 96)		/* rcx */
	REQ_REG(2, 88)		/* rdx */
	REQ_REG(3, 104)		/* rbx */
	REQ_REG(4, TF_RSP)
	REQ_REG(5, 64)		/* rbp */
	REQ_REG(6, 80)		/* rsi */
	REQ_REG(7, 72)		/* rdi */
	REQ_REG(8, 56)		/* r8 */
	REQ_REG(9, 48)
	REQ_REG(10, 40)
	REQ_REG(11, 32)
	REQ_REG(12, 24)
	REQ_REG(13, 16)
	REQ_REG(14, 8)
	REQ_REG(15, TF_R15)
	REQ_REG(16, TF_RIP)
	REQ_REG(17, TF_RFLAGS)
	xorl	%eax, %eax
	ret

	.global copy_user_fault
copy_user_fault:
	movq	$-1, %rax
	ret
