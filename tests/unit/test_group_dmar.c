// SPDX-License-Identifier: MIT
/*
 * Which DMAR unit covers each function (drivers/iommu/dmar_scope.c) and
 * how groups get their unit: endpoint and bridge scopes, several-hop
 * paths, INCLUDE_PCI_ALL, bad scopes, groups across two units, RMRRs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/iommu/dmar_scope.h"
#include "drivers/pci/group.h"
#include "kernel/errno.h"
#include "stub_log.h"
#include "topo.h"

#define EP     ACPI_DMAR_SCOPE_ENDPOINT
#define BRIDGE ACPI_DMAR_SCOPE_BRIDGE

static struct topo *T;

/*
 * q35 plus: an e1000e RCiEP at 00:02.0; a root port with ACS at 00:1c.0
 * leading to a switch (buses 1-3, endpoint 03:00.0); an ioh3420 without
 * ACS at 00:1d.0 with an endpoint at 04:00.0.
 */
static int setup(void **state)
{
	(void)state;
	stub_log_reset();
	stub_console_reset();
	T = topo_new(64);
	topo_q35(T);
	topo_add(T, "00:02.0", TOPO_E1000E);
	topo_bridge(T, "00:1c.0", TOPO_ROOT_PORT, 1, 3);
	topo_bridge(T, "01:00.0", TOPO_X3130_UP, 2, 3);
	topo_acs(topo_bridge(T, "02:00.0", TOPO_XIO3130_DOWN, 3, 3),
		 TOPO_PORT_ACS_CAP, 0);
	topo_add(T, "03:00.0", TOPO_VIRTIO_NET);
	topo_bridge(T, "00:1d.0", TOPO_IOH3420, 4, 4);
	topo_add(T, "04:00.0", TOPO_VIRTIO_NET);
	topo_finish(T);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	topo_free(T);
	T = NULL;
	return 0;
}

static int unit(const char *name)
{
	return topo_dev(T, name)->unit;
}

static const struct pci_group *grp(const char *name)
{
	return pci_group_of(&T->tbl, topo_dev(T, name));
}

static struct acpi_dmar_scopes *scopes(int drhd)
{
	return &T->dmar.drhd[drhd].scopes;
}

/* Units as a string "00:00.0=0 00:02.0=1 ..." (none: -). */
static const char *units(void)
{
	static char buf[1024];
	size_t len = 0;

	for (unsigned i = 0; i < T->t.count; i++) {
		const struct pci_dev *d = &T->t.dev[i];

		len += (size_t)snprintf(
			buf + len, sizeof(buf) - len,
			"%s%02x:%02x.%x=", i ? " " : "", PCI_SBDF_BUS(d->sbdf),
			PCI_SBDF_DEV(d->sbdf), PCI_SBDF_FN(d->sbdf));
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
					d->unit < 0 ? "-" : "%d", d->unit);
	}
	return buf;
}

/* dmar_drhd_for_dev() must agree with dmar_assign_units() everywhere. */
static void check_single_lookup(void)
{
	for (unsigned i = 0; i < T->t.count; i++)
		assert_int_equal(
			dmar_drhd_for_dev(&T->dmar, &T->t, &T->t.dev[i]),
			T->t.dev[i].unit);
}

static void include_all(void **state)
{
	(void)state;
	topo_drhd(T, 0xfed90000, 0, true);
	assert_int_equal(topo_groups(T), 0);
	assert_string_equal(units(), "00:00.0=0 00:02.0=0 00:1c.0=0 00:1d.0=0 "
				     "00:1f.0=0 00:1f.2=0 00:1f.3=0 01:00.0=0 "
				     "02:00.0=0 03:00.0=0 04:00.0=0");
	for (unsigned g = 0; g < T->tbl.ngroups; g++) {
		assert_int_equal(T->tbl.group[g].unit, 0);
		assert_false(T->tbl.group[g].spans_units);
	}
	check_single_lookup();
	assert_int_equal(stub_log_count(), 0);
}

/* An endpoint scope takes one function; the rest go to INCLUDE_PCI_ALL. */
static void endpoint_scope(void **state)
{
	(void)state;
	topo_drhd(T, 0xfed91000, 0, false);
	topo_scope(scopes(0), EP, 0, "02.0");
	topo_drhd(T, 0xfed90000, 0, true);
	assert_int_equal(topo_groups(T), 0);
	assert_string_equal(units(), "00:00.0=1 00:02.0=0 00:1c.0=1 00:1d.0=1 "
				     "00:1f.0=1 00:1f.2=1 00:1f.3=1 01:00.0=1 "
				     "02:00.0=1 03:00.0=1 04:00.0=1");
	assert_int_equal(grp("00:02.0")->unit, 0);
	check_single_lookup();
	pci_cmd_groups(&T->tbl, true);
	assert_non_null(strstr(stub_console_text(),
			       "group 1: 0000:00:02.0\n"
			       "  reason: isolated (root bus device)\n"
			       "  unit: 0 (dmar drhd at 0xfed91000)\n"));
}

