// SPDX-License-Identifier: MIT
/* PCI enumeration over a fake config space: topologies and bad bus numbers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "drivers/pci/cfg.h"
#include "drivers/pci/enum.h"
#include "drivers/pci/pci_regs.h"
#include "kernel/errno.h"
#include "fakecfg.h"
#include "stub_log.h"

#define S(bus, dev, fn) PCI_SBDF(0, bus, dev, fn)

static int setup(void **state)
{
	(void)state;
	fake_reset();
	stub_log_reset();
	return 0;
}

static struct fake_fn *endpoint(pci_sbdf_t sbdf, uint32_t class)
{
	return fake_add(sbdf, 0x1234, 0x11e8, class, PCI_HEADER_TYPE_NORMAL);
}

/* A PCIe bridge: root port, switch port or PCIe-to-PCI bridge. */
static struct fake_fn *port(pci_sbdf_t sbdf, uint8_t type, uint8_t sec,
			    uint8_t sub)
{
	struct fake_fn *f = fake_add_bridge(sbdf, sec, sub);

	fake_add_pcie(f, 0x40, type, 0);
	return f;
}

static int enumerate(void)
{
	fake_install();
	return pci_enumerate(&pci_devices);
}

/* The enumerated functions, in order, as "ssss:bb:dd.f" names. */
static void expect_fns(const char *const *names, unsigned n)
{
	char buf[16];

	if (pci_devices.count != n)
		fail_msg("%u functions, expected %u; log:\n%s",
			 pci_devices.count, n, stub_log_text());
	for (unsigned i = 0; i < n; i++) {
		pci_sbdf_str(pci_devices.dev[i].sbdf, buf, sizeof(buf));
		assert_string_equal(buf, names[i]);
	}
}

static struct pci_dev *dev(pci_sbdf_t sbdf)
{
	struct pci_dev *d = pci_find(&pci_devices, sbdf);

	if (!d)
		fail_msg("no %x", sbdf);
	return d;
}

static void test_root_bus_only(void **state)
{
	static const char *const names[] = {
		"0000:00:00.0", "0000:00:05.0", "0000:00:1f.0",
		"0000:00:1f.2", "0000:00:1f.3",
	};
	(void)state;
	fake_add(S(0, 0, 0), 0x8086, 0x29c0, 0x060000, 0);
	endpoint(S(0, 5, 0), 0x00ff00);
	fake_add(S(0, 0x1f, 0), 0x8086, 0x2918, 0x060100, PCI_HEADER_TYPE_MFD);
	fake_add(S(0, 0x1f, 2), 0x8086, 0x2922, 0x010601, 0);
	fake_add(S(0, 0x1f, 3), 0x8086, 0x2930, 0x0c0500, 0);
	assert_int_equal(enumerate(), 0);
	expect_fns(names, ARRAY_SIZE(names));
	for (unsigned i = 0; i < pci_devices.count; i++) {
		assert_null(pci_devices.dev[i].parent);
		assert_int_equal(pci_devices.dev[i].group, -1);
		assert_int_equal(pci_devices.dev[i].unit, -1);
	}
	assert_int_equal(dev(S(0, 5, 0))->vendor, 0x1234);
	assert_int_equal(dev(S(0, 5, 0))->device, 0x11e8);
	assert_int_equal(dev(S(0, 5, 0))->class, 0x00ff00);
	assert_int_equal(dev(S(0, 5, 0))->revision, 1);
	assert_false(dev(S(0, 5, 0))->multifunction);
	assert_true(dev(S(0, 0x1f, 0))->multifunction);
	/* Functions 1-7 report the device's multi-function bit too. */
	assert_true(dev(S(0, 0x1f, 3))->multifunction);
	assert_int_equal(dev(S(0, 0x1f, 2))->class, 0x010601);
	assert_true(stub_log_contains("PCI: 5 functions in 1 ECAM windows"));
}

