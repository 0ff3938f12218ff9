/* mach_host routines, the traps that return ports, kernel_stats, and the kernel's
   answers to bad requests. */
#include <mach/mig_support.h>
#include "util.h"

static mach_msg_type_number_t info(int flavor, integer_t *buf, mach_msg_type_number_t count,
				   kern_return_t expected)
{
	mach_msg_type_number_t n = count;

	CHECK_KR(host_info(ct_host, flavor, buf, &n), expected);
	return n;
}

CTEST(host_info_basic)
{
	integer_t b[64];
	uint64_t mem;

	memset(b, 0xff, sizeof(b));
	CHECK_EQ(info(HOST_BASIC_INFO, b, 64, KERN_SUCCESS), 6);
	CHECK(b[0] >= 1);			/* max_cpus */
	CHECK(b[1] >= 1 && b[1] <= b[0]);	/* avail_cpus */
	memcpy(&mem, &b[2], 8);
	CHECK(mem >= 16ull << 20 && mem <= 1ull << 40);
	CHECK_EQ(b[4], CPU_TYPE_X86_64);
}

CTEST(host_info_basic_exact_count)
{
	integer_t b[6];

	CHECK_EQ(info(HOST_BASIC_INFO, b, 6, KERN_SUCCESS), 6);
	CHECK_EQ(b[4], CPU_TYPE_X86_64);
}

CTEST(host_info_short_count)
{
	integer_t b[8];

	info(HOST_BASIC_INFO, b, 5, KERN_FAILURE);
	info(HOST_SCHED_INFO, b, 1, KERN_FAILURE);
	info(HOST_LOAD_INFO, b, 5, KERN_FAILURE);
}

CTEST(host_info_bad_flavor)
{
	integer_t b[64];

	info(0, b, 64, KERN_INVALID_ARGUMENT);
	info(99, b, 64, KERN_INVALID_ARGUMENT);
	info(-1, b, 64, KERN_INVALID_ARGUMENT);
}

CTEST(host_info_processor_slots)
{
	integer_t b[64], basic[6];
	mach_msg_type_number_t n;

	info(HOST_BASIC_INFO, basic, 6, KERN_SUCCESS);
	n = info(HOST_PROCESSOR_SLOTS, b, 64, KERN_SUCCESS);
	CHECK(n >= 1 && n <= (mach_msg_type_number_t)basic[0]);
	for (unsigned i = 0; i < n; i++)
		CHECK(b[i] >= 0 && b[i] < basic[0]);
}

CTEST(host_info_sched)
{
	integer_t b[64];

	CHECK_EQ(info(HOST_SCHED_INFO, b, 64, KERN_SUCCESS), 2);
	CHECK(b[0] > 0);
	CHECK(b[1] > 0);
}

CTEST(host_info_load)
{
	integer_t b[64];

	CHECK_EQ(info(HOST_LOAD_INFO, b, 64, KERN_SUCCESS), 6);
	for (int i = 0; i < 6; i++)
		CHECK(b[i] >= 0);
}

CTEST(host_info_on_host_priv)
{
	integer_t b[6];
	mach_msg_type_number_t n = 6;

	OK(host_info(ct_host_priv, HOST_BASIC_INFO, b, &n));
	CHECK_EQ(n, 6);
}

CTEST(host_get_time64)
{
	time_value64_t a, b;

	OK(host_get_time64(ct_host, &a));
	OK(host_get_time64(ct_host, &b));
	CHECK(a.nanoseconds >= 0 && a.nanoseconds < 1000000000);
	CHECK(b.nanoseconds >= 0 && b.nanoseconds < 1000000000);
	/* The time of day from the battery clock (QEMU's is the host's): after 2023. */
	CHECK(a.seconds > 1700000000);
	CHECK(b.seconds > a.seconds || (b.seconds == a.seconds && b.nanoseconds >= a.nanoseconds));
}

static int64_t now_ns(void)
{
	time_value64_t t;

	OK(host_get_time64(ct_host, &t));
	return t.seconds * 1000000000ll + t.nanoseconds;
}

CTEST(host_set_time64_moves_the_clock)
{
	int64_t before = now_ns(), after;
	time_value64_t t = { before / 1000000000ll + 1000, 0 }, old;

	CHECK_KR(host_set_time64(ct_host, t), KERN_INVALID_HOST);	/* needs host-priv */
	CHECK_KR(host_set_time64(ct_host_priv, (time_value64_t){ 5, 1000000000 }), KERN_INVALID_ARGUMENT);
	OK(host_set_time64(ct_host_priv, t));
	after = now_ns();
	CHECK(after >= t.seconds * 1000000000ll && after < (t.seconds + 2) * 1000000000ll);
	OK(host_adjust_time64(ct_host_priv, (time_value64_t){ -1000, 0 }, &old));
	CHECK_EQ(old.seconds, 0);			/* applied at once: nothing left over */
	after = now_ns();	/* back where it was, less the fraction the set dropped */
	CHECK(after >= before - 1000000000ll && after < before + 2000000000ll);
	CHECK_KR(host_adjust_time64(ct_host, (time_value64_t){ 1, 0 }, &old), KERN_INVALID_HOST);
}

