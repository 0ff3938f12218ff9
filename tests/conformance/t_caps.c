/*
 * Boot modules (boot_modules.defs 5400-5401, on the privileged host port) and hardware
 * capabilities (device_caps.defs 5500-5502, on the device master port): device memory
 * mapped with vm_map, DMA allowances for vm_allocate_contiguous, the ports not standing
 * in for one another, and each object dying with its last send right. The irq
 * capability's cases are in t_intr.c, with the RTC.
 *
 * The scenario (conformance.scn) loads three modules, in this order: the peer, this
 * program, and tests/conformance/boot-module.txt as a data module named
 * "conformance-data".
 */
#include <device/device_caps.h>
#include <device/device_types.h>
#include <mach/boot_modules.h>
#include <mach/kernel_stats.h>
#include "thr.h"
#include "vmt.h"

#define MODULES		3
#define DATA_MODULE	2
#define DATA_NAME	"conformance-data"
#define DATA_BYTES	"conformance boot-module data: 0123456789abcdef\n"

#define VGA_TEXT	0xB8000ul	/* QEMU's standard VGA, even with -display none */
#define VGA_SIZE	0x8000ul
#define VGA_SCRATCH	0xF00ul		/* row 24 of the 80x25 text screen */
#define LOW_RAM		0x9F000ul	/* conventional memory (the BIOS map's first region) */
#define KERNEL_RAM	0x100000ul	/* where the kernel is loaded */
#define LOCAL_APIC	0xFEE00000ul	/* the architectural default: the kernel's timer */
#define DEVICE_CAPS_IRQ_CREATE	5500

/* ---------------------------------------------------------------- boot modules */

static void get_module(int index, boot_module_cmdline_t line, vm_offset_t *image,
		       mach_msg_type_number_t *size)
{
	memset(line, 0x55, sizeof(boot_module_cmdline_t));
	*image = 0;
	*size = 0;
	OK(boot_module_get(ct_host_priv, index, line, image, size));
}

CTEST(boot_module_count_every_line)
{
	int n = -1;

	OK(boot_module_count(ct_host_priv, &n));
	CHECK_EQ(n, MODULES);
}

CTEST(boot_module_get_program_and_data)
{
	boot_module_cmdline_t line;
	vm_offset_t image;
	mach_msg_type_number_t size;

	/* The command line is the module's GRUB line: its first word names it. */
	get_module(0, line, &image, &size);
	CHECK(strncmp(line, "peer ", 5) == 0);
	CHECK(size > 4);
	CHECK(memcmp((void *)image, "\177ELF", 4) == 0);
	OK(vm_deallocate(ct_task, image, size));

	get_module(1, line, &image, &size);
	CHECK(strncmp(line, "conformance ", 12) == 0);
	CHECK(memcmp((void *)image, "\177ELF", 4) == 0);
	OK(vm_deallocate(ct_task, image, size));

	/* A data module (no $(task-create)): kept, byte for byte. */
	get_module(DATA_MODULE, line, &image, &size);
	CHECK(strcmp(line, DATA_NAME) == 0);
	CHECK_EQ(size, sizeof(DATA_BYTES) - 1);
	CHECK(memcmp((void *)image, DATA_BYTES, size) == 0);
	/* The copy is the caller's own memory. */
	((char *)image)[0] = 'C';
	OK(vm_deallocate(ct_task, image, size));
	get_module(DATA_MODULE, line, &image, &size);
	CHECK_EQ(((char *)image)[0], 'c');
	OK(vm_deallocate(ct_task, image, size));
}

CTEST(boot_module_bad_index_and_port)
{
	boot_module_cmdline_t line;
	vm_offset_t image = 0;
	mach_msg_type_number_t size = 0;
	int n;

	CHECK_KR(boot_module_get(ct_host_priv, MODULES, line, &image, &size), KERN_INVALID_ARGUMENT);
	CHECK_KR(boot_module_get(ct_host_priv, -1, line, &image, &size), KERN_INVALID_ARGUMENT);
	CHECK_KR(boot_module_get(ct_host, 0, line, &image, &size), KERN_INVALID_HOST);
	CHECK_KR(boot_module_get(ct_device_master, 0, line, &image, &size), KERN_INVALID_HOST);
	CHECK_KR(boot_module_get(ct_task, 0, line, &image, &size), KERN_INVALID_HOST);
	CHECK_KR(boot_module_count(ct_host, &n), KERN_INVALID_HOST);
	CHECK_KR(boot_module_count(ct_device_master, &n), KERN_INVALID_HOST);
}

