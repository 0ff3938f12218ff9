/* The part of stdlib a native task needs. */
#ifndef _STDLIB_H
#define _STDLIB_H

#include <stddef.h>

/* Ends the task (all its threads). Mach tasks have no exit status. */
__attribute__((noreturn)) void exit(int status);
long strtol(const char *s, char **end, int base);

/*
 * The heap (malloc.c; pages from vm_allocate). Not thread-safe. Blocks are 16-byte
 * aligned; malloc(0) returns a unique block; realloc(p, 0) frees p and returns NULL.
 * A bad or double free stops the task (a trap): it is a bug, not an input.
 */
void *malloc(size_t size);
void free(void *p);
void *calloc(size_t count, size_t size);
void *realloc(void *p, size_t size);

#endif
