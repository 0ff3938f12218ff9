/*
 * Unit tests of the pci server's enumeration and BAR sizing (servers/pci/pci_enum.c)
 * against a fake configuration space whose BARs behave like hardware: writes keep only
 * the address bits the BAR decodes, the type bits are read-only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <device/pci_types.h>
#include "servers/pci/pci_enum.h"

#define FAKE_MAX	8

struct fake_fn {
	unsigned loc;
	uint32_t cfg[64];
	uint32_t bar_mask[PCI_BARS];	/* writable bits of each BAR dword; 0: unimplemented */
};

struct fake {
	struct fake_fn fn[FAKE_MAX];
	int n;
	int sized_while_decoding;	/* a BAR held all ones with decoding on */
	int reads;
};

static struct fake_fn *find(struct fake *f, unsigned loc)
{
	for (int i = 0; i < f->n; i++)
		if (f->fn[i].loc == loc)
			return &f->fn[i];
	return NULL;
}

static uint32_t fake_read(void *ctx, unsigned loc, unsigned off)
{
	struct fake *f = ctx;
	struct fake_fn *fn = find(f, loc);

	f->reads++;
	assert_true(off % 4 == 0 && off < 256);
	return fn ? fn->cfg[off / 4] : 0xffffffffu;
}

static void fake_write(void *ctx, unsigned loc, unsigned off, uint32_t v)
{
	struct fake *f = ctx;
	struct fake_fn *fn = find(f, loc);
	unsigned i = (off - PCI_CFG_BAR0) / 4;

	assert_non_null(fn);
	if (off == PCI_CFG_COMMAND) {
		fn->cfg[1] = (fn->cfg[1] & 0xffff0000u) | (v & 0xffff);
		return;
	}
	assert_true(off >= PCI_CFG_BAR0 && i < PCI_BARS);
	fn->cfg[off / 4] = (v & fn->bar_mask[i]) | (fn->cfg[off / 4] & ~fn->bar_mask[i]);
	if (v == 0xffffffffu && fn->bar_mask[i] && (fn->cfg[1] & 3))
		f->sized_while_decoding = 1;
}

static struct fake_fn *add(struct fake *f, unsigned b, unsigned d, unsigned fnum, uint32_t id,
			   uint32_t class, uint32_t header, uint32_t intr)
{
	struct fake_fn *fn = &f->fn[f->n++];

	memset(fn, 0, sizeof(*fn));
	fn->loc = PCI_LOCATION(b, d, fnum);
	fn->cfg[0] = id;
	fn->cfg[1] = 0x02800000u;	/* status bits that a careless write would clear */
	fn->cfg[2] = class;
	fn->cfg[3] = header << 16;
	fn->cfg[15] = intr;
	return fn;
}

/* BAR i: `value` (address and type bits) decoding `size` bytes; 64-bit ones use i + 1. */
static void bar(struct fake_fn *fn, int i, uint64_t value, uint64_t size)
{
	uint64_t mask = ~(size - 1);

	if (value & 1) {
		fn->bar_mask[i] = (uint32_t)mask & 0xfffcu;	/* 16-bit I/O decoder: upper reads 0 */
		fn->cfg[4 + i] = (uint32_t)value;
		return;
	}
	fn->bar_mask[i] = (uint32_t)mask & 0xfffffff0u;
	fn->cfg[4 + i] = (uint32_t)value;
	if (((value >> 1) & 3) == 2) {
		fn->bar_mask[i + 1] = (uint32_t)(mask >> 32);
		fn->cfg[5 + i] = (uint32_t)(value >> 32);
	}
}

/* A small machine: host bridge, a multi-function device, virtio-blk, a device on bus 2. */
static void machine(struct fake *f)
{
	struct fake_fn *fn;

	memset(f, 0, sizeof(*f));
	add(f, 0, 0, 0, 0x12378086, 0x06000002, 0, 0);
	add(f, 0, 1, 0, 0x70008086, 0x06010000, 0x80, 0);
	fn = add(f, 0, 1, 1, 0x70108086, 0x01018000, 0, 0);
	bar(fn, 4, 0xc041, 16);
	fn = add(f, 0, 3, 0, 0x10011af4, 0x01000000, 0, 0x010b);
	fn->cfg[1] |= 3;	/* decoding on, as firmware leaves it */
	bar(fn, 0, 0xc001, 64);
	bar(fn, 1, 0xfebf1000, 4096);
	bar(fn, 4, 0xfe00000cull, 16384);	/* 64-bit, prefetchable */
	/* Single-function device whose function 1 answers too (some do): not listed. */
	add(f, 0, 4, 0, 0x100e8086, 0x02000000, 0, 0x0000);
	add(f, 0, 4, 1, 0x100e8086, 0x02000000, 0, 0);
	fn = add(f, 2, 0, 0, 0x00011234, 0x03000000, 0, 0x01ff);
	bar(fn, 0, 0x80000000cull | 0x4ull, 0x100000000ull);	/* 64-bit, 4 GiB */
}

