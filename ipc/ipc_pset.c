/* Port sets (see ipc/ipc_pset.h). */
#include <mach/message.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <kern/zalloc.h>

static struct zone pset_zone;
static int pset_zone_ready;
uint64_t ipc_psets_live;

struct ipc_pset *ipc_pset_alloc(void)
{
	struct ipc_pset *pset;

	if (!pset_zone_ready) {
		zone_init(&pset_zone, "ipc.pset", sizeof(struct ipc_pset));
		pset_zone_ready = 1;
	}
	pset = zalloc(&pset_zone);
	if (!pset)
		return NULL;
	pset->refs = 1;
	pset->active = true;
	pset->msgcount = 0;
	list_init(&pset->ports);
	waitq_init(&pset->receivers);
	ipc_psets_live++;
	return pset;
}

void ipc_pset_destroy(struct ipc_pset *pset)
{
	while (!list_empty(&pset->ports))
		ipc_pset_remove(list_entry(pset->ports.next, struct ipc_port, pset_link));
	pset->active = false;
	while (!list_empty(&pset->receivers.threads)) {
		struct thread *th = list_entry(pset->receivers.threads.next, struct thread, run_link);
		th->ith_state = MACH_RCV_PORT_DIED;
		thread_wakeup(th);
	}
	ipc_pset_release(pset);
}

void ipc_pset_reference(struct ipc_pset *pset)
{
	pset->refs++;
}

void ipc_pset_release(struct ipc_pset *pset)
{
	if (--pset->refs)
		return;
	zfree(&pset_zone, pset);
	ipc_psets_live--;
}

/*
 * Threads receiving directly on a port that joins a set see MACH_RCV_PORT_CHANGED;
 * messages already queued are now received through the set, so its receivers wake.
 */
void ipc_pset_add(struct ipc_pset *pset, struct ipc_port *port)
{
	if (port->pset)
		ipc_pset_remove(port);
	port->pset = pset;
	pset->msgcount += port->msgcount;
	list_push_back(&pset->ports, &port->pset_link);
	ipc_mqueue_changed(port);
	if (port->msgcount)
		waitq_wakeup_all(&pset->receivers);
}

void ipc_pset_remove(struct ipc_port *port)
{
	list_remove(&port->pset_link);
	port->pset->msgcount -= port->msgcount;
	port->pset = NULL;
}

struct ipc_port *ipc_pset_ready_port(struct ipc_pset *pset)
{
	struct list *n;

	list_for_each(n, &pset->ports) {
		struct ipc_port *port = list_entry(n, struct ipc_port, pset_link);
		if (port->msgcount) {
			/* Round-robin: the next search starts after this port. */
			list_remove(&port->pset_link);
			list_push_back(&pset->ports, &port->pset_link);
			return port;
		}
	}
	return NULL;
}