static void test_root_ports(void **state)
{
	static const char *const names[] = {
		"0000:00:1c.0",
		"0000:00:1c.1",
		"0000:01:00.0",
		"0000:02:00.0",
	};
	struct fake_fn *rp;
	(void)state;
	rp = port(S(0, 0x1c, 0), PCI_EXP_TYPE_ROOT_PORT, 1, 1);
	fake_w8(rp, PCI_HEADER_TYPE, PCI_HEADER_TYPE_BRIDGE | 0x80);
	port(S(0, 0x1c, 1), PCI_EXP_TYPE_ROOT_PORT, 2, 2);
	endpoint(S(1, 0, 0), 0x020000);
	endpoint(S(2, 0, 0), 0x010802);
	/* Not behind any bridge: must not be found. */
	endpoint(S(3, 0, 0), 0x020000);
	assert_int_equal(enumerate(), 0);
	expect_fns(names, ARRAY_SIZE(names));
	assert_ptr_equal(dev(S(1, 0, 0))->parent, dev(S(0, 0x1c, 0)));
	assert_ptr_equal(dev(S(2, 0, 0))->parent, dev(S(0, 0x1c, 1)));
	assert_int_equal(dev(S(0, 0x1c, 1))->secondary_bus, 2);
	assert_int_equal(dev(S(0, 0x1c, 1))->subordinate_bus, 2);
	assert_int_equal(dev(S(0, 0x1c, 1))->primary_bus, 0);
	assert_int_equal(dev(S(0, 0x1c, 1))->nbars, 2);
	assert_int_equal(dev(S(0, 0x1c, 1))->pcie_type, PCI_EXP_TYPE_ROOT_PORT);
	assert_int_equal(dev(S(1, 0, 0))->nbars, 6);
	assert_int_equal(stub_log_count(), 1);
}

static void test_switch(void **state)
{
	static const char *const names[] = {
		"0000:00:01.0", "0000:01:00.0", "0000:02:00.0", "0000:02:01.0",
		"0000:03:00.0", "0000:04:00.0", "0000:04:00.1",
	};
	(void)state;
	port(S(0, 1, 0), PCI_EXP_TYPE_ROOT_PORT, 1, 4);
	port(S(1, 0, 0), PCI_EXP_TYPE_UPSTREAM, 2, 4);
	port(S(2, 0, 0), PCI_EXP_TYPE_DOWNSTREAM, 3, 3);
	port(S(2, 1, 0), PCI_EXP_TYPE_DOWNSTREAM, 4, 4);
	endpoint(S(3, 0, 0), 0x020000);
	fake_add(S(4, 0, 0), 0x1234, 0x11e8, 0x020000, PCI_HEADER_TYPE_MFD);
	endpoint(S(4, 0, 1), 0x020000);
	assert_int_equal(enumerate(), 0);
	expect_fns(names, ARRAY_SIZE(names));
	assert_null(dev(S(0, 1, 0))->parent);
	assert_ptr_equal(dev(S(1, 0, 0))->parent, dev(S(0, 1, 0)));
	assert_ptr_equal(dev(S(2, 0, 0))->parent, dev(S(1, 0, 0)));
	assert_ptr_equal(dev(S(2, 1, 0))->parent, dev(S(1, 0, 0)));
	assert_ptr_equal(dev(S(3, 0, 0))->parent, dev(S(2, 0, 0)));
	assert_ptr_equal(dev(S(4, 0, 1))->parent, dev(S(2, 1, 0)));
	assert_int_equal(dev(S(1, 0, 0))->pcie_type, PCI_EXP_TYPE_UPSTREAM);
	assert_int_equal(dev(S(2, 1, 0))->pcie_type, PCI_EXP_TYPE_DOWNSTREAM);
}

static void test_pcie_to_pci_bridge(void **state)
{
	static const char *const names[] = {
		"0000:00:02.0",
		"0000:01:00.0",
		"0000:02:01.0",
		"0000:02:02.0",
	};
	(void)state;
	port(S(0, 2, 0), PCI_EXP_TYPE_ROOT_PORT, 1, 2);
	port(S(1, 0, 0), PCI_EXP_TYPE_PCI_BRIDGE, 2, 2);
	endpoint(S(2, 1, 0), 0x020000);
	endpoint(S(2, 2, 0), 0x020000);
	assert_int_equal(enumerate(), 0);
	expect_fns(names, ARRAY_SIZE(names));
	assert_int_equal(dev(S(1, 0, 0))->pcie_type, PCI_EXP_TYPE_PCI_BRIDGE);
	assert_int_equal(dev(S(2, 1, 0))->cap_pcie, 0);
	assert_ptr_equal(dev(S(2, 1, 0))->parent, dev(S(1, 0, 0)));
	assert_ptr_equal(dev(S(2, 2, 0))->parent, dev(S(1, 0, 0)));
	assert_ptr_equal(dev(S(1, 0, 0))->parent, dev(S(0, 2, 0)));
}

