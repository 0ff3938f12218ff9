/*
 * PCI enumeration and BAR sizing over an abstract configuration space, so that the same
 * code runs on config mechanism #1 in the server and on a fake space in the unit tests.
 */
#ifndef _PCI_ENUM_H
#define _PCI_ENUM_H

#include <stddef.h>
#include <stdint.h>

#define PCI_BUSES		256
#define PCI_DEVICES		32
#define PCI_FUNCTIONS		8
#define PCI_BARS		6
/* The most functions the server keeps; enumeration stops there (and says so). */
#define PCI_MAX_FUNCTIONS	256

/* Configuration-space offsets (type 0 and type 1 headers alike, where used). */
#define PCI_CFG_ID		0x00	/* device << 16 | vendor */
#define PCI_CFG_COMMAND		0x04	/* command (low 16), status (high 16, write 1 clears) */
#define PCI_CFG_CLASS		0x08	/* class, subclass, prog-if, revision */
#define PCI_CFG_HEADER		0x0c	/* header type in bits 16-23 */
#define PCI_CFG_BAR0		0x10
#define PCI_CFG_INTR		0x3c	/* interrupt line (bits 0-7), pin (bits 8-15) */

#define PCI_HEADER_TYPE(v)	(((v) >> 16) & 0x7f)
#define PCI_HEADER_MULTI	0x800000	/* of the PCI_CFG_HEADER dword */
#define PCI_VENDOR_NONE		0xffff
#define PCI_IRQ_NONE		255

/* bus << 8 | device << 3 | function, as pci.defs' `location`. */
#define PCI_LOCATION(b, d, f)	((unsigned)(b) << 8 | (unsigned)(d) << 3 | (unsigned)(f))
#define PCI_LOC_BUS(l)		(((l) >> 8) & 0xff)
#define PCI_LOC_DEV(l)		(((l) >> 3) & 0x1f)
#define PCI_LOC_FN(l)		((l) & 7)

/* Reads and writes one aligned dword of function `location`'s configuration space. */
struct pci_cfg {
	uint32_t (*read)(void *ctx, unsigned location, unsigned offset);
	void (*write)(void *ctx, unsigned location, unsigned offset, uint32_t value);
	void *ctx;
};

struct pci_bar {
	uint64_t base;		/* I/O port or physical address; 0 with size 0 = unused */
	uint64_t size;
	unsigned flags;		/* PCI_BAR_IO, PCI_BAR_MEM64, PCI_BAR_PREFETCH */
};

struct pci_function {
	unsigned location;
	uint32_t id;		/* device << 16 | vendor */
	uint32_t class;		/* config dword 8 */
	uint8_t header_type;	/* without the multi-function bit */
	uint8_t irq;		/* PCI_IRQ_NONE without an interrupt pin or line */
	struct pci_bar bar[PCI_BARS];
};

/*
 * One BAR from its value before sizing and what it read back after all ones were
 * written (hi: the next BAR's pair, used only for a 64-bit memory BAR). Returns the
 * number of BAR slots it takes: 2 for a 64-bit memory BAR, else 1.
 */
int pci_bar_decode(uint32_t orig, uint32_t sized, uint32_t orig_hi, uint32_t sized_hi,
		   struct pci_bar *bar);

/* How many BARs a header type has: 6 (device), 2 (bridge), 1 (CardBus), else 0. */
int pci_bar_count(unsigned header_type);

/*
 * Reads function `location`'s identity, class, interrupt and BARs into *f. Sizes each
 * BAR (all ones, read back, restore) with I/O and memory decoding off, then puts the
 * command register back.
 */
void pci_probe_function(const struct pci_cfg *cfg, unsigned location, struct pci_function *f);

/*
 * Every function on every bus, brute force over buses 0-255 and devices 0-31; functions
 * 1-7 only where function 0 has the multi-function bit. Returns how many it found,
 * at most `max` (filled in order of bus, device, function).
 */
int pci_enumerate(const struct pci_cfg *cfg, struct pci_function *out, int max);

/*
 * The command register value that makes the I/O, memory and bus-master bits exactly
 * those of `command` (PCI_COMMAND_*), other bits as in `old`; -1 if `command` has other bits.
 */
long pci_command_update(uint32_t old, int command);

/* One listing line (no newline) for `f`, as device "pci" reads it; returns its length. */
int pci_format_function(const struct pci_function *f, char *buf, size_t size);

#endif
