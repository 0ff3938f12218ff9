/* The part of stdlib a native task needs. */
#ifndef _STDLIB_H
#define _STDLIB_H

/* Ends the task (all its threads). Mach tasks have no exit status. */
__attribute__((noreturn)) void exit(int status);
long strtol(const char *s, char **end, int base);

#endif
