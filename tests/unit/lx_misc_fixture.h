/*
 * The fakes test_lx_misc.c runs the memory, time, identity and poll calls against: a
 * fake task (page ranges with a protection and inheritance, the Mach VM calls on it)
 * and the server's functions those calls use. Included once, by that test.
 */
/* --- the fake task: page ranges with a protection and inheritance --- */

struct fregion { uint64_t s, e; int prot, inh; };
static struct fregion reg[256];
static int nreg;
static uint64_t free_bytes;		/* what vm_statistics reports */
static uint64_t fsgs[2];

static void vm_reset(void)
{
	nreg = 0;
	free_bytes = 512 * MB;
}

static bool overlaps(uint64_t s, uint64_t e)
{
	for (int i = 0; i < nreg; i++)
		if (reg[i].s < e && s < reg[i].e)
			return true;
	return false;
}

static void insert(uint64_t s, uint64_t e, int prot, int inh)
{
	int i = 0;

	assert_true(nreg < 256);
	while (i < nreg && reg[i].s < s)
		i++;
	memmove(&reg[i + 1], &reg[i], (size_t)(nreg - i) * sizeof(reg[0]));
	reg[i] = (struct fregion){ s, e, prot, inh };
	nreg++;
}

/* Splits regions at a so that no region straddles it. */
static void split(uint64_t a)
{
	for (int i = 0; i < nreg; i++)
		if (reg[i].s < a && a < reg[i].e) {
			struct fregion r = reg[i];
			reg[i].e = a;
			insert(a, r.e, r.prot, r.inh);
			return;
		}
}

kern_return_t vm_allocate(mach_port_t task, vm_address_t *addr, vm_size_t size, boolean_t anywhere)
{
	(void)task;
	if (size == 0 || (size & 0xfff))
		return KERN_INVALID_ARGUMENT;
	if (anywhere) {
		uint64_t at = 0x1000000;
		while (overlaps(at, at + size))
			at += 0x1000;
		*addr = at;
	} else if (overlaps(*addr, *addr + size)) {
		return KERN_NO_SPACE;
	}
	insert(*addr, *addr + size, VM_PROT_DEFAULT, VM_INHERIT_COPY);
	return KERN_SUCCESS;
}

kern_return_t vm_deallocate(mach_port_t task, vm_address_t addr, vm_size_t size)
{
	(void)task;
	split(addr);
	split(addr + size);
	for (int i = 0; i < nreg; )
		if (reg[i].s >= addr && reg[i].e <= addr + size) {
			memmove(&reg[i], &reg[i + 1], (size_t)(nreg - i - 1) * sizeof(reg[0]));
			nreg--;
		} else {
			i++;
		}
	return KERN_SUCCESS;
}

static kern_return_t each(vm_address_t addr, vm_size_t size, int *field, int value)
{
	split(addr);
	split(addr + size);
	for (int i = 0; i < nreg; i++)
		if (reg[i].s >= addr && reg[i].e <= addr + size)
			*(int *)((char *)&reg[i] + ((char *)field - (char *)&reg[0])) = value;
	return KERN_SUCCESS;
}

kern_return_t vm_protect(mach_port_t task, vm_address_t addr, vm_size_t size, boolean_t max,
			 vm_prot_t prot)
{
	(void)task, (void)max;
	return each(addr, size, &reg[0].prot, prot);
}

kern_return_t vm_inherit(mach_port_t task, vm_address_t addr, vm_size_t size, vm_inherit_t inh)
{
	return (void)task, each(addr, size, &reg[0].inh, inh);
}

kern_return_t vm_copy(mach_port_t task, vm_address_t src, vm_size_t size, vm_address_t dst)
{
	(void)task;
	return overlaps(src, src + size) && overlaps(dst, dst + size) ? KERN_SUCCESS :
	       KERN_INVALID_ADDRESS;
}