/* ---------------------------------------------------------------- creation, lifetime */

static uint64_t hw_caps(void)
{
	return counts().hw_caps;
}

CTEST(caps_need_device_master)
{
	mach_port_t cap = MACH_PORT_NULL;
	mach_port_t not_master[] = { ct_host_priv, ct_host, ct_task, ct_thread };

	for (unsigned i = 0; i < sizeof(not_master) / sizeof(not_master[0]); i++) {
		mach_port_t m = not_master[i];

		CHECK_KR(device_irq_create(m, 8, &cap), KERN_INVALID_ARGUMENT);
		CHECK_KR(device_mem_create(m, VGA_TEXT, VGA_SIZE, &cap), KERN_INVALID_ARGUMENT);
		CHECK_KR(device_dma_create(m, PAGE_SIZE, &cap), KERN_INVALID_ARGUMENT);
	}
	CHECK_EQ(cap, MACH_PORT_NULL);
}

CTEST(caps_die_with_last_send_right)
{
	uint64_t before = hw_caps();
	mach_port_t irq, mem, dma;

	OK(device_irq_create(ct_device_master, 8, &irq));
	OK(device_mem_create(ct_device_master, VGA_TEXT, VGA_SIZE, &mem));
	OK(device_dma_create(ct_device_master, PAGE_SIZE, &dma));
	CHECK_EQ(ptype(irq), MACH_PORT_TYPE_SEND);
	CHECK_EQ(ptype(mem), MACH_PORT_TYPE_SEND);
	CHECK_EQ(ptype(dma), MACH_PORT_TYPE_SEND);
	CHECK_EQ(hw_caps(), before + 3);
	/* A second send right keeps it alive. */
	OK(mach_port_mod_refs(ct_task, irq, MACH_PORT_RIGHT_SEND, 1));
	OK(mach_port_deallocate(ct_task, irq));
	CHECK_EQ(hw_caps(), before + 3);
	OK(mach_port_deallocate(ct_task, irq));
	OK(mach_port_deallocate(ct_task, mem));
	OK(mach_port_deallocate(ct_task, dma));
	CHECK_EQ(hw_caps(), before);
}

/* A request without a reply port: the new object never gets a sender, and goes. */
CTEST(caps_without_reply_go)
{
	uint64_t before = hw_caps();
	struct mb m;

	mb_init(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), ct_device_master, MACH_PORT_NULL,
		DEVICE_CAPS_IRQ_CREATE);
	mb_int32(&m, 8);
	CHECK_KR(mb_send(&m, 0, 0), MACH_MSG_SUCCESS);
	CHECK_EQ(hw_caps(), before);
}

/* ---------------------------------------------------------------- device memory */

CTEST(device_mem_create_bad_ranges)
{
	mach_port_t cap = MACH_PORT_NULL;

	CHECK_KR(device_mem_create(ct_device_master, VGA_TEXT + 1, VGA_SIZE, &cap),
		 KERN_INVALID_ARGUMENT);
	CHECK_KR(device_mem_create(ct_device_master, VGA_TEXT, 0x100, &cap), KERN_INVALID_ARGUMENT);
	CHECK_KR(device_mem_create(ct_device_master, VGA_TEXT, 0, &cap), KERN_INVALID_ARGUMENT);
	CHECK_KR(device_mem_create(ct_device_master, -PAGE_SIZE, 2 * PAGE_SIZE, &cap),
		 KERN_INVALID_ARGUMENT);
	/* RAM from the memory map: refused, also when only partly covered. */
	CHECK_KR(device_mem_create(ct_device_master, 0, PAGE_SIZE, &cap), KERN_INVALID_ADDRESS);
	CHECK_KR(device_mem_create(ct_device_master, KERNEL_RAM, PAGE_SIZE, &cap),
		 KERN_INVALID_ADDRESS);
	CHECK_KR(device_mem_create(ct_device_master, LOW_RAM, 2 * PAGE_SIZE, &cap),
		 KERN_INVALID_ADDRESS);
	CHECK_KR(device_mem_create(ct_device_master, VGA_TEXT, 0x100000, &cap),
		 KERN_INVALID_ADDRESS);	/* runs into the RAM above 1 MiB */
	/* Beyond what any x86_64 page-table entry can name (52 bits). */
	CHECK_KR(device_mem_create(ct_device_master, 1ul << 52, PAGE_SIZE, &cap),
		 KERN_INVALID_ADDRESS);
	/* Device memory the kernel drives itself. */
	CHECK_KR(device_mem_create(ct_device_master, LOCAL_APIC, PAGE_SIZE, &cap),
		 KERN_INVALID_ADDRESS);
	CHECK_KR(device_mem_create(ct_device_master, LOCAL_APIC - PAGE_SIZE, 4 * PAGE_SIZE, &cap),
		 KERN_INVALID_ADDRESS);
	CHECK_EQ(cap, MACH_PORT_NULL);
}

