/*
 * The boot manifest (docs/boot-manifest.md): which servers bootstrap starts, in order,
 * and exactly what each may have. Pure parsing, no Mach calls, so the host unit tests
 * (tests/unit/test_manifest.c) run it as it runs in bootstrap.
 */
#ifndef _BOOTSTRAP_MANIFEST_H
#define _BOOTSTRAP_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MF_NAME_MAX	64	/* entry, module, port and task names, with the NUL */
#define MF_ARG_MAX	128	/* one argument, with the NUL */
#define MF_MAX_ENTRIES	32
#define MF_MAX_ARGS	16	/* argv[1..] */
#define MF_MAX_GRANTS	16	/* io, irq, mem, dma and pci lines of one entry together */
#define MF_MAX_NAMES	16	/* port and task lines of one entry together */
#define MF_MAX_MODULES	8	/* module lines of one entry */

/* A grant line's kind: the first four are bootstrap.h's BOOTSTRAP_CAP_* values. */
enum mf_kind {
	MF_IO = 1,	/* a = first port, b = last port */
	MF_IRQ = 2,	/* a = line */
	MF_MEM = 3,	/* a = physical address, b = size (both page-aligned) */
	MF_DMA = 4,	/* a = byte limit */
	MF_PCI = 5,	/* a = vendor << 16 | device, b = which match (0 = the first) */
};

struct mf_grant {
	enum mf_kind kind;
	uint64_t a, b;
};

struct mf_entry {
	int line;			/* of its `server` line */
	char name[MF_NAME_MAX];
	char module[MF_NAME_MAX];	/* the GRUB module's first word */
	int argc;			/* argv[1..argc] */
	char args[MF_MAX_ARGS][MF_ARG_MAX];
	int ngrants;
	struct mf_grant grants[MF_MAX_GRANTS];	/* in manifest order */
	int nports, ntasks;
	char ports[MF_MAX_NAMES][MF_NAME_MAX];	/* `port NAME`: may bootstrap_lookup */
	char tasks[MF_MAX_NAMES][MF_NAME_MAX];	/* `task NAME`: may bootstrap_server_task */
	int nmodules;
	char modules[MF_MAX_MODULES][MF_NAME_MAX];	/* `module NAME`: may bootstrap_module */
	bool restart;			/* default true */
	bool wait;			/* default true */
};

struct manifest {
	int n;
	struct mf_entry e[MF_MAX_ENTRIES];
};

/* Called once per error: `line` of the manifest, and what is wrong with it. */
typedef void (*mf_report_fn)(void *ctx, int line, const char *msg);

/*
 * Parses `len` bytes of manifest text into *m. An entry with any error is left out
 * whole (its server does not start); the others are kept. Returns the number of errors.
 */
int manifest_parse(const char *text, size_t len, struct manifest *m, mf_report_fn report, void *ctx);

#endif
