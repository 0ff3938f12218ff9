/*
 * Unit tests of the personalities' ELF exec plans (personalities/common/elf.c): images
 * shaped like the guests of GUESTS.md §1 (static glibc, klibc with PT_INTERP, Go for
 * Linux and FreeBSD, a PIE), the branding rule, and truncated and mutated images, each
 * parsed from a buffer of exactly its size so that ASan catches any overrun.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "personalities/common/elf.h"

#define LIMIT		0x800000000000ull
#define IMG		0x3000
#define NOTES_OFF	0x300
#define INTERP_OFF	0x400
#define PT_LOAD		1
#define PT_INTERP	3
#define PT_NOTE		4
#define PT_PHDR		6
#define PT_TLS		7
#define PT_GNU_STACK	0x6474e551
#define PT_GNU_RELRO	0x6474e552

static unsigned char img[IMG] __attribute__((aligned(8)));
static struct elf64_ehdr_img *eh = (struct elf64_ehdr_img *)img;
static size_t notes_end;
static struct elf_exec out;

static void add_ph(uint32_t type, uint32_t flags, uint64_t off, uint64_t vaddr,
		   uint64_t filesz, uint64_t memsz, uint64_t align)
{
	struct elf64_phdr_img ph = { type, flags, off, vaddr, vaddr, filesz, memsz, align };

	memcpy(img + eh->phoff + (size_t)eh->phnum++ * sizeof(ph), &ph, sizeof(ph));
}

/* Appends a note (4-byte padding) to the note area. */
static void add_note(const char *name, uint32_t type, const void *desc, uint32_t descsz)
{
	uint32_t hdr[3] = { (uint32_t)strlen(name) + 1, descsz, type };

	memcpy(img + notes_end, hdr, sizeof(hdr));
	memcpy(img + notes_end + 12, name, hdr[0]);
	notes_end += 12 + ((hdr[0] + 3) & ~3u);
	memcpy(img + notes_end, desc, descsz);
	notes_end += (descsz + 3) & ~3u;
}

static void add_notes_ph(void)
{
	add_ph(PT_NOTE, 4, NOTES_OFF, 0x400000 + NOTES_OFF, notes_end - NOTES_OFF,
	       notes_end - NOTES_OFF, 4);
}

/* The common part: an ELF header, text (R-X, holding the headers) and data (RW-, bss). */
static void make_base(uint16_t type, uint8_t osabi)
{
	memset(img, 0, sizeof(img));
	memcpy(eh->ident, "\177ELF\2\1\1", 7);
	eh->ident[7] = osabi;
	eh->type = type;
	eh->machine = 62;
	eh->version = 1;
	eh->entry = 0x401010;
	eh->phoff = 64;
	eh->ehsize = 64;
	eh->phentsize = 56;
	notes_end = NOTES_OFF;
	add_ph(PT_LOAD, 5, 0, 0x400000, 0x1800, 0x1800, 0x1000);
	add_ph(PT_LOAD, 6, 0x2100, 0x602100, 0x800, 0x5000, 0x1000);
}

/* busybox-static: OSABI GNU, GNU ABI-tag and build-id notes, PT_TLS, RELRO, NX stack. */
static void make_glibc_static(void)
{
	uint32_t abi[4] = { 0, 3, 2, 0 };
	unsigned char id[20] = { 0xde, 0xad };

	make_base(2, 3);
	add_note("GNU", 1, abi, sizeof(abi));
	add_note("GNU", 3, id, sizeof(id));
	add_notes_ph();
	add_ph(PT_TLS, 4, 0x2100, 0x602100, 0x10, 0x40, 8);
	add_ph(PT_GNU_STACK, 6, 0, 0, 0, 0, 16);
	add_ph(PT_GNU_RELRO, 4, 0x2100, 0x602100, 0x100, 0x100, 1);
}

static void add_interp(const char *path)
{
	strcpy((char *)img + INTERP_OFF, path);
	add_ph(PT_INTERP, 4, INTERP_OFF, 0x400000 + INTERP_OFF, strlen(path) + 1,
	       strlen(path) + 1, 1);
}

/*
 * Parses the first `size` bytes from a heap copy of exactly that size. The copy lives
 * until the next parse, since the plan's pointers point into it.
 */
