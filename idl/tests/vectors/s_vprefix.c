/* Server functions for the vprefix vectors: names carry the serverprefix. */
#include "harness.h"
#include "server_cases.h"
#include <mach/std_types.h>


extern boolean_t vprefix_server(mach_msg_header_t *, mach_msg_header_t *);

boolean_t server_demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
	return vprefix_server(in, out);
}

void server_reference_request(const struct vcase *c, unsigned char *msg)
{
}

kern_return_t do_pf_first(mach_port_t server, int32_t a, int32_t *b)
{
	hserved();
	EXPECT_EQ(server, 0x1066);
	EXPECT_EQ(a, 21);
	*b = 2 * a;
	return KERN_SUCCESS;
}

kern_return_t do_pf_second(mach_port_t server, int64_t a)
{
	hserved();
	EXPECT_EQ(server, 0x1066);
	EXPECT_EQ(a, 0x102030405060708LL);
	return KERN_SUCCESS;
}

kern_return_t impl_pf_third(mach_port_t server, int32_t *v)
{
	hserved();
	EXPECT_EQ(server, 0x1066);
	EXPECT_EQ(*v, 100);
	*v = -*v;
	return KERN_SUCCESS;
}

kern_return_t impl_pf_fourth(mach_port_t server)
{
	hserved();
	EXPECT_EQ(server, 0x1066);
	return KERN_SUCCESS;
}
