/* SPDX-License-Identifier: MIT */
/*
 * The boot-info block: the whole contract between the UEFI loader (boot/)
 * and the core. The loader fills it, calls ExitBootServices and jumps to
 * the core's entry with its physical address in RDI. Every address is
 * physical; firmware's identity mapping is still active at the jump.
 */
#ifndef BOOT_BOOTINFO_H
#define BOOT_BOOTINFO_H

#include "kernel/types.h"

#define BOOTINFO_MAGIC	     0x4f464e49544f4f42ull /* "BOOTINFO" */
#define BOOTINFO_VERSION     1
#define BOOTINFO_MAX_MODULES 16
#define BOOTINFO_MAX_STAMPS  8
#define BOOTINFO_NAME_MAX    32
#define BOOTINFO_FILE_MAX    64

/*
 * UEFI memory types the loader gives to what must survive into the core
 * (UEFI reserves 0x80000000 and above for OS loaders), so the memory map
 * itself says which pages are the core's and which are boot data.
 */
#define BOOTINFO_MEM_CORE 0x80000001u /* core image, including its bss */
#define BOOTINFO_MEM_DATA \
	0x80000002u /* boot info, memory map, config, modules */

struct bootinfo_module {
	uint64_t base;		      /* physical address, page aligned */
	uint64_t size;		      /* bytes */
	char name[BOOTINFO_NAME_MAX]; /* config key suffix ("module.NAME") */
	char file[BOOTINFO_FILE_MAX]; /* file name on the boot volume */
};
_Static_assert(sizeof(struct bootinfo_module) == 112, "bootinfo_module");

/* A loader stage's time stamp, so the core's boot log starts at entry. */
struct bootinfo_stamp {
	char name[24];
	uint64_t tsc;
};
_Static_assert(sizeof(struct bootinfo_stamp) == 32, "bootinfo_stamp");

struct bootinfo {
	uint64_t magic;
	uint32_t version;
	uint32_t size; /* sizeof(struct bootinfo) as the loader knew it */

	uint64_t rsdp; /* ACPI 2.0+ RSDP, 0 when firmware gave none */

	uint64_t mmap;	    /* array of UEFI memory descriptors */
	uint64_t mmap_size; /* bytes used in that array */
	uint64_t mmap_desc_size;
	uint32_t mmap_desc_version;
	uint32_t nmodules;

	uint64_t config;      /* hv.cfg text, NUL terminated */
	uint64_t config_size; /* bytes, without the NUL */

	uint64_t core_base; /* physical extent of the loaded core image */
	uint64_t core_size;

	uint64_t tsc_hz; /* TSC frequency the loader measured */
	uint32_t nstamps;
	uint32_t reserved;
	struct bootinfo_stamp stamps[BOOTINFO_MAX_STAMPS];
	struct bootinfo_module modules[BOOTINFO_MAX_MODULES];
};

/* UEFI memory descriptor as laid out by the specification (2.3.1 on). */
struct efi_mem_desc {
	uint32_t type;
	uint32_t pad;
	uint64_t phys_start;
	uint64_t virt_start;
	uint64_t npages;
	uint64_t attribute;
};
_Static_assert(sizeof(struct efi_mem_desc) == 40, "efi_mem_desc");

#endif
