/* The host: its unprivileged and privileged ports, and the device master port. */
#ifndef _KERN_HOST_H_
#define _KERN_HOST_H_

#include <stdint.h>

struct ipc_port;

extern struct ipc_port *host_port;		/* mach_host_self */
extern struct ipc_port *host_priv_port;		/* ${host-port} in boot scripts */
extern struct ipc_port *device_master_port;	/* ${device-port} */

/* Nanoseconds since the epoch at boot (from the RTC; host_set_time moves it). */
extern int64_t host_boot_time_ns;

void host_init(void);

#endif
