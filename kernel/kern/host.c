/* The host's kernel ports. */
#include <arch/rtc.h>
#include <ipc/ipc_port.h>
#include <kern/host.h>
#include <kern/printf.h>

/* The host object the host ports name (one host: its state lives in the kernel). */
static struct host {
	int unused;
} realhost;

struct ipc_port *host_port;
struct ipc_port *host_priv_port;
struct ipc_port *device_master_port;
int64_t host_boot_time_ns;

void host_init(void)
{
	host_port = ipc_port_alloc_kernel(IKOT_HOST, &realhost);
	host_priv_port = ipc_port_alloc_kernel(IKOT_HOST_PRIV, &realhost);
	device_master_port = ipc_port_alloc_kernel(IKOT_DEVICE_MASTER, &realhost);
	if (!host_port || !host_priv_port || !device_master_port)
		panic("host: no memory for the host ports");
	/* The time of day at boot (ticks are still 0): host_get_time64 adds the uptime. */
	host_boot_time_ns = rtc_read_unix_time() * 1000000000ll;
}
