# Whole-system scenarios under QEMU (included by the top-level Makefile).
HOSTCC		?= gcc
HOST_CFLAGS	:= -std=gnu11 -O1 -g -Wall -Wextra -Werror
SCENARIOS	:= $(wildcard tests/scenarios/*.scn) $(LINUX_SCENARIOS)
RUNNER		:= $(BUILD)/tests/scenario-runner
USER_BINS	+= $(USERBIN)/fwdguest
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

# foreign.scn: the guest has no libc and its own _start (tests/scenarios/guests); its
# personality, progs/fwdserver.c, serves foreign_syscall.defs through generated stubs.
FWD_STUBS	:= $(LIBMACH_GEN)/mach/foreign_syscallServer.c

$(FWD_STUBS): include/mach/foreign_syscall.defs include/mach/personality.h $(MIG)
	@mkdir -p $(dir $@)
	$(MIG) $(MIG_FLAGS) -server $@ -user /dev/null -header /dev/null $<

$(USERBIN)/fwdserver: $(BUILD)/user-obj/tests/scenarios/progs/fwdserver.c.o \
		$(BUILD)/user-obj/$(FWD_STUBS).o $(USER_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(LD) -nostdlib -static -z max-page-size=0x1000 -z noexecstack -o $@ $^

$(USERBIN)/fwdguest: $(BUILD)/user-obj/tests/scenarios/guests/fwdguest.c.o
	@mkdir -p $(dir $@)
	$(LD) -nostdlib -static -z max-page-size=0x1000 -z noexecstack -o $@ $^
# lxtty.scn: the Linux personality's terminal code on the real serial server, with the
# rest of the personality faked in its client.
$(BUILD)/user-obj/tests/scenarios/progs/lxttyprobe.c.o: USER_CFLAGS += -I. -Ipersonalities/linux -fno-strict-aliasing
$(USERBIN)/lxttyprobe: $(addprefix $(BUILD)/user-obj/personalities/linux/,tty.c.o tty_dev.c.o \
		tty_ioctl.c.o tty_ldisc.c.o)

# The scenario programs' header dependencies (lxttyprobe's on personalities/linux/lx.h).
-include $(patsubst tests/scenarios/progs/%.c,$(BUILD)/user-obj/tests/scenarios/progs/%.c.d,$(wildcard tests/scenarios/progs/*.c))
