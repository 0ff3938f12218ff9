# The device-server library (included by the top-level Makefile after libmach): our
# code, the server stubs mig generates from include/device/device.defs, the user stubs of
# device_reply.defs (late replies) and of device.defs (device_intr_register/ack on an irq
# capability). A device server links $(DEVICE_LIB_OBJS) (not $(DEVICE_USER_OBJS) again)
# and includes "device_server.h".

DEVICE_GEN	:= $(BUILD)/libdevice
DEVICE_STUBS	:= $(DEVICE_GEN)/deviceServer.c
DEVICE_REPLY	:= $(DEVICE_GEN)/device_replyUser.c
DEVICE_LIB_SRCS	:= device_server.c device_requests.c device_io.c device_caps.c
DEVICE_LIB_OBJS	:= $(patsubst %,$(BUILD)/user-obj/lib/device/%.o,$(DEVICE_LIB_SRCS)) \
		   $(BUILD)/user-obj/$(DEVICE_STUBS).o $(BUILD)/user-obj/$(DEVICE_REPLY).o \
		   $(DEVICE_USER_OBJS)

$(DEVICE_STUBS): include/device/device.defs $(wildcard include/device/*.defs include/mach/*.defs) $(MIG)
	@mkdir -p $(dir $@)
	$(MIG) $(MIG_FLAGS) -server $@ -user /dev/null -header /dev/null $<

$(DEVICE_REPLY): include/device/device_reply.defs $(wildcard include/device/*.defs include/mach/*.defs) \
		$(MIG)
	@mkdir -p $(dir $@)
	$(MIG) $(MIG_FLAGS) -user $@ -server /dev/null -header /dev/null $<

# examples/hello: the example device server, as $(USERBIN)/devhello (progs/hello exists).
HELLO_OBJS	:= $(BUILD)/user-obj/examples/hello/hello.c.o
$(HELLO_OBJS): USER_CFLAGS += -Ilib/device

$(USERBIN)/devhello: $(HELLO_OBJS) $(DEVICE_LIB_OBJS) $(USER_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(LD) -nostdlib -static -z max-page-size=0x1000 -z noexecstack -o $@ $^

USER_BINS	+= $(USERBIN)/devhello

# devlib.scn: a test server on the library (interrupts, late replies); its client,
# devlibclient, is one of the Makefile's DEVICE_CLIENTS.
$(BUILD)/user-obj/tests/scenarios/progs/devlibsrv.c.o: USER_CFLAGS += -Ilib/device
$(USERBIN)/devlibsrv: $(BUILD)/user-obj/tests/scenarios/progs/devlibsrv.c.o $(DEVICE_LIB_OBJS) \
		$(USER_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(LD) -nostdlib -static -z max-page-size=0x1000 -z noexecstack -o $@ $^
