/* ELF64 x86_64 executables into exec plans (see elf.h). */
#include <string.h>
#include "elf.h"

#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define EV_CURRENT	1
#define EM_X86_64	62
#define PT_LOAD		1
#define PT_INTERP	3
#define PT_NOTE		4
#define PT_PHDR		6
#define PT_TLS		7
#define PT_GNU_STACK	0x6474e551
#define PF_X		1
#define PF_W		2
#define PF_R		4
#define PHDRS_MAX	65536	/* bytes of program headers, as Linux allows */
#define INTERP_MAX	4096	/* PATH_MAX */
#define PAGE_MASK	((uint64_t)ELF_EXEC_PAGE - 1)

static uint64_t trunc_page(uint64_t a)
{
	return a & ~PAGE_MASK;
}

static int prot_of(uint32_t pflags)
{
	return ((pflags & PF_R) ? ELF_PROT_R : 0) | ((pflags & PF_W) ? ELF_PROT_W : 0) |
	       ((pflags & PF_X) ? ELF_PROT_X : 0);
}

/* [off, off + len) lies inside an image of `size` bytes (no overflow). */
static int in_image(uint64_t off, uint64_t len, size_t size)
{
	return off <= size && len <= size - off;
}

/*
 * [addr, addr + len), biased, lies inside [ELF_EXEC_PAGE, limit) (limit page-aligned);
 * sets *out = addr + bias.
 */
static int in_user(const struct elf_exec *x, uint64_t addr, uint64_t len, uint64_t limit,
		   uint64_t *out)
{
	if (addr > limit || x->bias > limit - addr)
		return 0;
	addr += x->bias;
	if (addr < ELF_EXEC_PAGE || len > limit - addr)
		return 0;
	*out = addr;
	return 1;
}

static enum elf_exec_error check_header(const struct elf64_ehdr_img *eh, size_t size)
{
	if (memcmp(eh->ident, "\177ELF", 4) != 0)
		return ELF_EXEC_BAD_MAGIC;
	if (eh->ident[4] != ELFCLASS64 || eh->ident[5] != ELFDATA2LSB ||
	    eh->ident[6] != EV_CURRENT || eh->machine != EM_X86_64 || eh->version != EV_CURRENT)
		return ELF_EXEC_NOT_X86_64;
	if (eh->type != ELF_ET_EXEC && eh->type != ELF_ET_DYN)
		return ELF_EXEC_BAD_TYPE;
	if (eh->phentsize != ELF_EXEC_PHENT || eh->phnum == 0 ||
	    (uint64_t)eh->phnum * ELF_EXEC_PHENT > PHDRS_MAX ||
	    !in_image(eh->phoff, (uint64_t)eh->phnum * ELF_EXEC_PHENT, size))
		return ELF_EXEC_BAD_PHDRS;
	return ELF_EXEC_OK;
}

static enum elf_exec_error add_load(struct elf_exec *x, const struct elf64_phdr_img *ph,
				    size_t size, uint64_t limit)
{
	struct elf_exec_segment *s;
	uint64_t vaddr;

	if (ph->filesz > ph->memsz || !in_image(ph->offset, ph->filesz, size))
		return ELF_EXEC_BAD_SEGMENT;
	/* Pages are mapped whole, so file and memory offsets must agree within a page. */
	if ((ph->vaddr - ph->offset) & PAGE_MASK)
		return ELF_EXEC_BAD_SEGMENT;
	if (!in_user(x, ph->vaddr, ph->memsz, limit, &vaddr))
		return ELF_EXEC_BAD_ADDRESS;
	if (ph->memsz == 0)
		return ELF_EXEC_OK;
	if (x->nsegs > 0) {
		const struct elf_exec_segment *prev = &x->segs[x->nsegs - 1];

		/* Linux loads in ascending order; overlapping segments are malformed. */
		if (vaddr < prev->vaddr + prev->memsz)
			return ELF_EXEC_BAD_SEGMENT;
	}
	if (x->nsegs == ELF_EXEC_MAX_SEGMENTS)
		return ELF_EXEC_TOO_MANY_SEGMENTS;
	s = &x->segs[x->nsegs++];
	s->vaddr = vaddr;
	s->memsz = ph->memsz;
	s->offset = ph->offset;
	s->filesz = ph->filesz;
	s->prot = prot_of(ph->flags);
	s->map_start = trunc_page(vaddr);
	/* vaddr + memsz <= limit, which is page-aligned: rounding up cannot overflow. */
	s->map_end = trunc_page(vaddr + ph->memsz + PAGE_MASK);
	s->file_offset = trunc_page(ph->offset);
	s->file_len = (vaddr - s->map_start) + ph->filesz;
	s->zero_start = vaddr + ph->filesz;
	s->zero_end = ph->memsz > ph->filesz ? trunc_page(s->zero_start + PAGE_MASK) : s->zero_start;
	if (s->zero_end > s->map_end)
		s->zero_end = s->map_end;
	return ELF_EXEC_OK;
}

