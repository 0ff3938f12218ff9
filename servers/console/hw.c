/*
 * VGA text mode and the PS/2 keyboard, through the capabilities bootstrap grants
 * (servers/console/README.md lists the manifest entry). The screen is colour text mode
 * 80x25 at 0xb8000, as the BIOS and GRUB leave it; the keyboard controller is told to
 * interrupt on IRQ 1 and to translate to scan code set 1.
 */
#include <stdio.h>
#include <device/device_types.h>
#include "device_server.h"
#include "hw.h"
#include "portio.h"

#define VGA_PADDR	0xb8000
#define CRTC_INDEX	0x3d4
#define CRTC_DATA	0x3d5
#define CRTC_START_HI	0x0c
#define CRTC_START_LO	0x0d
#define CRTC_CURSOR_HI	0x0e
#define CRTC_CURSOR_LO	0x0f

#define I8042_DATA	0x60
#define I8042_STATUS	0x64	/* read */
#define I8042_CMD	0x64	/* write */
#define ST_OUT_FULL	0x01	/* a byte waits at I8042_DATA */
#define ST_IN_FULL	0x02	/* the controller has not taken our last byte yet */
#define ST_AUX		0x20	/* the waiting byte is the mouse's */
#define CMD_READ_CFG	0x20
#define CMD_WRITE_CFG	0x60
#define CMD_KBD_ENABLE	0xae
#define CFG_KBD_IRQ	0x01
#define CFG_KBD_OFF	0x10	/* the keyboard's clock disabled */
#define CFG_XLATE	0x40	/* scan code set 2 translated to set 1 */
#define SPIN		100000	/* status polls before giving up on the controller */

static volatile uint16_t *vga;

static void crtc_write(uint8_t reg, uint8_t v)
{
	outb(CRTC_INDEX, reg);
	outb(CRTC_DATA, v);
}

/* Waits until the controller can take a byte; false if it never does. */
static bool i8042_wait_in(void)
{
	for (int i = 0; i < SPIN; i++)
		if (!(inb(I8042_STATUS) & ST_IN_FULL))
			return true;
	return false;
}

static bool i8042_wait_out(void)
{
	for (int i = 0; i < SPIN; i++)
		if (inb(I8042_STATUS) & ST_OUT_FULL)
			return true;
	return false;
}

/* Keyboard interrupts on, translation on, the keyboard port enabled. */
static bool i8042_init(void)
{
	uint8_t cfg;

	if (inb(I8042_STATUS) == 0xff)
		return false;	/* nothing decodes the port */
	for (int i = 0; i < 32 && (inb(I8042_STATUS) & ST_OUT_FULL); i++)
		(void)inb(I8042_DATA);	/* stale bytes from before us */
	if (!i8042_wait_in())
		return false;
	outb(I8042_CMD, CMD_READ_CFG);
	if (!i8042_wait_out())
		return false;
	cfg = inb(I8042_DATA);
	cfg = (uint8_t)((cfg | CFG_KBD_IRQ | CFG_XLATE) & ~CFG_KBD_OFF);
	if (!i8042_wait_in())
		return false;
	outb(I8042_CMD, CMD_WRITE_CFG);
	if (!i8042_wait_in())
		return false;
	outb(I8042_DATA, cfg);
	if (!i8042_wait_in())
		return false;
	outb(I8042_CMD, CMD_KBD_ENABLE);
	return true;
}

/* Enables every I/O range granted; true if they cover the VGA and i8042 ports. */
static bool enable_ports(void)
{
	bool crtc = false, data = false, cmd = false;
	uint64_t first, count;

	for (int i = 0; device_io_enable(i, &first, &count) == KERN_SUCCESS; i++) {
		crtc |= first <= CRTC_INDEX && CRTC_DATA < first + count;
		data |= first <= I8042_DATA && I8042_DATA < first + count;
		cmd |= first <= I8042_CMD && I8042_CMD < first + count;
	}
	return crtc && data && cmd;
}

bool hw_init(void)
{
	volatile void *addr = NULL;
	uint64_t paddr = 0, size = 0;
	kern_return_t kr;
	int line = -1;

	if (!enable_ports()) {
		printf("console: the manifest grants no I/O ports 0x3d4-0x3d5, 0x60, 0x64\n");
		return false;
	}
	kr = device_mem_map(0, &addr, &paddr, &size);
	if (kr != KERN_SUCCESS || paddr != VGA_PADDR || size < VT_ROWS * VT_COLS * 2) {
		printf("console: no VGA text memory (0x%x, 0x%lx size 0x%lx)\n", kr,
		       (unsigned long)paddr, (unsigned long)size);
		return false;
	}
	vga = addr;
	crtc_write(CRTC_START_HI, 0);	/* the screen shows the buffer's start */
	crtc_write(CRTC_START_LO, 0);
	if (!i8042_init()) {
		printf("console: no PS/2 keyboard controller\n");
		return false;
	}
	kr = device_irq_attach(0, &line);
	if (kr != KERN_SUCCESS || line != 1) {
		printf("console: no IRQ 1 (0x%x, line %d)\n", kr, line);
		return false;
	}
	return true;
}

void hw_show(struct vt *vt)
{
	int at = vt->row * VT_COLS + vt->col;

	for (int r = vt->dirty_lo; r <= vt->dirty_hi; r++)
		for (int c = 0; c < VT_COLS; c++)
			vga[r * VT_COLS + c] = vt_cell(vt, r, c);
	vt_clean(vt);
	if (!vt->cursor_visible)
		at = VT_ROWS * VT_COLS;	/* off the screen: hidden */
	crtc_write(CRTC_CURSOR_HI, (uint8_t)(at >> 8));
	crtc_write(CRTC_CURSOR_LO, (uint8_t)at);
}

void hw_screen_row(int r, uint16_t *cells)
{
	for (int c = 0; c < VT_COLS; c++)
		cells[c] = vga[r * VT_COLS + c];
}

void hw_kbd_drain(void (*byte)(uint8_t code))
{
	uint8_t st;

	/* Bounded: a broken controller that always says "full" cannot hold us here. */
	for (int i = 0; i < 64 && ((st = inb(I8042_STATUS)) & ST_OUT_FULL); i++) {
		uint8_t code = inb(I8042_DATA);

		if (!(st & ST_AUX))
			byte(code);
	}
}
