/*
 * execve: the program (a static or PT_INTERP ELF, or a #! script) replaces the
 * process's address space in place. The task and its thread stay (so do the pid, the
 * syscall port and the descriptors without close-on-exec); everything mapped is
 * removed, the images loaded with lib/elf, the stack built by stack.c, and the call
 * answered with a jump to the entry point.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mach/mach_interface.h>
#include <mach/mach_traps.h>
#include <mach/vm_prot.h>
#include <mach/x86_64/thread_status.h>
#include "elf.h"
#include "elf_load.h"
#include "lx.h"
#include "lx_core.h"
#include "stack.h"

#define PAGE		4096ull
#define ROUND(x)	(((x) + PAGE - 1) & ~(PAGE - 1))
#define TRUNC(x)	((x) & ~(PAGE - 1))

#define USER_LIMIT	0x00007ffffffff000ull	/* the stack's top */
#define STACK_SIZE	(8ull << 20)
#define DYN_BASE	0x0000555555554000ull	/* an ET_DYN program */
#define INTERP_BASE	0x00007fff00000000ull	/* its interpreter */
#define MMAP_BASE	0x00007ff000000000ull
#define MAX_ARGS	8192
#define ARG_BYTES	(2u << 20)		/* all strings together */
#define MAX_IMAGE	(256u << 20)
#define SCRIPT_DEPTH	4

/*
 * The name /proc/<pid>/exe shows for path: absolute, with a symbolic link in the last
 * component followed (busybox runs its applets through /proc/self/exe, whose exe must
 * still read /bin/busybox).
 */
static void exec_name(struct lx_proc *p, const struct vfs_ctx *ctx, const char *path,
		      char *out, size_t size)
{
	char cur[U_PATH_MAX], target[U_PATH_MAX];

	snprintf(cur, sizeof(cur), "%s", path);
	for (int i = 0; i < U_SYMLOOP_MAX; i++) {
		struct vnode *vp;
		long n;

		if (vfs_lookup(ctx, p->cwd, cur, UAT_NOFOLLOW, &vp) < 0)
			break;
		if (vp->attr.type != VLNK) {
			vnode_rele(vp);
			break;
		}
		n = vfs_readlink(vp, target, sizeof(target) - 1);
		vnode_rele(vp);
		if (n <= 0)
			break;
		target[n] = 0;
		if (target[0] == '/') {
			snprintf(cur, sizeof(cur), "%s", target);
		} else {
			char *slash = NULL;
			for (char *c = cur; *c; c++)
				if (*c == '/')
					slash = c;
			if (slash)
				slash[1] = 0;
			else
				cur[0] = 0;
			size_t l = strlen(cur);
			snprintf(cur + l, sizeof(cur) - l, "%s", target);
		}
	}
	if (cur[0] == '/') {
		snprintf(out, size, "%s", cur);
	} else {
		char cwd[U_PATH_MAX];

		if (vfs_getcwd(ctx, cwd, sizeof(cwd)) < 0)
			cwd[0] = 0;
		snprintf(out, size, "%s/%s", strcmp(cwd, "/") == 0 ? "" : cwd, cur);
	}
}

/*
 * Prepared programs: a program started again (every busybox applet is busybox) is
 * mapped from pages laid out once (elf_exec_prepare), by copy-on-write copies, instead
 * of being read from its file and copied again. An entry is the file (a reference,
 * checked against its size and modification time) loaded at one bias.
 */
#define EXEC_CACHE	8

struct exec_entry {
	struct vnode *vp;		/* NULL: a free slot */
	uint64_t bias, size;
	struct utimespec mtime;
	uint64_t used;			/* for replacing the least recently used */
	struct elf_exec x;		/* interp points to interp_path; no notes */
	char interp_path[U_PATH_MAX];
	struct elf_exec_image img;
};

static struct exec_entry cache[EXEC_CACHE];
static uint64_t cache_clock;

