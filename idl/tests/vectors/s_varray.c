/* Server functions for the varray vectors: check what arrives, set the outs. */
#include <stdlib.h>

#include "harness.h"
#include "server_cases.h"
#include "varray_types.h"
#include <mach/mach_types.h>


extern boolean_t varray_server(mach_msg_header_t *, mach_msg_header_t *);

boolean_t server_demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
	return varray_server(in, out);
}

/* ar_odd_then_int: put b right after the array, as the README says a
   correct generator does (the vector's own bytes lose it). */
void server_reference_request(const struct vcase *c, unsigned char *msg)
{
	uint32_t n, word = 0x20002002, one = 1, b = 0x0a0b0c0d, size;
	unsigned at;

	memcpy(&n, msg + 36, 4);
	at = 40 + ((n + 7) & ~7u);
	memcpy(msg + at, &word, 4);
	memcpy(msg + at + 4, &one, 4);
	memcpy(msg + at + 8, &b, 4);
	size = at + 16;
	memcpy(msg + 4, &size, 4);
}

kern_return_t ar_fixed_in(mach_port_t server, tri16_t a, name8_t b, pair64_t c, bytes5_t d)
{
	hserved();
	EXPECT_EQ(server, 0x1062);
	EXPECT_EQ(a[0], 1);
	EXPECT_EQ(a[1], -2);
	EXPECT_EQ(a[2], 32767);
	EXPECT_MEM(b, "4142434445464748");
	EXPECT_EQ(c[0], 0x1122334455667788LL);
	EXPECT_EQ(c[1], -1);
	EXPECT_MEM(d, "deadbeef01");
	return KERN_SUCCESS;
}

kern_return_t ar_fixed_out(mach_port_t server, tri16_t a, pair64_t b, name8_t c)
{
	char t;
	int i;

	hserved();
	EXPECT_EQ(server, 0x1062);
	EXPECT_MEM(c, "696e6f75742d696e");
	a[0] = 10;
	a[1] = 20;
	a[2] = 30;
	b[0] = -10;
	b[1] = 0x0badf00d0badf00dLL;
	for (i = 0; i < 4; i++) {
		t = c[i];
		c[i] = c[7 - i];
		c[7 - i] = t;
	}
	return KERN_SUCCESS;
}

kern_return_t ar_var_in(mach_port_t server, const_u32list_t a, mach_msg_type_number_t aCnt,
			const_blob_t b, mach_msg_type_number_t bCnt, int32_t c, const_tail13_t d,
			mach_msg_type_number_t dCnt)
{
	hserved();
	EXPECT_EQ(server, 0x1062);
	if (is_case("ar_var_in", "typical")) {
		EXPECT_EQ(aCnt, 3);
		EXPECT_MEM(a, "010000000200000003000000");
		EXPECT_EQ(bCnt, 3);
		EXPECT_MEM(b, "78797a");
		EXPECT_EQ(c, 0x12345678);
		EXPECT_EQ(dCnt, 4);
		EXPECT_MEM(d, "7461696c");
	} else if (is_case("ar_var_in", "empty")) {
		EXPECT_EQ(aCnt, 0);
		EXPECT_EQ(bCnt, 0);
		EXPECT_EQ(c, -1);
		EXPECT_EQ(dCnt, 0);
	} else {
		EXPECT_EQ(aCnt, 6);
		EXPECT_MEM(a, "010000000200000003000000040000000500000006000000");
		EXPECT_EQ(bCnt, 24);
		EXPECT_MEM(b, "6162636465666768696a6b6c6d6e6f707172737475767778");
		EXPECT_EQ(c, 7);
		EXPECT_EQ(dCnt, 13);
		EXPECT_MEM(d, "30313233343536373839616263");
	}
	return KERN_SUCCESS;
}

kern_return_t ar_var_out(mach_port_t server, int32_t want, int16_t *s, u32list_t a,
			 mach_msg_type_number_t *aCnt)
{
	int32_t i;

	hserved();
	EXPECT_EQ(server, 0x1062);
	EXPECT_EQ(*aCnt, 6);
	*s = -5;
	for (i = 0; i < want; i++)
		a[i] = 0xa0000000u + (uint32_t)i;
	*aCnt = (mach_msg_type_number_t)want;
	return KERN_SUCCESS;
}