static mach_port_t vga_cap(void)
{
	mach_port_t cap;

	OK(device_mem_create(ct_device_master, VGA_TEXT, VGA_SIZE, &cap));
	return cap;
}

static vm_address_t map_vga(mach_port_t cap, vm_offset_t offset, vm_size_t size, int inherit)
{
	vm_address_t a = 0;

	OK(vm_map(ct_task, &a, size, 0, 1, cap, offset, 0, VM_PROT_DEFAULT, VM_PROT_ALL, inherit));
	CHECK(a != 0);
	return a;
}

CTEST(device_mem_map_vga_text)
{
	mach_port_t cap = vga_cap();
	vm_address_t a = map_vga(cap, 0, VGA_SIZE, VM_INHERIT_COPY);
	vm_address_t b = map_vga(cap, VGA_SCRATCH & ~(PAGE_SIZE - 1), PAGE_SIZE, VM_INHERIT_COPY);
	volatile uint16_t *text = (volatile uint16_t *)(a + VGA_SCRATCH);
	volatile uint16_t *alias = (volatile uint16_t *)(b + (VGA_SCRATCH & (PAGE_SIZE - 1)));
	struct region r = region(a);

	CHECK_EQ(r.addr, a);
	CHECK_EQ(r.size, VGA_SIZE);
	/* The mapping consumed no send right of ours: the request's copy was the kernel's. */
	CHECK_EQ(refs(cap, MACH_PORT_RIGHT_SEND), 1);
	for (unsigned i = 0; i < 8; i++)
		text[i] = (uint16_t)(0x1F00 | ('a' + i));	/* white on blue */
	for (unsigned i = 0; i < 8; i++)
		CHECK_EQ(alias[i], 0x1F00 | ('a' + i));	/* the same device memory */
	alias[0] = 0x2F5A;
	CHECK_EQ(text[0], 0x2F5A);
	/* Unmapping only unmaps: the device's pages never reach the page allocator. */
	OK(vm_deallocate(ct_task, b, PAGE_SIZE));
	CHECK_EQ(text[0], 0x2F5A);
	OK(vm_deallocate(ct_task, a, VGA_SIZE));
	/* The mappings did not need the capability to stay: mapped again, same bytes. */
	a = map_vga(cap, 0, VGA_SIZE, VM_INHERIT_NONE);
	OK(mach_port_deallocate(ct_task, cap));
	CHECK_EQ(((volatile uint16_t *)(a + VGA_SCRATCH))[0], 0x2F5A);
	OK(vm_deallocate(ct_task, a, VGA_SIZE));
}