static enum elf_exec_error parse_sized(size_t size, uint64_t bias)
{
	static unsigned char *copy;
	enum elf_exec_error e;

	free(copy);
	copy = malloc(size ? size : 1);
	memcpy(copy, img, size);
	e = elf_exec_parse(copy, size, bias, LIMIT, &out);
	if (e == ELF_EXEC_OK) {
		if (out.interp)
			assert_true((const unsigned char *)out.interp >= copy &&
				    (const unsigned char *)out.interp + out.interp_len < copy + size);
		for (int i = 0; i < out.nnotes && i < ELF_EXEC_MAX_NOTES; i++) {
			assert_true((const unsigned char *)out.notes[i].name >= copy);
			assert_true(out.notes[i].desc + out.notes[i].descsz <= copy + size);
		}
	}
	return e;
}

static enum elf_exec_error parse(void)
{
	return parse_sized(IMG, 0);
}

static void test_glibc_static(void **state)
{
	const struct elf_exec_segment *d;

	(void)state;
	make_glibc_static();
	assert_int_equal(parse(), ELF_EXEC_OK);
	assert_int_equal(out.type, ELF_ET_EXEC);
	assert_int_equal(out.osabi, 3);
	assert_int_equal(out.entry, 0x401010);
	assert_int_equal(out.nsegs, 2);
	assert_int_equal(out.segs[0].prot, ELF_PROT_R | ELF_PROT_X);
	assert_int_equal(out.segs[0].map_start, 0x400000);
	assert_int_equal(out.segs[0].map_end, 0x402000);
	assert_int_equal(out.segs[0].zero_end, out.segs[0].zero_start);	/* no bss */
	d = &out.segs[1];
	assert_int_equal(d->prot, ELF_PROT_R | ELF_PROT_W);
	assert_int_equal(d->map_start, 0x602000);
	assert_int_equal(d->map_end, 0x608000);
	assert_int_equal(d->file_offset, 0x2000);
	assert_int_equal(d->file_len, 0x900);
	assert_int_equal(d->zero_start, 0x602900);
	assert_int_equal(d->zero_end, 0x603000);
	assert_int_equal(out.lo, 0x400000);
	assert_int_equal(out.hi, 0x608000);
	/* The headers sit at offset 64 of the text segment. */
	assert_int_equal(out.phdr, 0x400040);
	assert_int_equal(out.phnum, 6);
	assert_null(out.interp);
	assert_true(out.has_tls);
	assert_int_equal(out.tls_vaddr, 0x602100);
	assert_int_equal(out.tls_filesz, 0x10);
	assert_int_equal(out.tls_memsz, 0x40);
	assert_int_equal(out.tls_align, 8);
	assert_true(out.has_gnu_stack);
	assert_int_equal(out.stack_prot, ELF_PROT_R | ELF_PROT_W);
	assert_int_equal(out.nnotes, 2);
	assert_int_equal(out.notes[0].namesz, 4);
	assert_memory_equal(out.notes[0].name, "GNU", 4);
	assert_int_equal(out.notes[0].type, 1);
	assert_int_equal(out.notes[0].descsz, 16);
	assert_int_equal(out.notes[1].type, 3);
	assert_int_equal(out.notes[1].desc[0], 0xde);
	assert_int_equal(out.brand, ELF_BRAND_LINUX);
}

/* klibc's sh: PT_INTERP naming the .so; no PT_GNU_STACK means an executable stack. */
static void test_interp(void **state)
{
	(void)state;
	make_base(2, 0);
	add_interp("/lib/klibc-XX6cASCB7KZyJWpIJW79y94XHBY.so");
	assert_int_equal(parse(), ELF_EXEC_OK);
	assert_non_null(out.interp);
	assert_string_equal(out.interp, "/lib/klibc-XX6cASCB7KZyJWpIJW79y94XHBY.so");
	assert_int_equal(out.interp_len, strlen("/lib/klibc-XX6cASCB7KZyJWpIJW79y94XHBY.so"));
	assert_false(out.has_gnu_stack);
	assert_int_equal(out.stack_prot, 7);
	assert_int_equal(out.brand, ELF_BRAND_LINUX);
}

