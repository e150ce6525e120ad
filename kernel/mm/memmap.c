// SPDX-License-Identifier: MIT
/* UEFI memory map classification (UEFI spec 2.9, 7.2 EFI_MEMORY_TYPE). */
#include "kernel/errno.h"
#include "kernel/mm/memmap.h"

enum efi_memory_type {
	EFI_RESERVED = 0,
	EFI_LOADER_CODE,
	EFI_LOADER_DATA,
	EFI_BOOT_CODE,
	EFI_BOOT_DATA,
	EFI_RUNTIME_CODE,
	EFI_RUNTIME_DATA,
	EFI_CONVENTIONAL,
	EFI_UNUSABLE,
	EFI_ACPI_RECLAIM,
	EFI_ACPI_NVS,
	EFI_MMIO,
	EFI_MMIO_PORT,
	EFI_PAL_CODE,
	EFI_PERSISTENT,
	EFI_UNACCEPTED,
	EFI_TYPE_COUNT
};

static const char *const memmap_names[EFI_TYPE_COUNT] = {
	"reserved",  "loader-code",  "loader-data",  "boot-code",
	"boot-data", "runtime-code", "runtime-data", "conventional",
	"unusable",  "acpi-reclaim", "acpi-nvs",     "mmio",
	"mmio-port", "pal-code",     "persistent",   "unaccepted",
};

int memmap_open(struct memmap *m, const void *base, uint64_t size,
		uint64_t desc_size)
{
	if (!base || desc_size < sizeof(struct efi_mem_desc) || desc_size % 8 ||
	    size < desc_size || size / desc_size > MEMMAP_MAX_ENTRIES)
		return -HV_EINVAL;
	m->base = base;
	m->desc_size = desc_size;
	m->count = (unsigned)(size / desc_size);
	return 0;
}

const struct efi_mem_desc *memmap_get(const struct memmap *m, unsigned i)
{
	return (const struct efi_mem_desc *)(m->base + i * m->desc_size);
}

enum mem_use memmap_use(uint32_t efi_type)
{
	switch (efi_type) {
	case EFI_CONVENTIONAL:
	case EFI_LOADER_CODE: /* the loader is done once the core runs */
	case EFI_LOADER_DATA:
		return MEM_FREE;
	case EFI_BOOT_CODE:
	case EFI_BOOT_DATA: /* holds the page tables we boot on */
		return MEM_FREE_LATER;
	case BOOTINFO_MEM_CORE:
	case BOOTINFO_MEM_DATA:
		return MEM_HV;
	case EFI_ACPI_RECLAIM:
	case EFI_ACPI_NVS:
		return MEM_ACPI;
	case EFI_MMIO:
	case EFI_MMIO_PORT:
		return MEM_MMIO;
	default:
		return MEM_FIRMWARE;
	}
}

bool memmap_is_ram(uint32_t efi_type)
{
	switch (memmap_use(efi_type)) {
	case MEM_FREE:
	case MEM_FREE_LATER:
	case MEM_HV:
	case MEM_ACPI:
		return true;
	default:
		return efi_type == EFI_RUNTIME_CODE ||
		       efi_type == EFI_RUNTIME_DATA ||
		       efi_type == EFI_PERSISTENT;
	}
}

const char *memmap_type_name(uint32_t efi_type)
{
	if (efi_type < EFI_TYPE_COUNT)
		return memmap_names[efi_type];
	if (efi_type == BOOTINFO_MEM_CORE)
		return "hv-image";
	if (efi_type == BOOTINFO_MEM_DATA)
		return "hv-bootdata";
	return "unknown";
}

const char *memmap_use_name(enum mem_use use)
{
	static const char *const names[] = {
		[MEM_FREE] = "allocator",
		[MEM_FREE_LATER] = "allocator (after paging)",
		[MEM_HV] = "hypervisor",
		[MEM_FIRMWARE] = "firmware",
		[MEM_ACPI] = "acpi",
		[MEM_MMIO] = "mmio",
	};

	return use <= MEM_MMIO ? names[use] : "?";
}

uint64_t memmap_end(const struct efi_mem_desc *d)
{
	uint64_t bytes = d->npages << PAGE_SHIFT;

	if (d->npages >> (64 - PAGE_SHIFT) ||
	    d->phys_start + bytes < d->phys_start)
		return 0;
	return d->phys_start + bytes;
}
