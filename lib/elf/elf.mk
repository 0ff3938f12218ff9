# The ELF exec-plan library (included by the top-level Makefile before the servers and
# personalities): a program that starts others links $(ELF_LIB_OBJS) (the parser and
# the loader, elf_load.c, which needs libmach) and includes
# "elf.h" (its objects get -Ilib/elf).

ELF_LIB_SRCS	:= lib/elf/elf.c lib/elf/elf_load.c
ELF_LIB_OBJS	:= $(patsubst %,$(BUILD)/user-obj/%.o,$(ELF_LIB_SRCS))

-include $(ELF_LIB_OBJS:.o=.d)
