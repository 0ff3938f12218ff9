/* Raw message helpers (see msg.h). */
#include <string.h>
#include <mach/mach_port.h>
#include <mach/mach_interface.h>
#include "msg.h"

void mb_init(struct mb *m, mach_msg_bits_t bits, mach_port_t remote, mach_port_t local,
	     mach_msg_id_t id)
{
	memset(&m->h, 0, sizeof(m->h));
	m->h.msgh_bits = bits;
	m->h.msgh_size = sizeof(m->h);
	m->h.msgh_remote_port = remote;
	m->h.msgh_local_port = local;
	m->h.msgh_id = id;
	m->len = sizeof(m->h);
}

static void mb_put(struct mb *m, const void *p, uint32_t n)
{
	if (m->len + n > MB_SIZE)
		return;
	memcpy(m->b + m->len, p, n);
	m->len += n;
	m->h.msgh_size = m->len;
}

static void mb_pad(struct mb *m)
{
	static const char zero[8];

	mb_put(m, zero, (8 - (m->len & 7)) & 7);
}

void mb_type(struct mb *m, uint32_t word, uint32_t number)
{
	mb_put(m, &word, 4);
	mb_put(m, &number, 4);
}

void mb_bytes(struct mb *m, const void *p, uint32_t n)
{
	mb_put(m, p, n);
	mb_pad(m);
}

void mb_int32(struct mb *m, int32_t v)
{
	mb_int32s(m, &v, 1);
}

void mb_int32s(struct mb *m, const int32_t *v, uint32_t n)
{
	mb_type(m, mt_word(MACH_MSG_TYPE_INTEGER_32, 32, MT_INLINE), n);
	mb_bytes(m, v, 4 * n);
}

void mb_port(struct mb *m, mach_msg_type_name_t disp, mach_port_t name)
{
	mb_ports(m, disp, &name, 1);
}

void mb_ports(struct mb *m, mach_msg_type_name_t disp, const mach_port_t *names, uint32_t n)
{
	mb_type(m, mt_word(disp, 64, MT_INLINE), n);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t slot = names[i];

		mb_put(m, &slot, 8);
	}
	m->h.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
}

static void mb_addr(struct mb *m, const void *addr)
{
	uint64_t a = (uintptr_t)addr;

	mb_put(m, &a, 8);
	m->h.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
}

void mb_ool(struct mb *m, const void *addr, uint32_t bytes, bool dealloc)
{
	mb_type(m, mt_word(MACH_MSG_TYPE_BYTE, 8, MT_LONGFORM | (dealloc ? MT_DEALLOC : 0)), bytes);
	mb_addr(m, addr);
}

void mb_ool_ports(struct mb *m, mach_msg_type_name_t disp, const mach_port_t *names,
		  uint32_t n, bool dealloc)
{
	mb_type(m, mt_word(disp, 32, MT_LONGFORM | (dealloc ? MT_DEALLOC : 0)), n);
	mb_addr(m, names);
}

mach_msg_return_t mb_send(struct mb *m, mach_msg_option_t extra, mach_msg_timeout_t timeout)
{
	return mach_msg_trap(&m->h, MACH_SEND_MSG | extra, m->len, 0, MACH_PORT_NULL, timeout,
			     MACH_PORT_NULL);
}

mach_msg_return_t rb_recv(struct rb *r, mach_port_t port, mach_msg_option_t extra,
			  mach_msg_timeout_t timeout)
{
	return mach_msg_trap(&r->h, MACH_RCV_MSG | MACH_RCV_TIMEOUT | extra, 0, MB_SIZE, port,
			     timeout, MACH_PORT_NULL);
}

bool msg_next_item(const mach_msg_header_t *m, uint32_t *off, struct item *it)
{
	const char *base = (const char *)m;
	uint32_t size = m->msgh_size, w;

	if (*off + 8 > size)
		return false;
	memcpy(&w, base + *off, 4);
	memcpy(&it->number, base + *off + 4, 4);
	it->word = w;
	it->offset = *off;
	it->name = w & 0xff;
	it->bits = (w >> 8) & 0xffff;
	it->inl = (w & MT_INLINE) != 0;
	it->longform = (w & MT_LONGFORM) != 0;
	it->dealloc = (w & MT_DEALLOC) != 0;
	it->bytes = ((uint64_t)it->number * it->bits + 7) / 8;
	it->data = (char *)base + *off + 8;
	it->addr = NULL;
	if (it->inl) {
		if (it->bytes > size - *off - 8)
			return false;
		*off += 8 + (uint32_t)((it->bytes + 7) & ~7ull);
	} else {
		uint64_t a;

		if (*off + 16 > size)
			return false;
		memcpy(&a, it->data, 8);
		it->addr = (void *)(uintptr_t)a;
		*off += 16;
	}
	return true;
}

mach_port_t item_port(const struct item *it, uint32_t i)
{
	uint32_t n;

	if (it->inl)
		memcpy(&n, it->data + 8 * i, 4);
	else
		memcpy(&n, (char *)it->addr + 4 * i, 4);
	return n;
}

static void release_right(mach_port_t task, mach_msg_type_name_t type, mach_port_t name)
{
	if (!MACH_PORT_VALID(name))
		return;
	if (type == MACH_MSG_TYPE_PORT_RECEIVE)
		mach_port_mod_refs(task, name, MACH_PORT_RIGHT_RECEIVE, -1);
	else if (type == MACH_MSG_TYPE_PORT_SEND || type == MACH_MSG_TYPE_PORT_SEND_ONCE)
		mach_port_deallocate(task, name);
}

void msg_destroy(mach_port_t task, mach_msg_header_t *m)
{
	struct item it;
	uint32_t off = sizeof(*m);

	release_right(task, MACH_MSGH_BITS_REMOTE(m->msgh_bits), m->msgh_remote_port);
	m->msgh_remote_port = MACH_PORT_NULL;
	if (!(m->msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return;
	while (msg_next_item(m, &off, &it)) {
		bool port = MACH_MSG_TYPE_PORT_ANY(it.name);

		if (port && (it.inl || it.addr != NULL))
			for (uint32_t i = 0; i < it.number; i++)
				release_right(task, it.name, item_port(&it, i));
		if (!it.inl && it.addr != NULL && it.bytes != 0)
			vm_deallocate(task, (vm_address_t)it.addr, it.bytes);
	}
}

unsigned msg_drain(mach_port_t task, mach_port_t port)
{
	static struct rb r;
	unsigned n = 0;

	while (rb_recv(&r, port, 0, 0) == MACH_MSG_SUCCESS) {
		msg_destroy(task, &r.h);
		n++;
	}
	return n;
}