static void test_bad_interp(void **state)
{
	struct elf64_phdr_img *ph;

	(void)state;
	make_base(2, 0);
	add_interp("/lib/ld.so");
	ph = (struct elf64_phdr_img *)(img + 64 + 2 * 56);
	img[INTERP_OFF + 10] = 'x';		/* not NUL-terminated */
	assert_int_equal(parse(), ELF_EXEC_BAD_INTERP);
	img[INTERP_OFF + 10] = 0;
	ph->filesz = 1;				/* empty */
	assert_int_equal(parse(), ELF_EXEC_BAD_INTERP);
	ph->filesz = 11;
	ph->offset = IMG - 5;			/* outside the image */
	assert_int_equal(parse(), ELF_EXEC_BAD_INTERP);
	ph->offset = INTERP_OFF;
	assert_int_equal(parse(), ELF_EXEC_OK);
	strcpy((char *)img + INTERP_OFF + 0x40, "/lib/other.so");	/* a second one */
	add_ph(PT_INTERP, 4, INTERP_OFF + 0x40, 0x400000 + INTERP_OFF + 0x40, 14, 14, 1);
	assert_int_equal(parse(), ELF_EXEC_BAD_INTERP);
}

/* Static Go for Linux: OSABI 0, a "Go" note of type 4 (FreeBSD's FEATURE_CTL number). */
static void test_go_linux_brand(void **state)
{
	uint32_t zero = 0;

	(void)state;
	make_base(2, 0);
	add_note("Go", 4, "buildid-xxxx", 12);
	add_note("FreeBSD", 4, &zero, 4);	/* right owner, wrong type: still Linux */
	add_notes_ph();
	assert_int_equal(parse(), ELF_EXEC_OK);
	assert_int_equal(out.brand, ELF_BRAND_LINUX);
	assert_false(out.has_freebsd_tag);
}

/* esbuild for FreeBSD: OSABI 9 and three "FreeBSD" notes; and each alone brands it. */
static void test_freebsd_brand(void **state)
{
	uint32_t osrel = 1203000, zero = 0;

	(void)state;
	make_base(2, 9);
	add_note("FreeBSD", 1, &osrel, 4);
	add_note("FreeBSD", 2, &zero, 4);
	add_note("FreeBSD", 4, &zero, 4);
	add_notes_ph();
	assert_int_equal(parse(), ELF_EXEC_OK);
	assert_int_equal(out.brand, ELF_BRAND_FREEBSD);
	assert_true(out.has_freebsd_tag);
	assert_int_equal(out.freebsd_osrel, 1203000);
	assert_int_equal(out.nnotes, 3);

	eh->ident[7] = 0;			/* the note alone */
	assert_int_equal(parse(), ELF_EXEC_OK);
	assert_int_equal(out.brand, ELF_BRAND_FREEBSD);

	make_base(2, 9);			/* OSABI alone (older Go releases) */
	assert_int_equal(parse(), ELF_EXEC_OK);
	assert_int_equal(out.brand, ELF_BRAND_FREEBSD);
	assert_int_equal(out.freebsd_osrel, 0);
}

/* An 8-aligned note segment (.note.gnu.property), and notes that overrun. */
static void test_notes_8_aligned_and_bad(void **state)
{
	uint32_t n[8] = { 4, 16, 5, 0x00554e47, 0xc0000002, 4, 3, 0 };
	struct elf64_phdr_img *ph;

	(void)state;
	make_base(2, 3);
	memcpy(img + NOTES_OFF, n, sizeof(n));	/* "GNU\0", desc at 16 (8-aligned) */
	add_ph(PT_NOTE, 4, NOTES_OFF, 0x400000 + NOTES_OFF, 32, 32, 8);
	assert_int_equal(parse(), ELF_EXEC_OK);
	assert_int_equal(out.nnotes, 1);
	assert_int_equal(out.notes[0].type, 5);
	assert_ptr_equal(out.notes[0].desc - (const uint8_t *)out.notes[0].name, 4);
	ph = (struct elf64_phdr_img *)(img + 64 + 2 * 56);
	ph->filesz = 31;			/* desc runs past the segment */
	assert_int_equal(parse(), ELF_EXEC_BAD_NOTE);
	ph->filesz = 40;			/* 8 trailing bytes: too short for a header */
	assert_int_equal(parse(), ELF_EXEC_BAD_NOTE);
	ph->filesz = 32;
	n[0] = 0xfffffff0;			/* huge namesz */
	memcpy(img + NOTES_OFF, n, sizeof(n));
	assert_int_equal(parse(), ELF_EXEC_BAD_NOTE);
}

