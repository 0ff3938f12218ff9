/*
 * Start-up of a native task. The kernel enters with rsp at argc (ABI section 13):
 * argc, argv[], NULL, envp[], NULL. main's return value is passed to exit.
 */
	.text
	.global _start
	.type _start, @function
_start:
	xorl	%ebp, %ebp
	movq	(%rsp), %rdi		/* argc */
	leaq	8(%rsp), %rsi		/* argv */
	leaq	16(%rsp, %rdi, 8), %rdx	/* envp: after argv's NULL */
	andq	$-16, %rsp
	call	main
	movl	%eax, %edi
	call	exit
	ud2

	.section .note.GNU-stack, "", @progbits
