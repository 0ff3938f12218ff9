/*
 * execprof: instructions per function from a QEMU `-singlestep -d exec,nochain` log read
 * on stdin (a FIFO: the log of a whole boot is far too large to keep), for
 * bench/linux-profile.sh. Counts only between the first and second execution of one of
 * the window addresses (the two rdtsc of a timed loop), then prints, per iteration:
 * the total, each function's own instructions and calls (executions of its first
 * instruction), and each function's inclusive instructions.
 *
 * Inclusive counts follow calls: for every program a shadow stack is kept from its call
 * and ret instructions (found with objdump); a ret pops to the frame it returns to (a
 * ret to an address no frame holds is ignored, as after a kernel stack switch). Kernel
 * instructions count towards the program whose user code ran last before them, so a
 * personality function's inclusive figure has the kernel's work for its RPCs in it
 * (and, for a call that blocks, whatever ran until the program ran again).
 *
 * usage: execprof ITERATIONS WINDOW-ADDRS PROGRAM...
 *	WINDOW-ADDRS: hex addresses, comma-separated
 *	PROGRAM: LABEL:NM-FILE:OBJDUMP-FILE (nm -n and objdump -d output of one binary;
 *	the first is the kernel). PCs in no program's range count as "other".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PROGS	8
#define MAX_DEPTH	256
#define HASH_BITS	22

struct sym {
	uint64_t addr;
	const char *name;
	uint64_t self, calls, incl;
	unsigned mark;			/* the last instruction it was counted inclusively for */
};

struct prog {
	const char *label;
	struct sym *syms;
	size_t nsyms;
	uint64_t lo, hi;		/* [first symbol, last symbol + 64 KiB) */
	struct sym *stack[MAX_DEPTH];
	uint64_t ret_to[MAX_DEPTH];	/* the address each frame's call returns to */
	int depth;
};

/* What an instruction address is: a call (and where it returns to) or a ret. */
struct insn {
	uint64_t pc;
	uint64_t ret_to;		/* a call: the next instruction; 0 for a ret */
};

static struct prog progs[MAX_PROGS];
static int nprogs;
static struct insn *insns;		/* open addressing on pc */
static uint64_t insn_mask;
static struct sym other = { 0, "other (user code without symbols)", 0, 0, 0, 0 };

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		fprintf(stderr, "execprof: out of memory\n");
		exit(2);
	}
	return p;
}

static int by_addr(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* The kernel's boot code (linked low) is left out: user code runs at those addresses. */
static void load_syms(struct prog *p, const char *path, uint64_t min)
{
	FILE *f = fopen(path, "r");
	char line[512], name[400], type;
	unsigned long long addr;
	size_t cap = 0;

	if (!f) {
		perror(path);
		exit(2);
	}
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %399s", &addr, &type, name) == 3 &&
		    strchr("tTwW", type) && addr >= min) {
			if (p->nsyms == cap)
				p->syms = xrealloc(p->syms, (cap = cap * 2 + 256) * sizeof(*p->syms));
			memset(&p->syms[p->nsyms], 0, sizeof(p->syms[0]));
			p->syms[p->nsyms].addr = addr;
			p->syms[p->nsyms++].name = strdup(name);
		}
	fclose(f);
	if (!p->nsyms) {
		fprintf(stderr, "execprof: no symbols in %s\n", path);
		exit(2);
	}
	qsort(p->syms, p->nsyms, sizeof(*p->syms), by_addr);
	p->lo = p->syms[0].addr;
	p->hi = p->syms[p->nsyms - 1].addr + 0x10000;
}

static struct insn *insn_slot(uint64_t pc)
{
	uint64_t h = (pc * 0x9E3779B97F4A7C15ull) >> (64 - 24);

	for (;; h = (h + 1) & insn_mask)
		if (insns[h & insn_mask].pc == pc || !insns[h & insn_mask].pc)
			return &insns[h & insn_mask];
}

