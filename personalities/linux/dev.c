/*
 * /dev: a tmpfs mounted on the root's /dev holding device nodes with Linux's numbers,
 * the drivers of the memory devices (null, zero, full, random, urandom) and their
 * generator. Terminals (ttyS0, console, tty) get their nodes here and their drivers
 * from tty.c, which registers them with cdev_register.
 */
#include <string.h>
#include "lxfs.h"
#include "personalities/common/tmpfs.h"

static const struct {
	const char *name;
	uint64_t rdev;
	uint32_t mode;
} dev_nodes[] = {
	{ "null", LX_DEV_NULL, 0666 },
	{ "zero", LX_DEV_ZERO, 0666 },
	{ "full", LX_DEV_FULL, 0666 },
	{ "random", LX_DEV_RANDOM, 0666 },
	{ "urandom", LX_DEV_URANDOM, 0666 },
	{ "tty", LX_DEV_TTY, 0666 },
	{ "console", LX_DEV_CONSOLE, 0600 },
	{ "ttyS0", LX_DEV_TTYS0, 0620 },
};

static const struct {
	const char *name, *target;
} dev_links[] = {
	{ "fd", "/proc/self/fd" },
	{ "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" },
	{ "stderr", "/proc/self/fd/2" },
};

const char *lx_dev_name(uint64_t rdev)
{
	for (size_t i = 0; i < sizeof(dev_nodes) / sizeof(dev_nodes[0]); i++)
		if (dev_nodes[i].rdev == rdev)
			return dev_nodes[i].name;
	return NULL;
}

/* --- the generator: xoshiro256**, seeded by splitmix64 from the time stamp counter --- */

static uint64_t rng[4];
static bool rng_seeded;

static uint64_t tsc(void)
{
#if defined(__x86_64__)
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
#else
	return lx_now_ns();
#endif
}

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(void)
{
	uint64_t result = rotl(rng[1] * 5, 7) * 9, t = rng[1] << 17;

	rng[2] ^= rng[0];
	rng[3] ^= rng[1];
	rng[1] ^= rng[2];
	rng[0] ^= rng[3];
	rng[2] ^= t;
	rng[3] = rotl(rng[3], 45);
	return result;
}

/* Folds x into the state through splitmix64, so the state never becomes all zeros. */
static void rng_stir(uint64_t x)
{
	uint64_t s = x ^ rng[0] ^ rotl(rng[3], 23);

	for (int i = 0; i < 4; i++)
		rng[i] ^= splitmix64(&s);
	if (!(rng[0] | rng[1] | rng[2] | rng[3]))
		rng[0] = 1;
}

void lx_random_bytes(void *buf, size_t n)
{
	unsigned char *p = buf;

	if (!rng_seeded) {
		rng_stir(tsc() ^ ((uint64_t)(uintptr_t)&rng << 16));
		rng_seeded = true;
	}
	/* Each request also takes in the cycle counter: its low bits are hard to guess. */
	rng_stir(tsc());
	while (n) {
		uint64_t v = rng_next();
		size_t k = n < 8 ? n : 8;

		memcpy(p, &v, k);
		p += k;
		n -= k;
	}
}

/* --- the memory devices --- */

static long mem_read(struct file *f, void *buf, size_t n, uint64_t off)
{
	(void)off;
	switch (f->vp->attr.rdev) {
	case LX_DEV_NULL:
		return 0;
	case LX_DEV_RANDOM:
	case LX_DEV_URANDOM:
		lx_random_bytes(buf, n);
		return (long)n;
	default:		/* zero, full */
		memset(buf, 0, n);
		return (long)n;
	}
}

static long mem_write(struct file *f, const void *buf, size_t n, uint64_t off)
{
	(void)off;
	switch (f->vp->attr.rdev) {
	case LX_DEV_FULL:
		return -U_ENOSPC;
	case LX_DEV_RANDOM:
	case LX_DEV_URANDOM:
		/* Written bytes are mixed in, as Linux does (without crediting entropy). */
		for (size_t i = 0; i < n; i += 8) {
			uint64_t v = 0;

			memcpy(&v, (const unsigned char *)buf + i, n - i < 8 ? n - i : 8);
			rng_stir(v);
		}
		return (long)n;
	default:
		return (long)n;
	}
}

static const struct cdev_ops mem_ops = {
	.read = mem_read,
	.write = mem_write,
};

int lx_dev_init(struct vnode *root)
{
	static const struct ucred root_cred = { 0, 0, 0, { 0 } };
	struct vfs_ctx ctx = { root, root, &root_cred };
	struct vnode *dir;
	struct mount *m;
	int err;

	if ((err = vfs_lookup(&ctx, NULL, "/dev", 0, &dir)) < 0)
		return err;
	m = tmpfs_new(0755, 0, 0, 1 << 20, LX_DEV_MAX_NODES);
	if (!m) {
		vnode_rele(dir);
		return -U_ENOMEM;
	}
	err = vfs_mount(dir, m);
	vnode_rele(dir);
	if (err < 0)
		return err;
	for (size_t i = 0; i < sizeof(dev_nodes) / sizeof(dev_nodes[0]); i++)
		if ((err = vfs_mknod(&ctx, m->root, dev_nodes[i].name, VCHR, dev_nodes[i].mode,
				     dev_nodes[i].rdev)) < 0)
			return err;
	for (size_t i = 0; i < sizeof(dev_links) / sizeof(dev_links[0]); i++)
		if ((err = vfs_symlink(&ctx, dev_links[i].target, m->root, dev_links[i].name)) < 0)
			return err;
	if ((err = vfs_mkdir(&ctx, m->root, "shm", 01777)) < 0)
		return err;
	for (size_t i = 0; i < 5; i++)		/* null .. urandom */
		if ((err = cdev_register(dev_nodes[i].rdev, &mem_ops)) < 0 && err != -U_EBUSY)
			return err;
	return 0;
}
