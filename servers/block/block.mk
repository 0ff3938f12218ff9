# servers/block (included by the top-level Makefile): the virtio-blk server as
# $(USERBIN)/block, and blkclient, the block scenario's client.

BLOCK_OBJS	:= $(patsubst %,$(BUILD)/user-obj/servers/block/%.c.o,block blk virtq)
$(BLOCK_OBJS): USER_CFLAGS += -Ilib/device -Iservers/common

$(USERBIN)/block: $(BLOCK_OBJS) $(DEVICE_LIB_OBJS) $(USER_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(LD) -nostdlib -static -z max-page-size=0x1000 -z noexecstack -o $@ $^

# The client talks through device.defs' user stubs.
$(USERBIN)/blkclient: $(BUILD)/user-obj/tests/scenarios/progs/blkclient.c.o $(DEVICE_USER_OBJS) \
		$(USER_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(LD) -nostdlib -static -z max-page-size=0x1000 -z noexecstack -o $@ $^

# Built once lib/device has the bootstrap-era API (device_server_main) and bootstrap
# exists; until both branches are merged the server and its scenario are left out.
ifneq ($(and $(wildcard servers/bootstrap/bootstrap.mk),$(shell grep -l device_server_main lib/device/device_server.h)),)
USER_BINS	+= $(USERBIN)/block
else
SCENARIOS_LEFT_OUT += tests/scenarios/block.scn
endif
-include $(BLOCK_OBJS:.o=.d)
