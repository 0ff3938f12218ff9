/* The initial user stack of a module task (see kern/user_stack.h). */
#include <string.h>
#include <kern/user_stack.h>

static void put_u64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

size_t user_stack_build(uint64_t top, int argc, char *const argv[], int envc,
			char *const envp[], uint8_t *buf, size_t bufsize, uint64_t *sp)
{
	size_t ptrs = 8 * ((size_t)argc + (size_t)envc + 3);
	size_t strs = 0, size, off;
	uint8_t *p = buf;

	for (int i = 0; i < argc; i++)
		strs += strlen(argv[i]) + 1;
	for (int i = 0; i < envc; i++)
		strs += strlen(envp[i]) + 1;
	size = (ptrs + strs + 15) & ~(size_t)15;
	if (size > bufsize || size > top)
		return 0;
	*sp = top - size;
	memset(buf, 0, size);

	off = ptrs;	/* strings follow the pointer block */
	put_u64(p, (uint64_t)argc);
	p += 8;
	for (int i = 0; i < argc + envc + 2; i++, p += 8) {
		const char *s = i < argc ? argv[i] : i == argc ? NULL :
				i <= argc + envc ? envp[i - argc - 1] : NULL;
		if (!s) {
			put_u64(p, 0);
			continue;
		}
		put_u64(p, *sp + off);
		memcpy(buf + off, s, strlen(s) + 1);
		off += strlen(s) + 1;
	}
	return size;
}
