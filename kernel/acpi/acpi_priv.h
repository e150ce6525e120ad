/* SPDX-License-Identifier: MIT */
/*
 * Shared between the ACPI table parsers in kernel/acpi/, not used by the
 * rest of the hypervisor.
 */
#ifndef KERNEL_ACPI_ACPI_PRIV_H
#define KERNEL_ACPI_ACPI_PRIV_H

#include "kernel/acpi/acpi.h"

/* Longest table accepted; anything longer is taken for garbage. */
#define ACPI_TABLE_MAX_LEN (1u << 20)
/* The DSDT holds the whole AML namespace and may legitimately be larger. */
#define ACPI_AML_MAX_LEN (8u << 20)

/*
 * A table that passed acpi_table_load's checks: len bytes at p are mapped,
 * len is at least the SDT header size, and the checksum is good.
 */
struct acpi_view {
	const uint8_t *p;
	uint32_t len;
	uint64_t phys;
	const char *sig; /* NUL-terminated copy of the signature */
};

/*
 * Map and check the table at phys (found through `from`, e.g. "XSDT: entry
 * 3"), and list it in info->table[] when its header is readable. Fills
 * *view and returns 0 only when the whole table is mapped and its
 * checksum is right; otherwise reports one problem line and returns 1.
 * expect is the required signature, or NULL to accept any valid one.
 */
int acpi_table_load(struct acpi_info *info, const char *from, uint64_t phys,
		    const char *expect, uint32_t max_len,
		    struct acpi_view *view);

/* Parsers of one table each; every one returns the problems it reported. */
int acpi_madt_parse(struct acpi_info *info, const struct acpi_view *t);
int acpi_mcfg_parse(struct acpi_info *info, const struct acpi_view *t);
int acpi_fadt_parse(struct acpi_info *info, const struct acpi_view *t);
int acpi_dmar_parse(struct acpi_info *info, const struct acpi_view *t);

/*
 * Find Name(_S5, Package(){SLP_TYPa, SLP_TYPb, ...}) in the DSDT and
 * record it in fadt->s5_*. Returns the problems reported.
 */
int acpi_dsdt_s5(struct acpi_fadt *fadt, const struct acpi_view *dsdt);

#endif
