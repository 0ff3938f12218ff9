# servers/pci (included by the top-level Makefile): the pci server as $(USERBIN)/pci, with
# server stubs generated from include/device/pci.defs under the prefix S_ (the user stubs
# of the same names are in libmach). Its scenario's client, pciclient, is one of DEVICE_CLIENTS.

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

USER_BINS	+= $(USERBIN)/pci
-include $(PCI_OBJS:.o=.d)
