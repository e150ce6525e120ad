// SPDX-License-Identifier: MIT
/*
 * IOMMU group computation. The qemu_* tests rebuild the topologies of
 * tests/qemu/topologies/ and expect the groups Debian 12's Linux 6.1 gave
 * on them (the .groups files); the others cover each rule on its own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/pci/group.h"
#include "kernel/errno.h"
#include "stub_log.h"
#include "topo.h"

static struct topo *T;

static int setup(void **state)
{
	(void)state;
	stub_log_reset();
	stub_console_reset();
	T = topo_new(512);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	topo_free(T);
	T = NULL;
	return 0;
}

static const struct pci_group *grp(const char *name)
{
	const struct pci_group *g = pci_group_of(&T->tbl, topo_dev(T, name));

	assert_non_null(g);
	return g;
}

static void compute(const char *want)
{
	topo_finish(T);
	assert_int_equal(topo_groups(T), 0);
	assert_string_equal(topo_groups_str(T), want);
}

/* -nodefaults q35: host bridge and the ICH9 multi-function device. */
static void qemu_default(void **state)
{
	(void)state;
	topo_q35(T);
	compute("00:00.0 | 00:1f.0 00:1f.2 00:1f.3");
	assert_string_equal(grp("00:00.0")->reason,
			    "isolated (root bus device)");
	assert_string_equal(grp("00:1f.3")->reason,
			    "multi-function 0000:00:1f without ACS");
	assert_int_equal(topo_dev(T, "00:1f.2")->group, 1);
	assert_int_equal(T->tbl.ngroups, 2);
}

/* tests/qemu/topologies/rootports.args */
static void build_rootports(void)
{
	topo_q35(T);
	topo_bridge(T, "00:04.0", TOPO_ROOT_PORT, 1, 1);
	topo_add(T, "01:00.0", TOPO_EDU);
	topo_bridge(T, "00:05.0", TOPO_ROOT_PORT, 2, 2);
	topo_add(T, "02:00.0", TOPO_EDU);
	topo_bridge(T, "00:06.0", TOPO_ROOT_PORT, 3, 3);
	topo_add(T, "03:00.0", TOPO_EDU);
	topo_bridge(T, "00:07.0", TOPO_ROOT_PORT_NOACS, 4, 4);
	topo_add(T, "04:00.0", TOPO_EDU);
	topo_bridge(T, "00:08.0", TOPO_IOH3420, 5, 5);
	topo_add(T, "05:00.0", TOPO_EDU);
	topo_bridge(T, "00:09.0", TOPO_ROOT_PORT, 6, 6);
}

static void qemu_rootports(void **state)
{
	(void)state;
	build_rootports();
	compute("00:00.0 | 00:04.0 | 00:05.0 | 00:06.0 | 00:07.0 04:00.0 | "
		"00:08.0 05:00.0 | 00:09.0 | 00:1f.0 00:1f.2 00:1f.3 | "
		"01:00.0 | 02:00.0 | 03:00.0");
	assert_string_equal(grp("01:00.0")->reason,
			    "isolated (ACS on path to root)");
	assert_string_equal(grp("04:00.0")->reason, "no ACS on 0000:00:07.0");
	assert_string_equal(grp("00:08.0")->reason, "no ACS on 0000:00:08.0");
	/* The port's ACS Control was enabled as Linux does. */
	assert_int_equal(topo_dev(T, "00:04.0")->acs_ctrl, PCI_GROUP_REQ_ACS);
}

/* QEMU resets ACS Control to 0: unless it is enabled, nothing isolates. */
static void qemu_rootports_acs_not_enabled(void **state)
{
	(void)state;
	T->raw_acs = true;
	build_rootports();
	compute("00:00.0 | 00:04.0 01:00.0 | 00:05.0 02:00.0 | "
		"00:06.0 03:00.0 | 00:07.0 04:00.0 | 00:08.0 05:00.0 | "
		"00:09.0 | 00:1f.0 00:1f.2 00:1f.3");
}

