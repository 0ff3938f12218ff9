/* User-side calls for the vport vectors, with the outs each case expects. */
#include "harness.h"
#include "user_cases.h"
#include "vport.h"


static kern_return_t send_rights(void) { return pt_send_rights(0x1065, 0x2001, 0x2002, 0x2003); }
static kern_return_t once_rights(void) { return pt_once_rights(0x1065, 0x2011, 0x2012); }
static kern_return_t receive(void) { return pt_receive(0x1065, 0x2021, 16); }

static kern_return_t poly_in_copy(void) { return pt_poly_in(0x1065, 0x2031, MACH_MSG_TYPE_COPY_SEND); }
static kern_return_t poly_in_once(void) { return pt_poly_in(0x1065, 0x2032, MACH_MSG_TYPE_MAKE_SEND_ONCE); }
static kern_return_t poly_in_name(void) { return pt_poly_in(0x1065, 0x2033, MACH_MSG_TYPE_PORT_NAME); }

static kern_return_t out_rights(void)
{
	mach_port_t s = 0, o = 0, r = 0, c = 0;
	kern_return_t kr = pt_out_rights(0x1065, &s, &o, &r, &c);

	EXPECT_EQ(s, 0x3001);
	EXPECT_EQ(o, 0x3002);
	EXPECT_EQ(r, 0x3003);
	EXPECT_EQ(c, 0x3004);
	return kr;
}

static kern_return_t poly_out(int32_t which, mach_port_t want, mach_msg_type_name_t want_poly)
{
	mach_port_t p = 0;
	mach_msg_type_name_t poly = 0;
	kern_return_t kr = pt_poly_out(0x1065, which, &p, &poly);

	EXPECT_EQ(p, want);
	EXPECT_EQ(poly, want_poly);
	return kr;
}

static kern_return_t poly_out_send(void) { return poly_out(1, 0x3011, 17); }
static kern_return_t poly_out_once(void) { return poly_out(2, 0x3012, 18); }
static kern_return_t poly_out_name(void) { return poly_out(3, 0x3013, 15); }

static kern_return_t names(void)
{
	mach_port_name_t m = 0;
	kern_return_t kr = pt_names(0x1065, 0x4001, &m);

	EXPECT_EQ(m, 0x4002);
	return kr;
}

static kern_return_t inout(void)
{
	mach_port_t p = 0x2041;
	int32_t n = 5;
	kern_return_t kr = pt_inout(0x1065, &p, &n);

	EXPECT_EQ(p, 0x3021);
	EXPECT_EQ(n, 6);
	return kr;
}

static kern_return_t array_inline_three(void)
{
	mach_port_t ports[] = { 0x2051, 0x2052, 0x2053 };

	return pt_array_inline(0x1065, ports, 3, 1);
}

static kern_return_t array_inline_empty(void)
{
	mach_port_t ports[1] = { 0 };

	return pt_array_inline(0x1065, ports, 0, 2);
}

static kern_return_t array_inline_ool(void)
{
	static mach_port_t ports[257];
	int i;

	for (i = 0; i < 257; i++)
		ports[i] = 0x5000 + (mach_port_t)i;
	return pt_array_inline(0x1065, ports, 257, 3);
}

static kern_return_t array_ool(void)
{
	static mach_port_t ports[] = { 0x2061, 0x2062 }, more[] = { 0x2071, 0x2072, 0x2073 };

	return pt_array_ool(0x1065, ports, 2, more, 3);
}

static kern_return_t array_out(void)
{
	oolsends_t ports = NULL;
	mach_msg_type_number_t cnt = 0;
	kern_return_t kr = pt_array_out(0x1065, 3, &ports, &cnt);

	EXPECT_EQ(cnt, 3);
	if (ports)
		EXPECT_MEM(ports, "313000003230000033300000");
	else
		hfail("ports is NULL");
	return kr;
}

static kern_return_t once_reply(void) { return pt_once_reply(0x2081, -5); }

static kern_return_t poly_mixed(void)
{
	return pt_poly_mixed(0x1065, 0x2091, 0x2092, MACH_MSG_TYPE_MAKE_SEND, 0x42);
}

const struct ucase ucases[] = {
	{ "pt_send_rights.vec", "basic", send_rights },
	{ "missing_complex.vec", "missing_complex", send_rights },
	{ "pt_once_rights.vec", "basic", once_rights },
	{ "pt_receive.vec", "basic", receive },
	{ "pt_poly_in.vec", "copy-send", poly_in_copy },
	{ "pt_poly_in.vec", "make-send-once", poly_in_once },
	{ "pt_poly_in.vec", "port-name", poly_in_name },
	{ "pt_out_rights.vec", "basic", out_rights },
	{ "pt_poly_out.vec", "make-send", poly_out_send },
	{ "pt_poly_out.vec", "move-send-once", poly_out_once },
	{ "pt_poly_out.vec", "port-name", poly_out_name },
	{ "pt_names.vec", "basic", names },
	{ "pt_inout.vec", "basic", inout },
	{ "pt_array_inline.vec", "three", array_inline_three },
	{ "pt_array_inline.vec", "empty", array_inline_empty },
	{ "pt_array_inline.vec", "out-of-line", array_inline_ool },
	{ "pt_array_ool.vec", "basic", array_ool },
	{ "pt_array_out.vec", "three", array_out },
	{ "pt_once_reply.vec", "basic", once_reply },
	{ "pt_poly_mixed.vec", "make-send", poly_mixed },
	{ NULL, NULL, NULL },
};