static struct exec_entry *cache_find(struct vnode *vp, uint64_t bias)
{
	for (int i = 0; i < EXEC_CACHE; i++) {
		struct exec_entry *e = &cache[i];

		if (e->vp == vp && e->bias == bias && e->size == vp->attr.size &&
		    e->mtime.sec == vp->attr.mtime.sec && e->mtime.nsec == vp->attr.mtime.nsec) {
			e->used = ++cache_clock;
			return e;
		}
	}
	return NULL;
}

static void cache_drop(struct exec_entry *e)
{
	elf_exec_image_free(&e->img);
	vnode_rele(e->vp);
	e->vp = NULL;
}

/* Parses and prepares image (the file vp) at bias: the entry, or NULL with *err. */
static struct exec_entry *cache_add(struct vnode *vp, const void *image, size_t size,
				    uint64_t bias, long *err)
{
	struct exec_entry *e = &cache[0];
	struct elf_exec x;

	if (elf_exec_parse(image, size, bias, USER_LIMIT - STACK_SIZE, &x) != ELF_EXEC_OK ||
	    x.brand != ELF_BRAND_LINUX || (x.interp && x.interp_len >= U_PATH_MAX)) {
		*err = -LINUX_ENOEXEC;
		return NULL;
	}
	for (int i = 0; i < EXEC_CACHE; i++) {
		if (cache[i].vp && cache[i].vp == vp && cache[i].bias == bias) {
			e = &cache[i];		/* an outdated copy of the same file */
			break;
		}
		if (!cache[i].vp || cache[i].used < e->used)
			e = &cache[i];
		if (!cache[i].vp)
			break;
	}
	if (e->vp)
		cache_drop(e);
	if (elf_exec_prepare(image, &x, &e->img) != KERN_SUCCESS) {
		*err = -LINUX_ENOMEM;
		return NULL;
	}
	e->x = x;
	e->x.nnotes = 0;
	e->x.interp = NULL;
	if (x.interp) {
		memcpy(e->interp_path, x.interp, x.interp_len + 1);
		e->x.interp = e->interp_path;
	}
	e->vp = vnode_ref(vp);
	e->bias = bias;
	e->size = vp->attr.size;
	e->mtime = vp->attr.mtime;
	e->used = ++cache_clock;
	return e;
}

/* Reads a whole executable file: 0 or -errno; *image is malloc'd. A program prepared
   at bias already is not read: *entry is set instead (else NULL), *vpp holds the file
   (a reference). */
static long read_exec(struct lx_proc *p, const char *path, uint64_t bias, struct exec_entry **entry,
		      struct vnode **vpp, void **image, size_t *size, char *resolved, size_t rsize)
{
	struct vfs_ctx ctx;
	struct vnode *vp;
	struct file *f;
	long err;

