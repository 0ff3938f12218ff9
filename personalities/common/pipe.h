/*
 * Pipes: a U_PIPE_SIZE ring buffer with counts of open read and write ends. The core
 * never blocks: an operation that would wait returns -U_EAGAIN, and the server, which
 * parks the request, learns when to retry from the wake callback it registered.
 */
#ifndef _PIPE_H
#define _PIPE_H

#include "ucore.h"

enum pipe_end { PIPE_READ, PIPE_WRITE };

/* Wake reasons, ORed: readers may proceed (data or end of file), writers may
   proceed (space, or no readers left: EPIPE). */
#define PIPE_WAKE_READERS	0x1u
#define PIPE_WAKE_WRITERS	0x2u

struct pipe {
	unsigned char *buf;	/* allocated at the first write */
	size_t head;		/* index of the oldest byte */
	size_t len;		/* bytes held */
	unsigned readers;	/* open read ends */
	unsigned writers;	/* open write ends */
	void (*wake)(struct pipe *p, unsigned why, void *arg);
	void *wake_arg;
};

/* A pipe with no ends open yet (pipe_open_end for each), or NULL. */
struct pipe *pipe_new(void);
void pipe_open_end(struct pipe *p, enum pipe_end end);
/* Closes one end; true when no end is left open (the caller then pipe_free()s it). */
bool pipe_close_end(struct pipe *p, enum pipe_end end);
void pipe_free(struct pipe *p);
void pipe_set_wake(struct pipe *p, void (*wake)(struct pipe *, unsigned, void *), void *arg);

/* Bytes read; 0 at end of file (empty, no writers); -U_EAGAIN if empty with writers. */
long pipe_read(struct pipe *p, void *buf, size_t n);
/*
 * Bytes written; -U_EPIPE with no readers (the personality also raises its SIGPIPE);
 * -U_EAGAIN when nothing fits. Up to U_PIPE_BUF bytes go in whole or not at all;
 * a bigger write takes what fits, and a blocking writer retries with the rest.
 */
long pipe_write(struct pipe *p, const void *buf, size_t n);
/* Puts bytes a read took back in front of the oldest (the reader could not keep them:
   its buffer was bad). Returns the bytes put back (all, unless writers filled it). */
long pipe_unread(struct pipe *p, const void *buf, size_t n);
/* UPOLL_* readiness seen from one end. */
unsigned pipe_poll(const struct pipe *p, enum pipe_end end);

#endif
