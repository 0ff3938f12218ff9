/* Interrupts delivered as messages (device_intr_register/ack): arch/x86_64/intr.c. */
#ifndef _KERN_INTR_H_
#define _KERN_INTR_H_

#include <stdbool.h>

struct ipc_port;

/* Registrations alive: ipc_port_destroy looks further only when there are some. */
extern unsigned intr_registrations;

/* The port's receive right went: its registrations are dropped. */
void intr_port_destroyed(struct ipc_port *port);

/* Whether a device may raise line (what device_intr_register and device_irq_create take). */
bool intr_line_valid(int line);

/* PIC line `line` (0-15) raised its vector. Conditions: interrupts disabled. */
void intr_irq(unsigned line);

#endif
