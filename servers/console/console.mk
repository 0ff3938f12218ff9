# servers/console: VGA text mode and the PS/2 keyboard as virtual terminals, as
# $(USERBIN)/console (included by the top-level Makefile). vt.c, tty.c and kbd.c are
# also linked into host unit tests (tests/unit/unit.mk).
CONSOLE_OBJS	:= $(patsubst %,$(BUILD)/user-obj/servers/console/%.c.o,console hw vt tty kbd)
$(CONSOLE_OBJS): USER_CFLAGS += -Ilib/device -Iservers/common

$(USERBIN)/console: $(CONSOLE_OBJS) $(DEVICE_LIB_OBJS) $(USER_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(LD) -nostdlib -static -z max-page-size=0x1000 -z noexecstack -o $@ $^

USER_BINS	+= $(USERBIN)/console
-include $(CONSOLE_OBJS:.o=.d)

# console.scn's client (conclient, one of the Makefile's DEVICE_CLIENTS) uses servers/common.
$(BUILD)/user-obj/tests/scenarios/progs/conclient.c.o: USER_CFLAGS += -Iservers/common
