/*
 * The device-server library: a driver fills in a table of callbacks and calls
 * device_server_main, which registers its devices with bootstrap and serves Mach's
 * device.defs for it (docs/writing-a-device-server.md).
 */
#ifndef _DEVICE_SERVER_H
#define _DEVICE_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <mach/port.h>
#include <mach/message.h>
#include <device/device_types.h>

/* A read or write the driver finishes later with device_io_done. */
struct device_io;

/* What read and write return to answer later, through device_io_done. */
#define DEVICE_PENDING	(-1)

/*
 * Every callback runs in the server's one thread, one request or interrupt at a time.
 * `cookie` is what open stored for this open; the library passes it back and never
 * looks at it. Return D_SUCCESS or a D_* code, which goes to the client as the reply's
 * return code. A NULL callback answers D_INVALID_OPERATION (close: nothing to do).
 */
struct device_ops {
	const char *const *names;	/* the names device_open accepts; NULL-terminated */
	int (*open)(const char *name, dev_mode_t mode, void **cookie);
	/* By device_close, or when the client's last right dies. Pending I/O stays valid. */
	void (*close)(void *cookie);
	/*
	 * In: *count bytes wanted (at most the buffer); out: bytes given, 0 at end of data.
	 * May return DEVICE_PENDING: `buf` (room for the *count asked) and `io` stay valid
	 * until device_io_done.
	 */
	int (*read)(void *cookie, struct device_io *io, recnum_t recnum, char *buf,
		    size_t *count);
	/* May return DEVICE_PENDING: `buf` stays valid until device_io_done. */
	int (*write)(void *cookie, struct device_io *io, recnum_t recnum, const char *buf,
		     size_t count, size_t *written);
	/* In: *count words of room (DEV_STATUS_MAX); out: words given. */
	int (*get_status)(void *cookie, dev_flavor_t flavor, int *status, size_t *count);
	int (*set_status)(void *cookie, dev_flavor_t flavor, const int *status, size_t count);
	/* Interrupt line `line` (attached by device_irq_attach) fired; acked on return. */
	void (*interrupt)(int line);
};

/* The most opens at once; device_open answers D_NO_MEMORY past it. */
#define DEVICE_MAX_OPENS	64
/* The most bytes one out-of-line device_read returns. */
#define DEVICE_READ_MAX		65536

/*
 * Finishes a read or write that returned DEVICE_PENDING: replies `rc` and `count` bytes
 * (of the read's buffer, or written). When the client has gone, only frees `io`.
 */
void device_io_done(struct device_io *io, int rc, size_t count);
/*
 * The mode word of the read or write request (D_NOWAIT: the client will not wait, a read
 * with no data should answer D_WOULD_BLOCK). Valid while `io` is.
 */
dev_mode_t device_io_mode(const struct device_io *io);

/*
 * Capabilities the manifest granted this server, fetched from bootstrap by kind and index
 * in manifest order (bootstrap/bootstrap.h). Each returns bootstrap's or the kernel's
 * error when the grant is missing or refused.
 */
/* Enables I/O-port range `index` for this task: `in`/`out` on [*first, *first + *count). */
kern_return_t device_io_enable(int index, uint64_t *first, uint64_t *count);
/* Routes interrupt line `index` to this server: ops->interrupt(*line) on each interrupt. */
kern_return_t device_irq_attach(int index, int *line);
/* Maps device-memory range `index` (uncached) anywhere in this task. */
kern_return_t device_mem_map(int index, volatile void **addr, uint64_t *paddr, uint64_t *size);
/* Physically contiguous, wired, zeroed memory for DMA, under the manifest's `dma` limit. */
kern_return_t device_dma_alloc(size_t size, void **vaddr, uint64_t *paddr);
/* A send right to a port registered with bootstrap (the manifest must grant `port NAME`). */
kern_return_t device_lookup(const char *name, mach_port_t *port);

/*
 * Registers every name in ops->names with bootstrap, reports `status` (bootstrap prints
 * "bootstrap: ENTRY: STATUS") and serves forever. Returns only if the server cannot go
 * on, with that error.
 */
kern_return_t device_server_main(const struct device_ops *ops, const char *status);

/*
 * The loop alone, on a device master port the caller made (device_server_main uses it):
 * serves `ops` forever. Returns only if the server cannot go on, with that error.
 */
kern_return_t device_server_run(const struct device_ops *ops, mach_port_t master);

#endif
