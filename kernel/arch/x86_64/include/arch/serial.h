/* The early serial console (COM1). */
#ifndef _ARCH_SERIAL_H_
#define _ARCH_SERIAL_H_

void serial_init(void);
void serial_putc(char c);
/* Waits for and returns one received byte. */
int serial_getc(void);

#endif