/* Many notes: all are counted and checked, the first ELF_EXEC_MAX_NOTES kept. */
static void test_many_notes(void **state)
{
	uint32_t osrel = 1300000;

	(void)state;
	make_base(2, 0);
	for (int i = 0; i < ELF_EXEC_MAX_NOTES + 2; i++)
		add_note("GNU", 100 + i, "x", 1);
	add_note("FreeBSD", 1, &osrel, 4);
	add_notes_ph();
	assert_int_equal(parse(), ELF_EXEC_OK);
	assert_int_equal(out.nnotes, ELF_EXEC_MAX_NOTES + 3);
	assert_int_equal(out.notes[ELF_EXEC_MAX_NOTES - 1].type, 100 + ELF_EXEC_MAX_NOTES - 1);
	assert_int_equal(out.brand, ELF_BRAND_FREEBSD);
	assert_int_equal(out.freebsd_osrel, 1300000);
}

/* A PIE: ET_DYN at vaddr 0 with PT_PHDR, loaded at the caller's bias. */
static void make_pie(void)
{
	memset(img, 0, sizeof(img));
	memcpy(eh->ident, "\177ELF\2\1\1", 7);
	eh->type = 3;
	eh->machine = 62;
	eh->version = 1;
	eh->entry = 0x1040;
	eh->phoff = 64;
	eh->phentsize = 56;
	add_ph(PT_PHDR, 4, 64, 64, 4 * 56, 4 * 56, 8);
	add_ph(PT_LOAD, 5, 0, 0, 0x1800, 0x1800, 0x1000);
	add_ph(PT_LOAD, 6, 0x2000, 0x2000, 0x100, 0x100, 0x1000);
	add_interp("/lib64/ld-linux-x86-64.so.2");
}

static void test_pie_bias(void **state)
{
	(void)state;
	make_pie();
	assert_int_equal(parse_sized(IMG, 0x555555554000), ELF_EXEC_OK);
	assert_int_equal(out.type, ELF_ET_DYN);
	assert_int_equal(out.bias, 0x555555554000);
	assert_int_equal(out.entry, 0x555555555040);
	assert_int_equal(out.phdr, 0x555555554040);
	assert_int_equal(out.segs[1].vaddr, 0x555555556000);
	assert_int_equal(out.segs[1].zero_start, out.segs[1].zero_end);	/* memsz == filesz */
	/* Bias 0 puts its first page at address 0; a misaligned bias; one past the limit. */
	assert_int_equal(parse_sized(IMG, 0), ELF_EXEC_BAD_ADDRESS);
	assert_int_equal(parse_sized(IMG, 0x555555554100), ELF_EXEC_BAD_ADDRESS);
	assert_int_equal(parse_sized(IMG, LIMIT - 0x2000), ELF_EXEC_BAD_ADDRESS);
	assert_int_equal(parse_sized(IMG, ~0ull & ~0xfffull), ELF_EXEC_BAD_ADDRESS);
	/* ET_EXEC ignores the bias. */
	make_glibc_static();
	assert_int_equal(parse_sized(IMG, 0x10000000), ELF_EXEC_OK);
	assert_int_equal(out.bias, 0);
	assert_int_equal(out.entry, 0x401010);
}

/* Without PT_PHDR and with the headers in no segment, AT_PHDR cannot be given. */
static void test_phdr_not_loaded(void **state)
{
	(void)state;
	make_base(2, 0);
	eh->phoff = 0x1900;			/* past the text segment's file bytes */
	eh->phnum = 0;
	add_ph(PT_LOAD, 5, 0, 0x400000, 0x1800, 0x1800, 0x1000);
	add_ph(PT_LOAD, 6, 0x2100, 0x602100, 0x800, 0x5000, 0x1000);
	assert_int_equal(parse(), ELF_EXEC_OK);
	assert_int_equal(out.phdr, 0);
}

