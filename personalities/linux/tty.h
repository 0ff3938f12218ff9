/*
 * The terminal's private state, shared by tty.c (descriptions, reads, writes, ioctls,
 * job control) and tty_dev.c (the serial device: read and write requests in flight).
 */
#ifndef _LX_TTY_H_
#define _LX_TTY_H_

#include "lx.h"
#include "tty_ldisc.h"

#define TTY_OUT_SIZE	4096	/* queued output; a writer waits when it is full */
#define TTY_IO_CHUNK	128	/* bytes per inband device request (io_buf_ptr_inband_t) */
#define TTY_WRITES_MAX	4	/* write requests in flight at once */

struct lx_tty {
	struct ldisc ld;

	/* Job control: the session the terminal controls and its foreground group
	   (0: none). */
	int sid;
	int pgrp;
	struct linux_winsize ws;

	/* The device. */
	mach_port_t master;		/* the device master and the name, to open it again */
	char name[32];
	uint64_t retry_ns;		/* no new open before this (lx_now_ns) */
	mach_port_t dev;		/* send right to the serial device, or NULL */
	mach_port_t reply;		/* receive right, in lx_portset: the device's replies */
	bool reading;			/* a read request is outstanding */
	bool dead;			/* the device failed: no more requests */
	uint64_t rx_ns;			/* when the last input came (VTIME) */

	/* Output: bytes [out_head, out_head + out_len) of the ring; the first `inflight`
	   of them are in write requests not answered yet. */
	unsigned char out[TTY_OUT_SIZE];
	size_t out_head, out_len, inflight;
	size_t writes[TTY_WRITES_MAX];	/* each request's size, oldest first */
	int nwrites;
	bool out_held;			/* TCXONC TCOOFF */
};

/* tty_dev.c */
#define TTY_RETRY_NS	250000000ull	/* a dead line is opened again at most this often */
/* Opens name on the device master; 0 or -LINUX_Exxx. */
int tty_dev_open(struct lx_tty *tty, mach_port_t device_master, const char *name);
/* A dead line (its server died; bootstrap restarts it): opens the device again, at most
   every TTY_RETRY_NS. True when the line works. */
bool tty_dev_retry(struct lx_tty *tty);
/* Sends write requests for queued output while there is room in flight, and keeps a
   read request outstanding. */
void tty_dev_kick(struct lx_tty *tty);
/* Drops queued output not yet sent (TCOFLUSH, ISIG). */
void tty_out_flush(struct lx_tty *tty);
size_t tty_out_room(const struct lx_tty *tty);
/* Appends up to n bytes to the output ring; returns how many went in. */
size_t tty_out_put(struct lx_tty *tty, const void *buf, size_t n);
/* A device reply for tty: true if it was one. */
bool tty_dev_message(struct lx_tty *tty, mach_msg_header_t *msg);

/* tty.c */
void tty_setup(struct lx_tty *tty);
/* Input arrived (the line discipline takes it). */
void tty_input(struct lx_tty *tty, const void *buf, size_t n);
/* What a blocked call returns when a signal comes: -EINTR (delivery may restart it). */
long tty_interrupted(struct lx_thread *t);

/* tty_ioctl.c: sessions and job control */
/* A process whose ctty is tty while the terminal has no session yet (init was given
   it, lx_tty_console): the terminal takes the process's session and group. */
void tty_adopt(struct lx_tty *tty, struct lx_proc *p);
/* Open without O_NOCTTY: a session leader without a ctty gets tty if it is free. */
void tty_try_acquire(struct lx_tty *tty, struct lx_proc *p);
/* Job control for t touching tty outside its foreground group: 0 to go on, or the
   call's result (-EIO, or after sending sig to t's group, an interruption). */
long tty_job_control(struct lx_thread *t, struct lx_tty *tty, int sig);

#endif /* _LX_TTY_H_ */
