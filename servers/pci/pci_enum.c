/* PCI enumeration, BAR sizing and the listing format (see pci_enum.h). */
#include <stdio.h>
#include <string.h>
#include <device/pci_types.h>
#include "pci_enum.h"

#define BAR_IO_MASK	0xfffffffcu
#define BAR_MEM_MASK	0xfffffff0u
#define BAR_MEM_TYPE(v)	(((v) >> 1) & 3)	/* 0: 32-bit, 2: 64-bit */
#define BAR_PREFETCH	0x8u
#define COMMAND_DECODE	(PCI_COMMAND_IO | PCI_COMMAND_MEMORY)
#define COMMAND_BITS	(PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER)

int pci_bar_decode(uint32_t orig, uint32_t sized, uint32_t orig_hi, uint32_t sized_hi,
		   struct pci_bar *bar)
{
	uint64_t mask;

	memset(bar, 0, sizeof(*bar));
	if (orig & 1) {
		/* I/O: bits 2-31 decode; a device may leave the upper 16 reading 0. */
		mask = sized & BAR_IO_MASK;
		if (!mask)
			return 1;
		if (!(mask & 0xffff0000u))
			mask |= 0xffff0000u;
		bar->flags = PCI_BAR_IO;
		bar->base = orig & BAR_IO_MASK;
		bar->size = (uint32_t)(~mask + 1);
		return 1;
	}
	if (orig & BAR_PREFETCH)
		bar->flags |= PCI_BAR_PREFETCH;
	if (BAR_MEM_TYPE(orig) == 2) {
		mask = (uint64_t)sized_hi << 32 | (sized & BAR_MEM_MASK);
		if (mask) {
			bar->flags |= PCI_BAR_MEM64;
			bar->base = (uint64_t)orig_hi << 32 | (orig & BAR_MEM_MASK);
			bar->size = ~mask + 1;
		} else {
			bar->flags = 0;
		}
		return 2;
	}
	mask = sized & BAR_MEM_MASK;
	if (!mask) {
		bar->flags = 0;
		return 1;
	}
	bar->base = orig & BAR_MEM_MASK;
	bar->size = (uint32_t)(~(uint32_t)mask + 1);
	return 1;
}

int pci_bar_count(unsigned header_type)
{
	switch (header_type) {
	case 0: return 6;
	case 1: return 2;
	case 2: return 1;
	default: return 0;
	}
}

/* Writes all ones to BAR dword `off`, returns what reads back, and restores `orig`. */
static uint32_t bar_size_probe(const struct pci_cfg *cfg, unsigned loc, unsigned off, uint32_t orig)
{
	uint32_t v;

	cfg->write(cfg->ctx, loc, off, 0xffffffffu);
	v = cfg->read(cfg->ctx, loc, off);
	cfg->write(cfg->ctx, loc, off, orig);
	return v;
}

static void probe_bars(const struct pci_cfg *cfg, unsigned loc, struct pci_function *f)
{
	int n = pci_bar_count(f->header_type);
	uint32_t command = cfg->read(cfg->ctx, loc, PCI_CFG_COMMAND) & 0xffff;

	/* A half-sized BAR must not decode: it could shadow anything while all ones. */
	if (command & COMMAND_DECODE)
		cfg->write(cfg->ctx, loc, PCI_CFG_COMMAND, command & ~COMMAND_DECODE);
	for (int i = 0; i < n;) {
		unsigned off = PCI_CFG_BAR0 + 4 * i;
		uint32_t orig = cfg->read(cfg->ctx, loc, off), sized = bar_size_probe(cfg, loc, off, orig);
		uint32_t orig_hi = 0, sized_hi = 0;

		if (!(orig & 1) && BAR_MEM_TYPE(orig) == 2 && i + 1 < n) {
			orig_hi = cfg->read(cfg->ctx, loc, off + 4);
			sized_hi = bar_size_probe(cfg, loc, off + 4, orig_hi);
		}
		i += pci_bar_decode(orig, sized, orig_hi, sized_hi, &f->bar[i]);
	}
	if (command & COMMAND_DECODE)
		cfg->write(cfg->ctx, loc, PCI_CFG_COMMAND, command);
}

void pci_probe_function(const struct pci_cfg *cfg, unsigned loc, struct pci_function *f)
{
	uint32_t intr;

	memset(f, 0, sizeof(*f));
	f->location = loc;
	f->id = cfg->read(cfg->ctx, loc, PCI_CFG_ID);
	f->class = cfg->read(cfg->ctx, loc, PCI_CFG_CLASS);
	f->header_type = PCI_HEADER_TYPE(cfg->read(cfg->ctx, loc, PCI_CFG_HEADER));
	intr = cfg->read(cfg->ctx, loc, PCI_CFG_INTR);
	/* No pin, or the firmware's "not connected" line: no interrupt. */
	f->irq = ((intr >> 8) & 0xff) == 0 ? PCI_IRQ_NONE : intr & 0xff;
	probe_bars(cfg, loc, f);
}

int pci_enumerate(const struct pci_cfg *cfg, struct pci_function *out, int max)
{
	int n = 0;

	for (unsigned bus = 0; bus < PCI_BUSES; bus++)
		for (unsigned dev = 0; dev < PCI_DEVICES; dev++) {
			unsigned loc = PCI_LOCATION(bus, dev, 0);
			uint32_t header;
			int fns;

			if ((cfg->read(cfg->ctx, loc, PCI_CFG_ID) & 0xffff) == PCI_VENDOR_NONE)
				continue;
			header = cfg->read(cfg->ctx, loc, PCI_CFG_HEADER);
			fns = header & PCI_HEADER_MULTI ? PCI_FUNCTIONS : 1;
			for (int fn = 0; fn < fns; fn++) {
				loc = PCI_LOCATION(bus, dev, fn);
				if ((cfg->read(cfg->ctx, loc, PCI_CFG_ID) & 0xffff) == PCI_VENDOR_NONE)
					continue;
				if (n == max)
					return n;
				pci_probe_function(cfg, loc, &out[n++]);
			}
		}
	return n;
}

long pci_command_update(uint32_t old, int command)
{
	if (command & ~COMMAND_BITS)
		return -1;
	return (long)((old & 0xffff & ~(uint32_t)COMMAND_BITS) | (uint32_t)command);
}

int pci_format_function(const struct pci_function *f, char *buf, size_t size)
{
	size_t len;
	char irq[8] = "none";

	if (f->irq != PCI_IRQ_NONE)
		snprintf(irq, sizeof(irq), "%u", f->irq);
	snprintf(buf, size, "%02x:%02x.%u %04x:%04x class %06x irq %s", PCI_LOC_BUS(f->location),
		 PCI_LOC_DEV(f->location), PCI_LOC_FN(f->location), f->id & 0xffff, f->id >> 16,
		 f->class >> 8, irq);
	for (int i = 0; i < PCI_BARS; i++) {
		const struct pci_bar *b = &f->bar[i];
		const char *kind = b->flags & PCI_BAR_IO ? "io" : b->flags & PCI_BAR_MEM64 ? "mem64" : "mem";

		if (!b->size)
			continue;
		len = strlen(buf);
		if (len >= size)
			break;
		snprintf(buf + len, size - len, " bar%d %s%s 0x%llx/%llu", i, kind,
			 b->flags & PCI_BAR_PREFETCH ? " pref" : "", (unsigned long long)b->base,
			 (unsigned long long)b->size);
	}
	return (int)strlen(buf);
}
