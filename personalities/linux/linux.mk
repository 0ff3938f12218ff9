# The Linux personality's pure pieces, with the ELF parser they go with (lib/elf),
# compiled freestanding (USER_CFLAGS: no C library but lib/libc) as the personality
# server will compile them. Until that server exists, `make test-unit` builds them,
# so that they keep compiling without a hosted C library.
LINUX_PERS_SRCS	:= personalities/linux/abi.c personalities/linux/stack.c \
		   personalities/linux/sigframe.c
LINUX_PERS_OBJS	:= $(patsubst %,$(BUILD)/user-obj/%.o,$(LINUX_PERS_SRCS)) $(ELF_LIB_OBJS)

test-unit: $(LINUX_PERS_OBJS)
-include $(LINUX_PERS_OBJS:.o=.d)
