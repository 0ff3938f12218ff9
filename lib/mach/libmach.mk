# libmach (included by the top-level Makefile right after USER_LIB_OBJS): mach_msg, the
# MIG support routines, and the user stubs that build/idl/mig generates from the
# kernel's interfaces. Generated headers land in $(LIBMACH_GEN)/mach/ and are found as
# <mach/mach_port.h>, <mach/mach_host.h>, <mach/mach_interface.h> (mach.defs) and
# <mach/kernel_stats_user.h>, <mach/personality_user.h> (the project's own, whose
# <mach/NAME.h> is the hand-written ABI header), <mach/gnumach.h>, <mach/x86_64/mach_i386.h>,
# <mach/boot_modules.h>;
# device.defs' header, for device clients, is $(LIBMACH_GEN)/device/device.h (<device/device.h>).

LIBMACH_GEN	:= $(BUILD)/libmach
LIBMACH_DEFS	:= mach_port mach_host mach kernel_stats gnumach personality x86_64/mach_i386 \
		   boot_modules
# The header each interface's user stubs are declared in.
libmach_hdr	= $(LIBMACH_GEN)/mach/$(if $(filter mach,$(1)),mach_interface,$(if $(filter kernel_stats personality,$(1)),$(1)_user,$(1))).h
LIBMACH_HDRS	:= $(foreach d,$(LIBMACH_DEFS),$(call libmach_hdr,$(d)))
LIBMACH_STUBS	:= $(patsubst %,$(LIBMACH_GEN)/mach/%User.c,$(LIBMACH_DEFS))
LIBMACH_SRCS	:= lib/mach/mach_msg.c lib/mach/mig_support.c $(LIBMACH_STUBS)
LIBMACH_OBJS	:= $(patsubst %,$(BUILD)/user-obj/%.o,$(LIBMACH_SRCS))

USER_CFLAGS	+= -I$(LIBMACH_GEN)
USER_LIB_OBJS	+= $(LIBMACH_OBJS)

# One mig run writes an interface's user stubs and their header.
define libmach_stub_rule
$(LIBMACH_GEN)/mach/$(1)User.c $(call libmach_hdr,$(1)) &: include/mach/$(1).defs \
		$(wildcard include/mach/*.defs include/mach/x86_64/*.defs) $(MIG)
	@mkdir -p $(dir $(LIBMACH_GEN)/mach/$(1)User.c)
	$(MIG) $(MIG_FLAGS) -user $(LIBMACH_GEN)/mach/$(1)User.c \
		-header $(call libmach_hdr,$(1)) -server /dev/null include/mach/$(1).defs
endef
$(foreach d,$(LIBMACH_DEFS),$(eval $(call libmach_stub_rule,$(d))))

# The device interface's user stubs, for device clients: <device/device.h>. Linked only
# into programs that list $(DEVICE_USER_OBJS) (the objects are not an archive).
LIBMACH_HDRS	+= $(LIBMACH_GEN)/device/device.h
DEVICE_USER_OBJS := $(BUILD)/user-obj/$(LIBMACH_GEN)/device/deviceUser.c.o
$(DEVICE_USER_OBJS): $(LIBMACH_HDRS)

$(LIBMACH_GEN)/device/deviceUser.c $(LIBMACH_GEN)/device/device.h &: include/device/device.defs \
		$(wildcard include/device/*.defs include/mach/*.defs) $(MIG)
	@mkdir -p $(LIBMACH_GEN)/device
	$(MIG) $(MIG_FLAGS) -user $(LIBMACH_GEN)/device/deviceUser.c \
		-header $(LIBMACH_GEN)/device/device.h -server /dev/null $<

# The project's own interfaces outside mach/, one header each: <device/device_caps.h>,
# <device/pci.h>, <bootstrap/bootstrap_user.h> (<bootstrap/bootstrap.h> holds the constants).
OWN_DEFS	:= device/device_caps device/pci bootstrap/bootstrap
own_hdr		= $(LIBMACH_GEN)/$(1)$(if $(filter bootstrap/bootstrap,$(1)),_user).h
LIBMACH_HDRS	+= $(foreach d,$(OWN_DEFS),$(call own_hdr,$(d)))
OWN_OBJS	:= $(patsubst %,$(BUILD)/user-obj/$(LIBMACH_GEN)/%User.c.o,$(OWN_DEFS))
USER_LIB_OBJS	+= $(OWN_OBJS)
$(OWN_OBJS): $(LIBMACH_HDRS)

define own_stub_rule
$(LIBMACH_GEN)/$(1)User.c $(call own_hdr,$(1)) &: include/$(1).defs \
		$(wildcard include/mach/*.defs include/mach/x86_64/*.defs) $(MIG)
	@mkdir -p $(dir $(LIBMACH_GEN)/$(1))
	$(MIG) $(MIG_FLAGS) -user $(LIBMACH_GEN)/$(1)User.c -header $(call own_hdr,$(1)) \
		-server /dev/null include/$(1).defs
endef
$(foreach d,$(OWN_DEFS),$(eval $(call own_stub_rule,$(d))))

# Whatever includes a generated header waits for all of them.
$(LIBMACH_OBJS) $(BUILD)/user-obj/lib/test/mach_test.c.o: $(LIBMACH_HDRS)

.PHONY: libmach-headers
libmach-headers: $(LIBMACH_HDRS)
