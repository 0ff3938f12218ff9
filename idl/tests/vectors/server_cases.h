/* What each s_<interface>.c provides to the server-side checker. */
#ifndef SERVER_CASES_H
#define SERVER_CASES_H

#include <mach/message.h>
#include "vecfile.h"

/* The interface's demux, <subsystem>_server. */
extern boolean_t server_demux(mach_msg_header_t *in, mach_msg_header_t *out);
/* Each server function calls this once. */
void hserved(void);
/* For a REFERENCE BUG vector, rewrite the delivered request in the
   correct layout (the interface file knows it); others may leave it. */
void server_reference_request(const struct vcase *c, unsigned char *msg);

#endif
