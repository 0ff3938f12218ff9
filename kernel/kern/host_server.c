/*
 * The host routines the kernel serves (mach_host subsystem, 2600-2649) and the
 * project's kernel_stats subsystem (5000). Ports are kernel-space names.
 */
#include <string.h>
#include <mach/kernel_stats.h>
#include <mach/mach_types.h>
#include <mach/time_value.h>
#include <mach/mig_errors.h>
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/io_perm.h>
#include <arch/qemu.h>
#include <ipc/ipc_fastpath.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_space.h>
#include <kern/boot.h>
#include <kern/device_caps.h>
#include <kern/host.h>
#include <kern/load.h>
#include <kern/pmm.h>
#include <kern/printf.h>
#include <kern/sched.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/vm_map.h>
#include <kern/vm_page.h>

#define HOST_BASIC_INFO		1
#define HOST_PROCESSOR_SLOTS	2
#define HOST_SCHED_INFO		3
#define HOST_LOAD_INFO		4
#define CPU_TYPE_X86_64		21
#define CPU_SUBTYPE_X86_64_ALL	3
#define RB_HALT			0x8
#define RB_DEBUGGER		0x1000

/* Either host port (privileged or not) may be asked for information. */
static bool is_host(mach_port_t host)
{
	return ipc_kobject_lookup(host, IKOT_HOST) || ipc_kobject_lookup(host, IKOT_HOST_PRIV);
}

kern_return_t host_info(mach_port_t host, int flavor, int *info, mach_msg_type_number_t *count)
{
	if (!is_host(host))
		return KERN_INVALID_HOST;
	switch (flavor) {
	case HOST_BASIC_INFO: {
		uint64_t mem = kernel_pmm.total_pages * PMM_PAGE_SIZE;
		if (*count < 6)
			return KERN_FAILURE;
		info[0] = 1;	/* max_cpus */
		info[1] = 1;	/* avail_cpus */
		memcpy(&info[2], &mem, 8);
		info[4] = CPU_TYPE_X86_64;
		info[5] = CPU_SUBTYPE_X86_64_ALL;
		*count = 6;
		return KERN_SUCCESS;
	}
	case HOST_PROCESSOR_SLOTS:
		if (*count < 1)
			return KERN_FAILURE;
		info[0] = 0;
		*count = 1;
		return KERN_SUCCESS;
	case HOST_SCHED_INFO:
		if (*count < 2)
			return KERN_FAILURE;
		info[0] = 1000 / TIMER_HZ;			/* min_timeout, ms */
		info[1] = 1000 / TIMER_HZ * SCHED_QUANTUM;	/* min_quantum, ms */
		*count = 2;
		return KERN_SUCCESS;
	case HOST_LOAD_INFO:
		if (*count < 6)
			return KERN_FAILURE;
		load_report(&host_load, info);
		*count = 6;
		return KERN_SUCCESS;
	default:
		return KERN_INVALID_ARGUMENT;
	}
}

/* Time since boot, from the timer ticks. */
static void uptime(int64_t *sec, int64_t *nsec)
{
	*sec = (int64_t)(sched_ticks / TIMER_HZ);
	*nsec = (int64_t)(sched_ticks % TIMER_HZ) * (1000000000 / TIMER_HZ);
}

kern_return_t host_get_uptime64(mach_port_t host, time_value64_t *t)
{
	if (!is_host(host))
		return KERN_INVALID_HOST;
	uptime(&t->seconds, &t->nanoseconds);
	return KERN_SUCCESS;
}

#define NS_PER_SEC	1000000000ll

/* The time of day: the boot's (from the RTC, or as host_set_time put it) plus the uptime. */
kern_return_t host_get_time64(mach_port_t host, time_value64_t *t)
{
	int64_t now;

	if (!is_host(host))
		return KERN_INVALID_HOST;
	now = host_boot_time_ns + (int64_t)sched_ticks * (NS_PER_SEC / TIMER_HZ);
	t->seconds = now / NS_PER_SEC;
	t->nanoseconds = now % NS_PER_SEC;
	return KERN_SUCCESS;
}

kern_return_t host_get_time(mach_port_t host, time_value_t *t)
{
	time_value64_t t64;
	kern_return_t kr = host_get_time64(host, &t64);

	if (kr == KERN_SUCCESS)
		*t = (time_value_t){ t64.seconds, (integer_t)(t64.nanoseconds / 1000) };
	return kr;
}

