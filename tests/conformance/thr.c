/* Threads, child tasks and exception messages for the tests (see thr.h). */
#include <mach/gnumach.h>
#include "thr.h"

#define CHILD_STACK	(16 * 1024)
#define WAIT_ROUNDS	400		/* of thread_switch waits of 5 ms: about 2 s */

static __attribute__((noreturn)) void child_main(struct child *c)
{
	c->started = 1;
	c->fn(c);
	c->done = 1;
	child_exit();
}

void child_create(struct child *c, void (*fn)(struct child *))
{
	struct i386_thread_state s;

	c->fn = fn;
	c->started = c->done = 0;
	c->stack = pages_alloc(CHILD_STACK);
	OK(thread_create(ct_task, &c->thread));
	state_get(c->thread, &s);
	s.rip = (uint64_t)child_main;
	s.rdi = (uint64_t)c;
	s.ursp = (uint64_t)c->stack + CHILD_STACK - 8;	/* as after a call */
	state_set(c->thread, &s);
}

void child_start(struct child *c)
{
	OK(thread_resume(c->thread));
}

void child_join(struct child *c)
{
	integer_t info[32];
	mach_msg_type_number_t n;
	int i;

	for (i = 0; i < WAIT_ROUNDS; i++) {
		n = 32;
		if (thread_info(c->thread, THREAD_BASIC_INFO, info, &n) == MACH_SEND_INVALID_DEST)
			break;
		thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, 5);
	}
	CHECK(i < WAIT_ROUNDS);
	destroy(c->thread);
	pages_free(c->stack, CHILD_STACK);
}

bool wait_until(bool (*cond)(struct child *), struct child *c)
{
	for (int i = 0; i < WAIT_ROUNDS; i++) {
		if (cond(c))
			return true;
		thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, 5);
	}
	return cond(c);
}

static integer_t basic_field(mach_port_t th, int index)
{
	integer_t info[32];
	mach_msg_type_number_t n = 32;

	OK(thread_info(th, THREAD_BASIC_INFO, info, &n));
	return info[index];
}

int thread_run_state(mach_port_t th)
{
	return basic_field(th, 11);
}

int thread_suspend_count(mach_port_t th)
{
	return basic_field(th, 13);
}

/* ---------------------------------------------------------------- spawned threads */