static void test_bar_decode(void **state)
{
	struct pci_bar b;

	(void)state;
	assert_int_equal(pci_bar_decode(0xc001, 0x0000ffc1, 0, 0, &b), 1);
	assert_int_equal(b.flags, PCI_BAR_IO);
	assert_int_equal(b.base, 0xc000);
	assert_int_equal(b.size, 64);
	assert_int_equal(pci_bar_decode(0xfebf1000, 0xfffff000, 0, 0, &b), 1);
	assert_int_equal(b.flags, 0);
	assert_int_equal(b.base, 0xfebf1000);
	assert_int_equal(b.size, 4096);
	assert_int_equal(pci_bar_decode(0xe000000c, 0xffffc00c, 0x1, 0xffffffff, &b), 2);
	assert_int_equal(b.flags, PCI_BAR_MEM64 | PCI_BAR_PREFETCH);
	assert_int_equal(b.base, 0x1e0000000ull);
	assert_int_equal(b.size, 16384);
	assert_int_equal(pci_bar_decode(0, 0, 0, 0, &b), 1);
	assert_int_equal(b.size, 0);
	assert_int_equal(b.flags, 0);
	assert_int_equal(pci_bar_decode(0x4, 0x4, 0, 0, &b), 2);	/* unused 64-bit pair */
	assert_int_equal(b.size, 0);
}

static void test_bar_count(void **state)
{
	(void)state;
	assert_int_equal(pci_bar_count(0), 6);
	assert_int_equal(pci_bar_count(1), 2);
	assert_int_equal(pci_bar_count(2), 1);
	assert_int_equal(pci_bar_count(0x7f), 0);
}

static void test_enumerate(void **state)
{
	static struct fake f;
	struct pci_function out[16];
	struct pci_cfg cfg = { fake_read, fake_write, &f };
	int n;

	(void)state;
	machine(&f);
	n = pci_enumerate(&cfg, out, 16);
	assert_int_equal(n, 6);
	assert_int_equal(out[0].location, PCI_LOCATION(0, 0, 0));
	assert_int_equal(out[1].location, PCI_LOCATION(0, 1, 0));
	assert_int_equal(out[2].location, PCI_LOCATION(0, 1, 1));
	assert_int_equal(out[3].location, PCI_LOCATION(0, 3, 0));
	assert_int_equal(out[4].location, PCI_LOCATION(0, 4, 0));	/* not 0:4.1 */
	assert_int_equal(out[5].location, PCI_LOCATION(2, 0, 0));
	assert_int_equal(out[2].bar[4].base, 0xc040);
	assert_int_equal(out[2].bar[4].size, 16);
	assert_int_equal(out[3].id, 0x10011af4);
	assert_int_equal(out[3].class, 0x01000000);
	assert_int_equal(out[3].irq, 11);
	assert_int_equal(out[3].bar[0].size, 64);
	assert_int_equal(out[3].bar[1].size, 4096);
	assert_int_equal(out[3].bar[4].size, 16384);
	assert_int_equal(out[3].bar[4].flags, PCI_BAR_MEM64 | PCI_BAR_PREFETCH);
	assert_int_equal(out[3].bar[5].size, 0);
	assert_int_equal(out[4].irq, PCI_IRQ_NONE);	/* no pin */
	assert_int_equal(out[5].irq, PCI_IRQ_NONE);	/* pin, line 255 */
	assert_int_equal(out[5].bar[0].base, 0x800000000ull);
	assert_int_equal(out[5].bar[0].size, 0x100000000ull);
	/* Sizing left BARs, command and status as they were, decoding off while it ran. */
	assert_false(f.sized_while_decoding);
	assert_int_equal(f.fn[3].cfg[1], 0x02800003u);
	assert_int_equal(f.fn[3].cfg[4], 0xc001);
	assert_int_equal(f.fn[3].cfg[8], 0xfe00000c);
	assert_int_equal(f.fn[3].cfg[9], 0);
}

static void test_enumerate_limit(void **state)
{
	static struct fake f;
	struct pci_function out[3];
	struct pci_cfg cfg = { fake_read, fake_write, &f };

	(void)state;
	machine(&f);
	assert_int_equal(pci_enumerate(&cfg, out, 3), 3);
	assert_int_equal(out[2].location, PCI_LOCATION(0, 1, 1));
}

static void test_empty_bus(void **state)
{
	static struct fake f;
	struct pci_function out[1];
	struct pci_cfg cfg = { fake_read, fake_write, &f };

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_int_equal(pci_enumerate(&cfg, out, 1), 0);
	/* Brute force: function 0 of every device of every bus, nothing else. */
	assert_int_equal(f.reads, PCI_BUSES * PCI_DEVICES);
}

static void test_command_update(void **state)
{
	(void)state;
	assert_int_equal(pci_command_update(0x02800400, PCI_COMMAND_IO | PCI_COMMAND_MASTER), 0x0405);
	assert_int_equal(pci_command_update(0x0007, 0), 0);
	assert_int_equal(pci_command_update(0x0001, PCI_COMMAND_MEMORY), 2);
	assert_int_equal(pci_command_update(0, 8), -1);
	assert_int_equal(pci_command_update(0, -1), -1);
}

static void test_format(void **state)
{
	static struct fake f;
	struct pci_function out[16];
	struct pci_cfg cfg = { fake_read, fake_write, &f };
	char line[160];

	(void)state;
	machine(&f);
	pci_enumerate(&cfg, out, 16);
	pci_format_function(&out[3], line, sizeof(line));
	assert_string_equal(line, "00:03.0 1af4:1001 class 010000 irq 11 bar0 io 0xc000/64 "
			    "bar1 mem 0xfebf1000/4096 bar4 mem64 pref 0xfe000000/16384");
	pci_format_function(&out[0], line, sizeof(line));
	assert_string_equal(line, "00:00.0 8086:1237 class 060000 irq none");
	/* A short buffer is cut, still terminated. */
	assert_int_equal(pci_format_function(&out[3], line, 20), 19);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bar_decode),
		cmocka_unit_test(test_bar_count),
		cmocka_unit_test(test_enumerate),
		cmocka_unit_test(test_enumerate_limit),
		cmocka_unit_test(test_empty_bus),
		cmocka_unit_test(test_command_update),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests_name("pci", tests, NULL, NULL);
}
