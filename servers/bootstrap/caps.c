/*
 * Hardware capabilities: what an entry's grant lines become, cut from the kernel's
 * device master port, and bootstrap_capability, which hands them out by kind and index.
 * I/O and memory capabilities are made once and kept across restarts (they name a
 * fixed range); interrupt and DMA ones are made for each start, so a dead server's
 * registrations and DMA budget do not carry over to the next.
 */
#include <stdio.h>
#include <bootstrap/bootstrap.h>
#include <device/device_caps.h>
#include <device/pci.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/x86_64/mach_i386.h>
#include "bs.h"
#include "bootstrap_server.h"

#define PAGE		4096ull
#define FRESH(kind)	((kind) == BOOTSTRAP_CAP_IRQ || (kind) == BOOTSTRAP_CAP_DMA)

static char why[160];

static const char *kind_name(int kind)
{
	static const char *const names[] = { "?", "io", "irq", "mem", "dma" };

	return kind >= 1 && kind <= 4 ? names[kind] : "?";
}

static bool add(struct entry *e, int kind, uint64_t base, uint64_t size)
{
	if (e->ncaps == BS_MAX_CAPS)
		return false;
	e->caps[e->ncaps++] = (struct cap){ kind, base, size, MACH_PORT_NULL };
	return true;
}

/* The `which`th function with id vendor:device, enabled, its BARs and line as caps. */
static const char *add_pci(struct entry *e, const struct mf_grant *g)
{
	unsigned vendor = (unsigned)(g->a >> 16), device = (unsigned)(g->a & 0xffff);
	int count = 0, loc, id, class, irq, matches = 0;
	pci_bar_array_t base, size, flags;
	mach_port_t pci;
	kern_return_t kr;

	if (names_find("pci", &pci) != KERN_SUCCESS)
		return "pci: no pci server registered";
	kr = pci_device_count(pci, &count);
	for (int i = 0; kr == KERN_SUCCESS && i < count; i++) {
		kr = pci_device_info(pci, i, &loc, &id, &class, &irq, base, size, flags);
		if (kr != KERN_SUCCESS || (unsigned)id != (device << 16 | vendor) || matches++ != (int)g->b)
			continue;
		kr = pci_device_enable(pci, i, PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
		if (kr != KERN_SUCCESS)
			break;
		for (int b = 0; b < 6; b++) {
			if (!base[b] || !size[b])
				continue;
			if ((flags[b] & PCI_BAR_IO) && (base[b] + size[b] - 1 > 0xffff ||
							!add(e, BOOTSTRAP_CAP_IO, base[b], size[b])))
				return "pci: a bad I/O BAR, or too many capabilities";
			if (!(flags[b] & PCI_BAR_IO) && !add(e, BOOTSTRAP_CAP_MEM, base[b], size[b]))
				return "pci: too many capabilities";
		}
		if (irq >= 0 && irq < 16 && irq != 2 && !add(e, BOOTSTRAP_CAP_IRQ, irq, 0))
			return "pci: too many capabilities";
		return NULL;
	}
	if (kr != KERN_SUCCESS)
		snprintf(why, sizeof(why), "pci: the pci server failed (0x%x)", kr);
	else
		snprintf(why, sizeof(why), "pci %04x:%04x %d: no such function", vendor, device, (int)g->b);
	return why;
}

/* Explicit grants first, in manifest order; then what each pci line adds. */
static const char *resolve(struct entry *e)
{
	const struct mf_entry *mf = e->mf;
	const char *err;

	e->ncaps = 0;
	for (int i = 0; i < mf->ngrants; i++) {
		const struct mf_grant *g = &mf->grants[i];

		if (g->kind == MF_IO)
			add(e, BOOTSTRAP_CAP_IO, g->a, g->b - g->a + 1);
		else if (g->kind == MF_IRQ)
			add(e, BOOTSTRAP_CAP_IRQ, g->a, 0);
		else if (g->kind == MF_MEM)
			add(e, BOOTSTRAP_CAP_MEM, g->a, g->b);
		else if (g->kind == MF_DMA)
			add(e, BOOTSTRAP_CAP_DMA, 0, g->a);
	}
	for (int i = 0; i < mf->ngrants; i++)
		if (mf->grants[i].kind == MF_PCI && (err = add_pci(e, &mf->grants[i])))
			return err;
	return NULL;
}

static kern_return_t make(struct cap *c)
{
	uint64_t first = c->base & ~(PAGE - 1), end = (c->base + c->size + PAGE - 1) & ~(PAGE - 1);

	switch (c->kind) {
	case BOOTSTRAP_CAP_IO:
		return i386_io_perm_create(bs_device_master, c->base, c->base + c->size - 1, &c->port);
	case BOOTSTRAP_CAP_IRQ:
		return device_irq_create(bs_device_master, (int)c->base, &c->port);
	case BOOTSTRAP_CAP_MEM:
		/* A BAR may be smaller than a page: the capability covers the pages holding it. */
		return device_mem_create(bs_device_master, first, end - first, &c->port);
	default:
		return device_dma_create(bs_device_master, c->size, &c->port);
	}
}

const char *caps_prepare(struct entry *e)
{
	const char *err;

	if (!e->caps_resolved) {
		if ((err = resolve(e)))
			return err;
		e->caps_resolved = true;
	}
	for (int i = 0; i < e->ncaps; i++) {
		struct cap *c = &e->caps[i];
		kern_return_t kr;

		if (c->port != MACH_PORT_NULL)
			continue;
		kr = make(c);
		if (kr != KERN_SUCCESS) {
			c->port = MACH_PORT_NULL;
			snprintf(why, sizeof(why), "cannot make the %s capability 0x%llx+0x%llx (0x%x)",
				 kind_name(c->kind), (unsigned long long)c->base, (unsigned long long)c->size, kr);
			return why;
		}
	}
	return NULL;
}

void caps_release_fresh(struct entry *e)
{
	for (int i = 0; i < e->ncaps; i++)
		if (FRESH(e->caps[i].kind) && e->caps[i].port != MACH_PORT_NULL) {
			mach_port_deallocate(bs_self, e->caps[i].port);
			e->caps[i].port = MACH_PORT_NULL;
		}
}

kern_return_t bs_bootstrap_capability(mach_port_t bootstrap, int kind, int index, mach_port_t *cap,
				      uint64_t *base, uint64_t *size)
{
	struct entry *e = bs_entry_of_port(bootstrap);

	for (int i = 0; i < e->ncaps && index >= 0; i++) {
		struct cap *c = &e->caps[i];

		if (c->kind != kind || index-- > 0)
			continue;
		if (c->port == MACH_PORT_NULL)
			return KERN_INVALID_ARGUMENT;
		*cap = c->port;
		*base = c->base;
		*size = c->size;
		return KERN_SUCCESS;
	}
	return KERN_INVALID_ARGUMENT;
}
