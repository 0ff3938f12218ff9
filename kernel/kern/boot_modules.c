/*
 * Starting the boot modules. Each GRUB module's command line is one boot-script
 * line (kern/bootscript.h): $(task-create) makes a task named after argv[0] and
 * loads the module's ELF image into it; ${...} arguments are expanded, ports
 * becoming send rights inserted into that task; $(task-resume) starts it once every
 * line has been processed. A bad line or image is reported and skipped.
 * Every module (started or not) stays in memory for the life of the system: the
 * boot_modules subsystem (5400) gives copies of them to the bootstrap server.
 */
#include <stdio.h>
#include <string.h>
#include <mach/boot_modules_types.h>
#include <arch/pmap.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <kern/boot.h>
#include <kern/bootscript.h>
#include <kern/elf.h>
#include <kern/host.h>
#include <kern/layout.h>
#include <kern/printf.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/user_stack.h>
#include <kern/vm_map.h>
#include <kern/zalloc.h>

#define SCRIPT_VARS	16
#define ARG_SIZE	512

/* Variables set by $(var=fn), for the lines that follow. */
static struct {
	char name[BS_NAME_MAX];
	struct ipc_port *port;
} script_vars[SCRIPT_VARS];
static int nscript_vars;

struct line_ctx {
	struct task *task;	/* the line's task, or NULL */
	const char *error;
};

static int port_arg(struct line_ctx *c, struct ipc_port *port, char *out, size_t size)
{
	uint32_t name;

	if (!c->task) {
		c->error = "a port variable needs $(task-create) on the same line";
		return -1;
	}
	if (ipc_right_copyout(c->task->space, ipc_port_make_send(port), MACH_MSG_TYPE_PORT_SEND,
			      &name) != KERN_SUCCESS) {
		c->error = "cannot insert a port right";
		return -1;
	}
	snprintf(out, size, "%u", name);
	return 0;
}

static int lookup(void *ctx, const char *name, char *out, size_t size)
{
	struct line_ctx *c = ctx;
	const char *cmdline = boot_info.cmdline;

	if (strcmp(name, "host-port") == 0)
		return port_arg(c, host_priv_port, out, size);
	if (strcmp(name, "device-port") == 0)
		return port_arg(c, device_master_port, out, size);
	if (strcmp(name, "kernel-task") == 0)
		return port_arg(c, kernel_task.self, out, size);
	if (strcmp(name, "kernel-command-line") == 0) {
		strlcpy(out, cmdline, size);
		return 0;
	}
	if (strcmp(name, "boot-args") == 0) {
		cmdline_boot_args(cmdline, out, size);
		return 0;
	}
	if (strcmp(name, "root-device") == 0) {
		cmdline_root_device(cmdline, out, size);
		return 0;
	}
	for (int i = 0; i < nscript_vars; i++)
		if (strcmp(script_vars[i].name, name) == 0)
			return port_arg(c, script_vars[i].port, out, size);
	return cmdline_value(cmdline, name, out, size);
}

