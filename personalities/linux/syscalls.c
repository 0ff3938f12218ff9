/*
 * The system-call table: one list file per part of the server (sys_*.tab, lines of
 * X(name) for a handler sys_name), so that each part adds its calls without touching
 * the others. A number without a handler gets ENOSYS (main.c logs it once).
 */
#include "lx.h"

#define X(name) LX_SYSCALL(name);
#include "sys_core.tab"
#include "sys_fs.tab"
#include "sys_mm.tab"
#include "sys_misc.tab"
#undef X

const lx_syscall_fn lx_syscalls[LINUX_SYS_COUNT] = {
#define X(name) [LINUX_SYS_##name] = sys_##name,
#include "sys_core.tab"
#include "sys_fs.tab"
#include "sys_mm.tab"
#include "sys_misc.tab"
#undef X
};