/* Sets the time of day (host-priv only): the boot time moves so that now reads now_ns. */
static kern_return_t set_time(mach_port_t host_priv, int64_t now_ns)
{
	if (!ipc_kobject_lookup(host_priv, IKOT_HOST_PRIV))
		return KERN_INVALID_HOST;
	host_boot_time_ns = now_ns - (int64_t)sched_ticks * (NS_PER_SEC / TIMER_HZ);
	return KERN_SUCCESS;
}

kern_return_t host_set_time64(mach_port_t host_priv, time_value64_t new_time)
{
	if (new_time.nanoseconds < 0 || new_time.nanoseconds >= NS_PER_SEC)
		return KERN_INVALID_ARGUMENT;
	return set_time(host_priv, new_time.seconds * NS_PER_SEC + new_time.nanoseconds);
}

kern_return_t host_set_time(mach_port_t host_priv, time_value_t new_time)
{
	if (new_time.microseconds < 0 || new_time.microseconds >= 1000000)
		return KERN_INVALID_ARGUMENT;
	return set_time(host_priv, new_time.seconds * NS_PER_SEC + new_time.microseconds * 1000ll);
}

/*
 * host_adjust_time: the adjustment is applied at once (no gradual skew), so none is
 * ever left over and old_adjustment is always zero.
 */
static kern_return_t adjust_time(mach_port_t host_priv, int64_t delta_ns)
{
	if (!ipc_kobject_lookup(host_priv, IKOT_HOST_PRIV))
		return KERN_INVALID_HOST;
	host_boot_time_ns += delta_ns;
	return KERN_SUCCESS;
}

kern_return_t host_adjust_time64(mach_port_t host_priv, time_value64_t delta, time_value64_t *old)
{
	if (delta.nanoseconds <= -NS_PER_SEC || delta.nanoseconds >= NS_PER_SEC)
		return KERN_INVALID_ARGUMENT;
	*old = (time_value64_t){ 0, 0 };
	return adjust_time(host_priv, delta.seconds * NS_PER_SEC + delta.nanoseconds);
}

kern_return_t host_adjust_time(mach_port_t host_priv, time_value_t delta, time_value_t *old)
{
	if (delta.microseconds <= -1000000 || delta.microseconds >= 1000000)
		return KERN_INVALID_ARGUMENT;
	*old = (time_value_t){ 0, 0 };
	return adjust_time(host_priv, delta.seconds * NS_PER_SEC + delta.microseconds * 1000ll);
}

kern_return_t host_get_kernel_version(mach_port_t host, char *version)
{
	if (!is_host(host))
		return KERN_INVALID_HOST;
	snprintf(version, 512, "machkernel 0.1 (x86_64; GNU Mach x86_64 user ABI)");
	return KERN_SUCCESS;
}

kern_return_t host_reboot(mach_port_t host_priv, int options)
{
	if (!ipc_kobject_lookup(host_priv, IKOT_HOST_PRIV))
		return KERN_INVALID_HOST;
	if (options & RB_DEBUGGER) {
		kprintf("host_reboot: no kernel debugger; halting\n");
		options |= RB_HALT;
	}
	if (options & RB_HALT) {
		kprintf("host_reboot: halted\n");
		for (;;)
			intr_enable_and_halt();
	}
	kprintf("host_reboot: rebooting\n");
	machine_reboot();
}

kern_return_t kernel_object_counts(mach_port_t host, kernel_object_counts_t *counts)
{
	struct kernel_object_counts c = {
		.ports = ipc_ports_live,
		.port_sets = ipc_psets_live,
		.messages = ipc_kmsgs_live,
		.entries = ipc_entries_in_use,
		.spaces = ipc_spaces_live,
		.tasks = tasks_live,
		.threads = threads_live,
		.pages = kernel_pmm.total_pages - kernel_pmm.free_pages,
		.fast_sends = ipc_fast_sends,
		.vm_objects = vm_counters.objects,
		.hw_caps = io_perm_live + devcaps_live,
	};

	if (!is_host(host))
		return KERN_INVALID_HOST;
	memcpy(counts, &c, sizeof(c));
	return KERN_SUCCESS;
}