/* tests/qemu/topologies/switch.args */
static void qemu_switch(void **state)
{
	(void)state;
	topo_q35(T);
	topo_bridge(T, "00:04.0", TOPO_ROOT_PORT, 1, 8);
	topo_bridge(T, "01:00.0", TOPO_X3130_UP, 2, 8);
	topo_bridge(T, "02:00.0", TOPO_XIO3130_DOWN, 3, 3);
	topo_add(T, "03:00.0", TOPO_EDU);
	topo_bridge(T, "02:01.0", TOPO_XIO3130_DOWN, 4, 4);
	topo_add(T, "04:00.0", TOPO_EDU);
	topo_bridge(T, "02:02.0", TOPO_XIO3130_DOWN, 5, 7);
	topo_bridge(T, "05:00.0", TOPO_X3130_UP, 6, 7);
	topo_bridge(T, "06:00.0", TOPO_XIO3130_DOWN, 7, 7);
	topo_add(T, "07:00.0", TOPO_EDU);
	topo_bridge(T, "02:03.0", TOPO_XIO3130_DOWN, 8, 8);
	compute("00:00.0 | 00:04.0 | 00:1f.0 00:1f.2 00:1f.3 | 01:00.0 | "
		"02:00.0 03:00.0 | 02:01.0 04:00.0 | "
		"02:02.0 05:00.0 06:00.0 07:00.0 | 02:03.0");
	assert_string_equal(grp("01:00.0")->reason,
			    "isolated (ACS on path to root)");
	assert_string_equal(grp("03:00.0")->reason, "no ACS on 0000:02:00.0");
	assert_string_equal(grp("07:00.0")->reason, "no ACS on 0000:02:02.0");
}

/* tests/qemu/topologies/pcibridge.args */
static void qemu_pcibridge(void **state)
{
	uint16_t rid[4];

	(void)state;
	topo_q35(T);
	topo_bridge(T, "00:04.0", TOPO_PCIE_PCI_BRIDGE, 1, 1);
	topo_add(T, "01:01.0", TOPO_EDU);
	topo_add(T, "01:02.0", TOPO_EDU);
	topo_add(T, "01:03.0", TOPO_EDU);
	topo_bridge(T, "00:05.0", TOPO_ROOT_PORT, 2, 3);
	topo_bridge(T, "02:00.0", TOPO_PCI_BRIDGE, 3, 3);
	topo_add(T, "03:01.0", TOPO_EDU);
	topo_add(T, "03:02.0", TOPO_EDU);
	topo_bridge(T, "00:06.0", TOPO_I82801B11, 4, 5);
	topo_add(T, "04:01.0", TOPO_EDU);
	topo_bridge(T, "04:02.0", TOPO_PCI_BRIDGE, 5, 5);
	topo_add(T, "05:01.0", TOPO_EDU);
	compute("00:00.0 | 00:04.0 01:01.0 01:02.0 01:03.0 | 00:05.0 | "
		"00:06.0 04:01.0 04:02.0 05:01.0 | 00:1f.0 00:1f.2 00:1f.3 | "
		"02:00.0 03:01.0 03:02.0");
	assert_string_equal(grp("01:02.0")->reason,
			    "alias via PCIe-to-PCI bridge 0000:00:04.0");
	assert_string_equal(grp("05:01.0")->reason,
			    "conventional PCI bus 04 behind 0000:00:06.0");
	assert_string_equal(grp("03:01.0")->reason,
			    "conventional PCI bus 03 behind 0000:02:00.0");

	/* PCIe-to-PCI bridge: secondary bus, devfn 0. */
	assert_int_equal(pci_dma_alias_rids(topo_dev(T, "01:01.0"), rid, 4), 2);
	assert_int_equal(rid[0], 0x0108);
	assert_int_equal(rid[1], 0x0100);
	/* Conventional bridges: their own requester IDs, nearest first. */
	assert_int_equal(pci_dma_alias_rids(topo_dev(T, "05:01.0"), rid, 4), 3);
	assert_int_equal(rid[0], 0x0508);
	assert_int_equal(rid[1], 0x0410);
	assert_int_equal(rid[2], 0x0030);
	/* Root ports pass requester IDs on unchanged. */
	assert_int_equal(pci_dma_alias_rids(topo_dev(T, "02:00.0"), rid, 4), 1);
	/* Only max written, the full count returned. */
	assert_int_equal(pci_dma_alias_rids(topo_dev(T, "05:01.0"), rid, 1), 3);
}