static void test_multifunction(void **state)
{
	static const char *const names[] = {
		"0000:00:03.0",
		"0000:00:03.1",
		"0000:00:03.4",
		"0000:00:04.0",
	};
	(void)state;
	fake_add(S(0, 3, 0), 0x1234, 1, 0x020000, PCI_HEADER_TYPE_MFD);
	endpoint(S(0, 3, 1), 0x020000);
	endpoint(S(0, 3, 4), 0x020000);
	/* No multi-function bit on function 0: 4.1 is not looked at. */
	endpoint(S(0, 4, 0), 0x020000);
	endpoint(S(0, 4, 1), 0x020000);
	assert_int_equal(enumerate(), 0);
	expect_fns(names, ARRAY_SIZE(names));
	assert_true(dev(S(0, 3, 4))->multifunction);
	assert_false(dev(S(0, 4, 0))->multifunction);
}

static void test_function0_absent(void **state)
{
	static const char *const names[] = {"0000:00:07.0"};
	(void)state;
	fake_add(S(0, 6, 1), 0x1234, 1, 0x020000, PCI_HEADER_TYPE_MFD);
	fake_add(S(0, 6, 2), 0x1234, 1, 0x020000, PCI_HEADER_TYPE_MFD);
	/* Vendor 0 is not a valid vendor either. */
	fake_add(S(0, 8, 0), 0x0000, 1, 0x020000, 0);
	endpoint(S(0, 7, 0), 0x020000);
	assert_int_equal(enumerate(), 0);
	expect_fns(names, ARRAY_SIZE(names));
}

static void test_secondary_outside_parent(void **state)
{
	static const char *const names[] = {
		"0000:00:01.0", "0000:01:00.0", "0000:01:01.0",
		"0000:01:02.0", "0000:02:00.0",
	};
	(void)state;
	port(S(0, 1, 0), PCI_EXP_TYPE_ROOT_PORT, 1, 2);
	port(S(1, 0, 0), PCI_EXP_TYPE_DOWNSTREAM, 5, 5);
	port(S(1, 1, 0), PCI_EXP_TYPE_DOWNSTREAM, 2, 2);
	/* Subordinate beyond the parent's. */
	port(S(1, 2, 0), PCI_EXP_TYPE_DOWNSTREAM, 2, 3);
	endpoint(S(2, 0, 0), 0x020000);
	endpoint(S(5, 0, 0), 0x020000);
	assert_int_equal(enumerate(), 0);
	expect_fns(names, ARRAY_SIZE(names));
	assert_ptr_equal(dev(S(2, 0, 0))->parent, dev(S(1, 1, 0)));
	assert_true(stub_log_contains(
		"PCI 0000:01:00.0: buses 05-05 not scanned: outside the parent's buses 01-02"));
	assert_true(stub_log_contains(
		"PCI 0000:01:02.0: buses 02-03 not scanned: outside the parent's buses 01-02"));
	assert_int_equal(stub_log_count(), 3);
}

static void test_secondary_outside_window(void **state)
{
	static const struct acpi_ecam win = {.base = FAKE_ECAM_BASE,
					     .bus_end = 0x0f};
	(void)state;
	port(S(0, 1, 0), PCI_EXP_TYPE_ROOT_PORT, 0x10, 0x10);
	port(S(0, 2, 0), PCI_EXP_TYPE_ROOT_PORT, 0x0e, 0x11);
	endpoint(S(0x10, 0, 0), 0x020000);
	fake_install_windows(&win, 1);
	assert_int_equal(pci_enumerate(&pci_devices), 0);
	assert_int_equal(pci_devices.count, 2);
	assert_true(stub_log_contains(
		"PCI 0000:00:01.0: buses 10-10 not scanned: outside the ECAM window's buses 00-0f"));
	assert_true(stub_log_contains(
		"PCI 0000:00:02.0: buses 0e-11 not scanned: outside the ECAM window's buses 00-0f"));
}

