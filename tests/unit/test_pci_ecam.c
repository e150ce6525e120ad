// SPDX-License-Identifier: MIT
/*
 * ECAM window validation, ECAM accesses on host memory standing in for the
 * windows, the config wrappers' checks, and the PCI name helpers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/pci/cfg.h"
#include "drivers/pci/pci_regs.h"
#include "kernel/errno.h"
#include "stub_log.h"

#define MIB (1ull << 20)

static int setup(void **state)
{
	(void)state;
	stub_log_reset();
	return 0;
}

static void test_window_checks(void **state)
{
	static const struct acpi_ecam win[] = {
		{0xd0000000, 1, 0x00, 0x3f},	  /* good, sorted after */
		{0xe0000000, 0, 0x00, 0xff},	  /* good */
		{0, 2, 0, 0},			  /* base 0 */
		{UINT64_MAX, 2, 0, 0},		  /* base all-ones */
		{0xc0080000, 2, 0, 0},		  /* not 1 MiB aligned */
		{0xc0000000, 2, 5, 4},		  /* start above end */
		{0xc0000000, 0, 0x80, 0x80},	  /* buses of segment 0 */
		{0xe0000000, 3, 0x10, 0x10},	  /* addresses of seg 0 */
		{0xfffff00000000000ull, 4, 0, 0}, /* beyond 52 bits */
		{(1ull << 52) - MIB, 4, 0, 1},	  /* runs past 52 bits */
	};
	(void)state;
	assert_int_equal(pci_ecam_init(win, ARRAY_SIZE(win)), 0);
	assert_int_equal(pci_ecam_count(), 2);
	assert_int_equal(pci_ecam_window(0)->segment, 0);
	assert_int_equal(pci_ecam_window(0)->base, 0xe0000000);
	assert_int_equal(pci_ecam_window(1)->segment, 1);
	assert_int_equal(pci_ecam_window(1)->bus_end, 0x3f);
	assert_null(pci_ecam_window(2));
	assert_int_equal(stub_log_count(), 8);
	assert_true(stub_log_contains(
		"PCI: ECAM window 2 (segment 0002 buses 00-00 at 0x0) ignored: base is 0 or all-ones"));
	assert_true(stub_log_contains(
		"PCI: ECAM window 3 (segment 0002 buses 00-00 at 0xffffffffffffffff) ignored: base is 0 or all-ones"));
	assert_true(stub_log_contains(
		"PCI: ECAM window 4 (segment 0002 buses 00-00 at 0xc0080000) ignored: base not 1 MiB aligned"));
	assert_true(stub_log_contains(
		"PCI: ECAM window 5 (segment 0002 buses 05-04 at 0xc0000000) ignored: bus_start above bus_end"));
	assert_true(stub_log_contains(
		"PCI: ECAM window 6 (segment 0000 buses 80-80 at 0xc0000000) ignored: buses overlap an earlier window"));
	assert_true(stub_log_contains(
		"PCI: ECAM window 7 (segment 0003 buses 10-10 at 0xe0000000) ignored: addresses overlap an earlier window"));
	assert_true(stub_log_contains(
		"PCI: ECAM window 8 (segment 0004 buses 00-00 at 0xfffff00000000000) ignored: window beyond the physical address space"));
	assert_true(stub_log_contains(
		"PCI: ECAM window 9 (segment 0004 buses 00-01 at 0xffffffff00000) ignored: window beyond the physical address space"));
}

static void test_too_many_windows(void **state)
{
	struct acpi_ecam win[ACPI_MAX_ECAM + 1];
	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(win); i++)
		win[i] = (struct acpi_ecam){0x100000000ull + i * 256 * MIB,
					    (uint16_t)i, 0, 0xff};
	assert_int_equal(pci_ecam_init(win, ARRAY_SIZE(win)), 0);
	assert_int_equal(pci_ecam_count(), ACPI_MAX_ECAM);
	assert_true(stub_log_contains("ignored: too many windows"));
	assert_int_equal(stub_log_count(), 1);
}

static void test_no_window(void **state)
{
	static const struct acpi_ecam bad = {0, 0, 0, 0xff};
	(void)state;
	assert_int_equal(pci_ecam_init(&bad, 1), -HV_ENODEV);
	assert_int_equal(pci_ecam_count(), 0);
	assert_true(stub_log_contains("PCI: no usable ECAM window"));
	assert_int_equal(pci_cfg_read32(0, PCI_VENDOR_ID), 0xffffffff);
}

/*
 * Host memory stands in for a window of buses 10-11 (so its base, the
 * address of bus 0, lies 16 MiB below the memory).
 */
