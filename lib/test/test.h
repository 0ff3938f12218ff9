/*
 * The test line protocol for in-guest programs (read by tests/scenarios/runner):
 *   TEST PASS <name>
 *   TEST FAIL <name> <file>:<line> <message>
 *   TESTS DONE pass=N fail=M        (once, by the program that ends the scenario)
 */
#ifndef _TEST_H
#define _TEST_H

#include <stdbool.h>

void test_pass(const char *name);
void test_fail(const char *name, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Prints the summary line for this program's results. */
void test_done(void);

/* Records a pass, or a failure naming the condition; returns ok. */
bool test_check(const char *name, bool ok, const char *file, int line, const char *expr);
#define TEST_CHECK(name, cond)	test_check(name, (cond), __FILE__, __LINE__, #cond)

#endif
