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
#include "elf_load.h"
#include "loader.h"

#define PAGE		4096ull
#define ROUND(x)	(((x) + PAGE - 1) & ~(PAGE - 1))

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
	kr = elf_exec_load(task, image, &x);
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