/* objdump -d --no-show-raw-insn lines: "addr:\tmnemonic operands"; calls and rets are noted. */
static void load_insns(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	uint64_t pending = 0;	/* a call whose next instruction is not known yet */

	if (!f) {
		perror(path);
		exit(2);
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long long addr;
		char *tab;

		if (sscanf(line, " %llx:", &addr) != 1 || !(tab = strchr(line, '\t')))
			continue;
		if (pending) {
			insn_slot(pending)->pc = pending;
			insn_slot(pending)->ret_to = addr;
			pending = 0;
		}
		tab++;
		if (!strncmp(tab, "call", 4))
			pending = addr;
		else if (!strncmp(tab, "ret", 3) || !strncmp(tab, "repz ret", 8)) {
			insn_slot(addr)->pc = addr;
			insn_slot(addr)->ret_to = 0;
		}
	}
	fclose(f);
}

static struct prog *prog_of(uint64_t pc)
{
	for (int i = 0; i < nprogs; i++)
		if (pc >= progs[i].lo && pc < progs[i].hi)
			return &progs[i];
	return NULL;
}

static struct sym *sym_of(struct prog *p, uint64_t pc)
{
	size_t lo = 0, hi = p->nsyms;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (p->syms[mid].addr <= pc)
			lo = mid;
		else
			hi = mid;
	}
	return &p->syms[lo];
}

/* A cache of pc -> symbol: the log has few distinct addresses. */
struct pc_cache {
	uint64_t pc;
	struct sym *sym;
	struct prog *prog;
};
static struct pc_cache *cache;

static struct pc_cache *lookup(uint64_t pc)
{
	uint64_t h = (pc * 0x9E3779B97F4A7C15ull) >> (64 - HASH_BITS);

	for (;; h = (h + 1) & ((1u << HASH_BITS) - 1))
		if (cache[h].pc == pc || !cache[h].pc)
			break;
	if (!cache[h].pc) {
		cache[h].pc = pc;
		cache[h].prog = prog_of(pc);
		cache[h].sym = cache[h].prog ? sym_of(cache[h].prog, pc) : &other;
	}
	return &cache[h];
}

static unsigned serial = 1;

/* Counts one more inclusive instruction for every function on p's stack (once each). */
static void count_stack(struct prog *p)
{
	for (int i = 0; i < p->depth; i++)
		if (p->stack[i]->mark != serial) {
			p->stack[i]->mark = serial;
			p->stack[i]->incl++;
		}
}

/* After a ret in p: the frame whose return address is pc, and those above it, end. */
static void pop_to(struct prog *p, uint64_t pc)
{
	for (int i = p->depth - 1; i >= 0; i--)
		if (p->ret_to[i] == pc) {
			p->depth = i;
			return;
		}
}

static struct prog *user;		/* the program whose user code ran last */
static struct prog *prev_prog;
static uint64_t prev_pc;

/* One instruction of the log; counted when inside the window. */
static void step(uint64_t pc, int inside)
{
	struct pc_cache *c = lookup(pc);
	struct prog *p = c->prog;
	struct insn *in;

	/* The previous instruction was a ret: its program's stack pops to this pc. */
	if (prev_prog && (in = insn_slot(prev_pc))->pc == prev_pc && !in->ret_to)
		pop_to(prev_prog, pc);
	if (p != &progs[0]) {
		user = p;
		progs[0].depth = 0;	/* back in user code: the kernel's frames are gone */
	}
	if (inside) {
		c->sym->self++;
		if (pc == c->sym->addr)
			c->sym->calls++;
		serial++;
		c->sym->mark = serial;
		c->sym->incl++;
		if (p)
			count_stack(p);
		if (p == &progs[0] && user)
			count_stack(user);
	}
	if (p && (in = insn_slot(pc))->pc == pc && in->ret_to && p->depth < MAX_DEPTH) {
		p->stack[p->depth] = c->sym;
		p->ret_to[p->depth++] = in->ret_to;
	}
	prev_prog = p;
	prev_pc = pc;
}

