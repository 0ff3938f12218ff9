# Host unit tests (CMocka) of the kernel's pure logic, built with ASan and UBSan
# (included by the top-level Makefile). Each test_X.c links the sources UNIT_X lists.
UNIT_CFLAGS	:= -std=gnu11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
		   -fno-sanitize-recover=all -fno-omit-frame-pointer \
		   -I. -Ikernel/include -Ikernel/arch/x86_64/include -Iinclude
UNIT_pmm	:= kernel/kern/pmm.c
UNIT_zalloc	:= kernel/kern/zalloc.c
UNIT_elf	:= kernel/kern/elf.c
UNIT_bootscript	:= kernel/kern/bootscript.c
UNIT_user_stack	:= kernel/kern/user_stack.c
UNIT_format	:= $(BUILD)/tests/unit/format.o
UNIT_ipc_space	:= ipc/ipc_space.c kernel/kern/zalloc.c
UNIT_vm		:= kernel/vm/vm_map.c kernel/vm/vm_map_tree.c kernel/vm/vm_object.c kernel/vm/vm_fault.c \
		   kernel/vm/vm_copy.c kernel/vm/vm_access.c kernel/kern/zalloc.c
UNIT_vm_fork	:= $(UNIT_vm)
UNIT_vm_tree	:= kernel/vm/vm_map_tree.c
$(BUILD)/tests/unit/test_vm $(BUILD)/tests/unit/test_vm_fork: tests/unit/vm_fixture.h
UNIT_foreign_msg := kernel/kern/foreign_msg.c
UNIT_load	:= kernel/kern/load.c
UNIT_pci	:= servers/pci/pci_enum.c
UNIT_block	:= servers/block/virtq.c servers/block/blk.c
UNIT_console_vt	:= servers/console/vt.c servers/console/tty.c
UNIT_console_kbd := servers/console/kbd.c
UNIT_mkcpio	:= $(BUILD)/tests/unit/mkcpio.o
UNIT_malloc	:= $(BUILD)/tests/unit/malloc.o
UCORE_VFS	:= $(addprefix personalities/common/,uerr.c vnode.c namei.c vfs.c tmpfs.c tmpfs_data.c)
UNIT_vfs	:= $(UCORE_VFS)
UNIT_tmpfs	:= $(UCORE_VFS)
UNIT_cpio	:= $(UCORE_VFS) personalities/common/cpio.c
UNIT_pipe	:= personalities/common/pipe.c personalities/common/uerr.c
UNIT_fd		:= $(UCORE_VFS) $(addprefix personalities/common/,pipe.c file.c fdtable.c)
UNIT_uproc	:= personalities/common/uproc.c personalities/common/uerr.c
UNIT_usignal	:= personalities/common/usignal.c personalities/common/uerr.c
# The core's tests also depend on its headers and their shared fixture.
$(addprefix $(BUILD)/tests/unit/test_,vfs tmpfs cpio fd pipe uproc usignal): \
		$(wildcard personalities/common/*.h) tests/unit/ucore_fixture.h
UNIT_TESTS	:= $(patsubst tests/unit/test_%.c,%,$(wildcard tests/unit/test_*.c))
UNIT_BINS	:= $(addprefix $(BUILD)/tests/unit/test_,$(UNIT_TESTS))

.SECONDEXPANSION:
$(BUILD)/tests/unit/test_%: tests/unit/test_%.c $$(UNIT_$$*) tests/unit/unit.mk
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -o $@ $< $(UNIT_$*) -lcmocka

# The formatter under other names, so that it can be compared with the C library's.
$(BUILD)/tests/unit/format.o: lib/libc/format.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -Dvsnprintf=lib_vsnprintf -Dsnprintf=lib_snprintf -c -o $@ $<

# The cpio writer (a host tool) with its main renamed, so that the test can call it.
$(BUILD)/tests/unit/mkcpio.o: tools/mkcpio.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -Dmain=mkcpio_main -c -o $@ $<
# The heap under other names, so that the test can use the host's malloc beside it.
$(BUILD)/tests/unit/malloc.o: lib/libc/malloc.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -Dmalloc=lib_malloc -Dfree=lib_free -Dcalloc=lib_calloc \
		-Drealloc=lib_realloc -c -o $@ $<

.PHONY: test-unit
test-unit: $(UNIT_BINS)
	@status=0; for t in $(UNIT_BINS); do $$t || status=1; done; exit $$status

# ELF exec plans (lib/elf) and the personalities' pure pieces (personalities/linux).
UNIT_exec_elf	:= lib/elf/elf.c
UNIT_linux_abi	:= personalities/linux/abi.c
UNIT_linux_stack := personalities/linux/stack.c
UNIT_sigframe	:= personalities/linux/sigframe.c
# Their headers are the point of some of these tests, so a change rebuilds them.
LINUX_ABI_HDRS	:= personalities/linux/abi.h personalities/linux/stack.h \
		   personalities/linux/sigframe.h include/mach/personality.h
$(BUILD)/tests/unit/test_exec_elf: lib/elf/elf.h
$(BUILD)/tests/unit/test_linux_abi $(BUILD)/tests/unit/test_linux_stack \
$(BUILD)/tests/unit/test_sigframe: $(LINUX_ABI_HDRS)

# The Linux personality's memory, time, identity, limit and poll calls (lxmisc), with
# fakes of the Mach calls and of the server's functions in the test.
UNIT_lx_misc	:= $(addprefix personalities/linux/,sys_mm.c sys_misc.c sys_sched.c sys_time.c \
		   sys_poll.c timers.c) $(UCORE_VFS) \
		   $(addprefix personalities/common/,pipe.c file.c fdtable.c)
$(BUILD)/tests/unit/test_lx_misc: UNIT_CFLAGS += -I$(LIBMACH_GEN) -Ipersonalities/linux
$(BUILD)/tests/unit/test_lx_misc: $(wildcard personalities/linux/*.h personalities/linux/*.tab \
		personalities/common/*.h) tests/unit/ucore_fixture.h tests/unit/lx_misc_fixture.h | $(LIBMACH_HDRS)

# The Linux personality's file part (system calls, /dev, /proc, errno) over the common
# core, with fakes of the rest of the server (tests/unit/lx_fs_fixture.h).
LX_FS_SRCS	:= $(UCORE_VFS) $(addprefix personalities/common/,cpio.c pipe.c file.c fdtable.c) \
		   $(addprefix personalities/linux/,errno.c fs.c sys_fs.c sys_path.c sys_stat.c \
		   dev.c procfs.c procfs_text.c)
UNIT_lx_fs	:= $(LX_FS_SRCS)
UNIT_lx_procfs	:= $(LX_FS_SRCS)
$(BUILD)/tests/unit/test_lx_fs $(BUILD)/tests/unit/test_lx_procfs: \
		$(wildcard personalities/linux/*.h personalities/linux/*.tab personalities/common/*.h) \
		tests/unit/lx_fs_fixture.h

# The Linux personality's terminal: its line discipline alone, and the whole terminal
# (personalities/linux/tty*.c) against fakes of lx.h and Mach, which includes the generated
# <mach/mach_port.h>.
UNIT_lx_ldisc	:= personalities/linux/tty_ldisc.c
$(BUILD)/tests/unit/test_lx_ldisc: personalities/linux/tty_ldisc.h personalities/linux/abi.h
UNIT_lx_tty	:= $(addprefix personalities/linux/,tty_ldisc.c tty.c tty_ioctl.c tty_dev.c) \
		   $(BUILD)/tests/unit/gen/device_requestUser.c $(DEVICE_REPLY)
$(BUILD)/tests/unit/test_lx_tty: UNIT_CFLAGS += -I$(LIBMACH_GEN) -I$(BUILD)/tests/unit/gen
$(BUILD)/tests/unit/test_lx_tty: $(LIBMACH_HDRS) $(wildcard personalities/linux/*.h) \
		$(wildcard personalities/common/*.h) $(BUILD)/tests/unit/gen/device_request.h \
		tests/unit/lx_tty_fixture.h
# The terminal's requests are built by hand; the test compares them with mig's stubs'.
$(BUILD)/tests/unit/gen/device_requestUser.c $(BUILD)/tests/unit/gen/device_request.h &: \
		include/device/device_request.defs $(wildcard include/device/*.defs include/mach/*.defs) \
		$(MIG)
	@mkdir -p $(BUILD)/tests/unit/gen
	$(MIG) $(MIG_FLAGS) -user $(BUILD)/tests/unit/gen/device_requestUser.c \
		-header $(BUILD)/tests/unit/gen/device_request.h -server /dev/null $<
