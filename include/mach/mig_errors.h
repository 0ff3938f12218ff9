/* Return codes of generated stubs and the reply header they share
   (abi/README.md section 5). */
#ifndef _MACH_MIG_ERRORS_H_
#define _MACH_MIG_ERRORS_H_

#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/message.h>

#define MIG_TYPE_ERROR		-300	/* reply has the wrong type */
#define MIG_REPLY_MISMATCH	-301	/* reply id is not request id + 100 */
#define MIG_REMOTE_ERROR	-302	/* the server found an error */
#define MIG_BAD_ID		-303	/* the server does not serve this id */
#define MIG_BAD_ARGUMENTS	-304	/* the server found a malformed request */
#define MIG_NO_REPLY		-305	/* the server sends no reply */
#define MIG_EXCEPTION		-306	/* the server raised an exception */
#define MIG_ARRAY_TOO_LARGE	-307	/* an array does not fit the buffer */
#define MIG_SERVER_DIED		-308	/* the reply was a send-once notification */
#define MIG_DESTROY_REQUEST	-309	/* the server wants the request destroyed */

/* Every reply starts with these 48 bytes: the RetCode item and padding. */
typedef struct {
	mach_msg_header_t Head;
	mach_msg_type_t RetCodeType;
	kern_return_t RetCode;
	uint32_t RetCodePad;
} mig_reply_header_t;

_Static_assert(sizeof(mig_reply_header_t) == 48, "reply header is 48 bytes");

/* A handler produced by a server stub, as <subsystem>_server_routine returns it. */
typedef void (*mig_routine_t)(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP);

/* A demux function: <subsystem>_server. */
typedef boolean_t (*mig_demux_t)(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP);

#endif
