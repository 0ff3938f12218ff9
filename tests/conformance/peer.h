/*
 * The peer task: a second program with no bootstrap server. The main program gets the
 * peer's task port from the boot script, creates the peer's control port (a receive
 * right under PEER_CTL in the peer's space), gives the peer send rights to its own task
 * and thread ports, and sends it commands (msgh_id) on the control port.
 */
#ifndef _PEER_H
#define _PEER_H

#include <mach/port.h>

/* Names in the peer's space, chosen by the main program with allocate_name and
   insert_right; small, so that any name table holds them. */
#define PEER_CTL		((mach_port_name_t)0x40)	/* receive right */
#define PEER_MAIN_TASK		((mach_port_name_t)0x41)	/* send right to the main task */
#define PEER_MAIN_THREAD	((mach_port_name_t)0x42)	/* send right to the main thread */

/* Commands. Replies (when the request carries a reply right) have id + 100. */
#define PEER_PING	0x7000	/* reply: empty */
#define PEER_ECHO	0x7001	/* reply: the request's body unchanged, rights and memory moved back */
#define PEER_KEEP	0x7002	/* keep the rights; reply: a report (below), then free the memory */
#define PEER_DESTROY	0x7003	/* body: int32 name; mach_port_destroy(main task, name); reply: int32 kr */
#define PEER_ABORT	0x7004	/* thread_abort(main thread); reply: int32 kr */
#define PEER_DROP	0x7005	/* deallocate the reply right without replying */
#define PEER_DRAIN	0x7006	/* body: int32 name in the peer; after main blocks, receive one
				   message from it and destroy it; reply: int32 result */

/*
 * PEER_KEEP's report: one INTEGER_32 array of words. Word 0: the number of entries
 * that follow, each three words. The first entry describes the header: {remote bits
 * as received, reply name, local bits as received}. Then one entry per element:
 * a port in a body item {msgt_name as received, name, 0} (msgt_name | PEER_OOL_FLAG for
 * out-of-line port arrays), out-of-line data {PEER_OOL_DATA, length in bytes, checksum}.
 */
#define PEER_OOL_FLAG		0x1000
#define PEER_OOL_DATA		0x2000
#define PEER_REPORT_MAX		(3 * 64 + 1)

/* The checksum of out-of-line data in a report. */
static inline uint32_t peer_checksum(const unsigned char *p, uint64_t n)
{
	uint32_t h = 2166136261u;

	for (uint64_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* Main program side: creates the control port and hands the peer its rights. */
void peer_setup(void);

#endif
