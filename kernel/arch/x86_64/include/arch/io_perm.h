/* I/O-port permissions: io_perm objects and each task's I/O bitmap (io_perm.c). */
#ifndef _ARCH_IO_PERM_H_
#define _ARCH_IO_PERM_H_

#include <stddef.h>
#include <stdint.h>

struct io_perm;
struct ipc_port;
struct task;

extern uint64_t io_perm_live;		/* io_perm objects alive */
extern struct io_perm *io_perm_dead;	/* waiting for io_perm_reap */

/* The task is going: its bitmap goes too. */
void io_perm_task_free(struct task *t);
/* The first bytes of the task's bitmap (all ones without one): thread-state flavor 3. */
void io_perm_isa_map(const struct task *t, uint8_t *out, size_t bytes);
/* ipc_port_release_send: an IKOT_IO_PERM port lost its last send right. */
void io_perm_no_senders(struct ipc_port *port);
/* Destroys the objects io_perm_no_senders left; at the return to user mode. */
void io_perm_reap(void);

#endif
