/*
 * memhog [CAP-MiB]: maps 16 MiB anonymous chunks and writes one byte in each page until
 * mmap returns -ENOMEM, then prints "ENOMEM after N MiB", asks brk for 16 MiB more
 * (expected to be refused), unmaps everything, checks that memory can be had again
 * (one chunk mapped and touched after the unmapping) and exits 0.
 * With CAP (MiB, default 1 TiB) it stops there instead: "cap after N MiB", status 0.
 * Natively run it under `ulimit -v` so that ENOMEM comes quickly
 * (tests/linux/check-guests.sh).
 */
#include "sys.h"

#define CHUNK		(16ul << 20)
#define MAX_CHUNKS	65536

static void *chunks[MAX_CHUNKS];

static long map_touch(void **out)
{
	void *p = sys_mmap(0, CHUNK, LINUX_PROT_READ | LINUX_PROT_WRITE,
			   LINUX_MAP_PRIVATE | LINUX_MAP_ANONYMOUS, -1, 0);
	long err = mmap_err(p);

	if (err)
		return err;
	for (unsigned long off = 0; off < CHUNK; off += 4096)
		((volatile char *)p)[off] = 1;
	*out = p;
	return 0;
}

int main(int argc, char **argv, char **envp)
{
	long cap = arg_num(argc > 1 ? argv[1] : 0, 1l << 20);
	long n = 0, err = 0;
	void *again;

	(void)envp;
	while (n < MAX_CHUNKS && (long)(n * 16) < cap) {
		err = map_touch(&chunks[n]);
		if (err)
			break;
		n++;
	}
	if (err == -LINUX_ENOMEM)
		pr("ENOMEM after %ld MiB\n", n * 16);
	else if (err)
		pr("mmap failed with %ld after %ld MiB\n", err, n * 16);
	else
		pr("cap after %ld MiB\n", n * 16);
	if (err == -LINUX_ENOMEM) {
		long cur = sys_brk(0);
		long got = sys_brk((void *)(cur + CHUNK));

		pr("brk +16 MiB: %s\n", got == cur ? "refused" : "granted");
		if (got != cur)
			sys_brk((void *)cur);
	}
	for (long i = 0; i < n; i++)
		if (sys_munmap(chunks[i], CHUNK) != 0) {
			pr("munmap failed\n");
			return 1;
		}
	err = map_touch(&again);
	pr("after munmap: %s\n", err ? "still no memory" : "16 MiB mapped again");
	if (err)
		return 1;
	sys_munmap(again, CHUNK);
	return 0;
}