/* mach_port_mod_refs(task, port, RECEIVE, -1) as a one-way message. */
void child_destroy_port(mach_port_t port)
{
	struct {
		mach_msg_header_t h;
		uint32_t t1, n1, name, pad1, t2, n2, right, pad2, t3, n3, delta, pad3;
	} m = {
		.h = { .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
		       .msgh_size = sizeof(m), .msgh_remote_port = 0, .msgh_id = 3208 },
		.t1 = mt_word(MACH_MSG_TYPE_PORT_NAME, 32, MT_INLINE), .n1 = 1, .name = port,
		.t2 = mt_word(MACH_MSG_TYPE_INTEGER_32, 32, MT_INLINE), .n2 = 1,
		.right = MACH_PORT_RIGHT_RECEIVE,
		.t3 = mt_word(MACH_MSG_TYPE_INTEGER_32, 32, MT_INLINE), .n3 = 1, .delta = -1,
	};

	m.h.msgh_remote_port = ct_task;
	mach_msg_trap(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

int child_rpc(mach_port_t dest, mach_msg_id_t id, const void *body, uint32_t body_len)
{
	union {
		mach_msg_header_t h;
		uint64_t align;
		char b[256];
	} m;
	mach_port_t reply = mach_reply_port();
	mach_msg_return_t mr;
	int32_t rc;

	memset(&m, 0, sizeof(m));
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.h.msgh_size = sizeof(m.h) + body_len;
	m.h.msgh_remote_port = dest;
	m.h.msgh_local_port = reply;
	m.h.msgh_id = id;
	memcpy(m.b + sizeof(m.h), body, body_len);
	mr = mach_msg_trap(&m.h, MACH_SEND_MSG | MACH_RCV_MSG, m.h.msgh_size, sizeof(m), reply,
			   MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	memcpy(&rc, m.b + 40, 4);
	child_destroy_port(reply);
	return mr == MACH_MSG_SUCCESS ? rc : (int)mr;
}

void child_exit(void)
{
	mach_msg_header_t h = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
		.msgh_size = sizeof(h),
		.msgh_remote_port = mach_thread_self(),
		.msgh_id = 2016,	/* thread_terminate, no reply wanted */
	};

	mach_msg_trap(&h, MACH_SEND_MSG, sizeof(h), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
	for (;;)
		swtch();
}

/* ---------------------------------------------------------------- child tasks */

mach_port_t new_task(void)
{
	mach_port_t t;

	OK(task_create(ct_task, 0, &t));
	return t;
}

mach_port_t new_thread_in(mach_port_t task)
{
	mach_port_t th;

	OK(thread_create(task, &th));
	return th;
}

void task_kill(mach_port_t task)
{
	integer_t info[30];
	mach_msg_type_number_t n;
	kern_return_t kr = task_terminate(task);
	int i;

	/* It may have ended by itself already (an exception nobody handled). */
	if (kr != MACH_SEND_INVALID_DEST)
		OK(kr);
	for (i = 0; i < WAIT_ROUNDS; i++) {
		n = 30;
		if (task_info(task, TASK_BASIC_INFO, info, &n) == MACH_SEND_INVALID_DEST)
			break;
		thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, 5);
	}
	CHECK(i < WAIT_ROUNDS);
	/* Its threads go at their next switch: let them. */
	for (i = 0; i < 4; i++)
		swtch();
	destroy(task);
}

/* ---------------------------------------------------------------- exceptions */

void exc_receive(mach_port_t port, struct exc_msg *e)
{
	static struct rb r;
	struct item it;
	uint32_t off = 32;
	int32_t v;

	CHECK_KR(rb_recv(&r, port, 0, 2000), MACH_MSG_SUCCESS);
	CHECK_EQ(r.h.msgh_id, 2400);
	CHECK_EQ(r.h.msgh_size, 112);
	CHECK_EQ(r.h.msgh_bits, MACH_MSGH_BITS_COMPLEX |
		 MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND));
	e->reply = r.h.msgh_remote_port;
	CHECK(msg_next_item(&r.h, &off, &it));
	CHECK_EQ(it.word, mt_word(MACH_MSG_TYPE_PORT_SEND, 64, MT_INLINE));
	CHECK_EQ(it.number, 1);
	e->thread = item_port(&it, 0);
	CHECK(msg_next_item(&r.h, &off, &it));
	CHECK_EQ(it.word, mt_word(MACH_MSG_TYPE_PORT_SEND, 64, MT_INLINE));
	e->task = item_port(&it, 0);
	CHECK(msg_next_item(&r.h, &off, &it));
	CHECK_EQ(it.word, mt_word(MACH_MSG_TYPE_INTEGER_32, 32, MT_INLINE));
	memcpy(&v, it.data, 4);
	e->exception = v;
	CHECK(msg_next_item(&r.h, &off, &it));
	CHECK_EQ(it.word, mt_word(MACH_MSG_TYPE_INTEGER_32, 32, MT_INLINE));
	memcpy(&v, it.data, 4);
	e->code = v;
	CHECK(msg_next_item(&r.h, &off, &it));
	CHECK_EQ(it.word, mt_word(MACH_MSG_TYPE_INTEGER_64, 64, MT_INLINE));
	memcpy(&e->subcode, it.data, 8);
	CHECK(!msg_next_item(&r.h, &off, &it));
	/* The rights are ours: one more user reference each on names we already had. */
	OK(mach_port_deallocate(ct_task, e->thread));
	OK(mach_port_deallocate(ct_task, e->task));
}

void exc_reply(const struct exc_msg *e, kern_return_t rc)
{
	static struct mb m;

	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0), e->reply, MACH_PORT_NULL, 2500);
	mb_int32(&m, rc);
	CHECK_KR(mb_send(&m, MACH_SEND_TIMEOUT, 0), MACH_MSG_SUCCESS);
}

void state_get(mach_port_t th, struct i386_thread_state *s)
{
	mach_msg_type_number_t n = THREAD_STATE_COUNT;

	OK(thread_get_state(th, i386_THREAD_STATE, (thread_state_t)s, &n));
	CHECK_EQ(n, THREAD_STATE_COUNT);
}

void state_set(mach_port_t th, const struct i386_thread_state *s)
{
	OK(thread_set_state(th, i386_THREAD_STATE, (thread_state_t)s, THREAD_STATE_COUNT));
}

/* Child bodies and conditions shared by the thread and scheduling cases. */
void child_spin(struct child *c)
{
	while (!c->arg) {
		c->counter++;
		swtch();
	}
}

bool child_is_done(struct child *c)
{
	return c->done;
}

void child_receive_forever(struct child *c)
{
	mach_msg_header_t h;

	c->result = mach_msg_trap(&h, MACH_RCV_MSG, 0, sizeof(h), (mach_port_t)c->arg2,
				  MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

bool child_is_waiting(struct child *c)
{
	return c->started && thread_run_state(c->thread) == TH_STATE_WAITING;
}

int run_to_exception(mach_port_t task, void (*fn)(void), uint64_t rbx, uint64_t rcx, uint64_t rdx)
{
	mach_port_t th = new_thread_in(task);
	mach_port_t p = new_port_send();
	struct i386_thread_state s;
	struct exc_msg e;

	OK(thread_set_special_port(th, THREAD_EXCEPTION_PORT, p));
	state_get(th, &s);
	s.rip = (uint64_t)fn;
	s.rbx = rbx;
	s.rcx = rcx;
	s.rdx = rdx;
	state_set(th, &s);
	OK(thread_resume(th));
	exc_receive(p, &e);
	CHECK_EQ(e.exception, EXC_BAD_INSTRUCTION);
	/* No reply: once terminated the thread may run and end at once, its reply port
	   with it (a reply would then find a dead port). The reply right is dropped. */
	OK(thread_terminate(th));
	OK(mach_port_deallocate(ct_task, e.reply));
	OK(mach_port_deallocate(ct_task, th));
	destroy(p);
	return e.code;
}
