/*
 * Kernel RPCs served in place (ipc/ipc_kfast.c): a call to a kernel object made as a
 * MIG stub makes it (send-and-receive, COPY_SEND, MAKE_SEND_ONCE of the port received
 * on) must look exactly as on the normal path, where the reply is a message queued on
 * the reply port: the same header (bits, names, size, sequence number), the same
 * MACH_RCV_TOO_LARGE handling, messages already queued received first, and the same
 * task_info message counts. Each case is run both ways where it can be (a reply port
 * in a set, or with a message queued, takes the normal path) and compared.
 */
#include <mach/kernel_stats.h>
#include <mach/mach_port.h>
#include "msg.h"
#include "util.h"
#include "thr.h"
#include "vmt.h"

#define ID_PORT_TYPE	3201

/* mach_port_type(task, name) by hand: reply port `reply` made send-once. */
struct port_type_req {
	mach_msg_header_t h;
	mach_msg_type_t name_type;
	uint32_t name;
	uint32_t pad;
};

struct port_type_rep {
	mach_msg_header_t h;
	mach_msg_type_t rc_type;
	int32_t rc;
	uint32_t pad;
	mach_msg_type_t ptype_type;
	uint32_t ptype;
	uint32_t pad2;
};

static void port_type_req(struct port_type_req *m, mach_port_t reply, mach_port_t name)
{
	memset(m, 0, sizeof(*m));
	m->h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m->h.msgh_size = sizeof(*m);
	m->h.msgh_remote_port = mach_task_self();
	m->h.msgh_local_port = reply;
	m->h.msgh_id = ID_PORT_TYPE;
	m->name_type = (mach_msg_type_t){ .msgt_name = MACH_MSG_TYPE_PORT_NAME, .msgt_size = 32,
					  .msgt_number = 1, .msgt_inline = 1 };
	m->name = name;
}

static uint64_t fast_sends(void)
{
	return counts().fast_sends;
}

typedef union { struct port_type_req q; struct port_type_rep r; char b[256]; } call_buf;

