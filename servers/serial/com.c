/*
 * The 16550 itself: probing, setting up, line settings, and moving bytes between the
 * UART and the rings (com_service, run on each interrupt of the port's line). The ports
 * are ours through the manifest's io grants (device_io_enable in serial.c).
 */
#include <device/tty_status.h>
#include "portio.h"
#include "serial.h"
#include "uart.h"

/* The divisor of each B code (UART_CLOCK / baud); 0: not a speed the UART can do. */
static const uint16_t divisors[] = {
	[B50] = 2304, [B75] = 1536, [B110] = 1047, [B134] = 857, [B150] = 768, [B200] = 576,
	[B300] = 384, [B600] = 192, [B1200] = 96, [B1800] = 64, [B2400] = 48, [B4800] = 24,
	[B9600] = 12, [B19200] = 6, [B38400] = 3, [B57600] = 2, [B115200] = 1,
};

/*
 * Present if the scratch register keeps what we write (no UART: the bus reads 0xff).
 * Nothing else is touched: on COM1 the kernel's console output may be under way.
 */
bool com_probe(struct com *c)
{
	uint8_t keep = inb(c->base + UART_SCR);
	bool ok;

	outb(c->base + UART_SCR, 0x5a);
	ok = inb(c->base + UART_SCR) == 0x5a;
	outb(c->base + UART_SCR, 0xa5);
	ok = ok && inb(c->base + UART_SCR) == 0xa5 && inb(c->base + UART_LSR) != 0xff;
	outb(c->base + UART_SCR, keep);
	return ok;
}

static int speed_of(uint16_t divisor)
{
	for (int s = B50; s <= B115200; s++)
		if (divisors[s] == divisor)
			return s;
	return B0;
}

/*
 * Keeps the speed found (the kernel set COM1 up) unless it is none; 8 data bits, no
 * parity. Turning the FIFOs on clears them, so a port with a received byte already
 * waiting (input that came before us) keeps them off rather than lose it.
 */
void com_init(struct com *c)
{
	uint16_t divisor;

	outb(c->base + UART_IER, 0);
	c->lcr = inb(c->base + UART_LCR) & ~LCR_DLAB;
	outb(c->base + UART_LCR, c->lcr | LCR_DLAB);
	divisor = inb(c->base + UART_DLL) | inb(c->base + UART_DLM) << 8;
	outb(c->base + UART_LCR, c->lcr);
	c->speed = speed_of(divisor);
	if (c->speed == B0)
		com_set_speed(c, B115200, 0);
	c->fifo = (inb(c->base + UART_IIR) & IIR_FIFO_ON) == IIR_FIFO_ON;
	if (c->fifo || !(inb(c->base + UART_LSR) & LSR_DR)) {
		outb(c->base + UART_FCR, FCR_ENABLE);	/* trigger at 1 byte */
		c->fifo = true;
	}
	c->mcr = MCR_DTR | MCR_RTS | MCR_OUT2;
	outb(c->base + UART_MCR, c->mcr);
	c->ier = IER_RDA | IER_RLS;
	outb(c->base + UART_IER, c->ier);
}

int com_set_speed(struct com *c, int speed, int flags)
{
	uint8_t lcr = LCR_8BITS;

	if (speed <= B0 || speed > B115200 || !divisors[speed])
		return D_INVALID_OPERATION;
	if ((flags & TF_ANYP) == TF_ODDP)
		lcr |= LCR_PARITY;
	else if ((flags & TF_ANYP) == TF_EVENP)
		lcr |= LCR_PARITY | LCR_EVEN;
	outb(c->base + UART_LCR, lcr | LCR_DLAB);
	outb(c->base + UART_DLL, divisors[speed] & 0xff);
	outb(c->base + UART_DLM, divisors[speed] >> 8);
	outb(c->base + UART_LCR, lcr);
	c->lcr = lcr;
	c->speed = speed;
	return D_SUCCESS;
}

int com_flags(const struct com *c)
{
	if (!(c->lcr & LCR_PARITY))
		return 0;
	return c->lcr & LCR_EVEN ? TF_EVENP : TF_ODDP;
}

void com_set_loopback(struct com *c, bool on)
{
	c->mcr = on ? c->mcr | MCR_LOOP : c->mcr & ~MCR_LOOP;
	outb(c->base + UART_MCR, c->mcr);
	com_service(c);
}

void com_flush(struct com *c, bool input, bool output)
{
	if (input) {
		c->rx.tail = c->rx.head;
		while (inb(c->base + UART_LSR) & LSR_DR)
			inb(c->base + UART_RBR);
	}
	if (output)
		c->tx.tail = c->tx.head;
}

/* Received bytes into the input ring; past its end they are dropped and counted. */
static bool receive(struct com *c)
{
	bool moved = false;

	for (int n = 0; n < RING_SIZE && (inb(c->base + UART_LSR) & LSR_DR); n++) {
		uint8_t b = inb(c->base + UART_RBR);

		moved = true;
		if (ring_room(&c->rx) == 0) {
			c->dropped++;
			continue;
		}
		c->rx.bytes[c->rx.head++ % RING_SIZE] = b;
		c->received++;
	}
	return moved;
}

/*
 * Fills the transmitter from the output ring when it is empty (the whole FIFO at once),
 * and asks for the THRE interrupt while bytes remain; without any, it is turned off, or
 * the UART would keep interrupting. The kernel writes COM1 too (its console, polled):
 * our bytes and its messages interleave.
 */
static bool transmit(struct com *c)
{
	bool moved = false;
	uint8_t ier;

	if (ring_used(&c->tx) && (inb(c->base + UART_LSR) & LSR_THRE)) {
		for (int n = c->fifo ? UART_FIFO : 1; n > 0 && ring_used(&c->tx); n--) {
			outb(c->base + UART_THR, c->tx.bytes[c->tx.tail++ % RING_SIZE]);
			c->sent++;
		}
		moved = true;
	}
	ier = ring_used(&c->tx) ? c->ier | IER_THRE : c->ier & ~IER_THRE;
	if (ier != c->ier) {
		c->ier = ier;
		outb(c->base + UART_IER, ier);
	}
	return moved;
}

void com_start_tx(struct com *c)
{
	transmit(c);
	/* In loopback the bytes come straight back; a PC's UART raises no interrupt then. */
	if (c->mcr & MCR_LOOP)
		com_service(c);
}

/*
 * Until the UART reports nothing pending: reading IIR, LSR and MSR clears their causes,
 * so the line drops before it is acked. Bounded, in case the hardware never settles.
 */
bool com_service(struct com *c)
{
	bool moved = false;
	uint8_t iir;

	for (int rounds = 0; rounds < 64; rounds++) {
		iir = inb(c->base + UART_IIR);
		if (iir & IIR_NONE) {
			/* Loopback raises no interrupt on a PC; look at the receiver anyway. */
			moved |= receive(c);
			moved |= transmit(c);
			if (!(c->mcr & MCR_LOOP) || !(inb(c->base + UART_LSR) & LSR_DR))
				break;
			continue;
		}
		switch (iir & IIR_ID_MASK) {
		case IIR_RLS:
			if (inb(c->base + UART_LSR) & LSR_OE)
				c->dropped++;
			break;
		case IIR_RDA:
		case IIR_TIMEOUT:
			moved |= receive(c);
			break;
		case IIR_THRE:
			moved |= transmit(c);
			break;
		default:
			inb(c->base + UART_MSR);
			break;
		}
	}
	return moved;
}
