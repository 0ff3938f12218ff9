/*
 * Messages: copyin from a sender, copyout to a receiver, destruction
 * (see ipc/ipc_kmsg.h). ABI section 3 gives the format and section 4 the errors.
 */
#include <string.h>
#include <arch/pmap.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <kern/layout.h>
#include <kern/printf.h>
#include <kern/task.h>
#include <kern/uaccess.h>
#include <kern/vm_map.h>
#include <kern/zalloc.h>

#define DESC_UNUSED	0x1F000000u	/* msgt_unused: must be zero */
#define DESC_INLINE	0x20000000u
#define DESC_LONGFORM	0x40000000u
#define DESC_DEALLOC	0x80000000u

uint64_t ipc_kmsgs_live;

static uint64_t round8(uint64_t n)
{
	return (n + 7) & ~7ull;
}

struct ipc_kmsg *ipc_kmsg_alloc(mach_msg_size_t size)
{
	struct ipc_kmsg *kmsg = kalloc(sizeof(*kmsg) + size);

	if (!kmsg)
		return NULL;
	list_init(&kmsg->link);
	kmsg->size = size;
	kmsg->dest = kmsg->reply = NULL;
	kmsg->dest_type = kmsg->reply_type = 0;
	kmsg->accepted = NULL;
	ipc_kmsgs_live++;
	return kmsg;
}

void ipc_kmsg_free(struct ipc_kmsg *kmsg)
{
	ipc_kmsgs_live--;
	kfree(kmsg, sizeof(*kmsg) + kmsg->size);
}

static void decode(uint8_t *p, struct ipc_desc *d)
{
	uint32_t w0, n;

	memcpy(&w0, p, 4);
	memcpy(&n, p + 4, 4);
	d->desc = p;
	d->name = w0 & 0xFF;
	d->size = (w0 >> 8) & 0xFFFF;
	d->number = n;
	d->is_inline = w0 & DESC_INLINE;
	d->longform = w0 & DESC_LONGFORM;
	d->dealloc = w0 & DESC_DEALLOC;
	d->bytes = ((uint64_t)n * d->size + 7) / 8;
	d->data = p + 8;
}

static void set_desc_name(struct ipc_desc *d, mach_msg_type_name_t name)
{
	d->desc[0] = (uint8_t)name;
	d->name = name;
}

static void set_desc_dealloc(struct ipc_desc *d)
{
	d->desc[3] |= DESC_DEALLOC >> 24;
	d->dealloc = true;
}

