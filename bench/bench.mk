# make bench (included by the top-level Makefile).
BENCH_ISO	:= $(BUILD)/bench.iso

$(USERBIN)/ipcbench: $(BUILD)/user-obj/bench/ipcbench.c.o $(USER_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(LD) -nostdlib -static -z max-page-size=0x1000 -z noexecstack -o $@ $^

$(BENCH_ISO): $(KERNEL) $(USERBIN)/ipcbench bench/bench.system tools/mkiso.sh
	tools/mkiso.sh bench/bench.system $@ $(KERNEL) $(USERBIN)

# Both parts always run; the exit status says whether every target of both was met.
.PHONY: bench
bench: deps-run
	@$(MAKE) --no-print-directory $(BENCH_ISO)
	@status=0; \
	bench/run.sh '$(QEMU_BENCH)' $(BENCH_ISO) $(BUILD)/bench.log || status=1; \
	$(MAKE) --no-print-directory bench-linux || status=1; \
	exit $$status

# ---------------------------------------------------------------- Linux, ours and native
# The Linux benchmarks (bench/linux, bench/README.md): the same static programs on
# Debian's own kernel (bench-native) and on the Linux personality (bench-linux),
# compared by bench/compare.sh; `make bench` runs them after the IPC benchmarks.
NATIVE_PINS	:= bench/native.pin
NATIVE_OUT	:= $(BUILD)/bench/native
NATIVE_KERNEL_OK := $(NATIVE_OUT)/kernel.stamp
NATIVE_VMLINUZ	:= $(NATIVE_OUT)/kernel/$(shell awk '$$3 ~ /vmlinuz/ { print $$3; exit }' $(NATIVE_PINS))
NATIVE_INITRD	:= $(NATIVE_OUT)/initrd.cpio
NATIVE_RESULTS	:= $(NATIVE_OUT)/results.txt
LINUX_BENCH_ISO	:= $(BUILD)/bench-linux.iso
LINUX_BENCH_RESULTS := $(BUILD)/bench/linux-results.txt

# The kernel package is fetched once into the guests' cache, only its pinned files kept.
$(NATIVE_KERNEL_OK): $(NATIVE_PINS) tools/linux-native.sh
	@rm -rf $(NATIVE_OUT)/kernel
	tools/linux-native.sh fetch $(NATIVE_PINS) $(GUEST_CACHE) $(NATIVE_OUT)/kernel
	@touch $@

$(NATIVE_INITRD): bench/native.spec $(MKCPIO) $(LINUX_GUESTS_OK) $(LINUX_BENCH_PROGS) \
		bench/linux/bench.sh bench/linux/native-init.sh bench/linux/script.sh
	@mkdir -p $(dir $@)
	$(MKCPIO) $(LINUX_ROOT_DEFS) $< $@

# Native figures depend only on the kernel, the initramfs and QEMU: kept until those change.
$(NATIVE_RESULTS): $(NATIVE_KERNEL_OK) $(NATIVE_INITRD) tools/linux-native.sh
	tools/linux-native.sh run '$(QEMU_BENCH)' $(NATIVE_VMLINUZ) $(NATIVE_INITRD) \
		$(NATIVE_OUT)/boot.log > $@.tmp
	mv $@.tmp $@

$(LINUX_BENCH_ISO): $(KERNEL) $(USERBIN)/bootstrap $(USERBIN)/serial $(USERBIN)/linux $(LINUX_ROOT) \
		bench/linux.system bench/linux.manifest tools/mkiso.sh
	tools/mkiso.sh bench/linux.system $@ $(KERNEL) $(USERBIN)

.PHONY: bench-native bench-linux
bench-native: deps-run
	@$(MAKE) --no-print-directory $(NATIVE_RESULTS)
	@cat $(NATIVE_RESULTS)

# The Linux half of `make bench` alone.
bench-linux: deps-run
	@$(MAKE) --no-print-directory $(NATIVE_RESULTS) $(LINUX_BENCH_ISO)
	bench/linux-run.sh '$(QEMU_BENCH)' $(LINUX_BENCH_ISO) $(BUILD)/bench-linux.log \
		> $(LINUX_BENCH_RESULTS)
	bench/compare.sh $(LINUX_BENCH_RESULTS) $(NATIVE_RESULTS)

# The personality's shell scenario (tests/linux/scenarios/shell.scn) against Debian's
# kernel: its busybox shell on the second serial port, every script typed over FIFOs.
NATIVE_SHELL_INITRD := $(NATIVE_OUT)/shell-initrd.cpio
$(NATIVE_SHELL_INITRD): tests/linux/native/shell.spec tests/linux/native/shell-init.sh $(MKCPIO) \
		$(LINUX_GUESTS_OK) $(LINUX_BBIN)/qexit $(LINUX_TEST_GUESTS)
	@mkdir -p $(dir $@)
	$(MKCPIO) $(LINUX_ROOT_DEFS) -D NATIVE=tests/linux/native $< $@

.PHONY: test-linux-native-shell
test-linux-native-shell: deps-run
	@$(MAKE) --no-print-directory $(NATIVE_KERNEL_OK) $(NATIVE_SHELL_INITRD) $(TTYDRIVE) linux-root
	tools/linux-native.sh shell '$(QEMU_BASE)' $(NATIVE_VMLINUZ) $(NATIVE_SHELL_INITRD) \
		$(NATIVE_OUT)/shell
