/*
 * The runtime that MIG-generated user stubs call: a cached reply port and memory for
 * out-of-line data. Native tasks are single-threaded for now, so one cached reply port
 * per task is enough; a threads library will make the cache per thread.
 */
#include <stdint.h>
#include <string.h>
#include <mach/mach_traps.h>
#include <mach/mig_support.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>

static mach_port_t reply_port_cache;	/* MACH_PORT_NULL: none yet */
static mach_port_t task_self_cache;	/* mach_task_self adds a user reference per call */
static int reply_port_destroying;	/* guards against recursion, see below */

static mach_port_t task_self(void)
{
	if (task_self_cache == MACH_PORT_NULL)
		task_self_cache = mach_task_self();
	return task_self_cache;
}

void mig_init(void *first)
{
	(void)first;
	reply_port_cache = MACH_PORT_NULL;
}

/* The task's reply port, created on first use with mach_reply_port. */
mach_port_t mig_get_reply_port(void)
{
	if (reply_port_cache == MACH_PORT_NULL)
		reply_port_cache = mach_reply_port();
	return reply_port_cache;
}

/* A stub calls this when a reply did not arrive as it should: the port may hold a
   stray message or a half-finished exchange, so it is destroyed and a fresh one is
   made next time. */
void mig_dealloc_reply_port(mach_port_t reply_port)
{
	mach_port_t port = reply_port_cache;

	(void)reply_port;
	if (port == MACH_PORT_NULL || reply_port_destroying)
		return;
	reply_port_cache = MACH_PORT_NULL;
	/* The RPC below uses (and may itself fail on) a new reply port; the flag stops
	   a failing kernel from sending us round in circles. */
	reply_port_destroying = 1;
	mach_port_mod_refs(task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
	reply_port_destroying = 0;
}

/* The reply came back: keep the port for the next call. */
void mig_put_reply_port(mach_port_t reply_port)
{
	(void)reply_port;
}

void mig_allocate(vm_address_t *addr, vm_size_t size)
{
	if (vm_allocate(task_self(), addr, size, 1) != KERN_SUCCESS)
		*addr = 0;
}

void mig_deallocate(vm_address_t addr, vm_size_t size)
{
	if (addr != 0 && size != 0)
		vm_deallocate(task_self(), addr, size);
}

/*
 * Copies at most len bytes of src, stopping after its NUL; the result is always
 * NUL-terminated when len > 0. Returns the length of the copied string.
 */
vm_size_t mig_strncpy(char *dst, const char *src, vm_size_t len)
{
	vm_size_t i;

	if (len == 0)
		return 0;
	for (i = 0; i + 1 < len && src[i] != '\0'; i++)
		dst[i] = src[i];
	dst[i] = '\0';
	return i;
}