/* A bridge scope covers the bridge and every bus below it. */
static void bridge_scope(void **state)
{
	(void)state;
	topo_drhd(T, 0xfed90000, 0, true);
	topo_drhd(T, 0xfed91000, 0, false);
	topo_scope(scopes(1), BRIDGE, 0, "1c.0");
	assert_int_equal(topo_groups(T), 0);
	assert_string_equal(units(), "00:00.0=0 00:02.0=0 00:1c.0=1 00:1d.0=0 "
				     "00:1f.0=0 00:1f.2=0 00:1f.3=0 01:00.0=1 "
				     "02:00.0=1 03:00.0=1 04:00.0=0");
	check_single_lookup();
}

/* A path of several hops goes through each bridge's secondary bus. */
static void multi_hop_path(void **state)
{
	(void)state;
	topo_drhd(T, 0xfed91000, 0, false);
	topo_scope(scopes(0), EP, 0, "1c.0/00.0/00.0/00.0");
	topo_drhd(T, 0xfed90000, 0, true);
	assert_int_equal(topo_groups(T), 0);
	assert_int_equal(unit("03:00.0"), 0);
	assert_int_equal(unit("02:00.0"), 1);
	assert_int_equal(unit("00:1c.0"), 1);
	assert_int_equal(dmar_scope_resolve(&T->t, 0, &scopes(0)->scope[0]),
			 (int)(topo_dev(T, "03:00.0") - T->t.dev));
	/* Below an ACS path the function is alone: no group conflict. */
	assert_false(grp("03:00.0")->spans_units);
	check_single_lookup();
	assert_int_equal(stub_log_count(), 0);
}

/* A group whose members sit behind two units is refused. */
static void group_spans_units(void **state)
{
	(void)state;
	topo_drhd(T, 0xfed91000, 0, false);
	topo_scope(scopes(0), EP, 0, "1d.0/00.0");
	topo_drhd(T, 0xfed90000, 0, true);
	assert_int_equal(topo_groups(T), 0);
	assert_string_equal(topo_groups_str(T),
			    "00:00.0 | 00:02.0 | 00:1c.0 | 00:1d.0 04:00.0 | "
			    "00:1f.0 00:1f.2 00:1f.3 | 01:00.0 | 02:00.0 | "
			    "03:00.0");
	assert_true(grp("04:00.0")->spans_units);
	assert_int_equal(grp("04:00.0")->unit, -1);
	assert_int_equal(grp("00:1d.0")->span[0], 0);
	assert_int_equal(grp("00:1d.0")->span[1], 1);
	assert_true(stub_log_contains("IOMMU: group 3 spans units 0 and 1"));
	assert_int_equal(stub_log_count(), 1);
	/* The other groups keep their unit. */
	assert_int_equal(grp("00:1c.0")->unit, 1);
	assert_false(grp("00:1c.0")->spans_units);
	pci_cmd_groups(&T->tbl, true);
	assert_non_null(strstr(
		stub_console_text(),
		"group 3: 0000:00:1d.0 0000:04:00.0\n"
		"  reason: no ACS on 0000:00:1d.0\n"
		"  unit: none (members behind units 0 and 1: refused)\n"));
}

/* Some members behind a unit, some behind none, while units exist. */
static void group_partly_uncovered(void **state)
{
	(void)state;
	topo_drhd(T, 0xfed91000, 0, false);
	topo_scope(scopes(0), EP, 0, "1d.0/00.0");
	assert_int_equal(topo_groups(T), 0);
	assert_int_equal(unit("00:1d.0"), -1);
	assert_int_equal(unit("04:00.0"), 0);
	assert_true(grp("04:00.0")->spans_units);
	assert_true(stub_log_contains("IOMMU: group 3 spans units 0 and none"));
	/* Wholly uncovered groups are not split, just unit-less. */
	assert_false(grp("00:00.0")->spans_units);
	assert_int_equal(grp("00:00.0")->unit, -1);
	pci_cmd_groups(&T->tbl, true);
	assert_non_null(strstr(stub_console_text(),
			       "group 0: 0000:00:00.0\n"
			       "  reason: isolated (root bus device)\n"
			       "  unit: none (no DRHD covers it)\n"));
	assert_non_null(strstr(
		stub_console_text(),
		"  unit: none (members behind units 0 and none: refused)\n"));
	check_single_lookup();
}