static uint64_t get_slot(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static void put_slot(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

bool ipc_body_next_raw(uint8_t *msg, mach_msg_size_t size, uint32_t *offset, struct ipc_desc *d)
{
	if (*offset + 8 > size)
		return false;
	decode(msg + *offset, d);
	*offset += 8 + (uint32_t)(d->is_inline ? round8(d->bytes) : 8);
	return true;
}

bool ipc_body_next(struct ipc_kmsg *kmsg, uint32_t *offset, struct ipc_desc *d)
{
	return ipc_body_next_raw(kmsg->msg, kmsg->size, offset, d);
}

static mach_msg_type_name_t received_type(mach_msg_type_name_t disp)
{
	switch (disp) {
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		return MACH_MSG_TYPE_PORT_RECEIVE;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		return MACH_MSG_TYPE_PORT_SEND_ONCE;
	default:
		return MACH_MSG_TYPE_PORT_SEND;
	}
}

/* ---------------------------------------------------------------- destruction */

void ipc_ool_free(uint64_t slot, uint64_t bytes)
{
	if (slot & IPC_OOL_COPY)
		vm_map_copy_discard((struct vm_map_copy *)(slot & ~IPC_OOL_COPY));
	else if (slot)
		kfree((void *)slot, bytes);
}

/* Releases the rights and regions of the body items before `end` (already copied in). */
static void clean_body(struct ipc_kmsg *kmsg, uint32_t end)
{
	uint32_t off = sizeof(mach_msg_header_t);
	struct ipc_desc d;

	while (off < end && ipc_body_next(kmsg, &off, &d)) {
		if (d.is_inline && msgt_is_port(d.name)) {
			for (uint32_t i = 0; i < d.number; i++)
				ipc_right_release((struct ipc_port *)get_slot(d.data + 8 * i), d.name);
		} else if (!d.is_inline) {
			void *buf = (void *)get_slot(d.data);
			if (msgt_is_port(d.name) && buf) {
				struct ipc_port **ports = buf;
				for (uint32_t i = 0; i < d.number; i++)
					ipc_right_release(ports[i], d.name);
				kfree(buf, (size_t)d.number * sizeof(void *));
			} else {
				ipc_ool_free((uint64_t)buf, d.bytes);
			}
		}
	}
}

void ipc_kmsg_clean_body(struct ipc_kmsg *kmsg)
{
	if (KMSG_HEADER(kmsg)->msgh_bits & MACH_MSGH_BITS_COMPLEX)
		clean_body(kmsg, kmsg->size);
	KMSG_HEADER(kmsg)->msgh_bits &= ~MACH_MSGH_BITS_COMPLEX;
}

/*
 * Destroying a message can destroy receive rights, whose queued messages are then
 * destroyed too: a queue, drained by the outermost call, keeps that from recursing.
 */
static struct list destroy_queue = LIST_INIT(destroy_queue);
static bool destroying;

void ipc_kmsg_destroy(struct ipc_kmsg *kmsg)
{
	struct list *n;

	list_push_back(&destroy_queue, &kmsg->link);
	if (destroying)
		return;
	destroying = true;
	while ((n = list_pop_front(&destroy_queue))) {
		struct ipc_kmsg *k = list_entry(n, struct ipc_kmsg, link);
		ipc_right_release(k->dest, k->dest_type);
		ipc_right_release(k->reply, k->reply_type);
		ipc_right_release(k->accepted, MACH_MSG_TYPE_PORT_SEND_ONCE);
		ipc_kmsg_clean_body(k);
		ipc_kmsg_free(k);
	}
	destroying = false;
}

/* ---------------------------------------------------------------- copyin */

static kern_return_t read_from(struct ipc_ctx *ctx, uint64_t addr, void *dst, uint64_t len)
{
	if (!ctx->task) {
		memcpy(dst, (const void *)addr, len);
		return KERN_SUCCESS;
	}
	return copyin(addr, dst, len);
}

static kern_return_t write_to(struct ipc_ctx *ctx, uint64_t addr, const void *src, uint64_t len)
{
	if (!ctx->task) {
		memcpy((void *)addr, src, len);
		return KERN_SUCCESS;
	}
	return copyout(src, addr, len);
}

/* The sender gives the region away (msgt_deallocate): it leaves its address space. */
static void sender_dealloc(struct ipc_ctx *ctx, uint64_t addr, uint64_t bytes)
{
	if (ctx->task && bytes)
		vm_map_remove(&ctx->task->map, addr, addr + bytes);
}

/* A large region travels as a copy-on-write snapshot: no bytes are copied. */
static mach_msg_return_t copyin_ool_virtual(struct ipc_ctx *ctx, struct ipc_desc *d, uint64_t addr)
{
	struct vm_map_copy *copy;
	kern_return_t kr = vm_map_copyin(&ctx->task->map, addr, d->bytes, d->dealloc, &copy);

	if (kr != KERN_SUCCESS)
		return kr == KERN_RESOURCE_SHORTAGE ? MACH_SEND_NO_BUFFER : MACH_SEND_INVALID_MEMORY;
	put_slot(d->data, (uint64_t)copy | IPC_OOL_COPY);
	return MACH_MSG_SUCCESS;
}

/* Out-of-line data: a kernel copy or a snapshot (or, from the kernel, the block itself). */
static mach_msg_return_t copyin_ool_data(struct ipc_ctx *ctx, struct ipc_desc *d)
{
	uint64_t addr = get_slot(d->data);
	void *buf;

	if (d->bytes == 0) {
		put_slot(d->data, 0);
		return MACH_MSG_SUCCESS;
	}
	if (!ctx->task)
		return MACH_MSG_SUCCESS;	/* the kalloc'd block is handed over */
	if (d->bytes > IPC_OOL_MAX_SIZE || !user_range_ok(addr, d->bytes))
		return MACH_SEND_INVALID_MEMORY;
	if (d->bytes > IPC_OOL_VIRTUAL_MIN)
		return copyin_ool_virtual(ctx, d, addr);
	buf = kalloc(d->bytes);
	if (!buf)
		return MACH_SEND_NO_BUFFER;
	if (copyin(addr, buf, d->bytes) != KERN_SUCCESS) {
		kfree(buf, d->bytes);
		return MACH_SEND_INVALID_MEMORY;
	}
	if (d->dealloc)
		sender_dealloc(ctx, addr, d->bytes);
	put_slot(d->data, (uint64_t)buf);
	return MACH_MSG_SUCCESS;
}

/* An out-of-line array of names becomes a kernel array of rights in transit. */
static mach_msg_return_t copyin_ool_ports(struct ipc_ctx *ctx, struct ipc_desc *d)
{
	uint64_t addr = get_slot(d->data);
	mach_port_name_t *names;
	struct ipc_port **ports;
	mach_msg_type_name_t disp = d->name;

	set_desc_name(d, received_type(disp));
	if (d->number == 0) {
		put_slot(d->data, 0);
		return MACH_MSG_SUCCESS;
	}
	if (d->bytes > IPC_OOL_MAX_SIZE || (ctx->task && !user_range_ok(addr, d->bytes)))
		return MACH_SEND_INVALID_MEMORY;
	names = ctx->task ? kalloc(d->bytes) : (void *)addr;
	ports = kalloc((size_t)d->number * sizeof(void *));
	if (!names || !ports) {
		if (ctx->task)
			kfree(names, d->bytes);
		kfree(ports, (size_t)d->number * sizeof(void *));
		return MACH_SEND_NO_BUFFER;
	}
	if (ctx->task && copyin(addr, names, d->bytes) != KERN_SUCCESS) {
		kfree(names, d->bytes);
		kfree(ports, (size_t)d->number * sizeof(void *));
		return MACH_SEND_INVALID_MEMORY;
	}
	for (uint32_t i = 0; i < d->number; i++) {
		if (ipc_right_copyin(ctx->space, names[i], disp, &ports[i]) != KERN_SUCCESS) {
			while (i--)
				ipc_right_release(ports[i], d->name);
			kfree(ports, (size_t)d->number * sizeof(void *));
			if (ctx->task)
				kfree(names, d->bytes);
			return MACH_SEND_INVALID_RIGHT;
		}
	}
	kfree(names, d->bytes);		/* ours, or the kernel sender's block */
	if (d->dealloc)
		sender_dealloc(ctx, addr, d->bytes);
	put_slot(d->data, (uint64_t)ports);
	return MACH_MSG_SUCCESS;
}

static mach_msg_return_t copyin_inline_ports(struct ipc_ctx *ctx, struct ipc_desc *d)
{
	mach_msg_type_name_t disp = d->name;

	for (uint32_t i = 0; i < d->number; i++) {
		struct ipc_port *port;
		mach_port_name_t name = (mach_port_name_t)get_slot(d->data + 8 * i);

		if (ipc_right_copyin(ctx->space, name, disp, &port) != KERN_SUCCESS) {
			/* Slots already converted hold rights: release them, clear the rest. */
			while (i--)
				ipc_right_release((struct ipc_port *)get_slot(d->data + 8 * i), received_type(disp));
			return MACH_SEND_INVALID_RIGHT;
		}
		put_slot(d->data + 8 * i, (uint64_t)port);
	}
	set_desc_name(d, received_type(disp));
	return MACH_MSG_SUCCESS;
}

/* Validates one descriptor at offset `off`; the item's size goes to *next. */
static mach_msg_return_t check_desc(struct ipc_kmsg *kmsg, uint32_t off, struct ipc_desc *d,
				    uint32_t *next)
{
	uint32_t w0;
	uint64_t room;

	if (kmsg->size - off < 8)
		return MACH_SEND_MSG_TOO_SMALL;
	decode(kmsg->msg + off, d);
	memcpy(&w0, d->desc, 4);
	room = kmsg->size - off - 8;
	if (w0 & DESC_UNUSED)
		return MACH_SEND_INVALID_TYPE;
	if (d->is_inline && d->dealloc)
		return MACH_SEND_INVALID_TYPE;
	if (msgt_is_port(d->name) && d->size != (d->is_inline ? 64 : 32))
		return MACH_SEND_INVALID_TYPE;
	if (d->is_inline ? d->bytes > room : room < 8)
		return MACH_SEND_MSG_TOO_SMALL;
	*next = off + 8 + (uint32_t)(d->is_inline ? round8(d->bytes) : 8);
	return MACH_MSG_SUCCESS;
}

/* Is the receive right of `carried` (about to go to dest) holding dest, even indirectly? */
static bool circular(struct ipc_port *carried, struct ipc_port *dest)
{
	for (int depth = 0; IP_VALID(dest) && depth < 4096; depth++) {
		if (dest == carried)
			return true;
		if (dest->receiver)
			return false;
		dest = dest->destination;
	}
	return false;
}

static mach_msg_return_t copyin_body(struct ipc_ctx *ctx, struct ipc_kmsg *kmsg, bool *carries)
{
	uint32_t off = sizeof(mach_msg_header_t), next;
	struct ipc_desc d;
	mach_msg_return_t mr;

	*carries = false;
	while (off < kmsg->size) {
		if ((mr = check_desc(kmsg, off, &d, &next)) != MACH_MSG_SUCCESS)
			goto fail;
		if (msgt_is_port(d.name) || !d.is_inline)
			*carries = true;
		if (msgt_is_port(d.name) && d.is_inline)
			mr = copyin_inline_ports(ctx, &d);
		else if (msgt_is_port(d.name))
			mr = copyin_ool_ports(ctx, &d);
		else if (!d.is_inline)
			mr = copyin_ool_data(ctx, &d);
		if (mr != MACH_MSG_SUCCESS)
			goto fail;
		if (d.is_inline && d.name == MACH_MSG_TYPE_PORT_RECEIVE) {
			for (uint32_t i = 0; i < d.number; i++) {
				struct ipc_port *p = (struct ipc_port *)get_slot(d.data + 8 * i);
				if (!IP_VALID(p))
					continue;
				if (circular(p, kmsg->dest))
					KMSG_HEADER(kmsg)->msgh_bits |= MACH_MSGH_BITS_CIRCULAR;
				p->destination = kmsg->dest;
			}
		}
		off = next;
	}
	return MACH_MSG_SUCCESS;
fail:
	clean_body(kmsg, off);
	return mr;
}

static bool valid_header_disp(mach_msg_type_name_t d)
{
	return d >= MACH_MSG_TYPE_MOVE_SEND && d <= MACH_MSG_TYPE_MAKE_SEND_ONCE;
}

/* Checks both header rights before taking either, so a failure leaves both. */
static mach_msg_return_t check_header(struct ipc_space *space, mach_port_name_t dest,
				      mach_msg_type_name_t rdisp, mach_port_name_t reply,
				      mach_msg_type_name_t ldisp)
{
	struct ipc_entry *e;
	int moves = 0;

	if (!MACH_PORT_VALID(dest) || !(e = ipc_right_lookup(space, dest)) ||
	    (e->type & MACH_PORT_TYPE_DEAD_NAME) || !ipc_right_copyin_check(space, dest, rdisp, 1))
		return MACH_SEND_INVALID_DEST;
	if (reply != MACH_PORT_NULL && !ipc_right_copyin_check(space, reply, ldisp, 1))
		return MACH_SEND_INVALID_REPLY;
	if (dest != reply)
		return MACH_MSG_SUCCESS;
	/* One name for both: it must hold enough for the two dispositions together. */
	moves = (rdisp == MACH_MSG_TYPE_MOVE_SEND) + (ldisp == MACH_MSG_TYPE_MOVE_SEND);
	if (moves && !ipc_right_copyin_check(space, dest, MACH_MSG_TYPE_MOVE_SEND,
					     moves + (rdisp == MACH_MSG_TYPE_COPY_SEND ||
						      ldisp == MACH_MSG_TYPE_COPY_SEND)))
		return MACH_SEND_INVALID_REPLY;
	if (rdisp == MACH_MSG_TYPE_MOVE_SEND_ONCE && ldisp == MACH_MSG_TYPE_MOVE_SEND_ONCE)
		return MACH_SEND_INVALID_REPLY;
	return MACH_MSG_SUCCESS;
}

mach_msg_return_t ipc_kmsg_copyin(struct ipc_ctx *ctx, uint64_t msg, mach_msg_size_t send_size,
				  mach_msg_option_t option, struct ipc_kmsg **out)
{
	struct ipc_kmsg *kmsg;
	mach_msg_header_t *h;
	mach_msg_bits_t bits;
	mach_msg_type_name_t rdisp, ldisp;
	mach_port_name_t dest, reply;
	mach_msg_return_t mr;
	bool carries;

	(void)option;
	if (send_size < sizeof(mach_msg_header_t) || send_size % 8)
		return MACH_SEND_MSG_TOO_SMALL;
	if (send_size > IPC_KMSG_MAX_SIZE)
		return MACH_SEND_NO_BUFFER;
	kmsg = ipc_kmsg_alloc(send_size);
	if (!kmsg)
		return MACH_SEND_NO_BUFFER;
	if (read_from(ctx, msg, kmsg->msg, send_size) != KERN_SUCCESS) {
		ipc_kmsg_free(kmsg);
		return MACH_SEND_INVALID_DATA;
	}
	h = KMSG_HEADER(kmsg);
	bits = h->msgh_bits & (MACH_MSGH_BITS_COMPLEX | MACH_MSGH_BITS_PORTS_MASK);
	rdisp = MACH_MSGH_BITS_REMOTE(bits);
	ldisp = MACH_MSGH_BITS_LOCAL(bits);
	dest = (mach_port_name_t)h->msgh_remote_port_slot;
	reply = (mach_port_name_t)h->msgh_protected_payload;
	if (!valid_header_disp(rdisp) || (ldisp ? !valid_header_disp(ldisp) : reply != MACH_PORT_NULL)) {
		ipc_kmsg_free(kmsg);
		return MACH_SEND_INVALID_HEADER;
	}
	mr = check_header(ctx->space, dest, rdisp, reply, ldisp);
	if (mr != MACH_MSG_SUCCESS) {
		ipc_kmsg_free(kmsg);
		return mr;
	}
	ipc_right_copyin(ctx->space, dest, rdisp, &kmsg->dest);
	kmsg->dest_type = received_type(rdisp);
	if (reply != MACH_PORT_NULL || ldisp) {
		ipc_right_copyin(ctx->space, reply, ldisp, &kmsg->reply);
		kmsg->reply_type = kmsg->reply ? received_type(ldisp) : 0;
	}
	h->msgh_bits = bits;
	if (bits & MACH_MSGH_BITS_COMPLEX) {
		mr = copyin_body(ctx, kmsg, &carries);
		if (mr != MACH_MSG_SUCCESS) {
			/* As in Mach: the header rights taken so far are destroyed too. */
			h->msgh_bits &= ~MACH_MSGH_BITS_COMPLEX;
			ipc_kmsg_destroy(kmsg);
			return mr;
		}
		if (!carries)
			h->msgh_bits &= ~MACH_MSGH_BITS_COMPLEX;
	}
	*out = kmsg;
	return MACH_MSG_SUCCESS;
}

/* ---------------------------------------------------------------- copyout */

/* A region for the receiver: mapped in its address space, or the block itself. */
static mach_msg_return_t place_region(struct ipc_ctx *ctx, void *buf, uint64_t bytes,
				      uint64_t *addr)
{
	kern_return_t kr;

	if (!ctx->task) {
		*addr = (uint64_t)buf;
		return MACH_MSG_SUCCESS;
	}
	if ((uint64_t)buf & IPC_OOL_COPY) {
		struct vm_map_copy *copy = (struct vm_map_copy *)((uint64_t)buf & ~IPC_OOL_COPY);

		kr = vm_map_copyout(&ctx->task->map, copy, addr);
		if (kr != KERN_SUCCESS)
			vm_map_copy_discard(copy);
		goto out;
	}
	kr = vm_map_enter(&ctx->task->map, addr, bytes, true, VM_PROT_READ | VM_PROT_WRITE);
	if (kr == KERN_SUCCESS)
		kr = vm_map_write(&ctx->task->map, *addr, buf, bytes);
	kfree(buf, bytes);
out:
	if (kr != KERN_SUCCESS) {
		*addr = 0;
		return MACH_RCV_BODY_ERROR | MACH_MSG_VM_SPACE;
	}
	return MACH_MSG_SUCCESS;
}

static mach_msg_return_t copyout_ool_ports(struct ipc_ctx *ctx, struct ipc_desc *d)
{
	struct ipc_port **ports = (struct ipc_port **)get_slot(d->data);
	mach_port_name_t *names;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	uint64_t addr = 0;

	set_desc_dealloc(d);
	if (!ports)
		return MACH_MSG_SUCCESS;
	names = kalloc(d->bytes);
	if (!names) {
		for (uint32_t i = 0; i < d->number; i++)
			ipc_right_release(ports[i], d->name);
		mr = MACH_RCV_BODY_ERROR | MACH_MSG_VM_KERNEL;
	} else {
		for (uint32_t i = 0; i < d->number; i++)
			if (ipc_right_copyout(ctx->space, ports[i], d->name, &names[i]) != KERN_SUCCESS)
				mr = MACH_RCV_BODY_ERROR | MACH_MSG_IPC_SPACE;
		mr |= place_region(ctx, names, d->bytes, &addr);
	}
	kfree(ports, (size_t)d->number * sizeof(void *));
	put_slot(d->data, addr);
	return mr;
}

static mach_msg_return_t copyout_body(struct ipc_ctx *ctx, struct ipc_kmsg *kmsg)
{
	uint32_t off = sizeof(mach_msg_header_t);
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	struct ipc_desc d;

	while (ipc_body_next(kmsg, &off, &d)) {
		if (d.is_inline && msgt_is_port(d.name)) {
			for (uint32_t i = 0; i < d.number; i++) {
				mach_port_name_t name;
				if (ipc_right_copyout(ctx->space, (struct ipc_port *)get_slot(d.data + 8 * i),
						      d.name, &name) != KERN_SUCCESS)
					mr |= MACH_RCV_BODY_ERROR | MACH_MSG_IPC_SPACE;
				put_slot(d.data + 8 * i, name);
			}
		} else if (!d.is_inline && msgt_is_port(d.name)) {
			mr |= copyout_ool_ports(ctx, &d);
		} else if (!d.is_inline) {
			void *buf = (void *)get_slot(d.data);
			uint64_t addr = 0;
			set_desc_dealloc(&d);
			if (buf)
				mr |= place_region(ctx, buf, d.bytes, &addr);
			put_slot(d.data, addr);
		}
	}
	return mr;
}

/*
 * MACH_RCV_NOTIFY: a reply right that is new in the receiver's space gets a dead-name
 * request, with a send-once right made from notify.
 */
static void reply_dnrequest(struct ipc_space *space, mach_port_name_t name, struct ipc_port *notify)
{
	struct ipc_entry *e = ipc_entry_lookup(space, name);
	struct ipc_port *prev = NULL;

	if (!e || e->dnrequest || !MACH_PORT_VALID(name))
		return;
	ipc_right_dnrequest(space, e, name, ipc_port_make_send_once(notify), &prev);
	ipc_right_release(prev, MACH_MSG_TYPE_PORT_SEND_ONCE);
}

/* The header as the receiver sees it; consumes the header rights. */
static mach_msg_return_t copyout_header(struct ipc_ctx *ctx, struct ipc_kmsg *kmsg, uint32_t seqno,
				       struct ipc_port *notify)
{
	bool existed = false;
	mach_msg_header_t *h = KMSG_HEADER(kmsg);
	struct ipc_port *dest = kmsg->dest;
	mach_msg_type_name_t local_type = kmsg->dest_type, remote_type = kmsg->reply_type;
	mach_port_name_t reply_name = MACH_PORT_NULL;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	uint64_t local;

	if (IP_VALID(kmsg->reply) && kmsg->reply_type == MACH_MSG_TYPE_PORT_SEND)
		existed = ipc_hash_lookup(ctx->space, kmsg->reply) != NULL;
	if (IP_VALID(kmsg->reply) &&
	    ipc_right_copyout(ctx->space, kmsg->reply, kmsg->reply_type, &reply_name) != KERN_SUCCESS) {
		mr = MACH_RCV_HEADER_ERROR | MACH_MSG_IPC_SPACE;
		remote_type = 0;
	} else if (kmsg->reply == IP_DEAD) {
		reply_name = MACH_PORT_DEAD;
	} else if (notify && !existed && reply_name != MACH_PORT_NULL) {
		reply_dnrequest(ctx->space, reply_name, notify);
	}
	local = dest->receiver == ctx->space ? dest->receiver_name : MACH_PORT_NULL;
	if (dest->has_payload) {
		local = dest->payload;
		local_type = MACH_MSG_TYPE_PROTECTED_PAYLOAD;
	}
	/* The right the message was sent with is used up (a send-once one silently). */
	if (kmsg->dest_type == MACH_MSG_TYPE_PORT_SEND_ONCE)
		ipc_port_consume_sonce(dest);
	else
		ipc_right_release(dest, kmsg->dest_type);
	kmsg->dest = kmsg->reply = NULL;
	h->msgh_bits = (h->msgh_bits & MACH_MSGH_BITS_COMPLEX) | MACH_MSGH_BITS(remote_type, local_type);
	h->msgh_size = kmsg->size;
	h->msgh_remote_port_slot = reply_name;
	h->msgh_protected_payload = local;
	h->msgh_seqno = seqno;
	return mr;
}

mach_msg_return_t ipc_kmsg_copyout(struct ipc_ctx *ctx, struct ipc_kmsg *kmsg, uint64_t msg,
				   uint32_t seqno, mach_msg_option_t option, struct ipc_port *notify)
{
	mach_msg_return_t mr;

	(void)option;
	mr = copyout_header(ctx, kmsg, seqno, notify);
	if (KMSG_HEADER(kmsg)->msgh_bits & MACH_MSGH_BITS_COMPLEX)
		mr |= copyout_body(ctx, kmsg);
	if (write_to(ctx, msg, kmsg->msg, kmsg->size) != KERN_SUCCESS)
		mr = MACH_RCV_INVALID_DATA;
	ipc_kmsg_free(kmsg);
	return mr;
}

mach_msg_return_t ipc_kmsg_copyout_header_only(struct ipc_ctx *ctx, struct ipc_kmsg *kmsg,
					       uint64_t msg, uint32_t seqno)
{
	mach_msg_return_t mr;

	ipc_kmsg_clean_body(kmsg);
	mr = copyout_header(ctx, kmsg, seqno, NULL);
	if (write_to(ctx, msg, kmsg->msg, sizeof(mach_msg_header_t)) != KERN_SUCCESS)
		mr = MACH_RCV_INVALID_DATA;
	ipc_kmsg_free(kmsg);
	return mr;
}

/*
 * Pseudo-receive: the sender gets its message back, rights and regions reinstated
 * in its space, the header as it was sent (dest in remote, reply in local).
 */
mach_msg_return_t ipc_kmsg_return_to_sender(struct ipc_ctx *ctx, struct ipc_kmsg *kmsg,
					    uint64_t msg)
{
	mach_msg_header_t *h = KMSG_HEADER(kmsg);
	mach_port_name_t dest_name, reply_name;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;

	if (ipc_right_copyout(ctx->space, kmsg->dest, kmsg->dest_type, &dest_name) != KERN_SUCCESS)
		mr |= MACH_MSG_IPC_SPACE;
	if (ipc_right_copyout(ctx->space, kmsg->reply, kmsg->reply_type, &reply_name) != KERN_SUCCESS)
		mr |= MACH_MSG_IPC_SPACE;
	h->msgh_bits = (h->msgh_bits & MACH_MSGH_BITS_COMPLEX) |
		       MACH_MSGH_BITS(kmsg->dest_type, kmsg->reply_type);
	h->msgh_remote_port_slot = dest_name;
	h->msgh_protected_payload = reply_name;
	kmsg->dest = kmsg->reply = NULL;
	if (h->msgh_bits & MACH_MSGH_BITS_COMPLEX && copyout_body(ctx, kmsg) != MACH_MSG_SUCCESS)
		mr |= MACH_MSG_IPC_SPACE;
	if (write_to(ctx, msg, kmsg->msg, kmsg->size) != KERN_SUCCESS)
		mr |= MACH_MSG_VM_SPACE;
	ipc_kmsg_free(kmsg);
	return mr;
}