kern_return_t vm_region(mach_port_t task, vm_address_t *addr, vm_size_t *size, vm_prot_t *prot,
			vm_prot_t *max, vm_inherit_t *inh, boolean_t *shared, mach_port_t *obj,
			vm_offset_t *off)
{
	(void)task;
	for (int i = 0; i < nreg; i++)
		if (reg[i].e > *addr) {
			*addr = reg[i].s;
			*size = reg[i].e - reg[i].s;
			*prot = reg[i].prot;
			*max = VM_PROT_ALL;
			*inh = reg[i].inh;
			*shared = FALSE;
			*obj = MACH_PORT_NULL;
			*off = 0;
			return KERN_SUCCESS;
		}
	return KERN_NO_SPACE;
}

kern_return_t vm_statistics(mach_port_t task, vm_statistics_data_t *s)
{
	(void)task;
	memset(s, 0, sizeof(*s));
	s->pagesize = 4096;
	s->free_count = (integer_t)(free_bytes / 4096);
	s->active_count = 1000;
	return KERN_SUCCESS;
}

kern_return_t thread_get_state(mach_port_t th, int flavor, thread_state_t st,
			       mach_msg_type_number_t *n)
{
	assert_int_equal(((void)th, flavor), i386_FSGS_BASE_STATE);
	memcpy(st, fsgs, 16);
	*n = i386_FSGS_BASE_STATE_COUNT;
	return KERN_SUCCESS;
}

kern_return_t thread_set_state(mach_port_t th, int flavor, const_thread_state_t st,
			       mach_msg_type_number_t n)
{
	assert_int_equal(((void)th, flavor), i386_FSGS_BASE_STATE);
	assert_int_equal(n, i386_FSGS_BASE_STATE_COUNT);
	memcpy(fsgs, st, 16);
	return KERN_SUCCESS;
}

/* No CPU times: the clocks fall back to the running time. */
kern_return_t task_info(mach_port_t task, int flavor, task_info_t info, mach_msg_type_number_t *n)
{
	return (void)task, (void)flavor, (void)info, (void)n, KERN_INVALID_ARGUMENT;
}

kern_return_t thread_info(mach_port_t th, int flavor, thread_info_t info,
			  mach_msg_type_number_t *n)
{
	return (void)th, (void)flavor, (void)info, (void)n, KERN_INVALID_ARGUMENT;
}

/* --- the server's functions --- */

static uint64_t now_ns;
static int blocks, last_signal;
static unsigned block_events;
static uint64_t block_deadline;
static bool sig_pending;
static uint64_t last_out_addr;		/* the last copyout into the fake task */
static char last_out[64];
static struct lx_proc proc, other;
static struct lx_thread thr;

uint64_t lx_now_ns(void) { return now_ns; }
/* dev.c's generator, which getrandom draws from: a counter will do here. */
void lx_random_bytes(void *buf, size_t n)
{
	static uint8_t next;

	for (size_t i = 0; i < n; i++)
		((uint8_t *)buf)[i] = next++;
}
void lx_realtime(struct linux_timespec *ts)
{
	ts->tv_sec = 1700000000 + (int64_t)(now_ns / 1000000000u);
	ts->tv_nsec = (int64_t)(now_ns % 1000000000u);
}

long lx_block(struct lx_thread *t, unsigned events, uint64_t deadline)
{
	blocks++, (void)t;
	block_events = events;
	block_deadline = deadline;
	return LX_BLOCK;
}

int lx_copyin(struct lx_proc *p, uint64_t uaddr, void *buf, size_t n)
{
	if ((void)p, uaddr == BAD || (n && !uaddr))
		return -LINUX_EFAULT;
	memcpy(buf, (void *)uaddr, n);
	return 0;
}

