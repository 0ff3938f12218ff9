/* The host's kernel ports. */
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

void host_init(void)
{
	host_port = ipc_port_alloc_kernel(IKOT_HOST, &realhost);
	host_priv_port = ipc_port_alloc_kernel(IKOT_HOST_PRIV, &realhost);
	device_master_port = ipc_port_alloc_kernel(IKOT_DEVICE_MASTER, &realhost);
	if (!host_port || !host_priv_port || !device_master_port)
		panic("host: no memory for the host ports");
}