static void test_bus_already_visited(void **state)
{
	static const char *const names[] = {
		"0000:00:01.0", "0000:00:02.0", "0000:00:03.0",
		"0000:00:04.0", "0000:01:00.0",
	};
	(void)state;
	port(S(0, 1, 0), PCI_EXP_TYPE_ROOT_PORT, 1, 3);
	port(S(0, 2, 0), PCI_EXP_TYPE_ROOT_PORT, 1, 1);
	/* Overlaps the range of 00:01.0 without being its secondary. */
	port(S(0, 3, 0), PCI_EXP_TYPE_ROOT_PORT, 3, 4);
	/* Its own bus again: would loop. */
	port(S(0, 4, 0), PCI_EXP_TYPE_ROOT_PORT, 0, 0);
	endpoint(S(1, 0, 0), 0x020000);
	assert_int_equal(enumerate(), 0);
	expect_fns(names, ARRAY_SIZE(names));
	assert_ptr_equal(dev(S(1, 0, 0))->parent, dev(S(0, 1, 0)));
	assert_true(stub_log_contains(
		"PCI 0000:00:02.0: buses 01-01 not scanned: bus 01 already behind 0000:00:01.0"));
	assert_true(stub_log_contains(
		"PCI 0000:00:03.0: buses 03-04 not scanned: bus 03 already behind 0000:00:01.0"));
	assert_true(stub_log_contains(
		"PCI 0000:00:04.0: buses 00-00 not scanned: secondary bus not above the bridge's bus"));
	assert_int_equal(stub_log_count(), 4);
}

static void test_bridge_loop_and_bad_subordinate(void **state)
{
	(void)state;
	port(S(0, 1, 0), PCI_EXP_TYPE_ROOT_PORT, 1, 1);
	/* Points back at its own bus: would scan bus 1 forever. */
	port(S(1, 0, 0), PCI_EXP_TYPE_UPSTREAM, 1, 1);
	port(S(0, 2, 0), PCI_EXP_TYPE_ROOT_PORT, 5, 4);
	assert_int_equal(enumerate(), 0);
	assert_int_equal(pci_devices.count, 3);
	assert_true(stub_log_contains(
		"PCI 0000:01:00.0: buses 01-01 not scanned: secondary bus not above the bridge's bus"));
	assert_true(stub_log_contains(
		"PCI 0000:00:02.0: buses 05-04 not scanned: subordinate bus below secondary bus"));
}

/* Firmware numbered the buses out of slot order: output stays sorted. */
static void test_sorted_with_unordered_buses(void **state)
{
	static const char *const names[] = {
		"0000:00:01.0",
		"0000:00:02.0",
		"0000:01:00.0",
		"0000:05:00.0",
	};
	(void)state;
	port(S(0, 1, 0), PCI_EXP_TYPE_ROOT_PORT, 5, 5);
	port(S(0, 2, 0), PCI_EXP_TYPE_ROOT_PORT, 1, 1);
	endpoint(S(1, 0, 0), 0x020000);
	endpoint(S(5, 0, 0), 0x020000);
	assert_int_equal(enumerate(), 0);
	expect_fns(names, ARRAY_SIZE(names));
	assert_ptr_equal(dev(S(5, 0, 0))->parent, dev(S(0, 1, 0)));
	assert_ptr_equal(dev(S(1, 0, 0))->parent, dev(S(0, 2, 0)));
}

static void test_deep_chain(void **state)
{
	const struct pci_dev *d;
	unsigned depth = 0;
	(void)state;
	/* 100 nested bridges: bus n holds a bridge to bus n + 1. */
	for (unsigned b = 0; b < 100; b++)
		port(S(b, 0, 0),
		     b ? PCI_EXP_TYPE_DOWNSTREAM : PCI_EXP_TYPE_ROOT_PORT,
		     (uint8_t)(b + 1), 100);
	endpoint(S(100, 0, 0), 0x020000);
	assert_int_equal(enumerate(), 0);
	assert_int_equal(pci_devices.count, 101);
	for (d = dev(S(100, 0, 0)); d->parent; d = d->parent)
		depth++;
	assert_int_equal(depth, 100);
}

