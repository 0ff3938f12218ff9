/*
 * ELF64 x86_64 executables for the personalities: an image in memory becomes an exec
 * plan (what to map where, the entry point, the interpreter, TLS, stack, the notes
 * that decide which personality runs it). Pure logic: every offset, size and address
 * is checked against the image and the address limit, so a malformed image is refused
 * with an error, never followed out of bounds. Builds freestanding and hosted.
 */
#ifndef _PERS_ELF_H_
#define _PERS_ELF_H_

#include <stddef.h>
#include <stdint.h>

#define ELF_EXEC_PAGE		4096
#define ELF_EXEC_MAX_SEGMENTS	16
#define ELF_EXEC_MAX_NOTES	8	/* notes kept in the plan; all are checked */
#define ELF_EXEC_PHENT		56	/* sizeof(Elf64_Phdr), AT_PHENT */

/* e_type, EI_OSABI values and p_flags/prot bits (R 1, W 2, X 4, as PROT_ and VM_PROT_). */
#define ELF_ET_EXEC		2
#define ELF_ET_DYN		3
#define ELF_OSABI_SYSV		0
#define ELF_OSABI_GNU		3
#define ELF_OSABI_FREEBSD	9
#define ELF_PROT_R		1
#define ELF_PROT_W		2
#define ELF_PROT_X		4
#define ELF_NT_FREEBSD_ABI_TAG	1	/* owner "FreeBSD", desc = __FreeBSD_version */
#define ELF_NT_GNU_ABI_TAG	1	/* owner "GNU" */

/* The on-disk headers (System V ABI, ELF-64 object file format). */
struct elf64_ehdr_img {
	unsigned char ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr_img {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

_Static_assert(sizeof(struct elf64_ehdr_img) == 64, "ELF header size");
_Static_assert(sizeof(struct elf64_phdr_img) == ELF_EXEC_PHENT, "ELF program header size");

/*
 * One PT_LOAD, addresses after the bias. To load it: [map_start, map_end) is mapped
 * with prot; the file_len bytes at image offset file_offset go to map_start (the page
 * head before vaddr included, as a file mapping would show it); everything else in the
 * range reads as zero. A loader that maps whole file pages instead must clear
 * [zero_start, zero_end), the bss tail inside the last file page, and give fresh zero
 * pages from round_page(zero_start) to map_end. Segments come in ascending order,
 * never overlapping, though two may share a page (load them in order).
 */
struct elf_exec_segment {
	uint64_t vaddr, memsz;		/* as in the header, vaddr biased */
	uint64_t offset, filesz;
	int prot;			/* ELF_PROT_* */
	uint64_t map_start, map_end;	/* page-rounded */
	uint64_t file_offset;		/* page-truncated offset */
	uint64_t file_len;		/* (vaddr - map_start) + filesz */
	uint64_t zero_start, zero_end;	/* vaddr + filesz .. end of its page (if memsz > filesz) */
};

struct elf_exec_note {
	const char *name;		/* in the image; namesz bytes, normally ending in NUL */
	uint32_t namesz;
	uint32_t type;
	const uint8_t *desc;		/* in the image */
	uint32_t descsz;
};

enum elf_brand {
	ELF_BRAND_LINUX,
	ELF_BRAND_FREEBSD,
};

struct elf_exec {
	int type;			/* ELF_ET_EXEC or ELF_ET_DYN */
	uint8_t osabi;			/* e_ident[EI_OSABI] */
	uint64_t bias;			/* added to every address (0 for ET_EXEC) */
	uint64_t entry;			/* biased */
	uint64_t lo, hi;		/* page-rounded span of all segments */
	int nsegs;
	struct elf_exec_segment segs[ELF_EXEC_MAX_SEGMENTS];
	uint64_t phdr;			/* the program headers in memory (AT_PHDR), 0 if unmapped */
	uint16_t phnum;
	const char *interp;		/* PT_INTERP path in the image (NUL-terminated), or NULL */
	size_t interp_len;		/* strlen(interp) */
	int has_tls;			/* PT_TLS: the initial TLS image */
	uint64_t tls_vaddr, tls_filesz, tls_memsz, tls_align;
	int has_gnu_stack;		/* PT_GNU_STACK present; otherwise the stack is executable */
	int stack_prot;			/* ELF_PROT_*; R|W|X when absent */
	int nnotes;			/* every note seen; the first ELF_EXEC_MAX_NOTES kept */
	struct elf_exec_note notes[ELF_EXEC_MAX_NOTES];
	enum elf_brand brand;		/* GUESTS.md §4.3's rule */
	int has_freebsd_tag;		/* a "FreeBSD" NT_FREEBSD_ABI_TAG note */
	uint32_t freebsd_osrel;		/* its value (0 without one) */
};

enum elf_exec_error {
	ELF_EXEC_OK,
	ELF_EXEC_TRUNCATED,		/* shorter than an ELF header */
	ELF_EXEC_BAD_MAGIC,
	ELF_EXEC_NOT_X86_64,		/* class, data encoding, version or machine */
	ELF_EXEC_BAD_TYPE,		/* not ET_EXEC or ET_DYN */
	ELF_EXEC_BAD_PHDRS,		/* table outside the image, wrong entry size, count */
	ELF_EXEC_BAD_SEGMENT,		/* filesz > memsz, data outside the image, misaligned, order */
	ELF_EXEC_BAD_ADDRESS,		/* outside [page 1, limit), overflow, bad bias */
	ELF_EXEC_TOO_MANY_SEGMENTS,
	ELF_EXEC_NO_SEGMENTS,
	ELF_EXEC_BAD_ENTRY,		/* the entry point is in no segment */
	ELF_EXEC_BAD_INTERP,		/* not NUL-terminated, empty, too long, outside, twice */
	ELF_EXEC_BAD_TLS,
	ELF_EXEC_BAD_NOTE,		/* a note running past its segment */
};

/*
 * Parses image[0, size). bias: the load address the caller chose for an ET_DYN image
 * (page-aligned; ignored for ET_EXEC). To choose one from the image's size, parse
 * with any candidate first: hi - lo is the span to find room for. limit: the end of
 * user space; every mapped byte lies in [ELF_EXEC_PAGE, limit) so that NULL always
 * faults. Pointers in *out point into the image and live as long as it does.
 */
enum elf_exec_error elf_exec_parse(const void *image, size_t size, uint64_t bias,
				   uint64_t limit, struct elf_exec *out);
const char *elf_exec_strerror(enum elf_exec_error e);

#endif /* _PERS_ELF_H_ */
