/*
 * The conformance suite's framework. A test is a function declared with CTEST(name);
 * it is registered in a linker section and run by ct_main, alone, between two readings
 * of the kernel's live-object counts (kernel_stats): growth of ports, port sets,
 * messages, entries, pages, memory objects or hardware capabilities fails it as a leak.
 * A failed check prints `TEST FAIL name file:line message` and abandons the test;
 * whatever it left behind (names in this task or the peer's) is destroyed before the
 * next one.
 */
#ifndef _CT_H
#define _CT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <mach/message.h>
#include <mach/port.h>
#include <mach/notify.h>
#include <mach/mig_errors.h>
#include <mach/mach_traps.h>
#include <mach/mach_port.h>
#include <mach/mach_host.h>
#include <mach/mach_interface.h>
#include <mach/kernel_stats_user.h>

struct ctest {
	const char *name;
	void (*fn)(void);
	const char *file;
	int line;
	int last;	/* run after all the others (see CTEST_LAST) */
};

#define CTEST_(name, last)						\
	static void ct_fn_##name(void);					\
	static const struct ctest ct_desc_##name			\
	__attribute__((used, section("ctests"), aligned(8))) =		\
		{ #name, ct_fn_##name, __FILE__, __LINE__, last };	\
	static void ct_fn_##name(void)

#define CTEST(name)		CTEST_(name, 0)
/* A test that hands the kernel one of the program's own vital ports (its task port) in
   a way a broken kernel could destroy: it runs after the others, so that such a kernel
   costs only the tests that follow it. */
#define CTEST_LAST(name)	CTEST_(name, 1)

/* The suite's view of the world, set up by ct_main before the first test. */
extern mach_port_t ct_task;		/* mach_task_self(), read once */
extern mach_port_t ct_thread;		/* mach_thread_self(), read once */
extern mach_port_t ct_host;		/* mach_host_self(): unprivileged */
extern mach_port_t ct_host_priv;	/* argv[1] */
extern mach_port_t ct_peer;		/* argv[2]: the peer task's task port */
extern mach_port_t ct_device_master;	/* argv[3]: the device master port */
extern mach_port_t ct_peer_ctl;		/* a send right to the peer's control port */

__attribute__((noreturn, format(printf, 3, 4)))
void ct_fail(const char *file, int line, const char *fmt, ...);
/* A readable name for a kern_return_t / mach_msg_return_t / MIG code. */
const char *ct_kr_name(int code);

#define CHECK(cond)							\
	do {								\
		if (!(cond))						\
			ct_fail(__FILE__, __LINE__, "%s is false", #cond); \
	} while (0)

#define CHECK_EQ(actual, expected)					\
	do {								\
		unsigned long long ct_a_ = (unsigned long long)(actual);	\
		unsigned long long ct_e_ = (unsigned long long)(expected); \
		if (ct_a_ != ct_e_)					\
			ct_fail(__FILE__, __LINE__,			\
				"%s is %llu (0x%llx), expected %s = %llu (0x%llx)", \
				#actual, ct_a_, ct_a_, #expected, ct_e_, ct_e_); \
	} while (0)

#define CHECK_NE(actual, unexpected)					\
	do {								\
		unsigned long long ct_a_ = (unsigned long long)(actual);	\
		unsigned long long ct_e_ = (unsigned long long)(unexpected); \
		if (ct_a_ == ct_e_)					\
			ct_fail(__FILE__, __LINE__, "%s is %llu (0x%llx), expected anything else", \
				#actual, ct_a_, ct_a_);			\
	} while (0)

/* A kern_return_t or mach_msg_return_t compared by value, printed by name. */
#define CHECK_KR(expr, expected)					\
	do {								\
		int ct_r_ = (int)(expr);				\
		int ct_w_ = (int)(expected);				\
		if (ct_r_ != ct_w_)					\
			ct_fail(__FILE__, __LINE__, "%s returned %s (0x%x), expected %s (0x%x)", \
				#expr, ct_kr_name(ct_r_), (unsigned)ct_r_, \
				ct_kr_name(ct_w_), (unsigned)ct_w_);	\
	} while (0)

#define OK(expr) CHECK_KR(expr, KERN_SUCCESS)

#endif /* _CT_H */
