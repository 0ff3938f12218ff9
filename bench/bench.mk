# make bench (included by the top-level Makefile).
BENCH_ISO	:= $(BUILD)/bench.iso

$(USERBIN)/ipcbench: $(BUILD)/user-obj/bench/ipcbench.c.o $(USER_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(LD) -nostdlib -static -z max-page-size=0x1000 -z noexecstack -o $@ $^

$(BENCH_ISO): $(KERNEL) $(USERBIN)/ipcbench bench/bench.system tools/mkiso.sh
	tools/mkiso.sh bench/bench.system $@ $(KERNEL) $(USERBIN)

.PHONY: bench
bench: deps-run
	@$(MAKE) --no-print-directory $(BENCH_ISO)
	bench/run.sh '$(QEMU_BENCH)' $(BENCH_ISO) $(BUILD)/bench.log
