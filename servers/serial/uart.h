/* The 16550 UART's registers (offsets from its base port) and the bits the driver uses. */
#ifndef _SERIAL_UART_H
#define _SERIAL_UART_H

#define UART_RBR	0	/* read: received byte */
#define UART_THR	0	/* write: byte to send */
#define UART_DLL	0	/* with LCR_DLAB: divisor, low byte */
#define UART_IER	1
#define UART_DLM	1	/* with LCR_DLAB: divisor, high byte */
#define UART_IIR	2	/* read: interrupt identification */
#define UART_FCR	2	/* write: FIFO control */
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_MSR	6
#define UART_SCR	7	/* scratch: the probe writes and reads it back */
#define UART_PORTS	8

#define IER_RDA		0x01	/* received data available (and the FIFO timeout) */
#define IER_THRE	0x02	/* transmit holding register empty */
#define IER_RLS		0x04	/* receiver line status */

#define IIR_NONE	0x01	/* no interrupt pending */
#define IIR_ID_MASK	0x0e
#define IIR_MSR		0x00
#define IIR_THRE	0x02
#define IIR_RDA		0x04
#define IIR_RLS		0x06
#define IIR_TIMEOUT	0x0c
#define IIR_FIFO_ON	0xc0	/* both bits: the FIFOs are enabled */

#define FCR_ENABLE	0x01
#define FCR_CLEAR_RX	0x02
#define FCR_CLEAR_TX	0x04

#define LCR_8BITS	0x03
#define LCR_PARITY	0x08
#define LCR_EVEN	0x10
#define LCR_DLAB	0x80

#define MCR_DTR		0x01
#define MCR_RTS		0x02
#define MCR_OUT2	0x08	/* on a PC, gates the UART's interrupt onto the bus */
#define MCR_LOOP	0x10

#define LSR_DR		0x01	/* a received byte is waiting */
#define LSR_OE		0x02	/* overrun: a byte was lost */
#define LSR_THRE	0x20

#define UART_CLOCK	115200	/* divisor 1 */
#define UART_FIFO	16	/* bytes the transmit FIFO takes when empty */

#endif
