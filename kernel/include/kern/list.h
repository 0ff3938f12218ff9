/* Intrusive circular doubly-linked lists (the list head is a sentinel node). */
#ifndef _KERN_LIST_H_
#define _KERN_LIST_H_

#include <stddef.h>
#include <stdbool.h>

struct list {
	struct list *prev, *next;
};

#define LIST_INIT(name)	{ &(name), &(name) }

#define list_entry(node, type, member) \
	((type *)((char *)(node) - offsetof(type, member)))

#define list_for_each(pos, head) \
	for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

/* Safe against removal of the current node. */
#define list_for_each_safe(pos, tmp, head) \
	for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head); \
	     (pos) = (tmp), (tmp) = (pos)->next)

static inline void list_init(struct list *l)
{
	l->prev = l->next = l;
}

static inline bool list_empty(const struct list *l)
{
	return l->next == l;
}

static inline void list_insert_after(struct list *pos, struct list *n)
{
	n->prev = pos;
	n->next = pos->next;
	pos->next->prev = n;
	pos->next = n;
}

static inline void list_push_back(struct list *head, struct list *n)
{
	list_insert_after(head->prev, n);
}

static inline void list_push_front(struct list *head, struct list *n)
{
	list_insert_after(head, n);
}

static inline void list_remove(struct list *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->prev = n->next = n;
}

static inline struct list *list_pop_front(struct list *head)
{
	struct list *n = head->next;

	if (n == head)
		return NULL;
	list_remove(n);
	return n;
}

#endif /* _KERN_LIST_H_ */
