/*
 * The bootstrap server's shared state: the manifest's entries as running servers, and
 * the ports everything arrives on. One thread does all of it, so nothing is locked.
 */
#ifndef _BOOTSTRAP_BS_H
#define _BOOTSTRAP_BS_H

#include <stdbool.h>
#include <stdint.h>
#include <mach/port.h>
#include <mach/message.h>
#include <mach/kern_return.h>
#include "manifest.h"

/* Explicit grants plus what pci lines add (six BARs and a line each, at most). */
#define BS_MAX_CAPS	(MF_MAX_GRANTS * 4)

enum entry_state {
	ES_PENDING,	/* not started yet */
	ES_STARTING,	/* running, no bootstrap_ready yet */
	ES_READY,	/* running and said so */
	ES_RESTARTING,	/* died; starts again at restart_at */
	ES_EXITED,	/* died with `restart no` */
	ES_FAILED,	/* could not be started; not tried again */
};

/* One capability bootstrap_capability hands out: kind, what it names, its port. */
struct cap {
	int kind;		/* BOOTSTRAP_CAP_* */
	uint64_t base, size;	/* as bootstrap_capability reports them */
	mach_port_t port;	/* our send right; MACH_PORT_NULL until made */
};

struct entry {
	const struct mf_entry *mf;
	enum entry_state state;
	mach_port_t task;	/* send right to its task port while it runs */
	mach_port_t port;	/* receive right: its bootstrap port, in the port set */
	const void *image;	/* its module, or NULL when there is none */
	size_t image_size;
	bool caps_resolved;	/* grants turned into caps[] (pci lines looked up) */
	int ncaps;
	struct cap caps[BS_MAX_CAPS];
	uint64_t started_ms, restart_at_ms;
	uint32_t backoff_ms;	/* the next restart's delay */
};

extern struct entry bs_entries[MF_MAX_ENTRIES];
extern int bs_nentries;
extern mach_port_t bs_self, bs_device_master, bs_port_set, bs_notify, bs_client_master;

/* main.c */
uint64_t bs_now_ms(void);
/* Prints "bootstrap: NAME: TEXT". */
void bs_status(const struct entry *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
struct entry *bs_entry_of_port(mach_port_t port);
struct entry *bs_entry_named(const char *name);
/* The GRUB module whose first word is name (bootstrap keeps them all): false if none. */
bool bs_module_find(const char *name, vm_offset_t *image, mach_msg_type_number_t *size);
static inline int bs_entry_index(const struct entry *e)
{
	return (int)(e - bs_entries);
}

/* names.c: the name service and the device registry. Owner -1 is bootstrap itself. */
void names_init(void);
kern_return_t names_find(const char *name, mach_port_t *port);
kern_return_t names_find_device(const char *name, mach_port_t *master);
void names_drop_owner(int owner);
/* A dead-name notification for `name`: drops the registrations that used it. */
void names_port_died(mach_port_t name);
/* Asks for a dead-name notification on `name` at bs_notify, unless one is pending. */
void bs_watch(mach_port_t name);

/* caps.c */
/* Makes e's capabilities for a start (first time: from its grants). NULL or why not. */
const char *caps_prepare(struct entry *e);
/* Its interrupt and DMA capabilities go with the server that had them. */
void caps_release_fresh(struct entry *e);

/* devmaster.c: the request being handled, which device_open forwards as it is. */
extern mach_msg_header_t *bs_request;

/* The generated demuxes (build/bootstrap). */
boolean_t bootstrap_server(mach_msg_header_t *in, mach_msg_header_t *out);
boolean_t device_server(mach_msg_header_t *in, mach_msg_header_t *out);

#endif
