/* ELF64 image validation (see kern/elf.h). */
#include <string.h>
#include <kern/elf.h>
#include <kern/layout.h>

#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define EV_CURRENT	1
#define ET_EXEC		2
#define ET_DYN		3
#define EM_X86_64	62
#define PT_LOAD		1
#define PT_INTERP	3
#define PT_GNU_STACK	0x6474e551
#define PF_X		1
#define PF_W		2
#define PF_R		4

static int prot_of(uint32_t pflags)
{
	return ((pflags & PF_R) ? 1 : 0) | ((pflags & PF_W) ? 2 : 0) | ((pflags & PF_X) ? 4 : 0);
}

static enum elf_error check_header(const struct elf64_ehdr *eh, size_t size)
{
	if (memcmp(eh->ident, "\177ELF", 4) != 0)
		return ELF_BAD_MAGIC;
	if (eh->ident[4] != ELFCLASS64 || eh->ident[5] != ELFDATA2LSB ||
	    eh->ident[6] != EV_CURRENT || eh->machine != EM_X86_64 || eh->version != EV_CURRENT)
		return ELF_NOT_X86_64;
	if (eh->type != ET_EXEC && eh->type != ET_DYN)
		return ELF_BAD_TYPE;
	if (eh->phentsize != sizeof(struct elf64_phdr) || eh->phnum == 0 ||
	    eh->phoff > size || (size - eh->phoff) / sizeof(struct elf64_phdr) < eh->phnum)
		return ELF_BAD_PHDRS;
	return ELF_OK;
}

static enum elf_error add_segment(struct elf_image *out, const struct elf64_phdr *ph,
				  size_t size, uint64_t user_limit)
{
	struct elf_segment *s;
	uint64_t vaddr;

	if (ph->filesz > ph->memsz || ph->offset > size || ph->filesz > size - ph->offset)
		return ELF_BAD_SEGMENT;
	/* Pages are mapped whole, so the file and memory offsets must agree within a page. */
	if ((ph->vaddr - ph->offset) % PAGE_SIZE)
		return ELF_BAD_SEGMENT;
	if (ph->vaddr > user_limit - out->load_bias)
		return ELF_BAD_ADDRESS;
	vaddr = ph->vaddr + out->load_bias;
	if (vaddr < PAGE_SIZE || ph->memsz > user_limit - vaddr)
		return ELF_BAD_ADDRESS;	/* page 0 stays unmapped, so NULL always faults */
	if (ph->memsz == 0)
		return ELF_OK;
	if (out->nsegs == ELF_MAX_SEGMENTS)
		return ELF_TOO_MANY_SEGMENTS;
	s = &out->segs[out->nsegs++];
	s->vaddr = vaddr;
	s->memsz = ph->memsz;
	s->offset = ph->offset;
	s->filesz = ph->filesz;
	s->prot = prot_of(ph->flags);
	return ELF_OK;
}

/* Headers are copied out: an image may place them at any (misaligned) offset. */
enum elf_error elf_parse(const void *image, size_t size, uint64_t user_limit,
			 struct elf_image *out)
{
	const char *base = image;
	struct elf64_ehdr eh;
	struct elf64_phdr ph;
	enum elf_error err;
	int entry_ok = 0;

	memset(out, 0, sizeof(*out));
	out->stack_prot = 7;
	if (size < sizeof(eh))
		return ELF_TRUNCATED;
	memcpy(&eh, base, sizeof(eh));
	if ((err = check_header(&eh, size)) != ELF_OK)
		return err;
	out->load_bias = eh.type == ET_DYN ? USER_DYN_BASE : 0;
	for (int i = 0; i < eh.phnum; i++) {
		memcpy(&ph, base + eh.phoff + (size_t)i * sizeof(ph), sizeof(ph));
		if (ph.type == PT_INTERP)
			return ELF_INTERP;
		if (ph.type == PT_GNU_STACK)
			out->stack_prot = prot_of(ph.flags);
		if (ph.type == PT_LOAD && (err = add_segment(out, &ph, size, user_limit)) != ELF_OK)
			return err;
	}
	if (out->nsegs == 0)
		return ELF_NO_SEGMENTS;
	if (eh.entry > user_limit - out->load_bias)
		return ELF_BAD_ADDRESS;
	out->entry = eh.entry + out->load_bias;
	for (int i = 0; i < out->nsegs; i++)
		if (out->entry >= out->segs[i].vaddr &&
		    out->entry - out->segs[i].vaddr < out->segs[i].memsz &&
		    (out->segs[i].prot & 4))
			entry_ok = 1;
	return entry_ok ? ELF_OK : ELF_BAD_ADDRESS;
}

const char *elf_strerror(enum elf_error e)
{
	static const char *const msgs[] = {
		[ELF_OK] = "ok",
		[ELF_TRUNCATED] = "image shorter than an ELF header",
		[ELF_BAD_MAGIC] = "not an ELF image",
		[ELF_NOT_X86_64] = "not a little-endian ELF64 x86_64 image",
		[ELF_BAD_TYPE] = "not an executable (ET_EXEC or ET_DYN)",
		[ELF_BAD_PHDRS] = "bad program header table",
		[ELF_BAD_SEGMENT] = "bad loadable segment",
		[ELF_BAD_ADDRESS] = "segment or entry point outside user space",
		[ELF_TOO_MANY_SEGMENTS] = "too many loadable segments",
		[ELF_NO_SEGMENTS] = "no loadable segment",
		[ELF_INTERP] = "dynamically linked (PT_INTERP)",
	};
	return (unsigned)e < sizeof(msgs) / sizeof(msgs[0]) ? msgs[e] : "unknown error";
}
