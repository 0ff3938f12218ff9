# servers/serial: the 16550 UART server, as $(USERBIN)/serial, on the device-server library.
SERIAL_OBJS	:= $(patsubst %,$(BUILD)/user-obj/servers/serial/%.c.o,serial com)
$(SERIAL_OBJS): USER_CFLAGS += -Ilib/device -Iservers/common

$(USERBIN)/serial: $(SERIAL_OBJS) $(DEVICE_LIB_OBJS) $(USER_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(LD) -nostdlib -static -z max-page-size=0x1000 -z noexecstack -o $@ $^

USER_BINS	+= $(USERBIN)/serial

-include $(SERIAL_OBJS:.o=.d)
