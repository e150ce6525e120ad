/* SPDX-License-Identifier: MIT */
/* The UEFI memory map handed over by the loader, classified. */
#ifndef KERNEL_MM_MEMMAP_H
#define KERNEL_MM_MEMMAP_H

#include "boot/bootinfo.h"

#define MEMMAP_MAX_ENTRIES 1024

enum mem_use {
	MEM_FREE,	/* the allocator may use it from the start */
	MEM_FREE_LATER, /* boot services: free once we run on our tables */
	MEM_HV,		/* the core image and boot data */
	MEM_FIRMWARE,	/* reserved, runtime services, unusable */
	MEM_ACPI,	/* ACPI tables and NVS */
	MEM_MMIO,	/* device memory */
};

struct memmap {
	const uint8_t *base;
	uint64_t desc_size;
	unsigned count;
};

/*
 * Check the descriptor array's geometry and open it. Returns 0 or
 * -HV_EINVAL (descriptor size too small or unaligned, no entries, too many).
 */
int memmap_open(struct memmap *m, const void *base, uint64_t size,
		uint64_t desc_size);

/* Descriptor i (i < count). */
const struct efi_mem_desc *memmap_get(const struct memmap *m, unsigned i);

/* Use of a UEFI memory type (including the loader's own types). */
enum mem_use memmap_use(uint32_t efi_type);

/*
 * Whether a type is certainly RAM (cacheable). "Reserved" is not: firmware
 * uses it for device windows such as the PCIe ECAM as well.
 */
bool memmap_is_ram(uint32_t efi_type);

/* Short name of a UEFI memory type, for the console. */
const char *memmap_type_name(uint32_t efi_type);

/* Short name of a use. */
const char *memmap_use_name(enum mem_use use);

/* End (exclusive) of descriptor d, or 0 if its size overflows. */
uint64_t memmap_end(const struct efi_mem_desc *d);

#endif
