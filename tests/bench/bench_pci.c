// SPDX-License-Identifier: MIT
/*
 * Enumeration time per function on a synthetic machine: 40 root ports on
 * bus 0 (5 multi-function slots x 8), each leading to a bus full of
 * endpoints (32 devices x 8 functions) with a realistic set of
 * capabilities and BARs: 10,280 functions. The fake config space answers
 * in nanoseconds, so the figure is the software cost of the walk, not the
 * cost of real ECAM reads (about a microsecond each on hardware).
 */
#include <stdio.h>
#include <time.h>

#include "drivers/pci/cfg.h"
#include "drivers/pci/enum.h"
#include "drivers/pci/pci_regs.h"
#include "fakecfg.h"

#define BENCH_PORTS 40
#define BENCH_RUNS  5

static struct pci_dev bench_devs[BENCH_PORTS * 257];

static void bench_endpoint(pci_sbdf_t sbdf, bool mf)
{
	struct fake_fn *f = fake_add(sbdf, 0x8086, 0x10d3, 0x020000,
				     mf ? PCI_HEADER_TYPE_MFD : 0);

	fake_set_bar(f, 0, 0, 0x20000, 0xf0000000);
	fake_set_bar(f, 2, PCI_BASE_ADDRESS_MEM_TYPE_64 << 1, 0x4000,
		     0x800000000ull);
	fake_w16(f, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	fake_add_cap(f, 0x40, PCI_CAP_ID_PM);
	fake_add_cap(f, 0x50, PCI_CAP_ID_MSI);
	fake_add_cap(f, 0x70, PCI_CAP_ID_MSIX);
	fake_add_pcie(f, 0xa0, PCI_EXP_TYPE_ENDPOINT, PCI_EXP_DEVCAP_FLR);
	fake_add_ecap(f, 0x100, PCI_EXT_CAP_ID_ERR);
	fake_add_ecap(f, 0x148, PCI_EXT_CAP_ID_ACS);
	fake_add_ecap(f, 0x150, PCI_EXT_CAP_ID_ARI);
}

static void bench_build(void)
{
	for (unsigned p = 0; p < BENCH_PORTS; p++) {
		uint8_t bus = (uint8_t)(p + 1);
		struct fake_fn *rp;

		rp = fake_add_bridge(PCI_SBDF(0, 0, 1 + p / 8, p % 8), bus,
				     bus);
		fake_w8(rp, PCI_HEADER_TYPE,
			PCI_HEADER_TYPE_BRIDGE | PCI_HEADER_TYPE_MFD);
		fake_add_pcie(rp, 0x40, PCI_EXP_TYPE_ROOT_PORT, 0);
		for (unsigned dev = 0; dev < 32; dev++)
			for (unsigned fn = 0; fn < 8; fn++)
				bench_endpoint(PCI_SBDF(0, bus, dev, fn), true);
	}
}

static unsigned long long bench_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull +
	       (unsigned long long)ts.tv_nsec;
}

int main(void)
{
	struct pci_topology t = {bench_devs, 0, BENCH_PORTS * 257};
	unsigned long long best = ~0ull, t0, dt;
	unsigned long reads = 0;

	fake_reset();
	bench_build();
	fake_install();
	for (unsigned r = 0; r < BENCH_RUNS; r++) {
		unsigned long before = fake_reads();

		t0 = bench_ns();
		if (pci_enumerate(&t) != 0)
			return 1;
		dt = bench_ns() - t0;
		reads = fake_reads() - before;
		if (dt < best)
			best = dt;
	}
	printf("bench_pci: %u functions enumerated in %llu us (best of %d): %llu ns per function, %lu config reads per function\n",
	       t.count, best / 1000, BENCH_RUNS, best / t.count,
	       reads / t.count);
	return t.count == BENCH_PORTS * 257 ? 0 : 1;
}