/* tests/qemu/topologies/multifunction.args */
static void qemu_multifunction(void **state)
{
	(void)state;
	topo_q35(T);
	topo_add(T, "00:04.0", TOPO_EDU);
	topo_add(T, "00:04.1", TOPO_EDU);
	topo_add(T, "00:04.2", TOPO_EDU);
	topo_add(T, "00:04.3", TOPO_EDU);
	topo_bridge(T, "00:05.0", TOPO_ROOT_PORT, 1, 1);
	topo_add(T, "01:00.0", TOPO_EDU);
	topo_add(T, "01:00.1", TOPO_EDU);
	topo_add(T, "01:00.2", TOPO_EDU);
	topo_add(T, "01:00.3", TOPO_EDU);
	topo_add(T, "00:06.0", TOPO_EDU);
	topo_add(T, "00:06.5", TOPO_EDU);
	topo_bridge(T, "00:07.0", TOPO_ROOT_PORT, 2, 2);
	topo_bridge(T, "00:07.1", TOPO_ROOT_PORT, 3, 3);
	topo_bridge(T, "00:07.2", TOPO_ROOT_PORT, 4, 4);
	topo_add(T, "02:00.0", TOPO_EDU);
	topo_add(T, "03:00.0", TOPO_EDU);
	compute("00:00.0 | 00:04.0 00:04.1 00:04.2 00:04.3 | 00:05.0 | "
		"00:06.0 00:06.5 | 00:07.0 | 00:07.1 | 00:07.2 | "
		"00:1f.0 00:1f.2 00:1f.3 | 01:00.0 01:00.1 01:00.2 01:00.3 | "
		"02:00.0 | 03:00.0");
	assert_string_equal(grp("00:06.5")->reason,
			    "multi-function 0000:00:06 without ACS");
	assert_string_equal(grp("01:00.2")->reason,
			    "multi-function 0000:01:00 without ACS");
}

/* tests/qemu/topologies/mixed.args */
static void qemu_mixed(void **state)
{
	(void)state;
	topo_q35(T);
	topo_add(T, "00:03.0", TOPO_EDU);
	topo_add(T, "00:04.0", TOPO_EDU);
	topo_add(T, "00:05.0", TOPO_E1000E);
	topo_bridge(T, "00:06.0", TOPO_ROOT_PORT, 1, 1);
	topo_add(T, "01:00.0", TOPO_E1000E);
	topo_bridge(T, "00:07.0", TOPO_ROOT_PORT, 2, 6);
	topo_bridge(T, "02:00.0", TOPO_X3130_UP, 3, 6);
	topo_bridge(T, "03:00.0", TOPO_XIO3130_DOWN, 4, 5);
	topo_bridge(T, "04:00.0", TOPO_PCIE_PCI_BRIDGE, 5, 5);
	topo_add(T, "05:01.0", TOPO_EDU);
	topo_add(T, "05:02.0", TOPO_EDU);
	topo_bridge(T, "03:01.0", TOPO_XIO3130_DOWN, 6, 6);
	topo_add(T, "06:00.0", TOPO_EDU);
	topo_add(T, "06:00.1", TOPO_EDU);
	topo_bridge(T, "00:08.0", TOPO_ROOT_PORT_NOACS, 7, 9);
	topo_bridge(T, "07:00.0", TOPO_X3130_UP, 8, 9);
	topo_bridge(T, "08:00.0", TOPO_XIO3130_DOWN, 9, 9);
	topo_add(T, "09:00.0", TOPO_EDU);
	topo_bridge(T, "00:09.0", TOPO_PCI_BRIDGE, 10, 10);
	topo_add(T, "0a:01.0", TOPO_E1000);
	topo_add(T, "0a:02.0", TOPO_EDU);
	compute("00:00.0 | 00:03.0 | 00:04.0 | 00:05.0 | 00:06.0 | 00:07.0 | "
		"00:08.0 07:00.0 08:00.0 09:00.0 | 00:09.0 0a:01.0 0a:02.0 | "
		"00:1f.0 00:1f.2 00:1f.3 | 01:00.0 | 02:00.0 | "
		"03:00.0 04:00.0 05:01.0 05:02.0 | 03:01.0 06:00.0 06:00.1");
	assert_int_equal(topo_dev(T, "00:05.0")->pcie_type,
			 PCI_EXP_TYPE_RC_END);
	/* The highest point where isolation is lost names the group. */
	assert_string_equal(grp("05:02.0")->reason, "no ACS on 0000:03:00.0");
	assert_string_equal(grp("06:00.1")->reason, "no ACS on 0000:03:01.0");
	assert_string_equal(grp("09:00.0")->reason, "no ACS on 0000:00:08.0");
}

