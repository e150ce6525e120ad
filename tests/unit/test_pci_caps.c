// SPDX-License-Identifier: MIT
/* Capability walks: decoding, and lists that loop or point astray. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "drivers/pci/cfg.h"
#include "drivers/pci/enum.h"
#include "drivers/pci/pci_regs.h"
#include "fakecfg.h"
#include "stub_log.h"

#define SBDF PCI_SBDF(0, 0, 3, 0)

static struct fake_fn *fn;

static int setup(void **state)
{
	(void)state;
	fake_reset();
	stub_log_reset();
	fn = fake_add(SBDF, 0x8086, 0x10d3, 0x020000, 0);
	return 0;
}

/* Enumerate the fake machine and return its only function. */
static struct pci_dev *probe(void)
{
	fake_install();
	assert_int_equal(pci_enumerate(&pci_devices), 0);
	assert_int_equal(pci_devices.count, 1);
	return &pci_devices.dev[0];
}

static void test_decode_all(void **state)
{
	struct pci_dev *d;
	(void)state;
	fake_add_cap(fn, 0x40, PCI_CAP_ID_PM);
	fake_w16(fn, 0x40 + PCI_PM_PMC, 0x0003);
	fake_add_cap(fn, 0x50, PCI_CAP_ID_MSI);
	fake_w16(fn, 0x50 + PCI_MSI_FLAGS, 0x0185); /* mask, 64, 4 vec, on */
	fake_add_cap(fn, 0x70, PCI_CAP_ID_MSIX);
	fake_w16(fn, 0x70 + PCI_MSIX_FLAGS, 0x800f);
	fake_w32(fn, 0x70 + PCI_MSIX_TABLE, 0x00002001);
	fake_w32(fn, 0x70 + PCI_MSIX_PBA, 0x00003001);
	fake_add_pcie(fn, 0x80, PCI_EXP_TYPE_ENDPOINT, PCI_EXP_DEVCAP_FLR);
	fake_w32(fn, 0x80 + PCI_EXP_LNKCAP, 0x00000412);
	fake_w16(fn, 0x80 + PCI_EXP_LNKSTA, 0x0011);
	fake_add_cap(fn, 0xa0, PCI_CAP_ID_VNDR);
	fake_add_ecap(fn, 0x100, PCI_EXT_CAP_ID_ACS);
	fake_w16(fn, 0x100 + PCI_ACS_CAP, 0x007f);
	fake_w16(fn, 0x100 + PCI_ACS_CTRL, 0x001d);
	fake_add_ecap(fn, 0x140, PCI_EXT_CAP_ID_ATS);
	fake_w16(fn, 0x140 + PCI_ATS_CAP, 0x0020);
	fake_w16(fn, 0x140 + PCI_ATS_CTRL, 0x8000);
	fake_add_ecap(fn, 0x150, PCI_EXT_CAP_ID_PASID);
	fake_w16(fn, 0x150 + PCI_PASID_CAP, 0x1406);
	fake_add_ecap(fn, 0x160, PCI_EXT_CAP_ID_PRI);
	fake_w32(fn, 0x160 + PCI_PRI_MAX_REQ, 32);
	fake_add_ecap(fn, 0x180, PCI_EXT_CAP_ID_SRIOV);
	fake_w16(fn, 0x180 + PCI_SRIOV_TOTAL_VF, 7);
	fake_add_ecap(fn, 0x1c0, PCI_EXT_CAP_ID_ERR);
	d = probe();
	assert_int_equal(d->cap_pm, 0x40);
	assert_int_equal(d->pm_caps, 3);
	assert_int_equal(d->cap_msi, 0x50);
	assert_int_equal(d->msi_ctrl, 0x0185);
	assert_int_equal(d->cap_msix, 0x70);
	assert_int_equal(d->msix_ctrl, 0x800f);
	assert_int_equal(d->msix_table, 0x2001);
	assert_int_equal(d->msix_pba, 0x3001);
	assert_int_equal(d->cap_pcie, 0x80);
	assert_int_equal(d->pcie_type, PCI_EXP_TYPE_ENDPOINT);
	assert_true(d->flr);
	assert_int_equal(d->pcie_lnkcap, 0x412);
	assert_int_equal(d->pcie_lnksta, 0x11);
	assert_int_equal(d->ecap_acs, 0x100);
	assert_int_equal(d->acs_cap, 0x7f);
	assert_int_equal(d->acs_ctrl, 0x1d);
	assert_int_equal(d->ecap_ats, 0x140);
	assert_int_equal(d->ats_cap, 0x20);
	assert_int_equal(d->ats_ctrl, 0x8000);
	assert_int_equal(d->ecap_pasid, 0x150);
	assert_int_equal(d->pasid_caps, 0x1406);
	assert_int_equal(d->ecap_pri, 0x160);
	assert_int_equal(d->pri_max_reqs, 32);
	assert_int_equal(d->ecap_sriov, 0x180);
	assert_int_equal(d->sriov_total_vfs, 7);
	assert_int_equal(d->ncaps, 5);
	assert_int_equal(d->caps[4].id, PCI_CAP_ID_VNDR);
	assert_int_equal(d->caps[4].off, 0xa0);
	assert_int_equal(d->necaps, 6);
	assert_int_equal(d->ecaps[5].id, PCI_EXT_CAP_ID_ERR);
	assert_int_equal(d->ecaps[5].off, 0x1c0);
	assert_false(d->cap_list_broken);
	assert_int_equal(stub_log_count(), 1);
}

