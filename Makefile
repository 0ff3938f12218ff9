# The whole build: the kernel, native programs, bootable ISOs, the interface
# generator, and every test tier. `make help` lists the targets.

BUILD		:= build
ISO		:= $(BUILD)/os.iso
SYSTEM		:= boot/default.system
KERNEL		:= $(BUILD)/kernel.elf
USERBIN		:= $(BUILD)/user

include tools/qemu.mk

# Debian packages each command needs (installed by tools/deps.sh when root).
RUN_PKGS	:= gcc make binutils qemu-system-x86 grub-pc-bin grub-common xorriso mtools
TEST_PKGS	:= $(RUN_PKGS) libcmocka-dev flex bison clang gnumach-dev
DEBUG_PKGS	:= $(RUN_PKGS) gdb

CC		:= gcc
LD		:= ld
GCC_INCLUDE	:= $(shell $(CC) -print-file-name=include)

# Freestanding code: only gcc's own headers (stdint.h, stdarg.h, ...) and ours.
FREESTANDING	:= -std=gnu11 -O2 -g -ffreestanding -nostdinc -isystem $(GCC_INCLUDE) \
		   -fno-pic -fno-pie -fno-stack-protector -fno-omit-frame-pointer \
		   -fno-asynchronous-unwind-tables -Wall -Wextra -Werror -MMD -MP \
		   -Iinclude -Ilib/libc/include

# ---------------------------------------------------------------- the kernel
KERNEL_CFLAGS	:= $(FREESTANDING) -mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
		   -mno-mmx -mno-sse -mno-sse2 -I. -Ikernel/include -Ikernel/arch/x86_64/include
KERNEL_SRCS	:= boot/multiboot.S \
		   $(wildcard kernel/arch/x86_64/*.c kernel/arch/x86_64/*.S) \
		   $(wildcard kernel/kern/*.c) $(wildcard ipc/*.c) \
		   lib/libc/string.c lib/libc/format.c
KERNEL_OBJS	:= $(patsubst %,$(BUILD)/kernel/%.o,$(KERNEL_SRCS))

$(BUILD)/kernel/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/kernel/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS) -D__ASSEMBLER__ -c $< -o $@

$(KERNEL): $(KERNEL_OBJS) boot/kernel.ld
	$(LD) -nostdlib -static -z max-page-size=0x1000 -z noexecstack -T boot/kernel.ld \
		-o $@ $(KERNEL_OBJS)

# ---------------------------------------------------------------- native programs
USER_CFLAGS	:= $(FREESTANDING) -Ilib/test
USER_LIB_SRCS	:= lib/libc/crt0.S lib/libc/string.c lib/libc/format.c lib/libc/printf.c \
		   lib/libc/stdlib.c lib/mach/traps.S lib/test/test.c
USER_LIB_OBJS	:= $(patsubst %,$(BUILD)/user-obj/%.o,$(USER_LIB_SRCS))
USER_PROGS	:= $(basename $(notdir $(wildcard tests/scenarios/progs/*.c)))
MIG		:= $(BUILD)/idl/mig
MIG_FLAGS	:= -D__x86_64__ -D__LP64__ -Iinclude

# libmach's generated user stubs; may add to USER_LIB_OBJS.
include lib/mach/libmach.mk

$(BUILD)/user-obj/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -c $< -o $@

$(BUILD)/user-obj/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -D__ASSEMBLER__ -c $< -o $@

$(USERBIN)/%: $(BUILD)/user-obj/tests/scenarios/progs/%.c.o $(USER_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(LD) -nostdlib -static -z max-page-size=0x1000 -z noexecstack -o $@ $^

USER_BINS	:= $(addprefix $(USERBIN)/,$(USER_PROGS))

# The conformance suite's programs; may add to USER_BINS.
include tests/conformance/conformance.mk

# ---------------------------------------------------------------- ISOs
$(ISO): $(KERNEL) $(USER_BINS) $(SYSTEM) tools/mkiso.sh
	tools/mkiso.sh $(SYSTEM) $@ $(KERNEL) $(USERBIN)

# ---------------------------------------------------------------- commands
.PHONY: all iso kernel user mig run debug qemu-cmd test test-unit test-idl \
	test-scenarios fuzz-idl clean help deps-run deps-test deps-debug

all: deps-run iso mig

kernel: $(KERNEL)
user: $(USER_BINS)
iso: $(ISO)

deps-run:
	@tools/deps.sh $(RUN_PKGS)
deps-test:
	@tools/deps.sh $(TEST_PKGS)
deps-debug:
	@tools/deps.sh $(DEBUG_PKGS)

run: deps-run
	@$(MAKE) --no-print-directory iso
	$(QEMU_RUN) -cdrom $(ISO)

run-%: deps-run
	@$(MAKE) --no-print-directory $(BUILD)/scenarios/$*.iso
	$(QEMU_RUN) -cdrom $(BUILD)/scenarios/$*.iso

debug: deps-debug
	@$(MAKE) --no-print-directory iso
	@printf 'file %s\ntarget remote localhost:%s\n' "$(abspath $(KERNEL))" "$(GDB_PORT)" > .gdbinit
	@echo "QEMU waits for GDB on port $(GDB_PORT); in another terminal run: gdb -x $(abspath .gdbinit)"
	$(QEMU_RUN) -S -gdb tcp::$(GDB_PORT) -cdrom $(ISO)

# Prints the exact QEMU command `make run` uses.
qemu-cmd:
	@echo '$(QEMU_RUN) -cdrom $(ISO)'

# ---------------------------------------------------------------- the generator
mig: $(MIG)
$(MIG): $(wildcard idl/src/*) idl/Makefile
	@$(MAKE) --no-print-directory -C idl

test-idl: deps-test
	@$(MAKE) --no-print-directory -C idl test

fuzz-idl: deps-test
	@$(MAKE) --no-print-directory -C idl fuzz

# ---------------------------------------------------------------- tests
include tests/unit/unit.mk
include tests/scenarios/scenarios.mk

test: deps-test
	@$(MAKE) --no-print-directory test-unit
	@$(MAKE) --no-print-directory test-idl
	@$(MAKE) --no-print-directory test-scenarios

clean:
	rm -rf $(BUILD) .gdbinit

help:
	@echo "make            build the kernel, the programs, $(ISO) and the interface generator"
	@echo "make run        boot $(SYSTEM) in QEMU, serial console on this terminal (Ctrl-A X quits)"
	@echo "make debug      the same, with QEMU waiting for GDB on port $(GDB_PORT) (.gdbinit written)"
	@echo "make qemu-cmd   print the QEMU command"
	@echo "make test       every test tier: unit, generator, scenarios"
	@echo "make test-unit | test-idl | test-scenarios | test-<scenario> | run-<scenario>"
	@echo "make fuzz-idl   fuzz the generator's parser"

-include $(KERNEL_OBJS:.o=.d) $(USER_LIB_OBJS:.o=.d)