/* Multi-function root ports whose ACS is off merge, with all below. */
static void multifunction_ports_without_acs(void **state)
{
	(void)state;
	topo_q35(T);
	topo_bridge(T, "00:1c.0", TOPO_IOH3420, 1, 1);
	topo_bridge(T, "00:1c.1", TOPO_IOH3420, 2, 2);
	topo_add(T, "01:00.0", TOPO_VIRTIO_NET);
	topo_add(T, "02:00.0", TOPO_EDU);
	topo_bridge(T, "00:1d.0", TOPO_ROOT_PORT, 3, 3);
	topo_bridge(T, "00:1d.1", TOPO_ROOT_PORT, 4, 4);
	topo_acs(topo_add(T, "03:00.0", TOPO_VIRTIO_NET), 0, 0);
	compute("00:00.0 | 00:1c.0 00:1c.1 01:00.0 02:00.0 | 00:1d.0 | "
		"00:1d.1 | 00:1f.0 00:1f.2 00:1f.3 | 03:00.0");
	/* Both reasons hold at the same height: the slot is named. */
	assert_string_equal(grp("02:00.0")->reason,
			    "multi-function 0000:00:1c without ACS");
}

/* Functions of one PCIe device: only those without ACS share. */
static void multifunction_endpoint_acs(void **state)
{
	(void)state;
	T->raw_acs = true; /* ACS Control exactly as given below */
	topo_q35(T);
	topo_bridge(T, "00:02.0", TOPO_ROOT_PORT, 1, 1)->acs_ctrl =
		PCI_GROUP_REQ_ACS;
	topo_add(T, "01:00.0", TOPO_VIRTIO_NET);
	topo_add(T, "01:00.1", TOPO_VIRTIO_NET);
	/* Has RR and CR, both enabled: the missing SV/UF count as on. */
	topo_acs(topo_add(T, "01:00.2", TOPO_VIRTIO_NET),
		 PCI_ACS_RR | PCI_ACS_CR, PCI_ACS_RR | PCI_ACS_CR);
	/* Has RR and CR, CR left off: not isolated. */
	topo_acs(topo_add(T, "01:00.3", TOPO_VIRTIO_NET),
		 PCI_ACS_RR | PCI_ACS_CR, PCI_ACS_RR);
	compute("00:00.0 | 00:02.0 | 00:1f.0 00:1f.2 00:1f.3 | "
		"01:00.0 01:00.1 01:00.3 | 01:00.2");
	assert_string_equal(grp("01:00.3")->reason,
			    "multi-function 0000:01:00 without ACS");
	/* With the port's ACS off, even 01:00.2 joins the port. */
	topo_dev(T, "00:02.0")->acs_ctrl = 0;
	assert_int_equal(topo_groups(T), 0);
	assert_string_equal(
		topo_groups_str(T),
		"00:00.0 | 00:02.0 01:00.0 01:00.1 01:00.2 01:00.3 | "
		"00:1f.0 00:1f.2 00:1f.3");
}

