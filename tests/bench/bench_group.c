// SPDX-License-Identifier: MIT
/*
 * Group computation time per function on a synthetic machine of 10,000
 * functions over 8 segments: per segment 21 root ports (every other
 * one without ACS), each with a switch of 8 downstream ports (every other
 * one with ACS), each leading to an 8-function endpoint without ACS or,
 * one port in four, to a PCIe-to-PCI bridge with 4 conventional devices.
 * Each segment has an INCLUDE_PCI_ALL unit and a unit whose bridge scope
 * takes its first root port, so the unit lookup is measured too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "drivers/pci/group.h"
#include "topo.h"

#define BENCH_FUNCS	 10000
#define BENCH_RUNS	 20
#define BENCH_PORTS	 21 /* root ports per segment */
#define BENCH_PORT_BUSES 12 /* buses below each root port */

static void bench_name(char *buf, size_t size, unsigned seg, unsigned bus,
		       unsigned dev, unsigned fn)
{
	snprintf(buf, size, "%04x:%02x:%02x.%x", seg, bus, dev, fn);
}

/* One root port and everything below it, from bus `bus` on. */
static void bench_port(struct topo *T, unsigned seg, unsigned slot,
		       unsigned bus)
{
	char n[20];

	bench_name(n, sizeof(n), seg, 0, slot, 0);
	topo_bridge(T, n, slot % 2 ? TOPO_IOH3420 : TOPO_ROOT_PORT, bus,
		    bus + BENCH_PORT_BUSES - 1);
	bench_name(n, sizeof(n), seg, bus, 0, 0);
	topo_bridge(T, n, TOPO_X3130_UP, bus + 1, bus + BENCH_PORT_BUSES - 1);
	for (unsigned p = 0; p < 8 && T->t.count < BENCH_FUNCS; p++) {
		unsigned sec = bus + 2 + p, pci = bus + 10 + p / 4;
		bool bridge = p % 4 == 3;
		struct pci_dev *d;

		bench_name(n, sizeof(n), seg, bus + 1, p, 0);
		d = topo_bridge(T, n, TOPO_XIO3130_DOWN, sec,
				bridge ? pci : sec);
		if (p % 2)
			topo_acs(d, TOPO_PORT_ACS_CAP, 0);
		if (bridge) {
			bench_name(n, sizeof(n), seg, sec, 0, 0);
			topo_bridge(T, n, TOPO_PCIE_PCI_BRIDGE, pci, pci);
			continue;
		}
		for (unsigned f = 0; f < 8 && T->t.count < BENCH_FUNCS; f++) {
			bench_name(n, sizeof(n), seg, sec, 0, f);
			topo_add(T, n, TOPO_VIRTIO_NET);
		}
	}
}

static struct topo *bench_build(void)
{
	struct topo *T = topo_new(BENCH_FUNCS);
	unsigned seg = 0;

	topo_q35(T);
	while (T->t.count + 64 <= BENCH_FUNCS) {
		int u = topo_drhd(T, 0xfed90000 + seg * 0x2000, (uint16_t)seg,
				  true);

		u = topo_drhd(T, 0xfed91000 + seg * 0x2000, (uint16_t)seg,
			      false);
		topo_scope(&T->dmar.drhd[u].scopes, ACPI_DMAR_SCOPE_BRIDGE, 0,
			   "01.0");
		for (unsigned slot = 1; slot <= BENCH_PORTS; slot++) {
			if (T->t.count + 64 > BENCH_FUNCS)
				break;
			bench_port(T, seg, slot,
				   1 + (slot - 1) * BENCH_PORT_BUSES);
		}
		seg++;
	}
	/* Conventional devices behind the PCIe-to-PCI bridges, to fill up. */
	for (unsigned i = 0, n = T->t.count; i < n && T->t.count < BENCH_FUNCS;
	     i++) {
		struct pci_dev *b = &T->t.dev[i];
		char name[20];

		if (b->pcie_type != PCI_EXP_TYPE_PCI_BRIDGE || !b->cap_pcie)
			continue;
		for (unsigned d = 1; d <= 4 && T->t.count < BENCH_FUNCS; d++) {
			bench_name(name, sizeof(name), PCI_SBDF_SEG(b->sbdf),
				   b->secondary_bus, d, 0);
			topo_add(T, name, TOPO_EDU);
		}
	}
	topo_finish(T);
	return T;
}

static uint64_t bench_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int main(void)
{
	struct topo *T = bench_build();
	uint64_t best = UINT64_MAX, total = 0;
	unsigned spans = 0;

	for (unsigned r = 0; r < BENCH_RUNS; r++) {
		uint64_t t0 = bench_ns(), dt;

		if (topo_groups(T) != 0) {
			fprintf(stderr, "bench_group: computation failed\n");
			return 1;
		}
		dt = bench_ns() - t0;
		total += dt;
		if (dt < best)
			best = dt;
	}
	for (unsigned g = 0; g < T->tbl.ngroups; g++)
		spans += T->tbl.group[g].spans_units;
	printf("bench_group: %u functions in %u segments, %u groups (%u span units)\n",
	       T->t.count, (unsigned)T->dmar.ndrhd / 2, T->tbl.ngroups, spans);
	printf("bench_group: best %.3f ms, mean %.3f ms over %u runs: %.1f ns per function\n",
	       best / 1e6, total / 1e6 / BENCH_RUNS, (unsigned)BENCH_RUNS,
	       (double)best / T->t.count);
	topo_free(T);
	return 0;
}