static void no_dmar(void **state)
{
	(void)state;
	assert_int_equal(topo_groups(T), 0);
	for (unsigned i = 0; i < T->t.count; i++)
		assert_int_equal(T->t.dev[i].unit, -1);
	for (unsigned g = 0; g < T->tbl.ngroups; g++)
		assert_false(T->tbl.group[g].spans_units);
	assert_int_equal(dmar_drhd_for_dev(NULL, &T->t, &T->t.dev[0]), -1);
	pci_cmd_groups(&T->tbl, true);
	assert_non_null(strstr(stub_console_text(),
			       "group 0: 0000:00:00.0\n"
			       "  reason: isolated (root bus device)\n"
			       "  unit: none (no DMAR table)\n"));
	assert_int_equal(stub_log_count(), 0);
}

/* Each kind of bad scope: logged once, ignored, the rest still works. */
static void bad_scopes(void **state)
{
	struct acpi_dmar_scopes *s;

	(void)state;
	topo_drhd(T, 0xfed91000, 0, false);
	s = scopes(0);
	topo_scope(s, EP, 5, "1f.0");	   /* nothing there */
	topo_scope(s, EP, 0, "1f.0/00.0"); /* LPC is no bridge */
	topo_scope(s, EP, 0, "1c.0");	   /* endpoint scope, bridge */
	topo_scope(s, BRIDGE, 0, "02.0");  /* bridge scope, endpoint */
	topo_scope(s, EP, 0, "");	   /* no hop */
	topo_scope(s, EP, 0, "2a.0");	   /* device 42 */
	topo_scope(s, ACPI_DMAR_SCOPE_IOAPIC, 0xf0, "1f.0"); /* not PCI */
	topo_scope(s, EP, 0, "1f.2");			     /* a good one */
	topo_drhd(T, 0xfed90000, 0, true);
	assert_int_equal(dmar_assign_units(&T->dmar, &T->t), 6);
	assert_true(stub_log_contains(
		"DMAR: DRHD 0 scope 0 (endpoint, start bus 05, 1 hops): no function at 0000:05:1f.0, ignored"));
	assert_true(stub_log_contains(
		"DMAR: DRHD 0 scope 1 (endpoint, start bus 00, 2 hops): path goes on below non-bridge 0000:00:1f.0, ignored"));
	assert_true(stub_log_contains(
		"DMAR: DRHD 0 scope 2 (endpoint, start bus 00, 1 hops): scope type does not match 0000:00:1c.0, ignored"));
	assert_true(stub_log_contains(
		"DMAR: DRHD 0 scope 3 (bridge, start bus 00, 1 hops): scope type does not match 0000:00:02.0, ignored"));
	assert_true(stub_log_contains(
		"DMAR: DRHD 0 scope 4 (endpoint, start bus 00, 0 hops): empty path, ignored"));
	assert_true(stub_log_contains(
		"DMAR: DRHD 0 scope 5 (endpoint, start bus 00, 1 hops): device or function number out of range, ignored"));
	assert_int_equal(stub_log_count(), 6);
	assert_string_equal(units(), "00:00.0=1 00:02.0=1 00:1c.0=1 00:1d.0=1 "
				     "00:1f.0=1 00:1f.2=0 00:1f.3=1 01:00.0=1 "
				     "02:00.0=1 03:00.0=1 04:00.0=1");
	check_single_lookup();
	assert_int_equal(dmar_scope_resolve(&T->t, 0, &s->scope[0]), -1);
	assert_int_equal(dmar_scope_resolve(&T->t, 0, &s->scope[6]), -1);
}

/* A path longer than the model keeps, and too many DRHDs. */
static void oversized_tables(void **state)
{
	(void)state;
	topo_drhd(T, 0xfed91000, 0, false);
	topo_scope(scopes(0), EP, 0, "02.0");
	scopes(0)->scope[0].path_len = ACPI_MAX_PATH + 1;
	topo_drhd(T, 0xfed90000, 0, true);
	T->dmar.ndrhd = ACPI_MAX_DRHD + 4;
	assert_int_equal(dmar_assign_units(&T->dmar, &T->t), 2);
	assert_true(
		stub_log_contains("DMAR: 20 DRHDs, only the first 16 used"));
	assert_true(stub_log_contains("path too long, ignored"));
	assert_int_equal(unit("00:02.0"), 1);
}

