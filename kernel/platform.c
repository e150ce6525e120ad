// SPDX-License-Identifier: MIT
/* Bring-up of what the machine has: ACPI tables, PCI, IOMMU units. */
#include "arch/x86/paging.h"
#include "drivers/pci/cfg.h"
#include "drivers/pci/enum.h"
#include "kernel/acpi/acpi.h"
#include "kernel/console/console.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"
#include "kernel/main.h"

static struct acpi_info platform_acpi;

/* The core reads firmware tables through its identity map. */
const void *acpi_map(uint64_t phys, size_t len)
{
	if (phys == 0 || phys + len < phys || phys + len > paging_top())
		return NULL;
	return (const void *)(uintptr_t)phys;
}

static void platform_acpi_init(const struct bootinfo *bi)
{
	int problems;

	if (!bi->rsdp) {
		log_warn("ACPI: no RSDP from the loader; no ACPI tables");
		return;
	}
	problems = acpi_parse(&platform_acpi, bi->rsdp);
	log_info("ACPI: %u tables, %u CPUs, %u I/O APICs, %u ECAM windows, "
		 "%s, %d problem(s)",
		 platform_acpi.ntables, platform_acpi.ncpus,
		 platform_acpi.nioapics, platform_acpi.necam,
		 platform_acpi.dmar.present ? "DMAR present" : "no DMAR",
		 problems);
}

static void platform_pci_init(void)
{
	int rc;

	if (!acpi || acpi->necam == 0) {
		log_warn("PCI: no ECAM window (MCFG); no PCI functions known");
		return;
	}
	rc = pci_ecam_init(acpi->ecam, acpi->necam);
	if (rc) {
		log_err("PCI: no usable ECAM window: %s", hv_strerror(rc));
		return;
	}
	rc = pci_enumerate(&pci_devices);
	if (rc)
		log_err("PCI: enumeration incomplete: %s", hv_strerror(rc));
}

void main_platform(const struct bootinfo *bi)
{
	platform_acpi_init(bi);
	platform_pci_init();
}

int platform_cmd_acpi(int argc, char **argv)
{
	if (!acpi) {
		console_error("no ACPI tables were found");
		return -HV_ENOENT;
	}
	if (argc == 1)
		return acpi_cmd_list(acpi);
	if (argc == 2 && strcmp(argv[1], "dmar") == 0)
		return acpi_cmd_dmar(acpi);
	console_error("usage: acpi [dmar]");
	return -HV_EINVAL;
}
