/*
 * rpc: a client and a server doing RPCs with send-and-receive on both sides, the
 * shape the IPC fast path serves (and, for large payloads, the normal path).
 *   rpc server               receives on SERVER_PORT, answers every request
 *   rpc client H S           H: host-priv name, S: the server's task port
 * The reply is computed from the request: its payload bytes plus one, preceded by the
 * sequence number and the header bits the server saw, so a wrong copy, header, seqno
 * or right is visible to the client.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include <mach/message.h>
#include "mach_test.h"
#include "test.h"

#define SERVER_PORT	0x5151
#define MAX_PAYLOAD	1024
#define ROUNDS		100

struct msgbuf {
	mach_msg_header_t h;
	uint8_t payload[MAX_PAYLOAD];
};

static void server(void)
{
	static struct msgbuf m;
	mach_port_type_t type;
	mach_msg_return_t mr;

	while (mach_port_type(mach_task_self(), SERVER_PORT, &type) != KERN_SUCCESS)
		swtch();
	mr = mach_msg_trap(&m.h, MACH_RCV_MSG, 0, sizeof(m), SERVER_PORT, 0, MACH_PORT_NULL);
	for (;;) {
		uint32_t n = m.h.msgh_size - sizeof(m.h), info[2] = { m.h.msgh_seqno, m.h.msgh_bits };

		if (mr != MACH_MSG_SUCCESS) {
			printf("rpc server: receive failed 0x%x\n", mr);
			exit(1);
		}
		for (uint32_t i = 8; i < n; i++)
			m.payload[i]++;
		if (n >= 8)
			memcpy(m.payload, info, 8);
		m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(m.h.msgh_bits), 0);
		m.h.msgh_local_port = MACH_PORT_NULL;
		m.h.msgh_id += 100;
		mr = mach_msg_trap(&m.h, MACH_SEND_MSG | MACH_RCV_MSG, m.h.msgh_size, sizeof(m),
				   SERVER_PORT, 0, MACH_PORT_NULL);
	}
}

/* One RPC of n payload bytes; checks everything the reply says. */
static bool rpc(mach_port_t port, mach_port_t reply, uint32_t n, uint32_t *seqno)
{
	static struct msgbuf m;
	uint32_t info[2];
	mach_msg_return_t mr;

	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.h.msgh_remote_port = port;
	m.h.msgh_local_port = reply;
	m.h.msgh_id = 7000 + (int)n;
	for (uint32_t i = 0; i < n; i++)
		m.payload[i] = (uint8_t)(i * 7 + n);
	mr = mach_msg_trap(&m.h, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(m.h) + n, sizeof(m), reply, 0,
			   MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		printf("rpc: mach_msg 0x%x (payload %u)\n", mr, n);
		return false;
	}
	if (m.h.msgh_size != sizeof(m.h) + n || m.h.msgh_id != 7100 + (int)n ||
	    m.h.msgh_bits != MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE) ||
	    m.h.msgh_local_port != reply || m.h.msgh_remote_port != MACH_PORT_NULL) {
		printf("rpc: reply header bits %x size %u id %d local %x remote %x\n", m.h.msgh_bits,
		       m.h.msgh_size, m.h.msgh_id, m.h.msgh_local_port, m.h.msgh_remote_port);
		return false;
	}
	if (n < 8) {
		(*seqno)++;
		return true;
	}
	memcpy(info, m.payload, 8);
	/* The server saw a send-once reply right and its request through a send right. */
	if (info[1] != MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND) ||
	    info[0] != *seqno) {
		printf("rpc: server saw bits %x seqno %u, expected seqno %u\n", info[1], info[0], *seqno);
		return false;
	}
	for (uint32_t i = 8; i < n; i++)
		if (m.payload[i] != (uint8_t)(i * 7 + n + 1)) {
			printf("rpc: payload byte %u is %u\n", i, m.payload[i]);
			return false;
		}
	(*seqno)++;
	return true;
}

int main(int argc, char **argv)
{
	mach_port_t task = mach_task_self(), server_task, port, reply;
	struct kernel_object_counts before, after;
	mach_port_type_t type;
	uint32_t seqno = 0;
	bool ok = true;

	if (argc > 1 && strcmp(argv[1], "server") == 0)
		server();
	server_task = argc > 2 ? (mach_port_t)strtol(argv[2], NULL, 10) : MACH_PORT_NULL;
	if (!TEST_CHECK("rpc-setup",
			mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &port) == KERN_SUCCESS &&
			mach_port_insert_right(task, port, port, MACH_MSG_TYPE_MAKE_SEND) == KERN_SUCCESS &&
			mach_port_insert_right(server_task, SERVER_PORT, port, MACH_MSG_TYPE_MOVE_RECEIVE) == KERN_SUCCESS &&
			(reply = mach_reply_port()) != MACH_PORT_NULL))
		goto done;
	/* Warm up: the server's first receive, and our MIG reply port. */
	ok = rpc(port, reply, 8, &seqno) && test_object_counts(&before);
	for (int i = 0; i < ROUNDS && ok; i++)
		ok = rpc(port, reply, (uint32_t)(i * 8) % 224, &seqno);
	TEST_CHECK("rpc-small-payloads", ok);
	ok = test_object_counts(&after);
	TEST_CHECK("rpc-nothing-left-behind", ok && after.ports == before.ports &&
		   after.entries == before.entries && after.messages == before.messages);
	/* Both directions of every small round trip went by the fast path. */
	/* Every hop but the few a preemption may send the normal way. */
	TEST_CHECK("rpc-fast-path-taken", ok && after.fast_sends - before.fast_sends >= 2 * ROUNDS - 10);
	TEST_CHECK("rpc-reply-port-only-receive",
		   mach_port_type(task, reply, &type) == KERN_SUCCESS && type == MACH_PORT_TYPE_RECEIVE);
	ok = true;
	for (uint32_t n = 224; n <= MAX_PAYLOAD && ok; n += 200)
		ok = rpc(port, reply, n, &seqno);
	TEST_CHECK("rpc-large-payloads", ok);
	/* A request queued before the server waits again is still answered in order. */
	TEST_CHECK("rpc-after-large", rpc(port, reply, 16, &seqno));
done:
	syscall_task_terminate(server_task);
	test_done();
	return 0;
}
