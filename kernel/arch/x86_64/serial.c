/* The early console: COM1, a 16550 UART, polled (kernel messages only). */
#include <arch/cpu.h>
#include <arch/serial.h>

#define COM1		0x3F8
#define REG_DATA	0
#define REG_IER		1
#define REG_FCR		2
#define REG_LCR		3
#define REG_MCR		4
#define REG_LSR		5
#define LCR_DLAB	0x80
#define LCR_8N1		0x03
#define LSR_THRE	0x20
#define LSR_DATA_READY	0x01

void serial_init(void)
{
	outb(COM1 + REG_IER, 0x00);		/* no interrupts: the kernel polls */
	outb(COM1 + REG_LCR, LCR_DLAB);
	outb(COM1 + REG_DATA, 1);		/* divisor 1: 115200 baud */
	outb(COM1 + 1, 0);
	outb(COM1 + REG_LCR, LCR_8N1);
	outb(COM1 + REG_FCR, 0xC7);		/* enable and clear FIFOs */
	outb(COM1 + REG_MCR, 0x03);		/* DTR, RTS */
}

void serial_putc(char c)
{
	if (c == '\n')
		serial_putc('\r');
	while (!(inb(COM1 + REG_LSR) & LSR_THRE))
		;
	outb(COM1 + REG_DATA, (uint8_t)c);
}

int serial_getc(void)
{
	while (!(inb(COM1 + REG_LSR) & LSR_DATA_READY))
		;
	return inb(COM1 + REG_DATA);
}
