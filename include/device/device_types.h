/* C types of the device interface, and its return codes and open modes
   (abi/README.md section 5). */
#ifndef _DEVICE_DEVICE_TYPES_H_
#define _DEVICE_DEVICE_TYPES_H_

#include <mach/std_types.h>

typedef mach_port_t device_t;
typedef uint32_t dev_mode_t;
typedef uint32_t dev_flavor_t;
typedef rpc_long_natural_t rpc_recnum_t;
typedef rpc_recnum_t recnum_t;

/* Device names: up to 128 bytes, NUL-terminated. */
typedef char dev_name_t[128];
typedef char new_dev_name_t[128];
typedef const char *const_dev_name_t;
typedef const char *const_new_dev_name_t;

typedef int *dev_status_t;
typedef const int *const_dev_status_t;
#define DEV_STATUS_MAX	1024

typedef char *io_buf_ptr_t;
typedef char *io_buf_ptr_inband_t;
typedef const char *const_io_buf_ptr_inband_t;
#define IO_INBAND_MAX	128

typedef short filter_t;
typedef filter_t *filter_array_t;
typedef const filter_t *const_filter_array_t;

#define D_READ		0x1
#define D_WRITE		0x2
#define D_NODELAY	0x4
#define D_NOWAIT	0x8

#define D_SUCCESS		0
#define D_IO_ERROR		2500
#define D_WOULD_BLOCK		2501
#define D_NO_SUCH_DEVICE	2502
#define D_ALREADY_OPEN		2503
#define D_DEVICE_DOWN		2504
#define D_INVALID_OPERATION	2505
#define D_INVALID_RECNUM	2506
#define D_INVALID_SIZE		2507
#define D_NO_MEMORY		2508
#define D_READ_ONLY		2509

/* device_get_status flavors of block devices (GNU Mach's numbers and word order). */
#define DEV_GET_SIZE			0
#define DEV_GET_SIZE_DEVICE_SIZE	0	/* bytes; 0 if unknown */
#define DEV_GET_SIZE_RECORD_SIZE	1	/* bytes per record */
#define DEV_GET_SIZE_COUNT		2
#define DEV_GET_RECORDS			1
#define DEV_GET_RECORDS_DEVICE_RECORDS	0	/* records; 0 if unknown */
#define DEV_GET_RECORDS_RECORD_SIZE	1
#define DEV_GET_RECORDS_COUNT		2

#endif