/* Intel RCiEPs are isolated by quirk; other RCiEPs follow ACS. */
static void rciep_rules(void **state)
{
	(void)state;
	topo_q35(T);
	topo_add(T, "00:0a.0", TOPO_E1000E);
	topo_add(T, "00:0a.1", TOPO_E1000E);
	topo_add(T, "00:0b.0", TOPO_VIRTIO_NET);
	topo_add(T, "00:0b.1", TOPO_VIRTIO_NET);
	topo_add(T, "00:0c.0", TOPO_VIRTIO_NET);
	topo_add(T, "00:0d.0", TOPO_E1000);
	topo_add(T, "00:0d.1", TOPO_E1000);
	compute("00:00.0 | 00:0a.0 | 00:0a.1 | 00:0b.0 00:0b.1 | 00:0c.0 | "
		"00:0d.0 00:0d.1 | 00:1f.0 00:1f.2 00:1f.3");
}

/* Devices their vendor declares free of peer-to-peer (82576 here). */
static void multifunction_vendor_quirk(void **state)
{
	(void)state;
	topo_q35(T);
	topo_bridge(T, "00:02.0", TOPO_ROOT_PORT, 1, 1);
	topo_add(T, "01:00.0", TOPO_E1000E)->device = 0x10c9;
	topo_add(T, "01:00.1", TOPO_E1000E)->device = 0x10c9;
	topo_bridge(T, "00:03.0", TOPO_ROOT_PORT, 2, 2);
	topo_add(T, "02:00.0", TOPO_E1000E);
	topo_add(T, "02:00.1", TOPO_E1000E);
	compute("00:00.0 | 00:02.0 | 00:03.0 | 00:1f.0 00:1f.2 00:1f.3 | "
		"01:00.0 | 01:00.1 | 02:00.0 02:00.1");
}

/* An 82801 bridge behind a PCIe port aliases like a PCIe-to-PCI bridge. */
static void hidden_pcie_bridge_quirk(void **state)
{
	uint16_t rid[4];

	(void)state;
	topo_q35(T);
	topo_bridge(T, "00:07.0", TOPO_ROOT_PORT, 0x0d, 0x0e);
	topo_bridge(T, "0d:00.0", TOPO_I82801B11, 0x0e, 0x0e);
	topo_add(T, "0e:01.0", TOPO_EDU);
	topo_bridge(T, "00:08.0", TOPO_ROOT_PORT, 0x10, 0x11);
	topo_bridge(T, "10:00.0", TOPO_PCI_BRIDGE, 0x11, 0x11);
	topo_add(T, "11:01.0", TOPO_EDU);
	compute("00:00.0 | 00:07.0 | 00:08.0 | 00:1f.0 00:1f.2 00:1f.3 | "
		"0d:00.0 0e:01.0 | 10:00.0 11:01.0");
	assert_string_equal(grp("0e:01.0")->reason,
			    "alias via PCIe-to-PCI bridge 0000:0d:00.0");
	assert_string_equal(grp("11:01.0")->reason,
			    "conventional PCI bus 11 behind 0000:10:00.0");
	assert_int_equal(pci_dma_alias_rids(topo_dev(T, "0e:01.0"), rid, 4), 2);
	assert_int_equal(rid[1], 0x0e00);
	assert_int_equal(pci_dma_alias_rids(topo_dev(T, "11:01.0"), rid, 4), 2);
	assert_int_equal(rid[1], 0x1000);
}

