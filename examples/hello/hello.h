/* The hello device's status flavor, shared by the server and its clients. */
#ifndef _HELLO_H
#define _HELLO_H

/* get: { opens now, closes so far, bytes waiting, upper-case }; set: { upper-case }. */
#define HELLO_STATUS		1
#define HELLO_STATUS_COUNT	4
#define HELLO_GREETING		"Hello, world!\n"
#define HELLO_BUF_MAX		64	/* bytes a write may leave for the next read */
/* Where devhello.scn puts the device master port (devhello 0x4e11; no bootstrap there). */
#define HELLO_MASTER_PORT	0x4e11

#endif
