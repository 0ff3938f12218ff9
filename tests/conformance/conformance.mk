# The in-guest conformance suite (included by the top-level Makefile before the ISO
# rules): two programs, `conformance` (the tests) and `conformance-peer` (the second
# task), and `make test-conformance`, which boots tests/conformance/conformance.scn.

CONF_DIR	:= tests/conformance
CONF_OBJ	:= $(BUILD)/user-obj/$(CONF_DIR)
CONF_TESTS	:= $(wildcard $(CONF_DIR)/t_*.c)
CONF_MAIN_OBJS	:= $(patsubst %,$(BUILD)/user-obj/%.o,$(CONF_DIR)/ct.c $(CONF_DIR)/ct_jmp.S \
		   $(CONF_DIR)/util.c $(CONF_DIR)/thr.c $(CONF_DIR)/vmt.c $(CONF_DIR)/peer_main.c $(CONF_DIR)/msg.c $(CONF_TESTS))
# The Linux personality's guest-memory functions, tested by t_lxumem.c.
CONF_MAIN_OBJS	+= $(BUILD)/user-obj/personalities/linux/umem.c.o
$(CONF_OBJ)/t_lxumem.c.o: USER_CFLAGS += -I.
CONF_PEER_OBJS	:= $(patsubst %,$(BUILD)/user-obj/%.o,$(CONF_DIR)/peer.c $(CONF_DIR)/msg.c)

# crt0 comes first: USER_LIB_OBJS starts with it.
$(USERBIN)/conformance: $(USER_LIB_OBJS) $(CONF_MAIN_OBJS)
	@mkdir -p $(dir $@)
	$(LD) -nostdlib -static -z max-page-size=0x1000 -z noexecstack -o $@ $^

$(USERBIN)/conformance-peer: $(USER_LIB_OBJS) $(CONF_PEER_OBJS)
	@mkdir -p $(dir $@)
	$(LD) -nostdlib -static -z max-page-size=0x1000 -z noexecstack -o $@ $^

USER_BINS	+= $(USERBIN)/conformance $(USERBIN)/conformance-peer

-include $(CONF_MAIN_OBJS:.o=.d) $(CONF_PEER_OBJS:.o=.d)

# The scenario is tests/scenarios/conformance.scn: `make test-conformance` runs it
# alone, `make test` with the others.