static enum elf_exec_error add_interp(struct elf_exec *x, const char *base,
				      const struct elf64_phdr_img *ph, size_t size)
{
	const char *path;

	if (x->interp || ph->filesz < 2 || ph->filesz > INTERP_MAX ||
	    !in_image(ph->offset, ph->filesz, size))
		return ELF_EXEC_BAD_INTERP;
	path = base + ph->offset;
	if (path[ph->filesz - 1] != 0)
		return ELF_EXEC_BAD_INTERP;
	x->interp = path;
	x->interp_len = strnlen(path, ph->filesz);
	if (x->interp_len == 0)
		return ELF_EXEC_BAD_INTERP;
	return ELF_EXEC_OK;
}

static enum elf_exec_error add_tls(struct elf_exec *x, const struct elf64_phdr_img *ph,
				   size_t size, uint64_t limit)
{
	if (x->has_tls || ph->filesz > ph->memsz || !in_image(ph->offset, ph->filesz, size) ||
	    (ph->align & (ph->align - 1)) ||
	    !in_user(x, ph->vaddr, ph->memsz, limit, &x->tls_vaddr))
		return ELF_EXEC_BAD_TLS;
	x->has_tls = 1;
	x->tls_filesz = ph->filesz;
	x->tls_memsz = ph->memsz;
	x->tls_align = ph->align;
	return ELF_EXEC_OK;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static void note_seen(struct elf_exec *x, const struct elf_exec_note *n)
{
	/* The FreeBSD brand goes by the owner name: Go's "Go" notes reuse its type numbers. */
	if (n->namesz == 8 && memcmp(n->name, "FreeBSD", 8) == 0 &&
	    n->type == ELF_NT_FREEBSD_ABI_TAG && n->descsz >= 4) {
		x->has_freebsd_tag = 1;
		memcpy(&x->freebsd_osrel, n->desc, 4);
	}
	if (x->nnotes < ELF_EXEC_MAX_NOTES)
		x->notes[x->nnotes] = *n;
	x->nnotes++;
}

/*
 * A PT_NOTE segment: {namesz, descsz, type} then the name and the desc, each padded
 * to the segment's alignment (8 for .note.gnu.property segments, else 4).
 */
static enum elf_exec_error add_notes(struct elf_exec *x, const char *base,
				     const struct elf64_phdr_img *ph, size_t size)
{
	uint64_t a = ph->align == 8 ? 8 : 4, off = 0;
	const char *p;
	uint32_t hdr[3];

	if (!in_image(ph->offset, ph->filesz, size))
		return ELF_EXEC_BAD_NOTE;
	p = base + ph->offset;
	while (off < ph->filesz) {
		struct elf_exec_note n;
		uint64_t name_off, desc_off, end;

		if (ph->filesz - off < sizeof(hdr))
			return ELF_EXEC_BAD_NOTE;
		memcpy(hdr, p + off, sizeof(hdr));
		/* Sizes are 32-bit, so these sums cannot overflow 64 bits. */
		name_off = off + sizeof(hdr);
		desc_off = align_up(name_off + hdr[0], a);
		end = align_up(desc_off + hdr[1], a);
		if (desc_off + hdr[1] > ph->filesz)
			return ELF_EXEC_BAD_NOTE;
		n.name = p + name_off;
		n.namesz = hdr[0];
		n.type = hdr[2];
		n.desc = (const uint8_t *)p + desc_off;
		n.descsz = hdr[1];
		note_seen(x, &n);
		off = end < ph->filesz ? end : ph->filesz;
	}
	return ELF_EXEC_OK;
}

/* Where the program headers are in memory: PT_PHDR, else the PT_LOAD whose file
 * bytes hold them (what AT_PHDR must point at). */
static uint64_t find_phdr(const struct elf_exec *x, const struct elf64_ehdr_img *eh,
			  uint64_t pt_phdr)
{
	uint64_t len = (uint64_t)eh->phnum * ELF_EXEC_PHENT;

	for (int i = 0; i < x->nsegs; i++) {
		const struct elf_exec_segment *s = &x->segs[i];

		if (pt_phdr) {
			if (pt_phdr >= s->vaddr && pt_phdr - s->vaddr <= s->filesz &&
			    len <= s->filesz - (pt_phdr - s->vaddr))
				return pt_phdr;
		} else if (eh->phoff >= s->offset && eh->phoff - s->offset <= s->filesz &&
			   len <= s->filesz - (eh->phoff - s->offset)) {
			return s->vaddr + (eh->phoff - s->offset);
		}
	}
	return 0;
}

static enum elf_exec_error check_entry(struct elf_exec *x, uint64_t entry, uint64_t limit)
{
	if (!in_user(x, entry, 1, limit, &x->entry))
		return ELF_EXEC_BAD_ENTRY;
	for (int i = 0; i < x->nsegs; i++)
		if (x->entry >= x->segs[i].vaddr && x->entry - x->segs[i].vaddr < x->segs[i].memsz)
			return ELF_EXEC_OK;
	return ELF_EXEC_BAD_ENTRY;
}

/* Headers are copied out: an image may place them at any (misaligned) offset. */
enum elf_exec_error elf_exec_parse(const void *image, size_t size, uint64_t bias,
				   uint64_t limit, struct elf_exec *out)
{
	const char *base = image;
	struct elf64_ehdr_img eh;
	struct elf64_phdr_img ph;
	enum elf_exec_error err = ELF_EXEC_OK;
	uint64_t pt_phdr = 0;

	memset(out, 0, sizeof(*out));
	out->stack_prot = ELF_PROT_R | ELF_PROT_W | ELF_PROT_X;
	if (size < sizeof(eh))
		return ELF_EXEC_TRUNCATED;
	memcpy(&eh, base, sizeof(eh));
	if ((err = check_header(&eh, size)) != ELF_EXEC_OK)
		return err;
	out->type = eh.type;
	out->osabi = eh.ident[7];
	out->phnum = eh.phnum;
	if (eh.type == ELF_ET_DYN) {
		if (bias & PAGE_MASK)
			return ELF_EXEC_BAD_ADDRESS;
		out->bias = bias;
	}
	limit = trunc_page(limit);
	for (int i = 0; i < eh.phnum && err == ELF_EXEC_OK; i++) {
		memcpy(&ph, base + eh.phoff + (size_t)i * sizeof(ph), sizeof(ph));
		switch (ph.type) {
		case PT_LOAD:
			err = add_load(out, &ph, size, limit);
			break;
		case PT_INTERP:
			err = add_interp(out, base, &ph, size);
			break;
		case PT_NOTE:
			err = add_notes(out, base, &ph, size);
			break;
		case PT_TLS:
			err = add_tls(out, &ph, size, limit);
			break;
		case PT_PHDR:
			if (!in_user(out, ph.vaddr, ph.memsz, limit, &pt_phdr))
				err = ELF_EXEC_BAD_ADDRESS;
			break;
		case PT_GNU_STACK:
			out->has_gnu_stack = 1;
			out->stack_prot = prot_of(ph.flags);
			break;
		}
	}
	if (err != ELF_EXEC_OK)
		return err;
	if (out->nsegs == 0)
		return ELF_EXEC_NO_SEGMENTS;
	out->lo = out->segs[0].map_start;
	out->hi = out->segs[out->nsegs - 1].map_end;
	out->phdr = find_phdr(out, &eh, pt_phdr);
	out->brand = out->osabi == ELF_OSABI_FREEBSD || out->has_freebsd_tag ?
		     ELF_BRAND_FREEBSD : ELF_BRAND_LINUX;
	return check_entry(out, eh.entry, limit);
}

const char *elf_exec_strerror(enum elf_exec_error e)
{
	static const char *const msgs[] = {
		[ELF_EXEC_OK] = "ok",
		[ELF_EXEC_TRUNCATED] = "image shorter than an ELF header",
		[ELF_EXEC_BAD_MAGIC] = "not an ELF image",
		[ELF_EXEC_NOT_X86_64] = "not a little-endian ELF64 x86_64 image",
		[ELF_EXEC_BAD_TYPE] = "not an executable (ET_EXEC or ET_DYN)",
		[ELF_EXEC_BAD_PHDRS] = "bad program header table",
		[ELF_EXEC_BAD_SEGMENT] = "bad loadable segment",
		[ELF_EXEC_BAD_ADDRESS] = "segment outside user space or bad load bias",
		[ELF_EXEC_TOO_MANY_SEGMENTS] = "too many loadable segments",
		[ELF_EXEC_NO_SEGMENTS] = "no loadable segment",
		[ELF_EXEC_BAD_ENTRY] = "entry point outside the loaded segments",
		[ELF_EXEC_BAD_INTERP] = "bad interpreter path (PT_INTERP)",
		[ELF_EXEC_BAD_TLS] = "bad TLS segment (PT_TLS)",
		[ELF_EXEC_BAD_NOTE] = "bad note (PT_NOTE)",
	};
	return (unsigned)e < sizeof(msgs) / sizeof(msgs[0]) ? msgs[e] : "unknown error";
}
