// SPDX-License-Identifier: MIT
/* lspci: exact output of every form, and its errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "drivers/pci/cfg.h"
#include "drivers/pci/enum.h"
#include "drivers/pci/lspci.h"
#include "drivers/pci/pci_regs.h"
#include "kernel/errno.h"
#include "fakecfg.h"
#include "stub_log.h"

#define S(bus, dev, fn) PCI_SBDF(0, bus, dev, fn)

static struct fake_fn *bridge(pci_sbdf_t sbdf, uint16_t device, uint8_t type,
			      uint8_t sec, uint8_t sub)
{
	struct fake_fn *f = fake_add_bridge(sbdf, sec, sub);

	fake_w16(f, PCI_VENDOR_ID, 0x1b36);
	fake_w16(f, PCI_DEVICE_ID, device);
	fake_add_pcie(f, 0x40, type, 0);
	return f;
}

/* The NIC behind the first root port, with one of every capability. */
static void add_nic(void)
{
	struct fake_fn *f = fake_add(S(1, 0, 0), 0x8086, 0x10d3, 0x020000, 0);

	fake_set_bar(f, 0, 0, 0x20000, 0xfebc0000);
	fake_set_bar(f, 2, PCI_BASE_ADDRESS_SPACE_IO, 0x20, 0xc000);
	fake_set_bar(f, 3,
		     PCI_BASE_ADDRESS_MEM_TYPE_64 << 1 |
			     PCI_BASE_ADDRESS_MEM_PREFETCH,
		     0x4000, 0x800000000ull);
	fake_w16(f, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	fake_add_cap(f, 0x40, PCI_CAP_ID_PM);
	fake_w16(f, 0x40 + PCI_PM_PMC, 0x0003);
	fake_add_cap(f, 0x50, PCI_CAP_ID_MSI);
	fake_w16(f, 0x50 + PCI_MSI_FLAGS, 0x0185);
	fake_add_cap(f, 0x70, PCI_CAP_ID_MSIX);
	fake_w16(f, 0x70 + PCI_MSIX_FLAGS, 0x800f);
	fake_w32(f, 0x70 + PCI_MSIX_TABLE, 0x00002003);
	fake_w32(f, 0x70 + PCI_MSIX_PBA, 0x00003003);
	fake_add_pcie(f, 0xa0, PCI_EXP_TYPE_ENDPOINT, PCI_EXP_DEVCAP_FLR);
	fake_w32(f, 0xa0 + PCI_EXP_LNKCAP, 0x00000011);
	fake_w16(f, 0xa0 + PCI_EXP_LNKSTA, 0x0011);
	fake_add_cap(f, 0xe0, PCI_CAP_ID_VNDR);
	fake_add_cap(f, 0xe8, 0x42);
	fake_add_ecap(f, 0x100, PCI_EXT_CAP_ID_ACS);
	fake_w16(f, 0x100 + PCI_ACS_CAP, 0x007f);
	fake_w16(f, 0x100 + PCI_ACS_CTRL, 0x001d);
	fake_add_ecap(f, 0x140, PCI_EXT_CAP_ID_ERR);
	fake_add_ecap(f, 0x150, PCI_EXT_CAP_ID_PASID);
	fake_w16(f, 0x150 + PCI_PASID_CAP, 0x1406);
	fake_add_ecap(f, 0x160, PCI_EXT_CAP_ID_ATS);
	fake_w16(f, 0x160 + PCI_ATS_CAP, 0x0020);
	fake_w16(f, 0x160 + PCI_ATS_CTRL, 0x8000);
	fake_add_ecap(f, 0x170, PCI_EXT_CAP_ID_PRI);
	fake_w32(f, 0x170 + PCI_PRI_MAX_REQ, 32);
	fake_add_ecap(f, 0x180, PCI_EXT_CAP_ID_SRIOV);
	fake_w16(f, 0x180 + PCI_SRIOV_TOTAL_VF, 7);
	fake_add_ecap(f, 0x1c0, 0x42);
}

static int setup(void **state)
{
	static const struct acpi_ecam win[] = {
		{0xe0000000, 0, 0x00, 0xff},
		{0xd0000000, 1, 0x20, 0x20},
	};
	struct fake_fn *f;
	(void)state;
	fake_reset();
	fake_add(S(0, 0, 0), 0x8086, 0x29c0, 0x060000, 0);
	f = bridge(S(0, 1, 0), 0x000c, PCI_EXP_TYPE_ROOT_PORT, 1, 2);
	fake_w32(f, 0x40 + PCI_EXP_LNKCAP, 0x00000084);
	fake_w16(f, 0x40 + PCI_EXP_LNKSTA, 0x0043);
	f = bridge(S(0, 2, 0), 0x000c, PCI_EXP_TYPE_ROOT_PORT, 3, 4);
	fake_w32(f, 0x40 + PCI_EXP_LNKCAP, 0x00000011);
	f = fake_add(S(0, 5, 0), 0x1234, 0x11e8, 0x00ff00, 0);
	fake_add_cap(f, 0x40, PCI_CAP_ID_MSI);
	fake_add_cap(f, 0x48, PCI_CAP_ID_PM);
	fake_w8(f, 0x48 + PCI_CAP_LIST_NEXT, 0x40);
	fake_add(S(0, 0x1f, 0), 0x8086, 0x2918, 0x060100, PCI_HEADER_TYPE_MFD);
	fake_add(S(0, 0x1f, 2), 0x8086, 0x2922, 0x010601, 0);
	fake_add(S(0, 0x1f, 3), 0x8086, 0x2930, 0x0c0500, 0);
	add_nic();
	bridge(S(3, 0, 0), 0x000e, PCI_EXP_TYPE_PCI_BRIDGE, 4, 4);
	fake_add(S(4, 1, 0), 0x8086, 0x100e, 0x020000, 0);
	fake_add(PCI_SBDF(1, 0x20, 0, 0), 0x1af4, 0x1041, 0x020000, 0);
	fake_install_windows(win, ARRAY_SIZE(win));
	assert_int_equal(pci_enumerate(&pci_devices), 0);
	stub_console_reset();
	stub_log_reset();
	return 0;
}

static int run(const char *line)
{
	char buf[128], *argv[8];
	int argc = 0;

	strcpy(buf, line);
	for (char *p = strtok(buf, " "); p && argc < 8; p = strtok(NULL, " "))
		argv[argc++] = p;
	stub_console_reset();
	return pci_cmd_lspci(argc, argv);
}

static void test_list(void **state)
{
	(void)state;
	assert_int_equal(run("lspci"), 0);
	assert_string_equal(
		stub_console_text(),
		"0000:00:00.0 8086:29c0 class 060000 host bridge\n"
		"0000:00:01.0 1b36:000c class 060400 PCI bridge [bus 01-02]\n"
		"0000:00:02.0 1b36:000c class 060400 PCI bridge [bus 03-04]\n"
		"0000:00:05.0 1234:11e8 class 00ff00 unclassified device\n"
		"0000:00:1f.0 8086:2918 class 060100 ISA bridge\n"
		"0000:00:1f.2 8086:2922 class 010601 SATA\n"
		"0000:00:1f.3 8086:2930 class 0c0500 SMBus\n"
		"0000:01:00.0 8086:10d3 class 020000 ethernet\n"
		"0000:03:00.0 1b36:000e class 060400 PCI bridge [bus 04-04]\n"
		"0000:04:01.0 8086:100e class 020000 ethernet\n"
		"0001:20:00.0 1af4:1041 class 020000 ethernet\n");
}

static void test_tree(void **state)
{
	(void)state;
	assert_int_equal(run("lspci -t"), 0);
	assert_string_equal(
		stub_console_text(),
		"bus 0000:00\n"
		"  0000:00:00.0 8086:29c0 class 060000 host bridge\n"
		"  0000:00:01.0 1b36:000c class 060400 PCI bridge [bus 01-02]\n"
		"    0000:01:00.0 8086:10d3 class 020000 ethernet\n"
		"  0000:00:02.0 1b36:000c class 060400 PCI bridge [bus 03-04]\n"
		"    0000:03:00.0 1b36:000e class 060400 PCI bridge [bus 04-04]\n"
		"      0000:04:01.0 8086:100e class 020000 ethernet\n"
		"  0000:00:05.0 1234:11e8 class 00ff00 unclassified device\n"
		"  0000:00:1f.0 8086:2918 class 060100 ISA bridge\n"
		"  0000:00:1f.2 8086:2922 class 010601 SATA\n"
		"  0000:00:1f.3 8086:2930 class 0c0500 SMBus\n"
		"bus 0001:20\n"
		"  0001:20:00.0 1af4:1041 class 020000 ethernet\n");
}

static void test_verbose_endpoint(void **state)
{
	(void)state;
	assert_int_equal(run("lspci -v 01:00.0"), 0);
	assert_string_equal(
		stub_console_text(),
		"0000:01:00.0 8086:10d3 class 020000 ethernet\n"
		"  revision 0x01, header type 0, single-function\n"
		"  command 0x0006 status 0x0010\n"
		"  bar 0 mem32 base 0xfebc0000 size 0x20000\n"
		"  bar 2 io base 0xc000 size 0x20\n"
		"  bar 3 mem64 prefetchable base 0x800000000 size 0x4000\n"
		"  cap 0x40 PM v3\n"
		"  cap 0x50 MSI 4 vectors, 64-bit, per-vector masking, enabled\n"
		"  cap 0x70 MSI-X 16 entries, table BAR 3 + 0x2000, PBA BAR 3 + 0x3000, enabled\n"
		"  cap 0xa0 PCIe endpoint, FLR, link x1 2.5GT/s\n"
		"  cap 0xe0 vendor specific\n"
		"  cap 0xe8 id 0x42\n"
		"  ecap 0x100 ACS ctrl SV RR CR UF (cap SV TB RR CR UF EC DT)\n"
		"  ecap 0x140 AER\n"
		"  ecap 0x150 PASID width 20, exec, priv\n"
		"  ecap 0x160 ATS queue depth 32, page-aligned, enabled\n"
		"  ecap 0x170 PRI capacity 32\n"
		"  ecap 0x180 SR-IOV total VFs 7\n"
		"  ecap 0x1c0 id 0x0042\n");
}

static void test_verbose_bridges(void **state)
{
	(void)state;
	assert_int_equal(run("lspci -v 0000:00:01.0"), 0);
	assert_string_equal(
		stub_console_text(),
		"0000:00:01.0 1b36:000c class 060400 PCI bridge [bus 01-02]\n"
		"  revision 0x01, header type 1, single-function\n"
		"  command 0x0000 status 0x0010\n"
		"  bus primary 00 secondary 01 subordinate 02\n"
		"  cap 0x40 PCIe root port, link x4 8GT/s\n");
	assert_int_equal(run("lspci -v 00:02.0"), 0);
	assert_non_null(strstr(stub_console_text(),
			       "  cap 0x40 PCIe root port, link down\n"));
	assert_int_equal(run("lspci -v 03:00.0"), 0);
	assert_non_null(strstr(stub_console_text(),
			       "  cap 0x40 PCIe PCIe-to-PCI bridge\n"));
}

static void test_verbose_broken_list(void **state)
{
	(void)state;
	assert_int_equal(run("lspci -v 00:05.0"), 0);
	assert_string_equal(
		stub_console_text(),
		"0000:00:05.0 1234:11e8 class 00ff00 unclassified device\n"
		"  revision 0x01, header type 0, single-function\n"
		"  command 0x0000 status 0x0010\n"
		"  cap 0x40 MSI 1 vector\n"
		"  cap 0x48 PM v0\n"
		"  capability list cut (see the log)\n");
	assert_int_equal(run("lspci -v 00:1f.3"), 0);
	assert_non_null(
		strstr(stub_console_text(),
		       "  revision 0x01, header type 0, multi-function\n"));
}

static void test_errors(void **state)
{
	(void)state;
	assert_int_equal(run("lspci -x"), -HV_EINVAL);
	assert_string_equal(
		stub_console_text(),
		"error: unknown option '-x' (usage: lspci [-t | -v ssss:bb:dd.f])\n");
	assert_int_equal(run("lspci -v"), -HV_EINVAL);
	assert_string_equal(stub_console_text(),
			    "error: usage: lspci [-t | -v ssss:bb:dd.f]\n");
	assert_int_equal(run("lspci -t 00:05.0"), -HV_EINVAL);
	assert_string_equal(stub_console_text(),
			    "error: usage: lspci [-t | -v ssss:bb:dd.f]\n");
	assert_int_equal(run("lspci 00:05.0"), -HV_EINVAL);
	assert_int_equal(run("lspci -v 00:05.0 x"), -HV_EINVAL);
	assert_int_equal(run("lspci -v 00:09.0"), -HV_ENOENT);
	assert_string_equal(stub_console_text(),
			    "error: no PCI function 0000:00:09.0\n");
	assert_int_equal(run("lspci -v 0001:00:05.0"), -HV_ENOENT);
	assert_string_equal(stub_console_text(),
			    "error: no PCI function 0001:00:05.0\n");
	assert_int_equal(run("lspci -v 00:09"), -HV_EINVAL);
	assert_string_equal(
		stub_console_text(),
		"error: bad PCI function '00:09' (expected ssss:bb:dd.f or bb:dd.f)\n");
	/* Errors touch nothing. */
	assert_int_equal(stub_log_count(), 0);
}

static void test_empty(void **state)
{
	(void)state;
	pci_devices.count = 0;
	assert_int_equal(run("lspci"), 0);
	assert_string_equal(stub_console_text(), "no PCI functions\n");
	assert_int_equal(run("lspci -t"), 0);
	assert_string_equal(stub_console_text(), "no PCI functions\n");
}

static void test_class_names(void **state)
{
	(void)state;
	assert_string_equal(pci_class_name(0x030000), "VGA");
	assert_string_equal(pci_class_name(0x038000), "display");
	assert_string_equal(pci_class_name(0x010802), "NVMe");
	assert_string_equal(pci_class_name(0x0d1100), "wireless");
	assert_string_equal(pci_class_name(0x068000), "bridge");
	assert_string_equal(pci_class_name(0xff0000), "unassigned class");
	assert_string_equal(pci_class_name(0x400000), "unknown class");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_list, setup),
		cmocka_unit_test_setup(test_tree, setup),
		cmocka_unit_test_setup(test_verbose_endpoint, setup),
		cmocka_unit_test_setup(test_verbose_bridges, setup),
		cmocka_unit_test_setup(test_verbose_broken_list, setup),
		cmocka_unit_test_setup(test_errors, setup),
		cmocka_unit_test_setup(test_empty, setup),
		cmocka_unit_test_setup(test_class_names, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
