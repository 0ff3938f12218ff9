/* The initial stack and registers of a Linux process after execve (see stack.h). */
#include <string.h>
#include "abi.h"
#include "stack.h"

#define PLATFORM	"x86_64"
#define RFLAGS_IF	0x200
#define RFLAGS_FIXED	0x2	/* bit 1 always reads as 1 */

/* Bytes above the pointer table: the strings and the random bytes, 16-aligned. */
struct stack_layout {
	size_t strings;		/* marker, execfn, env and arg strings, platform */
	size_t table;		/* argc, argv[], NULL, envp[], NULL, auxv */
	size_t total;		/* all of it, with the alignment padding */
};

static uint64_t align_down16(uint64_t v)
{
	return v & ~(uint64_t)15;
}

/* Adds a string's length with its NUL to *sum; fails past E2BIG's limits. */
static int add_string(size_t *sum, const char *s)
{
	size_t n = strnlen(s, LINUX_MAX_ARG_STRLEN);

	if (n == LINUX_MAX_ARG_STRLEN)
		return -LINUX_E2BIG;
	*sum += n + 1;	/* cannot overflow: callers bound the count of strings */
	return 0;
}

static size_t auxv_pairs(const struct linux_exec_info *info)
{
	return info->phdr ? LINUX_AUXV_PAIRS : LINUX_AUXV_PAIRS - 3;
}

static int layout(const struct linux_exec_info *info, struct stack_layout *l)
{
	size_t s = 8 + sizeof(PLATFORM);
	int err = 0;

	/* Each pointer costs 8 bytes; counts this large exceed any limit anyway. */
	if (info->argc > LINUX_ARG_MAX / 8 || info->envc > LINUX_ARG_MAX / 8)
		return -LINUX_E2BIG;
	err = add_string(&s, info->execfn ? info->execfn : "");
	for (size_t i = 0; i < info->argc && !err; i++)
		err = add_string(&s, info->argv[i]);
	for (size_t i = 0; i < info->envc && !err; i++)
		err = add_string(&s, info->envp[i]);
	if (err)
		return err;
	l->strings = s;
	l->table = 8 * (1 + info->argc + 1 + info->envc + 1 + 2 * auxv_pairs(info));
	/* strings, aligned down to 16 (at most 15 bytes), 16 random bytes, then the
	 * table, aligned down to 16 (at most 8 bytes, the table being 8-aligned). */
	l->total = ((s + 15) & ~(size_t)15) + 16 + ((l->table + 15) & ~(size_t)15);
	return 0;
}

size_t linux_stack_size(const struct linux_exec_info *info)
{
	struct stack_layout l;

	return layout(info, &l) == 0 ? l.total : 0;
}

static void put_u64(uint8_t *buf, uint64_t rsp, uint64_t addr, uint64_t v)
{
	memcpy(buf + (addr - rsp), &v, sizeof(v));
}

/* Copies s (with its NUL) down from *at; returns its guest address. */
static uint64_t push_string(uint8_t *buf, uint64_t rsp, uint64_t *at, const char *s)
{
	size_t n = strlen(s) + 1;

	*at -= n;
	memcpy(buf + (*at - rsp), s, n);
	return *at;
}

