/* Server functions for the vool vectors: check what arrives, set the outs. */
#include <stdlib.h>

#include "harness.h"
#include "server_cases.h"
#include "vool_types.h"
#include <mach/mach_types.h>


extern boolean_t vool_server(mach_msg_header_t *, mach_msg_header_t *);

boolean_t server_demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
	return vool_server(in, out);
}

void server_reference_request(const struct vcase *c, unsigned char *msg)
{
}

kern_return_t ool_send(mach_port_t server, oolints_t data, mach_msg_type_number_t dataCnt, int32_t tag)
{
	hserved();
	EXPECT_EQ(server, 0x1063);
	if (is_case("ool_send", "basic")) {
		EXPECT_EQ(dataCnt, 5);
		if (data)
			EXPECT_MEM(data, "0100000002000000030000000400000005000000");
		else
			hfail("data is NULL");
		EXPECT_EQ(tag, 0x77);
	} else {
		EXPECT_EQ(dataCnt, 0);
		EXPECT_EQ((uintptr_t)data, 0);
		EXPECT_EQ(tag, 0);
	}
	return KERN_SUCCESS;
}

kern_return_t ool_give(mach_port_t server, oolchars_t data, mach_msg_type_number_t dataCnt)
{
	hserved();
	EXPECT_EQ(server, 0x1063);
	EXPECT_EQ(dataCnt, 12);
	EXPECT_MEM(data, "67697665206d652061776179");
	return KERN_SUCCESS;
}

kern_return_t ool_maybe(mach_port_t server, oolquads_t data, mach_msg_type_number_t dataCnt)
{
	hserved();
	EXPECT_EQ(server, 0x1063);
	EXPECT_EQ(dataCnt, 3);
	EXPECT_MEM(data, "111111111111111122222222222222220100000000000080");
	return KERN_SUCCESS;
}

kern_return_t ool_fetch(mach_port_t server, int32_t count, oolints_t *data, mach_msg_type_number_t *dataCnt)
{
	int32_t i;

	hserved();
	EXPECT_EQ(server, 0x1063);
	if (count == 0) {
		*data = NULL;
		*dataCnt = 0;
		return KERN_SUCCESS;
	}
	*data = malloc(sizeof **data * (size_t)count);
	for (i = 0; i < count; i++)
		(*data)[i] = 0x100 + i;
	*dataCnt = (mach_msg_type_number_t)count;
	return KERN_SUCCESS;
}

kern_return_t ool_fetch_gift(mach_port_t server, oolchars_t *data, mach_msg_type_number_t *dataCnt,
			     int32_t *len)
{
	hserved();
	EXPECT_EQ(server, 0x1063);
	*data = malloc(18);
	memcpy(*data, "server-owned text!", 18);
	*dataCnt = 18;
	*len = 18;
	return KERN_SUCCESS;
}

kern_return_t ool_both(mach_port_t server, oolquads_t input, mach_msg_type_number_t inputCnt,
		       oolquads_t *output, mach_msg_type_number_t *outputCnt)
{
	uint64_t sum = 0, x = 0;
	mach_msg_type_number_t i;

	hserved();
	EXPECT_EQ(server, 0x1063);
	EXPECT_EQ(inputCnt, 4);
	EXPECT_MEM(input, "01000000000000000001000000000000000001000000000000000000000000ff");
	for (i = 0; i < inputCnt; i++) {
		sum += input[i];
		x ^= input[i];
	}
	*output = malloc(16);
	(*output)[0] = sum;
	(*output)[1] = x;
	*outputCnt = 2;
	return KERN_SUCCESS;
}

kern_return_t ool_post(mach_port_t server, int32_t tag, vm_offset_t data, mach_msg_type_number_t dataCnt)
{
	hserved();
	EXPECT_EQ(server, 0x1063);
	EXPECT_EQ(tag, 9);
	EXPECT_EQ(dataCnt, 10);
	EXPECT_MEM((const void *)data, "30313233343536373839");
	return KERN_SUCCESS;
}