int lx_copyout(struct lx_proc *p, uint64_t uaddr, const void *buf, size_t n)
{
	(void)p;
	if (uaddr == BAD || (n && !uaddr))
		return -LINUX_EFAULT;
	if (overlaps(uaddr, uaddr + n)) {	/* into the fake task: remember it */
		last_out_addr = uaddr;
		memcpy(last_out, buf, n < sizeof(last_out) ? n : sizeof(last_out));
		return 0;
	}
	memcpy((void *)uaddr, buf, n);
	return 0;
}

long lx_copyinstr(struct lx_proc *p, uint64_t uaddr, char *buf, size_t max)
{
	size_t n;

	if ((void)p, uaddr == BAD || !uaddr)
		return -LINUX_EFAULT;
	n = strnlen((const char *)uaddr, max);
	if (n == max)
		return -LINUX_ENAMETOOLONG;
	memcpy(buf, (const char *)uaddr, n + 1);
	return (long)n;
}

struct lx_proc *lx_proc_find(int pid)
{
	return pid == proc.pid ? &proc : pid == other.pid ? &other : NULL;
}

struct lx_proc *lx_proc_first(void) { return &proc; }	/* "other" is not listed */
struct lx_thread *lx_thread_find(int tid) { return tid == thr.tid ? &thr : NULL; }
bool lx_signal_pending(struct lx_thread *t) { (void)t; return sig_pending; }

void lx_signal_proc(struct lx_proc *p, int sig, const struct linux_siginfo *info)
{
	(void)p, (void)info;
	last_signal = sig;
}

long lx_err(long r)
{
	switch (r) {
	case -U_EBADF: return -LINUX_EBADF;
	case -U_EINVAL: return -LINUX_EINVAL;
	default: return r < 0 ? -LINUX_EIO : r;
	}
}

struct lx_tty *lx_file_tty(struct file *f) { return (void)f, NULL; }	/* no terminals */
unsigned lx_tty_poll(struct file *f) { return (void)f, 0; }

static long call(lx_syscall_fn fn, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		 uint64_t a4, uint64_t a5)
{
	const uint64_t a[6] = { a0, a1, a2, a3, a4, a5 };

	return fn(&thr, a);
}

/* The same call run again after a wake. */
static long rerun(lx_syscall_fn fn, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		  uint64_t a4, uint64_t a5)
{
	long r;

	thr.first = false;
	r = call(fn, a0, a1, a2, a3, a4, a5);
	thr.first = true;
	return r;
}

#define C(name, ...) call(sys_##name, __VA_ARGS__)
#define P(x) ((uint64_t)(uintptr_t)(x))
static int setup(void **state)
{
	fx_setup(state);
	vm_reset();
	memset(&proc, 0, sizeof(proc));
	memset(&thr, 0, sizeof(thr));
	memset(&other, 0, sizeof(other));
	proc.pid = 10;
	proc.fdt = fdt_new(FDT_LIMIT_DEFAULT);
	proc.brk_start = proc.brk = 0x600000;
	proc.mmap_base = 0x7f0000000000;
	proc.uid = proc.suid = proc.cred.uid = 1000;
	proc.gid = proc.sgid = proc.cred.gid = 100;
	lx_rlimit_defaults(&proc);
	other.pid = 20;
	other.uid = other.suid = other.cred.uid = 0;
	lx_rlimit_defaults(&other);
	thr.proc = &proc;
	thr.tid = 10;
	thr.first = true;
	now_ns = 5000000000ull;
	blocks = 0;
	sig_pending = false;
	last_signal = 0;
	insert(0x400000, 0x600000, VM_PROT_ALL, VM_INHERIT_COPY);	/* the program + bss */
	return 0;
}

static int teardown(void **state)
{
	lx_misc_exit(&proc);
	fdt_free(proc.fdt);
	return fx_teardown(state);
}


/* The region holding addr, or NULL. */
static struct fregion *at(uint64_t addr)
{
	for (int i = 0; i < nreg; i++)
		if (reg[i].s <= addr && addr < reg[i].e)
			return &reg[i];
	return NULL;
}

