/* Linux system-call names by number, for messages such as the once-per-number ENOSYS log. */
#include "abi.h"

#define LINUX_SYS_NAME_(nr, name)	[nr] = #name,
static const char *const linux_syscall_names[LINUX_SYS_COUNT] = {
	LINUX_SYSCALLS(LINUX_SYS_NAME_)
};

const char *linux_syscall_name(uint64_t nr)
{
	return nr < LINUX_SYS_COUNT ? linux_syscall_names[nr] : NULL;
}
