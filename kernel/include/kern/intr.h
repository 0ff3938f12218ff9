/* Interrupts delivered as messages (device_intr_register/ack): arch/x86_64/intr.c. */
#ifndef _KERN_INTR_H_
#define _KERN_INTR_H_

struct ipc_port;

/* Registrations alive: ipc_port_destroy looks further only when there are some. */
extern unsigned intr_registrations;

/* The port's receive right went: its registrations are dropped. */
void intr_port_destroyed(struct ipc_port *port);

/* PIC line `line` (0-15) raised its vector. Conditions: interrupts disabled. */
void intr_irq(unsigned line);

#endif
