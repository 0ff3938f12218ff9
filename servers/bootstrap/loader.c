/*
 * Loads a static ELF64 x86_64 executable into another task and starts it (loader.h).
 * Every offset and size comes from the image and is checked before use: a bad module
 * is refused with a reason, never followed.
 */
#include <stdbool.h>
#include <string.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include <mach/vm_prot.h>
#include <mach/x86_64/thread_status.h>
#include "loader.h"

#define PAGE		4096ull
#define TRUNC(x)	((x) & ~(PAGE - 1))
#define ROUND(x)	(((x) + PAGE - 1) & ~(PAGE - 1))
#define MAX_SEGS	16

#define ET_EXEC		2
#define ET_DYN		3
#define EM_X86_64	62
#define PT_LOAD		1
#define PT_INTERP	3
#define PT_GNU_STACK	0x6474e551

struct ehdr {
	unsigned char ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

_Static_assert(sizeof(struct ehdr) == 64, "ELF64 header");
_Static_assert(sizeof(struct phdr) == 56, "ELF64 program header");

struct seg {
	uint64_t vaddr, memsz, offset, filesz;
	vm_prot_t prot;
};

struct image {
	uint64_t entry;
	int nsegs;
	struct seg segs[MAX_SEGS];
	vm_prot_t stack_prot;
};

/* ELF's PF_X = 1, PF_W = 2, PF_R = 4 to VM_PROT_*. */
static vm_prot_t prot_of(uint32_t f)
{
	return ((f & 4) ? VM_PROT_READ : 0) | ((f & 2) ? VM_PROT_WRITE : 0) |
	       ((f & 1) ? VM_PROT_EXECUTE : 0);
}

static const char *check_segment(struct image *im, const struct phdr *ph, uint64_t bias, size_t size)
{
	const uint64_t limit = LOADER_USER_LIMIT - LOADER_STACK_SIZE;
	uint64_t vaddr;

	if (ph->filesz > ph->memsz || ph->offset > size || ph->filesz > size - ph->offset)
		return "a segment's data lies outside the image";
	if ((ph->vaddr - ph->offset) % PAGE)
		return "a segment's address and file offset disagree within a page";
	if (ph->vaddr > limit - bias || ph->memsz > limit - (ph->vaddr + bias))
		return "a segment lies outside user space";
	vaddr = ph->vaddr + bias;
	if (vaddr < PAGE)
		return "a segment maps page 0";
	if (ph->memsz == 0)
		return NULL;
	if (im->nsegs && vaddr < im->segs[im->nsegs - 1].vaddr + im->segs[im->nsegs - 1].memsz)
		return "loadable segments overlap or are out of order";
	if (im->nsegs == MAX_SEGS)
		return "more than 16 loadable segments";
	im->segs[im->nsegs++] = (struct seg){ vaddr, ph->memsz, ph->offset, ph->filesz, prot_of(ph->flags) };
	return NULL;
}

static const char *parse(const uint8_t *base, size_t size, struct image *im)
{
	struct ehdr eh;
	struct phdr ph;
	uint64_t bias;
	const char *why;

	memset(im, 0, sizeof(*im));
	im->stack_prot = VM_PROT_ALL;
	if (size < sizeof(eh))
		return "shorter than an ELF header";
	memcpy(&eh, base, sizeof(eh));	/* copied: the header may be misaligned */
	if (memcmp(eh.ident, "\177ELF", 4) != 0)
		return "not an ELF image";
	if (eh.ident[4] != 2 || eh.ident[5] != 1 || eh.machine != EM_X86_64 || eh.version != 1)
		return "not a little-endian ELF64 x86_64 image";
	if (eh.type != ET_EXEC && eh.type != ET_DYN)
		return "not an executable (ET_EXEC or ET_DYN)";
	if (eh.phentsize != sizeof(ph) || eh.phnum == 0 || eh.phoff > size ||
	    (size - eh.phoff) / sizeof(ph) < eh.phnum)
		return "bad program header table";
	bias = eh.type == ET_DYN ? LOADER_DYN_BASE : 0;
	for (int i = 0; i < eh.phnum; i++) {
		memcpy(&ph, base + eh.phoff + (size_t)i * sizeof(ph), sizeof(ph));
		if (ph.type == PT_INTERP)
			return "dynamically linked (PT_INTERP)";
		if (ph.type == PT_GNU_STACK)
			im->stack_prot = prot_of(ph.flags);
		if (ph.type == PT_LOAD && (why = check_segment(im, &ph, bias, size)))
			return why;
	}
	if (im->nsegs == 0)
		return "no loadable segment";
	im->entry = eh.entry + bias;
	for (int i = 0; i < im->nsegs; i++)
		if (im->entry >= im->segs[i].vaddr && im->entry - im->segs[i].vaddr < im->segs[i].memsz &&
		    (im->segs[i].prot & VM_PROT_EXECUTE))
			return NULL;
	return "the entry point is not in an executable segment";
}

/*
 * Segments [first, last] share pages in a chain (run): one allocation and one write
 * for all of them, then each its protection; a page two segments share gets both.
 */
static kern_return_t load_run(mach_port_t task, const uint8_t *base, const struct image *im,
			      int first, int last)
{
	mach_port_t self = mach_task_self();
	uint64_t start = TRUNC(im->segs[first].vaddr);
	uint64_t end = ROUND(im->segs[last].vaddr + im->segs[last].memsz);
	uint64_t data_end = start;
	vm_address_t buf = 0, at = start;
	kern_return_t kr;

	for (int i = first; i <= last; i++)
		if (im->segs[i].filesz && ROUND(im->segs[i].vaddr + im->segs[i].filesz) > data_end)
			data_end = ROUND(im->segs[i].vaddr + im->segs[i].filesz);
	kr = vm_allocate(task, &at, end - start, 0);
	if (kr == KERN_SUCCESS && data_end > start) {
		/* The pages past the last file byte stay as vm_allocate made them: zero. */
		kr = vm_allocate(self, &buf, data_end - start, 1);
		if (kr != KERN_SUCCESS)
			return kr;
		for (int i = first; i <= last; i++)
			memcpy((uint8_t *)buf + (im->segs[i].vaddr - start), base + im->segs[i].offset,
			       im->segs[i].filesz);
		kr = vm_write(task, start, buf, data_end - start);
		vm_deallocate(self, buf, data_end - start);
	}
	for (int i = first; i <= last && kr == KERN_SUCCESS; i++) {
		const struct seg *s = &im->segs[i];

		kr = vm_protect(task, TRUNC(s->vaddr), ROUND(s->vaddr + s->memsz) - TRUNC(s->vaddr), 0, s->prot);
		if (kr == KERN_SUCCESS && i > first &&
		    TRUNC(s->vaddr) < ROUND(im->segs[i - 1].vaddr + im->segs[i - 1].memsz))
			kr = vm_protect(task, TRUNC(s->vaddr), PAGE, 0, s->prot | im->segs[i - 1].prot);
	}
	return kr;
}

static kern_return_t load_image(mach_port_t task, const uint8_t *base, const struct image *im)
{
	int first = 0;
	kern_return_t kr = KERN_SUCCESS;

	for (int i = 0; i < im->nsegs && kr == KERN_SUCCESS; i++) {
		bool joined = i + 1 < im->nsegs &&
			      TRUNC(im->segs[i + 1].vaddr) < ROUND(im->segs[i].vaddr + im->segs[i].memsz);
		if (!joined) {
			kr = load_run(task, base, im, first, i);
			first = i + 1;
		}
	}
	return kr;
}

/*
 * The initial stack, as the kernel lays it out for boot-script tasks: at rsp argc, the
 * argv pointers, NULL, the (empty) environment's NULL, then the strings; rsp is the top
 * minus the whole area rounded up to 16.
 */
static kern_return_t load_stack(mach_port_t task, int argc, char *const argv[], vm_prot_t prot,
				uint64_t *sp)
{
	mach_port_t self = mach_task_self();
	const uint64_t top = LOADER_USER_LIMIT;
	vm_address_t stack = top - LOADER_STACK_SIZE, buf = 0;
	size_t ptrs = 8 * ((size_t)argc + 3), strs = 0, size, pages, off;
	uint64_t *words;
	uint8_t *area;
	kern_return_t kr;

	for (int i = 0; i < argc; i++)
		strs += strlen(argv[i]) + 1;
	size = (ptrs + strs + 15) & ~(size_t)15;
	pages = ROUND(size);
	if (pages > LOADER_STACK_SIZE / 2)
		return KERN_INVALID_ARGUMENT;
	kr = vm_allocate(task, &stack, LOADER_STACK_SIZE, 0);
	if (kr == KERN_SUCCESS)
		kr = vm_allocate(self, &buf, pages, 1);
	if (kr != KERN_SUCCESS)
		return kr;
	*sp = top - size;
	area = (uint8_t *)buf + (pages - size);	/* the buffer's end stands for top */
	words = (uint64_t *)area;
	words[0] = (uint64_t)argc;
	off = ptrs;
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;

		words[1 + i] = *sp + off;
		memcpy(area + off, argv[i], n);
		off += n;
	}
	/* words[1 + argc] ends argv and words[2 + argc] the environment: vm_allocate zeroed them. */
	kr = vm_write(task, top - pages, buf, pages);
	vm_deallocate(self, buf, pages);
	if (kr == KERN_SUCCESS)
		kr = vm_protect(task, top - LOADER_STACK_SIZE, LOADER_STACK_SIZE, 0, prot);
	return kr;
}