kern_return_t ar_var_tail_out(mach_port_t server, int32_t want, i16list_t a, mach_msg_type_number_t *aCnt)
{
	int32_t i;

	hserved();
	EXPECT_EQ(server, 0x1062);
	EXPECT_EQ(*aCnt, 10);
	for (i = 0; i < want; i++)
		a[i] = (int16_t)(-100 * (i + 1));
	*aCnt = (mach_msg_type_number_t)want;
	return KERN_SUCCESS;
}

kern_return_t ar_unbounded_in(mach_port_t server, const_ilist_t a, mach_msg_type_number_t aCnt, int32_t b)
{
	mach_msg_type_number_t i;

	hserved();
	EXPECT_EQ(server, 0x1062);
	EXPECT_EQ(aCnt, is_case("ar_unbounded_in", "small") ? 3 : is_case("ar_unbounded_in", "empty") ? 0
		  : is_case("ar_unbounded_in", "edge-inline") ? 512 : 513);
	for (i = 0; i < aCnt; i++)
		if (a[i] != 0x10000 + (int32_t)i) {
			EXPECT_EQ(a[i], 0x10000 + (int32_t)i);
			break;
		}
	EXPECT_EQ(b, is_case("ar_unbounded_in", "small") ? -9 : is_case("ar_unbounded_in", "empty") ? 1
		  : is_case("ar_unbounded_in", "edge-inline") ? 2 : 3);
	return KERN_SUCCESS;
}

kern_return_t ar_unbounded_out(mach_port_t server, int32_t want, ilist_t *a, mach_msg_type_number_t *aCnt)
{
	int32_t i;

	hserved();
	EXPECT_EQ(server, 0x1062);
	EXPECT_EQ(*aCnt, 512);
	if ((mach_msg_type_number_t)want > *aCnt)
		*a = malloc(sizeof **a * (size_t)want);
	for (i = 0; i < want; i++)
		(*a)[i] = 0x20000 + i;
	*aCnt = (mach_msg_type_number_t)want;
	return KERN_SUCCESS;
}

kern_return_t ar_struct(mach_port_t server, rec_t a, trio_t t, rec_t *b)
{
	hserved();
	EXPECT_EQ(server, 0x1062);
	EXPECT_EQ(a.id, 0x102030405060708LL);
	EXPECT_EQ(a.tag, -2);
	EXPECT_EQ(a.flag, 0x7a);
	EXPECT_EQ(t.v[0], 7);
	EXPECT_EQ(t.v[1], 8);
	EXPECT_EQ(t.v[2], 9);
	b->id = -1;
	b->tag = 0x1234;
	b->flag = 'k';
	return KERN_SUCCESS;
}

kern_return_t ar_countinout(mach_port_t server, u32list_t a, mach_msg_type_number_t *aCnt)
{
	mach_msg_type_number_t i;

	hserved();
	EXPECT_EQ(server, 0x1062);
	EXPECT_EQ(*aCnt, is_case("ar_countinout", "capacity-4") ? 4 : 6);
	for (i = 0; i < *aCnt; i++)
		a[i] = 0xc0 + i;
	return KERN_SUCCESS;
}

kern_return_t ar_odd_then_int(mach_port_t server, const_odd20_t a, mach_msg_type_number_t aCnt, int32_t b)
{
	hserved();
	EXPECT_EQ(server, 0x1062);
	if (is_case("ar_odd_then_int", "short")) {
		EXPECT_EQ(aCnt, 3);
		EXPECT_MEM(a, "616263");
	} else {
		EXPECT_EQ(aCnt, 20);
		EXPECT_MEM(a, "4142434445464748494a4b4c4d4e4f5051525354");
	}
	EXPECT_EQ(b, 0x0a0b0c0d);	/* the reference loses it (0 in the vector) */
	return KERN_SUCCESS;
}
