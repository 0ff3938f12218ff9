/* The mach_msg trap (ipc/mach_msg.c). */
#ifndef _IPC_MACH_MSG_H_
#define _IPC_MACH_MSG_H_

#include <stdint.h>
#include <mach/message.h>

struct ipc_port;

mach_msg_return_t ipc_mach_msg(uint64_t msg, mach_msg_option_t option, mach_msg_size_t send_size,
				mach_msg_size_t rcv_size, mach_port_name_t rcv_name,
				mach_msg_timeout_t timeout, mach_port_name_t notify);
/*
 * Makes the current thread a receiver waiting on port (not in a set, no timeout)
 * with a continuation: when woken it finishes the receive into msg on a fresh stack
 * and returns to user mode. The caller switches away and never comes back; a sender
 * that finds this thread waiting may instead complete the receive itself (the fast
 * path): it clears cont, delivers into ith_msg, and drops the ith_port reference.
 */
void ipc_receive_wait(struct ipc_port *port, uint64_t msg, mach_msg_option_t option,
		      mach_msg_size_t rcv_size, mach_port_name_t notify_name);

#endif
