/* Kernel-object ports (see ipc/ipc_port.h). */
#include <ipc/ipc_port.h>
#include <kern/printf.h>
#include <kern/zalloc.h>

static struct zone port_zone;
static int port_zone_ready;

struct ipc_port *ipc_port_alloc_kernel(enum ipc_kotype type, void *kobject)
{
	struct ipc_port *port;

	if (!port_zone_ready) {
		zone_init(&port_zone, "ipc.port", sizeof(struct ipc_port));
		port_zone_ready = 1;
	}
	port = zalloc(&port_zone);
	if (!port)
		return NULL;
	port->refs = 1;
	port->srights = 0;
	port->kotype = type;
	port->kobject = kobject;
	return port;
}

void ipc_port_make_send(struct ipc_port *port)
{
	port->srights++;
}

void ipc_port_reference(struct ipc_port *port)
{
	port->refs++;
}

void ipc_port_release(struct ipc_port *port)
{
	assert(port->refs > 0);
	if (--port->refs == 0)
		zfree(&port_zone, port);
}

void ipc_port_disable(struct ipc_port *port)
{
	port->kotype = IKOT_NONE;
	port->kobject = NULL;
}
