# servers/block (included by the top-level Makefile): the virtio-blk server as
# $(USERBIN)/block (its scenario's client, blkclient, is one of the Makefile's DEVICE_CLIENTS).

BLOCK_OBJS	:= $(patsubst %,$(BUILD)/user-obj/servers/block/%.c.o,block blk virtq)
$(BLOCK_OBJS): USER_CFLAGS += -Ilib/device -Iservers/common

$(USERBIN)/block: $(BLOCK_OBJS) $(DEVICE_LIB_OBJS) $(USER_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(LD) -nostdlib -static -z max-page-size=0x1000 -z noexecstack -o $@ $^

USER_BINS	+= $(USERBIN)/block
-include $(BLOCK_OBJS:.o=.d)
