/* ct_setjmp / ct_longjmp: the conformance framework's escape from a failed check.
   The buffer holds rbx, rbp, r12-r15, rsp and the return address (8 words). */
	.text
	.global ct_setjmp
	.type ct_setjmp, @function
ct_setjmp:
	movq	%rbx, 0(%rdi)
	movq	%rbp, 8(%rdi)
	movq	%r12, 16(%rdi)
	movq	%r13, 24(%rdi)
	movq	%r14, 32(%rdi)
	movq	%r15, 40(%rdi)
	leaq	8(%rsp), %rax		/* the caller's rsp after our return */
	movq	%rax, 48(%rdi)
	movq	(%rsp), %rax		/* return address */
	movq	%rax, 56(%rdi)
	xorl	%eax, %eax
	ret
	.size ct_setjmp, . - ct_setjmp

	.global ct_longjmp
	.type ct_longjmp, @function
ct_longjmp:
	movl	%esi, %eax
	testl	%eax, %eax
	jnz	1f
	incl	%eax
1:	movq	0(%rdi), %rbx
	movq	8(%rdi), %rbp
	movq	16(%rdi), %r12
	movq	24(%rdi), %r13
	movq	32(%rdi), %r14
	movq	40(%rdi), %r15
	movq	48(%rdi), %rsp
	jmpq	*56(%rdi)
	.size ct_longjmp, . - ct_longjmp

	.section .note.GNU-stack, "", @progbits