static kern_return_t start_thread(mach_port_t task, uint64_t entry, uint64_t sp)
{
	struct i386_thread_state s;
	mach_msg_type_number_t n = i386_THREAD_STATE_COUNT;
	mach_port_t th;
	kern_return_t kr = thread_create(task, &th);

	if (kr != KERN_SUCCESS)
		return kr;
	kr = thread_get_state(th, i386_THREAD_STATE, (thread_state_t)&s, &n);
	if (kr == KERN_SUCCESS) {
		s.rip = entry;
		s.ursp = sp;
		kr = thread_set_state(th, i386_THREAD_STATE, (thread_state_t)&s, i386_THREAD_STATE_COUNT);
	}
	if (kr == KERN_SUCCESS)
		kr = thread_resume(th);
	mach_port_deallocate(mach_task_self(), th);
	return kr;
}

kern_return_t loader_start(mach_port_t task, const void *image, size_t size, int argc,
			   char *const argv[], const char **why)
{
	static struct image im;
	uint64_t sp = 0;
	kern_return_t kr;

	*why = parse(image, size, &im);
	if (*why)
		return KERN_INVALID_ARGUMENT;
	kr = load_image(task, image, &im);
	*why = "cannot load the image";
	if (kr != KERN_SUCCESS)
		return kr;
	kr = load_stack(task, argc, argv, im.stack_prot, &sp);
	*why = "cannot make the stack";
	if (kr != KERN_SUCCESS)
		return kr;
	kr = start_thread(task, im.entry, sp);
	*why = kr == KERN_SUCCESS ? NULL : "cannot start the thread";
	return kr;
}