static void test_no_cap_list_bit(void **state)
{
	struct pci_dev *d;
	(void)state;
	fake_add_pcie(fn, 0x40, PCI_EXP_TYPE_ENDPOINT, PCI_EXP_DEVCAP_FLR);
	fake_w16(fn, PCI_STATUS, 0);
	d = probe();
	assert_int_equal(d->cap_pcie, 0);
	assert_int_equal(d->ncaps, 0);
	assert_false(d->flr);
}

static void test_cap_cycle(void **state)
{
	struct pci_dev *d;
	(void)state;
	fake_add_cap(fn, 0x40, PCI_CAP_ID_PM);
	fake_add_cap(fn, 0x50, PCI_CAP_ID_MSI);
	fake_w8(fn, 0x50 + PCI_CAP_LIST_NEXT, 0x40);
	d = probe();
	assert_true(d->cap_list_broken);
	assert_int_equal(d->ncaps, 2);
	assert_int_equal(d->cap_pm, 0x40);
	assert_int_equal(d->cap_msi, 0x50);
	assert_true(stub_log_contains(
		"PCI 0000:00:03.0: capability list cut at 0x50: next 0x40 was already visited"));
}

static void test_cap_self_loop(void **state)
{
	struct pci_dev *d;
	(void)state;
	fake_add_cap(fn, 0x40, PCI_CAP_ID_VNDR);
	fake_w8(fn, 0x40 + PCI_CAP_LIST_NEXT, 0x40);
	d = probe();
	assert_true(d->cap_list_broken);
	assert_int_equal(d->ncaps, 1);
	assert_true(stub_log_contains(
		"PCI 0000:00:03.0: capability list cut at 0x40: next 0x40 was already visited"));
}

static void test_cap_below_header(void **state)
{
	struct pci_dev *d;
	(void)state;
	fake_add_cap(fn, 0x40, PCI_CAP_ID_PM);
	fake_w8(fn, PCI_CAPABILITY_LIST, 0x20);
	d = probe();
	assert_true(d->cap_list_broken);
	assert_int_equal(d->ncaps, 0);
	assert_int_equal(d->cap_pm, 0);
	assert_true(stub_log_contains(
		"PCI 0000:00:03.0: capability list cut at 0x34: next 0x20 is below 0x40"));
}

static void test_cap_next_below_header(void **state)
{
	struct pci_dev *d;
	(void)state;
	fake_add_cap(fn, 0x40, PCI_CAP_ID_PM);
	fake_w8(fn, 0x40 + PCI_CAP_LIST_NEXT, 0x3c);
	d = probe();
	assert_true(d->cap_list_broken);
	assert_int_equal(d->cap_pm, 0x40);
	assert_true(stub_log_contains(
		"PCI 0000:00:03.0: capability list cut at 0x40: next 0x3c is below 0x40"));
}

/* Bits 1:0 of a pointer are reserved: masked, not a reason to stop. */
static void test_cap_pointer_low_bits(void **state)
{
	struct pci_dev *d;
	(void)state;
	fake_add_cap(fn, 0x40, PCI_CAP_ID_PM);
	fake_add_cap(fn, 0x48, PCI_CAP_ID_MSI);
	fake_w8(fn, PCI_CAPABILITY_LIST, 0x43);
	fake_w8(fn, 0x40 + PCI_CAP_LIST_NEXT, 0x4a);
	d = probe();
	assert_false(d->cap_list_broken);
	assert_int_equal(d->cap_pm, 0x40);
	assert_int_equal(d->cap_msi, 0x48);
}

/* Every one of the 48 slots used: the longest valid list. */
static void test_cap_full_list(void **state)
{
	struct pci_dev *d;
	(void)state;
	for (unsigned off = 0x40; off < 0x100; off += 4)
		fake_add_cap(fn, (uint8_t)off, PCI_CAP_ID_VNDR);
	d = probe();
	assert_false(d->cap_list_broken);
	assert_int_equal(d->ncaps, PCI_MAX_CAPS);
	assert_int_equal(stub_log_count(), 1);
}