/* One mach_port_type call on reply port `reply` (received on rcv_name). */
static mach_msg_return_t call(call_buf *u, mach_port_t reply, mach_port_t rcv_name, mach_port_t name, mach_msg_size_t rcv_size)
{
	port_type_req(&u->q, reply, name);
	return mach_msg_trap(&u->q.h, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(u->q), rcv_size, rcv_name,
			     MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

CTEST(kfast_reply_as_normal_path)
{
	mach_port_t reply = new_port(), other = new_port(), set = new_pset();
	call_buf a, b;
	uint64_t before;

	OK(mach_port_set_seqno(mach_task_self(), reply, 40));
	/* In place: the reply port alone, nothing queued. */
	before = fast_sends();
	CHECK_KR(call(&a, reply, reply, other, sizeof(a)), MACH_MSG_SUCCESS);
	CHECK(fast_sends() > before);
	/* The normal path: the same port in a set, received on the set. */
	OK(mach_port_move_member(mach_task_self(), reply, set));
	CHECK_KR(call(&b, reply, set, other, sizeof(b)), MACH_MSG_SUCCESS);
	CHECK_EQ(a.r.h.msgh_bits, b.r.h.msgh_bits);
	CHECK_EQ(a.r.h.msgh_bits, MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE));
	CHECK_EQ(a.r.h.msgh_size, b.r.h.msgh_size);
	CHECK_EQ(a.r.h.msgh_size, sizeof(struct port_type_rep));
	CHECK_EQ(a.r.h.msgh_remote_port, MACH_PORT_NULL);
	CHECK_EQ(b.r.h.msgh_remote_port, MACH_PORT_NULL);
	CHECK_EQ(a.r.h.msgh_local_port, reply);
	CHECK_EQ(b.r.h.msgh_local_port, reply);
	CHECK_EQ(a.r.h.msgh_id, ID_PORT_TYPE + 100);
	CHECK_EQ(a.r.h.msgh_seqno, 40);
	CHECK_EQ(b.r.h.msgh_seqno, 41);
	CHECK(memcmp((char *)&a.r + sizeof(a.r.h), (char *)&b.r + sizeof(b.r.h),
		     sizeof(a.r) - sizeof(a.r.h)) == 0);
	CHECK_EQ(a.r.rc, KERN_SUCCESS);
	CHECK_EQ(a.r.ptype, MACH_PORT_TYPE_RECEIVE);
	/* No right is left behind by either path. */
	CHECK_EQ(refs(reply, MACH_PORT_RIGHT_SEND_ONCE), 0);
	CHECK_EQ(pstatus(reply).mps_sorights, 0);
	destroy(reply);
	destroy(other);
	destroy(set);
}

CTEST(kfast_error_reply)
{
	mach_port_t reply = new_port();
	call_buf a;

	/* A name that is not there: the short error reply, in place. */
	CHECK_KR(call(&a, reply, reply, unused_name(), sizeof(a)), MACH_MSG_SUCCESS);
	CHECK_EQ(a.r.h.msgh_size, sizeof(mig_reply_header_t));
	CHECK_EQ(a.r.rc, KERN_INVALID_NAME);
	destroy(reply);
}

CTEST(kfast_protected_payload_reply_port)
{
	mach_port_t reply = new_port();
	call_buf a;

	OK(mach_port_set_protected_payload(mach_task_self(), reply, 0x1234567890ull));
	CHECK_KR(call(&a, reply, reply, reply, sizeof(a)), MACH_MSG_SUCCESS);
	CHECK_EQ(MACH_MSGH_BITS_LOCAL(a.r.h.msgh_bits), MACH_MSG_TYPE_PROTECTED_PAYLOAD);
	CHECK_EQ(a.r.h.msgh_protected_payload, 0x1234567890ull);
	CHECK_EQ(a.r.ptype, MACH_PORT_TYPE_RECEIVE);
	destroy(reply);
}

CTEST(kfast_reply_too_large)
{
	mach_port_t reply = new_port();
	call_buf a;
	struct rb r;

	/* Room for the header only: the reply's size is told, the message is gone. */
	CHECK_KR(call(&a, reply, reply, reply, sizeof(mach_msg_header_t)), MACH_RCV_TOO_LARGE);
	CHECK_EQ(a.r.h.msgh_size, sizeof(struct port_type_rep));
	CHECK_EQ(a.r.h.msgh_id, ID_PORT_TYPE + 100);
	CHECK_EQ(a.r.h.msgh_local_port, reply);
	expect_empty(reply);
	CHECK_EQ(pstatus(reply).mps_seqno, 1);
	CHECK_KR(rb_recv(&r, reply, 0, 0), MACH_RCV_TIMED_OUT);
	destroy(reply);
}

CTEST(kfast_queued_message_first)
{
	mach_port_t reply = new_port_send();
	call_buf a;
	struct rb r;

	/* A message already on the reply port is received before the reply. */
	OK(send_simple(reply, MACH_MSG_TYPE_COPY_SEND, 777));
	CHECK_KR(call(&a, reply, reply, reply, sizeof(a)), MACH_MSG_SUCCESS);
	CHECK_EQ(a.r.h.msgh_id, 777);
	CHECK_EQ(a.r.h.msgh_seqno, 0);
	recv_now(reply, &r);
	CHECK_EQ(r.h.msgh_id, ID_PORT_TYPE + 100);
	CHECK_EQ(r.h.msgh_seqno, 1);
	destroy(reply);
}

CTEST(kfast_bad_receive_buffer)
{
	mach_port_t reply = new_port();
	call_buf *p = pages_alloc(PAGE_SIZE);
	call_buf a;

	/* The request is read from a page that then cannot take the reply. */
	port_type_req(&a.q, reply, reply);
	memcpy(p, &a, sizeof(a.q));
	OK(vm_protect(mach_task_self(), (vm_address_t)p, PAGE_SIZE, FALSE, VM_PROT_READ));
	CHECK_KR(mach_msg_trap(&p->q.h, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(a.q), sizeof(a), reply,
			       MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), MACH_RCV_INVALID_DATA);
	expect_empty(reply);
	pages_free(p, PAGE_SIZE);
	destroy(reply);
}

/* task_info's TASK_EVENTS_INFO: seven u64 (ABI section 12), messages sent and received last. */
static void message_counts(uint64_t *sent, uint64_t *received)
{
	uint64_t ev[7];
	mach_msg_type_number_t n = 14;

	OK(task_info(mach_task_self(), TASK_EVENTS_INFO, (task_info_t)ev, &n));
	*sent = ev[5];
	*received = ev[6];
}

CTEST(kfast_task_info_counts)
{
	mach_port_t reply = new_port();
	call_buf a;
	uint64_t s1, r1, s2, r2;

	/* Between two task_info calls: the first's reply, one call, the second's request. */
	message_counts(&s1, &r1);
	CHECK_KR(call(&a, reply, reply, reply, sizeof(a)), MACH_MSG_SUCCESS);
	message_counts(&s2, &r2);
	CHECK_EQ(s2 - s1, 2);
	CHECK_EQ(r2 - r1, 2);
	destroy(reply);
}

/* A mach_port routine on the task's own space by hand: name, then 32-bit arguments of
   one type. */
struct port_call {
	mach_msg_header_t h;
	struct { mach_msg_type_t t; uint32_t v; uint32_t pad; } arg[3];
};

static mach_msg_return_t port_call(call_buf *u, mach_msg_id_t id, mach_port_t reply, mach_port_t name,
				   int nints, const uint32_t *ints, unsigned int_type)
{
	struct port_call *m = (struct port_call *)u;

	memset(m, 0, sizeof(*m));
	m->h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m->h.msgh_size = sizeof(m->h) + 16 * (1 + nints);
	m->h.msgh_remote_port = mach_task_self();
	m->h.msgh_local_port = reply;
	m->h.msgh_id = id;
	m->arg[0].t = (mach_msg_type_t){ .msgt_name = MACH_MSG_TYPE_PORT_NAME, .msgt_size = 32,
					 .msgt_number = 1, .msgt_inline = 1 };
	m->arg[0].v = name;
	for (int i = 0; i < nints; i++) {
		m->arg[1 + i].t = (mach_msg_type_t){ .msgt_name = int_type, .msgt_size = 32,
						     .msgt_number = 1, .msgt_inline = 1 };
		m->arg[1 + i].v = ints[i];
	}
	return mach_msg_trap(&m->h, MACH_SEND_MSG | MACH_RCV_MSG, m->h.msgh_size, sizeof(*u), reply,
			     MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

CTEST(kfast_routine_destroys_reply_port)
{
	mach_port_t reply = new_port();
	const uint32_t args[2] = { MACH_PORT_RIGHT_RECEIVE, (uint32_t)-1 };
	call_buf a;

	/* mach_port_mod_refs of the very port the reply is to come on: it is gone, and so is
	   the reply, as when the kernel's server loop queues it on a dead port. */
	CHECK_KR(port_call(&a, 3208, reply, reply, 2, args, MACH_MSG_TYPE_INTEGER_32), MACH_RCV_INVALID_NAME);
	CHECK(!name_exists(reply));
}

CTEST(kfast_routine_moves_reply_port_into_set)
{
	mach_port_t reply = new_port(), set = new_pset();
	const uint32_t args[1] = { set };
	call_buf a;
	struct rb r;

	/* Receiving on a member of a set fails; the reply waits there, for the set. */
	CHECK_KR(port_call(&a, 3213, reply, reply, 1, args, MACH_MSG_TYPE_PORT_NAME), MACH_RCV_IN_SET);
	recv_now(set, &r);
	CHECK_EQ(r.h.msgh_id, 3313);
	CHECK_EQ(r.h.msgh_local_port, reply);
	CHECK_EQ(((mig_reply_header_t *)&r.h)->RetCode, KERN_SUCCESS);
	destroy(reply);
	destroy(set);
}

CTEST(kfast_mach_port_allocate)
{
	mach_port_t names[3];
	uint64_t before = fast_sends();

	/* Served in place, and the names are real. */
	for (int i = 0; i < 3; i++)
		OK(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &names[i]));
	CHECK(fast_sends() - before >= 3);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(ptype(names[i]), MACH_PORT_TYPE_RECEIVE);
		destroy(names[i]);
	}
}

/* A new thread's first system call is an RPC served in place. */
static void first_call_port_type(struct child *c)
{
	mach_port_t reply = mach_reply_port();
	call_buf u;

	c->result = call(&u, reply, reply, reply, sizeof(u));
	c->arg2 = u.r.ptype;
	child_destroy_port(reply);
}

CTEST(kfast_first_call_of_new_thread)
{
	struct child c = { 0 };

	/* Its state was set by thread_set_state before it ran: that must not keep the
	   reply's mach_msg from setting rax (it read as the trap number, -25). */
	child_create(&c, first_call_port_type);
	child_start(&c);
	CHECK(wait_until(child_is_done, &c));
	CHECK_KR(c.result, MACH_MSG_SUCCESS);
	CHECK_EQ(c.arg2, MACH_PORT_TYPE_RECEIVE);
	child_join(&c);
}