static kern_return_t load_image(struct task *t, const struct boot_module *m, uint64_t *entry,
				int *stack_prot)
{
	const uint8_t *image = phys_to_virt(m->start);
	struct elf_image elf;
	enum elf_error err = elf_parse(image, m->end - m->start, USER_LIMIT - USER_STACK_SIZE, &elf);

	if (err != ELF_OK) {
		kprintf("boot: module %s: %s\n", t->name, elf_strerror(err));
		return KERN_INVALID_ARGUMENT;
	}
	uint64_t prev_end = 0;

	for (int i = 0; i < elf.nsegs; i++) {
		const struct elf_segment *s = &elf.segs[i];
		uint64_t start = s->vaddr & ~(uint64_t)(PAGE_SIZE - 1);
		uint64_t end = (s->vaddr + s->memsz + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
		kern_return_t kr = KERN_SUCCESS;

		/* Adjacent segments may share a page: it gets both protections. */
		if (prev_end > start) {
			vm_map_protect_add(&t->map, start, prev_end, s->prot);
			start = prev_end;
		}
		if (start < end)
			kr = vm_map_enter(&t->map, &start, end - start, false, s->prot);
		if (kr == KERN_SUCCESS)
			kr = vm_map_write(&t->map, s->vaddr, image + s->offset, s->filesz);
		if (kr != KERN_SUCCESS)
			return kr;
		prev_end = end > prev_end ? end : prev_end;
	}
	*entry = elf.entry;
	*stack_prot = elf.stack_prot;
	return KERN_SUCCESS;
}

/* Maps the stack, lays out argv/envp on it, and creates the first thread. */
static struct thread *start_thread(struct task *t, uint64_t entry, int stack_prot,
				   int argc, char **argv, int envc, char **envp)
{
	uint8_t *area = kalloc(PAGE_SIZE * 2);
	uint64_t sp = 0;
	size_t size;
	struct thread *th = NULL;

	if (!area)
		return NULL;
	uint64_t stack = USER_LIMIT - USER_STACK_SIZE;

	size = user_stack_build(USER_LIMIT, argc, argv, envc, envp, area, PAGE_SIZE * 2, &sp);
	if (size && vm_map_enter(&t->map, &stack, USER_STACK_SIZE, false, stack_prot) == KERN_SUCCESS &&
	    vm_map_write(&t->map, sp, area, size) == KERN_SUCCESS)
		th = thread_create_user(t, entry, sp);
	kfree(area, PAGE_SIZE * 2);
	return th;
}

static int has_func(const struct bs_line *l, const char *fn)
{
	for (int i = 0; i < l->nfuncs; i++)
		if (strcmp(l->funcs[i].name, fn) == 0)
			return 1;
	return 0;
}

/* Expands the arguments of a line into args (ARG_SIZE bytes each). */
static int expand_args(const struct bs_line *l, struct line_ctx *c, char (*args)[ARG_SIZE],
		       char *err, size_t errsz)
{
	for (int i = 0; i < l->argc; i++) {
		if (bootscript_expand(l->argv[i], lookup, c, args[i], ARG_SIZE, err, errsz) < 0) {
			if (c->error)
				strlcpy(err, c->error, errsz);
			return -1;
		}
	}
	return 0;
}

/* Processes one line; returns the thread to resume at the end, if any. */
static struct thread *run_line(const struct boot_module *m, const char *line, int envc, char **envp)
{
	static struct bs_line l;
	static char args[BS_MAX_ARGS][ARG_SIZE];
	char *argv[BS_MAX_ARGS];
	char err[128];
	struct line_ctx c = { NULL, NULL };
	struct thread *th = NULL;
	uint64_t entry = 0;
	int stack_prot = 0;

	if (bootscript_parse(line, &l, err, sizeof(err)) < 0) {
		kprintf("boot: module line '%s': %s\n", line, err);
		return NULL;
	}
	if (l.comment || l.argc == 0)
		return NULL;
	if (has_func(&l, "task-create")) {
		c.task = task_new(l.argv[0]);
		if (!c.task || load_image(c.task, m, &entry, &stack_prot) != KERN_SUCCESS) {
			kprintf("boot: cannot load module %s\n", l.argv[0]);
			goto fail;
		}
	}
	if (expand_args(&l, &c, args, err, sizeof(err)) < 0) {
		kprintf("boot: module line '%s': %s\n", line, err);
		goto fail;
	}
	for (int i = 0; i < l.argc; i++)
		argv[i] = args[i];
	for (int i = 0; i < l.nfuncs; i++) {
		if (l.funcs[i].var[0] && c.task && nscript_vars < SCRIPT_VARS) {
			strlcpy(script_vars[nscript_vars].name, l.funcs[i].var, BS_NAME_MAX);
			script_vars[nscript_vars++].port = c.task->self;
			ipc_port_reference(c.task->self);
		}
	}
	if (!c.task)
		return NULL;
	th = start_thread(c.task, entry, stack_prot, l.argc, argv, envc, envp);
	if (!th) {
		kprintf("boot: no memory to start %s\n", l.argv[0]);
		goto fail;
	}
	if (has_func(&l, "prompt-task-resume")) {
		kprintf("boot: press Return to start %s\n", l.argv[0]);
		console_wait_return();
		return th;
	}
	if (has_func(&l, "task-resume"))
		return th;
	/* Left suspended, as in GNU Mach: another task's task_resume starts it. */
	c.task->suspend_count = 1;
	return NULL;
fail:
	if (c.task)
		task_terminate_task(c.task);
	return NULL;
}

void boot_modules_start(void)
{
	struct thread *resume[BOOT_MAX_MODULES];
	char compat[BOOT_CMDLINE_MAX + 8], env[BOOT_CMDLINE_MAX + 32];
	char *envp[1] = { env };
	int nresume = 0;

	snprintf(env, sizeof(env), "MULTIBOOT_CMDLINE=%s", boot_info.cmdline);
	for (int i = 0; i < boot_info.nmods; i++) {
		const struct boot_module *m = &boot_info.mods[i];
		const char *line = m->cmdline;
		int envc = 0;
		struct thread *th;

		/*
		 * Compatibility: a single module with no arguments is the bootstrap server,
		 * and sees the kernel command line in its environment.
		 */
		if (boot_info.nmods == 1 && !strchr(line, ' ')) {
			snprintf(compat, sizeof(compat), "bootstrap ${boot-args} ${host-port} "
				 "${device-port} ${root-device} $(task-create) $(task-resume)");
			line = compat;
			envc = boot_info.cmdline[0] ? 1 : 0;
		}
		th = run_line(m, line, envc, envp);
		if (th)
			resume[nresume++] = th;
	}
	for (int i = 0; i < nresume; i++) {
		kprintf("boot: starting %s\n", resume[i]->task->name);
		thread_start_running(resume[i]);
	}
	/* The modules' pages are never given to the allocator (memory_init excludes
	   them): bootstrap reads them again to restart a server. */
}

/* boot_module_count (5400). Conditions: interrupts disabled; ports are kernel-space names. */
kern_return_t boot_module_count(mach_port_t host_priv, int *count)
{
	if (!ipc_kobject_lookup(host_priv, IKOT_HOST_PRIV))
		return KERN_INVALID_HOST;
	*count = boot_info.nmods;
	return KERN_SUCCESS;
}

/*
 * boot_module_get (5401): the module's GRUB command line and a copy of its bytes, which
 * the reply carries out of line as a virtual copy (the client gets fresh pages).
 */
kern_return_t boot_module_get(mach_port_t host_priv, int index, boot_module_cmdline_t cmdline,
			      vm_offset_t *image, mach_msg_type_number_t *imageCnt)
{
	const struct boot_module *m;
	struct vm_map_copy *copy = NULL;
	uint64_t size;

	if (!ipc_kobject_lookup(host_priv, IKOT_HOST_PRIV))
		return KERN_INVALID_HOST;
	if (index < 0 || index >= boot_info.nmods)
		return KERN_INVALID_ARGUMENT;
	m = &boot_info.mods[index];
	size = m->end - m->start;
	if (size > UINT32_MAX)	/* the count is 32 bits (multiboot_read bounds it anyway) */
		return KERN_RESOURCE_SHORTAGE;
	if (size) {
		copy = vm_map_copy_kernel(phys_to_virt(m->start), size);
		if (!copy)
			return KERN_RESOURCE_SHORTAGE;
	}
	_Static_assert(sizeof(boot_module_cmdline_t) == BOOT_CMDLINE_MAX, "command-line size");
	strlcpy(cmdline, m->cmdline, sizeof(boot_module_cmdline_t));
	*image = copy ? (vm_offset_t)copy | IPC_OOL_COPY : 0;
	*imageCnt = (mach_msg_type_number_t)size;
	return KERN_SUCCESS;
}
