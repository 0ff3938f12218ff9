# The one QEMU invocation shared by run, debug, test and bench. Targets add only
# where the serial line goes and, for debug, the GDB stub.
QEMU		?= qemu-system-x86_64
QEMU_MEM	?= 256M
QEMU_CPU	?= qemu64
QEMU_BASE	= $(QEMU) -accel tcg -cpu $(QEMU_CPU) -m $(QEMU_MEM) -no-reboot \
		  -device isa-debug-exit,iobase=0xf4,iosize=0x04 -display none
# The disk `make run` gives the block server: a legacy virtio-blk device over a raw image
# that persists between runs (created empty the first time).
RUN_DISK	?= $(BUILD)/disk.img
QEMU_DISK	= -drive file=$(RUN_DISK),if=none,id=disk0,format=raw \
		  -device virtio-blk-pci,drive=disk0,disable-modern=on
# make run: serial console on the terminal (Ctrl-A X quits QEMU).
QEMU_RUN	= $(QEMU_BASE) $(QEMU_DISK) -serial mon:stdio
# Guest rdtsc counts guest instructions exactly (make bench, and scenarios that say icount).
QEMU_ICOUNT	= -icount shift=0,sleep=off
QEMU_BENCH	= $(QEMU_BASE) $(QEMU_ICOUNT)
# A per-user GDB port, so several developers can debug on one machine.
GDB_PORT	?= $(shell echo $$((20000 + $$(id -u) % 10000)))
