/* Round trip of the project's own device.defs through the loopback kernel:
   a client opens, writes, reads and controls a toy device served by
   ds_* functions in this file; both sides check what they get. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mach/mig_support.h>

#include "device.h"
#include "loopback.h"

#define MASTER 0x100
#define DISK 0x200
#define FILTER_PORT 0x300

static int failures;
static unsigned char disk[4096];
static int status[1024], nstatus;

#define CHECK(cond) \
	do { if (!(cond)) { printf("    %s:%d: %s\n", __FILE__, __LINE__, #cond); failures++; } } while (0)

extern boolean_t device_server(mach_msg_header_t *, mach_msg_header_t *);

mach_port_t mig_get_reply_port(void) { return 0xb0b; }
void mig_put_reply_port(mach_port_t p) { CHECK(p == 0xb0b); }
void mig_dealloc_reply_port(mach_port_t p) { CHECK(p == 0xb0b); }
void mig_allocate(vm_address_t *a, vm_size_t n) { *a = (vm_address_t)calloc(1, n ? n : 1); }
void mig_deallocate(vm_address_t a, vm_size_t n) { free((void *)a); }
void loopback_sender_dealloc(void *addr, unsigned long size) { free(addr); }

mach_msg_return_t mach_msg(mach_msg_header_t *msg, mach_msg_option_t option, mach_msg_size_t send_size,
			   mach_msg_size_t rcv_size, mach_port_t rcv_name, mach_msg_timeout_t timeout,
			   mach_port_t notify)
{
	static uint64_t in[8192], out[8192];
	mach_msg_header_t *reply = (mach_msg_header_t *)out;
	int rc = loopback_transfer(msg, send_size, in, 1);

	if (rc)
		return rc;
	CHECK(device_server((mach_msg_header_t *)in, reply));
	if (!(option & MACH_RCV_MSG))
		return MACH_MSG_SUCCESS;
	if (reply->msgh_size > rcv_size)
		return MACH_RCV_TOO_LARGE;
	return loopback_transfer(reply, reply->msgh_size, msg, 0);
}

kern_return_t ds_device_open(mach_port_t master, mach_port_t reply, mach_msg_type_name_t replyPoly,
			     dev_mode_t mode, const_dev_name_t name, mach_port_t *device,
			     mach_msg_type_name_t *devicePoly)
{
	CHECK(master == MASTER);
	CHECK(reply == 0xb0b);
	CHECK(replyPoly == MACH_MSG_TYPE_PORT_SEND_ONCE);
	CHECK(mode == (D_READ | D_WRITE));
	if (strcmp(name, "disk0") != 0)
		return D_NO_SUCH_DEVICE;
	*device = DISK;
	*devicePoly = MACH_MSG_TYPE_MAKE_SEND;
	return D_SUCCESS;
}

kern_return_t ds_device_open_new(mach_port_t master, mach_port_t reply, mach_msg_type_name_t replyPoly,
				 dev_mode_t mode, const_dev_name_t name, mach_port_t *device,
				 mach_msg_type_name_t *devicePoly)
{
	return ds_device_open(master, reply, replyPoly, mode, name, device, devicePoly);
}

kern_return_t ds_device_close(mach_port_t device)
{
	CHECK(device == DISK);
	return D_SUCCESS;
}

kern_return_t ds_device_write(mach_port_t device, mach_port_t reply, mach_msg_type_name_t replyPoly,
			      dev_mode_t mode, recnum_t recnum, io_buf_ptr_t data,
			      mach_msg_type_number_t dataCnt, int *written)
{
	CHECK(device == DISK && reply == 0xb0b);
	if (recnum + dataCnt > sizeof disk)
		return D_INVALID_RECNUM;
	memcpy(disk + recnum, data, dataCnt);
	free(data);	/* out-of-line data belongs to the server */
	*written = (int)dataCnt;
	return D_SUCCESS;
}

kern_return_t ds_device_write_inband(mach_port_t device, mach_port_t reply, mach_msg_type_name_t replyPoly,
				     dev_mode_t mode, recnum_t recnum, const_io_buf_ptr_inband_t data,
				     mach_msg_type_number_t dataCnt, int *written)
{
	CHECK(device == DISK);
	memcpy(disk + recnum, data, dataCnt);
	*written = (int)dataCnt;
	return D_SUCCESS;
}

kern_return_t ds_device_read(mach_port_t device, mach_port_t reply, mach_msg_type_name_t replyPoly,
			     dev_mode_t mode, recnum_t recnum, int wanted, io_buf_ptr_t *data,
			     mach_msg_type_number_t *dataCnt)
{
	CHECK(device == DISK);
	*data = malloc((size_t)wanted);
	memcpy(*data, disk + recnum, (size_t)wanted);
	*dataCnt = (mach_msg_type_number_t)wanted;
	return D_SUCCESS;
}

