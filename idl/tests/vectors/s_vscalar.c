/* Server functions for the vscalar vectors: check what arrives, set the outs. */
#include "harness.h"
#include "server_cases.h"
#include <mach/mach_types.h>


extern boolean_t vscalar_server(mach_msg_header_t *, mach_msg_header_t *);

boolean_t server_demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
	return vscalar_server(in, out);
}

void server_reference_request(const struct vcase *c, unsigned char *msg)
{
}

kern_return_t sc_narrow_in(mach_port_t server, int8_t a, int16_t b, uint8_t c, uint16_t d, char e)
{
	hserved();
	EXPECT_EQ(server, 0x1061);
	EXPECT_EQ(a, -3);
	EXPECT_EQ(b, -1234);
	EXPECT_EQ(c, 0xfe);
	EXPECT_EQ(d, 0xbeef);
	EXPECT_EQ(e, 'Q');
	return KERN_SUCCESS;
}

kern_return_t sc_wide_in(mach_port_t server, int32_t a, uint32_t b, int64_t c, uint64_t d, boolean_t e)
{
	hserved();
	EXPECT_EQ(server, 0x1061);
	if (is_case("sc_wide_in", "basic")) {
		EXPECT_EQ(a, -100000);
		EXPECT_EQ(b, 0xdeadbeef);
		EXPECT_EQ(c, -78187493530LL);
		EXPECT_EQ(d, 0xfedcba9876543210ULL);
		EXPECT_EQ(e, 1);
	} else {
		EXPECT_EQ(a, 0);
		EXPECT_EQ(b, 0);
		EXPECT_EQ(c, 0);
		EXPECT_EQ(d, 0);
		EXPECT_EQ(e, 0);
	}
	return KERN_SUCCESS;
}

kern_return_t sc_all_out(mach_port_t server, int8_t *a, int16_t *b, int32_t *c, int64_t *d, boolean_t *e)
{
	hserved();
	EXPECT_EQ(server, 0x1061);
	*a = -7;
	*b = 0x7abc;
	*c = -2;
	*d = 0x0102030405060708LL;
	*e = 1;
	return KERN_SUCCESS;
}

kern_return_t sc_inout_mix(mach_port_t server, int16_t *a, int64_t b, boolean_t *c, uint64_t *d,
			   uint8_t *e, char *f)
{
	hserved();
	EXPECT_EQ(server, 0x1061);
	EXPECT_EQ(*a, 0x1111);
	EXPECT_EQ(b, 0x7fffffffffffffffLL);
	EXPECT_EQ(*c, 0);
	EXPECT_EQ(*d, 0x1000000000ULL);
	EXPECT_EQ(*f, 0x78);
	*a += 1;
	*c = !*c;
	*d *= 2;
	*e = 0x3c;
	*f += 1;
	return KERN_SUCCESS;
}

kern_return_t sc_notify(mach_port_t server, int32_t code, uint64_t stamp, char tag)
{
	hserved();
	EXPECT_EQ(server, 0x1061);
	EXPECT_EQ(code, 77);
	EXPECT_EQ(stamp, 0x1122334455667788ULL);
	EXPECT_EQ(tag, 0x23);
	return KERN_SUCCESS;
}

kern_return_t sc_ping(mach_port_t server)
{
	hserved();
	EXPECT_EQ(server, 0x1061);
	return KERN_SUCCESS;
}

kern_return_t sc_poke(mach_port_t server)
{
	hserved();
	EXPECT_EQ(server, 0x1061);
	return KERN_SUCCESS;
}

kern_return_t sc_checked(mach_port_t server, int32_t request, int64_t *result, boolean_t *flag)
{
	hserved();
	EXPECT_EQ(server, 0x1061);
	switch (request) {
	case 1:
		*result = 0x100000002LL;
		*flag = 1;
		return KERN_SUCCESS;
	case 2:
		*result = 0x77;
		*flag = 1;
		return KERN_INVALID_ARGUMENT;
	default:
		EXPECT_EQ(request, 3);
		return 0x40001234;
	}
}

kern_return_t sc_longform(mach_port_t server, uint32_t w, int64_t q, int16_t n, uint32_t *wout,
			  int64_t *qout)
{
	hserved();
	EXPECT_EQ(server, 0x1061);
	EXPECT_EQ(w, 0x89abcdef);
	EXPECT_EQ(q, -5);
	EXPECT_EQ(n, -32768);
	*wout = 0x13579bdf;
	*qout = 0x2468ace013579bdfLL;
	return KERN_SUCCESS;
}

kern_return_t sc_machine(mach_port_t server, vm_address_t addr, vm_size_t size, natural_t *nat,
			 integer_t *integ, uintptr_t *ptr)
{
	hserved();
	EXPECT_EQ(server, 0x1061);
	EXPECT_EQ(addr, 0x7f0012345000);
	EXPECT_EQ(size, 0x3000);
	*nat = 0xfffffffe;
	*integ = -42;
	*ptr = 0x555566667777;
	return KERN_SUCCESS;
}
