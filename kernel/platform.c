// SPDX-License-Identifier: MIT
/* Bring-up of what the machine has: ACPI tables, PCI, IOMMU units. */
#include "arch/x86/paging.h"
#include "drivers/iommu/iommu.h"
#include "drivers/pci/cfg.h"
#include "drivers/pci/enum.h"
#include "drivers/pci/group.h"
#include "drivers/pci/pci_regs.h"
#include "kernel/acpi/acpi.h"
#include "kernel/console/console.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"
#include "kernel/main.h"
#include "kernel/time.h"

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

/* One log line with a stage's time in total and per function (bench). */
static void platform_timing(const char *what, uint64_t t0, unsigned n)
{
	uint64_t us = time_us() - t0;

	log_info("%s took %llu us, %llu ns per function", what,
		 (unsigned long long)us,
		 (unsigned long long)(n ? us * 1000 / n : 0));
}

static void platform_pci_init(void)
{
	uint64_t t0;
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
	t0 = time_us();
	rc = pci_enumerate(&pci_devices);
	if (rc)
		log_err("PCI: enumeration incomplete: %s", hv_strerror(rc));
	platform_timing("PCI: enumeration", t0, pci_devices.count);
}

/*
 * Turn on the ACS controls that isolation needs on every function that has
 * them (Linux does the same when an IOMMU is present): firmware and QEMU
 * leave them off, and without them peers behind a port could reach each
 * other without passing through the IOMMU.
 */
static void platform_acs_enable(void)
{
	for (unsigned i = 0; i < pci_devices.count; i++) {
		struct pci_dev *d = &pci_devices.dev[i];
		uint16_t want;

		if (!d->ecap_acs)
			continue;
		want = pci_acs_enable_value(d);
		pci_cfg_write16(d->sbdf, d->ecap_acs + PCI_ACS_CTRL, want);
		d->acs_ctrl =
			pci_cfg_read16(d->sbdf, d->ecap_acs + PCI_ACS_CTRL);
		if ((d->acs_ctrl & want) != want) {
			char bdf[16];

			pci_sbdf_str(d->sbdf, bdf, sizeof(bdf));
			log_warn(
				"PCI %s: ACS control 0x%x did not stick (0x%x)",
				bdf, want, d->acs_ctrl);
		}
	}
}

static void platform_groups_init(void)
{
	static const struct acpi_dmar none;
	uint64_t t0;
	int rc;

	platform_acs_enable();
	t0 = time_us();
	rc = pci_group_compute(&pci_devices, acpi ? &acpi->dmar : &none,
			       &pci_groups);
	platform_timing("IOMMU: group computation", t0, pci_devices.count);
	if (rc)
		log_err("IOMMU: group computation failed: %s", hv_strerror(rc));
	else
		log_info("IOMMU: %u group(s)", pci_groups.ngroups);
}

static void platform_iommu_init(void)
{
	static const struct acpi_dmar none;
	const char *mode = config_get_or_default(&hv_config, "iommu.mode");
	const struct acpi_dmar *dmar = acpi ? &acpi->dmar : &none;

	iommu_mode_wanted = strcmp(mode, "legacy") == 0 ? IOMMU_MODE_LEGACY
			    : strcmp(mode, "scalable") == 0
				    ? IOMMU_MODE_SCALABLE
				    : IOMMU_MODE_AUTO;
	iommu_init(dmar, &pci_groups);
	iommu_rmrr_init(dmar, &pci_groups);
}

void main_platform(const struct bootinfo *bi)
{
	platform_acpi_init(bi);
	platform_pci_init();
	platform_groups_init();
	platform_iommu_init();
}

void main_idle(void)
{
	iommu_poll_faults();
}

int platform_cmd_groups(int argc, char **argv)
{
	bool verbose = argc == 2 && strcmp(argv[1], "-v") == 0;

	if (argc > 2 || (argc == 2 && !verbose)) {
		console_error("usage: groups [-v]");
		return -HV_EINVAL;
	}
	pci_cmd_groups(&pci_groups, verbose);
	return 0;
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