	lx_proc_vfs_ctx(p, &ctx);
	err = vfs_lookup(&ctx, p->cwd, path, 0, &vp);
	if (err < 0)
		return lx_err(err);
	if (vp->attr.type == VDIR) {
		vnode_rele(vp);
		return -LINUX_EACCES;
	}
	if (vp->attr.type != VREG) {
		vnode_rele(vp);
		return -LINUX_EACCES;
	}
	err = vfs_access(vp, &p->cred, U_X_OK);
	if (err == 0 && !(vp->attr.mode & 0111))
		err = -U_EACCES;
	if (err < 0) {
		vnode_rele(vp);
		return lx_err(err);
	}
	exec_name(p, &ctx, path, resolved, rsize);
	*image = NULL;
	*size = 0;
	*entry = cache_find(vp, bias);
	if (*entry) {
		*vpp = vp;
		return 0;
	}
	err = file_from_vnode(vp, UO_READ, &f);
	if (err < 0) {
		vnode_rele(vp);
		return lx_err(err);
	}
	size_t n = f->vp->attr.size;
	uint8_t *buf = n > MAX_IMAGE ? NULL : malloc(n ? n : 1);
	if (!buf) {
		file_rele(f);
		vnode_rele(vp);
		return -LINUX_ENOMEM;
	}
	size_t got = 0;
	while (got < n) {
		long r = file_pread(f, buf + got, n - got, got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	file_rele(f);
	*image = buf;
	*size = got;
	*vpp = vp;
	return 0;
}

static void random_bytes(uint8_t *out, size_t n)
{
	static uint64_t s;
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	s ^= ((uint64_t)hi << 32 | lo) + 0x9e3779b97f4a7c15ull;
	for (size_t i = 0; i < n; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		out[i] = (uint8_t)(s >> 24);
	}
}

static uint64_t cpu_hwcap(void)
{
	uint32_t a = 1, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return d;
}

/*
 * Writes the stack image (bytes [rsp, top)) to the process's fresh stack. The usual
 * few KiB go in one task_write_memory (lx_copyout); a larger image goes as whole
 * pages with vm_write (a virtual copy: three calls, however large).
 */
static kern_return_t write_stack(struct lx_proc *p, const struct linux_stack_image *img,
				 const uint8_t *buf, uint64_t top)
{
	uint64_t start = TRUNC(img->rsp);
	size_t len = top - start;
	vm_address_t page = 0;
	kern_return_t kr;

	if (img->size <= TASK_MEMORY_MAX)
		return lx_copyout(p, img->rsp, buf, img->size) == 0 ? KERN_SUCCESS : KERN_FAILURE;
	kr = vm_allocate(mach_task_self(), &page, len, 1);
	if (kr != KERN_SUCCESS)
		return kr;
	memcpy((uint8_t *)page + (img->rsp - start), buf, img->size);
	kr = vm_write(p->task, start, page, len);
	vm_deallocate(mach_task_self(), page, len);
	return kr;
}

static void record(struct lx_proc *p, const char *exe, char *const argv[], int argc)
{
	const char *base = NULL;
	size_t len = 0;

	for (const char *c = exe; *c; c++)
		if (*c == '/')
			base = c;

	snprintf(p->exe, sizeof(p->exe), "%s", exe);
	snprintf(p->comm, sizeof(p->comm), "%s", base ? base + 1 : exe);
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	free(p->cmdline);
	p->cmdline = malloc(len ? len : 1);
	p->cmdline_len = 0;
	if (p->cmdline)
		for (int i = 0; i < argc; i++) {
			size_t l = strlen(argv[i]) + 1;
			memcpy(p->cmdline + p->cmdline_len, argv[i], l);
			p->cmdline_len += l;
		}
}

long lx_exec(struct lx_thread *t, const char *path, char *const argv_in[], int argc,
	     char *const envp[], int envc)
{
	struct lx_proc *p = t->proc;
	static char *argv_buf[MAX_ARGS + 8];
	char *const *argv = argv_in;
	char interp_line[256];
	char resolved[U_PATH_MAX];
	void *image = NULL;
	size_t size = 0;
	struct exec_entry *me = NULL, *ie = NULL;
	struct vnode *vp;
	long err;
	int depth = 0;
	const char *file = path;

	/* #! scripts: the interpreter runs with the script's path as an argument. */
	for (;;) {
		err = read_exec(p, file, DYN_BASE, &me, &vp, &image, &size, resolved, sizeof(resolved));
		if (err < 0)
			return err;
		if (!me && (size < 2 || ((uint8_t *)image)[0] != '#' || ((uint8_t *)image)[1] != '!'))
			me = cache_add(vp, image, size, DYN_BASE, &err);
		vnode_rele(vp);
		if (me || err < 0) {
			free(image);
			if (!me)
				return err;
			break;
		}
		if (++depth > SCRIPT_DEPTH || argc + 2 > MAX_ARGS) {
			free(image);
			return depth > SCRIPT_DEPTH ? -LINUX_ELOOP : -LINUX_E2BIG;
		}
		size_t n = size - 2 < sizeof(interp_line) - 1 ? size - 2 : sizeof(interp_line) - 1;
		memcpy(interp_line, (uint8_t *)image + 2, n);
		interp_line[n] = 0;
		free(image);
		image = NULL;
		char *nl = strchr(interp_line, '\n');
		if (!nl && n == sizeof(interp_line) - 1)
			return -LINUX_ENOEXEC;
		if (nl)
			*nl = 0;
		char *s = interp_line;
		while (*s == ' ' || *s == '\t')
			s++;
		char *name = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		char *arg = NULL;
		if (*s) {
			*s++ = 0;
			while (*s == ' ' || *s == '\t')
				s++;
			if (*s) {
				arg = s;
				size_t l = strlen(arg);
				while (l && (arg[l - 1] == ' ' || arg[l - 1] == '\t'))
					arg[--l] = 0;
			}
		}
		if (!*name)
			return -LINUX_ENOEXEC;
		/* New argv: interpreter, optional argument, the script's path, argv[1..]. */
		static char names[SCRIPT_DEPTH + 1][2][256];
		static char paths[SCRIPT_DEPTH + 1][U_PATH_MAX];
		snprintf(names[depth][0], 256, "%s", name);
		snprintf(paths[depth], U_PATH_MAX, "%s", file);
		int k = 0;
		argv_buf[k++] = names[depth][0];
		if (arg) {
			snprintf(names[depth][1], 256, "%s", arg);
			argv_buf[k++] = names[depth][1];
		}
		argv_buf[k++] = paths[depth];
		for (int i = 1; i < argc; i++)
			argv_buf[k++] = argv[i];
		argc = k;
		argv = argv_buf;
		file = names[depth][0];
	}

	const struct elf_exec *x = &me->x;
	uint64_t entry = x->entry, base = 0;
	if (x->interp) {
		char ir[U_PATH_MAX];
		void *iimage;
		size_t isize;

		err = read_exec(p, x->interp, INTERP_BASE, &ie, &vp, &iimage, &isize, ir, sizeof(ir));
		if (err < 0)
			return err == -LINUX_EACCES ? -LINUX_ENOEXEC : err;
		if (!ie)
			ie = cache_add(vp, iimage, isize, INTERP_BASE, &err);
		vnode_rele(vp);
		free(iimage);
		if (!ie)
			return err;
		if (ie->x.interp)
			return -LINUX_ENOEXEC;
		entry = ie->x.entry;
		base = ie->x.bias;
	}

	/* The stack image, built before anything changes (E2BIG is still an answer). */
	uint8_t random[16];
	random_bytes(random, sizeof(random));
	struct linux_exec_info info = {
		.argc = (size_t)argc, .argv = (const char *const *)argv,
		.envc = (size_t)envc, .envp = (const char *const *)envp,
		.execfn = path, .phdr = x->phdr, .phnum = x->phnum, .base = base,
		.entry = x->entry, .uid = p->uid, .euid = p->cred.uid, .gid = p->gid,
		.egid = p->cred.gid, .secure = 0, .hwcap = cpu_hwcap(), .hwcap2 = 0,
		.random = random,
	};
	size_t need = linux_stack_size(&info);
	uint8_t *sbuf = need ? malloc(need) : NULL;
	struct linux_stack_image simg;
	if (!sbuf) {
		err = need ? -LINUX_ENOMEM : -LINUX_E2BIG;
		goto fail;
	}
	err = linux_stack_build(&info, USER_LIMIT, STACK_SIZE / 4, sbuf, need, &simg);
	if (err < 0)
		goto fail;

	/* The point of no return: the old program goes. */
	mach_port_t task = p->task;
	vm_deallocate(task, PAGE, 0x0000800000000000ull - PAGE);
	kern_return_t kr = elf_exec_map(task, x, &me->img);
	if (kr == KERN_SUCCESS && ie)
		kr = elf_exec_map(task, &ie->x, &ie->img);
	/* vm_allocate's memory is read/write and not executable: the stack as it stays
	   (an executable one is not given, whatever PT_GNU_STACK says). */
	vm_address_t stack = USER_LIMIT - STACK_SIZE;
	if (kr == KERN_SUCCESS)
		kr = vm_allocate(task, &stack, STACK_SIZE, 0);
	if (kr == KERN_SUCCESS)
		kr = write_stack(p, &simg, sbuf, USER_LIMIT);
	free(sbuf);
	if (kr != KERN_SUCCESS) {
		printf("linux: pid %d: exec %s failed after the point of no return (0x%x)\n", p->pid,
		       path, kr);
		lx_proc_exit(p, LINUX_W_SIGNALED(LINUX_SIGSEGV, 0));
		return LX_NOREPLY;
	}
	p->brk_start = p->brk = ROUND(x->hi);
	p->mmap_base = MMAP_BASE;
	record(p, resolved, argv, argc);
	fdt_exec(p->fdt);
	lx_signal_exec(p);
	lx_vfork_done(p);

	uint64_t fsgs[2] = { 0, 0 };
	thread_set_state(t->thread, i386_FSGS_BASE_STATE, (thread_state_t)fsgs, i386_FSGS_BASE_STATE_COUNT);
	t->fs_base = 0;
	t->clear_child_tid = 0;
	foreign_regs_t regs;
	uint32_t mask = linux_exec_regs(regs, simg.rsp, entry);
	if (t->reply != MACH_PORT_NULL) {
		lx_reply_regs(t, regs, mask);
	} else {
		/* pid 1's first program: its thread has not run yet. */
		lx_thread_set_regs(t->thread, regs);
		thread_resume(t->thread);
	}
	return LX_NOREPLY;
fail:
	free(sbuf);
	return err;
}

/* Copies a NULL-terminated array of guest strings; count or -errno. Strings go into
   *pool (malloc'd), pointers into out. */
static long copy_strings(struct lx_proc *p, uint64_t uarray, char **out, int max, char *pool,
			 size_t *used)
{
	int n = 0;

	if (!uarray)
		return 0;
	for (;;) {
		uint64_t ptr;

		if (lx_copyin(p, uarray + 8 * (uint64_t)n, &ptr, 8) < 0)
			return -LINUX_EFAULT;
		if (!ptr)
			return n;
		if (n >= max)
			return -LINUX_E2BIG;
		long len = lx_copyinstr(p, ptr, pool + *used, ARG_BYTES - *used);
		if (len == -LINUX_ENAMETOOLONG)
			return -LINUX_E2BIG;
		if (len < 0)
			return len;
		out[n++] = pool + *used;
		*used += (size_t)len + 1;
	}
}

LX_SYSCALL(execve)
{
	struct lx_proc *p = t->proc;
	char path[U_PATH_MAX];
	static char *argv[MAX_ARGS + 1], *envp[MAX_ARGS + 1];
	/* The strings' pool, kept for the next execve (nothing here blocks or nests):
	   only the pages a call writes are ever taken. */
	static char *pool;
	size_t used = 0;
	long err, argc, envc;

	if (!pool && !(pool = malloc(ARG_BYTES)))
		return -LINUX_ENOMEM;
	err = lx_copyinstr(p, a[0], path, sizeof(path));
	if (err < 0)
		goto out;
	argc = copy_strings(p, a[1], argv, MAX_ARGS, pool, &used);
	if ((err = argc) < 0)
		goto out;
	envc = copy_strings(p, a[2], envp, MAX_ARGS, pool, &used);
	if ((err = envc) < 0)
		goto out;
	argv[argc] = envp[envc] = NULL;
	err = lx_exec(t, path, argv, (int)argc, envp, (int)envc);
out:
	return err;
}
