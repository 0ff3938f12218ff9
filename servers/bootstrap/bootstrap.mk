# servers/bootstrap (included by the top-level Makefile): the first task, as
# $(USERBIN)/bootstrap. Its server stubs come from our mig: bootstrap.defs (prefix bs_,
# so they do not clash with libmach's user stubs of the same routines) and device.defs
# (the device master it gives clients). The test device server of bootstrap.scn
# (tests/scenarios/progs/bstdev.c) links the same device.defs stubs.

BS_GEN		:= $(BUILD)/bootstrap
BS_STUBS	:= $(BS_GEN)/bootstrapServer.c $(BS_GEN)/deviceServer.c
BS_SRCS		:= $(wildcard servers/bootstrap/*.c)
BS_OBJS		:= $(patsubst %,$(BUILD)/user-obj/%.o,$(BS_SRCS)) \
		   $(patsubst %,$(BUILD)/user-obj/%.o,$(BS_STUBS))
BS_DEVSRV_OBJ	:= $(BUILD)/user-obj/$(BS_GEN)/deviceServer.c.o

$(BS_GEN)/bootstrapServer.c $(BS_GEN)/bootstrap_server.h &: include/bootstrap/bootstrap.defs \
		include/bootstrap/bootstrap.h $(wildcard include/mach/*.defs) $(MIG)
	@mkdir -p $(BS_GEN)
	$(MIG) $(MIG_FLAGS) -prefix bs_ -server $(BS_GEN)/bootstrapServer.c -user /dev/null \
		-header /dev/null -sheader $(BS_GEN)/bootstrap_server.h $<

$(BS_GEN)/deviceServer.c $(BS_GEN)/device_server.h &: include/device/device.defs \
		$(wildcard include/device/*.defs include/mach/*.defs) $(MIG)
	@mkdir -p $(BS_GEN)
	$(MIG) $(MIG_FLAGS) -server $(BS_GEN)/deviceServer.c -user /dev/null -header /dev/null \
		-sheader $(BS_GEN)/device_server.h $<

$(patsubst %,$(BUILD)/user-obj/%.o,$(BS_SRCS)): USER_CFLAGS += -I$(BS_GEN)
$(patsubst %,$(BUILD)/user-obj/%.o,$(BS_SRCS)): | $(BS_GEN)/bootstrap_server.h $(BS_GEN)/device_server.h

$(USERBIN)/bootstrap: $(BS_OBJS) $(USER_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(LD) -nostdlib -static -z max-page-size=0x1000 -z noexecstack -o $@ $^

USER_BINS	+= $(USERBIN)/bootstrap

# bootstrap.scn's test device server serves device.defs through the same stubs.
$(BUILD)/user-obj/tests/scenarios/progs/bstdev.c.o: USER_CFLAGS += -I$(BS_GEN)
$(BUILD)/user-obj/tests/scenarios/progs/bstdev.c.o: | $(BS_GEN)/device_server.h
$(USERBIN)/bstdev: $(BUILD)/user-obj/tests/scenarios/progs/bstdev.c.o $(BS_DEVSRV_OBJ) $(USER_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(LD) -nostdlib -static -z max-page-size=0x1000 -z noexecstack -o $@ $^

# The manifest parser's host unit test (tests/unit/test_manifest.c; see tests/unit/unit.mk).
UNIT_manifest	:= servers/bootstrap/manifest.c

-include $(BS_OBJS:.o=.d)
