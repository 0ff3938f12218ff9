/* Load averages (see kern/load.h). Pure: the scheduler takes the samples. */
#include <kern/load.h>

struct load_averages host_load;

/*
 * exp(-5 s / period) for periods of 1, 5 and 15 minutes, scaled by LOAD_SCALE: each
 * sample keeps that much of the old average and adds the rest of the new value.
 */
static const int32_t decay[3] = { 920, 983, 994 };

/* The processors' worth of capacity left: all but the busy ones, or a share when
 * there are more threads than processors. */
static int32_t factor(uint32_t nrun, uint32_t ncpus)
{
	if (nrun < ncpus)
		return (int32_t)((ncpus - nrun) * LOAD_SCALE);
	return (int32_t)(ncpus * LOAD_SCALE / (nrun + 1));
}

/* One step of an average kept at LOAD_SCALE^2 toward value (at LOAD_SCALE). */
static int64_t step(int64_t avg, int64_t value, int32_t keep)
{
	return (avg * keep + value * LOAD_SCALE * (LOAD_SCALE - keep)) / LOAD_SCALE;
}

void load_sample(struct load_averages *avg, uint32_t nrun, uint32_t ncpus)
{
	int64_t load = (int64_t)nrun * LOAD_SCALE, free = factor(nrun, ncpus);

	for (int i = 0; i < 3; i++) {
		avg->avenrun[i] = step(avg->avenrun[i], load, decay[i]);
		avg->mach_factor[i] = step(avg->mach_factor[i], free, decay[i]);
	}
}

void load_report(const struct load_averages *avg, int32_t out[6])
{
	for (int i = 0; i < 3; i++) {
		out[i] = (int32_t)((avg->avenrun[i] + LOAD_SCALE / 2) / LOAD_SCALE);
		out[3 + i] = (int32_t)((avg->mach_factor[i] + LOAD_SCALE / 2) / LOAD_SCALE);
	}
}
