/*
 * gsync: futex-style waiting on user words (gnumach 4204-4206). A waiter is keyed by
 * (task, address) for a private word, or by the physical address of the word for a
 * GSYNC_SHARED one, so that tasks sharing the page meet. Waiters live on the waiting
 * thread's kernel stack, in a small hash of lists.
 *
 * The word is found through the task's pmap, after a fault that brings the page in
 * (demand zero-fill) or makes it private (copy-on-write, for a wake that writes).
 */
#include <mach/kern_return.h>
#include <arch/pmap.h>
#include <kern/kserver.h>
#include <kern/layout.h>
#include <kern/list.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/timer.h>
#include <kern/vm_map.h>

#define GSYNC_SHARED	0x01
#define GSYNC_QUAD	0x02
#define GSYNC_TIMED	0x04
#define GSYNC_BROADCAST	0x08
#define GSYNC_MUTATE	0x10
#define GSYNC_BUCKETS	64

struct gsync_key {
	uint64_t owner;		/* the task, or 0 for a shared word */
	uint64_t addr;		/* the user address, or the physical one */
};

struct gsync_waiter {
	struct list link;	/* in its bucket */
	struct gsync_key key;
	struct waitq wq;	/* the waiting thread alone */
	bool woken;
};

static struct list buckets[GSYNC_BUCKETS];
static bool buckets_ready;

static struct list *bucket(const struct gsync_key *k)
{
	uint64_t h = (k->owner ^ k->addr) * 0x9E3779B97F4A7C15ull;

	if (!buckets_ready) {
		for (int i = 0; i < GSYNC_BUCKETS; i++)
			list_init(&buckets[i]);
		buckets_ready = true;
	}
	return &buckets[h >> 58];
}

/*
 * The key of the word at addr in t, and where the kernel sees that word. The word
 * must be aligned to its size and mapped (writable, for a wake that mutates).
 */
static kern_return_t make_key(struct task *t, uint64_t addr, int flags, bool write,
			      struct gsync_key *k, void **word)
{
	uint64_t size = (flags & GSYNC_QUAD) ? 8 : 4, pa;
	int prot;

	if (addr % size || addr >= USER_LIMIT)
		return KERN_INVALID_ADDRESS;
	if (!pmap_extract(t->pmap, addr, &pa, &prot) || (write && !(prot & VM_PROT_WRITE))) {
		kern_return_t kr = vm_fault(&t->map, addr, write ? VM_PROT_WRITE : VM_PROT_READ);
		if (kr != KERN_SUCCESS)
			return kr == KERN_PROTECTION_FAILURE ? kr : KERN_INVALID_ADDRESS;
		if (!pmap_extract(t->pmap, addr, &pa, &prot))
			return KERN_INVALID_ADDRESS;
	}
	if (!(prot & VM_PROT_READ))
		return KERN_INVALID_ADDRESS;
	*word = phys_to_virt(pa);
	k->owner = (flags & GSYNC_SHARED) ? 0 : (uint64_t)t;
	k->addr = (flags & GSYNC_SHARED) ? pa : addr;
	return KERN_SUCCESS;
}

static bool same_key(const struct gsync_key *a, const struct gsync_key *b)
{
	return a->owner == b->owner && a->addr == b->addr;
}

/* The first waiter on key, or NULL. */
static struct gsync_waiter *first_waiter(const struct gsync_key *k)
{
	struct list *b = bucket(k), *n;

	list_for_each(n, b) {
		struct gsync_waiter *w = list_entry(n, struct gsync_waiter, link);
		if (same_key(&w->key, k))
			return w;
	}
	return NULL;
}

static void wake(struct gsync_waiter *w)
{
	list_remove(&w->link);
	w->woken = true;
	waitq_wakeup_one(&w->wq);
}

/* Conditions: interrupts disabled; may block (until woken, timed out or aborted). */
kern_return_t gsync_wait(mach_port_t task, vm_address_t addr, unsigned val1, unsigned val2,
			 natural_t msec, int flags)
{
	struct task *t = task_from_name(task);
	struct gsync_waiter w;
	enum wait_result wr;
	kern_return_t kr;
	uint64_t ticks = 0;
	void *word;

	if (!t)
		return KERN_INVALID_TASK;
	if ((kr = make_key(t, addr, flags, false, &w.key, &word)) != KERN_SUCCESS)
		return kr;
	if ((flags & GSYNC_QUAD) ? *(volatile uint64_t *)word != ((uint64_t)val2 << 32 | val1)
				 : *(volatile uint32_t *)word != val1)
		return KERN_INVALID_ARGUMENT;	/* the word changed: no wait */
	if (flags & GSYNC_TIMED) {
		if (msec == 0)
			return KERN_TIMEDOUT;
		ticks = timer_ms_to_ticks(msec);
		if (ticks == 0)
			ticks = 1;
	}
	waitq_init(&w.wq);
	w.woken = false;
	list_push_back(bucket(&w.key), &w.link);
	wr = waitq_sleep_timeout(&w.wq, ticks);
	if (w.woken)
		return KERN_SUCCESS;
	list_remove(&w.link);
	return wr == THREAD_TIMED_OUT ? KERN_TIMEDOUT : KERN_INTERRUPTED;
}

kern_return_t gsync_wake(mach_port_t task, vm_address_t addr, unsigned val, int flags)
{
	struct task *t = task_from_name(task);
	struct gsync_key k;
	struct gsync_waiter *w;
	kern_return_t kr;
	void *word;

	if (!t)
		return KERN_INVALID_TASK;
	if ((kr = make_key(t, addr, flags & ~GSYNC_QUAD, flags & GSYNC_MUTATE, &k, &word)) != KERN_SUCCESS)
		return kr;
	if (flags & GSYNC_MUTATE)
		*(volatile uint32_t *)word = val;
	if (!(w = first_waiter(&k)))
		return KERN_INVALID_ARGUMENT;	/* nobody was waiting */
	do
		wake(w);
	while ((flags & GSYNC_BROADCAST) && (w = first_waiter(&k)));
	return KERN_SUCCESS;
}

kern_return_t gsync_requeue(mach_port_t task, vm_address_t src_addr, vm_address_t dst_addr,
			    boolean_t wake_one, int flags)
{
	struct task *t = task_from_name(task);
	struct gsync_key src, dst;
	struct gsync_waiter *w;
	kern_return_t kr;
	void *word;

	if (!t)
		return KERN_INVALID_TASK;
	flags &= ~GSYNC_QUAD;
	if ((kr = make_key(t, src_addr, flags, false, &src, &word)) != KERN_SUCCESS ||
	    (kr = make_key(t, dst_addr, flags, false, &dst, &word)) != KERN_SUCCESS)
		return kr;
	if (wake_one && (w = first_waiter(&src)))
		wake(w);
	if (same_key(&src, &dst))
		return KERN_SUCCESS;
	while ((w = first_waiter(&src))) {
		list_remove(&w->link);
		w->key = dst;
		list_push_back(bucket(&dst), &w->link);
	}
	return KERN_SUCCESS;
}