/* A switch with ACS on one downstream port: the boundary is per port. */
static void switch_partial_acs(void **state)
{
	(void)state;
	topo_q35(T);
	topo_bridge(T, "00:04.0", TOPO_ROOT_PORT, 1, 5);
	topo_bridge(T, "01:00.0", TOPO_X3130_UP, 2, 5);
	topo_acs(topo_bridge(T, "02:00.0", TOPO_XIO3130_DOWN, 3, 3),
		 TOPO_PORT_ACS_CAP, 0);
	topo_add(T, "03:00.0", TOPO_VIRTIO_NET);
	topo_bridge(T, "02:01.0", TOPO_XIO3130_DOWN, 4, 5);
	topo_bridge(T, "04:00.0", TOPO_PCIE_PCI_BRIDGE, 5, 5);
	topo_add(T, "05:01.0", TOPO_EDU);
	compute("00:00.0 | 00:04.0 | 00:1f.0 00:1f.2 00:1f.3 | 01:00.0 | "
		"02:00.0 | 02:01.0 04:00.0 05:01.0 | 03:00.0");
	assert_string_equal(grp("05:01.0")->reason, "no ACS on 0000:02:01.0");
}

/* A root port without ACS takes a PCIe-to-PCI bridge and all below. */
static void pcie_pci_bridge_below_port_without_acs(void **state)
{
	(void)state;
	topo_q35(T);
	topo_bridge(T, "00:1c.0", TOPO_IOH3420, 1, 2);
	topo_bridge(T, "01:00.0", TOPO_PCIE_PCI_BRIDGE, 2, 2);
	topo_add(T, "02:01.0", TOPO_EDU);
	topo_add(T, "02:02.0", TOPO_EDU);
	compute("00:00.0 | 00:1c.0 01:00.0 02:01.0 02:02.0 | "
		"00:1f.0 00:1f.2 00:1f.3");
	assert_string_equal(grp("02:02.0")->reason, "no ACS on 0000:00:1c.0");
}

/* Linux's pci_acs_enabled() rules, function by function. */
static void acs_enabled_rules(void **state)
{
	struct pci_dev d = {0};

	(void)state;
	assert_false(pci_group_acs_enabled(&d)); /* conventional */
	d.cap_pcie = 0x40;
	d.pcie_type = PCI_EXP_TYPE_ENDPOINT;
	assert_true(pci_group_acs_enabled(&d)); /* single function */
	d.multifunction = true;
	assert_false(pci_group_acs_enabled(&d));
	topo_acs(&d, PCI_ACS_RR | PCI_ACS_CR, PCI_ACS_RR | PCI_ACS_CR);
	assert_true(pci_group_acs_enabled(&d));
	d.multifunction = false;
	d.ecap_acs = 0;
	d.pcie_type = PCI_EXP_TYPE_ROOT_PORT;
	assert_false(pci_group_acs_enabled(&d)); /* ports need ACS */
	topo_acs(&d, TOPO_PORT_ACS_CAP, PCI_GROUP_REQ_ACS);
	assert_true(pci_group_acs_enabled(&d));
	d.acs_ctrl = PCI_GROUP_REQ_ACS & ~PCI_ACS_UF;
	assert_false(pci_group_acs_enabled(&d));
	d.pcie_type = PCI_EXP_TYPE_DOWNSTREAM;
	assert_false(pci_group_acs_enabled(&d));
	d.acs_ctrl = PCI_GROUP_REQ_ACS;
	assert_true(pci_group_acs_enabled(&d));
	d.pcie_type = PCI_EXP_TYPE_PCI_BRIDGE; /* never, even with ACS */
	assert_false(pci_group_acs_enabled(&d));
	d.pcie_type = PCI_EXP_TYPE_RC_EC;
	assert_false(pci_group_acs_enabled(&d));
	d.pcie_type = PCI_EXP_TYPE_UPSTREAM;
	d.ecap_acs = 0;
	assert_true(pci_group_acs_enabled(&d));
	d.pcie_type = PCI_EXP_TYPE_RC_END;
	d.multifunction = true;
	d.vendor = 0x1af4;
	assert_false(pci_group_acs_enabled(&d));
	d.vendor = 0x8086; /* Intel RCiEP quirk */
	assert_true(pci_group_acs_enabled(&d));
}

