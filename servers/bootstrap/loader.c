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
#include "elf.h"
#include "loader.h"

#define PAGE		4096ull
#define ROUND(x)	(((x) + PAGE - 1) & ~(PAGE - 1))

/* The plan's protections go to vm_protect as they are. */
_Static_assert(ELF_PROT_R == VM_PROT_READ && ELF_PROT_W == VM_PROT_WRITE &&
	       ELF_PROT_X == VM_PROT_EXECUTE, "ELF and VM protection bits");

/*
 * The exec plan (lib/elf checks the image: headers, segments inside it and inside user
 * space below the stack, page 0 unmapped, the entry in a segment), then what a module
 * task needs beyond it: no interpreter to run, an entry point it may execute.
 */
static const char *plan(const void *image, size_t size, struct elf_exec *x)
{
	enum elf_exec_error err = elf_exec_parse(image, size, LOADER_DYN_BASE,
						 LOADER_USER_LIMIT - LOADER_STACK_SIZE, x);

	if (err != ELF_EXEC_OK)
		return elf_exec_strerror(err);
	if (x->interp)
		return "dynamically linked (PT_INTERP)";
	for (int i = 0; i < x->nsegs; i++)
		if (x->entry >= x->segs[i].vaddr && x->entry - x->segs[i].vaddr < x->segs[i].memsz &&
		    (x->segs[i].prot & ELF_PROT_X))
			return NULL;
	return "the entry point is not in an executable segment";
}

/*
 * Segments [first, last] share pages in a chain (run): one allocation and one write
 * for all of them, then each its protection; a page two segments share gets both.
 */
static kern_return_t load_run(mach_port_t task, const uint8_t *base, const struct elf_exec *x,
			      int first, int last)
{
	mach_port_t self = mach_task_self();
	uint64_t start = x->segs[first].map_start, end = x->segs[last].map_end;
	uint64_t data_end = start;
	vm_address_t buf = 0, at = start;
	kern_return_t kr;

	for (int i = first; i <= last; i++)
		if (x->segs[i].filesz && ROUND(x->segs[i].vaddr + x->segs[i].filesz) > data_end)
			data_end = ROUND(x->segs[i].vaddr + x->segs[i].filesz);
	kr = vm_allocate(task, &at, end - start, 0);
	if (kr == KERN_SUCCESS && data_end > start) {
		/* The pages past the last file byte stay as vm_allocate made them: zero. */
		kr = vm_allocate(self, &buf, data_end - start, 1);
		if (kr != KERN_SUCCESS)
			return kr;
		for (int i = first; i <= last; i++)
			memcpy((uint8_t *)buf + (x->segs[i].vaddr - start), base + x->segs[i].offset,
			       x->segs[i].filesz);
		kr = vm_write(task, start, buf, data_end - start);
		vm_deallocate(self, buf, data_end - start);
	}
	for (int i = first; i <= last && kr == KERN_SUCCESS; i++) {
		const struct elf_exec_segment *s = &x->segs[i];

		kr = vm_protect(task, s->map_start, s->map_end - s->map_start, 0, s->prot);
		if (kr == KERN_SUCCESS && i > first && s->map_start < x->segs[i - 1].map_end)
			kr = vm_protect(task, s->map_start, PAGE, 0, s->prot | x->segs[i - 1].prot);
	}
	return kr;
}

static kern_return_t load_image(mach_port_t task, const uint8_t *base, const struct elf_exec *x)
{
	int first = 0;
	kern_return_t kr = KERN_SUCCESS;

	for (int i = 0; i < x->nsegs && kr == KERN_SUCCESS; i++) {
		bool joined = i + 1 < x->nsegs && x->segs[i + 1].map_start < x->segs[i].map_end;

		if (!joined) {
			kr = load_run(task, base, x, first, i);
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
	static struct elf_exec x;	/* about 2 KiB: not on the stack */
	uint64_t sp = 0;
	kern_return_t kr;

	*why = plan(image, size, &x);
	if (*why)
		return KERN_INVALID_ARGUMENT;
	kr = load_image(task, image, &x);
	*why = "cannot load the image";
	if (kr != KERN_SUCCESS)
		return kr;
	kr = load_stack(task, argc, argv, x.stack_prot, &sp);
	*why = "cannot make the stack";
	if (kr != KERN_SUCCESS)
		return kr;
	kr = start_thread(task, x.entry, sp);
	*why = kr == KERN_SUCCESS ? NULL : "cannot start the thread";
	return kr;
}
