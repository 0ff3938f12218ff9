# Whole-system scenarios under QEMU (included by the top-level Makefile).
HOSTCC		?= gcc
HOST_CFLAGS	:= -std=gnu11 -O1 -g -Wall -Wextra -Werror
SCENARIOS	:= $(wildcard tests/scenarios/*.scn)
RUNNER		:= $(BUILD)/tests/scenario-runner
RUNNER_ARGS	= --qemu '$(QEMU_BASE)' --icount '$(QEMU_ICOUNT)' --mkiso tools/mkiso.sh --kernel $(KERNEL) \
		  --bin $(USERBIN) --out $(BUILD)/scenarios

$(RUNNER): tests/scenarios/runner.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $< -lcmocka

.PHONY: test-scenarios
test-scenarios: $(RUNNER) $(KERNEL) $(USER_BINS)
	$(RUNNER) $(RUNNER_ARGS) $(SCENARIOS)

# make test-<scenario>: one scenario; make run-<scenario>: boot it interactively.
test-%: tests/scenarios/%.scn $(RUNNER) $(KERNEL) $(USER_BINS)
	$(RUNNER) $(RUNNER_ARGS) $<

$(BUILD)/scenarios/%.iso: tests/scenarios/%.scn $(KERNEL) $(USER_BINS) tools/mkiso.sh
	@mkdir -p $(dir $@)
	tools/mkiso.sh $< $@ $(KERNEL) $(USERBIN)