CTEST(host_get_uptime64)
{
	time_value64_t a, b;
	struct rb r;
	mach_port_t p = new_port();

	OK(host_get_uptime64(ct_host, &a));
	CHECK_KR(rb_recv(&r, p, 0, 20), MACH_RCV_TIMED_OUT);	/* let time pass */
	OK(host_get_uptime64(ct_host, &b));
	CHECK(a.nanoseconds >= 0 && a.nanoseconds < 1000000000);
	CHECK(b.nanoseconds >= 0 && b.nanoseconds < 1000000000);
	CHECK(b.seconds > a.seconds || (b.seconds == a.seconds && b.nanoseconds > a.nanoseconds));
	destroy(p);
}

CTEST(host_get_kernel_version)
{
	kernel_version_t v;
	size_t n;

	memset(v, 0x7f, sizeof(v));
	OK(host_get_kernel_version(ct_host, v));
	n = strnlen(v, sizeof(v));
	CHECK(n > 0);
	CHECK(n < sizeof(v));
	for (size_t i = 0; i < n; i++)
		CHECK(v[i] >= 0x09 && v[i] < 0x7f);
}

CTEST(host_reboot_unprivileged)
{
	CHECK_KR(host_reboot(ct_host, 0), KERN_INVALID_HOST);
	CHECK_KR(host_reboot(ct_host, 0x8), KERN_INVALID_HOST);
	CHECK_KR(host_reboot(ct_task, 0), KERN_INVALID_HOST);
}

CTEST(trap_host_self_adds_ref)
{
	mach_port_urefs_t before = refs(ct_host, MACH_PORT_RIGHT_SEND);

	CHECK_EQ(mach_host_self(), ct_host);
	CHECK_EQ(refs(ct_host, MACH_PORT_RIGHT_SEND), before + 1);
	OK(mach_port_deallocate(ct_task, ct_host));
	CHECK_EQ(refs(ct_host, MACH_PORT_RIGHT_SEND), before);
}

CTEST(trap_task_self_adds_ref)
{
	mach_port_urefs_t before = refs(ct_task, MACH_PORT_RIGHT_SEND);

	CHECK_EQ(mach_task_self(), ct_task);
	CHECK_EQ(refs(ct_task, MACH_PORT_RIGHT_SEND), before + 1);
	OK(mach_port_deallocate(ct_task, ct_task));
}

CTEST(trap_thread_self_adds_ref)
{
	mach_port_urefs_t before = refs(ct_thread, MACH_PORT_RIGHT_SEND);

	CHECK_EQ(mach_thread_self(), ct_thread);
	CHECK_EQ(refs(ct_thread, MACH_PORT_RIGHT_SEND), before + 1);
	OK(mach_port_deallocate(ct_task, ct_thread));
}

CTEST(trap_self_ports_are_distinct)
{
	CHECK(MACH_PORT_VALID(ct_task));
	CHECK(MACH_PORT_VALID(ct_thread));
	CHECK(MACH_PORT_VALID(ct_host));
	CHECK_NE(ct_task, ct_thread);
	CHECK_NE(ct_task, ct_host);
	CHECK_NE(ct_host, ct_host_priv);	/* the host-priv port is another port */
	CHECK_EQ(ptype(ct_task), MACH_PORT_TYPE_SEND);
	CHECK_EQ(ptype(ct_host_priv), MACH_PORT_TYPE_SEND);
}

CTEST(trap_mach_reply_port)
{
	mach_port_t a = mach_reply_port(), b = mach_reply_port();

	CHECK(MACH_PORT_VALID(a));
	CHECK(MACH_PORT_VALID(b));
	CHECK_NE(a, b);
	CHECK_EQ(ptype(a), MACH_PORT_TYPE_RECEIVE);
	destroy(a);
	destroy(b);
}

CTEST(kernel_stats_available)
{
	kernel_object_counts_t c;
	struct kernel_object_counts k;

	OK(kernel_object_counts(ct_host, &c));
	memcpy(&k, c, sizeof(k));
	CHECK(k.tasks >= 2);		/* this program and the peer */
	CHECK(k.threads >= 2);
	CHECK(k.spaces >= 2);
	CHECK(k.ports > 0);
	CHECK(k.entries > 0);
	CHECK(k.pages > 0);
	CHECK(k.vm_objects > 0);	/* the programs' images and stacks */
	for (unsigned i = 0; i < sizeof(k.reserved) / sizeof(k.reserved[0]); i++)
		CHECK_EQ(k.reserved[i], 0);
}

