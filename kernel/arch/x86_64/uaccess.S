/*
 * Raw copies to and from user memory. The C callers (kern/uaccess.c) check the
 * range and set the thread's recovery address to copy_user_fault: a page fault on a
 * user address inside these routines resumes there, and the routine returns -1.
 * None of them pushes anything, so copy_user_fault's ret goes back to the caller.
 */
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

	.global copy_user_fault
copy_user_fault:
	movq	$-1, %rax
	ret
