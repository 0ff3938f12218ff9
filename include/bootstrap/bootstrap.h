/* Constants of the bootstrap interface (bootstrap.defs, subsystem 5600). */
#ifndef _BOOTSTRAP_BOOTSTRAP_H
#define _BOOTSTRAP_BOOTSTRAP_H

/* bootstrap_capability kinds: what a manifest entry's grant lines give. */
#define BOOTSTRAP_CAP_IO	1	/* `io FIRST LAST`: an io_perm_t for the port range */
#define BOOTSTRAP_CAP_IRQ	2	/* `irq LINE`: a device_irq_create port */
#define BOOTSTRAP_CAP_MEM	3	/* `mem ADDR SIZE`: a device_mem_create port */
#define BOOTSTRAP_CAP_DMA	4	/* `dma LIMIT`: a device_dma_create port */

/* The C types of bootstrap.defs' strings (c_string[128], c_string[256]). */
typedef char bootstrap_name_t[128];
typedef const char *const_bootstrap_name_t;
typedef char bootstrap_status_t[256];
typedef const char *const_bootstrap_status_t;

/* The name bootstrap registers its clients' device master under. */
#define BOOTSTRAP_DEVICE_MASTER	"device-master"

#endif
