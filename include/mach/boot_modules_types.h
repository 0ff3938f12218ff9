/* The C type of boot_modules.defs' command line (c_string[1024]). */
#ifndef _MACH_BOOT_MODULES_TYPES_H
#define _MACH_BOOT_MODULES_TYPES_H

typedef char boot_module_cmdline_t[1024];
typedef const char *const_boot_module_cmdline_t;

#endif
