/* Server functions for the vport vectors: check what arrives, set the outs. */
#include <stdlib.h>

#include "harness.h"
#include "server_cases.h"
#include "vport_types.h"


extern boolean_t vport_server(mach_msg_header_t *, mach_msg_header_t *);

boolean_t server_demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
	return vport_server(in, out);
}

void server_reference_request(const struct vcase *c, unsigned char *msg)
{
}

kern_return_t pt_send_rights(mach_port_t server, mach_port_t a, mach_port_t b, mach_port_t c)
{
	hserved();
	EXPECT_EQ(server, 0x1065);
	EXPECT_EQ(a, 0x2001);
	EXPECT_EQ(b, 0x2002);
	EXPECT_EQ(c, 0x2003);
	return KERN_SUCCESS;
}

kern_return_t pt_once_rights(mach_port_t server, mach_port_t a, mach_port_t b)
{
	hserved();
	EXPECT_EQ(server, 0x1065);
	EXPECT_EQ(a, 0x2011);
	EXPECT_EQ(b, 0x2012);
	return KERN_SUCCESS;
}

kern_return_t pt_receive(mach_port_t server, mach_port_t r, int32_t limit)
{
	hserved();
	EXPECT_EQ(server, 0x1065);
	EXPECT_EQ(r, 0x2021);
	EXPECT_EQ(limit, 16);
	return KERN_SUCCESS;
}

kern_return_t pt_poly_in(mach_port_t server, mach_port_t p, mach_msg_type_name_t pPoly)
{
	hserved();
	EXPECT_EQ(server, 0x1065);
	if (is_case("pt_poly_in", "copy-send")) {
		EXPECT_EQ(p, 0x2031);
		EXPECT_EQ(pPoly, 17);
	} else if (is_case("pt_poly_in", "make-send-once")) {
		EXPECT_EQ(p, 0x2032);
		EXPECT_EQ(pPoly, 18);
	} else {
		EXPECT_EQ(p, 0x2033);
		EXPECT_EQ(pPoly, 15);
	}
	return KERN_SUCCESS;
}

kern_return_t pt_out_rights(mach_port_t server, mach_port_t *s, mach_port_t *o, mach_port_t *r, mach_port_t *c)
{
	hserved();
	EXPECT_EQ(server, 0x1065);
	*s = 0x3001;
	*o = 0x3002;
	*r = 0x3003;
	*c = 0x3004;
	return KERN_SUCCESS;
}

kern_return_t pt_poly_out(mach_port_t server, int32_t which, mach_port_t *p, mach_msg_type_name_t *pPoly)
{
	hserved();
	EXPECT_EQ(server, 0x1065);
	*p = 0x3010 + (mach_port_t)which;
	*pPoly = which == 1 ? MACH_MSG_TYPE_MAKE_SEND : which == 2 ? MACH_MSG_TYPE_PORT_SEND_ONCE
		: MACH_MSG_TYPE_PORT_NAME;
	return KERN_SUCCESS;
}

kern_return_t pt_names(mach_port_t server, mach_port_name_t n, mach_port_name_t *m)
{
	hserved();
	EXPECT_EQ(server, 0x1065);
	EXPECT_EQ(n, 0x4001);
	*m = 0x4002;
	return KERN_SUCCESS;
}

kern_return_t pt_inout(mach_port_t server, mach_port_t *p, int32_t *n)
{
	hserved();
	EXPECT_EQ(server, 0x1065);
	EXPECT_EQ(*p, 0x2041);
	EXPECT_EQ(*n, 5);
	*p = 0x3021;
	*n += 1;
	return KERN_SUCCESS;
}

kern_return_t pt_array_inline(mach_port_t server, const_sendlist_t ports, mach_msg_type_number_t portsCnt,
			      int32_t flags)
{
	mach_msg_type_number_t i;

	hserved();
	EXPECT_EQ(server, 0x1065);
	if (is_case("pt_array_inline", "three")) {
		EXPECT_EQ(portsCnt, 3);
		EXPECT_EQ(flags, 1);
		for (i = 0; i < portsCnt; i++)
			EXPECT_EQ(ports[i], 0x2051 + i);
	} else if (is_case("pt_array_inline", "empty")) {
		EXPECT_EQ(portsCnt, 0);
		EXPECT_EQ(flags, 2);
	} else {
		EXPECT_EQ(portsCnt, 257);
		EXPECT_EQ(flags, 3);
		for (i = 0; i < portsCnt; i++)
			if (ports[i] != 0x5000 + i) {
				EXPECT_EQ(ports[i], 0x5000 + i);
				break;
			}
	}
	return KERN_SUCCESS;
}

kern_return_t pt_array_ool(mach_port_t server, oolports_t ports, mach_msg_type_number_t portsCnt,
			   oolports_t more, mach_msg_type_number_t moreCnt)
{
	hserved();
	EXPECT_EQ(server, 0x1065);
	EXPECT_EQ(portsCnt, 2);
	EXPECT_MEM(ports, "6120000062200000");
	EXPECT_EQ(moreCnt, 3);
	EXPECT_MEM(more, "712000007220000073200000");
	return KERN_SUCCESS;
}

kern_return_t pt_array_out(mach_port_t server, int32_t count, oolsends_t *ports, mach_msg_type_number_t *portsCnt)
{
	int32_t i;

	hserved();
	EXPECT_EQ(server, 0x1065);
	EXPECT_EQ(count, 3);
	*ports = malloc(sizeof **ports * (size_t)count);
	for (i = 0; i < count; i++)
		(*ports)[i] = 0x3031 + (mach_port_t)i;
	*portsCnt = (mach_msg_type_number_t)count;
	return KERN_SUCCESS;
}

kern_return_t pt_once_reply(mach_port_t reply, int32_t code)
{
	hserved();
	EXPECT_EQ(reply, 0x2081);
	EXPECT_EQ(code, -5);
	return KERN_SUCCESS;
}

kern_return_t pt_poly_mixed(mach_port_t server, mach_port_t fixed, mach_port_t p, mach_msg_type_name_t pPoly,
			    int64_t n)
{
	hserved();
	EXPECT_EQ(server, 0x1065);
	EXPECT_EQ(fixed, 0x2091);
	EXPECT_EQ(p, 0x2092);
	EXPECT_EQ(pPoly, 17);
	EXPECT_EQ(n, 0x42);
	return KERN_SUCCESS;
}
