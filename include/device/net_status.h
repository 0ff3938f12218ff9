/* Packet filters for device_set_filter: 16-bit filter words, at most 128. */
#ifndef _DEVICE_NET_STATUS_H_
#define _DEVICE_NET_STATUS_H_

#include <device/device_types.h>

#define NET_MAX_FILTER	128

#endif