kern_return_t ds_device_read_inband(mach_port_t device, mach_port_t reply, mach_msg_type_name_t replyPoly,
				    dev_mode_t mode, recnum_t recnum, int wanted, io_buf_ptr_inband_t data,
				    mach_msg_type_number_t *dataCnt)
{
	CHECK(device == DISK);
	CHECK(*dataCnt == IO_INBAND_MAX);
	memcpy(data, disk + recnum, (size_t)wanted);
	*dataCnt = (mach_msg_type_number_t)wanted;
	return D_SUCCESS;
}

kern_return_t ds_device_map(mach_port_t device, vm_prot_t prot, vm_offset_t offset, vm_size_t size,
			    mach_port_t *pager, int unmap)
{
	return D_INVALID_OPERATION;
}

kern_return_t ds_device_set_status(mach_port_t device, dev_flavor_t flavor, const_dev_status_t st,
				   mach_msg_type_number_t stCnt)
{
	CHECK(flavor == 7);
	memcpy(status, st, stCnt * sizeof *st);
	nstatus = (int)stCnt;
	return D_SUCCESS;
}

kern_return_t ds_device_get_status(mach_port_t device, dev_flavor_t flavor, dev_status_t st,
				   mach_msg_type_number_t *stCnt)
{
	mach_msg_type_number_t n = (mach_msg_type_number_t)nstatus;

	if (n > *stCnt)
		n = *stCnt;	/* countinout: the caller's capacity */
	memcpy(st, status, n * sizeof *st);
	*stCnt = n;
	return D_SUCCESS;
}

kern_return_t ds_device_set_filter(mach_port_t device, mach_port_t port, int priority,
				   const_filter_array_t filter, mach_msg_type_number_t filterCnt)
{
	CHECK(port == FILTER_PORT);
	CHECK(priority == 3);
	CHECK(filterCnt == 2 && filter[0] == 11 && filter[1] == -12);
	return D_SUCCESS;
}

kern_return_t ds_device_intr_register(mach_port_t device, int id, int flags, mach_port_t port)
{
	CHECK(id == 9 && flags == 0 && port == FILTER_PORT);
	return D_SUCCESS;
}

kern_return_t ds_device_intr_ack(mach_port_t device, mach_port_t port)
{
	return D_SUCCESS;
}

static void test_open(void)
{
	mach_port_t dev = 0;

	CHECK(user_device_open(MASTER, D_READ | D_WRITE, "nope", &dev) == D_NO_SUCH_DEVICE);
	CHECK(dev == 0);
	CHECK(user_device_open(MASTER, D_READ | D_WRITE, "disk0", &dev) == D_SUCCESS);
	CHECK(dev == DISK);
	CHECK(user_device_open_new(MASTER, D_READ | D_WRITE, "disk0", &dev) == D_SUCCESS);
}

static void test_io(void)
{
	char in[8] = { 0 };
	static char big[3000];
	io_buf_ptr_t got = NULL;
	mach_msg_type_number_t cnt = sizeof in;
	int written = 0, i;

	CHECK(user_device_write_inband(DISK, 0, 5, "hello", 5, &written) == D_SUCCESS && written == 5);
	CHECK(user_device_read_inband(DISK, 0, 5, 5, in, &cnt) == D_SUCCESS);
	CHECK(cnt == 5 && memcmp(in, "hello", 5) == 0);
	for (i = 0; i < 3000; i++)
		big[i] = (char)(i * 7);
	CHECK(user_device_write(DISK, 0, 100, big, 3000, &written) == D_SUCCESS && written == 3000);
	CHECK(user_device_read(DISK, 0, 100, 3000, &got, &cnt) == D_SUCCESS);
	CHECK(cnt == 3000 && got != NULL && got != big && memcmp(got, big, 3000) == 0);
	free(got);
	CHECK(user_device_map(DISK, 1, 0, 4096, &(mach_port_t){ 0 }, 0) == D_INVALID_OPERATION);
}

static void test_status(void)
{
	int st[3] = { 1, -2, 3 }, back[8] = { 0 };
	mach_msg_type_number_t cnt = 2;

	CHECK(user_device_set_status(DISK, 7, st, 3) == D_SUCCESS);
	CHECK(user_device_get_status(DISK, 7, back, &cnt) == D_SUCCESS);
	CHECK(cnt == 2 && back[0] == 1 && back[1] == -2 && back[2] == 0);
	cnt = 8;
	CHECK(user_device_get_status(DISK, 7, back, &cnt) == D_SUCCESS);
	CHECK(cnt == 3 && back[2] == 3);
	CHECK(user_device_set_filter(DISK, FILTER_PORT, MACH_MSG_TYPE_MAKE_SEND, 3,
				     (filter_t[]){ 11, -12 }, 2) == D_SUCCESS);
	CHECK(user_device_intr_register(DISK, 9, 0, FILTER_PORT, MACH_MSG_TYPE_MAKE_SEND) == D_SUCCESS);
	CHECK(user_device_intr_ack(DISK, FILTER_PORT, MACH_MSG_TYPE_COPY_SEND) == D_SUCCESS);
	CHECK(user_device_close(DISK) == D_SUCCESS);
}

int main(void)
{
	test_open();
	test_io();
	test_status();
	printf("device.defs round trips: %d failures\n", failures);
	return failures != 0;
}