static void test_ecam_access(void **state)
{
	uint8_t *mem = aligned_alloc(MIB, 2 * MIB);
	struct acpi_ecam win = {0, 0, 0x10, 0x11};
	pci_sbdf_t fn = PCI_SBDF(0, 0x11, 3, 1);
	uint8_t *cfg;
	(void)state;
	assert_non_null(mem);
	memset(mem, 0, 2 * MIB);
	win.base = (uintptr_t)mem - 0x10 * MIB;
	assert_int_equal(pci_ecam_init(&win, 1), 0);
	cfg = mem + MIB + ((3 << 3 | 1) << 12);
	memcpy(cfg + 0x40, "\x11\x22\x33\x44", 4);
	cfg[0xffc] = 0x5a;
	assert_int_equal(pci_cfg_read32(fn, 0x40), 0x44332211);
	assert_int_equal(pci_cfg_read16(fn, 0x42), 0x4433);
	assert_int_equal(pci_cfg_read8(fn, 0x41), 0x22);
	assert_int_equal(pci_cfg_read8(fn, 0xffc), 0x5a);
	pci_cfg_write16(fn, 0x80, 0xbeef);
	pci_cfg_write8(fn, 0x83, 0x7f);
	pci_cfg_write32(fn, 0x100, 0x01020304);
	assert_memory_equal(cfg + 0x80, "\xef\xbe\x00\x7f", 4);
	assert_memory_equal(cfg + 0x100, "\x04\x03\x02\x01", 4);
	/* Bus 10 is the window's first bus (1 MiB lower). */
	mem[0] = 0x86;
	assert_int_equal(pci_cfg_read8(PCI_SBDF(0, 0x10, 0, 0), 0), 0x86);
	/* Outside the window or the segment: all-ones, writes dropped. */
	assert_int_equal(pci_cfg_read32(PCI_SBDF(0, 0x12, 0, 0), 0),
			 0xffffffff);
	assert_int_equal(pci_cfg_read16(PCI_SBDF(0, 0x0f, 0, 0), 0), 0xffff);
	assert_int_equal(pci_cfg_read8(PCI_SBDF(1, 0x10, 0, 0), 0), 0xff);
	assert_int_equal(stub_log_count(), 0);
	pci_cfg_write32(PCI_SBDF(0, 0x12, 0, 0), 0, 0);
	pci_cfg_write32(PCI_SBDF(0, 0x13, 0, 0), 0, 0);
	assert_int_equal(stub_log_count(), 1);
	assert_true(stub_log_contains(
		"PCI 0000:12:00.0: config write at 0x0 outside every ECAM window dropped (further ones not logged)"));
	/* Misaligned or beyond 4 KiB: refused (logged once). */
	stub_log_reset();
	assert_int_equal(pci_cfg_read16(fn, 0x41), 0xffff);
	assert_int_equal(pci_cfg_read32(fn, 0x42), 0xffffffff);
	assert_int_equal(pci_cfg_read8(fn, 0x1000), 0xff);
	pci_cfg_write32(fn, 0x82, 0);
	assert_memory_equal(cfg + 0x80, "\xef\xbe\x00\x7f", 4);
	assert_int_equal(stub_log_count(), 1);
	assert_true(stub_log_contains(
		"PCI 0000:11:03.1: refused 2-byte config access at 0x41 (further ones not logged)"));
	free(mem);
}

static void test_no_backend(void **state)
{
	(void)state;
	pci_cfg_set_ops(NULL);
	assert_int_equal(pci_cfg_read32(0, 0), 0xffffffff);
	assert_int_equal(pci_cfg_read16(0, 0), 0xffff);
	pci_cfg_write32(0, 0, 0);
}

static void test_sbdf_names(void **state)
{
	static const char *const bad[] = {
		"",
		"00:05",
		"00:20.0",
		"00:05.8",
		"0:5",
		"00:05.0x",
		"00000:00:05.0",
		"000:05.0",
		"g0:05.0",
		"0000:00:05",
		":00:05.0",
		"00:05.0 ",
		"0000:00:00:05.0",
	};
	pci_sbdf_t s = 0;
	char buf[16];
	(void)state;
	assert_int_equal(pci_sbdf_parse("0000:00:05.0", &s), 0);
	assert_int_equal(s, PCI_SBDF(0, 0, 5, 0));
	assert_int_equal(pci_sbdf_parse("00:1f.3", &s), 0);
	assert_int_equal(s, PCI_SBDF(0, 0, 0x1f, 3));
	assert_int_equal(pci_sbdf_parse("ABCD:Fe:1:7", &s), -HV_EINVAL);
	assert_int_equal(pci_sbdf_parse("ABCD:Fe:1.7", &s), 0);
	assert_int_equal(s, PCI_SBDF(0xabcd, 0xfe, 1, 7));
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++)
		if (pci_sbdf_parse(bad[i], &s) != -HV_EINVAL)
			fail_msg("'%s' accepted", bad[i]);
	pci_sbdf_str(PCI_SBDF(0x12, 3, 0x1f, 7), buf, sizeof(buf));
	assert_string_equal(buf, "0012:03:1f.7");
}

static void test_find(void **state)
{
	struct pci_dev d[5] = {{.sbdf = 1},
			       {.sbdf = 8},
			       {.sbdf = 0x100},
			       {.sbdf = 0x10000},
			       {.sbdf = 0x10008}};
	struct pci_topology t = {d, ARRAY_SIZE(d), ARRAY_SIZE(d)};
	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(d); i++)
		assert_ptr_equal(pci_find(&t, d[i].sbdf), &d[i]);
	assert_null(pci_find(&t, 0));
	assert_null(pci_find(&t, 9));
	assert_null(pci_find(&t, 0x20000));
	t.count = 0;
	assert_null(pci_find(&t, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_window_checks, setup),
		cmocka_unit_test_setup(test_too_many_windows, setup),
		cmocka_unit_test_setup(test_no_window, setup),
		cmocka_unit_test_setup(test_ecam_access, setup),
		cmocka_unit_test_setup(test_no_backend, setup),
		cmocka_unit_test_setup(test_sbdf_names, setup),
		cmocka_unit_test_setup(test_find, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