/* Scopes and INCLUDE_PCI_ALL only apply within their own segment. */
static void segments(void **state)
{
	(void)state;
	teardown(state);
	T = topo_new(16);
	topo_add(T, "00:00.0", TOPO_Q35_HOST);
	topo_add(T, "0001:00:00.0", TOPO_Q35_HOST);
	topo_add(T, "0001:00:02.0", TOPO_E1000E);
	topo_finish(T);
	topo_drhd(T, 0xfed91000, 1, false);
	topo_scope(scopes(0), EP, 0, "00.0"); /* 0001:00:00.0 only */
	topo_drhd(T, 0xfed90000, 1, true);
	assert_int_equal(topo_groups(T), 0);
	assert_int_equal(unit("00:00.0"), -1);
	assert_int_equal(unit("0001:00:00.0"), 0);
	assert_int_equal(unit("0001:00:02.0"), 1);
	check_single_lookup();
}

/* When two units claim a function, the first in the table has it. */
static void first_drhd_wins(void **state)
{
	(void)state;
	topo_drhd(T, 0xfed91000, 0, false);
	topo_scope(scopes(0), BRIDGE, 0, "1c.0/00.0");
	topo_drhd(T, 0xfed92000, 0, false);
	topo_scope(scopes(1), EP, 2, "00.0/00.0");
	topo_scope(scopes(1), EP, 0, "1c.0");
	assert_int_equal(dmar_assign_units(&T->dmar, &T->t), 1);
	assert_int_equal(unit("03:00.0"), 0);
	assert_int_equal(unit("01:00.0"), 0);
	assert_int_equal(unit("00:1c.0"), -1);
	check_single_lookup();
}

static void rmrr_devices(void **state)
{
	uint32_t out[16];
	int r0, r1;

	(void)state;
	topo_drhd(T, 0xfed90000, 0, true);
	r0 = topo_rmrr(T, 0, 0x7f000000, 0x7f0fffff);
	topo_scope(&T->dmar.rmrr[r0].scopes, EP, 0, "1f.2");
	topo_scope(&T->dmar.rmrr[r0].scopes, EP, 0, "02.0");
	r1 = topo_rmrr(T, 0, 0x7e000000, 0x7e0fffff);
	topo_scope(&T->dmar.rmrr[r1].scopes, BRIDGE, 0, "1c.0/00.0");
	topo_scope(&T->dmar.rmrr[r1].scopes, EP, 9, "00.0");

	assert_int_equal(
		dmar_rmrr_devices(&T->dmar, (unsigned)r0, &T->t, out, 16), 2);
	assert_int_equal(T->t.dev[out[0]].sbdf, topo_sbdf("00:02.0"));
	assert_int_equal(T->t.dev[out[1]].sbdf, topo_sbdf("00:1f.2"));

	/* Bridge scope: the bridge and everything on buses 2-3. */
	assert_int_equal(
		dmar_rmrr_devices(&T->dmar, (unsigned)r1, &T->t, out, 16), 3);
	assert_int_equal(T->t.dev[out[0]].sbdf, topo_sbdf("01:00.0"));
	assert_int_equal(T->t.dev[out[1]].sbdf, topo_sbdf("02:00.0"));
	assert_int_equal(T->t.dev[out[2]].sbdf, topo_sbdf("03:00.0"));
	assert_true(stub_log_contains(
		"DMAR: RMRR 1 scope 1 (endpoint, start bus 09, 1 hops): no function at 0000:09:00.0, ignored"));

	assert_int_equal(
		dmar_rmrr_devices(&T->dmar, (unsigned)r1, &T->t, out, 2),
		-HV_ENOMEM);
	assert_int_equal(dmar_rmrr_devices(&T->dmar, 2, &T->t, out, 16),
			 -HV_EINVAL);
	assert_int_equal(dmar_rmrr_devices(NULL, 0, &T->t, out, 16),
			 -HV_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(include_all, setup, teardown),
		cmocka_unit_test_setup_teardown(endpoint_scope, setup,
						teardown),
		cmocka_unit_test_setup_teardown(bridge_scope, setup, teardown),
		cmocka_unit_test_setup_teardown(multi_hop_path, setup,
						teardown),
		cmocka_unit_test_setup_teardown(group_spans_units, setup,
						teardown),
		cmocka_unit_test_setup_teardown(group_partly_uncovered, setup,
						teardown),
		cmocka_unit_test_setup_teardown(no_dmar, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_scopes, setup, teardown),
		cmocka_unit_test_setup_teardown(oversized_tables, setup,
						teardown),
		cmocka_unit_test_setup_teardown(segments, setup, teardown),
		cmocka_unit_test_setup_teardown(first_drhd_wins, setup,
						teardown),
		cmocka_unit_test_setup_teardown(rmrr_devices, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
