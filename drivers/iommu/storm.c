// SPDX-License-Identifier: MIT
/*
 * `iommu storm BDF... [-n ROUNDS]`: a fault storm on purpose. Each edu's
 * group is attached to an empty domain and every device writes to an
 * unmapped IOVA at once, round after round: QEMU raises one fault per
 * 4-byte write (thousands per second) while the driver keeps polling. Shows
 * that the log is rate-limited, hardware overflow is counted and the
 * console comes back.
 */
#include "drivers/iommu/fault_ring.h"
#include "drivers/iommu/iommu.h"
#include "drivers/misc/edu.h"
#include "kernel/console/console.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/time.h"

#define STORM_MAX_DEVS 8
#define STORM_IOVA     0x300000ull /* nothing is mapped in the domain */
#define STORM_LEN      2048
#define STORM_WAIT_US  3000000

struct storm {
	struct edu edu[STORM_MAX_DEVS];
	const struct pci_group *group[STORM_MAX_DEVS];
	unsigned n, attached;
	struct iommu_domain *dom;
};

static int storm_attach(struct storm *s)
{
	s->dom = iommu_domain_alloc("storm");
	if (!s->dom)
		return -HV_ENOMEM;
	for (; s->attached < s->n; s->attached++) {
		unsigned i = s->attached;
		int rc = iommu_attach(s->group[i], s->dom);

		if (!rc)
			rc = iommu_dev_set_bus_master(s->edu[i].dev, true);
		if (rc)
			return rc;
	}
	return 0;
}

static void storm_detach(struct storm *s)
{
	for (unsigned i = 0; i < s->attached; i++)
		iommu_detach(s->group[i]);
	if (s->dom)
		iommu_domain_free(s->dom);
}

/* One round: every device starts, then poll until all are done. */
static int storm_round(struct storm *s)
{
	uint64_t t0 = time_us();
	bool busy = true;

	for (unsigned i = 0; i < s->n; i++)
		if (edu_dma_start(&s->edu[i], STORM_IOVA, 0, STORM_LEN, false))
			return -HV_EIO;
	while (busy) {
		iommu_poll_faults();
		busy = false;
		for (unsigned i = 0; i < s->n; i++)
			busy |= edu_busy(&s->edu[i]);
		if (time_us() - t0 > STORM_WAIT_US)
			return -HV_ETIMEDOUT;
	}
	iommu_poll_faults();
	return 0;
}

static int storm_parse(struct storm *s, int argc, char **argv, uint64_t *rounds)
{
	for (int i = 2; i < argc; i++) {
		pci_sbdf_t sbdf;
		struct pci_dev *d;

		if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
			if (!str_to_u64(argv[++i], rounds) || *rounds == 0 ||
			    *rounds > 1000)
				return -HV_EINVAL;
			continue;
		}
		if (s->n == STORM_MAX_DEVS || pci_sbdf_parse(argv[i], &sbdf))
			return -HV_EINVAL;
		d = pci_find(&pci_devices, sbdf);
		if (!d || edu_open(&s->edu[s->n], d))
			return -HV_ENODEV;
		s->group[s->n] = pci_group_of(&pci_groups, d);
		for (unsigned k = 0; k < s->n; k++)
			if (s->group[k] == s->group[s->n])
				return -HV_EINVAL; /* one device per group */
		if (!s->group[s->n] || iommu_group_domain(s->group[s->n]))
			return -HV_EBUSY;
		s->n++;
	}
	return s->n ? 0 : -HV_EINVAL;
}

int iommu_storm(int argc, char **argv)
{
	struct fault_ring before = iommu_fault_ring;
	uint64_t rounds = 10, t0;
	struct storm s;
	int rc;

	memset(&s, 0, sizeof(s));
	rc = storm_parse(&s, argc, argv, &rounds);
	if (rc) {
		console_error("usage: iommu storm BDF... [-n ROUNDS] (edu "
			      "devices in free groups, one per group): %s",
			      hv_strerror(rc));
		return rc;
	}
	t0 = time_us();
	rc = storm_attach(&s);
	for (uint64_t r = 0; rc == 0 && r < rounds; r++)
		rc = storm_round(&s);
	storm_detach(&s);
	if (rc) {
		console_error("storm stopped: %s", hv_strerror(rc));
		return rc;
	}
	console_printf(
		"storm: %llu rounds on %u device(s) in %llu ms: %llu "
		"faults read, %llu overflows, %llu not logged\n",
		(unsigned long long)rounds, s.n,
		(unsigned long long)(time_us() - t0) / 1000,
		(unsigned long long)(iommu_fault_ring.total - before.total),
		(unsigned long long)(iommu_fault_ring.overflow -
				     before.overflow),
		(unsigned long long)(iommu_fault_ring.not_logged -
				     before.not_logged));
	return 0;
}
