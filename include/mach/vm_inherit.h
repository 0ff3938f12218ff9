/* Inheritance of memory by a child task (vm_inherit_t values, ABI section 11). */
#ifndef _MACH_VM_INHERIT_H_
#define _MACH_VM_INHERIT_H_

#define VM_INHERIT_SHARE	0	/* the child shares the memory */
#define VM_INHERIT_COPY		1	/* the child gets a copy (the default) */
#define VM_INHERIT_NONE		2	/* the child gets a hole */
#define VM_INHERIT_DEFAULT	VM_INHERIT_COPY

#endif /* _MACH_VM_INHERIT_H_ */
