# The Linux personality's pure pieces, with the common ELF parser they go with,
# compiled freestanding (USER_CFLAGS: no C library but lib/libc) as the personality
# server will compile them. Until that server exists, `make test-unit` builds them,
# so that they keep compiling without a hosted C library.
LINUX_PERS_SRCS	:= personalities/common/elf.c personalities/linux/abi.c \
		   personalities/linux/stack.c personalities/linux/sigframe.c
LINUX_PERS_OBJS	:= $(patsubst %,$(BUILD)/user-obj/%.o,$(LINUX_PERS_SRCS))

test-unit: $(LINUX_PERS_OBJS)
-include $(LINUX_PERS_OBJS:.o=.d)
