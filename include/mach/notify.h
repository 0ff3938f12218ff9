/* Notification message ids and layouts (abi/README.md section 7). */
#ifndef _MACH_NOTIFY_H_
#define _MACH_NOTIFY_H_

#include <mach/port.h>
#include <mach/message.h>

#define MACH_NOTIFY_FIRST		0100
#define MACH_NOTIFY_PORT_DELETED	(MACH_NOTIFY_FIRST + 001)
#define MACH_NOTIFY_MSG_ACCEPTED	(MACH_NOTIFY_FIRST + 002)
#define MACH_NOTIFY_PORT_DESTROYED	(MACH_NOTIFY_FIRST + 005)
#define MACH_NOTIFY_NO_SENDERS		(MACH_NOTIFY_FIRST + 006)
#define MACH_NOTIFY_SEND_ONCE		(MACH_NOTIFY_FIRST + 007)
#define MACH_NOTIFY_DEAD_NAME		(MACH_NOTIFY_FIRST + 010)
#define MACH_NOTIFY_LAST		(MACH_NOTIFY_FIRST + 015)

typedef struct {
	mach_msg_header_t not_header;
	mach_msg_type_t not_type;	/* PORT_NAME, 32 bits */
	mach_port_name_t not_port;
	uint32_t not_pad;
} mach_port_deleted_notification_t, mach_msg_accepted_notification_t,
  mach_dead_name_notification_t;

typedef struct {
	mach_msg_header_t not_header;
	mach_msg_type_t not_type;	/* PORT_RECEIVE, 64 bits */
	mach_port_name_inlined_t not_port;
} mach_port_destroyed_notification_t;

typedef struct {
	mach_msg_header_t not_header;
	mach_msg_type_t not_type;	/* INTEGER_32 */
	unsigned int not_count;
	uint32_t not_pad;
} mach_no_senders_notification_t;

typedef struct {
	mach_msg_header_t not_header;
} mach_send_once_notification_t;

_Static_assert(sizeof(mach_port_destroyed_notification_t) == 48, "48-byte notification");
_Static_assert(sizeof(mach_no_senders_notification_t) == 48, "48-byte notification");

#endif
