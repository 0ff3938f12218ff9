/* The mach_msg trap (ipc/mach_msg.c). */
#ifndef _IPC_MACH_MSG_H_
#define _IPC_MACH_MSG_H_

#include <stdint.h>
#include <mach/message.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <kern/thread.h>

struct ipc_port;

mach_msg_return_t ipc_mach_msg(uint64_t msg, mach_msg_option_t option, mach_msg_size_t send_size,
				mach_msg_size_t rcv_size, mach_port_name_t rcv_name,
				mach_msg_timeout_t timeout, mach_port_name_t notify);
/* Where a receive that blocked on a port resumes (see ipc_receive_wait). */
__attribute__((noreturn)) void ipc_receive_continue(void);

/*
 * Makes self, the current thread, a receiver waiting on port (not in a set) or pset, without timeout,
 * with a continuation: when woken it finishes the receive into msg on a fresh stack
 * and returns to user mode. The caller switches away and never comes back; a sender
 * that finds this thread waiting may instead complete the receive itself (the fast
 * path): it clears cont, delivers into ith_msg, and drops the ith_port or ith_pset
 * reference.
 */
static inline void ipc_receive_wait(struct thread *self, struct ipc_port *port, struct ipc_pset *pset,
				    uint64_t msg, mach_msg_option_t option, mach_msg_size_t rcv_size,
				    mach_port_name_t notify_name)
{
	self->ith_msg = msg;
	self->ith_notify = notify_name;
	self->ith_port = port;
	self->ith_pset = pset;
	ipc_mqueue_prepare_receive(self, option, rcv_size);
	if (port) {
		ipc_port_reference(port);
		thread_wait_on(self, &port->receivers);
	} else {
		ipc_pset_reference(pset);
		thread_wait_on(self, &pset->receivers);
	}
	self->cont = ipc_receive_continue;
}

#endif
