/* What the boot loader handed over, in a loader-neutral form. */
#ifndef _KERN_BOOT_H_
#define _KERN_BOOT_H_

#include <stdint.h>
#include <kern/pmm.h>

#define BOOT_MAX_MODULES	32
#define BOOT_MAX_REGIONS	64
#define BOOT_CMDLINE_MAX	1024

struct boot_module {
	uint64_t start, end;		/* physical */
	char cmdline[BOOT_CMDLINE_MAX];
};

struct boot_info {
	char cmdline[BOOT_CMDLINE_MAX];	/* the kernel command line */
	int nmods;
	struct boot_module mods[BOOT_MAX_MODULES];
	int nregions;
	struct pmm_range regions[BOOT_MAX_REGIONS];	/* usable RAM */
	uint64_t max_phys;		/* end of the highest usable region */
};

extern struct boot_info boot_info;

/* Arch: read the Multiboot information into boot_info. */
void multiboot_read(uint32_t magic, uint64_t info_pa);
/* Sets up the page allocator and the kernel page tables from boot_info. */
void memory_init(void);
/* Starts the tasks the module command lines (boot scripts) ask for. */
void boot_modules_start(void);

#endif /* _KERN_BOOT_H_ */
