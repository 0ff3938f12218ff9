/* Helpers the tests share: ports with checked results, the peer's commands. */
#ifndef _UTIL_H
#define _UTIL_H

#include "ct.h"
#include "msg.h"
#include "peer.h"

/* ABI values the headers do not name (GNU Mach's). */
#define UREFS_MAX		0xFFFFu		/* MACH_PORT_UREFS_MAX */
#define HOST_BASIC_INFO		1
#define HOST_PROCESSOR_SLOTS	2
#define HOST_SCHED_INFO		3
#define HOST_LOAD_INFO		4
#define CPU_TYPE_X86_64		21
#define PAGE_SIZE		4096ul
#define MACH_PORT_KTYPE_NONE	0
#define MACH_PORT_KTYPE_USER_DEVICE 28

/* Each fails the test if the call does not succeed. */
mach_port_t new_port(void);			/* a receive right */
mach_port_t new_port_send(void);		/* receive + one send right, same name */
mach_port_t new_pset(void);
mach_port_t new_dead_name(void);
mach_port_t make_send_once(mach_port_t rcv);	/* a send-once right to rcv's port */
void destroy(mach_port_t name);
mach_port_type_t ptype(mach_port_t name);
mach_port_urefs_t refs(mach_port_t name, mach_port_right_t right);
mach_port_status_t pstatus(mach_port_t name);
/* A valid name no right in this task has (for allocate_name, rename, insert_right). */
mach_port_t unused_name(void);
/* Whether name denotes anything in this task. */
bool name_exists(mach_port_t name);

/* A simple message (header only, id) to port with the given disposition. */
mach_msg_return_t send_simple(mach_port_t port, mach_msg_type_name_t disp, mach_msg_id_t id);
/* Receives from port without waiting; fails the test unless a message comes. */
void recv_now(mach_port_t port, struct rb *r);
/* Fails the test unless port's queue is empty. */
void expect_empty(mach_port_t port);

/* Memory from vm_allocate, and its release. */
void *pages_alloc(size_t bytes);
void pages_free(void *p, size_t bytes);
/* Milliseconds since boot, from host_get_uptime64. */
uint64_t uptime_ms(void);

/* Sends req to the peer's control port with a fresh reply port (MAKE_SEND_ONCE)
   and receives the reply into rep (within 2 s). Returns the receive's result. */
mach_msg_return_t peer_call(struct mb *req, struct rb *rep);
/* A PEER_KEEP report: entries[i] = {a, b, c} (see peer.h). */
struct peer_report {
	uint32_t n;
	int32_t e[64][3];
};
void peer_parse_report(struct rb *rep, struct peer_report *out);
mach_port_type_t peer_type(mach_port_t name);

/* The names this task has now, to destroy later whatever appears after. */
struct names_snap {
	mach_port_name_t n[1024];
	unsigned count;
};
void names_snapshot(struct names_snap *s);
/* Destroys every name not in s, except keep; returns how many. */
unsigned names_destroy_new(const struct names_snap *s, mach_port_t keep);
bool names_contains(const struct names_snap *s, mach_port_t name);

#endif