static void report(unsigned long iters)
{
	struct sym **all = NULL;
	size_t n = 0, total = 0;

	for (int i = 0; i < nprogs; i++)
		for (size_t j = 0; j < progs[i].nsyms; j++)
			if (progs[i].syms[j].self || progs[i].syms[j].incl) {
				all = xrealloc(all, (n + 1) * sizeof(*all));
				all[n++] = &progs[i].syms[j];
			}
	all = xrealloc(all, (n + 1) * sizeof(*all));
	all[n++] = &other;
	for (size_t i = 0; i < n; i++)
		total += all[i]->self;
	printf("%.1f instructions per iteration\n\n", (double)total / iters);
	printf("%-10s %-10s %-9s %s\n", "own", "inclusive", "calls", "function");
	/* The first 60 by own instructions, then every function by inclusive ones. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < n; i++)
			for (size_t j = i + 1; j < n; j++) {
				uint64_t a = pass ? all[i]->incl : all[i]->self;
				uint64_t b = pass ? all[j]->incl : all[j]->self;
				if (b > a) {
					struct sym *t = all[i];
					all[i] = all[j];
					all[j] = t;
				}
			}
		for (size_t i = 0; i < n && (pass || i < 60u); i++) {
			const char *label = "";
			for (int k = 0; k < nprogs; k++)
				if (all[i] >= progs[k].syms && all[i] < progs[k].syms + progs[k].nsyms)
					label = progs[k].label;
			printf("%-10.1f %-10.1f %-9.2f %s %s\n", (double)all[i]->self / iters,
			       (double)all[i]->incl / iters, (double)all[i]->calls / iters, label,
			       all[i]->name);
		}
		printf("\n");
	}
}

int main(int argc, char **argv)
{
	static char line[4096];
	uint64_t window[16];
	int nwindow = 0, inside = 0;
	unsigned long iters;
	char *s;

	if (argc < 4) {
		fprintf(stderr, "usage: execprof ITERATIONS WINDOW-ADDRS LABEL:NM:OBJDUMP...\n");
		return 2;
	}
	iters = strtoul(argv[1], NULL, 0);
	for (s = strtok(argv[2], ","); s && nwindow < 16; s = strtok(NULL, ","))
		window[nwindow++] = strtoull(s, NULL, 16);
	insn_mask = (1u << 24) - 1;
	insns = calloc(insn_mask + 1, sizeof(*insns));
	cache = calloc(1u << HASH_BITS, sizeof(*cache));
	if (!insns || !cache)
		return 2;
	for (int i = 3; i < argc && nprogs < MAX_PROGS; i++) {
		char *label = strtok(argv[i], ":"), *nm = strtok(NULL, ":"), *od = strtok(NULL, ":");

		if (!label || !nm || !od) {
			fprintf(stderr, "execprof: %s: want LABEL:NM:OBJDUMP\n", argv[i]);
			return 2;
		}
		progs[nprogs].label = label;
		load_syms(&progs[nprogs], nm, nprogs ? 0 : 0xffff800000000000ull);
		nprogs++;
		load_insns(od);
	}
	while (fgets(line, sizeof(line), stdin)) {
		uint64_t pc;

		if (strncmp(line, "Trace ", 6) || !(s = strchr(line, '[')) || !(s = strchr(s, '/')))
			continue;
		pc = strtoull(s + 1, NULL, 16);
		for (int i = 0; i < nwindow; i++)
			if (pc == window[i]) {
				if (inside) {
					report(iters);
					return 0;
				}
				inside = 1;
			}
		step(pc, inside);
	}
	fprintf(stderr, "execprof: the log ended %s\n", inside ? "inside the window" : "before the window");
	if (inside)
		report(iters);
	return 1;
}