static void test_bad_headers(void **state)
{
	(void)state;
	make_glibc_static();
	assert_int_equal(parse_sized(63, 0), ELF_EXEC_TRUNCATED);
	img[1] = 'X';
	assert_int_equal(parse(), ELF_EXEC_BAD_MAGIC);
	make_glibc_static();
	img[4] = 1;				/* ELFCLASS32 */
	assert_int_equal(parse(), ELF_EXEC_NOT_X86_64);
	make_glibc_static();
	eh->machine = 3;			/* i386 */
	assert_int_equal(parse(), ELF_EXEC_NOT_X86_64);
	make_glibc_static();
	eh->type = 1;				/* ET_REL */
	assert_int_equal(parse(), ELF_EXEC_BAD_TYPE);
	make_glibc_static();
	eh->phentsize = 64;
	assert_int_equal(parse(), ELF_EXEC_BAD_PHDRS);
	make_glibc_static();
	eh->phnum = 0;
	assert_int_equal(parse(), ELF_EXEC_BAD_PHDRS);
	make_glibc_static();
	eh->phoff = ~0ull - 8;			/* offset + size overflows */
	assert_int_equal(parse(), ELF_EXEC_BAD_PHDRS);
	make_glibc_static();
	eh->phnum = 0xffff;			/* more headers than Linux accepts */
	assert_int_equal(parse(), ELF_EXEC_BAD_PHDRS);
	make_glibc_static();
	eh->entry = 0x500000;			/* in no segment */
	assert_int_equal(parse(), ELF_EXEC_BAD_ENTRY);
}

static struct elf64_phdr_img *ph_at(int i)
{
	return (struct elf64_phdr_img *)(img + 64 + (size_t)i * 56);
}

static void test_bad_segments(void **state)
{
	(void)state;
	make_glibc_static();
	ph_at(1)->filesz = 0x6000;		/* filesz > memsz */
	assert_int_equal(parse(), ELF_EXEC_BAD_SEGMENT);
	make_glibc_static();
	ph_at(1)->offset = IMG - 0x100;		/* data past the end of the image */
	ph_at(1)->vaddr = 0x602000 + (IMG - 0x100) % 0x1000;
	assert_int_equal(parse(), ELF_EXEC_BAD_SEGMENT);
	make_glibc_static();
	ph_at(1)->vaddr = 0x602200;		/* vaddr and offset disagree within a page */
	assert_int_equal(parse(), ELF_EXEC_BAD_SEGMENT);
	make_glibc_static();
	ph_at(1)->vaddr = 0x401100;		/* overlaps the text segment */
	assert_int_equal(parse(), ELF_EXEC_BAD_SEGMENT);
	make_glibc_static();
	ph_at(0)->vaddr = 0;			/* page 0 */
	ph_at(0)->offset = 0;
	assert_int_equal(parse(), ELF_EXEC_BAD_ADDRESS);
	make_glibc_static();
	ph_at(1)->memsz = LIMIT;		/* runs past the end of user space */
	assert_int_equal(parse(), ELF_EXEC_BAD_ADDRESS);
	make_glibc_static();
	ph_at(1)->vaddr = ~0ull - 0xeff;	/* vaddr + memsz wraps */
	assert_int_equal(parse(), ELF_EXEC_BAD_ADDRESS);
	make_glibc_static();
	ph_at(3)->memsz = 0x8;			/* TLS: filesz > memsz */
	assert_int_equal(parse(), ELF_EXEC_BAD_TLS);
	make_glibc_static();
	ph_at(3)->align = 24;			/* not a power of two */
	assert_int_equal(parse(), ELF_EXEC_BAD_TLS);
	make_base(2, 0);
	eh->phnum = 0;
	add_ph(PT_GNU_STACK, 6, 0, 0, 0, 0, 16);
	assert_int_equal(parse(), ELF_EXEC_NO_SEGMENTS);
	make_base(2, 0);
	for (int i = 0; i < ELF_EXEC_MAX_SEGMENTS; i++)
		add_ph(PT_LOAD, 4, 0, 0x700000 + 0x1000 * (uint64_t)i, 0x10, 0x10, 0x1000);
	assert_int_equal(parse(), ELF_EXEC_TOO_MANY_SEGMENTS);
}

/* Every prefix of a valid image: an error (or, never, success) without an overrun. */
static void test_truncated(void **state)
{
	size_t full;

	(void)state;
	make_glibc_static();
	add_interp("/lib/ld.so");
	full = 0x2100 + 0x800;
	assert_int_equal(parse_sized(full, 0), ELF_EXEC_OK);
	for (size_t n = 0; n < full; n++)
		assert_int_not_equal(parse_sized(n, 0), ELF_EXEC_OK);
}

