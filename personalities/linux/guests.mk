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

$(LINUX_ROOT): personalities/linux/root.spec $(MKCPIO) $(LINUX_GUESTS_OK) $(LINUX_OUT)/gen/hello.gz
	$(MKCPIO) -D GUESTS=$(LINUX_GUESTS) -D GEN=$(LINUX_OUT)/gen -D SRC=personalities/linux/root \
		-D TESTS=tests/linux/scripts -M $@.d $< $@

# The top Makefile's run-% pattern would match this script's name: an explicit empty rule.
tests/linux/run-native.sh: ;

# Expected outputs: each script run natively by the pinned busybox, never written by hand.
$(LINUX_OUT)/expected/%.out: tests/linux/scripts/%.sh tests/linux/run-native.sh $(LINUX_GUESTS_OK)
	tests/linux/run-native.sh $(LINUX_GUESTS)/bin/busybox $< $@

.PHONY: linux-root test-linux-guests
linux-root: $(LINUX_ROOT) $(LINUX_EXPECTED)

# Part of test-unit, so `make test` on a fresh clone fetches the guests (cheap once cached).
test-linux-guests: linux-root
	@tests/linux/test-guests.sh $(LINUX_PINS) $(GUEST_CACHE) $(LINUX_ROOT)
test-unit: test-linux-guests

-include $(LINUX_ROOT).d