static void test_cap_runs_past_end(void **state)
{
	struct pci_dev *d;
	(void)state;
	fake_add_cap(fn, 0x40, PCI_CAP_ID_MSI);
	fake_add_cap(fn, 0x44, PCI_CAP_ID_MSI); /* second one: not decoded */
	fake_add_pcie(fn, 0xf8, PCI_EXP_TYPE_ENDPOINT, PCI_EXP_DEVCAP_FLR);
	d = probe();
	assert_int_equal(d->cap_msi, 0x40);
	assert_int_equal(d->cap_pcie, 0);
	assert_false(d->flr);
	assert_int_equal(d->ncaps, 3);
	assert_true(stub_log_contains(
		"PCI 0000:00:03.0: capability 0x10 at 0xf8 runs past 0xff, not decoded"));
}

static void test_ecap_cycle(void **state)
{
	struct pci_dev *d;
	(void)state;
	fake_add_pcie(fn, 0x40, PCI_EXP_TYPE_ENDPOINT, 0);
	fake_add_ecap(fn, 0x100, PCI_EXT_CAP_ID_ERR);
	fake_add_ecap(fn, 0x140, PCI_EXT_CAP_ID_ACS);
	fake_w32(fn, 0x140, fake_r32(fn, 0x140) | 0x100u << 20);
	d = probe();
	assert_true(d->cap_list_broken);
	assert_int_equal(d->necaps, 2);
	assert_int_equal(d->ecap_acs, 0x140);
	assert_true(stub_log_contains(
		"PCI 0000:00:03.0: extended capability list cut at 0x140: next 0x100 was already visited"));
}

static void test_ecap_below_start(void **state)
{
	struct pci_dev *d;
	(void)state;
	fake_add_pcie(fn, 0x40, PCI_EXP_TYPE_ENDPOINT, 0);
	fake_add_ecap(fn, 0x100, PCI_EXT_CAP_ID_ERR);
	fake_w32(fn, 0x100, fake_r32(fn, 0x100) | 0x80u << 20);
	d = probe();
	assert_true(d->cap_list_broken);
	assert_int_equal(d->necaps, 1);
	assert_true(stub_log_contains(
		"PCI 0000:00:03.0: extended capability list cut at 0x100: next 0x80 is below 0x100"));
}

static void test_ecap_end_markers(void **state)
{
	struct pci_dev *d;
	(void)state;
	fake_add_pcie(fn, 0x40, PCI_EXP_TYPE_ENDPOINT, 0);
	/* All-ones header (nothing answers): no list. */
	fake_w32(fn, 0x100, 0xffffffff);
	d = probe();
	assert_int_equal(d->necaps, 0);
	assert_false(d->cap_list_broken);
	/* Id 0 ends the list even with a next pointer. */
	fake_w32(fn, 0x100, 0x14000000 | PCI_EXT_CAP_ID_ERR);
	fake_w32(fn, 0x140, 0x18000000);
	fake_add_ecap(fn, 0x180, PCI_EXT_CAP_ID_ACS);
	d = probe();
	assert_int_equal(d->necaps, 1);
	assert_false(d->cap_list_broken);
}

/* Conventional PCI functions have no extended space to walk. */
static void test_ecap_needs_pcie(void **state)
{
	struct pci_dev *d;
	(void)state;
	fake_add_ecap(fn, 0x100, PCI_EXT_CAP_ID_ACS);
	d = probe();
	assert_int_equal(d->ecap_acs, 0);
	assert_int_equal(d->necaps, 0);
}

static void test_ecap_runs_past_end(void **state)
{
	struct pci_dev *d;
	(void)state;
	fake_add_pcie(fn, 0x40, PCI_EXP_TYPE_ENDPOINT, 0);
	fake_add_ecap(fn, 0x100, PCI_EXT_CAP_ID_ERR);
	fake_add_ecap(fn, 0xff8, PCI_EXT_CAP_ID_SRIOV);
	d = probe();
	assert_int_equal(d->necaps, 2);
	assert_int_equal(d->ecap_sriov, 0);
	assert_true(stub_log_contains(
		"PCI 0000:00:03.0: extended capability 0x10 at 0xff8 runs past 0xfff, not decoded"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_decode_all, setup),
		cmocka_unit_test_setup(test_no_cap_list_bit, setup),
		cmocka_unit_test_setup(test_cap_cycle, setup),
		cmocka_unit_test_setup(test_cap_self_loop, setup),
		cmocka_unit_test_setup(test_cap_below_header, setup),
		cmocka_unit_test_setup(test_cap_next_below_header, setup),
		cmocka_unit_test_setup(test_cap_pointer_low_bits, setup),
		cmocka_unit_test_setup(test_cap_full_list, setup),
		cmocka_unit_test_setup(test_cap_runs_past_end, setup),
		cmocka_unit_test_setup(test_ecap_cycle, setup),
		cmocka_unit_test_setup(test_ecap_below_start, setup),
		cmocka_unit_test_setup(test_ecap_end_markers, setup),
		cmocka_unit_test_setup(test_ecap_needs_pcie, setup),
		cmocka_unit_test_setup(test_ecap_runs_past_end, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
