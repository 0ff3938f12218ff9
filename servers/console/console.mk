# servers/console: VGA text mode and the PS/2 keyboard as virtual terminals, as
# $(USERBIN)/console (included by the top-level Makefile). vt.c, tty.c and kbd.c are
# also linked into host unit tests (tests/unit/unit.mk).
CONSOLE_OBJS	:= $(patsubst %,$(BUILD)/user-obj/servers/console/%.c.o,console hw vt tty kbd)
$(CONSOLE_OBJS): USER_CFLAGS += -Ilib/device -Iservers/common

$(USERBIN)/console: $(CONSOLE_OBJS) $(DEVICE_LIB_OBJS) $(USER_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(LD) -nostdlib -static -z max-page-size=0x1000 -z noexecstack -o $@ $^

# Built once lib/device has the bootstrap-era API (device_server_main) and bootstrap
# exists; until both branches are merged the server and its scenario are left out.
ifneq ($(and $(wildcard servers/bootstrap/bootstrap.mk),$(shell grep -l device_server_main lib/device/device_server.h)),)
USER_BINS	+= $(USERBIN)/console
else
SCENARIOS_LEFT_OUT += tests/scenarios/console.scn
endif
-include $(CONSOLE_OBJS:.o=.d)

# console.scn's client talks through the device.defs user stubs.
$(BUILD)/user-obj/tests/scenarios/progs/conclient.c.o: USER_CFLAGS += -Iservers/common
$(USERBIN)/conclient: $(BUILD)/user-obj/tests/scenarios/progs/conclient.c.o $(DEVICE_USER_OBJS) \
		$(USER_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(LD) -nostdlib -static -z max-page-size=0x1000 -z noexecstack -o $@ $^