static void acs_enable_value(void **state)
{
	struct pci_dev d = {0};

	(void)state;
	d.acs_ctrl = 0x20;
	assert_int_equal(pci_acs_enable_value(&d), 0x20); /* no capability */
	topo_acs(&d, TOPO_PORT_ACS_CAP, 0);
	assert_int_equal(pci_acs_enable_value(&d), PCI_GROUP_REQ_ACS);
	topo_acs(&d, PCI_ACS_SV | PCI_ACS_TB | PCI_ACS_EC, PCI_ACS_EC);
	assert_int_equal(pci_acs_enable_value(&d), PCI_ACS_SV | PCI_ACS_EC);
}

static void console_listing(void **state)
{
	(void)state;
	topo_q35(T);
	topo_drhd(T, 0xfed90000, 0, true);
	compute("00:00.0 | 00:1f.0 00:1f.2 00:1f.3");
	stub_console_reset();
	pci_cmd_groups(&T->tbl, false);
	assert_string_equal(
		stub_console_text(),
		"group 0: 0000:00:00.0\n"
		"group 1: 0000:00:1f.0 0000:00:1f.2 0000:00:1f.3\n");
	stub_console_reset();
	pci_cmd_groups(&T->tbl, true);
	assert_string_equal(stub_console_text(),
			    "group 0: 0000:00:00.0\n"
			    "  reason: isolated (root bus device)\n"
			    "  unit: 0 (dmar drhd at 0xfed90000)\n"
			    "group 1: 0000:00:1f.0 0000:00:1f.2 0000:00:1f.3\n"
			    "  reason: multi-function 0000:00:1f without ACS\n"
			    "  unit: 0 (dmar drhd at 0xfed90000)\n");
}

static void console_no_groups(void **state)
{
	struct pci_group_table empty;

	(void)state;
	pci_group_table_init(&empty, NULL, NULL, NULL, 0);
	assert_null(pci_group_of(&empty, &T->t.dev[0]));
	pci_cmd_groups(&empty, true);
	assert_string_equal(stub_console_text(), "no groups\n");
}

/* Segment numbers are printed, and only functions of a bus are peers. */
static void other_segment(void **state)
{
	(void)state;
	topo_q35(T);
	topo_add(T, "0001:00:1f.0", TOPO_EDU);
	topo_add(T, "0001:00:1f.1", TOPO_EDU);
	topo_add(T, "0001:01:1f.2", TOPO_EDU);
	compute("00:00.0 | 00:1f.0 00:1f.2 00:1f.3 | "
		"0001:00:1f.0 0001:00:1f.1 | 0001:01:1f.2");
	pci_cmd_groups(&T->tbl, false);
	assert_non_null(strstr(stub_console_text(),
			       "group 2: 0001:00:1f.0 0001:00:1f.1\n"));
}

static void expect_rejected(int err, const char *log)
{
	assert_int_equal(topo_groups(T), err);
	assert_int_equal(T->tbl.ngroups, 0);
	for (unsigned i = 0; i < T->t.count; i++)
		assert_int_equal(T->t.dev[i].group, -1);
	assert_true(stub_log_contains(log));
}

static void table_too_small(void **state)
{
	(void)state;
	topo_q35(T);
	topo_finish(T);
	assert_int_equal(topo_groups(T), 0);
	T->tbl.capacity = 3;
	expect_rejected(-HV_ENOMEM, "PCI: 4 functions, group table holds 3");
}

static void unsorted_topology(void **state)
{
	struct pci_dev tmp;

	(void)state;
	topo_q35(T);
	topo_finish(T);
	tmp = T->t.dev[1];
	T->t.dev[1] = T->t.dev[2];
	T->t.dev[2] = tmp;
	expect_rejected(-HV_EINVAL,
			"PCI: functions not sorted at 0000:00:1f.0");
}