CTEST(device_mem_map_bad_requests)
{
	mach_port_t cap = vga_cap(), p = new_port_send(), irq, dma;
	vm_address_t a = 0;

	OK(device_irq_create(ct_device_master, 8, &irq));
	OK(device_dma_create(ct_device_master, PAGE_SIZE, &dma));
	/* Beyond the range, an unaligned offset, copy TRUE. */
	CHECK_KR(vm_map(ct_task, &a, VGA_SIZE + PAGE_SIZE, 0, 1, cap, 0, 0, VM_PROT_DEFAULT,
			VM_PROT_ALL, VM_INHERIT_COPY), KERN_INVALID_ARGUMENT);
	CHECK_KR(vm_map(ct_task, &a, PAGE_SIZE, 0, 1, cap, VGA_SIZE, 0, VM_PROT_DEFAULT,
			VM_PROT_ALL, VM_INHERIT_COPY), KERN_INVALID_ARGUMENT);
	CHECK_KR(vm_map(ct_task, &a, 2 * PAGE_SIZE, 0, 1, cap, VGA_SIZE - PAGE_SIZE, 0,
			VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_COPY), KERN_INVALID_ARGUMENT);
	CHECK_KR(vm_map(ct_task, &a, PAGE_SIZE, 0, 1, cap, 0x10, 0, VM_PROT_DEFAULT,
			VM_PROT_ALL, VM_INHERIT_COPY), KERN_INVALID_ARGUMENT);
	CHECK_KR(vm_map(ct_task, &a, PAGE_SIZE, 0, 1, cap, 0, 1, VM_PROT_DEFAULT,
			VM_PROT_ALL, VM_INHERIT_COPY), KERN_INVALID_ARGUMENT);
	CHECK_KR(vm_map(ct_task, &a, PAGE_SIZE, 0, 1, cap, -PAGE_SIZE, 0, VM_PROT_DEFAULT,
			VM_PROT_ALL, VM_INHERIT_COPY), KERN_INVALID_ARGUMENT);
	/* Other ports are no memory objects. */
	CHECK_KR(vm_map(ct_task, &a, PAGE_SIZE, 0, 1, p, 0, 0, VM_PROT_DEFAULT,
			VM_PROT_ALL, VM_INHERIT_COPY), KERN_INVALID_ARGUMENT);
	CHECK_KR(vm_map(ct_task, &a, PAGE_SIZE, 0, 1, irq, 0, 0, VM_PROT_DEFAULT,
			VM_PROT_ALL, VM_INHERIT_COPY), KERN_INVALID_ARGUMENT);
	CHECK_KR(vm_map(ct_task, &a, PAGE_SIZE, 0, 1, dma, 0, 0, VM_PROT_DEFAULT,
			VM_PROT_ALL, VM_INHERIT_COPY), KERN_INVALID_ARGUMENT);
	CHECK_KR(vm_map(ct_task, &a, PAGE_SIZE, 0, 1, ct_device_master, 0, 0, VM_PROT_DEFAULT,
			VM_PROT_ALL, VM_INHERIT_COPY), KERN_INVALID_ARGUMENT);
	/* The refused requests' rights were dropped, not kept. */
	CHECK_EQ(refs(cap, MACH_PORT_RIGHT_SEND), 1);
	CHECK_EQ(refs(p, MACH_PORT_RIGHT_SEND), 1);
	CHECK_EQ(a, 0);
	destroy(p);
	OK(mach_port_deallocate(ct_task, cap));
	OK(mach_port_deallocate(ct_task, irq));
	OK(mach_port_deallocate(ct_task, dma));
}

/* Device memory is never copied: vm_read, vm_copy and vm_write refuse it. */
CTEST(device_mem_not_copied)
{
	mach_port_t cap = vga_cap();
	vm_address_t a = map_vga(cap, 0, PAGE_SIZE, VM_INHERIT_COPY), buf = 0;
	vm_offset_t data = 0;
	mach_msg_type_number_t n = 0;

	OK(vm_allocate(ct_task, &buf, PAGE_SIZE, 1));
	CHECK_KR(vm_read(ct_task, a, PAGE_SIZE, &data, &n), KERN_PROTECTION_FAILURE);
	CHECK_KR(vm_copy(ct_task, a, PAGE_SIZE, buf), KERN_PROTECTION_FAILURE);
	CHECK_KR(vm_copy(ct_task, buf, PAGE_SIZE, a), KERN_PROTECTION_FAILURE);
	CHECK_KR(vm_write(ct_task, a, buf, PAGE_SIZE), KERN_PROTECTION_FAILURE);
	OK(vm_deallocate(ct_task, buf, PAGE_SIZE));
	OK(vm_deallocate(ct_task, a, PAGE_SIZE));
	OK(mach_port_deallocate(ct_task, cap));
}

/* store rcx at [rbx], then ud2 */
void store_and_stop(void);
__asm__(".text\n"
	".global store_and_stop\n"
	"store_and_stop:\n\t"
	"movw %cx, (%rbx)\n\t"
	"ud2\n");

/* A child made with inherited memory shares the device memory, even for VM_INHERIT_COPY. */
CTEST(device_mem_shared_with_children)
{
	mach_port_t cap = vga_cap(), child;
	vm_address_t a = map_vga(cap, 0, VGA_SIZE, VM_INHERIT_COPY);
	volatile uint16_t *cell = (volatile uint16_t *)(a + VGA_SCRATCH + 2);

	*cell = 0x1F30;
	OK(task_create(ct_task, 1, &child));
	CHECK_EQ(run_to_exception(child, store_and_stop, (uint64_t)cell, 0x4E21, 0),
		 EXC_I386_INVOP);
	CHECK_EQ(*cell, 0x4E21);
	task_kill(child);
	OK(vm_deallocate(ct_task, a, VGA_SIZE));
	OK(mach_port_deallocate(ct_task, cap));
}

/* ---------------------------------------------------------------- DMA */

