/* Server functions for the vstring vectors: check what arrives, set the outs. */
#include <string.h>

#include "harness.h"
#include "server_cases.h"
#include "vstring_types.h"
#include <mach/std_types.h>


extern boolean_t vstring_server(mach_msg_header_t *, mach_msg_header_t *);

boolean_t server_demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
	return vstring_server(in, out);
}

void server_reference_request(const struct vcase *c, unsigned char *msg)
{
}

kern_return_t str_in_fixed(mach_port_t server, const_label_t name, int32_t n)
{
	hserved();
	EXPECT_EQ(server, 0x1064);
	if (is_case("str_in_fixed", "short")) {
		EXPECT_STR(name, "device0");
		EXPECT_EQ(n, 5);
	} else {
		EXPECT_STR(name, "abcdefghijklmnopqrstuvwxyz01234");
		EXPECT_EQ(n, -1);
	}
	return KERN_SUCCESS;
}

kern_return_t str_in_var(mach_port_t server, const_vstr_t s)
{
	hserved();
	EXPECT_EQ(server, 0x1064);
	if (is_case("str_in_var", "hello"))
		EXPECT_STR(s, "hello");
	else if (is_case("str_in_var", "empty"))
		EXPECT_STR(s, "");
	else
		EXPECT_STR(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abc");
	return KERN_SUCCESS;
}

kern_return_t str_out(mach_port_t server, int32_t which, label_t fixed, vstr_t var)
{
	hserved();
	EXPECT_EQ(server, 0x1064);
	EXPECT_EQ(which, 1);
	strcpy(fixed, "out-fixed");
	strcpy(var, "variable-out");
	return KERN_SUCCESS;
}

kern_return_t str_inout(mach_port_t server, label_t s)
{
	hserved();
	EXPECT_EQ(server, 0x1064);
	EXPECT_STR(s, "in-string");
	strcpy(s, "OUT-STRING-LONGER");
	return KERN_SUCCESS;
}

kern_return_t str_old(mach_port_t server, const_oldname_t s, oldname_t t)
{
	hserved();
	EXPECT_EQ(server, 0x1064);
	EXPECT_STR(s, "old-style");
	strcpy(t, "reply-old");
	return KERN_SUCCESS;
}

kern_return_t str_mixed(mach_port_t server, int8_t a, const_vstr_t s, int64_t b, tag12_t tag,
			const_label_t t)
{
	hserved();
	EXPECT_EQ(server, 0x1064);
	EXPECT_EQ(a, -1);
	EXPECT_STR(s, "mixed");
	EXPECT_EQ(b, 0x123456789abcdefLL);
	EXPECT_MEM(tag, "5441472d31322d4348415253");
	EXPECT_STR(t, "trailing");
	return KERN_SUCCESS;
}
