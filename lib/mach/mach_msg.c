/*
 * mach_msg: the library wrapper around mach_msg_trap (ABI section 4). The kernel
 * ignores MACH_SEND_INTERRUPT and MACH_RCV_INTERRUPT; they tell this wrapper not to
 * retry an interrupted send or receive.
 */
#include <mach/message.h>

mach_msg_return_t mach_msg(mach_msg_header_t *msg, mach_msg_option_t option,
			   mach_msg_size_t send_size, mach_msg_size_t rcv_size,
			   mach_port_t rcv_name, mach_msg_timeout_t timeout,
			   mach_port_t notify)
{
	mach_msg_return_t mr;

	mr = mach_msg_trap(msg, option, send_size, rcv_size, rcv_name, timeout, notify);
	if (mr == MACH_MSG_SUCCESS)
		return mr;

	/*
	 * An interrupted send has not happened (the kernel returned the message and its
	 * rights to the buffer), so the whole call is repeated.
	 */
	if (!(option & MACH_SEND_INTERRUPT))
		while (mr == MACH_SEND_INTERRUPTED)
			mr = mach_msg_trap(msg, option, send_size, rcv_size, rcv_name,
					   timeout, notify);

	/* An interrupted receive comes after a completed send: only receive again. */
	if (!(option & MACH_RCV_INTERRUPT))
		while (mr == MACH_RCV_INTERRUPTED)
			mr = mach_msg_trap(msg, option & ~MACH_SEND_MSG, 0, rcv_size,
					   rcv_name, timeout, notify);
	return mr;
}
