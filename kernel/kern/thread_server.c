/* The thread routines of the mach subsystem the kernel serves so far. */
#include <mach/kern_return.h>
#include <ipc/ipc_kobject.h>
#include <kern/thread.h>

/*
 * Breaks the thread out of a blocking wait in the kernel (a receive gets
 * MACH_RCV_INTERRUPTED, a send MACH_SEND_INTERRUPTED). A running thread is unaffected.
 */
kern_return_t thread_abort(mach_port_t target_thread)
{
	struct thread *th = ipc_kobject_lookup(target_thread, IKOT_THREAD);

	if (!th)
		return KERN_INVALID_ARGUMENT;
	if (th->state == TH_WAIT)
		thread_wakeup_with(th, THREAD_INTERRUPTED);
	return KERN_SUCCESS;
}
