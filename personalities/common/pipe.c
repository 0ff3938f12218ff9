/* Pipe buffers: a ring of U_PIPE_SIZE bytes, reader and writer counts, wake-ups. */
#include <stdlib.h>
#include <string.h>
#include "pipe.h"

struct pipe *pipe_new(void)
{
	return calloc(1, sizeof(struct pipe));
}

void pipe_set_wake(struct pipe *p, void (*wake)(struct pipe *, unsigned, void *), void *arg)
{
	p->wake = wake;
	p->wake_arg = arg;
}

static void wake(struct pipe *p, unsigned why)
{
	if (p->wake)
		p->wake(p, why, p->wake_arg);
}

void pipe_open_end(struct pipe *p, enum pipe_end end)
{
	if (end == PIPE_READ)
		p->readers++;
	else
		p->writers++;
}

bool pipe_close_end(struct pipe *p, enum pipe_end end)
{
	if (end == PIPE_READ) {
		if (p->readers && --p->readers == 0)
			wake(p, PIPE_WAKE_WRITERS);	/* writers now get EPIPE */
	} else {
		if (p->writers && --p->writers == 0)
			wake(p, PIPE_WAKE_READERS);	/* readers now see end of file */
	}
	return p->readers == 0 && p->writers == 0;
}

void pipe_free(struct pipe *p)
{
	if (!p)
		return;
	free(p->buf);
	free(p);
}

long pipe_read(struct pipe *p, void *buf, size_t n)
{
	unsigned char *out = buf;
	size_t done = 0;

	if (n == 0)
		return 0;
	if (p->len == 0)
		return p->writers ? -U_EAGAIN : 0;
	if (n > p->len)
		n = p->len;
	while (done < n) {
		size_t chunk = U_PIPE_SIZE - p->head;

		if (chunk > n - done)
			chunk = n - done;
		memcpy(out + done, p->buf + p->head, chunk);
		p->head = (p->head + chunk) % U_PIPE_SIZE;
		p->len -= chunk;
		done += chunk;
	}
	if (p->len == 0)
		p->head = 0;
	wake(p, PIPE_WAKE_WRITERS);
	return (long)done;
}

long pipe_unread(struct pipe *p, const void *buf, size_t n)
{
	const unsigned char *in = buf;

	if (n > U_PIPE_SIZE - p->len)
		n = U_PIPE_SIZE - p->len;
	if (n && !p->buf)
		return 0;
	/* From the last byte back, each goes just before the oldest. */
	for (size_t i = n; i > 0; i--) {
		p->head = (p->head + U_PIPE_SIZE - 1) % U_PIPE_SIZE;
		p->buf[p->head] = in[i - 1];
		p->len++;
	}
	if (n)
		wake(p, PIPE_WAKE_READERS);
	return (long)n;
}

long pipe_write(struct pipe *p, const void *buf, size_t n)
{
	const unsigned char *in = buf;
	size_t space, done = 0;

	if (n == 0)
		return 0;
	if (p->readers == 0)
		return -U_EPIPE;
	if (!p->buf && !(p->buf = malloc(U_PIPE_SIZE)))
		return -U_ENOMEM;
	space = U_PIPE_SIZE - p->len;
	if (space == 0 || (n <= U_PIPE_BUF && space < n))
		return -U_EAGAIN;
	if (n > space)
		n = space;
	while (done < n) {
		size_t tail = (p->head + p->len) % U_PIPE_SIZE;
		size_t chunk = U_PIPE_SIZE - tail;

		if (chunk > n - done)
			chunk = n - done;
		memcpy(p->buf + tail, in + done, chunk);
		p->len += chunk;
		done += chunk;
	}
	wake(p, PIPE_WAKE_READERS);
	return (long)done;
}

unsigned pipe_poll(const struct pipe *p, enum pipe_end end)
{
	unsigned r = 0;

	if (end == PIPE_READ) {
		if (p->len)
			r |= UPOLL_IN;
		if (!p->writers)
			r |= UPOLL_HUP;
	} else {
		if (!p->readers)
			r |= UPOLL_ERR;
		else if (U_PIPE_SIZE - p->len >= U_PIPE_BUF)
			r |= UPOLL_OUT;
	}
	return r;
}
