/* Server functions for the vspecial vectors: seqno and reply ports arrive
   from the header. */
#include "harness.h"
#include "server_cases.h"
#include <mach/std_types.h>


extern boolean_t vspecial_server(mach_msg_header_t *, mach_msg_header_t *);

boolean_t server_demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
	return vspecial_server(in, out);
}

void server_reference_request(const struct vcase *c, unsigned char *msg)
{
}

kern_return_t sp_seqno(mach_port_t server, mach_port_seqno_t seq, int32_t a, int32_t *b)
{
	hserved();
	EXPECT_EQ(server, 0x1067);
	EXPECT_EQ(seq, 42);
	EXPECT_EQ(a, 1);
	*b = (int32_t)seq + a;
	return KERN_SUCCESS;
}

kern_return_t sp_sreply(mach_port_t server, mach_port_t reply, int32_t a, int32_t *b)
{
	hserved();
	EXPECT_EQ(server, 0x1067);
	EXPECT_EQ(reply, REPLY_PORT);
	EXPECT_EQ(a, 2);
	*b = a + 1;
	return KERN_SUCCESS;
}

kern_return_t sp_ureply(mach_port_t server, int32_t a, int32_t *b)
{
	hserved();
	EXPECT_EQ(server, 0x1067);
	EXPECT_EQ(a, 3);
	*b = a + 1;
	return KERN_SUCCESS;
}

kern_return_t sp_replyport(mach_port_t server, mach_port_t reply, int32_t a)
{
	hserved();
	EXPECT_EQ(server, 0x1067);
	EXPECT_EQ(reply, 0xe02);
	EXPECT_EQ(a, 4);
	return KERN_SUCCESS;
}

kern_return_t sp_waitarg(mach_port_t server, int32_t a)
{
	hserved();
	EXPECT_EQ(server, 0x1067);
	EXPECT_EQ(a, 5);
	return KERN_SUCCESS;
}

kern_return_t sp_waitglobal(mach_port_t server, int32_t a)
{
	hserved();
	EXPECT_EQ(server, 0x1067);
	EXPECT_EQ(a, 6);
	return KERN_SUCCESS;
}

kern_return_t sp_option(mach_port_t server, int32_t a)
{
	hserved();
	EXPECT_EQ(server, 0x1067);
	EXPECT_EQ(a, 7);
	return KERN_SUCCESS;
}

kern_return_t sp_combo(mach_port_t server, mach_port_seqno_t seq, mach_port_t reply, int32_t a)
{
	hserved();
	EXPECT_EQ(server, 0x1067);
	EXPECT_EQ(seq, 42);
	EXPECT_EQ(reply, 0xe03);
	EXPECT_EQ(a, 8);
	return KERN_SUCCESS;
}