CTEST(kernel_stats_follow_objects)
{
	kernel_object_counts_t c0, c1, c2;
	struct kernel_object_counts a, b, e;
	mach_port_t p, s;

	OK(kernel_object_counts(ct_host, &c0));
	p = new_port();
	s = new_pset();
	OK(send_simple(p, MACH_MSG_TYPE_MAKE_SEND, 1));
	OK(kernel_object_counts(ct_host, &c1));
	destroy(p);
	destroy(s);
	OK(kernel_object_counts(ct_host, &c2));
	memcpy(&a, c0, sizeof(a));
	memcpy(&b, c1, sizeof(b));
	memcpy(&e, c2, sizeof(e));
	CHECK_EQ(b.ports, a.ports + 1);
	CHECK_EQ(b.port_sets, a.port_sets + 1);
	CHECK_EQ(b.entries, a.entries + 2);
	CHECK_EQ(b.messages, a.messages + 1);
	CHECK_EQ(e.ports, a.ports);
	CHECK_EQ(e.port_sets, a.port_sets);
	CHECK_EQ(e.entries, a.entries);
	CHECK_EQ(e.messages, a.messages);
}

CTEST(kernel_answers_bad_id)
{
	mach_port_t r = new_port();
	struct mb m;
	struct rb rep;
	int32_t kr;

	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE), ct_task,
		r, 3299);
	OK(mb_send(&m, 0, 0));
	CHECK_KR(rb_recv(&rep, r, 0, 1000), MACH_MSG_SUCCESS);
	CHECK_EQ(rep.h.msgh_id, 3399);
	CHECK_EQ(rep.h.msgh_size, 48);
	CHECK_EQ(rep.h.msgh_bits, MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE));
	{
		uint32_t w, n;

		memcpy(&w, rep.b + 32, 4);
		memcpy(&n, rep.b + 36, 4);
		CHECK_EQ(w, mt_word(MACH_MSG_TYPE_INTEGER_32, 32, MT_INLINE));
		CHECK_EQ(n, 1);
	}
	memcpy(&kr, rep.b + 40, 4);
	CHECK_KR(kr, MIG_BAD_ID);
	destroy(r);
}

CTEST(kernel_answers_bad_arguments)
{
	mach_port_t r = new_port();
	struct mb m;
	struct rb rep;
	int32_t kr;

	/* mach_port_type (3201) without its name argument. */
	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE), ct_task,
		r, 3201);
	OK(mb_send(&m, 0, 0));
	CHECK_KR(rb_recv(&rep, r, 0, 1000), MACH_MSG_SUCCESS);
	CHECK_EQ(rep.h.msgh_id, 3301);
	memcpy(&kr, rep.b + 40, 4);
	CHECK_KR(kr, MIG_BAD_ARGUMENTS);
	/* And with a wrong descriptor. */
	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE), ct_task,
		r, 3201);
	mb_type(&m, mt_word(MACH_MSG_TYPE_INTEGER_64, 64, MT_INLINE), 1);
	mb_bytes(&m, "12345678", 8);
	OK(mb_send(&m, 0, 0));
	CHECK_KR(rb_recv(&rep, r, 0, 1000), MACH_MSG_SUCCESS);
	memcpy(&kr, rep.b + 40, 4);
	CHECK_KR(kr, MIG_BAD_ARGUMENTS);
	destroy(r);
}

CTEST(kernel_request_without_reply_port)
{
	mach_port_t p = new_port();
	struct mb m;

	/* mach_port_destroy(p) as a one-way message: done, and no reply anywhere. */
	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), ct_task, MACH_PORT_NULL, 3205);
	mb_type(&m, mt_word(MACH_MSG_TYPE_PORT_NAME, 32, MT_INLINE), 1);
	mb_bytes(&m, &p, 4);
	OK(mb_send(&m, 0, 0));
	CHECK(!name_exists(p));
}

CTEST(mig_stub_keeps_reply_port)
{
	mach_port_t before = mig_get_reply_port();
	mach_port_type_t t;

	OK(mach_port_type(ct_task, before, &t));
	CHECK_EQ(t, MACH_PORT_TYPE_RECEIVE);
	CHECK_EQ(mig_get_reply_port(), before);
}

CTEST(trap_swtch_nothing_else_runnable)
{
	/* Let the peer finish whatever an earlier test asked of it; then it waits in a
	   receive and no other thread can run. */
	for (int i = 0; i < 100 && swtch(); i++)
		;
	CHECK_EQ(swtch(), FALSE);
	CHECK_EQ(swtch_pri(0), FALSE);
}

CTEST(trap_thread_switch)
{
	OK(thread_switch(MACH_PORT_NULL, SWITCH_OPTION_NONE, 0));
	OK(thread_switch(MACH_PORT_NULL, SWITCH_OPTION_DEPRESS, 10));
	OK(thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, 1));
	CHECK_KR(thread_switch(MACH_PORT_NULL, 3, 0), KERN_INVALID_ARGUMENT);
}
