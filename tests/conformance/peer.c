/*
 * conformance-peer: the second task of the conformance suite (see peer.h). It waits
 * until the main program has created its control port, then serves commands forever;
 * the main program terminates it at the end of the run.
 */
#include <string.h>
#include <mach/mach_traps.h>
#include <mach/mach_port.h>
#include <mach/mach_interface.h>
#include <mach/mig_support.h>
#include "msg.h"
#include "peer.h"

static mach_port_t self;
static struct rb in;
static struct mb out;

static void reply_kr(mach_msg_header_t *req, kern_return_t kr)
{
	if (!MACH_PORT_VALID(req->msgh_remote_port))
		return;
	mb_init(&out, MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(req->msgh_bits), 0),
		req->msgh_remote_port, MACH_PORT_NULL, req->msgh_id + 100);
	mb_int32(&out, kr);
	req->msgh_remote_port = MACH_PORT_NULL;
	mb_send(&out, 0, 0);
}

/* The request's body goes back unchanged: the received types (16, 17, 18) are the
   dispositions that move each right back, and out-of-line memory is marked
   deallocate, so it leaves this task too. */
static void echo(mach_msg_header_t *req)
{
	mach_msg_size_t size = req->msgh_size;

	if (!MACH_PORT_VALID(req->msgh_remote_port)) {
		msg_destroy(self, req);
		return;
	}
	req->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(req->msgh_bits), 0) |
			 (req->msgh_bits & MACH_MSGH_BITS_COMPLEX);
	req->msgh_local_port = MACH_PORT_NULL;
	req->msgh_id += 100;
	if (mach_msg_trap(req, MACH_SEND_MSG, size, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL) !=
	    MACH_MSG_SUCCESS)
		msg_destroy(self, req);
}

static void report_add(int32_t *w, int32_t a, int32_t b, int32_t c)
{
	if (1 + 3 * (w[0] + 1) > PEER_REPORT_MAX)
		return;
	w[1 + 3 * w[0]] = a;
	w[2 + 3 * w[0]] = b;
	w[3 + 3 * w[0]] = c;
	w[0]++;
}

static void keep(mach_msg_header_t *req)
{
	static int32_t w[PEER_REPORT_MAX];
	struct item it;
	uint32_t off = sizeof(*req);
	mach_port_t reply = req->msgh_remote_port;
	mach_msg_bits_t reply_bits = MACH_MSGH_BITS_REMOTE(req->msgh_bits);

	memset(w, 0, sizeof(w));
	report_add(w, (int32_t)reply_bits, (int32_t)reply,
		   (int32_t)MACH_MSGH_BITS_LOCAL(req->msgh_bits));
	while ((req->msgh_bits & MACH_MSGH_BITS_COMPLEX) && msg_next_item(req, &off, &it)) {
		if (MACH_MSG_TYPE_PORT_ANY(it.name)) {
			for (uint32_t i = 0; i < it.number && (it.inl || it.addr); i++)
				report_add(w, (int32_t)(it.name | (it.inl ? 0 : PEER_OOL_FLAG)),
					   (int32_t)item_port(&it, i), 0);
		} else if (!it.inl) {
			report_add(w, PEER_OOL_DATA, (int32_t)it.bytes,
				   it.addr ? (int32_t)peer_checksum(it.addr, it.bytes) : 0);
		}
		if (!it.inl && it.addr != NULL && it.bytes != 0)
			vm_deallocate(self, (vm_address_t)it.addr, it.bytes);
	}
	if (!MACH_PORT_VALID(reply))
		return;
	mb_init(&out, MACH_MSGH_BITS(reply_bits, 0), reply, MACH_PORT_NULL, req->msgh_id + 100);
	mb_int32s(&out, w, (uint32_t)(1 + 3 * w[0]));
	mb_send(&out, 0, 0);
}

/* The main program sends DESTROY and ABORT with a combined send-and-receive: yield
   until it has reached its receive and nothing else can run. */
static void let_main_block(void)
{
	for (int i = 0; i < 100 && swtch(); i++)
		;
}

static mach_msg_return_t drain_one(mach_port_t name)
{
	static struct rb r;
	mach_msg_return_t mr = rb_recv(&r, name, 0, 0);

	if (mr == MACH_MSG_SUCCESS)
		msg_destroy(self, &r.h);
	return mr;
}

static void serve(mach_msg_header_t *req)
{
	int32_t arg = 0;

	if (req->msgh_size >= 48)
		memcpy(&arg, (char *)req + 40, 4);
	switch (req->msgh_id) {
	case PEER_PING:
		reply_kr(req, KERN_SUCCESS);
		break;
	case PEER_ECHO:
		echo(req);
		return;
	case PEER_KEEP:
		keep(req);
		return;
	case PEER_DESTROY:
		let_main_block();
		reply_kr(req, mach_port_destroy(PEER_MAIN_TASK, (mach_port_t)arg));
		break;
	case PEER_ABORT:
		let_main_block();
		reply_kr(req, thread_abort(PEER_MAIN_THREAD));
		break;
	case PEER_DROP:
		break;
	case PEER_DRAIN:
		let_main_block();
		reply_kr(req, drain_one((mach_port_t)arg));
		break;
	}
	msg_destroy(self, req);
}

int main(void)
{
	self = mach_task_self();
	/* The reply port of the peer's own RPCs, made now rather than during a test. */
	mig_get_reply_port();
	for (;;) {
		mach_msg_return_t mr = mach_msg_trap(&in.h, MACH_RCV_MSG, 0, MB_SIZE, PEER_CTL,
						     0, MACH_PORT_NULL);

		if (mr == MACH_MSG_SUCCESS)
			serve(&in.h);
		else
			swtch();	/* no control port yet (or no IPC yet): let main run */
	}
}