static void test_overflow(void **state)
{
	struct pci_dev store[3];
	struct pci_topology t = {store, 0, ARRAY_SIZE(store)};
	(void)state;
	for (unsigned i = 0; i < 5; i++)
		endpoint(S(0, i, 0), 0x020000);
	fake_install();
	assert_int_equal(pci_enumerate(&t), -HV_ENOMEM);
	assert_int_equal(t.count, 3);
	assert_int_equal(t.dev[2].sbdf, S(0, 2, 0));
	assert_true(stub_log_contains(
		"PCI: more than 3 functions, the rest are not enumerated"));
	assert_int_equal(stub_log_count(), 2); /* + the summary line */
	t.dev = NULL;
	assert_int_equal(pci_enumerate(&t), -HV_EINVAL);
}

static void test_segments_and_windows(void **state)
{
	static const struct acpi_ecam win[] = {
		{.base = 0xf0000000,
		 .segment = 1,
		 .bus_start = 0x10,
		 .bus_end = 0x1f},
		{.base = 0xe0000000,
		 .segment = 0,
		 .bus_start = 0,
		 .bus_end = 0x7f},
		{.base = 0xe0000000,
		 .segment = 0,
		 .bus_start = 0x80,
		 .bus_end = 0xff},
	};
	static const char *const names[] = {
		"0000:00:01.0", "0000:80:02.0", "0001:10:00.0",
		"0001:10:1f.0", "0001:11:00.0",
	};
	struct fake_fn *f;
	(void)state;
	endpoint(S(0, 1, 0), 0x020000);
	endpoint(S(0x80, 2, 0), 0x020000);
	endpoint(PCI_SBDF(1, 0x10, 0, 0), 0x020000);
	f = port(PCI_SBDF(1, 0x10, 0x1f, 0), PCI_EXP_TYPE_ROOT_PORT, 0x11,
		 0x11);
	fake_set_bus(f, 0x10, 0x11, 0x11);
	endpoint(PCI_SBDF(1, 0x11, 0, 0), 0x020000);
	/* Outside segment 1's window. */
	endpoint(PCI_SBDF(1, 0, 0, 0), 0x020000);
	fake_install_windows(win, ARRAY_SIZE(win));
	assert_int_equal(pci_enumerate(&pci_devices), 0);
	expect_fns(names, ARRAY_SIZE(names));
	assert_ptr_equal(
		pci_find(&pci_devices, PCI_SBDF(1, 0x11, 0, 0))->parent,
		pci_find(&pci_devices, PCI_SBDF(1, 0x10, 0x1f, 0)));
}

static void test_no_windows(void **state)
{
	(void)state;
	endpoint(S(0, 1, 0), 0x020000);
	fake_install_windows(NULL, 0);
	assert_int_equal(pci_enumerate(&pci_devices), 0);
	assert_int_equal(pci_devices.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_root_bus_only, setup),
		cmocka_unit_test_setup(test_root_ports, setup),
		cmocka_unit_test_setup(test_switch, setup),
		cmocka_unit_test_setup(test_pcie_to_pci_bridge, setup),
		cmocka_unit_test_setup(test_multifunction, setup),
		cmocka_unit_test_setup(test_function0_absent, setup),
		cmocka_unit_test_setup(test_secondary_outside_parent, setup),
		cmocka_unit_test_setup(test_secondary_outside_window, setup),
		cmocka_unit_test_setup(test_bus_already_visited, setup),
		cmocka_unit_test_setup(test_bridge_loop_and_bad_subordinate,
				       setup),
		cmocka_unit_test_setup(test_sorted_with_unordered_buses, setup),
		cmocka_unit_test_setup(test_deep_chain, setup),
		cmocka_unit_test_setup(test_overflow, setup),
		cmocka_unit_test_setup(test_segments_and_windows, setup),
		cmocka_unit_test_setup(test_no_windows, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
