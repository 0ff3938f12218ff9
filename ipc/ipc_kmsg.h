/*
 * Messages inside the kernel. A kmsg is the sender's message, byte for byte, with its
 * rights and memory taken out of the sender: the header's ports become rights in
 * transit (dest, reply), an in-line port slot holds a struct ipc_port pointer (8 bytes,
 * like the user slot), an out-of-line region's address slot holds the address of a
 * kernel copy, and an out-of-line port array's slot holds a kernel array of port
 * pointers. Descriptors were validated at copyin, so later walks trust them.
 */
#ifndef _IPC_IPC_KMSG_H_
#define _IPC_IPC_KMSG_H_

#include <stdbool.h>
#include <stdint.h>
#include <kern/list.h>
#include <mach/message.h>

struct ipc_space;
struct ipc_port;

struct ipc_kmsg {
	struct list link;		/* in a port's queue */
	mach_msg_size_t size;		/* msgh_size */
	struct ipc_port *dest;		/* a right in transit, of dest_type */
	struct ipc_port *reply;		/* NULL, IP_DEAD or a right of reply_type */
	mach_msg_type_name_t dest_type;	 /* PORT_SEND or PORT_SEND_ONCE */
	mach_msg_type_name_t reply_type; /* PORT_SEND, PORT_SEND_ONCE or 0 */
	struct ipc_port *accepted;	/* MACH_SEND_NOTIFY: send-once right for msg-accepted */
	mach_port_name_t accepted_name;	 /* the destination's name in the sender's space */
	uint8_t msg[];			/* size bytes, starting with the header */
};

#define KMSG_HEADER(k)	((mach_msg_header_t *)(k)->msg)
/* The largest message accepted (MACH_SEND_NO_BUFFER beyond). */
#define IPC_KMSG_MAX_SIZE	(256 * 1024)
/* The largest out-of-line region (MACH_SEND_INVALID_MEMORY beyond: cannot be copied). */
#define IPC_OOL_MAX_SIZE	(64ull * 1024 * 1024)
/*
 * Out-of-line data in a kernel message slot is a kalloc'd block or, with IPC_OOL_COPY
 * set, a struct vm_map_copy (a copy-on-write snapshot). A task's region of more than
 * IPC_OOL_VIRTUAL_MIN bytes travels as a snapshot; smaller ones are copied.
 */
#define IPC_OOL_COPY		1ull
#define IPC_OOL_VIRTUAL_MIN	(2ull * 4096)
void ipc_ool_free(uint64_t slot, uint64_t bytes);

extern uint64_t ipc_kmsgs_live;		/* kernel_stats */

struct ipc_kmsg *ipc_kmsg_alloc(mach_msg_size_t size);
void ipc_kmsg_free(struct ipc_kmsg *kmsg);
/* Releases every right and region the message carries, then frees it. */
void ipc_kmsg_destroy(struct ipc_kmsg *kmsg);
/* Releases the body's rights and regions only (the header stays valid). */
void ipc_kmsg_clean_body(struct ipc_kmsg *kmsg);

/*
 * Where a message comes from or goes to: a user task (its space, and its memory
 * through copyin/copyout and its address space for out-of-line regions), or the kernel
 * (kernel buffers; out-of-line regions are kalloc'd blocks handed over as they are).
 */
struct ipc_ctx {
	struct ipc_space *space;
	struct task *task;		/* NULL for the kernel */
};

/*
 * Takes the message at `msg` (send_size bytes, user or kernel memory per ctx) out of
 * the sender. On success *out is the kmsg; on failure nothing was taken, except for
 * body errors, where (as in Mach) every right and region copied in so far, the header
 * rights included, is destroyed. notify is the MACH_SEND_CANCEL name, if any.
 */
mach_msg_return_t ipc_kmsg_copyin(struct ipc_ctx *ctx, uint64_t msg, mach_msg_size_t send_size,
				  mach_msg_option_t option, struct ipc_kmsg **out);
/*
 * Gives the message to the receiver: rights into its space, regions into its memory,
 * then the bytes to `msg`. Returns MACH_MSG_SUCCESS or the receive error, with the
 * header/body error bits. The kmsg is freed in every case.
 */
mach_msg_return_t ipc_kmsg_copyout(struct ipc_ctx *ctx, struct ipc_kmsg *kmsg, uint64_t msg,
				   uint32_t seqno, mach_msg_option_t option,
				   struct ipc_port *notify);
/* Writes only the header of a message too large for the buffer (MACH_RCV_TOO_LARGE). */
mach_msg_return_t ipc_kmsg_copyout_header_only(struct ipc_ctx *ctx, struct ipc_kmsg *kmsg,
					       uint64_t msg, uint32_t seqno);
/* A send that failed after copyin (timeout, interruption): the message goes back. */
mach_msg_return_t ipc_kmsg_return_to_sender(struct ipc_ctx *ctx, struct ipc_kmsg *kmsg,
					    uint64_t msg);

/* A body descriptor, decoded. */
struct ipc_desc {
	mach_msg_type_name_t name;
	uint32_t size;			/* bits per element */
	uint32_t number;
	bool is_inline, dealloc, longform;
	uint64_t bytes;			/* ceil(number * size / 8) */
	uint8_t *data;			/* in-line data, or the 8-byte address slot */
	uint8_t *desc;			/* the descriptor itself */
};

/* Iterates over a validated body: returns false after the last item. */
bool ipc_body_next(struct ipc_kmsg *kmsg, uint32_t *offset, struct ipc_desc *d);
/* The same over a message in a buffer (a kernel-space message, validated). */
bool ipc_body_next_raw(uint8_t *msg, mach_msg_size_t size, uint32_t *offset, struct ipc_desc *d);

static inline bool msgt_is_port(mach_msg_type_name_t n)
{
	return n >= MACH_MSG_TYPE_MOVE_RECEIVE && n <= MACH_MSG_TYPE_MAKE_SEND_ONCE;
}

#endif /* _IPC_IPC_KMSG_H_ */
