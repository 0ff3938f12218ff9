# personalities/linux (included by the top-level Makefile): the Linux personality server,
# $(USERBIN)/linux, compiled freestanding against lib/libc with the common core
# ($(UCORE_OBJS)) and lib/elf. Every .c file in personalities/linux is part of it.
LINUX_PERS_SRCS	:= $(wildcard personalities/linux/*.c)
LINUX_PERS_OBJS	:= $(patsubst %,$(BUILD)/user-obj/%.o,$(LINUX_PERS_SRCS))
# -fno-strict-aliasing: lx_proc and lx_thread read the core's structs through unions (lx.h).
$(LINUX_PERS_OBJS): USER_CFLAGS += -I. -Ipersonalities/linux -Ilib/elf -fno-strict-aliasing

$(USERBIN)/linux: $(LINUX_PERS_OBJS) $(UCORE_OBJS) $(ELF_LIB_OBJS) $(USER_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(LD) -nostdlib -static -z max-page-size=0x1000 -z noexecstack -o $@ $^

USER_BINS	+= $(USERBIN)/linux

-include $(LINUX_PERS_OBJS:.o=.d)

# Scenarios boot the root image as a module.
test-scenarios $(patsubst tests/scenarios/%.scn,test-%,$(wildcard tests/scenarios/linux*.scn)): $(LINUX_ROOT)
