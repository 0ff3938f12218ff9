/* The main program's side of the peer (see peer.h): setting it up. */
#include "util.h"

void peer_setup(void)
{
	mach_msg_type_name_t t = 0;
	struct mb m;
	struct rb r;

	CHECK(ct_peer != MACH_PORT_NULL);
	OK(mach_port_allocate_name(ct_peer, MACH_PORT_RIGHT_RECEIVE, PEER_CTL));
	OK(mach_port_insert_right(ct_peer, PEER_MAIN_TASK, ct_task, MACH_MSG_TYPE_COPY_SEND));
	OK(mach_port_insert_right(ct_peer, PEER_MAIN_THREAD, ct_thread, MACH_MSG_TYPE_COPY_SEND));
	OK(mach_port_extract_right(ct_peer, PEER_CTL, MACH_MSG_TYPE_MAKE_SEND, &ct_peer_ctl, &t));
	CHECK_EQ(t, MACH_MSG_TYPE_PORT_SEND);
	mb_init(&m, 0, MACH_PORT_NULL, MACH_PORT_NULL, PEER_PING);
	CHECK_KR(peer_call(&m, &r), MACH_MSG_SUCCESS);
	CHECK_EQ(r.h.msgh_id, PEER_PING + 100);
}
