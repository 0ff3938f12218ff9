# The Linux personality's guests and root image (included by the top-level Makefile).
# docs/guests.md explains the whole path: pinned Debian packages -> checked binaries ->
# build/linux/root.cpio, and the natively produced expected outputs.

HOSTCC		?= gcc
GUEST_CACHE	:= .cache/guests
MKCPIO		:= $(BUILD)/tools/mkcpio
LINUX_OUT	:= $(BUILD)/linux
LINUX_PINS	:= personalities/linux/guests.pin
LINUX_GUESTS	:= $(LINUX_OUT)/guests
LINUX_GUESTS_OK	:= $(LINUX_OUT)/guests.stamp
LINUX_ROOT	:= $(LINUX_OUT)/root.cpio
LINUX_ROOT_LINKS := $(LINUX_OUT)/root-links.cpio
LINUX_SCRIPTS	:= $(wildcard tests/linux/scripts/*.sh)
LINUX_EXPECTED	:= $(patsubst tests/linux/scripts/%.sh,$(LINUX_OUT)/expected/%.out,$(LINUX_SCRIPTS))

$(MKCPIO): tools/mkcpio.c
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=gnu11 -O2 -Wall -Wextra -Werror -o $@ $<

# Fetches into $(GUEST_CACHE) (kept by `make clean`) only what is not there yet, checks
# every pinned sha256 and copies the binaries to $(LINUX_GUESTS).
$(LINUX_GUESTS_OK): $(LINUX_PINS) tools/guests.sh
	@rm -rf $(LINUX_GUESTS)
	tools/guests.sh $(LINUX_PINS) $(GUEST_CACHE) $(LINUX_GUESTS)
	@touch $@

$(LINUX_OUT)/gen/hello.gz:
	@mkdir -p $(dir $@)
	printf 'hello\n' | gzip -n > $@

# The static test guests (tests/linux/guests/*.c) and the benchmark programs
# (bench/linux/*.c): plain x86_64 Linux executables, raw system calls and no C library,
# built by the host compiler so that they run natively too (tests/linux/README.md).
LINUX_TBIN	:= $(LINUX_OUT)/tests/bin
LINUX_BBIN	:= $(LINUX_OUT)/bench/bin
LINUX_TEST_GUESTS := $(patsubst tests/linux/guests/%.c,$(LINUX_TBIN)/%,$(wildcard tests/linux/guests/*.c))
LINUX_BENCH_PROGS := $(patsubst bench/linux/%.c,$(LINUX_BBIN)/%,$(wildcard bench/linux/*.c))
LINUX_GUEST_CFLAGS := -std=gnu11 -O2 -static -nostdlib -ffreestanding -fno-pie -no-pie \
		   -fno-stack-protector -fno-asynchronous-unwind-tables -fno-builtin \
		   -Wall -Wextra -Werror -Wl,-z,noexecstack -Wl,--build-id=none \
		   -Ipersonalities/linux -Itests/linux/guests

$(LINUX_TBIN)/%: tests/linux/guests/%.c tests/linux/guests/sys.h personalities/linux/abi.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(LINUX_GUEST_CFLAGS) -o $@ $<

$(LINUX_BBIN)/%: bench/linux/%.c tests/linux/guests/sys.h personalities/linux/abi.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(LINUX_GUEST_CFLAGS) -o $@ $<

# mkcpio's names for the root image's sources (root.spec's ${...}).
LINUX_ROOT_DEFS	:= -D GUESTS=$(LINUX_GUESTS) -D GEN=$(LINUX_OUT)/gen -D SRC=personalities/linux/root \
		   -D TESTS=tests/linux/scripts -D TBIN=$(LINUX_TBIN) -D BBIN=$(LINUX_BBIN) \
		   -D BENCH=bench/linux

$(LINUX_ROOT): personalities/linux/root.spec $(MKCPIO) $(LINUX_GUESTS_OK) $(LINUX_OUT)/gen/hello.gz \
		$(LINUX_TEST_GUESTS) $(LINUX_BENCH_PROGS)
	$(MKCPIO) $(LINUX_ROOT_DEFS) -M $@.d $< $@

# The top Makefile's run-% pattern would match this script's name: an explicit empty rule.
tests/linux/run-native.sh: ;

# The same image plus an applet link (to /bin/busybox) for each path `busybox --list-full`
# names, as Debian's busybox package would install them: for interactive use and scripts
# starting with #!/bin/sh. root.cpio, without them, is the one that tests exec through
# /proc/self/exe. (linuxrc, outside any folder, and bin/busybox itself are left out.)
$(LINUX_OUT)/root-links.spec: personalities/linux/root.spec personalities/linux/guests.mk $(LINUX_GUESTS_OK)
	{ cat $<; printf 'dir\t/%s\t0755\t0\t0\n' sbin usr/bin usr/sbin; \
	  $(LINUX_GUESTS)/bin/busybox --list-full | LC_ALL=C sort | \
	  awk '/\// && $$0 != "bin/busybox" { printf "slink\t/%s\t0777\t0\t0\t/bin/busybox\n", $$0 }'; } > $@.tmp
	mv $@.tmp $@

# (It depends on root.cpio for that one's inputs, listed in root.cpio.d.)
$(LINUX_ROOT_LINKS): $(LINUX_OUT)/root-links.spec $(MKCPIO) $(LINUX_ROOT)
	$(MKCPIO) $(LINUX_ROOT_DEFS) $< $@

# Expected outputs: each script run natively by the pinned busybox, never written by hand.
$(LINUX_OUT)/expected/%.out: tests/linux/scripts/%.sh tests/linux/run-native.sh $(LINUX_GUESTS_OK)
	tests/linux/run-native.sh $(LINUX_GUESTS)/bin/busybox $< $@

.PHONY: linux-root test-linux-guests
linux-root: $(LINUX_ROOT) $(LINUX_ROOT_LINKS) $(LINUX_EXPECTED)

# Part of test-unit, so `make test` on a fresh clone fetches the guests (cheap once cached).
test-linux-guests: linux-root
	@tests/linux/test-guests.sh $(LINUX_PINS) $(GUEST_CACHE) $(LINUX_ROOT)
	@tests/linux/check-guests.sh $(LINUX_TBIN) $(LINUX_GUESTS)/bin/busybox $(TTYDRIVE)
	@tests/linux/serial/shell-scripts.sh --native $(LINUX_GUESTS)/bin/busybox \
		$(LINUX_OUT)/typed $(TTYDRIVE) >$(LINUX_OUT)/typed.log 2>&1 && \
		sed 's/^ttydrive: \([a-z0-9_-]*\): .*equals.*/TEST PASS typed-native: \1/' $(LINUX_OUT)/typed.log || \
		{ sed 's/^/    /' $(LINUX_OUT)/typed.log; echo "TEST FAIL typed-native: see above"; exit 1; }
	@for d in jobs vi; do \
		tests/linux/serial/native.sh $(LINUX_GUESTS)/bin/busybox tests/linux/serial/$$d.sh \
			$(LINUX_OUT)/$$d-native.tty >$(LINUX_OUT)/$$d-native.log 2>&1 && \
		echo "TEST PASS tty-native: $$d" || \
		{ sed 's/^/    /' $(LINUX_OUT)/$$d-native.log; echo "TEST FAIL tty-native: $$d"; exit 1; }; \
	done

# The shell over a serial line (docs/testing.md): ttydrive types the scripts into a shell.
TTYDRIVE	:= $(BUILD)/tests/ttydrive
$(TTYDRIVE): tests/linux/serial/ttydrive.c
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=gnu11 -O1 -g -Wall -Wextra -Werror -o $@ $<
test-linux-guests: $(TTYDRIVE)

# The Linux personality's scenarios (tests/linux/scenarios), part of test-scenarios
# (scenarios.mk adds LINUX_SCENARIOS to its list).
LINUX_SCENARIOS	:= $(wildcard tests/linux/scenarios/*.scn)
test-scenarios: $(TTYDRIVE) linux-root
.PHONY: test-linux-shell test-linux-scenarios
test-linux-scenarios test-linux-shell: $(BUILD)/tests/scenario-runner $(KERNEL) $(USERBIN)/linux \
		$(TTYDRIVE) linux-root
test-linux-scenarios:
	@$(MAKE) --no-print-directory $(USER_BINS)
	$(BUILD)/tests/scenario-runner $(RUNNER_ARGS) $(LINUX_SCENARIOS)
test-linux-shell:
	@$(MAKE) --no-print-directory $(USER_BINS)
	$(BUILD)/tests/scenario-runner $(RUNNER_ARGS) tests/linux/scenarios/shell.scn
test-unit: test-linux-guests

-include $(LINUX_ROOT).d
