/*
 * Unit tests of pipe buffers (personalities/common/pipe.c): data, end of file,
 * "would block", EPIPE, PIPE_BUF atomicity, the ring's wrap-around, poll bits and
 * the wake-ups a server waits on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "personalities/common/pipe.h"

static unsigned woken;		/* PIPE_WAKE_* bits seen since the last reset */
static int wakes;

static void on_wake(struct pipe *p, unsigned why, void *arg)
{
	(void)p;
	assert_ptr_equal(arg, &woken);
	woken |= why;
	wakes++;
}

static struct pipe *open_pipe(void)
{
	struct pipe *p = pipe_new();

	assert_non_null(p);
	pipe_open_end(p, PIPE_READ);
	pipe_open_end(p, PIPE_WRITE);
	pipe_set_wake(p, on_wake, &woken);
	woken = 0;
	wakes = 0;
	return p;
}

static void close_pipe(struct pipe *p)
{
	bool r = pipe_close_end(p, PIPE_READ);
	bool w = p->writers ? pipe_close_end(p, PIPE_WRITE) : r;

	assert_true(w);
	pipe_free(p);
}

static void test_data_eof_and_would_block(void **state)
{
	struct pipe *p = open_pipe();
	char buf[16];

	(void)state;
	assert_int_equal(pipe_read(p, buf, sizeof(buf)), -U_EAGAIN);	/* empty, writer open */
	assert_int_equal(pipe_write(p, "hello", 5), 5);
	assert_int_equal(woken, PIPE_WAKE_READERS);
	woken = 0;
	assert_int_equal(pipe_read(p, buf, 3), 3);
	assert_memory_equal(buf, "hel", 3);
	assert_int_equal(woken, PIPE_WAKE_WRITERS);
	assert_int_equal(pipe_read(p, buf, sizeof(buf)), 2);		/* short read: what is there */
	assert_memory_equal(buf, "lo", 2);
	assert_int_equal(pipe_read(p, buf, 0), 0);
	assert_int_equal(pipe_write(p, "", 0), 0);
	/* The last writer goes: readers are woken and see the rest, then end of file. */
	assert_int_equal(pipe_write(p, "bye", 3), 3);
	woken = 0;
	assert_false(pipe_close_end(p, PIPE_WRITE));
	assert_int_equal(woken, PIPE_WAKE_READERS);
	assert_int_equal(pipe_read(p, buf, sizeof(buf)), 3);
	assert_int_equal(pipe_read(p, buf, sizeof(buf)), 0);
	assert_int_equal(pipe_read(p, buf, sizeof(buf)), 0);
	close_pipe(p);
}

static void test_epipe(void **state)
{
	struct pipe *p = open_pipe();

	(void)state;
	assert_false(pipe_close_end(p, PIPE_READ));
	assert_int_equal(woken, PIPE_WAKE_WRITERS);	/* a blocked writer must learn of it */
	assert_int_equal(pipe_write(p, "x", 1), -U_EPIPE);
	assert_int_equal(pipe_poll(p, PIPE_WRITE), UPOLL_ERR);
	assert_true(pipe_close_end(p, PIPE_WRITE));
	pipe_free(p);
}

static void test_fill_and_atomicity(void **state)
{
	struct pipe *p = open_pipe();
	static char big[U_PIPE_SIZE + 100], back[U_PIPE_SIZE];
	long n;

	(void)state;
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i % 251);
	/* A big write takes what fits and says so. */
	n = pipe_write(p, big, sizeof(big));
	assert_int_equal(n, U_PIPE_SIZE);
	assert_int_equal(pipe_write(p, big, 1), -U_EAGAIN);
	assert_int_equal(pipe_poll(p, PIPE_WRITE), 0);
	assert_int_equal(pipe_poll(p, PIPE_READ), UPOLL_IN);
	/* Free 4095 bytes: a 4096-byte (PIPE_BUF) write must not go in partly. */
	assert_int_equal(pipe_read(p, back, U_PIPE_BUF - 1), U_PIPE_BUF - 1);
	assert_int_equal(pipe_write(p, big, U_PIPE_BUF), -U_EAGAIN);
	assert_int_equal(pipe_write(p, big, 10), 10);
	/* A bigger-than-PIPE_BUF write may go in partly. */
	assert_int_equal(pipe_write(p, big, U_PIPE_BUF + 1), U_PIPE_BUF - 1 - 10);
	assert_int_equal(p->len, U_PIPE_SIZE);
	close_pipe(p);
}

