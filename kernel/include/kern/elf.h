/*
 * Static ELF64 x86_64 executables: validation and the list of segments to load.
 * Pure logic: every offset, size and address is checked against the image and user
 * space, so a malformed image is refused, never followed.
 */
#ifndef _KERN_ELF_H_
#define _KERN_ELF_H_

#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGMENTS	16

/* The on-disk headers (System V ABI, ELF-64 object file format). */
#define EI_NIDENT	16

struct elf64_ehdr {
	unsigned char ident[EI_NIDENT];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF header size");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF program header size");


struct elf_segment {
	uint64_t vaddr;		/* after the load bias */
	uint64_t memsz;
	uint64_t offset;	/* in the image */
	uint64_t filesz;
	int prot;		/* VM_PROT_READ | _WRITE | _EXECUTE */
};

struct elf_image {
	uint64_t entry;		/* after the load bias */
	uint64_t load_bias;	/* USER_DYN_BASE for ET_DYN, else 0 */
	int nsegs;
	struct elf_segment segs[ELF_MAX_SEGMENTS];
	int stack_prot;		/* from PT_GNU_STACK, rwx when absent */
};

enum elf_error {
	ELF_OK,
	ELF_TRUNCATED,		/* shorter than its headers say */
	ELF_BAD_MAGIC,
	ELF_NOT_X86_64,		/* wrong class, data encoding, version or machine */
	ELF_BAD_TYPE,		/* not ET_EXEC or ET_DYN */
	ELF_BAD_PHDRS,		/* program header table out of range or wrong entry size */
	ELF_BAD_SEGMENT,	/* filesz > memsz, data outside the image, misaligned */
	ELF_BAD_ADDRESS,	/* a segment or the entry outside user space */
	ELF_TOO_MANY_SEGMENTS,
	ELF_NO_SEGMENTS,
	ELF_INTERP,		/* needs a dynamic loader (PT_INTERP) */
};

/* user_limit: the end of user space (the segments and entry must lie below it). */
enum elf_error elf_parse(const void *image, size_t size, uint64_t user_limit,
			 struct elf_image *out);
const char *elf_strerror(enum elf_error e);

#endif /* _KERN_ELF_H_ */