CTEST(dma_cap_allocates_within_its_limit)
{
	mach_port_t dma;
	vm_address_t va = 0, vb = 0, vc = 0;
	rpc_phys_addr_t pa = 0, pb = 0;

	OK(device_dma_create(ct_device_master, 3 * PAGE_SIZE, &dma));
	OK(vm_allocate_contiguous(dma, ct_task, &va, &pa, 2 * PAGE_SIZE, 0, 0, 0));
	CHECK(pa != 0);
	CHECK_EQ(pa % PAGE_SIZE, 0);
	fill((unsigned char *)va, 2 * PAGE_SIZE, 7);
	CHECK(filled((unsigned char *)va, 2 * PAGE_SIZE, 7));
	/* Two pages more would pass the limit; a partial page counts whole. */
	CHECK_KR(vm_allocate_contiguous(dma, ct_task, &vc, &pb, 2 * PAGE_SIZE, 0, 0, 0),
		 KERN_RESOURCE_SHORTAGE);
	CHECK_KR(vm_allocate_contiguous(dma, ct_task, &vc, &pb, PAGE_SIZE + 1, 0, 0, 0),
		 KERN_RESOURCE_SHORTAGE);
	OK(vm_allocate_contiguous(dma, ct_task, &vb, &pb, 100, 0, 0, 0));
	CHECK(pb != 0 && pb != pa);
	/* The limit is over the capability's life: freeing gives nothing back. */
	OK(vm_deallocate(ct_task, va, 2 * PAGE_SIZE));
	OK(vm_deallocate(ct_task, vb, PAGE_SIZE));
	CHECK_KR(vm_allocate_contiguous(dma, ct_task, &vc, &pb, PAGE_SIZE, 0, 0, 0),
		 KERN_RESOURCE_SHORTAGE);
	/* Bad arguments are still bad arguments. */
	CHECK_KR(vm_allocate_contiguous(dma, ct_task, &vc, &pb, 0, 0, 0, 0), KERN_INVALID_ARGUMENT);
	CHECK_KR(vm_allocate_contiguous(dma, MACH_PORT_NULL, &vc, &pb, PAGE_SIZE, 0, 0, 0),
		 KERN_INVALID_TASK);
	CHECK_EQ(vc, 0);
	OK(mach_port_deallocate(ct_task, dma));
}

/* ---------------------------------------------------------------- confinement */

/* Each capability does its own job only; none mints others or stands in for the master. */
CTEST(caps_confined)
{
	mach_port_t irq, mem, dma, cap = MACH_PORT_NULL;
	mach_port_t caps[3];
	vm_address_t va = 0;
	rpc_phys_addr_t pa = 0;
	boot_module_cmdline_t line;
	vm_offset_t image = 0;
	mach_msg_type_number_t size = 0;

	OK(device_irq_create(ct_device_master, 8, &irq));
	OK(device_mem_create(ct_device_master, VGA_TEXT, VGA_SIZE, &mem));
	OK(device_dma_create(ct_device_master, 4 * PAGE_SIZE, &dma));
	caps[0] = irq;
	caps[1] = mem;
	caps[2] = dma;
	for (unsigned i = 0; i < 3; i++) {
		CHECK_KR(device_irq_create(caps[i], 8, &cap), KERN_INVALID_ARGUMENT);
		CHECK_KR(device_mem_create(caps[i], VGA_TEXT, PAGE_SIZE, &cap),
			 KERN_INVALID_ARGUMENT);
		CHECK_KR(device_dma_create(caps[i], PAGE_SIZE, &cap), KERN_INVALID_ARGUMENT);
		CHECK_KR(boot_module_get(caps[i], 0, line, &image, &size), KERN_INVALID_HOST);
	}
	/* DMA memory needs the privileged host port or a dma capability. */
	CHECK_KR(vm_allocate_contiguous(ct_host, ct_task, &va, &pa, PAGE_SIZE, 0, 0, 0),
		 KERN_INVALID_HOST);
	CHECK_KR(vm_allocate_contiguous(ct_device_master, ct_task, &va, &pa, PAGE_SIZE, 0, 0, 0),
		 KERN_INVALID_HOST);
	CHECK_KR(vm_allocate_contiguous(irq, ct_task, &va, &pa, PAGE_SIZE, 0, 0, 0),
		 KERN_INVALID_HOST);
	CHECK_KR(vm_allocate_contiguous(mem, ct_task, &va, &pa, PAGE_SIZE, 0, 0, 0),
		 KERN_INVALID_HOST);
	CHECK_EQ(cap, MACH_PORT_NULL);
	CHECK_EQ(va, 0);
	OK(mach_port_deallocate(ct_task, irq));
	OK(mach_port_deallocate(ct_task, mem));
	OK(mach_port_deallocate(ct_task, dma));
}
