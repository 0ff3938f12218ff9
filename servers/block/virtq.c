/* Split virtqueues, legacy layout (see virtq.h). */
#include <string.h>
#include "virtq.h"

#define ALIGN_UP(x, a)	(((x) + (a) - 1) & ~((size_t)(a) - 1))

/* Orders our ring writes before the index the device reads, and its index before its entries. */
static inline void virtq_barrier(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

size_t virtq_legacy_size(unsigned n)
{
	size_t rings = 16 * (size_t)n + 2 * (2 + (size_t)n + 1);	/* descriptors, avail */

	return ALIGN_UP(rings, VIRTQ_ALIGN) + ALIGN_UP(2 * 2 + 8 * (size_t)n + 2, VIRTQ_ALIGN);
}

bool virtq_init(struct virtq *q, unsigned n, void *mem)
{
	char *base = mem;

	if (n == 0 || n > VIRTQ_MAX || (n & (n - 1)))
		return false;
	memset(q, 0, sizeof(*q));
	q->size = n;
	q->desc = (volatile struct virtq_desc *)base;
	q->avail = (volatile struct virtq_avail *)(base + 16 * (size_t)n);
	q->used = (volatile struct virtq_used *)(base + ALIGN_UP(16 * (size_t)n + 2 * (3 + (size_t)n),
								  VIRTQ_ALIGN));
	for (unsigned i = 0; i < n; i++)
		q->desc[i].next = (uint16_t)(i + 1);
	q->free_head = 0;
	q->num_free = n;
	q->last_used = q->used->idx;
	return true;
}

int virtq_add(struct virtq *q, const struct virtq_seg *segs, unsigned nsegs, void *token)
{
	uint16_t head = q->free_head, i = head, avail_idx;

	if (nsegs == 0 || nsegs > q->num_free)
		return -1;
	for (unsigned k = 0; k < nsegs; k++) {
		volatile struct virtq_desc *d = &q->desc[i];

		d->addr = segs[k].paddr;
		d->len = segs[k].len;
		d->flags = (segs[k].device_writes ? VIRTQ_DESC_F_WRITE : 0) |
			   (k + 1 < nsegs ? VIRTQ_DESC_F_NEXT : 0);
		if (k + 1 < nsegs)
			i = d->next;
	}
	q->free_head = q->desc[i].next;
	q->num_free -= nsegs;
	q->token[head] = token;
	avail_idx = q->avail->idx;
	q->avail->ring[avail_idx & (q->size - 1)] = head;
	virtq_barrier();
	q->avail->idx = (uint16_t)(avail_idx + 1);
	virtq_barrier();
	return head;
}

bool virtq_get_used(struct virtq *q, void **token, uint32_t *len)
{
	volatile struct virtq_used_elem *e;
	uint16_t head, i;

	if (q->last_used == q->used->idx)
		return false;
	virtq_barrier();
	e = &q->used->ring[q->last_used & (q->size - 1)];
	head = (uint16_t)e->id;
	*len = e->len;
	q->last_used++;
	if (e->id >= q->size) {
		*token = NULL;	/* a broken device: nothing of ours to free */
		return true;
	}
	*token = q->token[head];
	q->token[head] = NULL;
	/* Back onto the free list: the chain's tail links to the old head. */
	for (i = head; q->desc[i].flags & VIRTQ_DESC_F_NEXT; i = q->desc[i].next)
		q->num_free++;
	q->num_free++;
	q->desc[i].next = q->free_head;
	q->free_head = head;
	return true;
}
