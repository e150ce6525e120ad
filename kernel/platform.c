// SPDX-License-Identifier: MIT
/* Bring-up of what the machine has: ACPI tables, PCI, IOMMU units. */
#include "kernel/acpi/acpi.h"
#include "kernel/log.h"
#include "kernel/main.h"

const struct acpi_info *acpi __attribute__((weak));

void main_platform(const struct bootinfo *bi)
{
	if (!bi->rsdp)
		log_warn("ACPI: no RSDP from the loader");
}
