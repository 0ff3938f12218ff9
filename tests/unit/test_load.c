/*
 * Load averages (kern/load.c): the decayed averages approach a steady load at their
 * own pace (1 minute fastest, 15 minutes slowest), and the Mach factor says how many
 * processors' worth are left.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <kern/load.h>

/* The reported averages: avenrun[0..2], then mach_factor[0..2]. */
static int32_t rep(const struct load_averages *a, int i)
{
	int32_t out[6];

	load_report(a, out);
	return out[i];
}

#define SAMPLES_PER_MINUTE	(60 / LOAD_SAMPLE_SECONDS)

static void test_idle(void **state)
{
	struct load_averages a = { 0 };

	(void)state;
	for (int i = 0; i < 60 * SAMPLES_PER_MINUTE; i++)
		load_sample(&a, 0, 1);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(rep(&a, i), 0);
		assert_in_range(rep(&a, 3 + i), 900, 1000);	/* the processor is free */
	}
}

static void test_steady_load_is_reached_in_order(void **state)
{
	struct load_averages a = { 0 };

	(void)state;
	/* Two threads wanting one processor, for one minute. */
	for (int i = 0; i < SAMPLES_PER_MINUTE; i++)
		load_sample(&a, 2, 1);
	/* After one minute the 1-minute average is about 1 - 1/e of the way (~1,264 of
	 * 2,000); the slower ones lag behind it. */
	assert_in_range(rep(&a, 0), 1150, 1350);
	assert_true(rep(&a, 1) < rep(&a, 0) && rep(&a, 2) < rep(&a, 1));
	assert_true(rep(&a, 2) > 0);
	/* An hour later all three are there (within rounding). */
	for (int i = 0; i < 60 * SAMPLES_PER_MINUTE; i++)
		load_sample(&a, 2, 1);
	for (int i = 0; i < 3; i++)
		assert_in_range(rep(&a, i), 1900, 2000);
}

static void test_mach_factor(void **state)
{
	struct load_averages idle = { 0 }, busy = { 0 }, crowded = { 0 };

	(void)state;
	for (int i = 0; i < 60 * SAMPLES_PER_MINUTE; i++) {
		load_sample(&idle, 0, 2);	/* both processors free */
		load_sample(&busy, 1, 2);	/* one of two busy */
		load_sample(&crowded, 3, 1);	/* three threads on one processor */
	}
	assert_in_range(rep(&idle, 3), 1900, 2000);
	assert_in_range(rep(&busy, 3), 900, 1000);
	assert_in_range(rep(&crowded, 3), 200, 250);	/* 1000 / (3 + 1) */
}

static void test_decay_after_load_goes(void **state)
{
	struct load_averages a = { 0 };

	(void)state;
	for (int i = 0; i < 60 * SAMPLES_PER_MINUTE; i++)
		load_sample(&a, 1, 1);
	for (int i = 0; i < SAMPLES_PER_MINUTE; i++)
		load_sample(&a, 0, 1);
	/* One idle minute: the 1-minute average has fallen most, the 15-minute least. */
	assert_true(rep(&a, 0) < 450);
	assert_true(rep(&a, 0) < rep(&a, 1) && rep(&a, 1) < rep(&a, 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idle),
		cmocka_unit_test(test_steady_load_is_reached_in_order),
		cmocka_unit_test(test_mach_factor),
		cmocka_unit_test(test_decay_after_load_goes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
