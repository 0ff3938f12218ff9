/*
 * The console's hardware: VGA text memory and its cursor (CRTC registers at
 * 0x3d4/0x3d5), and the i8042 PS/2 controller (data 0x60, status/command 0x64).
 */
#ifndef _CONSOLE_HW_H
#define _CONSOLE_HW_H

#include <stdbool.h>
#include <stdint.h>
#include "vt.h"

/* Takes the manifest's grants (ports, memory, IRQ 1) and sets up both devices; prints why not. */
bool hw_init(void);
/* Copies vt's dirty rows to the screen, marks them clean, puts the cursor where vt's is. */
void hw_show(struct vt *vt);
/* Row r of what the screen shows (VT_COLS cells). */
void hw_screen_row(int r, uint16_t *cells);
/* Every byte the keyboard controller holds, passed to `byte` (the IRQ 1 handler's work). */
void hw_kbd_drain(void (*byte)(uint8_t code));

#endif