/* Many writes and reads of odd sizes wrap the ring; bytes come out in order. */
static void test_ring_order(void **state)
{
	struct pipe *p = open_pipe();
	static unsigned char out[5000], in[5000];
	unsigned wseq = 0, rseq = 0, seed = 7;

	(void)state;
	for (int round = 0; round < 5000; round++) {
		seed = seed * 1103515245 + 12345;
		size_t n = (seed >> 8) % sizeof(out);
		long r;

		if ((seed >> 20) & 1) {
			for (size_t i = 0; i < n; i++)
				out[i] = (unsigned char)(wseq + i);
			r = pipe_write(p, out, n);
			if (r == -U_EAGAIN)
				continue;
			assert_true(r >= 0 && (size_t)r <= n);
			assert_true(n > U_PIPE_BUF || (size_t)r == n);
			wseq += (unsigned)r;
		} else {
			r = pipe_read(p, in, n);
			if (r == -U_EAGAIN || n == 0)
				continue;
			assert_true(r > 0);
			for (long i = 0; i < r; i++)
				assert_int_equal(in[i], (unsigned char)(rseq + i));
			rseq += (unsigned)r;
		}
		assert_int_equal(p->len, wseq - rseq);
	}
	assert_true(wseq > 10 * U_PIPE_SIZE);	/* the ring wrapped many times */
	close_pipe(p);
}

static void test_poll(void **state)
{
	struct pipe *p = open_pipe();
	char c;

	(void)state;
	assert_int_equal(pipe_poll(p, PIPE_READ), 0);
	assert_int_equal(pipe_poll(p, PIPE_WRITE), UPOLL_OUT);
	assert_int_equal(pipe_write(p, "x", 1), 1);
	assert_int_equal(pipe_poll(p, PIPE_READ), UPOLL_IN);
	pipe_close_end(p, PIPE_WRITE);
	assert_int_equal(pipe_poll(p, PIPE_READ), UPOLL_IN | UPOLL_HUP);
	assert_int_equal(pipe_read(p, &c, 1), 1);
	assert_int_equal(pipe_poll(p, PIPE_READ), UPOLL_HUP);
	close_pipe(p);
}

/* Without a wake callback nothing is called; ends may be opened more than once (fork). */
static void test_counts_without_callback(void **state)
{
	struct pipe *p = pipe_new();
	char c;

	(void)state;
	pipe_open_end(p, PIPE_READ);
	pipe_open_end(p, PIPE_WRITE);
	pipe_open_end(p, PIPE_WRITE);
	assert_int_equal(pipe_write(p, "a", 1), 1);
	assert_false(pipe_close_end(p, PIPE_WRITE));
	assert_int_equal(pipe_read(p, &c, 1), 1);
	assert_int_equal(pipe_read(p, &c, 1), -U_EAGAIN);	/* one writer is left */
	assert_false(pipe_close_end(p, PIPE_WRITE));
	assert_int_equal(pipe_read(p, &c, 1), 0);
	assert_true(pipe_close_end(p, PIPE_READ));
	pipe_free(p);
}

/* Bytes a reader could not deliver go back in front, in order, even across the ring's end. */
static void test_unread(void **state)
{
	struct pipe *p = open_pipe();
	static unsigned char big[U_PIPE_SIZE];
	char got[8];

	(void)state;
	/* Move the head near the end of the ring first. */
	assert_int_equal(pipe_write(p, big, U_PIPE_SIZE - 3), U_PIPE_SIZE - 3);
	assert_int_equal(pipe_read(p, big, U_PIPE_SIZE - 3), U_PIPE_SIZE - 3);
	assert_int_equal(pipe_write(p, "abcdef", 6), 6);
	assert_int_equal(pipe_read(p, got, 4), 4);
	assert_memory_equal(got, "abcd", 4);
	woken = 0;
	assert_int_equal(pipe_unread(p, got, 4), 4);
	assert_true(woken & PIPE_WAKE_READERS);
	assert_int_equal(pipe_read(p, got, 8), 6);
	assert_memory_equal(got, "abcdef", 6);
	/* Never more than the room left. */
	assert_int_equal(pipe_write(p, big, U_PIPE_SIZE - 2), U_PIPE_SIZE - 2);
	assert_int_equal(pipe_unread(p, "xyz", 3), 2);
	close_pipe(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_data_eof_and_would_block),
		cmocka_unit_test(test_epipe),
		cmocka_unit_test(test_fill_and_atomicity),
		cmocka_unit_test(test_ring_order),
		cmocka_unit_test(test_poll),
		cmocka_unit_test(test_unread),
		cmocka_unit_test(test_counts_without_callback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
