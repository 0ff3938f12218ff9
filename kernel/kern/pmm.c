/* Buddy allocator for physical pages (see kern/pmm.h). */
#include <kern/pmm.h>

struct pmm kernel_pmm;

void pmm_init(struct pmm *p, uint64_t base_pfn, size_t nframes, struct pmm_frame *frames)
{
	p->base_pfn = base_pfn;
	p->nframes = nframes;
	p->frames = frames;
	p->free_pages = 0;
	p->total_pages = 0;
	for (int i = 0; i <= PMM_MAX_ORDER; i++)
		list_init(&p->free_lists[i]);
	for (size_t i = 0; i < nframes; i++) {
		list_init(&frames[i].link);
		frames[i].order = 0;
		frames[i].state = PMM_RESERVED;
		frames[i].refs = 0;
	}
}

/* Puts a block on its free list, merging it with free buddies of the same order. */
static void free_block(struct pmm *p, size_t idx, unsigned order)
{
	/* Invariant: only block heads are FREE or ALLOCATED; other frames are RESERVED. */
	p->frames[idx].state = PMM_RESERVED;
	p->free_pages += (size_t)1 << order;
	while (order < PMM_MAX_ORDER) {
		/* Buddies pair up on absolute frame numbers, so alignment is physical. */
		uint64_t pfn = p->base_pfn + idx;
		uint64_t buddy_pfn = pfn ^ ((uint64_t)1 << order);
		struct pmm_frame *b;

		if (buddy_pfn < p->base_pfn || buddy_pfn - p->base_pfn >= p->nframes)
			break;
		b = &p->frames[buddy_pfn - p->base_pfn];
		if (b->state != PMM_FREE || b->order != order)
			break;
		list_remove(&b->link);
		b->state = PMM_RESERVED;	/* no longer a block head */
		if (buddy_pfn < pfn)
			idx = buddy_pfn - p->base_pfn;
		order++;
	}
	p->frames[idx].state = PMM_FREE;
	p->frames[idx].order = (uint8_t)order;
	list_push_back(&p->free_lists[order], &p->frames[idx].link);
}

static bool excluded(uint64_t pa, const struct pmm_range *excl, size_t nexcl)
{
	for (size_t i = 0; i < nexcl; i++)
		if (pa + PMM_PAGE_SIZE > excl[i].start && pa < excl[i].end)
			return true;
	return false;
}

void pmm_add_range(struct pmm *p, uint64_t start, uint64_t end,
		   const struct pmm_range *excl, size_t nexcl)
{
	uint64_t first = (start + PMM_PAGE_SIZE - 1) / PMM_PAGE_SIZE;
	uint64_t last = end / PMM_PAGE_SIZE;	/* exclusive */

	for (uint64_t pfn = first; pfn < last; pfn++) {
		size_t idx;

		if (pfn < p->base_pfn || pfn - p->base_pfn >= p->nframes)
			continue;
		idx = pfn - p->base_pfn;
		if (p->frames[idx].state != PMM_RESERVED || excluded(pfn * PMM_PAGE_SIZE, excl, nexcl))
			continue;
		/* A frame merged into a free block is also marked reserved: skip it. */
		p->frames[idx].state = PMM_ALLOCATED;
		p->total_pages++;
		free_block(p, idx, 0);
	}
}

uint64_t pmm_alloc(struct pmm *p, unsigned order)
{
	unsigned k = order;
	struct list *n = NULL;
	size_t idx;

	if (order > PMM_MAX_ORDER)
		return PMM_NONE;
	while (k <= PMM_MAX_ORDER && !(n = list_pop_front(&p->free_lists[k])))
		k++;
	if (!n)
		return PMM_NONE;
	idx = (size_t)(list_entry(n, struct pmm_frame, link) - p->frames);
	/* Split down to the requested order; the upper halves go back as free blocks. */
	while (k > order) {
		size_t half = (size_t)1 << --k;
		p->frames[idx + half].state = PMM_FREE;
		p->frames[idx + half].order = (uint8_t)k;
		list_push_back(&p->free_lists[k], &p->frames[idx + half].link);
	}
	p->frames[idx].state = PMM_ALLOCATED;
	p->frames[idx].order = (uint8_t)order;
	p->free_pages -= (size_t)1 << order;
	return (p->base_pfn + idx) * PMM_PAGE_SIZE;
}

bool pmm_free(struct pmm *p, uint64_t pa, unsigned order)
{
	uint64_t pfn = pa / PMM_PAGE_SIZE;
	size_t idx;

	if (pa % PMM_PAGE_SIZE || order > PMM_MAX_ORDER || pfn < p->base_pfn ||
	    pfn - p->base_pfn >= p->nframes || (pfn & (((uint64_t)1 << order) - 1)))
		return false;
	idx = pfn - p->base_pfn;
	if (p->frames[idx].state != PMM_ALLOCATED || p->frames[idx].order != order)
		return false;
	free_block(p, idx, order);
	return true;
}

void pmm_split(struct pmm *p, uint64_t pa, unsigned order)
{
	size_t idx = pa / PMM_PAGE_SIZE - p->base_pfn;

	/* Each page becomes a block head of its own, so each can be freed alone. */
	for (size_t i = 0; i < (size_t)1 << order; i++) {
		p->frames[idx + i].state = PMM_ALLOCATED;
		p->frames[idx + i].order = 0;
	}
}

struct pmm_frame *pmm_frame(struct pmm *p, uint64_t pa)
{
	uint64_t pfn = pa / PMM_PAGE_SIZE;

	if (pfn < p->base_pfn || pfn - p->base_pfn >= p->nframes)
		return NULL;
	return &p->frames[pfn - p->base_pfn];
}