/* The auxv in Linux's own order, minus AT_SYSINFO_EHDR (no vDSO). */
static void put_auxv(uint8_t *buf, uint64_t rsp, uint64_t at,
			 const struct linux_exec_info *info, uint64_t platform,
			 uint64_t random, uint64_t execfn)
{
	const uint64_t pairs[][2] = {
		{ LINUX_AT_HWCAP, info->hwcap },
		{ LINUX_AT_PAGESZ, LINUX_PAGE_SIZE },
		{ LINUX_AT_CLKTCK, LINUX_CLK_TCK },
		{ LINUX_AT_PHDR, info->phdr },
		{ LINUX_AT_PHENT, 56 },
		{ LINUX_AT_PHNUM, info->phnum },
		{ LINUX_AT_BASE, info->base },
		{ LINUX_AT_FLAGS, 0 },
		{ LINUX_AT_ENTRY, info->entry },
		{ LINUX_AT_UID, info->uid },
		{ LINUX_AT_EUID, info->euid },
		{ LINUX_AT_GID, info->gid },
		{ LINUX_AT_EGID, info->egid },
		{ LINUX_AT_SECURE, info->secure ? 1 : 0 },
		{ LINUX_AT_RANDOM, random },
		{ LINUX_AT_HWCAP2, info->hwcap2 },
		{ LINUX_AT_EXECFN, execfn },
		{ LINUX_AT_PLATFORM, platform },
		{ LINUX_AT_NULL, 0 },
	};
	_Static_assert(sizeof(pairs) / sizeof(pairs[0]) == LINUX_AUXV_PAIRS, "auxv list");

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		uint64_t type = pairs[i][0];

		if (!info->phdr && (type == LINUX_AT_PHDR || type == LINUX_AT_PHENT ||
				    type == LINUX_AT_PHNUM))
			continue;
		put_u64(buf, rsp, at, type);
		put_u64(buf, rsp, at + 8, pairs[i][1]);
		at += 16;
	}
}

int linux_stack_build(const struct linux_exec_info *info, uint64_t top, size_t limit,
		      uint8_t *buf, size_t bufsize, struct linux_stack_image *out)
{
	struct stack_layout l;
	uint64_t at, rsp, platform, random, execfn, p;
	int err;

	if (!info->random)
		return -LINUX_EINVAL;	/* static glibc dereferences AT_RANDOM */
	if ((err = layout(info, &l)) != 0)
		return err;
	if (l.total > limit || l.total > bufsize)
		return -LINUX_E2BIG;
	top = align_down16(top);
	if (top < l.total)
		return -LINUX_EFAULT;
	rsp = top - l.total;
	memset(buf, 0, l.total);

	/* The strings, from the top down; the 8 bytes under top stay zero. */
	at = top - 8;
	execfn = push_string(buf, rsp, &at, info->execfn ? info->execfn : "");
	for (size_t i = info->envc; i-- > 0;)
		push_string(buf, rsp, &at, info->envp[i]);
	for (size_t i = info->argc; i-- > 0;)
		push_string(buf, rsp, &at, info->argv[i]);
	platform = push_string(buf, rsp, &at, PLATFORM);
	random = align_down16(at) - 16;
	memcpy(buf + (random - rsp), info->random, 16);
	/* The table from rsp up; each string starts where the one below it ended. */
	at = rsp;
	put_u64(buf, rsp, at, info->argc);
	at += 8;
	p = platform + sizeof(PLATFORM);
	for (size_t i = 0; i < info->argc; i++, at += 8) {
		put_u64(buf, rsp, at, p);
		p += strlen(info->argv[i]) + 1;
	}
	put_u64(buf, rsp, at, 0);
	at += 8;
	for (size_t i = 0; i < info->envc; i++, at += 8) {
		put_u64(buf, rsp, at, p);
		p += strlen(info->envp[i]) + 1;
	}
	put_u64(buf, rsp, at, 0);
	at += 8;
	out->auxv = at;
	put_auxv(buf, rsp, at, info, platform, random, execfn);
	out->rsp = rsp;
	out->size = l.total;
	out->argv = rsp + 8;
	return 0;
}

uint32_t linux_exec_regs(foreign_regs_t regs, uint64_t rsp, uint64_t rip)
{
	memset(regs, 0, sizeof(foreign_regs_t));
	regs[FOREIGN_REG_RSP] = rsp;
	regs[FOREIGN_REG_RIP] = rip;
	regs[FOREIGN_REG_RFLAGS] = RFLAGS_IF | RFLAGS_FIXED;
	return FOREIGN_MASK_ALL;
}
