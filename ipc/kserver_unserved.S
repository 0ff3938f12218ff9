/*
 * Routines of the kernel's interfaces (mach, mach_host, gnumach, mach_i386, device) that this kernel does not
 * serve yet: the generated server stubs call them, and each answers MIG_BAD_ID, as a
 * kernel without the routine would. Each issue that implements one removes it here.
 */
	.text
	.global kserver_unserved
kserver_unserved:
	movl	$-303, %eax		/* MIG_BAD_ID */
	ret

.macro UNSERVED names:vararg
.irp name, \names
	.global \name
	.set \name, kserver_unserved
.endr
.endm

	/* mach_host: processors, processor sets, scheduling policy, clock setting (none yet). */
	UNSERVED host_processors, processor_start, processor_exit, processor_set_default
	UNSERVED processor_set_create, processor_set_destroy, processor_assign
	UNSERVED processor_get_assignment, thread_assign, thread_assign_default
	UNSERVED thread_get_assignment, task_assign, task_assign_default, task_get_assignment
	UNSERVED processor_set_max_priority
	UNSERVED thread_policy, processor_set_policy_enable, processor_set_policy_disable
	UNSERVED processor_set_tasks, processor_set_threads, host_processor_sets
	UNSERVED host_processor_set_priv
	UNSERVED vm_wire, thread_wire, processor_info, processor_set_info, processor_control
	UNSERVED processor_set_processors, task_max_priority

	/* mach: emulation vectors, RAS and memory-object control (later issues). */
	UNSERVED task_get_emulation_vector, task_set_emulation_vector, task_set_emulation
	UNSERVED task_ras_control, memory_object_data_unavailable, memory_object_get_attributes
	UNSERVED vm_set_default_memory_manager, memory_object_lock_request
	UNSERVED memory_object_data_error, memory_object_destroy, memory_object_data_supply
	UNSERVED memory_object_ready, memory_object_change_attributes, vm_machine_attribute

	/* gnumach: notifications, object and page queries (later issues). */
	UNSERVED vm_cache_statistics, thread_terminate_release, register_new_task_notification
	UNSERVED vm_object_sync, vm_msync, vm_pages_phys

	/* mach_i386: LDT and GDT slots and the FPU save-area size (later issues). */
	UNSERVED i386_set_ldt, i386_get_ldt, i386_set_gdt, i386_get_gdt, i386_get_xstate_size

	/* device: the kernel serves only device_intr_register/ack (on the device master
	   port); devices themselves are user servers' (issue 6). */
	UNSERVED ds_device_open, ds_device_close, ds_device_write, ds_device_write_inband
	UNSERVED ds_device_read, ds_device_read_inband, ds_device_open_new, ds_device_map
	UNSERVED ds_device_set_status, ds_device_get_status, ds_device_set_filter

	.section .note.GNU-stack, "", @progbits
