/* Which special port task_get_special_port / task_set_special_port name (ABI section 10). */
#ifndef _MACH_TASK_SPECIAL_PORTS_H_
#define _MACH_TASK_SPECIAL_PORTS_H_

#define TASK_KERNEL_PORT	1	/* the task's own port */
#define TASK_EXCEPTION_PORT	3	/* where its threads' exceptions go second */
#define TASK_BOOTSTRAP_PORT	4	/* what bootstrap-style servers hand out */

#endif
