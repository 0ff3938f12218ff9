/* Test helpers (see util.h). */
#include "util.h"

mach_port_t new_port(void)
{
	mach_port_t n = MACH_PORT_NULL;

	OK(mach_port_allocate(ct_task, MACH_PORT_RIGHT_RECEIVE, &n));
	CHECK(MACH_PORT_VALID(n));
	return n;
}

mach_port_t new_port_send(void)
{
	mach_port_t n = new_port();

	OK(mach_port_insert_right(ct_task, n, n, MACH_MSG_TYPE_MAKE_SEND));
	return n;
}

mach_port_t new_pset(void)
{
	mach_port_t n = MACH_PORT_NULL;

	OK(mach_port_allocate(ct_task, MACH_PORT_RIGHT_PORT_SET, &n));
	CHECK(MACH_PORT_VALID(n));
	return n;
}

mach_port_t new_dead_name(void)
{
	mach_port_t n = MACH_PORT_NULL;

	OK(mach_port_allocate(ct_task, MACH_PORT_RIGHT_DEAD_NAME, &n));
	CHECK(MACH_PORT_VALID(n));
	return n;
}

mach_port_t make_send_once(mach_port_t rcv)
{
	mach_port_t so = MACH_PORT_NULL;
	mach_msg_type_name_t t = 0;

	OK(mach_port_extract_right(ct_task, rcv, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &t));
	CHECK_EQ(t, MACH_MSG_TYPE_PORT_SEND_ONCE);
	CHECK(MACH_PORT_VALID(so));
	return so;
}

void destroy(mach_port_t name)
{
	OK(mach_port_destroy(ct_task, name));
}

mach_port_type_t ptype(mach_port_t name)
{
	mach_port_type_t t = 0;

	OK(mach_port_type(ct_task, name, &t));
	return t;
}

mach_port_urefs_t refs(mach_port_t name, mach_port_right_t right)
{
	mach_port_urefs_t r = 0;

	OK(mach_port_get_refs(ct_task, name, right, &r));
	return r;
}

mach_port_status_t pstatus(mach_port_t name)
{
	mach_port_status_t s;

	memset(&s, 0xff, sizeof(s));
	OK(mach_port_get_receive_status(ct_task, name, &s));
	return s;
}

bool name_exists(mach_port_t name)
{
	mach_port_type_t t;
	kern_return_t kr = mach_port_type(ct_task, name, &t);

	if (kr != KERN_SUCCESS && kr != KERN_INVALID_NAME)
		CHECK_KR(kr, KERN_SUCCESS);
	return kr == KERN_SUCCESS;
}

mach_port_t unused_name(void)
{
	/* Small names in a range the kernel's own choices (lowest free first) reach only
	   in a crowded space; checked anyway. */
	for (mach_port_t n = 0x700; n < 0x800; n++)
		if (!name_exists(n))
			return n;
	ct_fail(__FILE__, __LINE__, "no unused name in 0x700-0x7ff");
}

mach_msg_return_t send_simple(mach_port_t port, mach_msg_type_name_t disp, mach_msg_id_t id)
{
	struct mb m;

	mb_init(&m, MACH_MSGH_BITS(disp, 0), port, MACH_PORT_NULL, id);
	return mb_send(&m, MACH_SEND_TIMEOUT, 0);
}

void recv_now(mach_port_t port, struct rb *r)
{
	CHECK_KR(rb_recv(r, port, 0, 0), MACH_MSG_SUCCESS);
}

void expect_empty(mach_port_t port)
{
	struct rb r;

	CHECK_KR(rb_recv(&r, port, 0, 0), MACH_RCV_TIMED_OUT);
}

void *pages_alloc(size_t bytes)
{
	vm_address_t a = 0;

	OK(vm_allocate(ct_task, &a, bytes, 1));
	CHECK(a != 0);
	return (void *)a;
}

void pages_free(void *p, size_t bytes)
{
	OK(vm_deallocate(ct_task, (vm_address_t)p, bytes));
}

uint64_t uptime_ms(void)
{
	time_value64_t t;

	OK(host_get_uptime64(ct_host, &t));
	return (uint64_t)t.seconds * 1000 + (uint64_t)t.nanoseconds / 1000000;
}

mach_msg_return_t peer_call(struct mb *req, struct rb *rep)
{
	mach_port_t reply = mach_reply_port();
	mach_msg_return_t mr;

	CHECK(MACH_PORT_VALID(reply));
	req->h.msgh_remote_port = ct_peer_ctl;
	req->h.msgh_local_port = reply;
	req->h.msgh_bits = (req->h.msgh_bits & MACH_MSGH_BITS_COMPLEX) |
			   MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	mr = mach_msg_trap(&req->h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, req->len,
			   MB_SIZE, reply, 2000, MACH_PORT_NULL);
	/* The reply buffer is separate from the request: copy what arrived. */
	if (mr == MACH_MSG_SUCCESS)
		memcpy(rep->b, req->b, req->h.msgh_size <= MB_SIZE ? req->h.msgh_size : MB_SIZE);
	OK(mach_port_mod_refs(ct_task, reply, MACH_PORT_RIGHT_RECEIVE, -1));
	return mr;
}

void peer_parse_report(struct rb *rep, struct peer_report *out)
{
	struct item it;
	uint32_t off = sizeof(rep->h);
	int32_t w[PEER_REPORT_MAX];

	CHECK(msg_next_item(&rep->h, &off, &it));
	CHECK_EQ(it.name, MACH_MSG_TYPE_INTEGER_32);
	CHECK(it.inl && it.number >= 1 && it.number <= PEER_REPORT_MAX);
	memcpy(w, it.data, 4 * it.number);
	CHECK_EQ(it.number, 1 + 3 * (uint32_t)w[0]);
	out->n = (uint32_t)w[0];
	for (uint32_t i = 0; i < out->n && i < 64; i++)
		for (int j = 0; j < 3; j++)
			out->e[i][j] = w[1 + 3 * i + j];
}

mach_port_type_t peer_type(mach_port_t name)
{
	mach_port_type_t t = 0;

	OK(mach_port_type(ct_peer, name, &t));
	return t;
}

void names_snapshot(struct names_snap *s)
{
	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	mach_msg_type_number_t nn = 0, nt = 0;

	OK(mach_port_names(ct_task, &names, &nn, &types, &nt));
	CHECK(nn <= 1024);
	s->count = nn;
	memcpy(s->n, names, nn * sizeof(*names));
	pages_free(names, nn * sizeof(*names));
	pages_free(types, nt * sizeof(*types));
}

bool names_contains(const struct names_snap *s, mach_port_t name)
{
	for (unsigned i = 0; i < s->count; i++)
		if (s->n[i] == name)
			return true;
	return false;
}

unsigned names_destroy_new(const struct names_snap *s, mach_port_t keep)
{
	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	mach_msg_type_number_t nn = 0, nt = 0;
	unsigned n = 0;

	OK(mach_port_names(ct_task, &names, &nn, &types, &nt));
	for (unsigned i = 0; i < nn; i++)
		if (names[i] != keep && !names_contains(s, names[i])) {
			kern_return_t kr = mach_port_destroy(ct_task, names[i]);

			/* Destroying one right may take another name with it. */
			if (kr != KERN_INVALID_NAME)
				CHECK_KR(kr, KERN_SUCCESS);
			n++;
		}
	pages_free(names, nn * sizeof(*names));
	pages_free(types, nt * sizeof(*types));
	return n;
}