/* A successful parse of any image must describe only things inside it and below LIMIT. */
static void check_invariants(size_t size)
{
	for (int i = 0; i < out.nsegs; i++) {
		const struct elf_exec_segment *s = &out.segs[i];

		assert_true(s->offset + s->filesz <= size && s->offset + s->filesz >= s->offset);
		assert_true(s->file_offset + s->file_len <= size);
		assert_true(s->map_start >= ELF_EXEC_PAGE && s->map_end <= LIMIT);
		assert_true(s->map_start <= s->vaddr && s->vaddr + s->memsz <= s->map_end);
		assert_true(s->zero_start <= s->zero_end && s->zero_end <= s->map_end);
		assert_true(s->filesz <= s->memsz);
		if (i > 0)
			assert_true(s->vaddr >= out.segs[i - 1].vaddr + out.segs[i - 1].memsz);
	}
	assert_true(out.nsegs > 0 && out.entry >= out.lo && out.entry < out.hi);
}

static void mutate_and_parse(unsigned seed, int rounds)
{
	unsigned char saved[IMG];
	size_t full = 0x2100 + 0x800;

	srand(seed);
	memcpy(saved, img, IMG);
	for (int r = 0; r < rounds; r++) {
		int flips = 1 + rand() % 4;

		memcpy(img, saved, IMG);
		for (int f = 0; f < flips; f++) {
			/* Mostly the headers and notes, where the parser looks. */
			size_t at = rand() % 3 ? (size_t)rand() % 0x480 : (size_t)rand() % full;

			img[at] = rand() % 2 ? (unsigned char)rand() : img[at] ^ (1u << (rand() % 8));
		}
		if (parse_sized(full, 0x7f0000000000ull) == ELF_EXEC_OK)
			check_invariants(full);
	}
	memcpy(img, saved, IMG);
}

static void test_mutated(void **state)
{
	(void)state;
	make_glibc_static();
	add_interp("/lib/ld.so");
	mutate_and_parse(1, 30000);
	make_pie();
	mutate_and_parse(2, 20000);
}

/* Each 64-bit header field set to values chosen to overflow. */
static void test_extreme_fields(void **state)
{
	static const uint64_t vals[] = { 0, 1, 0xfff, 0x1000, 0x7fffffffffffull, LIMIT,
					 LIMIT - 1, 0x8000000000000000ull, ~0ull, ~0ull - 0xfff };
	size_t full = 0x2100 + 0x800;

	(void)state;
	for (int ph = 0; ph < 7; ph++) {
		for (int field = 8; field < 56; field += 8) {
			for (size_t v = 0; v < sizeof(vals) / sizeof(vals[0]); v++) {
				make_glibc_static();
				memcpy(img + 64 + ph * 56 + field, &vals[v], 8);
				if (parse_sized(full, 0) == ELF_EXEC_OK)
					check_invariants(full);
			}
		}
	}
}

/* The real thing: this test program itself (the host's PIE, with PT_INTERP and notes). */
static void test_own_binary(void **state)
{
	static unsigned char buf[8 << 20];
	FILE *f = fopen("/proc/self/exe", "rb");
	size_t n;

	(void)state;
	if (!f)
		skip();
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_true(n > 64 && n < sizeof(buf));
	assert_int_equal(elf_exec_parse(buf, n, 0x555555554000ull, LIMIT, &out), ELF_EXEC_OK);
	assert_int_not_equal(out.phdr, 0);
	assert_int_equal(out.brand, ELF_BRAND_LINUX);
	if (out.type == ELF_ET_DYN)
		assert_int_equal(out.lo, 0x555555554000ull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_glibc_static),
		cmocka_unit_test(test_interp),
		cmocka_unit_test(test_bad_interp),
		cmocka_unit_test(test_go_linux_brand),
		cmocka_unit_test(test_freebsd_brand),
		cmocka_unit_test(test_notes_8_aligned_and_bad),
		cmocka_unit_test(test_many_notes),
		cmocka_unit_test(test_pie_bias),
		cmocka_unit_test(test_phdr_not_loaded),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_bad_segments),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_mutated),
		cmocka_unit_test(test_extreme_fields),
		cmocka_unit_test(test_own_binary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
