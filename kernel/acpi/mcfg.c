// SPDX-License-Identifier: MIT
/*
 * MCFG (PCI Firmware Specification 3.3, 4.1.2): the ECAM windows, one per
 * (segment, bus range).
 */
#include "kernel/acpi/acpi_priv.h"
#include "kernel/acpi/acpi_tables.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"

/* ECAM gives each bus 1 MiB (32 devices x 8 functions x 4 KiB). */
#define MCFG_BUS_SHIFT 20

static int mcfg_entry(struct acpi_info *info, const uint8_t *p, uint32_t off)
{
	struct acpi_mcfg_allocation a;
	struct acpi_ecam *e;

	memcpy(&a, p, sizeof(a));
	if (a.start_bus_number > a.end_bus_number) {
		log_warn(
			"ACPI: MCFG: entry at offset 0x%x has bus range %02x-%02x, skipped",
			off, a.start_bus_number, a.end_bus_number);
		return 1;
	}
	/* The window must be 1 MiB aligned and must not wrap. */
	if (!a.base_address ||
	    !IS_ALIGNED(a.base_address, 1u << MCFG_BUS_SHIFT) ||
	    a.base_address + ((uint64_t)(a.end_bus_number + 1)
			      << MCFG_BUS_SHIFT) <
		    a.base_address) {
		log_warn(
			"ACPI: MCFG: entry at offset 0x%x has base address 0x%lx, skipped",
			off, a.base_address);
		return 1;
	}
	e = &info->ecam[info->necam++];
	e->base = a.base_address;
	e->segment = a.pci_segment_group;
	e->bus_start = a.start_bus_number;
	e->bus_end = a.end_bus_number;
	return 0;
}

int acpi_mcfg_parse(struct acpi_info *info, const struct acpi_view *t)
{
	const uint32_t hdr = sizeof(struct acpi_mcfg_table);
	const uint32_t esize = sizeof(struct acpi_mcfg_allocation);
	int problems = 0;
	uint32_t off;

	if (t->len < hdr) {
		log_warn(
			"ACPI: MCFG: table length %u is shorter than its %u-byte header, table ignored",
			t->len, hdr);
		return 1;
	}
	if ((t->len - hdr) % esize) {
		log_warn(
			"ACPI: MCFG: entry at offset 0x%x is truncated, ignored",
			t->len - (t->len - hdr) % esize);
		problems++;
	}
	for (off = hdr; off + esize <= t->len; off += esize) {
		if (info->necam >= ACPI_MAX_ECAM) {
			log_warn(
				"ACPI: MCFG: more than %d entries, the entry at offset 0x%x and later ones are ignored",
				ACPI_MAX_ECAM, off);
			return problems + 1;
		}
		problems += mcfg_entry(info, t->p + off, off);
	}
	return problems;
}
