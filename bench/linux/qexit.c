/*
 * qexit [CODE]: ends a QEMU run from a Linux guest through the isa-debug-exit device at
 * port 0xf4 (tools/qemu.mk's QEMU_BASE has it): iopl(3), then one byte out; QEMU exits
 * with status (CODE << 1) | 1. The native benchmark's /init calls it last
 * (tools/linux-native.sh). Only under a kernel that grants iopl (Debian's, as root); if
 * the write does not end QEMU, it returns 1 and the caller falls back to poweroff.
 */
#include "sys.h"

int main(int argc, char **argv, char **envp)
{
	unsigned char code = (unsigned char)arg_num(argc > 1 ? argv[1] : 0, 0);
	long r;

	(void)envp;
	r = sc1(SYS(iopl), 3);
	if (r < 0) {
		pr("qexit: iopl: %ld\n", r);
		return 1;
	}
	__asm__ volatile("outb %0, %1" : : "a"(code), "Nd"((uint16_t)0xf4));
	return 1;
}
