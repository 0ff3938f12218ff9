/* Reader for mig-vector files (../../../shared/mig-vectors/README.md):
   cases, their four messages with don't-care masks, and out-of-line data. */
#ifndef VECFILE_H
#define VECFILE_H

#include <stdbool.h>
#include <stdint.h>

enum { MSG_REQUEST, MSG_REQUEST_DELIVERED, MSG_REPLY, MSG_REPLY_DELIVERED, MSG_KINDS };

/* One byte of a dump: its value, or a don't-care mark. */
enum { B_EXACT = 0, B_DONTCARE = '.', B_REPLYPORT = 'R', B_POINTER = 'P' };

struct vool {
	int item;
	unsigned offset;	/* of the pointer in the message */
	unsigned size;
	int dealloc;
	bool null;		/* the pointer is NULL */
	unsigned char *data;
};

struct vmsg {
	bool present;
	unsigned size;
	unsigned char *val;
	char *mark;
	struct vool ool[8];
	int nool;
	bool has_mach_msg;
	uint32_t option, send_size, rcv_size, timeout, notify, rcv_name;
};

struct vcase {
	char *name, *call, *server_function, *user_out, *events;
	bool has_user_return;
	uint32_t user_return;
	struct vmsg msg[MSG_KINDS];
};

struct vfile {
	char *path, *interface, *routine, *negative;
	bool reference_bug;	/* a `quirk: REFERENCE BUG` the bytes must not follow */
	int ncases;
	struct vcase cases[16];
};

/* Returns 0, or -1 with a message on stderr. */
int vec_load(const char *path, struct vfile *vf);

#endif
