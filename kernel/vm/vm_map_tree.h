/*
 * The index of a map's entries, for vm_map.c (vm_map_tree.c): the lookups of
 * kern/vm_map.h and the search for free space in O(log n). The map's entry list stays
 * the order; the tree follows it: an entry is inserted once it is in the list (with
 * its range set) and removed while it still is.
 */
#ifndef _VM_MAP_TREE_H_
#define _VM_MAP_TREE_H_

#include <stdint.h>

struct vm_map;
struct vm_entry;

void vm_map_tree_insert(struct vm_map *map, struct vm_entry *e);
void vm_map_tree_remove(struct vm_map *map, struct vm_entry *e);
/* Builds the tree of a map whose list holds every entry and whose tree is empty. */
void vm_map_tree_build(struct vm_map *map);
/* The lowest free start aligned to mask + 1 with size bytes below limit, or 0. */
uint64_t vm_map_tree_space(struct vm_map *map, uint64_t size, uint64_t mask, uint64_t limit);

#endif /* _VM_MAP_TREE_H_ */
