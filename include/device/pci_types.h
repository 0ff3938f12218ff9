/* The C types and constants of pci.defs (subsystem 5700). */
#ifndef _DEVICE_PCI_TYPES_H
#define _DEVICE_PCI_TYPES_H

#include <stdint.h>

/* Per BAR, six of them: base, size or flags. */
typedef uint64_t pci_bar_array_t[6];

/* pci_bar_array_t flags of pci_device_info. */
#define PCI_BAR_IO		1
#define PCI_BAR_MEM64		2
#define PCI_BAR_PREFETCH	4

/* pci_device_enable command bits (the low bits of the command register). */
#define PCI_COMMAND_IO		1
#define PCI_COMMAND_MEMORY	2
#define PCI_COMMAND_MASTER	4

#endif
