/*
 * System-call forwarding for foreign tasks (personality.defs, subsystem 5100, and
 * foreign_syscall.defs, subsystem 5200): the flags, the register order, the message
 * layouts and the exception codes. Full description: docs/personality-forwarding.md.
 *
 * A foreign task cannot reach Mach traps: every `syscall` instruction, whatever rax
 * holds, sends one request to the task's syscall port and the thread waits for the
 * reply. The reply says which registers to change (mask) and their new values.
 */
#ifndef _MACH_PERSONALITY_H_
#define _MACH_PERSONALITY_H_

#include <stdint.h>
#include <mach/message.h>

/* task_set_syscall_port flags. */
#define FOREIGN_WANT_PORTS	0x1	/* each request carries the thread and task send rights */
#define FOREIGN_FLAGS_ALL	FOREIGN_WANT_PORTS

/* Register indices in foreign_regs_t (the x86 encoding order, then rip and rflags),
 * and the reply mask's bit for each (1u << index). */
#define FOREIGN_REG_RAX		0
#define FOREIGN_REG_RCX		1	/* at syscall: the return rip (the CPU put it there) */
#define FOREIGN_REG_RDX		2
#define FOREIGN_REG_RBX		3
#define FOREIGN_REG_RSP		4	/* the user stack pointer */
#define FOREIGN_REG_RBP		5
#define FOREIGN_REG_RSI		6
#define FOREIGN_REG_RDI		7
#define FOREIGN_REG_R8		8
#define FOREIGN_REG_R9		9
#define FOREIGN_REG_R10		10
#define FOREIGN_REG_R11		11	/* at syscall: rflags (the CPU put it there) */
#define FOREIGN_REG_R12		12
#define FOREIGN_REG_R13		13
#define FOREIGN_REG_R14		14
#define FOREIGN_REG_R15		15
#define FOREIGN_REG_RIP		16	/* the instruction after the syscall */
#define FOREIGN_REG_RFLAGS	17
#define FOREIGN_REG_COUNT	18

#define FOREIGN_MASK(r)		(1u << (r))
#define FOREIGN_MASK_ALL	((1u << FOREIGN_REG_COUNT) - 1)
/*
 * Changing any of these replaces the thread's state (a "jump"): the thread returns to
 * user mode with every register as given (iretq), not with rcx and r11 overwritten by
 * the return rip and rflags as an ordinary system call return does.
 */
#define FOREIGN_MASK_JUMP	(FOREIGN_MASK(FOREIGN_REG_RCX) | FOREIGN_MASK(FOREIGN_REG_R11) | \
				 FOREIGN_MASK(FOREIGN_REG_RSP) | FOREIGN_MASK(FOREIGN_REG_RIP) | \
				 FOREIGN_MASK(FOREIGN_REG_RFLAGS))

typedef uint64_t foreign_regs_t[FOREIGN_REG_COUNT];

/* task_read_memory / task_write_memory: in-line data, at most TASK_MEMORY_MAX bytes a call. */
#define TASK_MEMORY_MAX		8192
typedef char *task_memory_data_t;
typedef const char *const_task_memory_data_t;

/* Message ids (replies are the request id + 100, as MIG's). */
#define FOREIGN_SYSCALL_ID		5200
#define FOREIGN_SYSCALL_PORTS_ID	5201
#define FOREIGN_REPLY_ID(request_id)	((request_id) + 100)

/*
 * The request as the handler receives it (5200; 184 bytes, not complex). Header:
 * remote = the reply right (bits PORT_SEND_ONCE 18), local = the syscall port (bits
 * PORT_SEND 17, or its protected payload). The registers are the thread's at the
 * syscall instruction.
 */
typedef struct {
	mach_msg_header_t Head;
	mach_msg_type_t regsType;	/* {INTEGER_64 11, 64 bits, 18, inline} */
	foreign_regs_t regs;
} foreign_syscall_request_t;

/* 5201 (216 bytes, complex): the same with the thread's and task's send rights, in the
 * ABI's in-line port slots (the name in the low 4 bytes); the handler owns them. */
typedef struct {
	mach_msg_header_t Head;
	mach_msg_type_t threadType;	/* {PORT_SEND 17, 64 bits, 1, inline} */
	uint64_t thread;
	mach_msg_type_t taskType;	/* {PORT_SEND 17, 64 bits, 1, inline} */
	uint64_t task;
	mach_msg_type_t regsType;
	foreign_regs_t regs;
} foreign_syscall_ports_request_t;

/*
 * The reply (5300 or 5301; 216 bytes, not complex), sent with the send-once reply
 * right (MOVE_SEND_ONCE) and no reply port. RetCode KERN_SUCCESS applies the registers
 * of `new_regs` whose bit is set in `mask`; anything else is a failure (below).
 */
typedef struct {
	mach_msg_header_t Head;
	mach_msg_type_t RetCodeType;	/* {INTEGER_32 2, 32 bits, 1, inline} */
	int32_t RetCode;
	uint32_t RetCodePad;
	mach_msg_type_t maskType;	/* {INTEGER_32 2, 32 bits, 1, inline} */
	uint32_t mask;
	uint32_t maskPad;
	mach_msg_type_t new_regsType;	/* {INTEGER_64 11, 64 bits, 18, inline} */
	foreign_regs_t new_regs;
} foreign_syscall_reply_t;

_Static_assert(sizeof(foreign_syscall_request_t) == 184, "foreign request layout");
_Static_assert(sizeof(foreign_syscall_ports_request_t) == 216, "foreign request layout");
_Static_assert(sizeof(foreign_syscall_reply_t) == 216, "foreign reply layout");

/*
 * When a system call cannot be forwarded or answered, the thread takes exception
 * EXC_SOFTWARE (5) with one of these codes (the ABI's OS-emulation range) and subcode
 * = the thread's rax at the syscall (the system call number); its registers are as
 * they were at the syscall. A handler that answers KERN_SUCCESS resumes it after the
 * syscall instruction.
 */
#define EXC_FOREIGN_SEND_FAILED		0x10001	/* the syscall port is dead, or no memory */
#define EXC_FOREIGN_NO_REPLY		0x10002	/* the reply right died unanswered */
#define EXC_FOREIGN_BAD_REPLY		0x10003	/* a reply not of the shape above */
#define EXC_FOREIGN_REFUSED		0x10004	/* a well-formed reply with RetCode != 0 */
#define EXC_FOREIGN_BAD_STATE		0x10005	/* non-canonical rip or rsp in the reply */

#endif /* _MACH_PERSONALITY_H_ */
