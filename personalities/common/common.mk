# personalities/common (included by the top-level Makefile): the personality-neutral
# Unix core, compiled freestanding against lib/libc. A personality server links
# $(UCORE_OBJS) and adds -Ipersonalities/common (or includes "personalities/common/x.h"
# with -I.). The host unit tests compile the same sources (tests/unit/unit.mk).

UCORE_SRCS	:= uerr vnode namei vfs tmpfs tmpfs_data cpio pipe file fdtable uproc usignal
UCORE_OBJS	:= $(patsubst %,$(BUILD)/user-obj/personalities/common/%.c.o,$(UCORE_SRCS))
$(UCORE_OBJS): USER_CFLAGS += -Ipersonalities/common

# ucore, the in-guest check that the core runs on the C library's heap (ucore.scn).
UCORE_TEST_OBJ	:= $(BUILD)/user-obj/tests/scenarios/progs/ucore.c.o
$(UCORE_TEST_OBJ): USER_CFLAGS += -I.
$(USERBIN)/ucore: $(UCORE_TEST_OBJ) $(UCORE_OBJS) $(USER_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(LD) -nostdlib -static -z max-page-size=0x1000 -z noexecstack -o $@ $^

-include $(UCORE_OBJS:.o=.d) $(UCORE_TEST_OBJ:.o=.d)
