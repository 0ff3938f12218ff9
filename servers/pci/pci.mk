# servers/pci (included by the top-level Makefile): the pci server as $(USERBIN)/pci, with
# server stubs generated from include/device/pci.defs under the prefix S_ (the user stubs
# of the same names are in libmach), and pciclient, the pci scenario's client.

PCI_GEN		:= $(BUILD)/servers/pci
PCI_STUBS	:= $(PCI_GEN)/pciServer.c
PCI_OBJS	:= $(BUILD)/user-obj/servers/pci/pci.c.o $(BUILD)/user-obj/servers/pci/pci_enum.c.o \
		   $(BUILD)/user-obj/$(PCI_STUBS).o
$(PCI_OBJS): USER_CFLAGS += -Ilib/device -Iservers/common

$(PCI_STUBS): include/device/pci.defs include/device/pci_types.h $(wildcard include/mach/*.defs) $(MIG)
	@mkdir -p $(dir $@)
	$(MIG) $(MIG_FLAGS) -DSERVERPREFIX=S_ -server $@ -user /dev/null -header /dev/null $<

$(USERBIN)/pci: $(PCI_OBJS) $(DEVICE_LIB_OBJS) $(USER_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(LD) -nostdlib -static -z max-page-size=0x1000 -z noexecstack -o $@ $^

# The client reads device "pci" through device.defs' user stubs.
$(USERBIN)/pciclient: $(BUILD)/user-obj/tests/scenarios/progs/pciclient.c.o $(DEVICE_USER_OBJS) \
		$(USER_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(LD) -nostdlib -static -z max-page-size=0x1000 -z noexecstack -o $@ $^

# Built once lib/device has the bootstrap-era API (device_server_main) and bootstrap
# exists; until both branches are merged the server and its scenario are left out.
ifneq ($(and $(wildcard servers/bootstrap/bootstrap.mk),$(shell grep -l device_server_main lib/device/device_server.h)),)
USER_BINS	+= $(USERBIN)/pci
else
SCENARIOS_LEFT_OUT += tests/scenarios/pci.scn
endif
-include $(PCI_OBJS:.o=.d)
