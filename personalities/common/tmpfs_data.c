/* tmpfs file data: 4 KiB pages in a two-level table; holes read as zeros. */
#include <stdlib.h>
#include <string.h>
#include "tmpfs.h"

static struct tmpfs_mount *tm_of(struct tmpfs_node *node)
{
	return node->v.mnt->data;
}

static void **page_slot(struct tmpfs_node *node, uint64_t pn)
{
	size_t leaf = (size_t)(pn / TMPFS_LEAF);

	if (leaf >= node->reg.nleaves || !node->reg.leaves[leaf])
		return NULL;
	return &node->reg.leaves[leaf][pn % TMPFS_LEAF];
}

/* The page pn, allocated (zeroed) if it is a hole; NULL when out of space or memory. */
static void *page_get(struct tmpfs_node *node, uint64_t pn, int *err)
{
	struct tmpfs_mount *tm = tm_of(node);
	size_t leaf = (size_t)(pn / TMPFS_LEAF);
	void **slot;

	if (leaf >= node->reg.nleaves) {
		size_t n = leaf + 1 > 2 * node->reg.nleaves ? leaf + 1 : 2 * node->reg.nleaves;
		void ***l = realloc(node->reg.leaves, n * sizeof(*l));

		if (!l)
			goto nomem;
		memset(l + node->reg.nleaves, 0, (n - node->reg.nleaves) * sizeof(*l));
		node->reg.leaves = l;
		node->reg.nleaves = n;
	}
	if (!node->reg.leaves[leaf] &&
	    !(node->reg.leaves[leaf] = calloc(TMPFS_LEAF, sizeof(void *))))
		goto nomem;
	slot = &node->reg.leaves[leaf][pn % TMPFS_LEAF];
	if (*slot)
		return *slot;
	if (tm->max_pages && tm->pages >= tm->max_pages) {
		*err = -U_ENOSPC;
		return NULL;
	}
	if (!(*slot = calloc(1, TMPFS_PAGE)))
		goto nomem;
	tm->pages++;
	node->v.attr.blocks += TMPFS_PAGE / 512;
	return *slot;
nomem:
	*err = -U_ENOMEM;
	return NULL;
}

long tmpfs_read(struct vnode *v, void *buf, size_t n, uint64_t off)
{
	struct tmpfs_node *node = (struct tmpfs_node *)v;
	char *out = buf;
	size_t done = 0;

	if (off >= v->attr.size)
		return 0;
	if (n > v->attr.size - off)
		n = (size_t)(v->attr.size - off);
	while (done < n) {
		uint64_t pos = off + done;
		size_t in_page = (size_t)(pos % TMPFS_PAGE);
		size_t chunk = TMPFS_PAGE - in_page;
		void **slot = page_slot(node, pos / TMPFS_PAGE);

		if (chunk > n - done)
			chunk = n - done;
		if (slot && *slot)
			memcpy(out + done, (char *)*slot + in_page, chunk);
		else
			memset(out + done, 0, chunk);
		done += chunk;
	}
	return (long)done;
}

long tmpfs_write(struct vnode *v, const void *buf, size_t n, uint64_t off)
{
	struct tmpfs_node *node = (struct tmpfs_node *)v;
	const char *in = buf;
	size_t done = 0;
	int err = 0;

	if (off >= TMPFS_MAX_FILE)
		return n ? -U_EFBIG : 0;
	if (n > TMPFS_MAX_FILE - off)
		n = (size_t)(TMPFS_MAX_FILE - off);
	while (done < n) {
		uint64_t pos = off + done;
		size_t in_page = (size_t)(pos % TMPFS_PAGE);
		size_t chunk = TMPFS_PAGE - in_page;
		char *page = page_get(node, pos / TMPFS_PAGE, &err);

		if (!page)
			break;
		if (chunk > n - done)
			chunk = n - done;
		memcpy(page + in_page, in + done, chunk);
		done += chunk;
	}
	if (done == 0 && err)
		return err;		/* a short write reports what it wrote */
	if (off + done > v->attr.size)
		v->attr.size = off + done;
	if (done) {
		ucore_now(&v->attr.mtime);
		v->attr.ctime = v->attr.mtime;
	}
	return (long)done;
}

static void free_page(struct tmpfs_node *node, void **slot)
{
	if (!*slot)
		return;
	free(*slot);
	*slot = NULL;
	tm_of(node)->pages--;
	node->v.attr.blocks -= TMPFS_PAGE / 512;
}

int tmpfs_truncate(struct vnode *v, uint64_t size)
{
	struct tmpfs_node *node = (struct tmpfs_node *)v;

	if (size > TMPFS_MAX_FILE)
		return -U_EFBIG;
	if (size < v->attr.size) {
		uint64_t keep = (size + TMPFS_PAGE - 1) / TMPFS_PAGE;	/* pages kept */
		void **slot;

		for (size_t l = (size_t)(keep / TMPFS_LEAF); l < node->reg.nleaves; l++) {
			if (!node->reg.leaves[l])
				continue;
			size_t first = (uint64_t)l * TMPFS_LEAF < keep ? (size_t)(keep % TMPFS_LEAF) : 0;

			for (size_t j = first; j < TMPFS_LEAF; j++)
				free_page(node, &node->reg.leaves[l][j]);
			if (first == 0) {
				free(node->reg.leaves[l]);
				node->reg.leaves[l] = NULL;
			}
		}
		/* The kept part of the last page must read as zeros if the file grows again. */
		if (size % TMPFS_PAGE && (slot = page_slot(node, size / TMPFS_PAGE)) && *slot)
			memset((char *)*slot + size % TMPFS_PAGE, 0, TMPFS_PAGE - size % TMPFS_PAGE);
	}
	v->attr.size = size;
	ucore_now(&v->attr.mtime);
	v->attr.ctime = v->attr.mtime;
	return 0;
}

void tmpfs_free_data(struct tmpfs_node *node)
{
	tmpfs_truncate(&node->v, 0);
	for (size_t l = 0; l < node->reg.nleaves; l++)
		free(node->reg.leaves[l]);
	free(node->reg.leaves);
	node->reg.leaves = NULL;
	node->reg.nleaves = 0;
}