static void bad_parent_links(void **state)
{
	struct pci_dev outside = {.header_type = PCI_HEADER_TYPE_BRIDGE};

	(void)state;
	topo_q35(T);
	topo_bridge(T, "00:1c.0", TOPO_IOH3420, 1, 2);
	topo_bridge(T, "01:00.0", TOPO_PCIE_PCI_BRIDGE, 2, 2);
	topo_add(T, "02:00.0", TOPO_EDU);
	topo_finish(T);
	/* A cycle between two bridges. */
	topo_dev(T, "00:1c.0")->parent = topo_dev(T, "01:00.0");
	expect_rejected(-HV_EINVAL, "parent cycle");
	topo_dev(T, "00:1c.0")->parent = NULL;
	assert_int_equal(topo_groups(T), 0);
	/* A parent that is not a bridge. */
	topo_dev(T, "02:00.0")->parent = topo_dev(T, "00:1f.0");
	expect_rejected(-HV_EINVAL, "PCI 0000:02:00.0: bad parent link");
	/* A parent outside the topology. */
	topo_dev(T, "02:00.0")->parent = &outside;
	expect_rejected(-HV_EINVAL, "PCI 0000:02:00.0: bad parent link");
	/* A parent pointer into the middle of an entry. */
	topo_dev(T, "02:00.0")->parent =
		(struct pci_dev *)((char *)topo_dev(T, "01:00.0") + 8);
	stub_log_reset();
	expect_rejected(-HV_EINVAL, "PCI 0000:02:00.0: bad parent link");
}

/* 300 bridges in a chain exceed the depth limit; 200 do not. */
static void depth_limit(void **state)
{
	char name[16];

	(void)state;
	for (unsigned i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "%02x:%02x.0", i / 32 + 1, i % 32);
		topo_add(T, name, TOPO_EDU);
	}
	topo_finish(T);
	for (unsigned i = 0; i < 300; i++)
		T->t.dev[i].header_type = PCI_HEADER_TYPE_BRIDGE;
	for (unsigned i = 1; i < 200; i++)
		T->t.dev[i].parent = &T->t.dev[i - 1];
	assert_int_equal(topo_groups(T), 0);
	assert_int_equal(T->tbl.ngroups, 101);
	assert_string_equal(T->tbl.group[0].reason,
			    "conventional PCI bus 00 behind 0000:01:00.0");
	for (unsigned i = 200; i < 300; i++)
		T->t.dev[i].parent = &T->t.dev[i - 1];
	expect_rejected(-HV_EINVAL, "more than 256 bridges above");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(qemu_default, setup, teardown),
		cmocka_unit_test_setup_teardown(qemu_rootports, setup,
						teardown),
		cmocka_unit_test_setup_teardown(qemu_rootports_acs_not_enabled,
						setup, teardown),
		cmocka_unit_test_setup_teardown(qemu_switch, setup, teardown),
		cmocka_unit_test_setup_teardown(qemu_pcibridge, setup,
						teardown),
		cmocka_unit_test_setup_teardown(qemu_multifunction, setup,
						teardown),
		cmocka_unit_test_setup_teardown(qemu_mixed, setup, teardown),
		cmocka_unit_test_setup_teardown(multifunction_ports_without_acs,
						setup, teardown),
		cmocka_unit_test_setup_teardown(multifunction_endpoint_acs,
						setup, teardown),
		cmocka_unit_test_setup_teardown(rciep_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(multifunction_vendor_quirk,
						setup, teardown),
		cmocka_unit_test_setup_teardown(hidden_pcie_bridge_quirk, setup,
						teardown),
		cmocka_unit_test_setup_teardown(switch_partial_acs, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			pcie_pci_bridge_below_port_without_acs, setup,
			teardown),
		cmocka_unit_test_setup_teardown(acs_enabled_rules, setup,
						teardown),
		cmocka_unit_test_setup_teardown(acs_enable_value, setup,
						teardown),
		cmocka_unit_test_setup_teardown(console_listing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(console_no_groups, setup,
						teardown),
		cmocka_unit_test_setup_teardown(other_segment, setup, teardown),
		cmocka_unit_test_setup_teardown(table_too_small, setup,
						teardown),
		cmocka_unit_test_setup_teardown(unsorted_topology, setup,
						teardown),
		cmocka_unit_test_setup_teardown(bad_parent_links, setup,
						teardown),
		cmocka_unit_test_setup_teardown(depth_limit, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
