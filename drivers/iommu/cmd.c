// SPDX-License-Identifier: MIT
/* Console commands of the IOMMU core: iommu, domains, faults. */
#include "drivers/iommu/fault_ring.h"
#include "drivers/iommu/iommu.h"
#include "drivers/iommu/iommu_drv.h"
#include "kernel/console/console.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"

struct fault_ring iommu_fault_ring;

static struct pci_dev *cmd_find_dev(const char *arg)
{
	pci_sbdf_t s;
	struct pci_dev *d;

	if (pci_sbdf_parse(arg, &s)) {
		console_error("bad PCI function '%s' (ssss:bb:dd.f or bb:dd.f)",
			      arg);
		return NULL;
	}
	d = pci_find(&pci_devices, s);
	if (!d)
		console_error("no PCI function %s", arg);
	return d;
}

static int cmd_walk(int argc, char **argv)
{
	bool with_pasid = argc == 5;
	uint64_t pasid = 0, addr;
	struct iommu_unit *u;
	struct pci_dev *d;

	if (argc != 4 && argc != 5) {
		console_error("usage: iommu walk BDF [PASID] IOVA");
		return -HV_EINVAL;
	}
	d = cmd_find_dev(argv[2]);
	if (!d)
		return -HV_ENOENT;
	if ((with_pasid &&
	     (!str_to_u64(argv[3], &pasid) || pasid >= (1u << 20))) ||
	    !str_to_u64(argv[argc - 1], &addr)) {
		console_error("bad number (PASID below 2^20, IOVA as 0x...)");
		return -HV_EINVAL;
	}
	u = iommu_group_unit(pci_group_of(&pci_groups, d));
	if (!u) {
		console_error("%s is behind no working IOMMU unit", argv[2]);
		return -HV_ENODEV;
	}
	return iommu_drv_walk(u, PCI_SBDF_RID(d->sbdf), with_pasid,
			      (uint32_t)pasid, iova(addr));
}

static void cmd_units(void)
{
	static const struct acpi_dmar none;

	if (iommu_nunits == 0)
		console_printf("no IOMMU unit: DMA cannot be isolated\n");
	for (unsigned i = 0; i < iommu_nunits; i++) {
		const struct iommu_unit *u = &iommu_units[i];

		if (u->up)
			iommu_drv_print_unit(u);
		else
			console_printf("unit %u: 0x%llx off: %s\n", i,
				       (unsigned long long)u->reg_base, u->why);
	}
	iommu_rmrr_print(acpi ? &acpi->dmar : &none, &pci_groups);
}

int iommu_cmd_iommu(int argc, char **argv)
{
	struct pci_dev *d;

	if (argc == 1) {
		cmd_units();
		return 0;
	}
	if (strcmp(argv[1], "walk") == 0)
		return cmd_walk(argc, argv);
	if (strcmp(argv[1], "storm") == 0)
		return iommu_storm(argc, argv);
	if (strcmp(argv[1], "selftest") == 0 && argc == 3) {
		d = cmd_find_dev(argv[2]);
		return d ? iommu_selftest(d) : -HV_ENOENT;
	}
	console_error("usage: iommu [walk BDF [PASID] IOVA | selftest BDF | "
		      "storm BDF... [-n ROUNDS]]");
	return -HV_EINVAL;
}

int iommu_cmd_domains(int argc, char **argv)
{
	struct iommu_domain *d;
	unsigned shown = 0;

	(void)argv;
	if (argc != 1) {
		console_error("domains takes no arguments");
		return -HV_EINVAL;
	}
	for (unsigned i = 0; iommu_domain_get(i, &d); i++) {
		int ids[8];
		unsigned n;

		if (!d)
			continue;
		n = iommu_domain_groups(d, ids, ARRAY_SIZE(ids));
		console_printf("domain %d: owner %s, groups", d->id, d->owner);
		for (unsigned k = 0; k < MIN(n, ARRAY_SIZE(ids)); k++)
			console_printf(" %d", ids[k]);
		console_printf("%s, pasids %u, ", n ? "" : " none", d->npasids);
		iommu_drv_print_domain(d);
		shown++;
	}
	if (!shown)
		console_printf("no domains\n");
	return 0;
}

int iommu_cmd_faults(int argc, char **argv)
{
	iommu_poll_faults();
	return fault_ring_cmd(&iommu_fault_ring, argc, argv);
}
