/* Server functions and translation functions for the vtrans vectors; the
   translations log themselves as the vectors' events do. */
#include "harness.h"
#include "server_cases.h"
#include "vtrans_types.h"


struct vobj { int n; };
struct vhandle { int n; };
static struct vobj objs[16];
static struct vhandle handles[16];

extern boolean_t vtrans_server(mach_msg_header_t *, mach_msg_header_t *);

boolean_t server_demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
	return vtrans_server(in, out);
}

void server_reference_request(const struct vcase *c, unsigned char *msg)
{
}

vobj_ref_t vobj_lookup(mach_port_t port)
{
	vobj_ref_t o = &objs[(port - 0x6000) & 15];

	o->n = (int)(o - objs);
	hevent("intran vobj_lookup(%#x) -> obj#%d", port, o->n);
	return o;
}

mach_port_t vobj_export(vobj_ref_t obj)
{
	hevent("outtran vobj_export(obj#%d) -> %#x", obj->n, 0x6000 + obj->n);
	return 0x6000 + (mach_port_t)obj->n;
}

void vobj_release(vobj_ref_t obj)
{
	hevent("destructor vobj_release(obj#%d)", obj->n);
}

vhandle_ref_t vhandle_in(int32_t handle)
{
	vhandle_ref_t h = &handles[(handle - 0x700) & 15];

	h->n = (int)(h - handles);
	hevent("intran vhandle_in(%#x) -> handle#%d", handle, h->n);
	return h;
}

int32_t vhandle_out(vhandle_ref_t handle)
{
	hevent("outtran vhandle_out(handle#%d) -> %#x", handle->n, 0x700 + handle->n);
	return 0x700 + handle->n;
}

kern_return_t tr_open(vobj_ref_t obj, vflags_server_t flags, vmode_c_t mode, vhandle_ref_t *handle)
{
	hserved();
	EXPECT_EQ(obj->n, 1);
	EXPECT_EQ(flags, 0x80000001);
	EXPECT_EQ(mode, 0755);
	handles[5].n = 5;
	*handle = &handles[5];
	return KERN_SUCCESS;
}

kern_return_t tr_lookup(mach_port_t server, vhandle_ref_t handle, vobj_ref_t *obj, vmode_c_t *mode)
{
	hserved();
	EXPECT_EQ(server, 0x1068);
	EXPECT_EQ(handle->n, 3);
	objs[2].n = 2;
	*obj = &objs[2];
	*mode = 0644;
	return KERN_SUCCESS;
}

kern_return_t tr_close(vobj_ref_t obj, vhandle_ref_t handle)
{
	hserved();
	EXPECT_EQ(obj->n, 3);
	if (is_case("tr_close", "success")) {
		EXPECT_EQ(handle->n, 4);
		return KERN_SUCCESS;
	}
	EXPECT_EQ(handle->n, 6);
	return KERN_INVALID_ARGUMENT;
}
