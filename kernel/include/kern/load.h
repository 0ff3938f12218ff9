/*
 * Load averages for host_info's HOST_LOAD_INFO (ABI section 12): exponentially decayed
 * averages over 1, 5 and 15 minutes of the number of threads wanting a processor, and
 * of the "Mach factor" (the processors' worth left free), both scaled by LOAD_SCALE.
 */
#ifndef _KERN_LOAD_H_
#define _KERN_LOAD_H_

#include <stdint.h>

#define LOAD_SCALE		1000
#define LOAD_SAMPLE_SECONDS	5

/* Kept with LOAD_SCALE more precision than reported, so rounding cannot hold them
 * short of the steady value. */
struct load_averages {
	int64_t avenrun[3];
	int64_t mach_factor[3];
};

extern struct load_averages host_load;

/* Folds one sample (nrun runnable threads, running one included, on ncpus) into avg. */
void load_sample(struct load_averages *avg, uint32_t nrun, uint32_t ncpus);
/* The averages as HOST_LOAD_INFO reports them: avenrun[3], then mach_factor[3]. */
void load_report(const struct load_averages *avg, int32_t out[6]);

#endif
