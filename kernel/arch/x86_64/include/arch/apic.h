/* The local APIC (timer, end of interrupt) and the legacy 8259 PICs (masked). */
#ifndef _ARCH_APIC_H_
#define _ARCH_APIC_H_

#include <stdint.h>

#define TIMER_HZ	100

void apic_init(void);
void apic_eoi(void);

#endif
